import Domain
import Foundation
import Threads
import YAMLReading

/// Writes organisations and their systems as inventory files
/// (docs/inventory.md) that `validate` reads back to the same records:
/// `organisations.yaml` with the organisations that have no systems of
/// their own, and one file per organisation with systems. Every text is
/// written double-quoted, so that no value is read as another type.
///
/// The files go into a hidden directory inside the one asked for and are
/// moved out of it by `commit()`: an import or a plan that fails half-way
/// leaves nothing behind (a directory it created is removed again). They
/// are written on a thread of their own, while the caller reads on.
public final class InventoryWriter {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The comment after a value: one line of printable text, appended in place.
    public struct Comment: Sendable {
        fileprivate var bytes: [UInt8] = []

        public init() {}

        /// A comment of `text`, to be appended to others as it is.
        public init(_ text: String) {
            append(text)
        }

        /// Appends `other` (printable already).
        public mutating func append(_ other: Comment) {
            bytes.append(contentsOf: other.bytes)
        }

        /// Appends `text`, each control character as a space.
        public mutating func append(_ text: String) {
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            for index in start..<bytes.count where bytes[index] < 0x20 || bytes[index] == 0x7F {
                bytes[index] = 0x20
            }
        }

        public mutating func append(_ number: Int) {
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            var digits = number.magnitude
            let start = bytes.count
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(digits % 10))
                digits /= 10
            } while digits > 0
            bytes[start...].reverse()
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Writes a system's comment for a value, by the field's position in
    /// `System.fields`; a value whose comment stays empty has none.
    public typealias Comments = @Sendable (_ field: Int, _ comment: inout Comment) -> Void

    private let directory: String
    private let staging: String
    /// The directories created for the output (the one asked for and its
    /// missing parents), innermost first: removed again if nothing is committed.
    private let created: [String]
    /// The files to write, each a name and what renders its text.
    private let queue = BatchChannel<(file: String, text: @Sendable () -> [UInt8])>(capacity: 4)
    private let writing: BackgroundTask<Problem?>
    /// The files asked for so far (by the caller's thread).
    private var files: Set<String> = []
    private var committed = false

    /// The hidden directory the files are written into before `commit()`.
    private static let stagingPrefix = ".sovscan-staging-"

