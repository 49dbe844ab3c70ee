import Crypto
import Domain
import YAMLReading

/// What an inventory file yields, in the order a reader meets it: each
/// system as soon as it is read (with its organisation's id), and each
/// organisation once its document is complete.
public enum InventoryItem: Sendable {
    case system(System, organisationID: String)
    case organisation(Organisation)
}

/// What reading one file found, besides the items it yielded.
public struct FileSummary: Sendable {
    public var path: String
    public var sha256: String
    public var bytes: Int
    public var organisations: Int
    public var systems: Int
    public var diagnostics: [Diagnostic]
}

/// The inventory format versions this build reads.
let supportedInventoryVersions = ["1"]

enum DocumentKey: String, FieldKey {
    case inventory, organisation, organisations, systems
    case asOf = "as_of"
}

/// What reading a file, or one segment of it, found besides the items it yielded.
struct PartReading: Sendable {
    var organisations = 0
    var systems = 0
    var documents = 0
    var diagnostics: [Diagnostic] = []
    /// A syntax error or an unreadable file ended the reading: nothing after it is read.
    var stopped = false
    /// For a whole file: its SHA-256 and size, as it was read.
    var sha256: String?
    var bytes = 0
}

/// Reads one inventory file, or one segment of whole documents of it, as a
/// stream of libyaml events, yielding system by system, so memory does not
/// grow with the number of systems in the file.
struct InventoryFileReader {
    private let path: String
    private let records: RecordReader

    /// - Parameters:
    ///   - path: the file, as it is opened and as diagnostics name it.
    init(path: String, reference: ReferenceData) {
        self.path = path
        records = RecordReader(reference: reference)
    }

    /// Reads `segment`, or the whole file (hashing it) when it is nil.
    func read(segment: FileSegment?, _ yield: (InventoryItem) -> Void) -> PartReading {
        var log = DiagnosticLog(file: path)
        var reading = PartReading()
        final class Digest {
            var hasher = SHA256()
            var bytes = 0
        }
        let digest = Digest()
        let stream: EventStream
        do {
            if let segment {
                stream = try EventStream(path: path, segment: segment)
            } else {
                stream = try EventStream(path: path) { chunk in
                    digest.hasher.update(bufferPointer: chunk)
                    digest.bytes += chunk.count
                }
            }
        } catch {
            log.error("file", at: SourceLocation(line: 1, column: 1), "cannot open the file: \(error)")
            reading.diagnostics = log.diagnostics
            reading.stopped = true
            return reading
        }
        var builder = NodeBuilder()
        do {
            streamLoop: while true {
                let event = try builder.nextEvent(stream)
                switch event.kind {
                case .streamStart(let isUTF8):
                    if !isUTF8 {
                        log.error("encoding", at: event.location, "the file is encoded as UTF-16; inventories must be UTF-8")
                        reading.stopped = true
                        break streamLoop
                    }
                case .documentStart:
                    // The next segment's first document, read only up to its marker.
                    if let nextLine = segment?.nextLine, event.location.line >= nextLine { break streamLoop }
                    reading.documents += 1
                    builder.startDocument()
                    var document = DocumentReader(file: path, records: records, start: event.location)
                    try document.read(stream: stream, builder: &builder, log: &log, counts: &reading, yield: yield)
                case .streamEnd:
                    break streamLoop
                default:
                    break
                }
            }
        } catch {
            let diagnostic = error.diagnostic(file: path)
            log.error(diagnostic.code, at: diagnostic.location, diagnostic.message)
            reading.stopped = true
        }
        if segment == nil {
            reading.sha256 = hexadecimal(digest.hasher.finalize())
            reading.bytes = digest.bytes
        }
        reading.diagnostics = log.diagnostics
        return reading
    }

    /// The file's summary from the readings of its parts, in order.
    static func summary(path: String, parts: [PartReading], sha256: String, bytes: Int) -> FileSummary {
        var summary = FileSummary(path: path, sha256: sha256, bytes: bytes, organisations: 0, systems: 0, diagnostics: [])
        for part in parts {
            summary.organisations += part.organisations
            summary.systems += part.systems
            summary.diagnostics += part.diagnostics
        }
        let hasErrors = summary.diagnostics.contains { $0.severity == .error }
        if parts.reduce(0, { $0 + $1.documents }) == 0, !hasErrors {
            var log = DiagnosticLog(file: path)
            log.error("not-inventory", at: SourceLocation(line: 1, column: 1),
                      "the file is empty; an inventory starts with 'inventory: 1' and an 'organisation:' or 'organisations:'")
            summary.diagnostics += log.diagnostics
        }
        return summary
    }
}

