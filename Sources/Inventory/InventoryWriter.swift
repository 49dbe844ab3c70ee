import Domain
import Foundation
import YAMLReading

/// Writes organisations and their systems as inventory files
/// (docs/inventory.md) that `validate` reads back to the same records:
/// `organisations.yaml` with the organisations that have no systems of
/// their own, and one file per organisation with systems. Every text is
/// written double-quoted, so that no value is read as another type.
public enum InventoryWriter {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Writes into `directory`: a new one (created owner-only) or an empty
    /// one, so that nothing is written over. Each file is created owner-only,
    /// never through a link.
    /// `provenance`: `organisation/system` → field → where its value came
    /// from, written as a comment after the value.
    public static func write(organisations: [Organisation], systems: [String: [System]], to directory: String,
                             provenance: [String: [String: String]] = [:]) throws {
        var documents: [(file: String, text: String)] = []
        for organisation in organisations where organisation.hasInventory {
            var entries = [entry("organisation", node(organisation))]
            if let asOf = organisation.asOf { entries.append(entry("as_of", scalar(asOf.description, plain: true))) }
            let members = systems[organisation.id] ?? []
            var text = "inventory: 1\n" + emit(entries) + "systems:" + (members.isEmpty ? " []\n" : "\n")
            for system in members {
                let notes = provenance["\(organisation.id)/\(system.id)"] ?? [:]
                guard case .mapping(let fields) = system.node(at: place).content else { continue }
                text += "  - " + emit(fields, indent: 4, comment: { notes[$0] }).dropFirst(4)
            }
            documents.append(("\(organisation.id).yaml", text))
        }
        let declared = organisations.filter { !$0.hasInventory }
        if !declared.isEmpty {
            // An organisation may have the id `organisations`.
            let name = documents.contains { $0.file == "organisations.yaml" } ? "organisations-declared.yaml" : "organisations.yaml"
            let list = Node(.sequence(declared.map(node)), at: place)
            documents.insert((name, "inventory: 1\n" + emit([entry("organisations", list)])), at: 0)
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Problem(description: "\(directory) is a file, not a directory") }
            guard try manager.contentsOfDirectory(atPath: directory).isEmpty else {
                throw Problem(description: "\(directory) is not empty; name a new or empty directory (nothing was written)")
            }
        } else {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Problem(description: "\(directory) cannot be created: \(error.localizedDescription)")
            }
        }
        for document in documents {
            let path = "\(directory)/\(document.file)"
            let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw Problem(description: "\(path) cannot be created: \(String(cString: strerror(errno)))") }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: Data(document.text.utf8))
                try handle.close()
            } catch {
                throw Problem(description: "\(path) cannot be written: \(error.localizedDescription)")
            }
        }
    }

    private static let place = SourceLocation(line: 1, column: 1)

    private static func scalar(_ text: String, plain: Bool) -> Node {
        Node(.scalar(Scalar(value: text, isPlain: plain)), at: place)
    }

    private static func entry(_ key: String, _ value: Node) -> Node.Entry {
        Node.Entry(key: key, keyLocation: place, value: value)
    }

    private static func node(_ organisation: Organisation) -> Node {
        var entries = [entry("id", scalar(organisation.id, plain: false)), entry("name", scalar(organisation.name, plain: false)),
                       entry("type", scalar(organisation.type.rawValue, plain: false))]
        if let parent = organisation.parent { entries.append(entry("parent", scalar(parent, plain: false))) }
        entries.append(entry("country", scalar(organisation.country, plain: false)))
        return Node(.mapping(entries), at: place)
    }

    /// The entries of a mapping in block style at `indent` spaces; `comment`
    /// gives a comment for a key by its dotted path (`hosting.provider`).
    static func emit(_ entries: [Node.Entry], indent: Int = 0, path: String = "", comment: (String) -> String? = { _ in nil }) -> String {
        let pad = String(repeating: " ", count: indent)
        var text = ""
        for entry in entries {
            // A comment is one line of printable text.
            let note = comment(path + entry.key).map { text in
                "  # " + String(text.unicodeScalars.map { $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : " " })
            } ?? ""
            text += pad + entry.key + ":"
            switch entry.value.content {
            case .scalar(let scalar):
                text += " " + emit(scalar) + note + "\n"
            case .mapping(let inner):
                text += inner.isEmpty ? " {}\(note)\n" : "\n" + emit(inner, indent: indent + 2, path: path + entry.key + ".", comment: comment)
            case .sequence(let items):
                let scalars = items.compactMap(\.scalar)
                if scalars.count == items.count {
                    text += " [" + scalars.map(emit).joined(separator: ", ") + "]" + note + "\n"
                } else {
                    text += note + "\n" + emit(items, indent: indent + 2)
                }
            }
        }
        return text
    }

    /// The items of a list in block style, each `- ` at `indent` spaces; a
    /// mapping's entries go on at `indent + 2`, its first on the dash's line.
    static func emit(_ items: [Node], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var text = ""
        for item in items {
            switch item.content {
            case .scalar(let scalar): text += pad + "- " + emit(scalar) + "\n"
            case .mapping(let entries) where entries.isEmpty: text += pad + "- {}\n"
            case .mapping(let entries): text += pad + "- " + emit(entries, indent: indent + 2).dropFirst(indent + 2)
            case .sequence(let inner): text += pad + "-\n" + emit(inner, indent: indent + 2)
            }
        }
        return text
    }

    /// A plain scalar as written; text double-quoted with YAML's escapes.
    static func emit(_ scalar: Scalar) -> String {
        guard !scalar.isPlain else { return scalar.value }
        // Most texts are printable ASCII without quotes or backslashes: written as they are.
        if scalar.value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) { return "\"" + scalar.value + "\"" }
        var quoted = "\""
        for character in scalar.value.unicodeScalars {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if character.value < 0x20 || character.value == 0x7F || (0x80...0x9F).contains(character.value) || character == "\u{2028}" || character == "\u{2029}" || character == "\u{FEFF}" {
                    quoted += String(format: "\\u%04X", character.value)
                } else {
                    quoted.unicodeScalars.append(character)
                }
            }
        }
        return quoted + "\""
    }
}
