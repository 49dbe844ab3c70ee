import Domain
import Foundation
import GRDB
import Reporting
@testable import Store
import Testing

/// The totals a scan keeps per organisation: reports per ministry and
/// organisation add them up instead of reading every system, and must say
/// exactly what reading every system says.
@Suite struct ReportTotalsTests {
    /// The two example snapshots (2025 and 2026) in one database.
    static func examples() throws -> (work: String, store: SnapshotDatabase) {
        let work = Fixture.directory()
        for inventories in ["example-2025", "example"] {
            let result = Binary.run(["scan", Fixture.root + "/inventories/" + inventories, "--quiet"], in: work)
            #expect(result.status == 0, "\(result.stderr)")
        }
        return (work, try SnapshotDatabase(path: work + "/sovscan.db"))
    }

    private func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    private func fromTotals(_ builder: ReportBuilder, _ store: SnapshotDatabase, scanID: Int64) throws -> Report {
        let totals = try store.totals(scanID: scanID)
        return try builder.build(totals, exits: { try store.exitWindows(scanID: scanID, asOf: $0, horizon: $1, first: $2) },
                                 systems: { try store.systems(scanID: scanID, records: $0) })
    }

    @Test func totalsGiveTheReportThatEverySystemGives() throws {
        let (_, store) = try Self.examples()
        var compared = 0
        for scanID: Int64 in [1, 2] {
            let contents = try store.contents(scanID: scanID)
            for level in [ReportLevel.ministry, .organisation] {
                for under in [nil, "bl-im", "stadt-beispielstadt"] {
                    for within in [0, 3, 18, 60] {
                        for limit in [0, 1, 3, 20, nil] as [Int?] {
                            let builder = ReportBuilder(level: level, under: under, withinMonths: within, exitWindowLimit: limit)
                            let expected = try json(builder.build(contents))
                            #expect(try json(fromTotals(builder, store, scanID: scanID)) == expected,
                                    "scan \(scanID), \(level), under \(under ?? "-"), within \(within), limit \(limit.map(String.init) ?? "all")")
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared == 240)
        // Not a comparison of two empty reports: the example has windows to choose from.
        let report = try fromTotals(ReportBuilder(level: .ministry, exitWindowLimit: 3), store, scanID: 2)
        #expect(report.exitWindowCount > 100)
        #expect(report.exitWindows.count == 3)
    }

    /// The vendor and country views add up the vendor totals kept per
    /// organisation: the same views as from the tallies of every system.
    @Test func dependenceViewsFromTotalsAreThoseOfEverySystem() throws {
        let (_, store) = try Self.examples()
        for scanID: Int64 in [1, 2] {
            let kept = try store.totals(scanID: scanID)
            var counted = kept
            counted.tallies = try store.contents(scanID: scanID).tallies
            for level in [ReportLevel.vendor, .country] {
                for under in [nil, "bl-im"] {
                    let builder = ReportBuilder(level: level, under: under, exitWindowLimit: 5)
                    let none: (Day, Day, Int?) throws -> ExitWindowTally = { _, _, _ in ExitWindowTally() }
                    let fromTotals = try builder.build(kept, exits: none, systems: { _ in [] })
                    #expect(try json(fromTotals) == json(builder.build(counted, exits: none, systems: { _ in [] })),
                            "scan \(scanID), \(level), under \(under ?? "-")")
                    #expect(fromTotals.totals.systems > 0)
                }
            }
        }
    }

    /// The list of systems comes in the order asked for, whole, from the store.
    @Test func systemsListInRiskOrder() throws {
        let (_, store) = try Self.examples()
        var risks: [Int] = [], count = 0
        try store.listSystems(scanID: 2, organisations: nil, order: .risk, limit: nil) { system, _ in
            risks.append(Criticality.risk(ofStored: system.criticality, lockIn: system.lockIn, jurisdiction: system.jurisdiction))
            count += 1
        }
        #expect(count == 276)
        #expect(risks == risks.sorted(by: >))
        var under: Set<String> = []
        try store.listSystems(scanID: 2, organisations: ["bl-im-zentrale"], order: .name, limit: 3) { system, _ in under.insert(system.organisation) }
        #expect(under == ["bl-im-zentrale"])
    }

    /// The list keeps one finding per distinct finding list, the heaviest
    /// counted one: for every system it is the one `explain` shows with the
    /// most counted points (then the first rule by id), also where an
    /// exception accepts the heaviest and the next one takes its place.
    @Test func systemsListWithTheHeaviestCountedFinding() throws {
        let (_, store) = try Self.examples()
        var listed: [(organisation: String, system: String, heaviest: String?)] = []
        try store.listSystems(scanID: 2, organisations: nil, order: .risk, limit: nil) { system, heaviest in
            #expect(heaviest?.accepted != true)
            listed.append((system.organisation, system.id, heaviest.map { "\($0.rule) \($0.points)" }))
        }
        #expect(listed.count == 276)
        for (organisation, system, heaviest) in listed {
            let explanation = try store.explain(organisation: organisation, system: system, scanID: 2)
            let explained = explanation.scores.values.flatMap(\.findings).filter { !$0.accepted }
                .max { ($0.points, $1.rule) < ($1.points, $0.rule) }.map { "\($0.rule) \($0.points)" }
            #expect(heaviest == explained, "\(organisation)/\(system)")
        }

        // bl-polizei/analyse accepts jurisdiction.vendor-foreign (14); accept
        // its heaviest, classified-data-outside-bloc (20), too: the next counts.
        let accepted = Fixture.directory()
        try FileManager.default.copyItem(atPath: Fixture.root + "/inventories/example", toPath: accepted + "/example")
        let file = accepted + "/example/land/bl-polizei.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let exception = "    exceptions:\n      - rule: jurisdiction.vendor-foreign\n        reason: >-\n          Übergangslösung"
        #expect(text.contains(exception))
        let edited = text.replacingOccurrences(of: exception, with: """
                exceptions:
                  - {rule: jurisdiction.classified-data-outside-bloc, reason: Test, owner: IT, expires: 2099-12-31}
                  - rule: jurisdiction.vendor-foreign
                    reason: >-
                      Übergangslösung
            """)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: file))
        let scan = Binary.run(["scan", "example", "--quiet"], in: accepted)
        #expect(scan.status == 0, "\(scan.stderr)")
        let csv = Binary.run(["report", "--level", "system", "--format", "csv"], in: accepted).stdout
        let row = try #require(csv.split(separator: "\r\n").first { $0.contains(",analyse,") })
        #expect(row.contains("lock_in.hard-to-substitute") && row.contains(",14,"), "\(row)")
        let explained = Binary.run(["explain", "bl-polizei/analyse"], in: accepted).stdout
        #expect(explained.contains("accepted  jurisdiction.classified-data-outside-bloc"), "\(explained)")
    }

