import Domain

/// A snapshot's organisations with the totals of their systems: what a
/// report per ministry or organisation needs, read without its systems.
public struct SnapshotTotals: Sendable {
    public var scanID: Int64
    public var asOf: String
    public var organisations: [SnapshotContents.Organisation]
    /// The tally of each organisation with systems.
    public var tallies: [String: ScoreTally]
    public var ruleTitles: [String: TranslatedText]
    /// The rule set's countries by code, as stored with the scan (none for a
    /// scan stored before schema v5).
    public var countries: [String: StoredCountry]

    public init(scanID: Int64, asOf: String, organisations: [SnapshotContents.Organisation], tallies: [String: ScoreTally],
                ruleTitles: [String: TranslatedText], countries: [String: StoredCountry]) {
        self.scanID = scanID
        self.asOf = asOf
        self.organisations = organisations
        self.tallies = tallies
        self.ruleTitles = ruleTitles
        self.countries = countries
    }
}

/// A scan's exit windows on its as-of date up to a horizon, before their
/// systems are read (`SQLStore.exitWindows`).
public struct ExitWindowTally: Sendable {
    /// Per organisation, how many windows it has of each status.
    public var counts: [String: ExitWindowCounts] = [:]
    /// The contracts whose windows a report may list, in deadline order: at
    /// least each organisation's first in the order of a list of exit
    /// windows (missed, expired, upcoming; then the earlier deadline; then
    /// the higher urgency), with every one tied with the last of them.
    public var candidates: [ExitCandidate] = []

    public init() {}
}

/// A contract of a scan's exit set, before its system is read.
public struct ExitCandidate: Sendable {
    public var organisation: String
    /// The last day to give notice: the contract's end less its notice period.
    public var actBy: Day
    /// Where the contract stands on the as-of date.
    public var status: ExitStatus
    /// Lock-in score times criticality weight.
    public var urgency: Int
    public var record: Int64
}

extension SQLStore {
    /// The totals of `scanID` (the latest when nil).
    public func totals(scanID requested: Int64?) throws -> SnapshotTotals {
        try reading { db in
            let scan = try Self.scan(db, requested: requested, path: path)
            return try Self.totals(db, scan: scan)
        }
    }

