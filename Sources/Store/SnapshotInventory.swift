import Foundation
import GRDB
import Inventory
import YAMLReading

/// A snapshot's inventory read back from the database: organisations and
/// systems as typed records, so that they can be scored again (with another
/// rule set) and compared field by field.
public struct SnapshotInventory: Sendable {
    public struct Entry: Sendable {
        public var organisation: String
        public var system: System
        public var recordHash: Data
        public var lockIn: Int
        public var jurisdiction: Int
        public var lockInBand: String
        public var jurisdictionBand: String
        public var rules: [String]
    }

    public var scanID: Int64
    public var asOf: String
    public var rulesetHash: String
    public var profile: String?
    public var organisations: [Organisation]
    public var entries: [Entry]
}

extension SnapshotDatabase {
    /// The ids of every scan, oldest first.
    public func scanIDs() throws -> [Int64] {
        try writer.read { try Int64.fetchAll($0, sql: "SELECT id FROM scan ORDER BY id") }
    }

    /// The inventory of `scanID` as it was recorded, with each system's scores and the rules that fired.
    public func inventory(scanID: Int64) throws -> SnapshotInventory {
        do {
            return try writer.read { db in
                guard let scan = try Row.fetchOne(db, sql: "SELECT as_of, ruleset_hash, profile FROM scan WHERE id = ?", arguments: [scanID]) else {
                    throw StoreError("there is no scan \(scanID); `sovscan scans` lists them")
                }
                let organisations = try Row.fetchAll(db, sql: """
                    SELECT o.*, so.file, so.line FROM scan_organisation so JOIN organisation o ON o.id = so.record_id
                    WHERE so.scan_id = ? ORDER BY o.org_id
                    """, arguments: [scanID]).compactMap { row -> Organisation? in
                        guard let type = OrganisationType(rawValue: row["type"]) else { return nil }
                        return Organisation(id: row["org_id"], name: row["name"], type: type, parent: row["parent"], country: row["country"],
                                            asOf: (row["as_of"] as String?).flatMap(Day.init(iso:)), hasInventory: row["has_inventory"],
                                            file: row["file"], location: SourceLocation(line: row["line"], column: 1))
                    }
                var subprocessors: [Int64: [Subprocessor]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT p.* FROM system_subprocessor p WHERE p.record_id IN (SELECT record_id FROM scan_system WHERE scan_id = ?)
                    ORDER BY p.record_id, p.position
                    """, arguments: [scanID]) {
                    subprocessors[row["record_id"], default: []].append(Subprocessor(name: row["name"], country: row["country"]))
                }
                var exceptions: [Int64: [RiskException]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.* FROM system_exception e WHERE e.record_id IN (SELECT record_id FROM scan_system WHERE scan_id = ?)
                    ORDER BY e.record_id, e.position
                    """, arguments: [scanID]) {
                    guard let expires = Day(iso: row["expires"]) else { continue }
                    exceptions[row["record_id"], default: []].append(RiskException(
                        rule: row["rule"], reason: row["reason"], owner: row["owner"], expires: expires, location: SourceLocation(line: 1, column: 1)))
                }
                var rules: [Int64: [String]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT assessment_id, rule FROM assessment_finding
                    WHERE accepted = 0 AND assessment_id IN (SELECT assessment_id FROM scan_system WHERE scan_id = ?)
                    ORDER BY assessment_id, position
                    """, arguments: [scanID]) {
                    rules[row["assessment_id"], default: []].append(row["rule"])
                }
                let entries = try Row.fetchAll(db, sql: """
                    SELECT s.*, a.id AS assessment, a.lock_in, a.jurisdiction, a.lock_in_band, a.jurisdiction_band
                    FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
                    WHERE ss.scan_id = ? ORDER BY s.org_id, s.system_id
                    """, arguments: [scanID]).compactMap { row -> SnapshotInventory.Entry? in
                        let recordID: Int64 = row["id"]
                        guard let system = Self.system(row, subprocessors: subprocessors[recordID] ?? [], exceptions: exceptions[recordID] ?? []) else {
                            return nil
                        }
                        return SnapshotInventory.Entry(
                            organisation: row["org_id"], system: system, recordHash: row["hash"], lockIn: row["lock_in"],
                            jurisdiction: row["jurisdiction"], lockInBand: row["lock_in_band"], jurisdictionBand: row["jurisdiction_band"],
                            rules: rules[row["assessment"]] ?? [])
                    }
                return SnapshotInventory(scanID: scanID, asOf: scan["as_of"], rulesetHash: scan["ruleset_hash"], profile: scan["profile"],
                                         organisations: organisations, entries: entries)
            }
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    private static func list(_ text: String?) -> [String]? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode([String].self, from: data)
    }

    private static func system(_ row: Row, subprocessors: [Subprocessor], exceptions: [RiskException]) -> System? {
        guard let deployment = Deployment(rawValue: row["deployment"]), let criticality = Criticality(rawValue: row["criticality"]) else { return nil }
        let hasContract = [row["contract_ends"] as String?, row["contract_governing_law"] as String?].contains { $0 != nil }
            || (row["contract_notice_months"] as Int?) != nil || (row["contract_exit_plan"] as Bool?) != nil
            || (row["contract_annual_cost_eur"] as Double?) != nil
        return System(
            id: row["system_id"], name: row["name"], function: row["function"], product: row["product"], vendor: row["vendor"],
            operatorName: row["operator"], deployment: deployment,
            hosting: Hosting(provider: row["hosting_provider"], dataLocation: list(row["hosting_data_location"]),
                             processingLocation: list(row["hosting_processing_location"]), supportAccess: list(row["hosting_support_access"])),
            subprocessors: subprocessors, licence: row["licence"], users: row["users"], criticality: criticality,
            data: DataProfile(personal: row["data_personal"], specialCategories: row["data_special_categories"],
                              classification: (row["data_classification"] as String?).flatMap(Classification.init(rawValue:))),
            formats: list(row["formats"]), interfaces: list(row["interfaces"]),
            export: (row["export"] as String?).flatMap(ExportAbility.init(rawValue:)),
            telemetry: (row["telemetry"] as String?).flatMap(Telemetry.init(rawValue:)),
            encryptionKeys: (row["encryption_keys"] as String?).flatMap(KeyHolder.init(rawValue:)),
            dependsOn: list(row["depends_on"]) ?? [],
            contract: hasContract ? Contract(ends: (row["contract_ends"] as String?).flatMap(Day.init(iso:)), noticeMonths: row["contract_notice_months"],
                                             exitPlan: row["contract_exit_plan"], annualCostEUR: row["contract_annual_cost_eur"],
                                             governingLaw: row["contract_governing_law"]) : nil,
            substitutability: (row["substitutability"] as String?).flatMap(Substitutability.init(rawValue:)),
            alternatives: list(row["alternatives"]) ?? [], exceptions: exceptions, notes: row["notes"])
    }
}
