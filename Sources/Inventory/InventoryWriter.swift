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
    public struct Comment {
        fileprivate var bytes: [UInt8] = []

        public init() {}

        /// Appends `text`, each control character as a space.
        public mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                if utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) {
                    bytes.append(contentsOf: utf8)
                } else {
                    for byte in utf8 { bytes.append(byte < 0x20 || byte == 0x7F ? 0x20 : byte) }
                }
            }
        }

        public mutating func append(_ number: Int) {
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            var digits = number.magnitude, start = bytes.count
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(digits % 10))
                digits /= 10
            } while digits > 0
            if number < 0 { start += 1 }
            bytes[start...].reverse()
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Writes a system's comment for a value, by the field's dotted path
    /// (`hosting.provider`); a value whose comment stays empty has none.
    public typealias Comments = @Sendable (_ field: String, _ comment: inout Comment) -> Void

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
                guard case .mapping(let fields) = system.node(at: Self.place).content else { continue }
                text.emit(fields, indent: 4, firstIndent: "  - ", comments: comments?(index))
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

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func pad(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0x20, count: count))
    }

    /// The entries of a mapping at `indent` spaces, the first after
    /// `firstIndent` when given (a list item's "  - "); comments by the
    /// value's dotted path.
    mutating func emit(_ entries: [Node.Entry], indent: Int, firstIndent: String? = nil, path: String = "",
                       comments: InventoryWriter.Comments? = nil) {
        for (index, entry) in entries.enumerated() {
            if index == 0, let firstIndent { append(firstIndent) } else { pad(indent) }
            append(entry.key)
            bytes.append(UInt8(ascii: ":"))
            let field = path.isEmpty ? entry.key : path + entry.key
            switch entry.value.content {
            case .scalar(let scalar):
                bytes.append(0x20)
                emit(scalar)
                comment(field, comments)
            case .mapping(let inner):
                if inner.isEmpty {
                    append(" {}")
                    comment(field, comments)
                } else {
                    bytes.append(0x0A)
                    emit(inner, indent: indent + 2, path: field + ".", comments: comments)
                }
            case .sequence(let items):
                if items.allSatisfy({ $0.scalar != nil }) {
                    append(" [")
                    for (position, item) in items.enumerated() {
                        if position > 0 { append(", ") }
                        emit(item.scalar!)
                    }
                    bytes.append(UInt8(ascii: "]"))
                    comment(field, comments)
                } else {
                    comment(field, comments)
                    emit(items, indent: indent + 2)
                }
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
    private mutating func comment(_ field: String, _ comments: InventoryWriter.Comments?) {
        if let comments {
            var comment = InventoryWriter.Comment()
            comments(field, &comment)
            if !comment.bytes.isEmpty {
                append("  # ")
                bytes.append(contentsOf: comment.bytes)
            }
        }
        bytes.append(0x0A)
    }

    /// A plain scalar as written; text double-quoted with YAML's escapes.
    private mutating func emit(_ scalar: Scalar) {
        guard !scalar.isPlain else { return append(scalar.value) }
        bytes.append(UInt8(ascii: "\""))
        // Most texts are printable ASCII without quotes or backslashes: written as they are.
        if scalar.value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            append(scalar.value)
        } else {
            for character in scalar.value.unicodeScalars {
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