    private static func totals(_ db: any SQLConnection, scan: ScanHeading) throws -> SnapshotTotals {
        var tallies: [String: ScoreTally] = [:]
        for row in try db.rows("""
            SELECT org_id, systems, users, weight, lock_in_points, jurisdiction_points,
                   lock_in_low, lock_in_medium, lock_in_high, lock_in_critical,
                   jurisdiction_low, jurisdiction_medium, jurisdiction_high, jurisdiction_critical,
                   personal_data_abroad, unknown_answers, \(exposureColumns), \(unknownPointColumns)
            FROM organisation_score WHERE scan_id = ?
            """, [scan.id]) {
            var tally = ScoreTally()
            tally.scores.systems = row[1]
            tally.users = row[2]
            tally.scores.weight = row[3]
            tally.scores.lockInPoints = row[4]
            tally.scores.jurisdictionPoints = row[5]
            tally.lockInBands.counts = [row[6], row[7], row[8], row[9]]
            tally.jurisdictionBands.counts = [row[10], row[11], row[12], row[13]]
            tally.unknownAnswers = row[15]
            tally.exposure = exposure(row, from: 16, abroad: row[14])
            (tally.scores.lockInUnknownPoints, tally.scores.jurisdictionUnknownPoints) = (row[22], row[23])
            tallies[row[0]] = tally
        }
        for row in try db.rows("SELECT org_id, rule, systems, points FROM organisation_rule WHERE scan_id = ?", [scan.id]) {
            tallies[row[0] as String]?.rules[row[1]] = ScoreTally.Rule(systems: row[2], points: row[3])
        }
        for row in try db.rows("""
            SELECT org_id, vendor, vendor_name, vendor_country, systems, users, lock_in_max, jurisdiction_max,
                   weight, lock_in_points, jurisdiction_points, \(exposureColumns), \(unknownPointColumns)
            FROM vendor_exposure WHERE scan_id = ?
            """, [scan.id]) {
            var vendor = ScoreTally.Vendor(name: row[2], country: row[3])
            vendor.scores.systems = row[4]
            vendor.users = row[5]
            vendor.lockInMax = row[6]
            vendor.jurisdictionMax = row[7]
            vendor.scores.weight = row[8]
            vendor.scores.lockInPoints = row[9]
            vendor.scores.jurisdictionPoints = row[10]
            vendor.exposure = exposure(row, from: 11, abroad: 0)
            (vendor.scores.lockInUnknownPoints, vendor.scores.jurisdictionUnknownPoints) = (row[17], row[18])
            tallies[row[0] as String]?.vendors[row[1]] = vendor
        }
        for row in try db.rows("""
            SELECT org_id, question, systems, lock_in_points, jurisdiction_points FROM organisation_question WHERE scan_id = ?
            """, [scan.id]) {
            var question = QuestionTally()
            (question.systems, question.lockInPoints, question.jurisdictionPoints) = (row[2], row[3], row[4])
            tallies[row[0] as String]?.questions[row[1]] = question
        }
        for row in try db.rows("""
            SELECT org_id, question, system_id, points FROM organisation_question_system WHERE scan_id = ?
            """, [scan.id]) {
            let example = QuestionTally.Example(organisation: row[0], system: row[2], points: row[3])
            tallies[row[0] as String]?.questions[row[1]]?.examples.keepLeading(example, limit: QuestionTally.exampleLimit,
                                                                               by: QuestionTally.Example.precedes)
        }
        return SnapshotTotals(scanID: scan.id, asOf: scan.asOf, organisations: try organisations(db, scanID: scan.id),
                              tallies: tallies, ruleTitles: scan.ruleTitles, countries: try countries(db, scanID: scan.id))
    }

    /// The columns of `ExposureCounts` in `organisation_score` and `vendor_exposure`, in the order `exposure(_:from:abroad:)` reads them.
    private static var exposureColumns: String { "critical_systems, annual_cost_cents, cost_stated, personal_data, personal_data_outside_bloc, personal_data_foreign_law" }
    /// The columns of the unknown points in `organisation_score` and `vendor_exposure` (NULL before schema v7).
    private static var unknownPointColumns: String { "lock_in_unknown_points, jurisdiction_unknown_points" }

    private static func exposure(_ row: StoredRow, from first: Int, abroad: Int) -> ExposureCounts {
        var counts = ExposureCounts()
        counts.criticalSystems = row[first]
        counts.annualCostCents = row[first + 1]
        counts.costStated = row[first + 2]
        counts.personalData = row[first + 3]
        counts.personalDataOutsideBloc = row[first + 4]
        counts.personalDataUnderForeignLaw = row[first + 5]
        counts.personalDataAbroad = abroad
        return counts
    }

    /// The countries of a scan's rule set, with the laws reaching each.
    static func countries(_ db: any SQLConnection, scanID: Int64) throws -> [String: StoredCountry] {
        let rulesetHash: String = try db.value("SELECT ruleset_hash FROM scan WHERE id = ?", [scanID]) ?? ""
        var laws: [String: [StoredCountry.Law]] = [:]
        for row in try db.rows("SELECT law, country, name FROM ruleset_country_law WHERE ruleset_hash = ? ORDER BY law",
                                    [rulesetHash]) {
            laws[row[1], default: []].append(StoredCountry.Law(id: row[0], name: row[2]))
        }
        var countries: [String: StoredCountry] = [:]
        for row in try db.rows("SELECT country, name, bloc FROM ruleset_country WHERE ruleset_hash = ?", [rulesetHash]) {
            countries[row[0]] = StoredCountry(code: row[0], name: row[1], bloc: row[2], laws: laws[row[0]] ?? [])
        }
        return countries
    }

