import Catalogue
import Domain
import Foundation
import Scoring
@testable import Store
import Testing
@testable import Tracking

/// `sovscan history` and `sovscan diff`: the as-of join, the series, and the
/// attribution of score changes to the inventory and to the rules.
@Suite struct TrackingTests {
    static func inventory(_ id: String, asOf: String, systems: String) -> String {
        "inventory: 1\norganisation: {id: \(id), name: \(id.uppercased()), type: municipality, parent: mi, country: DE}\nas_of: \(asOf)\nsystems:\n" + systems
    }

    static let ministry = "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n"

    /// A copy of the shipped rules with one rule's points changed (and the version bumped).
    static func changedRules() throws -> String {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        var text = try String(contentsOfFile: rules + "/rules.yaml", encoding: .utf8)
        let marker = "id: lock_in.proprietary-licence"
        let range = try #require(text.range(of: marker))
        let pointsRange = try #require(text.range(of: "points: 12", range: range.upperBound..<text.endIndex))
        text.replaceSubrange(pointsRange, with: "points: 22")
        try Data(text.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        return rules
    }

    /// Three snapshots: both organisations (2025); then only `a`, changed (2026-03);
    /// then both again under changed rules (2026-09).
    static func history() throws -> (work: String, rules: String) {
        let work = Fixture.directory()
        let rules = try changedRules()
        let write = { (files: [String: String]) in
            for (name, text) in files {
                try? FileManager.default.createDirectory(atPath: (work + "/" + name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try! Data(text.utf8).write(to: URL(fileURLWithPath: work + "/" + name))
            }
        }
        let mail = Fixture.system(id: "mail", ["criticality": "high"])
        let files = Fixture.system(id: "files", ["vendor": "Nextcloud", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                                 "licence": "AGPL-3.0-or-later", "criticality": "low"])
        write(["v1/m.yaml": ministry, "v1/a.yaml": inventory("a", asOf: "2025-09-30", systems: mail + files),
               "v1/b.yaml": inventory("b", asOf: "2025-09-30", systems: mail)])
        #expect(Binary.run(["scan", "v1"], in: work).status == 0)
        // Only `a`, half a year later: `files` moves to a US SaaS.
        let files2 = Fixture.system(id: "files", ["vendor": "Microsoft", "criticality": "low", "product": "SharePoint Online"])
        write(["v2/m.yaml": ministry, "v2/a.yaml": inventory("a", asOf: "2026-03-31", systems: mail + files2)])
        #expect(Binary.run(["scan", "v2"], in: work).status == 0)
        write(["v3/m.yaml": ministry, "v3/a.yaml": inventory("a", asOf: "2026-09-30", systems: mail + files2),
               "v3/b.yaml": inventory("b", asOf: "2026-09-30", systems: mail)])
        #expect(Binary.run(["scan", "v3", "--rules", rules], in: work).status == 0)
        return (work, rules)
    }

    @Test func historyJoinsEachOrganisationsLatestSnapshot() throws {
        let (work, _) = try Self.history()
        let result = Binary.run(["history", "--format", "json", "--level", "organisation"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let series = try #require(json["series"] as? [[String: Any]])
        #expect(series.map { $0["as_of"] as? String } == ["2025-09-30", "2026-03-31", "2026-09-30"])
        #expect(series.map { $0["scans"] as? [Int] } == [[1], [1, 2], [3]], "on 2026-03-31, b is still as scan 1 saw it")
        #expect(series.map { $0["systems"] as? Int } == [3, 3, 3])
        let groups = try #require(json["groups"] as? [[String: Any]])
        let b = try #require(groups.first { $0["id"] as? String == "b" })
        let bSeries = try #require(b["series"] as? [[String: Any]])
        #expect(bSeries.count == 3, "b appears at every date, from the latest snapshot before it")
        #expect(bSeries[0]["lock_in"] as? Double == bSeries[1]["lock_in"] as? Double)
        // The total moves when a's files move to a US SaaS.
        #expect((series[1]["jurisdiction"] as? Double ?? 0) > (series[0]["jurisdiction"] as? Double ?? 0))
        let table = Binary.run(["history"], in: work)
        #expect(table.stdout.hasPrefix("Scores by as-of date"))
        let html = Binary.run(["history", "--format", "html"], in: work)
        #expect(html.stdout.contains("<polyline"))
        let report = Binary.run(["report", "--format", "html"], in: work)
        #expect(report.stdout.contains("<h2>History</h2>"), "the ministry report shows history when there is more than one state")
        #expect(report.stdout.contains("<polyline"))
        let single = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml"], in: single).status == 0)
        #expect(!Binary.run(["report", "--format", "html"], in: single).stdout.contains("<h2>History</h2>"))
        let vendor = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["history", "--format", "json", "--vendor", "nextcloud"], in: work).stdout.utf8)) as? [String: Any])
        #expect((vendor["series"] as? [[String: Any]])?.map { $0["systems"] as? Int } == [1, 0, 0])
    }

    /// Systems per as-of date of `history --vendor vendor`.
    private func vendorSystems(_ vendor: String, in work: String) throws -> [Int?] {
        let result = Binary.run(["history", "--format", "json", "--vendor", vendor], in: work)
        #expect(result.status == 0, "\(vendor): \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(json["series"] as? [[String: Any]]).map { $0["systems"] as? Int }
    }

    @Test func historyVendorIsNamedAsInventoriesNameIt() throws {
        let (work, _) = try Self.history()
        #expect(try vendorSystems("microsoft", in: work) == [2, 3, 3], "a's files move to Microsoft in 2026; b is as scan 1 saw it until scan 3")
        for name in ["Microsoft", "MICROSOFT", "Microsoft Corporation", "office 365"] {
            #expect(try vendorSystems(name, in: work) == [2, 3, 3], "\(name)")
        }
        // A subsidiary counts under its ultimate parent; a vendor the catalogue
        // does not know is found as the inventory writes it.
        let other = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(id: "s3", ["vendor": "Amazon Web Services"])
                                                                + Fixture.system(id: "geo", ["vendor": "GeoKontor Mittelland"]))])
        #expect(Binary.run(["scan", "a.yaml"], in: other).status == 0)
        #expect(try vendorSystems("Amazon Web Services, Inc.", in: other) == [1])
        #expect(try vendorSystems("amazon", in: other) == [1])
        #expect(try vendorSystems("geokontor mittelland", in: other) == [1])
    }

    @Test func unknownHistoryVendorIsAnErrorWithASuggestion() throws {
        let (work, _) = try Self.history()
        let typo = Binary.run(["history", "--vendor", "Microsft"], in: work)
        #expect(typo.status == 1)
        #expect(typo.stdout.isEmpty)
        #expect(typo.stderr == "sovscan: no vendor 'Microsft' in the catalogue or the scans; did you mean 'microsoft'?\n")
        let unknown = Binary.run(["history", "--vendor", "nonexist"], in: work)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "sovscan: no vendor 'nonexist' in the catalogue or the scans\n")
    }

    @Test func diffWritesToAnOwnerOnlyFile() throws {
        let (work, _) = try Self.history()
        let printed = Binary.run(["diff", "1", "2"], in: work)
        let written = Binary.run(["diff", "1", "2", "--output", "diff.txt", "--fail-on", "new-high"], in: work)
        #expect(written.status == 2, "the condition is still told by the status: \(written.stderr)")
        #expect(written.stdout.isEmpty)
        #expect(try String(contentsOfFile: work + "/diff.txt", encoding: .utf8) == printed.stdout)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: work + "/diff.txt")[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(Binary.run(["diff", "1", "2", "--format", "json", "--output", "diff.json"], in: work).status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/diff.json"))) is [String: Any])
    }

    @Test func diffAttributesChangesToInventoryAndRules() throws {
        let (work, rules) = try Self.history()
        // Scan 1 → 2: inventory only (same rules).
        let first = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["diff", "1", "2", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let systems = try #require(first["systems"] as? [String: Any])
        #expect(systems["removed"] as? [String] == [], "scan 2 covers only a; b's state stands")
        #expect((first["not_rescanned"] as? [[String: Any]])?.map { $0["organisation"] as? String } == ["b"])
        let changed = try #require(systems["changed"] as? [[String: Any]])
        #expect(changed.first?["system"] as? String == "a/files")
        #expect(Set(changed.first?["fields"] as? [String] ?? []) == ["vendor", "deployment", "hosting.provider", "hosting.data_location", "licence", "product"])
        for change in try #require(first["changes"] as? [[String: Any]]) {
            #expect(change["rules_delta"] as? Int == 0, "the same rules")
        }
        // Scan 2 → 3 under changed rules: the proprietary-licence rule now counts 22 instead of 12.
        let result = Binary.run(["diff", "2", "3", "--format", "json", "--rules", rules], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(second["changes"] as? [[String: Any]])
        let mail = try #require(changes.first { $0["system"] as? String == "a/mail" && $0["dimension"] as? String == "lock_in" })
        #expect(mail["rules_delta"] as? Int == 10)
        #expect(mail["inventory_delta"] as? Int == 0)
        for change in changes {
            let before = change["before"] as? Int ?? 0, after = change["after"] as? Int ?? 0
            #expect((change["inventory_delta"] as? Int ?? 0) + (change["rules_delta"] as? Int ?? 0) == after - before, "\(change)")
        }
        // b's state in scan 2 is scan 1's, scored with the earlier rules: its mail moves by the rules alone.
        #expect((second["systems"] as? [String: Any])?["added"] as? [String] == [])
        let bMail = try #require(changes.first { $0["system"] as? String == "b/mail" && $0["dimension"] as? String == "lock_in" })
        #expect(bMail["rules_delta"] as? Int == 10)
        #expect(bMail["inventory_delta"] as? Int == 0)
        // Without the later rules loaded, attribution is impossible: a clear error.
        let wrongRules = Binary.run(["diff", "2", "3"], in: work)
        #expect(wrongRules.status == 1)
        #expect(wrongRules.stderr.contains("give that rule set with --rules DIR"))
    }

    @Test func failOnGatesChanges() throws {
        let (work, rules) = try Self.history()
        let newHigh = Binary.run(["diff", "1", "2", "--fail-on", "new-high"], in: work)
        #expect(newHigh.status == 2, "a/files moved to a US SaaS: \(newHigh.stderr)")
        #expect(newHigh.stderr.contains("a/files"))
        let increase = Binary.run(["diff", "2", "3", "--fail-on", "increase", "--rules", rules], in: work)
        #expect(increase.status == 2)
        let same = Binary.run(["diff", "3", "3", "--fail-on", "increase", "--rules", rules], in: work)
        #expect(same.status == 0)
        #expect(same.stdout.contains("no score changed"))
        #expect(Binary.run(["diff", "--fail-on", "sometimes"], in: work).status == 64)
    }

    /// `diff` reads only the organisations with a system added, removed,
    /// changed or scored differently, and says what it says from all of them.
    @Test func diffReadsOnlyOrganisationsWithAChange() throws {
        let (work, store) = try ReportTotalsTests.examples()
        let model = try #require(ScoringModel.load(ruleSet: Fixture.ruleSet).0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        /// The organisations whose snapshots differ and those read, once the
        /// diff read from these is checked to be the diff read from all those.
        func read(_ store: SnapshotDatabase, from earlier: Int64, to later: Int64) throws -> (differing: [String], changed: [String]) {
            let join = try AsOfJoin(store)
            let states = (before: try join.state(ofScan: earlier), after: try join.state(ofScan: later))
            let differing = ScanComparison.differingSnapshots(before: states.before, after: states.after)
            let changed = try ScanComparison.changed(differing, in: store)
            let whole = try ScanComparison.compare(store, from: earlier, to: later, states: states, organisations: differing) { _ in model }
            let read = try ScanComparison.compare(store, from: earlier, to: later, states: states, organisations: changed) { _ in model }
            #expect(try encoder.encode(read) == encoder.encode(whole), "\(earlier) → \(later)")
            return (differing.keys.sorted(), changed.keys.sorted())
        }
        for (earlier, later) in [(1, 2), (2, 1)] as [(Int64, Int64)] {
            #expect(try !read(store, from: earlier, to: later).changed.isEmpty)
        }
        // Of two organisations re-scanned, only the one with a change is read.
        let partial = try SnapshotDatabase(path: DiffStateTests.scans() + "/sovscan.db")
        #expect(try read(partial, from: 2, to: 3) == (["x", "y"], ["x"]))
        // An unchanged re-scan has nothing to read.
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let unchanged = try read(store, from: 2, to: 3)
        #expect(unchanged.differing.count == 17)
        #expect(unchanged.changed.isEmpty)
        let result = Binary.run(["diff", "2", "3"], in: work)
        #expect(result.status == 0)
        #expect(result.stdout.contains("systems: 0 added, 0 removed, 0 changed"))
        // Both scans are checked before anything is read.
        let missing = Binary.run(["diff", "2", "9"], in: work)
        #expect(missing.status == 1)
        #expect(missing.stderr == "sovscan: there is no scan 9; `sovscan scans` lists them\n")
    }

    @Test func storedInventoryReadsBackAsWritten() throws {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example"], in: work).status == 0)
        let store = try SnapshotDatabase(path: work + "/sovscan.db")
        let inventory = try store.inventory(scanID: 1)
        #expect(inventory.entries.count == 276)
        for entry in inventory.entries {
            #expect(entry.system.contentHash(organisationID: entry.organisation).data == entry.recordHash, "\(entry.organisation)/\(entry.system.id)")
        }
    }
}
