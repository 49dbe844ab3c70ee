import Domain
import Foundation
import Inventory

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
        public var lockInBand: Band
        public var jurisdictionBand: Band
        public var rules: [String]
    }

    public var scanID: Int64
    public var asOf: String
    /// The day (UTC) the scan was made: the date an inventory that gives no
    /// `as_of` was scored as of.
    public var scanDay: Day
    public var rulesetHash: String
    public var profile: String?
    public var organisations: [Organisation]
    public var entries: [Entry]
}

extension SQLStore {
    /// The ids of every scan, oldest first.
    public func scanIDs() throws -> [Int64] {
        try reading { db in try db.values("SELECT id FROM scan ORDER BY id") }
    }

    /// The organisations of two scans with a system that is not in both with
    /// the same record and assessment (added, removed, changed, or scored
    /// differently): all that a diff between them has to say is about these.
    /// A record belongs to one organisation and system id, so comparing the
    /// pairs of record and assessment is enough.
    public func organisationsWithChanges(from earlier: Int64, to later: Int64) throws -> Set<String> {
        try reading { db in
            let pairs = "SELECT record_id, assessment_id FROM scan_system WHERE scan_id = "
            return try Set<String>(db.values("""
                SELECT s.org_id FROM (\(pairs)?1 EXCEPT \(pairs)?2) d JOIN system s ON s.id = d.record_id
                UNION
                SELECT s.org_id FROM (\(pairs)?2 EXCEPT \(pairs)?1) d JOIN system s ON s.id = d.record_id
                """, [earlier, later]))
        }
    }

    /// The inventory of `scanID` as it was recorded, with each system's
    /// scores and the rules that fired: every organisation, and the systems
    /// of `only` those organisations when given.
    public func inventory(scanID: Int64, only: Set<String>?) throws -> SnapshotInventory {
        try inventory(scanID: scanID, systems: only.map { .ofOrganisations($0) } ?? .all)
    }

    /// The inventory of `scanID` with only the systems whose record or
    /// assessment scan `other` does not have: of two scans of nearly the
    /// same inventory (a plan's), what differs, read without the rest.
    public func inventory(scanID: Int64, differingFrom other: Int64) throws -> SnapshotInventory {
        try inventory(scanID: scanID, systems: .differingFrom(other))
    }

    private func inventory(scanID: Int64, systems choice: SystemChoice) throws -> SnapshotInventory {
        try reading { db in
            guard let scan = try db.row("SELECT as_of, started_at, ruleset_hash, profile FROM scan WHERE id = ?", [scanID]) else {
                throw StoreError.noScan(scanID)
            }
            let organisations = try db.rows("""
                SELECT o.*, so.file, so.line FROM scan_organisation so JOIN organisation o ON o.id = so.record_id
                WHERE so.scan_id = ? ORDER BY o.org_id
                """, [scanID]).compactMap { row -> Organisation? in
                    guard let type = OrganisationType(rawValue: row["type"]) else { return nil }
                    return Organisation(id: row["org_id"], name: row["name"], type: type, parent: row["parent"], country: row["country"],
                                        asOf: (row["as_of"] as String?).flatMap(Day.init(iso:)), hasInventory: row["has_inventory"],
                                        file: row["file"], location: SourceLocation(line: row["line"], column: 1))
                }
            // The scan's systems that are asked for.
            let chosen: String, arguments: SQLArguments
            switch choice {
            case .all:
                (chosen, arguments) = ("ss.scan_id = ?1", [scanID])
            case .ofOrganisations(let organisations):
                (chosen, arguments) = ("ss.scan_id = ?1 AND s.org_id IN (\(db.dialect.listValues("?2")))", [scanID, JSONList.encode(organisations.sorted())])
            case .differingFrom(let other):
                (chosen, arguments) = ("""
                    ss.scan_id = ?1 AND NOT EXISTS (
                        SELECT 1 FROM scan_system o WHERE o.scan_id = ?2 AND o.record_id = ss.record_id AND o.assessment_id IS NOT DISTINCT FROM ss.assessment_id)
                    """, [scanID, other])
            }
            func chosenSystems(_ column: String) -> String {
                "SELECT \(column) FROM scan_system ss JOIN system s ON s.id = ss.record_id WHERE \(chosen)"
            }
            var subprocessors: [Int64: [Subprocessor]] = [:]
            for row in try db.rows("""
                SELECT p.* FROM system_subprocessor p WHERE p.record_id IN (\(chosenSystems("ss.record_id")))
                ORDER BY p.record_id, p.position
                """, arguments) {
                subprocessors[row["record_id"], default: []].append(Subprocessor(name: row["name"], country: row["country"]))
            }
            var exceptions: [Int64: [RiskException]] = [:]
            for row in try db.rows("""
                SELECT e.* FROM system_exception e WHERE e.record_id IN (\(chosenSystems("ss.record_id")))
                ORDER BY e.record_id, e.position
                """, arguments) {
                guard let expires = Day(iso: row["expires"]) else { continue }
                exceptions[row["record_id"], default: []].append(RiskException(
                    rule: row["rule"], reason: row["reason"], owner: row["owner"], expires: expires, location: SourceLocation(line: 1, column: 1)))
            }
            var rules: [Int64: [String]] = [:]
            for row in try db.rows("""
                SELECT assessment_id, rule FROM assessment_finding
                WHERE accepted = 0 AND assessment_id IN (\(chosenSystems("ss.assessment_id")))
                ORDER BY assessment_id, position
                """, arguments) {
                rules[row["assessment_id"], default: []].append(row["rule"])
            }
            var entries: [SnapshotInventory.Entry] = []
            var columns: Columns?
            try db.forEachRow("""
                SELECT s.*, a.id AS assessment, a.lock_in, a.jurisdiction, a.lock_in_band, a.jurisdiction_band
                FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
                WHERE \(chosen) ORDER BY s.org_id, s.system_id
                """, arguments) { row in
                // Columns by position, found once: GRDB's lookup by name
                // lowercases the name for every value of every row.
                let c = columns ?? Columns(row.columnNames)
                columns = c
                let recordID: Int64 = row[c["id"]]
                guard let system = Self.system(row, c, subprocessors: subprocessors[recordID] ?? [], exceptions: exceptions[recordID] ?? []) else {
                    return
                }
                entries.append(SnapshotInventory.Entry(
                    organisation: row[c["org_id"]], system: system, recordHash: row[c["hash"]], lockIn: row[c["lock_in"]],
                    jurisdiction: row[c["jurisdiction"]], lockInBand: Band(stored: row[c["lock_in_band"]], score: row[c["lock_in"]]),
                    jurisdictionBand: Band(stored: row[c["jurisdiction_band"]], score: row[c["jurisdiction"]]),
                    rules: rules[row[c["assessment"]]] ?? []))
            }
            guard let scanDay = Day(iso: String((scan["started_at"] as String).prefix(10))) else {
                throw StoreError("scan \(scanID) has no valid start time; the database is damaged")
            }
            return SnapshotInventory(scanID: scanID, asOf: scan["as_of"], scanDay: scanDay, rulesetHash: scan["ruleset_hash"], profile: scan["profile"],
                                     organisations: organisations, entries: entries)
        }
    }

