import Domain
import Foundation

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
        public var function: String
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
        /// Nil for a scan stored before sovscan recorded it (schema v5).
        public var personalData: PersonalDataExposure?
        /// As the column `personal_data_abroad` holds it (docs/schema.md).
        var personalDataAbroad: Bool
        public var contractEnds: String?
        public var noticeMonths: Int?
        /// `contract.annual_cost_eur` in euro cents, when stated.
        public var annualCostCents: Int?
        /// How much of the scores open questions make up; nil for a scan
        /// stored before sovscan recorded it (schema v7). Its questions are
        /// read with the snapshot's contents, not with a list of systems.
        public var unknownPoints: UnknownPoints?
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
    public var ruleTitles: [String: TranslatedText]

    public init(scanID: Int64, asOf: String, organisations: [Organisation], systems: [System],
                findings: [Int64: [Finding]], ruleTitles: [String: TranslatedText]) {
        self.scanID = scanID
        self.asOf = asOf
        self.organisations = organisations
        self.systems = systems
        self.findings = findings
        self.ruleTitles = ruleTitles
    }
}

extension SQLStore {
    /// The organisations of a scan, without its systems.
    public func organisations(scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try reading { db in try Self.organisations(db, scanID: scanID) }
    }

    static func organisations(_ db: any SQLConnection, scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try db.rows("""
            SELECT o.id, o.org_id, o.name, o.type, o.parent, o.country, o.as_of, o.has_inventory
            FROM scan_organisation so JOIN organisation o ON o.id = so.record_id
            WHERE so.scan_id = ? ORDER BY o.org_id
            """, [scanID]).map {
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

    static func scan(_ db: any SQLConnection, requested: Int64?, path: String) throws -> ScanHeading {
        guard let scanID = try requested ?? db.value("SELECT max(id) FROM scan") else {
            throw StoreError.noScans(path)
        }
        guard let scan = try db.row("SELECT as_of, ruleset_hash, profile FROM scan WHERE id = ?", [scanID]) else {
            throw StoreError.noScan(scanID)
        }
        let rulesetKey = (scan["ruleset_hash"] as String) + ((scan["profile"] as String?).map { "/" + $0 } ?? "")
        let titles = try StoredRuleTexts.read(db, rulesetKey: rulesetKey).mapValues(\.title)
        return ScanHeading(id: scanID, asOf: scan["as_of"], ruleTitles: titles)
    }

    /// The scan's systems, or those of `only` these organisations, with their
    /// findings; `migrated` as for `forEachSystem`.
    static func contents(_ db: any SQLConnection, scan: ScanHeading, only: Set<String>? = nil, columns: SchemaColumns = .current) throws -> SnapshotContents {
        var organisations = try Self.organisations(db, scanID: scan.id)
        if let only { organisations = organisations.filter { only.contains($0.id) } }
        var systems = try Self.systems(db, scanID: scan.id, only.map { .organisations($0.sorted()) } ?? .all, columns: columns)
        var findings: [Int64: [SnapshotContents.Finding]] = [:]
        let assessments = only == nil
            ? "SELECT DISTINCT assessment_id FROM scan_system WHERE scan_id = ?"
            : db.dialect.listNumbers("?")
        let arguments: SQLArguments = only == nil ? [scan.id] : [JSONList.encode(Set(systems.map(\.assessment)).sorted().map(String.init))]
        try db.forEachRow("""
            SELECT f.assessment_id, f.rule, f.dimension, f.points, f.accepted FROM assessment_finding f
            WHERE f.assessment_id IN (\(assessments))
            ORDER BY f.assessment_id, f.position
            """, arguments) { row in
            findings[row[0], default: []].append(
                SnapshotContents.Finding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4]))
        }
        if columns == .current {
            var questions: [Int64: [UnknownPoints.Question]] = [:]
            try db.forEachRow("""
                SELECT q.assessment_id, q.question, q.lock_in_points, q.jurisdiction_points FROM assessment_question q
                WHERE q.assessment_id IN (\(assessments))
                """, arguments) { row in
                questions[row[0], default: []].append(UnknownPoints.Question(question: row[1], lockIn: row[2], jurisdiction: row[3]))
            }
            for index in systems.indices where systems[index].unknownPoints != nil {
                systems[index].unknownPoints!.questions = questions[systems[index].assessment] ?? []
            }
        }
        return SnapshotContents(scanID: scan.id, asOf: scan.asOf, organisations: organisations, systems: systems,
                                findings: findings, ruleTitles: scan.ruleTitles)
    }

