import Domain
import Foundation
import Inventory

/// The normalised form of a record, from which its content hash is taken:
/// every stored field, in a fixed order. Each value is written so that no
/// value's bytes begin another's: a tag, then for a text its length in bytes
/// and the bytes, for a number its digits and an end mark, for a list the
/// count of its elements and each element. So the bytes of a record decode
/// one way only, whatever its texts contain (separator or control characters
/// included): records with the same hash are the same record. Positions in
/// files are not part of it, so moving a system within or between files
/// changes nothing.
struct NormalisedRecord {
    private enum Tag: UInt8 {
        case absent = 0, text = 1, list = 2, number = 3
    }

    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func add(_ value: String?) {
        guard let value else { return bytes.append(Tag.absent.rawValue) }
        bytes.append(Tag.text.rawValue)
        bytes.append(contentsOf: String(value.utf8.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func add(_ value: Int?) {
        guard let value else { return bytes.append(Tag.absent.rawValue) }
        bytes.append(Tag.number.rawValue)
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: ";"))
    }

    mutating func add(_ value: Bool?) { add(value.map { $0 ? 1 : 0 }) }

    /// As Swift spells it: the shortest digits that read back as the same number.
    mutating func add(_ value: Double?) { add(value.map { "\($0)" }) }

    mutating func add(_ values: [String]?) {
        guard let values else { return bytes.append(Tag.absent.rawValue) }
        add(values) { record, value in record.add(value) }
    }

    /// A list of elements, each written by `element` as fields of its own.
    mutating func add<Element>(_ elements: [Element], _ element: (inout NormalisedRecord, Element) -> Void) {
        bytes.append(Tag.list.rawValue)
        bytes.append(contentsOf: String(elements.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        for value in elements { element(&self, value) }
    }

    mutating func add(_ value: FieldValue) {
        switch value {
        case .text(let text): add(text)
        case .number(let number): add(number)
        case .amount(let amount): add(amount)
        case .flag(let flag): add(flag)
        case .words(let words): add(words)
        case .entries(let entries): add(entries) { record, entry in
            for value in entry { record.add(value) }
        }
        }
    }

    /// Bytes made by another record's `add` calls, as if those calls were made here.
    mutating func append(normalised: [UInt8]) {
        bytes.append(contentsOf: normalised)
    }

    var sha256: ContentHash { ContentHash(of: bytes) }
}

extension System {
    /// The content hash of this system as a record of `organisationID`: every field of `System.fields`.
    func contentHash(organisationID: String) -> ContentHash {
        var record = NormalisedRecord()
        record.add("system/2")
        record.add(organisationID)
        for field in Self.fields { record.add(field.value(self)) }
        return record.sha256
    }
}

extension Organisation {
    /// The content hash of this organisation as recorded (file and position excluded).
    var contentHash: ContentHash {
        var record = NormalisedRecord()
        record.add("organisation/2")
        record.add(id)
        record.add(name)
        record.add(type.rawValue)
        record.add(parent)
        record.add(country)
        record.add(asOf?.description)
        record.add(hasInventory)
        return record.sha256
    }
}

/// Lists as JSON arrays of strings, which SQLite's `json_each` turns into rows.
enum JSONList {
    static func encode(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        append(values, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `values` as a JSON array: quotes, backslashes and control
    /// characters escaped, everything else as it is (UTF-8).
    static func append(_ values: [String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20:
                    let digits = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
                default:
                    bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The strings of a JSON array of strings, as `append` writes them (and
    /// any other spelling JSON allows); nil when the text is no such array.
    static func decode(_ text: String) -> [String]? {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.array()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func array() -> [String]? {
            skipSpace()
            guard take(UInt8(ascii: "[")) else { return nil }
            var values: [String] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return atEnd() ? values : nil }
            while true {
                skipSpace()
                guard let value = string() else { return nil }
                values.append(value)
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { return nil }
                return atEnd() ? values : nil
            }
        }

        private mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var text: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                    case UInt8(ascii: "b"): text.append(0x08)
                    case UInt8(ascii: "f"): text.append(0x0C)
                    case UInt8(ascii: "n"): text.append(0x0A)
                    case UInt8(ascii: "r"): text.append(0x0D)
                    case UInt8(ascii: "t"): text.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        text.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    text.append(byte)
                }
            }
            return nil
        }

        /// `\uXXXX`, with a surrogate pair as one scalar (the `\u` of the first taken).
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(first) {
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let second = hex4(), (0xDC00..<0xE000).contains(second) else { return nil }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            return Unicode.Scalar(first)
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
                  let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
            index += 4
            return value
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private func atEnd() -> Bool {
            var rest = self
            rest.skipSpace()
            return rest.index == bytes.count
        }
    }
}
