import Domain
import Threads

/// libyaml's events for one file, parsed on a thread of their own and handed
/// over in batches, so that reading the bytes (libyaml) and making sense of
/// them (the typed readers) run on two cores at once. A few batches are in
/// flight at most, so memory stays flat however large the file is. Every
/// chunk read is shown to `observeChunk` (the inventory reader hashes the
/// file in the same pass).
public final class EventStream: EventSource {
    private static let batchSize = 4096

    /// Events come from a parser thread through `channel`, or, for a
    /// segment read by a worker of a parallel scan, from `parser` on the
    /// caller's own thread.
    private let channel: BatchChannel<Event>?
    private let producer: BackgroundTask<YAMLSyntaxError?>?
    private let parser: EventParser?
    /// The batch being read, last event first, so that each is moved out
    /// rather than copied.
    private var current: [Event] = []
    private var lastLocation = SourceLocation(line: 1, column: 1)

    /// Opens `path` for reading. Throws the `errno` text if it cannot be opened.
    public convenience init(path: String, observeChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(FileError) {
        self.init(parser: try EventParser(path: path, observeChunk: observeChunk))
    }

    /// Parses YAML text held in memory.
    public convenience init(text: String) {
        self.init(parser: EventParser(text: text))
    }

    /// Reads one segment of `path` on the calling thread.
    public init(path: String, segment: FileSegment) throws(FileError) {
        parser = try EventParser(path: path, segment: segment)
        channel = nil
        producer = nil
    }

    private init(parser: EventParser) {
        let channel = BatchChannel<Event>(capacity: 4)
        self.channel = channel
        self.parser = nil
        producer = BackgroundTask {
            defer { channel.close() }
            var batch: [Event] = []
            batch.reserveCapacity(Self.batchSize)
            while true {
                let event: Event
                do throws(YAMLSyntaxError) {
                    event = try parser.next()
                } catch {
                    channel.send(batch)
                    return error
                }
                batch.append(event)
                if case .streamEnd = event.kind { break }
                if batch.count == Self.batchSize {
                    guard channel.send(batch) else { return nil }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            channel.send(batch)
            return nil
        }
    }

    deinit {
        channel?.cancel()
        _ = producer?.wait()
    }

    /// The next event; throws libyaml's own message and position on a syntax error.
    public func next() throws(YAMLSyntaxError) -> Event {
        if let parser {
            if finished { return Event(kind: .streamEnd, location: lastLocation) }
            let event = try parser.next()
            lastLocation = event.location
            if case .streamEnd = event.kind { finished = true }
            return event
        }
        if current.isEmpty {
            guard let batch = channel!.receive() else {
                if let failure = producer!.wait() { throw failure }
                return Event(kind: .streamEnd, location: lastLocation)
            }
            current = batch
            current.reverse()
        }
        let event = current.removeLast()
        lastLocation = event.location
        return event
    }

    private var finished = false

    /// Reads the next event into `steps` when it is a step of a recorded
    /// value; false when it is none (`takeUnrecorded` gives it).
    func appendStep(to steps: inout [RecordedValue.Step]) throws(YAMLSyntaxError) -> Bool {
        guard let parser, !finished else {
            let event = try next()
            guard let step = RecordedValue.Step(event) else {
                unrecorded = event
                return false
            }
            steps.append(step)
            return true
        }
        guard try parser.appendStep(to: &steps) else {
            let event = parser.takeUnrecorded()
            lastLocation = event.location
            if case .streamEnd = event.kind { finished = true }
            unrecorded = event
            return false
        }
        lastLocation = steps[steps.count - 1].location
        return true
    }

    /// The event `appendStep` read that is no step.
    private var unrecorded: Event?

    func takeUnrecorded() -> Event {
        defer { unrecorded = nil }
        return unrecorded!
    }
}