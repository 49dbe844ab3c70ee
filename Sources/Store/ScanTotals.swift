import Crypto
import Domain
import Foundation
import GRDB
import Inventory

/// A contract of a scan, kept so that exit windows are found without reading
/// every system: every contract with an end, whether its notice deadline is
/// still to come, has passed or the contract has ended (a report says which,
/// on its as-of date). Compact, as a million are kept until the scan's
/// organisations are all stored.
struct PendingExit {
    /// The last day to give notice (the contract's end less its notice
    /// period), as the number YYYYMMDD.
    var actBy: Int32
    /// The contract's end, as the number YYYYMMDD.
    var ends: Int32
    /// Lock-in score times criticality weight.
    var urgency: Int32
    /// The organisation, as an index into the scan's list of organisation records.
    var organisation: Int32
    var record: Int64

    init(ends: Day, noticeMonths: Int?, lockIn: Int, weight: Int, record: Int64, organisation: Int) {
        actBy = Int32(ends.adding(months: -(noticeMonths ?? 0)).number)
        self.ends = Int32(ends.number)
        urgency = Int32(lockIn * weight)
        self.record = record
        self.organisation = Int32(organisation)
    }
}

extension Day {
    /// The date as the number YYYYMMDD, as `exit_window.act_by` keeps it.
    var number: Int { year * 10000 + month * 100 + day }

    /// The date of the number YYYYMMDD, or nil when it is none.
    init?(number: Int) {
        self.init(year: number / 10000, month: number / 100 % 100, day: number % 100)
    }
}

/// The totals a scan keeps beside its systems: per organisation, its score
/// tally, findings per rule and vendor exposure; per contract with an end,
/// its exit window.
enum ScanTotals {
    /// Writes the tallies of a scan's organisations. `columns` are v3's for
    /// the v3 migration, which runs before the columns of v5 and v7 exist
    /// (the v5 migration fills its columns in for the scans stored before;
    /// v7's stay NULL).
    static func write(_ db: Database, scanID: Int64, tallies: [String: ScoreTally], columns: SchemaColumns = .current) throws {
        let current = columns == .current
        let laterColumns = current
            ? ", critical_systems, annual_cost_cents, cost_stated, personal_data, personal_data_outside_bloc, personal_data_foreign_law"
                + ", lock_in_unknown_points, jurisdiction_unknown_points"
            : ""
        func placeholders(_ count: Int) -> String {
            Array(repeating: "?", count: count + (current ? 8 : 0)).joined(separator: ", ")
        }
        func values(_ counts: ExposureCounts, _ scores: WeightedScores) -> [(any DatabaseValueConvertible)?] {
            guard current else { return [] }
            return [counts.criticalSystems, counts.annualCostCents, counts.costStated, counts.personalData,
                    counts.personalDataOutsideBloc, counts.personalDataUnderForeignLaw, scores.lockInUnknownPoints, scores.jurisdictionUnknownPoints]
        }
        let organisation = try db.makeStatement(sql: """
            INSERT INTO organisation_score (scan_id, org_id, systems, users, weight, lock_in_points, jurisdiction_points,
                lock_in_low, lock_in_medium, lock_in_high, lock_in_critical,
                jurisdiction_low, jurisdiction_medium, jurisdiction_high, jurisdiction_critical,
                personal_data_abroad, unknown_answers\(laterColumns))
            VALUES (\(placeholders(17)))
            """)
        let rule = try db.makeStatement(sql: "INSERT INTO organisation_rule (scan_id, org_id, rule, systems, points) VALUES (?, ?, ?, ?, ?)")
        let vendor = try db.makeStatement(sql: """
            INSERT INTO vendor_exposure (scan_id, org_id, vendor, vendor_name, vendor_country, systems, users, share,
                lock_in_max, lock_in_weighted, jurisdiction_max, jurisdiction_weighted, weight, lock_in_points, jurisdiction_points\(laterColumns))
            VALUES (\(placeholders(15)))
            """)
        let question = current ? try db.makeStatement(sql: """
            INSERT INTO organisation_question (scan_id, org_id, question, systems, lock_in_points, jurisdiction_points) VALUES (?, ?, ?, ?, ?, ?)
            """) : nil
        let example = current ? try db.makeStatement(sql: """
            INSERT INTO organisation_question_system (scan_id, org_id, question, system_id, points) VALUES (?, ?, ?, ?, ?)
            """) : nil
        for (id, tally) in tallies {
            let scores = tally.scores
            let bands = tally.lockInBands.counts + tally.jurisdictionBands.counts
            try organisation.execute(arguments: StatementArguments(
                [scanID, id, scores.systems, tally.users, scores.weight, scores.lockInPoints, scores.jurisdictionPoints]
                    + bands.map { $0 as (any DatabaseValueConvertible)? }
                    + [tally.exposure.personalDataAbroad, tally.unknownAnswers] + values(tally.exposure, scores)))
            for (ruleID, counted) in tally.rules {
                try rule.execute(arguments: [scanID, id, ruleID, counted.systems, counted.points])
            }
            for (vendorID, share) in tally.vendors {
                let weight = Double(share.scores.weight)
                try vendor.execute(arguments: StatementArguments([
                    scanID, id, vendorID, share.name, share.country, share.scores.systems, share.users, weight / Double(scores.weight),
                    share.lockInMax, Double(share.scores.lockInPoints) / weight, share.jurisdictionMax,
                    Double(share.scores.jurisdictionPoints) / weight, share.scores.weight, share.scores.lockInPoints,
                    share.scores.jurisdictionPoints,
                ] + values(share.exposure, share.scores)))
            }
            for (name, open) in tally.questions {
                try question?.execute(arguments: [scanID, id, name, open.systems, open.lockInPoints, open.jurisdictionPoints])
                for system in open.examples {
                    try example?.execute(arguments: [scanID, id, name, system.system, system.points])
                }
            }
        }
    }