    /// Prepares to write into `directory`: a new one (created owner-only,
    /// with its missing parents) or an empty one, so that nothing is written
    /// over. What a writer that was stopped left behind does not count.
    public init(into directory: String) throws(Problem) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var created: [String] = []
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Problem(description: "\(directory) is a file, not a directory") }
            guard let entries = try? manager.contentsOfDirectory(atPath: directory) else {
                throw Problem(description: "\(directory) cannot be read")
            }
            let leftOver = entries.filter { $0.hasPrefix(Self.stagingPrefix) }
            guard entries.count == leftOver.count else {
                throw Problem(description: "\(directory) is not empty; name a new or empty directory (nothing was written)")
            }
            for entry in leftOver { try? manager.removeItem(atPath: "\(directory)/\(entry)") }
        } else {
            var missing: [String] = [], path = URL(fileURLWithPath: directory).standardizedFileURL
            while !manager.fileExists(atPath: path.path), path.path != "/" {
                missing.append(path.path)
                path = path.deletingLastPathComponent()
            }
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Problem(description: "\(directory) cannot be created: \(error.localizedDescription)")
            }
            created = missing
        }
        var template = Array("\(directory)/\(Self.stagingPrefix)XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            let reason = String(cString: strerror(errno))
            for path in created { rmdir(path) }
            throw Problem(description: "\(directory) cannot be written: \(reason)")
        }
        self.directory = directory
        self.created = created
        let staging = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        self.staging = staging
        writing = BackgroundTask { [queue] in
            while let batch = queue.receive() {
                for (file, text) in batch {
                    if let problem = Self.create("\(staging)/\(file)", named: "\(directory)/\(file)", text()) {
                        queue.cancel()
                        return problem
                    }
                }
            }
            return nil
        }
    }

    deinit {
        queue.close()
        _ = writing.wait()
        if !committed {
            try? FileManager.default.removeItem(atPath: staging)
            for path in created { rmdir(path) }
        }
    }

    /// Writes the inventory file of `organisation` with `systems`, each
    /// value with the comment `comments` gives for its system (by its index).
    public func write(_ organisation: Organisation, systems: [System], comments: (@Sendable (Int) -> Comments)? = nil) {
        enqueue("\(organisation.id).yaml") {
            var text = Text()
            text.append("inventory: 1\norganisation:\n")
            text.emit(Self.entries(organisation), indent: 2)
            if let asOf = organisation.asOf { text.append("as_of: \(asOf.description)\n") }
            text.append(systems.isEmpty ? "systems: []\n" : "systems:\n")
            for (index, system) in systems.enumerated() {
                text.emit(system, comments: comments?(index))
            }
            return text.bytes
        }
    }

    /// Writes the organisations that have no systems of their own into
    /// `organisations.yaml` (`organisations-declared.yaml`, … when an
    /// organisation of that id has its own file).
    public func write(declared: [Organisation]) {
        guard !declared.isEmpty else { return }
        var name = "organisations", number = 1
        while files.contains("\(name).yaml") {
            name = number == 1 ? "organisations-declared" : "organisations-declared-\(number)"
            number += 1
        }
        enqueue("\(name).yaml") {
            var text = Text()
            text.append("inventory: 1\norganisations:\n")
            for organisation in declared {
                text.emit(Self.entries(organisation), indent: 4, firstIndent: "  - ")
            }
            return text.bytes
        }
    }

    /// Writes a local vendors file (`vendors.yaml`, docs/rules-format.md)
    /// with `entries`, each a vendor's mapping.
    public func write(localVendors entries: [Node]) {
        guard !entries.isEmpty else { return }
        enqueue("vendors.yaml") {
            var text = Text()
            text.append("rules: 1\nvendors:\n")
            for entry in entries {
                guard case .mapping(let fields) = entry.content else { continue }
                text.emit(fields, indent: 4, firstIndent: "  - ")
            }
            return text.bytes
        }
    }

    /// Waits for every file to be written, then moves them into the directory asked for.
    public func commit() throws(Problem) {
        queue.close()
        if let problem = writing.wait() { throw problem }
        // Each file is renamed within the directory (the same file system);
        // the names were free when `init` found it empty.
        for file in files.sorted() {
            guard rename("\(staging)/\(file)", "\(directory)/\(file)") == 0 else {
                throw Problem(description: "\(directory)/\(file) cannot be written: \(String(cString: strerror(errno)))")
            }
        }
        committed = true
        rmdir(staging)
    }

    /// Writes `organisations` (those with systems from `systems`) into
    /// `directory`, whole or not at all.
    public static func write(organisations: [Organisation], systems: [String: [System]], to directory: String) throws(Problem) {
        let writer = try InventoryWriter(into: directory)
        for organisation in organisations where organisation.hasInventory {
            writer.write(organisation, systems: systems[organisation.id] ?? [])
        }
        writer.write(declared: organisations.filter { !$0.hasInventory })
        try writer.commit()
    }

    private func enqueue(_ file: String, _ text: @escaping @Sendable () -> [UInt8]) {
        files.insert(file)
        queue.send([(file, text)])
    }

    /// Creates `path` (owner-only, never through a link) with `bytes`; a
    /// problem names the file as `name`.
    private static func create(_ path: String, named name: String, _ bytes: [UInt8]) -> Problem? {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return Problem(description: "\(name) cannot be created: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            guard count > 0 else { return Problem(description: "\(name) cannot be written: \(String(cString: strerror(errno)))") }
            written += count
        }
        return nil
    }

    private static let place = SourceLocation(line: 1, column: 1)

    private static func entries(_ organisation: Organisation) -> [Node.Entry] {
        func text(_ key: String, _ value: String) -> Node.Entry { .text(key, value, at: place) }
        var entries = [text("id", organisation.id), text("name", organisation.name), text("type", organisation.type.rawValue)]
        if let parent = organisation.parent { entries.append(text("parent", parent)) }
        entries.append(text("country", organisation.country))
        return entries
    }
}

