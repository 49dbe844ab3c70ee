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
        return try builder.build(totals, exits: { try store.exitCandidates(scanID: scanID, from: $0, through: $1) },
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

    /// Reports per vendor and system read the systems one at a time, with
    /// the findings of each distinct list: the same report as from every
    /// system with its assessment's findings.
    @Test func systemsReadOneAtATimeGiveTheSameReport() throws {
        let (_, store) = try Self.examples()
        for scanID: Int64 in [1, 2] {
            let contents = try store.contents(scanID: scanID)
            for level in ReportLevel.allCases {
                for under in [nil, "bl-im"] {
                    let builder = ReportBuilder(level: level, under: under, withinMonths: 18, exitWindowLimit: 5)
                    let streamed = try store.reduceSystems(scanID: scanID, into: builder.systemGroups) { $0.add($1, findings: $2) }.report()
                    #expect(try json(streamed) == json(builder.build(contents)), "scan \(scanID), \(level), under \(under ?? "-")")
                    #expect(streamed.totals.systems > 0)
                }
            }
        }
        // The findings come along: the heaviest of a vendor are those of its systems.
        let microsoft = try store.reduceSystems(scanID: 2, into: ReportBuilder(level: .vendor).systemGroups) { $0.add($1, findings: $2) }
            .report().groups.first { $0.id == "microsoft" }
        #expect(try #require(microsoft).heaviestFindings.count == 5)
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
        let before = try [Int64(1), 2].map { try json(fromTotals(ReportBuilder(level: .ministry), store, scanID: $0)) }
        // The database as a sovscan before migration v3 left it.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                DROP TABLE organisation_score; DROP TABLE organisation_rule; DROP TABLE exit_window; DROP TABLE exit_set;
                ALTER TABLE scan DROP COLUMN exit_set_id;
                ALTER TABLE vendor_exposure DROP COLUMN weight; ALTER TABLE vendor_exposure DROP COLUMN lock_in_points;
                ALTER TABLE vendor_exposure DROP COLUMN jurisdiction_points;
                DELETE FROM grdb_migrations WHERE identifier = 'v3-totals';
                """)
        }
        let migrated = try SnapshotDatabase(path: path)
        let after = try [Int64(1), 2].map { try json(fromTotals(ReportBuilder(level: .ministry), migrated, scanID: $0)) }
        #expect(after == before)
        let report = Binary.run(["report", "--level", "organisation", "--format", "json"], in: work)
        #expect(report.status == 0, "\(report.stderr)")
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
        // a1: lock-in times 3 (high) outranks a2 (low); a2's deadline comes first.
        #expect((ministry["exit_windows"] as? [[String: Any]])?.map { $0["system"] as? String } == ["a1"])
        #expect((ministry["next_exit_window"] as? [String: Any])?["system"] as? String == "a2")
        let table = Binary.run(["report", "--exit-windows", "1"], in: work).stdout
        #expect(table.contains("by lock-in times criticality; the 1 most pressing of 2 (--exit-windows all lists every one)\n"))
        #expect(table.contains("stadt/a1") && !table.contains("stadt/a2"))
        let all = Binary.run(["report", "--exit-windows", "all"], in: work).stdout
        #expect(all.contains("stadt/a1") && all.contains("stadt/a2") && !all.contains("most pressing of"))
        let csv = Binary.run(["report", "--format", "csv", "--exit-windows", "0"], in: work).stdout
        #expect(csv.contains(",2,2026-09-30,stadt/a2\r\n"), "the count and the next deadline do not depend on the limit")
        let wrong = Binary.run(["report", "--exit-windows", "some"], in: work)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--exit-windows"))
    }
}