    /// Stores the scan's contracts as an exit set, once: an unchanged
    /// re-scan (the same records, scores and contracts) refers to the set
    /// stored before. `exits` is sorted in place.
    static func write(_ db: Database, scanID: Int64, exits: inout [PendingExit], organisationRecords: [Int64]) throws {
        exits.sort { ($0.actBy, $0.record) < ($1.actBy, $1.record) }
        let hash = ExitSet.hash(count: exits.count) { index in
            let exit = exits[index]
            return (Int64(exit.actBy), Int64(exit.ends), exit.record, organisationRecords[Int(exit.organisation)], Int64(exit.urgency))
        }
        var setID = try Int64.fetchOne(db, sql: "SELECT id FROM exit_set WHERE hash = ?", arguments: [hash])
        if setID == nil {
            try db.execute(sql: "INSERT INTO exit_set (hash) VALUES (?)", arguments: [hash])
            setID = db.lastInsertedRowID
            let insert = try BulkInsert(db, "INSERT OR IGNORE INTO exit_window (set_id, act_by, ends, record_id, org_record_id, urgency)",
                                        columns: 6, rowsPerStatement: 64)
            // In key order, each row lands at the end of the table.
            for exit in exits {
                try insert.insert(in: db) { row in
                    row.bind(setID!)
                    row.bind(Int(exit.actBy))
                    row.bind(Int(exit.ends))
                    row.bind(exit.record)
                    row.bind(organisationRecords[Int(exit.organisation)])
                    row.bind(Int(exit.urgency))
                }
            }
            try insert.flush(in: db)
        }
        try db.execute(sql: "UPDATE scan SET exit_set_id = ? WHERE id = ?", arguments: [setID, scanID])
    }