    @Test func theWriterTalliesWhatItsSystemsAddUpTo() throws {
        let (work, store) = try Self.examples()
        for scanID: Int64 in [1, 2] {
            let kept = try store.totals(scanID: scanID).tallies
            let counted = try store.contents(scanID: scanID).tallies
            #expect(kept.count == counted.count)
            for (organisation, tally) in counted {
                #expect(kept[organisation] == tally, "scan \(scanID), \(organisation)")
            }
        }
        // Among them, organisations with systems scored again at the end of
        // the scan (a hosting provider declared in a later file).
        let revised = try DatabaseQueue(path: work + "/sovscan.db").read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM assessment WHERE id NOT IN (SELECT assessment_id FROM scan_system)")
        }
        #expect((revised ?? 0) > 0)
    }

    @Test func migrationKeepsTheTotalsOfEarlierScans() throws {
        let (work, store) = try Self.examples()
        let path = work + "/sovscan.db"
        // Where personal data lies and who holds it was not recorded before
        // v5, nor how much of the scores open questions make up before v7:
        // the report says so rather than counting none.
        func unrecorded(_ report: Report) -> Report {
            var report = report
            report.totals.personalData.outsideBloc = nil
            report.totals.personalData.underForeignLaw = nil
            report.totals.lockIn.unknownPoints = nil
            report.totals.jurisdiction.unknownPoints = nil
            report.groups = report.groups?.map { group in
                var group = group
                group.personalData.outsideBloc = nil
                group.personalData.underForeignLaw = nil
                group.lockIn.unknownPoints = nil
                group.jurisdiction.unknownPoints = nil
                group.answerFirst = []
                return group
            }
            return report
        }
        let before = try [Int64(1), 2].map { try json(unrecorded(fromTotals(ReportBuilder(level: .ministry), store, scanID: $0))) }
        // The database as a sovscan before migration v3 left it (and so before
        // v5; v6 then replaces the exit sets v3 makes).
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                DROP TABLE organisation_score; DROP TABLE organisation_rule; DROP TABLE exit_window; DROP TABLE exit_set;
                ALTER TABLE scan DROP COLUMN exit_set_id;
                ALTER TABLE vendor_exposure DROP COLUMN weight; ALTER TABLE vendor_exposure DROP COLUMN lock_in_points;
                ALTER TABLE vendor_exposure DROP COLUMN jurisdiction_points;
                DROP TABLE ruleset_country; DROP TABLE ruleset_country_law;
                ALTER TABLE assessment DROP COLUMN personal_data; ALTER TABLE assessment DROP COLUMN personal_data_outside_bloc;
                ALTER TABLE assessment DROP COLUMN personal_data_foreign_law;
                ALTER TABLE assessment DROP COLUMN lock_in_unknown_points; ALTER TABLE assessment DROP COLUMN jurisdiction_unknown_points;
                DROP TABLE assessment_question; DROP TABLE organisation_question; DROP TABLE organisation_question_system;
                DELETE FROM grdb_migrations WHERE identifier IN ('v3-totals', 'v5-dependence', 'v6-exit-status', 'v7-unknown-points');
                """)
            for column in ["critical_systems", "annual_cost_cents", "cost_stated", "personal_data", "personal_data_outside_bloc",
                           "personal_data_foreign_law", "lock_in_unknown_points", "jurisdiction_unknown_points"] {
                try db.execute(sql: "ALTER TABLE vendor_exposure DROP COLUMN \(column)")
            }
        }
        let migrated = try SnapshotDatabase(path: path)
        let after = try [Int64(1), 2].map { try json(fromTotals(ReportBuilder(level: .ministry), migrated, scanID: $0)) }
        #expect(after == before)
        let vendors = try fromTotals(ReportBuilder(level: .vendor), migrated, scanID: 2).vendors ?? []
        #expect(vendors.first?.parent == "microsoft" && vendors.first?.spend.systemsStating == 24, "counts the stored systems give")
        let table = Binary.run(["report"], in: work)
        #expect(table.stdout.contains("outside the bloc not recorded"), "\(table.stdout)")
        let report = Binary.run(["report", "--level", "organisation", "--format", "json"], in: work)
        #expect(report.status == 0, "\(report.stderr)")
        // The unanswered points: said once where a level shows them, not
        // where it does not (country), and not as zero.
        let notRecorded = "unanswered: not recorded for this scan"
        for level in ["ministry", "vendor", "system"] {
            let shown = Binary.run(["report", "--level", level], in: work).stdout
            #expect(shown.components(separatedBy: notRecorded).count == 2, "\(level)")
            #expect(!shown.contains("(0 unanswered)") && !shown.contains(" unanswered)"), "\(level)")
        }
        #expect(!Binary.run(["report", "--level", "country"], in: work).stdout.contains("unanswered"))
        #expect(Binary.run(["report", "--format", "markdown"], in: work).stdout.contains("- **unanswered**: not recorded for this scan"))
        #expect(Binary.run(["report", "--format", "html"], in: work).stdout.contains("<dt>unanswered</dt><dd>not recorded for this scan"))
        #expect(!Binary.run(["report"], in: work).stdout.contains("Answer these first"))
        let explained = Binary.run(["explain", "bl-fm-zentrale/entra"], in: work).stdout
        #expect(explained.contains("Lock-in: 76 (critical), its unanswered part not recorded"), "\(explained)")
        #expect(!explained.contains("Open questions"))
        let explainedJSON = Binary.run(["explain", "bl-fm-zentrale/entra", "--format", "json"], in: work).stdout
        #expect(explainedJSON.contains("\"unknown_points\" : null"), "\(explainedJSON)")
    }

    /// Before v6 an exit set held the deadlines still to come on the scan's
    /// as-of date, without the contracts' ends; v6 makes every scan's set
    /// again from its systems, as a scan writes it now.
    @Test func migrationRebuildsTheExitSetsOfEarlierScans() throws {
        let (work, store) = try Self.examples()
        let path = work + "/sovscan.db"
        let dump = """
            SELECT group_concat(row, ' ') FROM (
                SELECT s.id || ':' || w.act_by || ':' || w.ends || ':' || w.record_id || ':' || w.org_record_id || ':' || w.urgency AS row
                FROM scan s JOIN exit_window w ON w.set_id = s.exit_set_id ORDER BY s.id, w.act_by, w.record_id)
            """
        let written: String? = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: dump) }
        let reports = try [Int64(1), 2].map { try json(fromTotals(ReportBuilder(level: .organisation, withinMonths: 60), store, scanID: $0)) }
        // Not two empty dumps: scan 1 (as of 2025-09-30) has deadlines that passed.
        #expect(reports[0].contains("\"status\" : \"missed\""))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE kept AS SELECT w.set_id, w.act_by, w.record_id, w.org_record_id, w.urgency FROM exit_window w
                    WHERE w.act_by >= (SELECT CAST(replace(max(s.as_of), '-', '') AS INTEGER) FROM scan s WHERE s.exit_set_id = w.set_id);
                DROP TABLE exit_window;
                CREATE TABLE exit_window (
                    set_id INTEGER NOT NULL REFERENCES exit_set(id), act_by INTEGER NOT NULL,
                    record_id INTEGER NOT NULL REFERENCES system(id), org_record_id INTEGER NOT NULL REFERENCES organisation(id),
                    severity INTEGER NOT NULL, PRIMARY KEY (set_id, act_by, record_id)
                ) WITHOUT ROWID;
                INSERT INTO exit_window SELECT * FROM kept;
                DROP TABLE kept;
                DELETE FROM grdb_migrations WHERE identifier = 'v6-exit-status';
                """)
        }
        let migrated = try SnapshotDatabase(path: path)
        #expect(try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: dump) } == written)
        #expect(try [Int64(1), 2].map { try json(fromTotals(ReportBuilder(level: .organisation, withinMonths: 60), migrated, scanID: $0)) } == reports)
    }

    @Test func anUnchangedRescanRefersToTheExitWindowsStoredBefore() throws {
        let work = Fixture.directory()
        for _ in 0..<2 {
            #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        }
        let (sets, windows, scans) = try DatabaseQueue(path: work + "/sovscan.db").read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM exit_set"), try Int.fetchOne(db, sql: "SELECT count(*) FROM exit_window"),
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT exit_set_id) FROM scan WHERE exit_set_id IS NOT NULL"))
        }
        #expect(sets == 1 && scans == 1)
        #expect((windows ?? 0) > 100)
    }

    @Test func exitWindowsAreLimitedAndCounted() throws {
        let work = Fixture.write(ReportTests.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let result = Binary.run(["report", "--format", "json", "--exit-windows", "1"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["exit_window_limit"] as? Int == 1)
        let ministry = try #require((json["groups"] as? [[String: Any]])?.first { $0["id"] as? String == "mi" })
        #expect(ministry["exit_window_count"] as? Int == 2)
        // a2's deadline (2026-09-30, the as-of date) comes before a1's
        // (2027-06-30), although a1 is the more urgent (lock-in times 3, high;
        // a2 is low). Before exit windows had a status they were listed by
        // urgency, and a1 came first.
        #expect((ministry["exit_windows"] as? [[String: Any]])?.map { $0["system"] as? String } == ["a2"])
        #expect((ministry["next_exit_window"] as? [String: Any])?["system"] as? String == "a2")
        let table = Binary.run(["report", "--exit-windows", "1"], in: work).stdout
        #expect(table.contains("Exit windows as of 2026-09-30: 0 missed, 0 expired, 2 upcoming within 18 months; the first 1 of 2 listed (--exit-windows all lists every one)\n"))
        let listed = table.components(separatedBy: "\nExit windows as of ").last ?? ""
        #expect(listed.contains("stadt/a2") && !listed.contains("stadt/a1"))
        let all = Binary.run(["report", "--exit-windows", "all"], in: work).stdout.components(separatedBy: "\nExit windows as of ").last ?? ""
        #expect(all.contains("stadt/a1") && all.contains("stadt/a2") && !all.contains("listed (--exit-windows"))
        let csv = Binary.run(["report", "--format", "csv", "--exit-windows", "0"], in: work).stdout
        #expect(csv.contains(",2,2026-09-30,stadt/a2,upcoming,0,0,2,"), "the counts and the next deadline do not depend on the limit")
        let wrong = Binary.run(["report", "--exit-windows", "some"], in: work)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--exit-windows"))
    }
}
