import Domain

/// A YAML value with the position it was written at, anchors, aliases and
/// merge keys resolved. One organisation (or one system that needs one, see
/// `EventRecorder`) is built as a node at a time, never a whole file.
public struct Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case mapping([Entry])
        case sequence([Node])
    }

    /// One `key: value` pair of a mapping; keys are text.
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: Node

        public init(key: String, keyLocation: SourceLocation, value: Node) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }

        /// `key` with a quoted text as its value, both at `location` (for a document being written).
        public static func text(_ key: String, _ value: String, at location: SourceLocation) -> Entry {
            Entry(key: key, keyLocation: location, value: Node(.scalar(Scalar(value: value, isPlain: false)), at: location))
        }
    }

    public var content: Content
    public var location: SourceLocation
    /// Nodes in this subtree, counting every alias expansion: the measure of
    /// the alias-expansion bound.
    public var weight: Int

    /// A node made rather than read (a stored record written back as the
    /// values its file would hold).
    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
        switch content {
        case .scalar: weight = 1
        case .mapping(let entries): weight = entries.reduce(1) { $0 + $1.value.weight + 1 }
        case .sequence(let items): weight = items.reduce(1) { $0 + $1.weight }
        }
    }

    init(content: Content, location: SourceLocation, weight: Int) {
        self.content = content
        self.location = location
        self.weight = weight
    }
}

extension Node: YAMLValue {
    public var kind: ValueKind {
        switch content {
        case .scalar: .scalar
        case .mapping: .mapping
        case .sequence: .sequence
        }
    }

    public var scalar: Scalar? {
        guard case .scalar(let scalar) = content else { return nil }
        return scalar
    }

    public var items: [Node]? {
        guard case .sequence(let items) = content else { return nil }
        return items
    }

    public func forEachEntry(_ visit: (_ key: String, _ keyLocation: SourceLocation, _ value: Node) -> Void) -> Bool {
        guard case .mapping(let entries) = content else { return false }
        for entry in entries { visit(entry.key, entry.keyLocation, entry.value) }
        return true
    }
}

/// Why reading a file had to stop before its end.
public enum ReadAbort: Error, Sendable {
    case syntax(YAMLSyntaxError)
    case aliasExpansion(SourceLocation, limit: Int)
    case tooDeep(SourceLocation, limit: Int)

    /// The diagnostic that says why.
    public func diagnostic(file: String) -> Diagnostic {
        switch self {
        case .syntax(let error):
            Diagnostic(file: file, location: error.location, severity: .error, code: "yaml-syntax",
                       message: "YAML syntax error: \(error.message)")
        case .aliasExpansion(let location, let limit):
            Diagnostic(file: file, location: location, severity: .error, code: "alias-expansion",
                       message: "aliases in this document expand to more than \(limit) values (a \"billion laughs\" file?); the rest of the file is not read")
        case .tooDeep(let location, let limit):
            Diagnostic(file: file, location: location, severity: .error, code: "too-deep",
                       message: "values nested more than \(limit) levels deep; an inventory needs at most 4; the rest of the file is not read")
        }
    }
}

/// Builds located nodes from libyaml events, resolving anchors, aliases and
/// merge keys (`<<`) within a bound, and rejecting tags that would change a
/// value's meaning.
public struct NodeBuilder {
    /// Values that aliases of one document may expand to in total.
    static let aliasExpansionLimit = 1_000_000
    /// Nesting depth of collections; inventories need four.
    static let depthLimit = 64

    private var anchors: [String: Node] = [:]
    private var expanded = 0

    public init() {}

    /// Anchors are scoped to their document.
    public mutating func startDocument() {
        anchors.removeAll(keepingCapacity: true)
        expanded = 0
    }