    /// Keeps the totals of every scan written before they were kept
    /// (migration `v3-totals`), from the scan's stored systems. The exit
    /// sets that migration also made are made by `v6-exit-status`
    /// (`rebuildExitSets`), which replaced their table.
    static func backfill(_ db: Database) throws {
        for scanID in try Int64.fetchAll(db, sql: "SELECT id FROM scan ORDER BY id") {
            let scan = try SnapshotDatabase.scan(SQLiteConnection(db), requested: scanID, path: "")
            let contents = try SnapshotDatabase.contents(SQLiteConnection(db), scan: scan, columns: .v3)
            try db.execute(sql: "DELETE FROM vendor_exposure WHERE scan_id = ?", arguments: [scanID])
            try write(db, scanID: scanID, tallies: contents.tallies, columns: .v3)
        }
    }

    /// Makes the exit set of every scan from its stored systems (migration
    /// `v6-exit-status`), as the scan would have written it: every contract
    /// with an end, past ones too.
    static func rebuildExitSets(_ db: Database, columns: SchemaColumns) throws {
        for scanID in try Int64.fetchAll(db, sql: "SELECT id FROM scan ORDER BY id") {
            let organisations = try SnapshotDatabase.organisations(SQLiteConnection(db), scanID: scanID)
            let numbers = Dictionary(organisations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            var exits: [PendingExit] = []
            try SnapshotDatabase.forEachSystem(SQLiteConnection(db), scanID: scanID, .all, columns: columns) { system, _ in
                guard let ends = system.contractEnds.flatMap(Day.init(iso:)), let organisation = numbers[system.organisation] else { return }
                exits.append(PendingExit(ends: ends, noticeMonths: system.noticeMonths, lockIn: system.lockIn,
                                         weight: Criticality.weight(ofStored: system.criticality), record: system.record,
                                         organisation: organisation))
            }
            try write(db, scanID: scanID, exits: &exits, organisationRecords: organisations.map(\.record))
        }
    }
}

/// The totals of the scan being written, tallied as its systems are written
/// so that no pass over the snapshot is needed at the end.
struct TotalsKeeper {
    /// The record of each organisation of the scan.
    var organisationRecords: [String: Int64] = [:]
    private var tallies: [String: ScoreTally] = [:]
    /// The organisation whose systems are being written, kept out of the
    /// dictionary while it grows.
    private var current: OrganisationTally?
    private var organisationNumbers: [String: Int] = [:]
    private var organisationIDs: [String] = []
    private var exits: [PendingExit] = []
    /// Organisations with a system scored again at the end of the scan, and
    /// the new urgency of each such system.
    private var revised: Set<String> = []
    private var revisedUrgencies: [Int64: Int32] = [:]

    /// Systems of one organisation with the same assessment: added to its
    /// tally together, so that each finding is counted once per assessment.
    fileprivate struct AssessmentUse {
        let assessment: StoredAssessment
        var systems = 0
        var weight = 0
        var users = 0
        var critical = 0
        var annualCostCents = 0
        var costStated = 0
        /// The heaviest of its systems (by criticality weight, then id), as
        /// many as a question names as examples.
        var heaviest: [(system: String, weight: Int)] = []

        init(assessment: StoredAssessment) {
            self.assessment = assessment
        }

        init(assessment: StoredAssessment, system: System) {
            self.assessment = assessment
            add(system)
        }

        mutating func add(_ system: System) {
            if !assessment.unknownPoints.questions.isEmpty { keepIfHeaviest(system) }
            systems += 1
            weight += system.criticality.weight
            users += system.users ?? 0
            if system.criticality.weight >= Criticality.high.weight { critical += 1 }
            if let cost = system.contract?.annualCostEUR {
                annualCostCents += EuroCents.of(euros: cost)
                costStated += 1
            }
        }

        private mutating func keepIfHeaviest(_ system: System) {
            heaviest.keepLeading((system: system.id, weight: system.criticality.weight), limit: QuestionTally.exampleLimit) {
                (-$0.weight, $0.system) < (-$1.weight, $1.system)
            }
        }

        var exposure: ExposureCounts {
            ExposureCounts(count: systems, critical: critical, annualCostCents: annualCostCents, costStated: costStated,
                           personalData: assessment.personalData, abroad: assessment.personalData.isAbroad)
        }
    }

