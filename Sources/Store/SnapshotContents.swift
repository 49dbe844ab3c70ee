import Domain
import Foundation
import GRDB

/// Everything a report needs of one snapshot: its organisations, and each
/// system with its scores, in inventory-id order.
public struct SnapshotContents: Sendable {
    public struct Organisation: Sendable {
        /// The organisation's record (`organisation.id`).
        public var record: Int64
        public var id: String
        public var name: String
        public var type: String
        public var parent: String?
        public var country: String
        public var asOf: String?
        /// Whether the scan read this organisation's inventory (with its
        /// systems), rather than only its declaration in a list of organisations.
        public var hasInventory: Bool
    }

    public struct System: Sendable {
        public var organisation: String
        public var id: String
        public var name: String
        public var product: String
        public var users: Int?
        public var criticality: String
        public var vendor: String
        public var vendorName: String
        public var vendorCountry: String?
        public var lockIn: Int
        public var lockInBand: Band
        public var jurisdiction: Int
        public var jurisdictionBand: Band
        public var unknownAnswers: Int
        public var personalDataAbroad: Bool
        public var contractEnds: String?
        public var noticeMonths: Int?
        public var assessment: Int64
        /// The system's record (`system.id`).
        public var record: Int64
    }

    public struct Finding: Sendable {
        public var rule: String
        public var dimension: String
        public var points: Int
        public var accepted: Bool
    }

    public var scanID: Int64
    public var asOf: String
    public var organisations: [Organisation]
    public var systems: [System]
    /// The findings of each assessment of the scan.
    public var findings: [Int64: [Finding]]
    /// Rule titles by id, as stored with the scan.
    public var ruleTitles: [String: String]

    public init(scanID: Int64, asOf: String, organisations: [Organisation], systems: [System],
                findings: [Int64: [Finding]], ruleTitles: [String: String]) {
        self.scanID = scanID
        self.asOf = asOf
        self.organisations = organisations
        self.systems = systems
        self.findings = findings
        self.ruleTitles = ruleTitles
    }
}

extension SnapshotDatabase {
    /// The organisations of a scan, without its systems.
    public func organisations(scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try reading { db in try Self.organisations(db, scanID: scanID) }
    }

    static func organisations(_ db: Database, scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try Row.fetchAll(db, sql: """
            SELECT o.id, o.org_id, o.name, o.type, o.parent, o.country, o.as_of, o.has_inventory
            FROM scan_organisation so JOIN organisation o ON o.id = so.record_id
            WHERE so.scan_id = ? ORDER BY o.org_id
            """, arguments: [scanID]).map {
                SnapshotContents.Organisation(record: $0[0], id: $0[1], name: $0[2], type: $0[3], parent: $0[4], country: $0[5], asOf: $0[6],
                                              hasInventory: $0[7])
            }
    }

    /// The contents of `scanID` (the latest when nil).
    public func contents(scanID requested: Int64?) throws -> SnapshotContents {
        try reading { db in
            let scan = try Self.scan(db, requested: requested, path: path)
            return try Self.contents(db, scan: scan)
        }
    }

    /// A scan's id, as-of date and the titles of its rules.
    struct ScanHeading {
        var id: Int64
        var asOf: String
        var ruleTitles: [String: String]
    }