/// One YAML document of an inventory file: an organisation document
/// (`organisation:` and `systems:`) or an organisations document.
private struct DocumentReader {
    let file: String
    let records: RecordReader
    let start: SourceLocation

    private var seen: [(key: DocumentKey, location: SourceLocation)] = []
    private var unknownKeys: [(String, SourceLocation)] = []
    private var version: Node?
    private var organisationNode: Node?
    private var organisationID: String?
    private var asOf: Day?
    private var declarations: [Organisation] = []
    private var systemsLocation: SourceLocation?
    /// Systems read before the document said whose they are.
    private var waiting: [System] = []
    private var systemIDs: [String: SourceLocation] = [:]
    private var dependencies: [(from: String, target: String, location: SourceLocation)] = []
    private var recorder = EventRecorder()

    init(file: String, records: RecordReader, start: SourceLocation) {
        self.file = file
        self.records = records
        self.start = start
    }

    mutating func read(
        stream: EventStream, builder: inout NodeBuilder, log: inout DiagnosticLog,
        counts: inout PartReading, yield: (InventoryItem) -> Void
    ) throws(ReadAbort) {
        let root = try builder.nextEvent(stream)
        guard case .mappingStart = root.kind else {
            let node = try builder.node(startingWith: root, from: stream, log: &log)
            try finishDocument(stream: stream, builder: builder)
            log.error("not-inventory", at: node.location,
                      "this is not a sovscan inventory: a document must be a mapping starting with 'inventory: 1', not \(node.kindDescription)")
            return
        }
        // A document's own log, so that a file that is not an inventory at all
        // gets one error rather than a warning per key.
        var documentLog = DiagnosticLog(file: file)
        while true {
            let keyEvent = try builder.nextEvent(stream)
            if case .mappingEnd = keyEvent.kind { break }
            let keyNode = try builder.node(startingWith: keyEvent, from: stream, log: &documentLog)
            let valueEvent = try builder.nextEvent(stream)
            guard case .scalar(let keyScalar) = keyNode.content else {
                _ = try builder.node(startingWith: valueEvent, from: stream, log: &documentLog)
                documentLog.error("complex-key", at: keyNode.location, "a key must be plain text, not \(keyNode.kindDescription)")
                continue
            }
            guard let key = DocumentKey(rawValue: keyScalar.value) else {
                _ = try builder.node(startingWith: valueEvent, from: stream, log: &documentLog)
                unknownKeys.append((keyScalar.value, keyNode.location))
                continue
            }
            if let first = seen.first(where: { $0.key == key }) {
                _ = try builder.node(startingWith: valueEvent, from: stream, log: &documentLog)
                documentLog.error("duplicate-key", at: keyNode.location,
                                  "duplicate key '\(key.rawValue)' (first given at line \(first.location.line)); a key may appear once in a mapping")
                continue
            }
            seen.append((key, keyNode.location))
            if key == .systems {
                systemsLocation = keyNode.location
                try readSystems(startingWith: valueEvent, stream: stream, builder: &builder, log: &documentLog, counts: &counts, yield: yield)
                continue
            }
            let value = try builder.node(startingWith: valueEvent, from: stream, log: &documentLog)
            switch key {
            case .inventory: version = value
            case .asOf: asOf = value.day("as_of", log: &documentLog)
            case .organisation:
                organisationNode = value
                if case .mapping(let entries) = value.content,
                   let idNode = entries.first(where: { $0.key == "id" })?.value,
                   case .scalar(let scalar) = idNode.content, Node.isSlug(scalar.value) {
                    organisationID = scalar.value
                    for system in waiting { yield(.system(system, organisationID: scalar.value)) }
                    waiting.removeAll()
                }
            case .organisations:
                for item in value.list("organisations", log: &documentLog) ?? [] {
                    if let declared = records.organisation(item, asOf: nil, hasInventory: false, file: file, log: &documentLog) {
                        declarations.append(declared)
                    }
                }
            case .systems:
                break
            }
        }
        try finishDocument(stream: stream, builder: builder)

        if seen.isEmpty {
            log.error("not-inventory", at: start,
                      "this is not a sovscan inventory: expected 'inventory: 1' with 'organisation:' and 'systems:', or 'organisations:'")
            return
        }
        for (key, location) in unknownKeys {
            documentLog.warning("unknown-key", at: location,
                                "unknown key '\(key)' at the top of the document\(Suggestion.didYouMean(key, in: DocumentKey.allCases.map(\.rawValue)).isEmpty ? "; it is ignored" : Suggestion.didYouMean(key, in: DocumentKey.allCases.map(\.rawValue)))")
        }
        checkVersion(log: &documentLog)
        finishOrganisation(log: &documentLog, counts: &counts, yield: yield)
        log.append(documentLog)
    }