    mutating func add(_ record: SystemRecord, recordID: Int64, assessment: StoredAssessment) {
        let system = record.system, weight = system.criticality.weight
        if current?.id != record.organisationID {
            finishOrganisation()
            current = OrganisationTally(id: record.organisationID, tally: tallies.removeValue(forKey: record.organisationID) ?? ScoreTally())
        }
        current!.add(system, assessment)
        if let ends = system.contract?.ends {
            exits.append(PendingExit(ends: ends, noticeMonths: system.contract?.noticeMonths, lockIn: assessment.lockIn, weight: weight,
                                     record: recordID, organisation: number(of: record.organisationID)))
        }
    }

    /// A system of the scan was scored again.
    mutating func revise(_ record: SystemRecord, recordID: Int64, assessment: StoredAssessment) {
        revised.insert(record.organisationID)
        revisedUrgencies[recordID] = Int32(assessment.lockIn * record.system.criticality.weight)
    }

    private mutating func finishOrganisation() {
        guard let current else { return }
        tallies[current.id] = current.folded
        self.current = nil
    }

    private mutating func number(of organisation: String) -> Int {
        if let known = organisationNumbers[organisation] { return known }
        organisationIDs.append(organisation)
        organisationNumbers[organisation] = organisationIDs.count - 1
        return organisationIDs.count - 1
    }

    /// Writes the totals of a scan whose organisations are stored. The
    /// organisations with a revised system are tallied again from the stored
    /// rows: a maximum cannot be taken back.
    mutating func write(_ db: Database, scanID: Int64) throws {
        finishOrganisation()
        let scan = try SnapshotDatabase.scan(SQLiteConnection(db), requested: scanID, path: "")
        if !revised.isEmpty {
            let stored = try SnapshotDatabase.contents(SQLiteConnection(db), scan: scan, only: revised).tallies
            for id in revised { tallies[id] = stored[id] }
        }
        try ScanTotals.write(db, scanID: scanID, tallies: tallies)
        // Every organisation of the scan is stored by now (a document yields
        // its organisation after its systems).
        let records = organisationIDs.map { organisationRecords[$0] ?? 0 }
        if !revisedUrgencies.isEmpty {
            for index in exits.indices {
                if let urgency = revisedUrgencies[exits[index].record] { exits[index].urgency = urgency }
            }
        }
        try ScanTotals.write(db, scanID: scanID, exits: &exits, organisationRecords: records)
    }
}

/// One organisation's systems as they are tallied: those that share an
/// assessment counted together, and added to its tally when it is complete.
struct OrganisationTally {
    let id: String
    private var tally: ScoreTally
    private var uses: [Int: TotalsKeeper.AssessmentUse] = [:]

    init(id: String, tally: ScoreTally = ScoreTally()) {
        self.id = id
        self.tally = tally
    }

    mutating func add(_ system: System, _ assessment: StoredAssessment) {
        if let number = assessment.number {
            uses[number, default: TotalsKeeper.AssessmentUse(assessment: assessment)].add(system)
        } else {
            tally.add(TotalsKeeper.AssessmentUse(assessment: assessment, system: system), organisation: id)
        }
    }

    /// Whether no system was added.
    var isEmpty: Bool { uses.isEmpty && tally.scores.systems == 0 }

