import Domain
import Foundation
import Inventory

/// The normalised form of a record, from which its content hash is taken:
/// every stored field, in a fixed order. Each value is written so that no
/// value's bytes begin another's: a tag, then for a text its length in bytes
/// and the bytes, for a number its value, for a list the count of its
/// elements and each element; lengths, counts and numbers in LEB128 (seven
/// bits a byte, the last byte's high bit clear), so a short text costs one
/// byte more than itself, as SHA-256 reads every byte of every record. So the bytes of a record decode
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
        appendCount(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func add(_ value: Int?) {
        guard let value else { return bytes.append(Tag.absent.rawValue) }
        bytes.append(Tag.number.rawValue)
        // Zigzag: small negative numbers stay short too.
        appendLEB128(UInt64(bitPattern: Int64(value << 1) ^ Int64(value >> 63)))
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
        appendCount(elements.count)
        for value in elements { element(&self, value) }
    }

    private mutating func appendCount(_ count: Int) {
        appendLEB128(UInt64(count))
    }

    private mutating func appendLEB128(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
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
    /// Each field's value, apart from its name: walking `fields` itself
    /// retains and releases every name, for every system of a scan.
    private static let fieldValues = fields.map(\.value)

    /// The content hash of this system as a record of `organisationID`: every field of `System.fields`.
    func contentHash(organisationID: String) -> ContentHash {
        var record = NormalisedRecord()
        record.add("system/2")
        record.add(organisationID)
        for value in Self.fieldValues { record.add(value(self)) }
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
}
