import Domain

/// Where a `NodeBuilder` reads its events from.
public protocol EventSource: AnyObject {
    func next() throws(YAMLSyntaxError) -> Event
}

/// Records the events of one value, so that it is read straight from them
/// rather than from a node tree built first. Only values that need nothing a
/// `NodeBuilder` resolves are recorded: no anchor, alias, tag, merge key
/// (`<<`) or complex key, nested within the depth bound. A value that needs
/// one is left to a `NodeBuilder`, which reads it from its first event with
/// the events recorded so far replayed.
public struct EventRecorder {
    /// What reading a value found.
    public enum Outcome {
        case recorded(RecordedValue)
        /// The value needs a node: build it from its first event, reading from this source.
        case needsNode(EventSource)
    }

    private var steps: [RecordedValue.Step] = []
    /// The collections not yet closed: where each starts, and, for a
    /// mapping, whether its next event is a key.
    private var open: [(start: Int, isMapping: Bool, awaitingKey: Bool)] = []

    public init() {}

    /// Records the value `first` starts, nested `depth` levels deep.
    public mutating func record(startingWith first: Event, from stream: EventStream, depth: Int) throws(ReadAbort) -> Outcome {
        steps.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        guard let step = RecordedValue.Step(first) else { return .needsNode(ReplayedEvents([], then: stream)) }
        steps.append(step)
        while true {
            guard isRecordable(at: steps.count - 1, depth: depth) else {
                // Taken out before `needsNode` reads the steps.
                let last = steps.removeLast().event
                return needsNode(after: last, stream: stream)
            }
            addStep(at: steps.count - 1)
            if open.isEmpty { return .recorded(RecordedValue(steps: steps, index: 0)) }
            do {
                guard try stream.appendStep(to: &steps) else { return needsNode(after: stream.takeUnrecorded(), stream: stream) }
            } catch {
                throw .syntax(error)
            }
        }
    }

    /// The value needs a node, which is built from the first step's event
    /// with the events after it replayed, up to `last`.
    private func needsNode(after last: Event, stream: EventStream) -> Outcome {
        let readAhead = steps.isEmpty ? [] : steps.dropFirst().map(\.event) + [last]
        return .needsNode(ReplayedEvents(readAhead, then: stream))
    }

    /// Whether the step at `index`, just appended, can be recorded. By
    /// index: a step copied is its text's reference counted.
    @inline(__always)
    private func isRecordable(at index: Int, depth: Int) -> Bool {
        let isKey = open.last?.awaitingKey ?? false
        switch steps[index].kind {
        case .scalar:
            return !(steps[index].isPlain && steps[index].text == "<<")
        case .mappingStart, .sequenceStart:
            return !isKey && depth + open.count < NodeBuilder.depthLimit
        case .mappingEnd:
            return open.last?.isMapping == true && isKey
        case .sequenceEnd:
            return open.last?.isMapping == false
        }
    }

    /// Takes the step just appended into the value.
    @inline(__always)
    private mutating func addStep(at index: Int) {
        steps[index].end = index + 1
        switch steps[index].kind {
        case .mappingStart:
            open.append((index, true, true))
        case .sequenceStart:
            open.append((index, false, false))
        case .mappingEnd, .sequenceEnd:
            steps[open.removeLast().start].end = index + 1
            finishValue()
        case .scalar:
            finishValue()
        }
    }

    /// A key or value is complete: a mapping awaits its other half next.
    private mutating func finishValue() {
        guard let last = open.indices.last, open[last].isMapping else { return }
        open[last].awaitingKey.toggle()
    }
}

/// A value read from its recorded events (see `EventRecorder`), or written
/// step by step for a record from elsewhere (see `RecordedValueWriter`).
public struct RecordedValue: YAMLValue {
    @usableFromInline
    struct Step {
        @usableFromInline
        enum Kind { case scalar, mappingStart, sequenceStart, mappingEnd, sequenceEnd }

        @usableFromInline var kind: Kind
        /// A scalar's text.
        @usableFromInline var text = ""
        @usableFromInline var isPlain = false
        @usableFromInline var location: SourceLocation
        /// The index after the last step of the value this step starts.
        @usableFromInline var end = 0

        @usableFromInline
        init(kind: Kind, text: String = "", isPlain: Bool = false, location: SourceLocation) {
            self.kind = kind
            self.text = text
            self.isPlain = isPlain
            self.location = location
        }

        /// The step of a scalar or a collection's start or end without
        /// anchor or tag; nil for any other event.
        init?(_ event: Event) {
            switch event.kind {
            case .scalar(let scalar, nil) where scalar.tag == nil:
                self.init(kind: .scalar, text: scalar.value, isPlain: scalar.isPlain, location: event.location)
            case .mappingStart(nil, nil): self.init(kind: .mappingStart, location: event.location)
            case .sequenceStart(nil, nil): self.init(kind: .sequenceStart, location: event.location)
            case .mappingEnd: self.init(kind: .mappingEnd, location: event.location)
            case .sequenceEnd: self.init(kind: .sequenceEnd, location: event.location)
            default: return nil
            }
        }