    /// The tally with every system added.
    var folded: ScoreTally {
        var tally = tally
        for use in uses.values { tally.add(use, organisation: id) }
        return tally
    }
}

extension ScoreTally {
    fileprivate mutating func add(_ use: TotalsKeeper.AssessmentUse, organisation: String) {
        let assessment = use.assessment
        addSystems(count: use.systems, weight: use.weight, users: use.users, exposure: use.exposure, vendor: assessment.vendor,
                   vendorName: assessment.vendorName, vendorCountry: assessment.vendorCountry, lockIn: assessment.lockIn,
                   lockInBand: assessment.lockInBand, jurisdiction: assessment.jurisdiction, jurisdictionBand: assessment.jurisdictionBand,
                   unknownAnswers: assessment.unknownAnswers, unknown: assessment.unknownPoints)
        for finding in assessment.findings {
            addFinding(count: use.systems, rule: finding.rule, points: finding.points, accepted: finding.accepted)
        }
        addQuestions(assessment.unknownPoints.questions, count: use.systems, weight: use.weight, organisation: organisation,
                     heaviest: use.heaviest)
    }
}

/// The totals of a scan tallied in memory from its items, as the store
/// keeps them, for a report on a scan that is not stored: an import's
/// answers to ask for first.
public struct UnstoredTotals {
    private var organisations: [String: Organisation] = [:]
    /// The organisation whose systems are coming, and the tallies of those done.
    private var current: OrganisationTally?
    private var tallies: [String: ScoreTally] = [:]
    /// Organisations scored again whole at the end of the scan: their
    /// systems come again, and count from then on.
    private var revised: [String: OrganisationTally] = [:]

    public init() {}

    /// Adds an organisation; a scan yields it before its systems, so the
    /// organisation before it is complete.
    public mutating func add(_ organisation: Organisation) {
        finishOrganisation()
        organisations[organisation.id] = organisation
        current = OrganisationTally(id: organisation.id)
    }

    /// Adds a system of the organisation added last, with its assessment
    /// (systems that share one share its number); a `revised` one was scored
    /// again, at the end of the scan, with every other system of its organisation.
    public mutating func add(_ system: System, organisationID organisation: String, assessment: StoredAssessment, revised: Bool) {
        if revised {
            self.revised[organisation, default: OrganisationTally(id: organisation)].add(system, assessment)
        } else {
            current?.add(system, assessment)
        }
    }

    private mutating func finishOrganisation() {
        // An organisation without systems has no tally, as in the store.
        if let current, !current.isEmpty { tallies[current.id] = current.folded }
        current = nil
    }

    /// The totals as `SnapshotDatabase.totals(scanID:)` would read them back.
    public func totals(asOf: Day) -> SnapshotTotals {
        var finished = self
        finished.finishOrganisation()
        for (id, tally) in revised { finished.tallies[id] = tally.folded }
        let records = organisations.values.sorted { $0.id < $1.id }.enumerated().map { index, organisation in
            SnapshotContents.Organisation(record: Int64(index + 1), id: organisation.id, name: organisation.name, type: organisation.type.rawValue,
                                          parent: organisation.parent, country: organisation.country, asOf: organisation.asOf?.description,
                                          hasInventory: organisation.hasInventory)
        }
        return SnapshotTotals(scanID: 0, asOf: asOf.description, organisations: records, tallies: finished.tallies,
                              ruleTitles: [:], countries: [:])
    }
}

/// The content hash by which a scan's exit windows are stored once
/// (`exit_set.hash`), on either engine.
public enum ExitSet {
    /// The hash of `count` rows in key order (act-by day, then record):
    /// "exit-set/2" and each row's five numbers (act-by day, end day, the
    /// system's record, the organisation's record, urgency) as 64-bit
    /// little-endian integers ("exit-set/1" sets, before v6-exit-status,
    /// held the contracts still to come only). The bytes go to the hash
    /// 64 KB at a time: one update per number cost more than the rest, and
    /// all at once would hold 40 bytes per contract (40 MB at a million systems).
    public static func hash(count: Int, row: (Int) -> (actBy: Int64, ends: Int64, record: Int64, organisationRecord: Int64, urgency: Int64)) -> Data {
        var content = SHA256()
        var chunk = Array("exit-set/2".utf8)
        chunk.reserveCapacity(1 << 16)
        func put(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { chunk.append(contentsOf: $0) }
            if chunk.count >= 1 << 16 {
                content.update(data: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        for index in 0..<count {
            let numbers = row(index)
            put(numbers.actBy)
            put(numbers.ends)
            put(numbers.record)
            put(numbers.organisationRecord)
            put(numbers.urgency)
        }
        content.update(data: chunk)
        return Data(content.finalize())
    }
}