/// Inventory text as it is written: UTF-8 appended in place, mappings in
/// block style, lists of scalars in flow style.
private struct Text {
    var bytes: [UInt8] = []
    /// The comment being written for a value (its storage kept from one value to the next).
    private var valueComment = InventoryWriter.Comment()

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func pad(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0x20, count: count))
    }

    /// The entries of a mapping at `indent` spaces, the first after
    /// `firstIndent` when given (a list item's "  - ").
    mutating func emit(_ entries: [Node.Entry], indent: Int, firstIndent: String? = nil) {
        for (index, entry) in entries.enumerated() {
            if index == 0, let firstIndent { append(firstIndent) } else { pad(indent) }
            append(entry.key)
            bytes.append(UInt8(ascii: ":"))
            switch entry.value.content {
            case .scalar(let scalar):
                bytes.append(0x20)
                emit(scalar)
                bytes.append(0x0A)
            case .mapping(let inner):
                if inner.isEmpty {
                    append(" {}\n")
                } else {
                    bytes.append(0x0A)
                    emit(inner, indent: indent + 2)
                }
            case .sequence(let items):
                if items.allSatisfy({ $0.scalar != nil }) {
                    append(" [")
                    for (position, item) in items.enumerated() {
                        if position > 0 { append(", ") }
                        emit(item.scalar!)
                    }
                    append("]\n")
                } else {
                    bytes.append(0x0A)
                    emit(items, indent: indent + 2)
                }
            }
        }
    }

    /// A system as an item of `systems:`, its fields in the order of
    /// `System.fields` (a nested field under its parent's key, where the
    /// parent's first field is), absent answers left out; each value with
    /// the comment `comments` gives for its field.
    mutating func emit(_ system: System, comments: InventoryWriter.Comments?) {
        var first = true
        for entry in SystemLayout.entries {
            switch entry {
            case .field(let position, let key):
                let value = System.fields[position].value(system)
                guard value.isWritten else { continue }
                if first { append("  - ") } else { pad(4) }
                first = false
                emit(value, key: key, field: position, indent: 4, comments: comments)
            case .group(let key, let children):
                var opened = false
                for child in children {
                    let value = System.fields[child.position].value(system)
                    guard value.isWritten else { continue }
                    if !opened {
                        // The parent's key, once it has a field to hold.
                        if first { append("  - ") } else { pad(4) }
                        first = false
                        append(key)
                        append(":\n")
                        opened = true
                    }
                    pad(6)
                    emit(value, key: child.key, field: child.position, indent: 6, comments: comments)
                }
            }
        }
    }

    /// `key: value` of a field at `indent`, with its comment; a list of
    /// records after it, one item per record.
    private mutating func emit(_ value: FieldValue, key: String, field: Int, indent: Int, comments: InventoryWriter.Comments?) {
        append(key)
        bytes.append(UInt8(ascii: ":"))
        switch value {
        case .text(let text?):
            bytes.append(0x20)
            emit(quoted: text)
        case .number(let number?):
            append(" \(number)")
        case .amount(let amount?):
            append(" \(amount)")
        case .flag(let flag?):
            append(flag ? " true" : " false")
        case .words(let words?):
            append(" [")
            for (position, word) in words.enumerated() {
                if position > 0 { append(", ") }
                emit(quoted: word)
            }
            bytes.append(UInt8(ascii: "]"))
        case .entries, .text(nil), .number(nil), .amount(nil), .flag(nil), .words(nil):
            break
        }
        comment(field, comments)
        guard case .entries(let records) = value else { return }
        let keys = System.fields[field].recordKeys
        for record in records {
            pad(indent + 2)
            let written = zip(keys, record).filter { $0.1.isWritten }
            if written.isEmpty { append("- {}\n") }
            for (position, (key, value)) in written.enumerated() {
                if position == 0 { append("- ") } else { pad(indent + 4) }
                emit(value, key: key, field: field, indent: indent + 4, comments: nil)
            }
        }
    }

    /// The items of a list in block style, each `- ` at `indent` spaces; a
    /// mapping's entries go on at `indent + 2`, its first on the dash's line.
    private mutating func emit(_ items: [Node], indent: Int) {
        for item in items {
            pad(indent)
            switch item.content {
            case .scalar(let scalar):
                append("- ")
                emit(scalar)
                bytes.append(0x0A)
            case .mapping(let entries) where entries.isEmpty: append("- {}\n")
            case .mapping(let entries): emit(entries, indent: indent + 2, firstIndent: "- ")
            case .sequence(let inner):
                append("-\n")
                emit(inner, indent: indent + 2)
            }
        }
    }

    /// The comment of `field` (if any) and the line's end.
    private mutating func comment(_ field: Int, _ comments: InventoryWriter.Comments?) {
        if let comments {
            valueComment.bytes.removeAll(keepingCapacity: true)
            comments(field, &valueComment)
            if !valueComment.bytes.isEmpty {
                append("  # ")
                bytes.append(contentsOf: valueComment.bytes)
            }
        }
        bytes.append(0x0A)
    }

    /// A plain scalar as written; text double-quoted.
    private mutating func emit(_ scalar: Scalar) {
        if scalar.isPlain { append(scalar.value) } else { emit(quoted: scalar.value) }
    }

    /// A text double-quoted, with YAML's escapes.
    private mutating func emit(quoted text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most texts are printable ASCII without quotes or backslashes: written as they are.
        let start = bytes.count
        append(text)
        if bytes[start...].contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == 0x22 || $0 == 0x5C }) {
            bytes.removeSubrange(start...)
            for character in text.unicodeScalars {
                switch character {
                case "\"": append("\\\"")
                case "\\": append("\\\\")
                case "\n": append("\\n")
                case "\t": append("\\t")
                case "\r": append("\\r")
                default:
                    if character.value < 0x20 || character.value == 0x7F || (0x80...0x9F).contains(character.value)
                        || character == "\u{2028}" || character == "\u{2029}" || character == "\u{FEFF}" {
                        append(String(format: "\\u%04X", character.value))
                    } else {
                        bytes.append(contentsOf: String(character).utf8)
                    }
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Where a system's fields go in its file: the fields of `System.fields`
/// in their order, a nested one (`hosting.provider`) under its parent's
/// key, the parent placed where its first field is.
private enum SystemLayout {
    enum Entry {
        case field(position: Int, key: String)
        case group(key: String, children: [(position: Int, key: String)])
    }

    static let entries: [Entry] = {
        var entries: [Entry] = []
        for (position, path) in System.fieldPaths.enumerated() {
            guard let key = path.key else {
                entries.append(.field(position: position, key: path.parent))
                continue
            }
            let index = entries.firstIndex { if case .group(path.parent, _) = $0 { true } else { false } }
            if let index, case .group(let parent, let children) = entries[index] {
                entries[index] = .group(key: parent, children: children + [(position, key)])
            } else {
                entries.append(.group(key: path.parent, children: [(position, key)]))
            }
        }
        return entries
    }()
}

extension FieldValue {
    /// Whether a file holds the value: an absent answer and an empty list of records are left out.
    fileprivate var isWritten: Bool {
        switch self {
        case .text(let text): text != nil
        case .number(let number): number != nil
        case .amount(let amount): amount != nil
        case .flag(let flag): flag != nil
        case .words(let words): words != nil
        case .entries(let records): !records.isEmpty
        }
    }
}