    /// Reads the node that `first` starts, consuming events up to its end.
    public mutating func node(
        startingWith first: Event, from stream: some EventSource, log: inout DiagnosticLog, depth: Int = 0
    ) throws(ReadAbort) -> Node {
        switch first.kind {
        case .scalar(let scalar, let anchor):
            let node = Node(content: .scalar(checkTag(scalar, at: first.location, log: &log)), location: first.location, weight: 1)
            if let anchor { anchors[anchor] = node }
            return node
        case .alias(let name):
            guard var node = anchors[name] else {
                // libyaml reports undefined aliases itself; this is a fallback.
                log.error("yaml-syntax", at: first.location, "alias '*\(name)' names no anchor defined before it")
                return Node(content: .scalar(Scalar(value: "", isPlain: true)), location: first.location, weight: 1)
            }
            expanded += node.weight
            if expanded > Self.aliasExpansionLimit {
                throw .aliasExpansion(first.location, limit: Self.aliasExpansionLimit)
            }
            node.location = first.location
            return node
        case .sequenceStart(let anchor, let tag):
            try checkDepth(depth, at: first.location)
            checkCollectionTag(tag, expected: "seq", at: first.location, log: &log)
            var items: [Node] = []
            var weight = 1
            while true {
                let event = try nextEvent(stream)
                if case .sequenceEnd = event.kind { break }
                try Self.checkInsideDocument(event)
                let item = try node(startingWith: event, from: stream, log: &log, depth: depth + 1)
                weight += item.weight
                items.append(item)
            }
            let node = Node(content: .sequence(items), location: first.location, weight: weight)
            if let anchor { anchors[anchor] = node }
            return node
        case .mappingStart(let anchor, let tag):
            try checkDepth(depth, at: first.location)
            checkCollectionTag(tag, expected: "map", at: first.location, log: &log)
            var entries: [Node.Entry] = []
            var merged: [Node.Entry] = []
            var weight = 1
            while true {
                let keyEvent = try nextEvent(stream)
                if case .mappingEnd = keyEvent.kind { break }
                try Self.checkInsideDocument(keyEvent)
                let key = try node(startingWith: keyEvent, from: stream, log: &log, depth: depth + 1)
                let valueEvent = try nextEvent(stream)
                try Self.checkInsideDocument(valueEvent)
                let value = try node(startingWith: valueEvent, from: stream, log: &log, depth: depth + 1)
                weight += value.weight + 1
                guard case .scalar(let keyScalar) = key.content else {
                    log.error("complex-key", at: key.location, "a key must be plain text, not \(key.kindDescription)")
                    continue
                }
                if keyScalar.isPlain, keyScalar.value == "<<" {
                    merged.append(contentsOf: mergeSources(value, log: &log))
                } else {
                    entries.append(Node.Entry(key: keyScalar.value, keyLocation: key.location, value: value))
                }
            }
            if !merged.isEmpty {
                // Explicit keys win over merged ones; earlier merge sources win over later ones.
                var present = Set(entries.map(\.key))
                for entry in merged where present.insert(entry.key).inserted {
                    entries.append(entry)
                }
            }
            let node = Node(content: .mapping(entries), location: first.location, weight: weight)
            if let anchor { anchors[anchor] = node }
            return node
        case .sequenceEnd, .mappingEnd, .streamStart, .streamEnd, .documentStart, .documentEnd:
            log.error("yaml-syntax", at: first.location, "expected a value")
            return Node(content: .scalar(Scalar(value: "", isPlain: true)), location: first.location, weight: 1)
        }
    }

    /// libyaml closes every collection before its document ends. Events
    /// that do not (only a fault in replaying them could make such) end the
    /// read here, rather than a collection waiting for its end forever at
    /// the end of the stream.
    static func checkInsideDocument(_ event: Event) throws(ReadAbort) {
        switch event.kind {
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            throw .syntax(YAMLSyntaxError(message: "the document ends inside a list or mapping", location: event.location))
        default:
            return
        }
    }

    /// The next event, with syntax errors turned into an abort.
    @inlinable
    public func nextEvent(_ stream: some EventSource) throws(ReadAbort) -> Event {
        do {
            return try stream.next()
        } catch {
            throw .syntax(error)
        }
    }

    private func checkDepth(_ depth: Int, at location: SourceLocation) throws(ReadAbort) {
        if depth >= Self.depthLimit { throw .tooDeep(location, limit: Self.depthLimit) }
    }

    private func mergeSources(_ value: Node, log: inout DiagnosticLog) -> [Node.Entry] {
        switch value.content {
        case .mapping(let entries):
            return entries
        case .sequence(let items):
            var result: [Node.Entry] = []
            for item in items {
                if case .mapping(let entries) = item.content {
                    result.append(contentsOf: entries)
                } else {
                    log.error("merge-key", at: item.location, "a merge key '<<' takes a mapping or a list of mappings, not \(item.kindDescription)")
                }
            }
            return result
        case .scalar:
            log.error("merge-key", at: value.location, "a merge key '<<' takes a mapping or a list of mappings, not \(value.kindDescription)")
            return []
        }
    }

    private static let yamlTagPrefix = "tag:yaml.org,2002:"

    /// `!!str` makes a scalar text; the core schema's own tags are accepted as
    /// harmless; any other tag (`!!python/object`, `!custom`) is an error: a
    /// tag never makes inventory text run or change type here.
    private func checkTag(_ scalar: Scalar, at location: SourceLocation, log: inout DiagnosticLog) -> Scalar {
        guard let tag = scalar.tag, tag != "!" else { return scalar }
        switch tag {
        case Self.yamlTagPrefix + "str":
            return Scalar(value: scalar.value, isPlain: false, tag: nil)
        case Self.yamlTagPrefix + "int", Self.yamlTagPrefix + "float", Self.yamlTagPrefix + "bool", Self.yamlTagPrefix + "null":
            return Scalar(value: scalar.value, isPlain: true, tag: nil)
        default:
            log.error("tag", at: location, "tag '\(Self.shortTag(tag))' is not supported; write the value without a tag (sovscan reads each value by its field's type)")
            return Scalar(value: scalar.value, isPlain: false, tag: nil)
        }
    }

    private func checkCollectionTag(_ tag: String?, expected: String, at location: SourceLocation, log: inout DiagnosticLog) {
        guard let tag, tag != "!", tag != Self.yamlTagPrefix + expected else { return }
        log.error("tag", at: location, "tag '\(Self.shortTag(tag))' is not supported; write the value without a tag")
    }

    private static func shortTag(_ tag: String) -> String {
        tag.hasPrefix(yamlTagPrefix) ? "!!" + tag.dropFirst(yamlTagPrefix.count) : tag
    }
}