    private static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    private static func system(_ row: StoredRow, _ c: Columns, subprocessors: [Subprocessor], exceptions: [RiskException]) -> System? {
        guard let deployment = Deployment(rawValue: row[c["deployment"]]), let criticality = Criticality(rawValue: row[c["criticality"]]) else { return nil }
        let hasContract = [row[c["contract_ends"]] as String?, row[c["contract_governing_law"]] as String?].contains { $0 != nil }
            || (row[c["contract_notice_months"]] as Int?) != nil || (row[c["contract_exit_plan"]] as Bool?) != nil
            || (row[c["contract_annual_cost_eur"]] as Double?) != nil
        return System(
            id: row[c["system_id"]], name: row[c["name"]], function: row[c["function"]], product: row[c["product"]], vendor: row[c["vendor"]],
            operatorName: row[c["operator"]], deployment: deployment,
            hosting: Hosting(provider: row[c["hosting_provider"]], dataLocation: list(row[c["hosting_data_location"]]),
                             processingLocation: list(row[c["hosting_processing_location"]]), supportAccess: list(row[c["hosting_support_access"]])),
            subprocessors: subprocessors, licence: row[c["licence"]], users: row[c["users"]], criticality: criticality,
            data: DataProfile(personal: row[c["data_personal"]], specialCategories: row[c["data_special_categories"]],
                              classification: (row[c["data_classification"]] as String?).flatMap(Classification.init(rawValue:))),
            formats: list(row[c["formats"]]), interfaces: list(row[c["interfaces"]]),
            export: (row[c["export"]] as String?).flatMap(ExportAbility.init(rawValue:)),
            telemetry: (row[c["telemetry"]] as String?).flatMap(Telemetry.init(rawValue:)),
            encryptionKeys: (row[c["encryption_keys"]] as String?).flatMap(KeyHolder.init(rawValue:)),
            dependsOn: list(row[c["depends_on"]]) ?? [],
            contract: hasContract ? Contract(ends: (row[c["contract_ends"]] as String?).flatMap(Day.init(iso:)), noticeMonths: row[c["contract_notice_months"]],
                                             exitPlan: row[c["contract_exit_plan"]], annualCostEUR: row[c["contract_annual_cost_eur"]],
                                             governingLaw: row[c["contract_governing_law"]]) : nil,
            substitutability: (row[c["substitutability"]] as String?).flatMap(Substitutability.init(rawValue:)),
            alternatives: list(row[c["alternatives"]]) ?? [], exceptions: exceptions, notes: row[c["notes"]])
    }
}

/// The positions of a statement's columns by their exact names.
struct Columns {
    private let positions: [String: Int]

    init(_ names: [String]) {
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    subscript(name: String) -> Int {
        guard let position = positions[name] else { preconditionFailure("no column \(name)") }
        return position
    }
}

/// Which systems of a scan an inventory read holds.
private enum SystemChoice {
    case all
    case ofOrganisations(Set<String>)
    case differingFrom(Int64)
}