    /// Systems of a scan with their scores, in inventory-id order.
    static func systems(_ db: any SQLConnection, scanID: Int64, _ selection: SystemSelection, columns: SchemaColumns = .current) throws -> [SnapshotContents.System] {
        var systems: [SnapshotContents.System] = []
        try forEachSystem(db, scanID: scanID, selection, columns: columns) { system, _ in systems.append(system) }
        return systems
    }

    /// Visits the systems of a scan with their scores, in `order` (inventory
    /// ids unless given) and at most `limit` of them,
    /// with the id of each one's list of findings when `findingLists` is set
    /// (the schema has them from v4). `columns` are those of the schema
    /// when a migration reads systems before the later columns exist.
    static func forEachSystem(_ db: any SQLConnection, scanID: Int64, _ selection: SystemSelection, findingLists: Bool = false,
                              columns: SchemaColumns = .current, order: SystemOrder = .id, limit: Int? = nil,
                              _ visit: (SnapshotContents.System, _ findingList: Int64?) throws -> Void) throws {
        let filter: String, arguments: SQLArguments
        switch selection {
        case .all:
            (filter, arguments) = ("", [scanID])
        case .organisations(let ids):
            (filter, arguments) = (" AND s.org_id IN (\(db.dialect.listValues("?2")))", [scanID, JSONList.encode(ids)])
        case .records(let records):
            (filter, arguments) = (" AND ss.record_id IN (\(db.dialect.listNumbers("?2")))",
                                   [scanID, JSONList.encode(records.map(String.init))])
        }
        // Read through a cursor, by column position: copying every row
        // first, and finding columns by name (case-insensitively) in each,
        // cost more than the report itself.
        let personalData = columns > .v3 ? "a.personal_data, a.personal_data_outside_bloc, a.personal_data_foreign_law" : "NULL, NULL, NULL"
        let unknownPoints = columns > .v6 ? "a.lock_in_unknown_points, a.jurisdiction_unknown_points" : "NULL, NULL"
        try db.forEachRow("""
            SELECT s.org_id, s.system_id, s.name, s.product, s.users, s.criticality, s.contract_ends, s.contract_notice_months,
                   a.id, a.vendor, a.vendor_name, a.vendor_country, a.lock_in, a.lock_in_band,
                   a.jurisdiction, a.jurisdiction_band, a.unknown_answers, s.function,
                   a.personal_data_abroad, s.id, \(findingLists ? "a.finding_list_id" : "NULL"),
                   s.contract_annual_cost_eur, \(personalData), \(unknownPoints)
            FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
            WHERE ss.scan_id = ?1\(filter) ORDER BY \(order.sql)\(limit.map { " LIMIT \($0)" } ?? "")
            """, arguments) { row in
            try visit(system(row), row[20])
        }
    }

    /// A system of the columns `forEachSystem` selects, by position.
    static func system(_ row: StoredRow) -> SnapshotContents.System {
        let lockIn: Int = row[12], jurisdiction: Int = row[14]
        let cost: Double? = row[21]
        let personalData = (row[22] as Bool?).map { held in
            PersonalDataExposure(held: held, outsideBloc: row[23] ?? false, underForeignLaw: row[24] ?? false)
        }
        let unknownPoints = (row[25] as Int?).map { UnknownPoints(lockIn: $0, jurisdiction: row[26] ?? 0) }
        return SnapshotContents.System(
            organisation: row[0], id: row[1], name: row[2], function: row[17], product: row[3], users: row[4],
            criticality: row[5], vendor: row[9], vendorName: row[10], vendorCountry: row[11],
            lockIn: lockIn, lockInBand: Band(stored: row[13], score: lockIn), jurisdiction: jurisdiction,
            jurisdictionBand: Band(stored: row[15], score: jurisdiction), unknownAnswers: row[16],
            personalData: personalData, personalDataAbroad: row[18], contractEnds: row[6], noticeMonths: row[7],
            annualCostCents: cost.map(EuroCents.of(euros:)), unknownPoints: unknownPoints, assessment: row[8], record: row[19])
    }
}

