import Foundation
import SwiftCSV
import Testing

/// `sovscan diff` compares the states of two scans, each organisation's
/// latest snapshot on or before each: an organisation a later scan did not
/// read is not re-scanned, and none of its systems is removed.
@Suite struct DiffStateTests {
    static let mail = Fixture.system(id: "mail", ["criticality": "high"])
    static let files = Fixture.system(id: "files", ["vendor": "Nextcloud", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                                    "licence": "AGPL-3.0-or-later", "criticality": "low"])
    /// `files` moved to a US SaaS: its jurisdiction score goes high.
    static let movedFiles = Fixture.system(id: "files", ["vendor": "Microsoft", "criticality": "low", "product": "SharePoint Online"])

    /// Scan 1 reads x and y (2025-09-30); scan 2 only y, whose `files` moved
    /// (2026-03-31); scan 3 both again, x without `files` (2026-09-30);
    /// scan 4 only x, unchanged (2026-12-31).
    static func scans() -> String {
        let inventory = TrackingTests.inventory, ministry = TrackingTests.ministry
        let work = Fixture.write([
            "a/m.yaml": ministry, "a/x.yaml": inventory("x", "2025-09-30", mail + files), "a/y.yaml": inventory("y", "2025-09-30", mail + files),
            "b/m.yaml": ministry, "b/y.yaml": inventory("y", "2026-03-31", mail + movedFiles),
            "c/m.yaml": ministry, "c/x.yaml": inventory("x", "2026-09-30", mail), "c/y.yaml": inventory("y", "2026-09-30", mail + movedFiles),
            "d/m.yaml": ministry, "d/x.yaml": inventory("x", "2026-12-31", mail),
        ])
        for scan in ["a", "b", "c", "d"] {
            let result = Binary.run(["scan", scan, "--quiet"], in: work)
            #expect(result.status == 0, "\(scan): \(result.stderr)")
        }
        return work
    }

    static func json(_ arguments: [String], in work: String) throws -> [String: Any] {
        let result = Binary.run(["diff", "--format", "json"] + arguments, in: work)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The organisations of a side or of `not_rescanned`, as `id@scan as_of`.
    static func coverage(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).map { "\($0["organisation"] as? String ?? "?")@\($0["scan"] as? Int ?? 0) \($0["as_of"] as? String ?? "?")" }
    }

