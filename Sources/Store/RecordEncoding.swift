import Crypto
import Inventory

/// The normalised form of a record, from which its content hash is taken:
/// every stored field, in a fixed order, with unambiguous separators. Two
/// records with the same hash are the same record; positions in files are
/// not part of it, so moving a system within or between files changes nothing.
struct NormalisedRecord {
    private var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func add(_ value: String?) {
        if let value {
            bytes.append(0x01)
            bytes.append(contentsOf: value.utf8)
        } else {
            bytes.append(0x00)
        }
        bytes.append(0x1F)
    }

    mutating func add(_ value: Int?) { add(value.map(String.init)) }
    mutating func add(_ value: Bool?) { add(value.map { $0 ? "1" : "0" }) }
    mutating func add(_ value: Double?) { add(value.map { "\($0)" }) }

    mutating func add(_ values: [String]?) {
        guard let values else {
            add(nil as String?)
            return
        }
        bytes.append(0x02)
        for value in values {
            bytes.append(contentsOf: value.utf8)
            bytes.append(0x1E)
        }
        bytes.append(0x1F)
    }

    /// A list written element by element, with the same bytes as `add(_: [String]?)`.
    mutating func addList(_ body: (inout ListWriter) -> Void) {
        bytes.append(0x02)
        var writer = ListWriter(bytes: bytes)
        bytes = []
        body(&writer)
        bytes = writer.bytes
        bytes.append(0x1F)
    }

    struct ListWriter {
        fileprivate var bytes: [UInt8]

        mutating func add(_ value: String) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(0x1E)
        }

        mutating func add(_ value: Int) { add(String(value)) }
    }

    var sha256: [UInt8] { Array(SHA256.hash(data: bytes)) }
}

extension System {
    /// The content hash of this system as a record of `organisationID`.
    func contentHash(organisationID: String) -> [UInt8] {
        var record = NormalisedRecord()
        record.add("system/1")
        record.add(organisationID)
        record.add(id)
        record.add(name)
        record.add(function)
        record.add(product)
        record.add(vendor)
        record.add(operatorName)
        record.add(deployment.rawValue)
        record.add(hosting.provider)
        record.add(hosting.dataLocation)
        record.add(hosting.processingLocation)
        record.add(hosting.supportAccess)
        record.addList { list in
            for subprocessor in subprocessors {
                list.add(subprocessor.name)
                list.add(subprocessor.country ?? "\u{0}")
            }
        }
        record.add(licence)
        record.add(users)
        record.add(criticality.rawValue)
        record.add(data.personal)
        record.add(data.specialCategories)
        record.add(data.classification?.rawValue)
        record.add(formats)
        record.add(interfaces)
        record.add(export?.rawValue)
        record.add(telemetry?.rawValue)
        record.add(encryptionKeys?.rawValue)
        record.add(dependsOn)
        record.add(contract?.ends?.description)
        record.add(contract?.noticeMonths)
        record.add(contract?.exitPlan)
        record.add(contract?.annualCostEUR)
        record.add(contract?.governingLaw)
        record.add(substitutability?.rawValue)
        record.add(alternatives)
        record.addList { list in
            for exception in exceptions {
                list.add(exception.rule)
                list.add(exception.reason)
                list.add(exception.owner)
                list.add(exception.expires.description)
            }
        }
        record.add(notes)
        return record.sha256
    }
}

extension Organisation {
    /// The content hash of this organisation as recorded (file and position excluded).
    var contentHash: [UInt8] {
        var record = NormalisedRecord()
        record.add("organisation/1")
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