/// The orders in which a store lists a snapshot's systems. Each ends with
/// organisation and system id, so that every order is total.
public enum SystemOrder: Sendable {
    /// Criticality weight times the higher of the two scores, then the sum of the scores (`Criticality.risk`).
    case risk
    case lockIn
    case jurisdiction
    /// Criticality, then risk.
    case criticality
    case users
    /// `contract.annual_cost_eur`; systems that do not state it last.
    case cost
    case name
    case id

    /// The ORDER BY clause over `system s` and `assessment a`.
    var sql: String {
        let weight = "(CASE s.criticality WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END)"
        // The higher score as a CASE: SQLite writes it max(a, b), PostgreSQL greatest(a, b).
        let risk = "\(weight) * (CASE WHEN a.lock_in >= a.jurisdiction THEN a.lock_in ELSE a.jurisdiction END) DESC, a.lock_in + a.jurisdiction DESC"
        let key = switch self {
        case .risk: risk
        case .lockIn: "a.lock_in DESC, \(weight) DESC"
        case .jurisdiction: "a.jurisdiction DESC, \(weight) DESC"
        case .criticality: "\(weight) DESC, \(risk)"
        case .users: "s.users IS NULL, s.users DESC"
        case .cost: "s.contract_annual_cost_eur IS NULL, s.contract_annual_cost_eur DESC"
        // ASCII letters folded, as both engines' lower() does on text in byte order.
        case .name: "lower(s.name)"
        case .id: ""
        }
        return (key.isEmpty ? "" : key + ", ") + "s.org_id, s.system_id"
    }
}

extension SQLStore {
    /// Visits the systems of a scan in `order`, of `organisations` only when
    /// given, at most `limit` of them, one at a time with their findings: a
    /// list of a million systems holds none of them but the one visited, and
    /// each distinct list of findings once.
    public func listSystems(scanID: Int64, organisations: [String]?, order: SystemOrder, limit: Int?,
                            _ visit: (SnapshotContents.System, SnapshotContents.Finding?) throws -> Void) throws {
        try reading { db in
            // One finding per distinct list, however many systems share
            // it, so that a million systems list in flat memory.
            var heaviest: [Int64: SnapshotContents.Finding] = [:]
            try db.forEachRow("""
                SELECT e.list_id, e.rule, e.dimension, e.points, e.accepted FROM finding_list_entry e
                WHERE e.accepted = 0
                  AND e.list_id IN (SELECT a.finding_list_id FROM scan_system ss JOIN assessment a ON a.id = ss.assessment_id
                                    WHERE ss.scan_id = ?)
                ORDER BY e.list_id, e.points DESC, e.rule
                """, [scanID]) { row in
                let list: Int64 = row[0]
                guard heaviest[list] == nil else { return }
                heaviest[list] = SnapshotContents.Finding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4])
            }
            try Self.forEachSystem(db, scanID: scanID, organisations.map { .organisations($0) } ?? .all, findingLists: true,
                                   order: order, limit: limit) { system, list in
                try visit(system, list.flatMap { heaviest[$0] })
            }
        }
    }
}

/// A scan's id, as-of date and the titles of its rules.
struct ScanHeading {
    var id: Int64
    var asOf: String
    var ruleTitles: [String: TranslatedText]
}

/// Which of a scan's systems to read.
enum SystemSelection {
    case all
    case organisations([String])
    case records([Int64])
}