        /// The event recorded, as libyaml reported it.
        var event: Event {
            let eventKind: Event.Kind = switch kind {
            case .scalar: .scalar(Scalar(value: text, isPlain: isPlain), anchor: nil)
            case .mappingStart: .mappingStart(anchor: nil, tag: nil)
            case .sequenceStart: .sequenceStart(anchor: nil, tag: nil)
            case .mappingEnd: .mappingEnd
            case .sequenceEnd: .sequenceEnd
            }
            return Event(kind: eventKind, location: location)
        }
    }

    @usableFromInline let steps: [Step]
    @usableFromInline let index: Int

    @usableFromInline
    init(steps: [Step], index: Int) {
        self.steps = steps
        self.index = index
    }

    @inlinable
    public var location: SourceLocation { steps[index].location }

    @inlinable
    public var kind: ValueKind {
        switch steps[index].kind {
        case .mappingStart: .mapping
        case .sequenceStart: .sequence
        case .scalar, .mappingEnd, .sequenceEnd: .scalar
        }
    }

    @inlinable
    public var scalar: Scalar? {
        guard steps[index].kind == .scalar else { return nil }
        return Scalar(value: steps[index].text, isPlain: steps[index].isPlain)
    }

    /// As `YAMLValue.isNull`, read from the step in place (no scalar made).
    @inlinable
    public var isNull: Bool {
        guard steps[index].kind == .scalar, steps[index].isPlain, steps[index].text.utf8.count <= 4 else { return false }
        switch steps[index].text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    @inlinable
    public var items: [RecordedValue]? {
        guard steps[index].kind == .sequenceStart else { return nil }
        var items: [RecordedValue] = []
        var item = index + 1
        while item < steps[index].end - 1 {
            items.append(RecordedValue(steps: steps, index: item))
            item = steps[item].end
        }
        return items
    }

    @inlinable
    public func forEachEntry(_ visit: (_ key: String, _ keyLocation: SourceLocation, _ value: RecordedValue) -> Void) -> Bool {
        guard steps[index].kind == .mappingStart else { return false }
        var key = index + 1
        while key < steps[index].end - 1 {
            visit(steps[key].text, steps[key].location, RecordedValue(steps: steps, index: key + 1))
            key = steps[key + 1].end
        }
        return true
    }
}

/// Events read ahead, read again before the rest of their stream.
final class ReplayedEvents: EventSource {
    private var events: [Event]
    private let stream: EventStream

    init(_ events: [Event], then stream: EventStream) {
        self.events = events.reversed()
        self.stream = stream
    }

    func next() throws(YAMLSyntaxError) -> Event {
        if let event = events.popLast() { return event }
        return try stream.next()
    }
}

/// A value written a step at a time rather than recorded from YAML events:
/// a record that comes from elsewhere (a spreadsheet's row), read by the
/// same readers as one from an inventory file. Its steps are kept from one
/// value to the next, so that writing many records allocates once.
public struct RecordedValueWriter {
    private var steps: [RecordedValue.Step] = []
    /// The collections not yet ended, by the index of their start.
    private var open: [Int] = []

    public init() {}

    /// Starts a new value, forgetting the last.
    public mutating func clear() {
        steps.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
    }

    public mutating func startMapping(at location: SourceLocation) {
        start(.mappingStart, at: location)
    }

    public mutating func startList(at location: SourceLocation) {
        start(.sequenceStart, at: location)
    }

    /// A mapping's key, or a scalar value (`isPlain` for a number, which a
    /// reader may take as a null or a number as YAML would).
    public mutating func scalar(_ text: String, isPlain: Bool = false, at location: SourceLocation) {
        var step = RecordedValue.Step(kind: .scalar, text: text, isPlain: isPlain, location: location)
        step.end = steps.count + 1
        steps.append(step)
    }

    /// Ends the innermost mapping or list.
    public mutating func end() {
        let start = open.removeLast()
        assert(steps[start].kind == .sequenceStart || Self.entries(from: start + 1, to: steps.count, in: steps) != nil,
               "a mapping is written as keys, each followed by its value")
        var step = RecordedValue.Step(kind: steps[start].kind == .mappingStart ? .mappingEnd : .sequenceEnd, location: steps[start].location)
        step.end = steps.count + 1
        steps.append(step)
        steps[start].end = steps.count
    }

    /// The value written, which must have ended every mapping and list it started.
    public var value: RecordedValue {
        precondition(open.isEmpty && !steps.isEmpty, "a recorded value is read when written whole")
        return RecordedValue(steps: steps, index: 0)
    }

    /// The number of values from `first` up to `end` at one level, when they pair up as keys and values.
    private static func entries(from first: Int, to end: Int, in steps: [RecordedValue.Step]) -> Int? {
        var values = 0, index = first
        while index < end {
            values += 1
            index = steps[index].end
        }
        return values.isMultiple(of: 2) ? values / 2 : nil
    }

    private mutating func start(_ kind: RecordedValue.Step.Kind, at location: SourceLocation) {
        open.append(steps.count)
        steps.append(RecordedValue.Step(kind: kind, location: location))
    }
}
