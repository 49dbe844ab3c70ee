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
        record.add(subprocessors.flatMap { [$0.name, $0.country ?? "\u{0}"] })
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
        record.add(exceptions.flatMap { [$0.rule, $0.reason, $0.owner, $0.expires.description] })
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
    static func encode(_ values: [String]?) -> String? {
        guard let values else { return nil }
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
            }
            text += "\""
        }
        return text + "]"
    }
}