    private func finishDocument(stream: EventStream, builder: NodeBuilder) throws(ReadAbort) {
        while true {
            let event = try builder.nextEvent(stream)
            if case .documentEnd = event.kind { return }
        }
    }

    private func checkVersion(log: inout DiagnosticLog) {
        let supported = supportedInventoryVersions.joined(separator: ", ")
        guard let version else {
            log.error("version", at: start, "the document has no format version; start it with 'inventory: 1' (supported versions: \(supported))")
            return
        }
        guard case .scalar(let scalar) = version.content, supportedInventoryVersions.contains(scalar.value) else {
            let shown: String
            if case .scalar(let scalar) = version.content { shown = "'\(scalar.value)'" } else { shown = version.kindDescription }
            log.error("version", at: version.location, "unsupported inventory format version \(shown); this sovscan reads version \(supported)")
            return
        }
    }

    private mutating func readSystems(
        startingWith first: Event, stream: EventStream, builder: inout NodeBuilder, log: inout DiagnosticLog,
        counts: inout PartReading, yield: (InventoryItem) -> Void
    ) throws(ReadAbort) {
        guard case .sequenceStart = first.kind else {
            let node = try builder.node(startingWith: first, from: stream, log: &log)
            if !node.isNull {
                log.error("type", at: node.location, "'systems' must be a list of systems, not \(node.kindDescription)")
            }
            return
        }
        while true {
            let event = try builder.nextEvent(stream)
            if case .sequenceEnd = event.kind { return }
            guard let system = try readSystem(startingWith: event, stream: stream, builder: &builder, log: &log) else { continue }
            if let first = systemIDs[system.id] {
                log.error("duplicate-id", at: system.fieldLocations["id"] ?? system.location,
                          "system id '\(system.id)' is already used at line \(first.line); system ids must be unique within an organisation")
                continue
            }
            systemIDs[system.id] = system.fieldLocations["id"] ?? system.location
            let written = system.fieldLocations.dependencies
            for (index, target) in system.dependsOn.enumerated() {
                dependencies.append((system.id, target, index < written.count ? written[index] : system.location))
            }
            counts.systems += 1
            if let organisationID {
                yield(.system(system, organisationID: organisationID))
            } else {
                waiting.append(system)
            }
        }
    }

    /// A system read straight from its events, or from a node when it needs
    /// one (anchors, aliases, merge keys, tags).
    private mutating func readSystem(
        startingWith first: Event, stream: EventStream, builder: inout NodeBuilder, log: inout DiagnosticLog
    ) throws(ReadAbort) -> System? {
        switch try recorder.record(startingWith: first, from: stream, depth: 1) {
        case .recorded(let value):
            return records.system(value, log: &log)
        case .needsNode(let events):
            return records.system(try builder.node(startingWith: first, from: events, log: &log, depth: 1), log: &log)
        }
    }

    private mutating func finishOrganisation(log: inout DiagnosticLog, counts: inout PartReading, yield: (InventoryItem) -> Void) {
        for (from, target, location) in dependencies where systemIDs[target] == nil || target == from {
            if target == from {
                log.error("depends-on", at: location, "system '\(from)' depends on itself")
            } else {
                log.error("depends-on", at: location,
                          "'depends_on' names '\(target)', which is no system of this organisation\(Suggestion.didYouMean(target, in: systemIDs.keys))")
            }
        }
        if let organisationNode {
            if seen.contains(where: { $0.key == .organisations }) {
                log.error("not-inventory", at: organisationNode.location,
                          "a document holds either 'organisation:' (with 'systems:') or 'organisations:', not both; split it with '---'")
            }
            if let organisation = records.organisation(organisationNode, asOf: asOf, hasInventory: true, file: file, log: &log) {
                counts.organisations += 1
                yield(.organisation(organisation))
            }
        } else if let systemsLocation {
            log.error("missing-field", at: systemsLocation,
                      "'systems:' needs an 'organisation:' in the same document that says whose systems they are")
        } else if declarations.isEmpty, !seen.contains(where: { $0.key == .organisations }) {
            log.error("missing-field", at: start, "the document has neither 'organisation:' nor 'organisations:'")
        }
        if asOf != nil, organisationNode == nil, let location = seen.first(where: { $0.key == .asOf })?.location {
            log.warning("unused", at: location, "'as_of' applies to an 'organisation:' document; it is ignored here")
        }
        for declared in declarations {
            counts.organisations += 1
            yield(.organisation(declared))
        }
    }
}