    static func scan(_ db: Database, requested: Int64?, path: String) throws -> ScanHeading {
        guard let scanID = try requested ?? Int64.fetchOne(db, sql: "SELECT max(id) FROM scan") else {
            throw StoreError.noScans(path)
        }
        guard let scan = try Row.fetchOne(db, sql: "SELECT as_of, ruleset_hash, profile FROM scan WHERE id = ?", arguments: [scanID]) else {
            throw StoreError.noScan(scanID)
        }
        let rulesetKey = (scan["ruleset_hash"] as String) + ((scan["profile"] as String?).map { "/" + $0 } ?? "")
        var titles: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT rule, title FROM ruleset_rule WHERE ruleset_hash = ?", arguments: [rulesetKey]) {
            titles[row["rule"]] = row["title"]
        }
        return ScanHeading(id: scanID, asOf: scan["as_of"], ruleTitles: titles)
    }

    /// Which of a scan's systems to read.
    enum SystemSelection {
        case all
        case organisations([String])
        case records([Int64])
    }

    /// The scan's systems, or those of `only` these organisations, with their findings.
    static func contents(_ db: Database, scan: ScanHeading, only: Set<String>? = nil) throws -> SnapshotContents {
        var organisations = try Self.organisations(db, scanID: scan.id)
        if let only { organisations = organisations.filter { only.contains($0.id) } }
        let systems = try Self.systems(db, scanID: scan.id, only.map { .organisations($0.sorted()) } ?? .all)
        var findings: [Int64: [SnapshotContents.Finding]] = [:]
        let assessments = only == nil
            ? "SELECT DISTINCT assessment_id FROM scan_system WHERE scan_id = ?"
            : "SELECT CAST(value AS INTEGER) FROM json_each(?)"
        let findingRows = try Row.fetchCursor(db, sql: """
            SELECT f.assessment_id, f.rule, f.dimension, f.points, f.accepted FROM assessment_finding f
            WHERE f.assessment_id IN (\(assessments))
            ORDER BY f.assessment_id, f.position
            """, arguments: only == nil ? [scan.id] : [JSONList.encode(Set(systems.map(\.assessment)).sorted().map(String.init))])
        while let row = try findingRows.next() {
            findings[row[0], default: []].append(
                SnapshotContents.Finding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4]))
        }
        return SnapshotContents(scanID: scan.id, asOf: scan.asOf, organisations: organisations, systems: systems,
                                findings: findings, ruleTitles: scan.ruleTitles)
    }

    /// Systems of a scan with their scores, in inventory-id order.
    static func systems(_ db: Database, scanID: Int64, _ selection: SystemSelection) throws -> [SnapshotContents.System] {
        var systems: [SnapshotContents.System] = []
        try forEachSystem(db, scanID: scanID, selection) { system, _ in systems.append(system) }
        return systems
    }

    /// Visits the systems of a scan with their scores, in inventory-id order,
    /// with the id of each one's list of findings when `findingLists` is set
    /// (the schema has them from v4; the v3 migration reads systems too).
    static func forEachSystem(_ db: Database, scanID: Int64, _ selection: SystemSelection, findingLists: Bool = false,
                              _ visit: (SnapshotContents.System, _ findingList: Int64?) throws -> Void) throws {
        let filter: String, arguments: StatementArguments
        switch selection {
        case .all:
            (filter, arguments) = ("", [scanID])
        case .organisations(let ids):
            (filter, arguments) = (" AND s.org_id IN (SELECT value FROM json_each(?2))", [scanID, JSONList.encode(ids)])
        case .records(let records):
            (filter, arguments) = (" AND ss.record_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2))",
                                   [scanID, JSONList.encode(records.map(String.init))])
        }
        // Read through a cursor, by column position: copying every row
        // first, and finding columns by name (case-insensitively) in each,
        // cost more than the report itself.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.org_id, s.system_id, s.name, s.product, s.users, s.criticality, s.contract_ends, s.contract_notice_months,
                   a.id, a.vendor, a.vendor_name, a.vendor_country, a.lock_in, a.lock_in_band,
                   a.jurisdiction, a.jurisdiction_band, a.unknown_answers, a.personal_data_abroad, s.id, \(findingLists ? "a.finding_list_id" : "NULL")
            FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
            WHERE ss.scan_id = ?1\(filter) ORDER BY s.org_id, s.system_id
            """, arguments: arguments)
        while let row = try rows.next() {
            let lockIn: Int = row[12], jurisdiction: Int = row[14]
            try visit(SnapshotContents.System(
                organisation: row[0], id: row[1], name: row[2], product: row[3], users: row[4],
                criticality: row[5], vendor: row[9], vendorName: row[10], vendorCountry: row[11],
                lockIn: lockIn, lockInBand: Band(stored: row[13], score: lockIn), jurisdiction: jurisdiction,
                jurisdictionBand: Band(stored: row[15], score: jurisdiction), unknownAnswers: row[16],
                personalDataAbroad: row[17], contractEnds: row[6],
                noticeMonths: row[7], assessment: row[8], record: row[18]), row[19])
        }
    }
}

/// What a report needs of a snapshot before its systems: the scan, its
/// organisations and its rules' titles.
public struct SnapshotOutline: Sendable {
    public var scanID: Int64
    public var asOf: String
    public var organisations: [SnapshotContents.Organisation]
    /// Rule titles by id, as stored with the scan.
    public var ruleTitles: [String: String]

    public init(scanID: Int64, asOf: String, organisations: [SnapshotContents.Organisation], ruleTitles: [String: String]) {
        self.scanID = scanID
        self.asOf = asOf
        self.organisations = organisations
        self.ruleTitles = ruleTitles
    }
}

extension SnapshotDatabase {
    /// Reads every system of `scanID` (the latest when nil) into an
    /// accumulator, one at a time in inventory-id order with its findings,
    /// as `reduce(into:)` does: a report per vendor or system over a million
    /// systems holds none of them but those it keeps, and each distinct list
    /// of findings once.
    public func reduceSystems<Accumulator>(
        scanID requested: Int64?, into start: (SnapshotOutline) throws -> Accumulator,
        _ add: (inout Accumulator, SnapshotContents.System, [SnapshotContents.Finding]) throws -> Void
    ) throws -> Accumulator {
        // The accumulator's own errors (a report's `--under` naming no
        // organisation) reach the caller as they are; the database's are described.
        do {
            return try writer.read { db in
                let scan = try Self.scan(db, requested: requested, path: path)
                var accumulator = try start(SnapshotOutline(scanID: scan.id, asOf: scan.asOf, organisations: Self.organisations(db, scanID: scan.id),
                                                            ruleTitles: scan.ruleTitles))
                var lists: [Int64: [SnapshotContents.Finding]] = [:]
                let entries = try Row.fetchCursor(db, sql: """
                    SELECT e.list_id, e.rule, e.dimension, e.points, e.accepted FROM finding_list_entry e
                    WHERE e.list_id IN (SELECT a.finding_list_id FROM scan_system ss JOIN assessment a ON a.id = ss.assessment_id
                                        WHERE ss.scan_id = ?)
                    ORDER BY e.list_id, e.position
                    """, arguments: [scan.id])
                while let row = try entries.next() {
                    lists[row[0], default: []].append(SnapshotContents.Finding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4]))
                }
                try Self.forEachSystem(db, scanID: scan.id, .all, findingLists: true) { system, list in
                    try add(&accumulator, system, list.flatMap { lists[$0] } ?? [])
                }
                return accumulator
            }
        } catch let error as DatabaseError {
            throw Self.describe(error, path: path)
        }
    }
}