    /// The exit windows of a scan on `asOf` up to `horizon`: each
    /// organisation's count of each status, and the contracts a report may
    /// list, at least the `first` of each organisation (all when nil).
    ///
    /// SQLite reads every contract and counts them here, in this process. A
    /// server would spend most of a report sending them (a ministry report
    /// of 1M systems has 400,000 within 18 months: 1.17 s that way, 0.72 s
    /// this), so it counts them itself and sends only each organisation's
    /// first, ranked as `ExitWindowTally.candidates` says.
    public func exitWindows(scanID: Int64, asOf: Day, horizon: Day, first: Int?) throws -> ExitWindowTally {
        try reading { db in
            var organisations: [Int64: String] = [:]
            for organisation in try Self.organisations(db, scanID: scanID) { organisations[organisation.record] = organisation.id }
            var tally = ExitWindowTally()
            let candidate = { (row: StoredRow) -> ExitCandidate? in
                guard let organisation = organisations[row[4]], let actBy = Day(number: row[0]), let ends = Day(number: row[1]),
                      let status = ExitStatus.of(deadline: actBy, ends: ends, asOf: asOf, horizon: horizon) else { return nil }
                return ExitCandidate(organisation: organisation, actBy: actBy, status: status, urgency: row[2], record: row[3])
            }
            guard let first, !db.dialect.isInProcess else {
                // Counted by organisation record, a number, while reading.
                var counts: [Int64: ExitWindowCounts] = [:]
                // In the order of the table's key, which SQLite keeps without being asked and PostgreSQL does not.
                try db.forEachRow("""
                    SELECT act_by, ends, urgency, record_id, org_record_id FROM exit_window
                    WHERE set_id = (SELECT exit_set_id FROM scan WHERE id = ?) AND act_by <= ?
                    ORDER BY act_by, record_id
                    """, [scanID, horizon.number]) { row in
                    guard let candidate = candidate(row) else { return }
                    counts[row[4], default: .init()].count(candidate.status)
                    tally.candidates.append(candidate)
                }
                for (record, found) in counts { tally.counts[organisations[record]!] = found }
                return tally
            }
            // `ExitStatus.of` in SQL: ended before the as-of date, else a deadline before it, else upcoming.
            let status = "CASE WHEN ends < ?1 THEN 'expired' WHEN act_by < ?1 THEN 'missed' ELSE 'upcoming' END"
            try db.forEachRow("""
                SELECT org_record_id, \(status) AS status, COUNT(*) FROM exit_window
                WHERE set_id = (SELECT exit_set_id FROM scan WHERE id = ?2) AND act_by <= ?3
                GROUP BY org_record_id, status
                """, [asOf.number, scanID, horizon.number]) { row in
                guard let organisation = organisations[row[0]], let status = ExitStatus(rawValue: row[1]) else { return }
                tally.counts[organisation, default: .init()][status] = row[2]
            }
            let rank = "CASE WHEN ends < ?1 THEN 1 WHEN act_by < ?1 THEN 0 ELSE 2 END"
            try db.forEachRow("""
                SELECT act_by, ends, urgency, record_id, org_record_id FROM (
                    SELECT act_by, ends, urgency, record_id, org_record_id,
                           RANK() OVER (PARTITION BY org_record_id ORDER BY \(rank), act_by, urgency DESC) AS place
                    FROM exit_window
                    WHERE set_id = (SELECT exit_set_id FROM scan WHERE id = ?2) AND act_by <= ?3) AS ranked
                WHERE place <= ?4 ORDER BY act_by, record_id
                """, [asOf.number, scanID, horizon.number, first]) { row in
                if let candidate = candidate(row) { tally.candidates.append(candidate) }
            }
            return tally
        }
    }

    /// The systems of a scan with these records.
    public func systems(scanID: Int64, records: [Int64]) throws -> [SnapshotContents.System] {
        try reading { db in try Self.systems(db, scanID: scanID, .records(records)) }
    }
}