    @Test func aPartialLaterScanLeavesTheOthersStanding() throws {
        let work = Self.scans()
        let diff = try Self.json(["1", "2"], in: work)
        let systems = try #require(diff["systems"] as? [String: Any])
        #expect(systems["removed"] as? [String] == [], "x was not re-scanned; its systems still stand")
        #expect(systems["added"] as? [String] == [])
        let changed = try #require(systems["changed"] as? [[String: Any]])
        #expect(changed.map { $0["system"] as? String } == ["y/files"])
        let changes = try #require(diff["changes"] as? [[String: Any]])
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0["system"] as? String == "y/files" }, "\(changes)")
        #expect(Self.coverage(diff["not_rescanned"]) == ["x@1 2025-09-30"])
        let from = try #require(diff["from"] as? [String: Any]), to = try #require(diff["to"] as? [String: Any])
        #expect(from["scan"] as? Int == 1)
        #expect(from["as_of"] as? String == "2025-09-30")
        #expect(Self.coverage(from["organisations"]) == ["x@1 2025-09-30", "y@1 2025-09-30"], "the ministry has no inventory of its own")
        #expect(to["scan"] as? Int == 2)
        #expect(to["as_of"] as? String == "2026-03-31")
        #expect(Self.coverage(to["organisations"]) == ["x@1 2025-09-30", "y@2 2026-03-31"])

        let table = Binary.run(["diff", "1", "2"], in: work)
        #expect(table.status == 0)
        #expect(table.stdout.contains("""
            organisations with an inventory: 2 as of scan 1, 2 as of scan 2 (1 not re-scanned)
              x: not re-scanned since 2025-09-30 (scan 1)
            systems: 0 added, 0 removed, 1 changed
              ~ y/files:
            """), "\(table.stdout)")
        #expect(!table.stdout.contains("x/"))

        let csv = try CSV<Named>(string: Binary.run(["diff", "1", "2", "--format", "csv"], in: work).stdout)
        let notRescanned = csv.rows.filter { $0["kind"] == "not_rescanned" }
        #expect(notRescanned.map { [$0["organisation"], $0["since"]] } == [["x", "2025-09-30"]])
        #expect(!csv.rows.contains { $0["kind"] == "removed" })
        #expect(csv.rows.filter { $0["kind"] != "not_rescanned" }.allSatisfy { $0["organisation"] == "y" })

        let html = Binary.run(["diff", "1", "2", "--format", "html"], in: work).stdout
        #expect(html.contains("<li>x: not re-scanned since 2025-09-30 (scan 1)</li>"))
        #expect(html.contains("Organisations with an inventory: 2 as of scan 1, 2 as of scan 2 (1 not re-scanned)."))
        #expect(!html.contains("removed: x/"))
    }

    @Test func aLaterScanThatReadsTheOrganisationAgainShowsWhatItRemoved() throws {
        let work = Self.scans()
        let diff = try Self.json(["2", "3"], in: work)
        let systems = try #require(diff["systems"] as? [String: Any])
        #expect(systems["removed"] as? [String] == ["x/files"])
        #expect((systems["changed"] as? [Any])?.isEmpty == true, "y's systems are as scan 2 saw them")
        #expect(Self.coverage(diff["not_rescanned"]) == [])
        #expect(Self.coverage((diff["from"] as? [String: Any])?["organisations"]) == ["x@1 2025-09-30", "y@2 2026-03-31"])
        #expect(Self.coverage((diff["to"] as? [String: Any])?["organisations"]) == ["x@3 2026-09-30", "y@3 2026-09-30"])
        let table = Binary.run(["diff", "2", "3"], in: work).stdout
        #expect(table.contains("organisations with an inventory: 2 as of scan 2, 2 as of scan 3\nsystems: 0 added, 1 removed, 0 changed\n  - x/files\n"), "\(table)")
        // Across the partial scan, the same.
        let across = try #require(try Self.json(["1", "3"], in: work)["systems"] as? [String: Any])
        #expect(across["removed"] as? [String] == ["x/files"])
        #expect((across["changed"] as? [[String: Any]])?.map { $0["system"] as? String } == ["y/files"])
    }

    /// A state compares with a state: what an organisation's snapshot
    /// between the two scans changed is shown, though the later scan did not read it.
    @Test func aChangeBetweenTheScansOfAnOrganisationNotReScannedIsShown() throws {
        let work = Self.scans()
        let diff = try Self.json(["1", "4"], in: work)
        #expect(Self.coverage(diff["not_rescanned"]) == ["y@3 2026-09-30"])
        let systems = try #require(diff["systems"] as? [String: Any])
        #expect(systems["removed"] as? [String] == ["x/files"])
        #expect((systems["changed"] as? [[String: Any]])?.map { $0["system"] as? String } == ["y/files"])
        // The default is the last scan against the one before.
        let latest = try Self.json([], in: work)
        #expect((latest["from"] as? [String: Any])?["scan"] as? Int == 3)
        #expect(Self.coverage(latest["not_rescanned"]) == ["y@3 2026-09-30"])
        let nothing = try #require(latest["systems"] as? [String: [Any]])
        #expect(nothing.values.allSatisfy { $0.isEmpty }, "x re-scanned unchanged, y not re-scanned: \(nothing)")
    }

    @Test func failOnJudgesTheStates() {
        let work = Self.scans()
        let newHigh = Binary.run(["diff", "1", "2", "--fail-on", "new-high"], in: work)
        #expect(newHigh.status == 2, "y/files moved to a US SaaS: \(newHigh.stderr)")
        #expect(newHigh.stderr.contains("y/files"))
        #expect(!newHigh.stderr.contains("x/"))
        #expect(Binary.run(["diff", "1", "2", "--fail-on", "increase"], in: work).status == 2)
        // A removal raises nothing; neither does an organisation not re-scanned.
        for range in [["2", "3"], ["3", "4"]] {
            for condition in ["new-high", "increase"] {
                let result = Binary.run(["diff"] + range + ["--fail-on", condition], in: work)
                #expect(result.status == 0, "\(range) \(condition): \(result.stderr)")
            }
        }
    }

    /// An inventory without `as_of` is dated by its scan's as-of date, in
    /// diff as in history.
    @Test func anInventoryWithoutAsOfIsDatedByItsScan() throws {
        let undated = "inventory: 1\norganisation: {id: z, name: Z, type: municipality, parent: mi, country: DE}\nsystems:\n" + Self.mail
        let work = Fixture.write([
            "a/m.yaml": TrackingTests.ministry, "a/z.yaml": undated, "a/y.yaml": TrackingTests.inventory("y", asOf: "2025-09-30", systems: Self.mail),
            "b/m.yaml": TrackingTests.ministry, "b/y.yaml": TrackingTests.inventory("y", asOf: "2026-03-31", systems: Self.mail),
        ])
        for scan in ["a", "b"] { #expect(Binary.run(["scan", scan, "--quiet"], in: work).status == 0) }
        let diff = try Self.json([], in: work)
        #expect(Self.coverage(diff["not_rescanned"]) == ["z@1 2025-09-30"])
        #expect((diff["systems"] as? [String: Any])?["removed"] as? [String] == [])
        let history = Binary.run(["history", "--format", "json"], in: work)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        #expect((json["series"] as? [[String: Any]])?.map { $0["systems"] as? Int } == [2, 2], "z's mail counts at both dates")
    }
}
