import Domain
import Foundation
import Store
import SwiftCSV
import Testing

/// `whatif plan` on the example: a plan that changes nothing, the shipped
/// Exchange Online migration checked against a scan of the inventory it
/// leaves, added and retired systems, and plans with mistakes.
@Suite struct PlanTests {
    /// A fresh copy of the example scanned into `sovscan.db` of a new directory.
    static func scanned() -> String {
        let work = Fixture.directory()
        let scan = Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work)
        precondition(scan.status == 0, scan.stderr)
        return work
    }

    static func plan(_ text: String, in work: String, _ arguments: [String] = []) -> Binary.Result {
        try! Data(text.utf8).write(to: URL(fileURLWithPath: work + "/plan.yaml"))
        return Binary.run(["whatif", "plan", "plan.yaml"] + arguments, in: work)
    }

    static func json(_ result: Binary.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func aPlanSettingFieldsToTheirCurrentValuesChangesNothing() throws {
        let work = Self.scanned()
        let scenario = try Self.json(Self.plan("""
            plan: Nothing new
            steps:
              - select: {product: Exchange Online}
                set:
                  vendor: Microsoft
                  deployment: saas
                  hosting: {provider: Microsoft}
                  licence: proprietary
              - select: {under: bl-polizei, criticality: [high, critical]}
                set: {data: {}}
            """, in: work, ["--format", "json"]))
        #expect((scenario["systems"] as? [Any])?.isEmpty == true)
        #expect((scenario["ministries"] as? [Any])?.isEmpty == true)
        let totals = try #require(scenario["totals"] as? [String: Any])
        #expect(totals["lock_in_before"] as? Double == totals["lock_in_after"] as? Double)
        #expect(totals["jurisdiction_before"] as? Double == totals["jurisdiction_after"] as? Double)
        // Before is the snapshot as its report gives it (the same rules scored it).
        let report = try Self.json(Binary.run(["report", "--format", "json"], in: work))
        let figures = try #require(report["totals"] as? [String: Any])
        #expect(totals["lock_in_before"] as? Double == (figures["lock_in"] as? [String: Any])?["score"] as? Double)
        #expect(totals["jurisdiction_before"] as? Double == (figures["jurisdiction"] as? [String: Any])?["score"] as? Double)
        #expect(totals["systems_before"] as? Int == 276 && totals["systems_after"] as? Int == 276)
        let steps = try #require(scenario["steps"] as? [[String: Any]])
        #expect(steps.map { ($0["systems"] as? [String])?.count } == [4, 15])
        // Nothing is stored.
        let scans = Binary.run(["scans"], in: work)
        #expect(!scans.stdout.contains("\n2 "), "\(scans.stdout)")
        #expect(try SnapshotDatabase(path: work + "/sovscan.db").scanIDs() == [1])
    }

    /// An inventory without `as_of` was scored as of the day of its scan,
    /// not as of the snapshot's date (another organisation's `as_of`): the
    /// plan scores it so too, so that "before" is the snapshot as stored.
    @Test func beforeIsTheSnapshotAsScoredWhenAnInventoryGivesNoDate() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        let today = try #require(Day(year: parts.year!, month: parts.month!, day: 1))
        // At most 35 whole months from today (the rule fires from 36), at least 40 from six months ago.
        let ends = today.adding(months: 35)
        let work = Fixture.write([
            "a.yaml": "inventory: 1\norganisation: {id: a, name: A, type: agency, country: DE}\nas_of: \(today.adding(months: -6))\nsystems:\n"
                + Fixture.system(id: "mail"),
            "b.yaml": "inventory: 1\norganisation: {id: b, name: B, type: agency, country: DE}\nsystems:\n"
                + Fixture.system(id: "mail", ["contract": "{ends: \(ends), notice_months: 3}"]),
        ])
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let scenario = try Self.json(Self.plan("plan: x\nsteps:\n  - select: {under: b}\n    set: {notes: a note}\n", in: work, ["--format", "json"]))
        let report = try Self.json(Binary.run(["report", "--format", "json"], in: work))
        let totals = try #require(scenario["totals"] as? [String: Any]), figures = try #require(report["totals"] as? [String: Any])
        #expect(totals["lock_in_before"] as? Double == (figures["lock_in"] as? [String: Any])?["score"] as? Double)
        #expect(totals["lock_in_before"] as? Double == totals["lock_in_after"] as? Double)
        let systems = try #require(scenario["systems"] as? [[String: Any]])
        #expect(systems.map { $0["system"] as? String } == ["b/mail"] && systems.first?["fields"] as? [String] == ["notes"])
        #expect(systems.first?["findings_added"] as? [String] == [] && systems.first?["findings_removed"] as? [String] == [])
    }

    /// The shipped plan moves the four Exchange Online systems on premises
    /// to OX App Suite: jurisdiction falls for exactly those, the HHI of
    /// their ministries falls, and every figure is that of a scan of the
    /// inventory the plan leaves.
    @Test func theExchangeMigrationMatchesAScanOfTheEditedInventory() throws {
        let work = Self.scanned()
        let planFile = Fixture.root + "/inventories/plans/exchange-online-to-ox.yaml"
        let result = Binary.run(["whatif", "plan", planFile, "--format", "json", "--write-inventory", "after"], in: work)
        let scenario = try Self.json(result)
        let systems = try #require(scenario["systems"] as? [[String: Any]])
        let exchange = ["bl-km-zentrale/mail", "bl-lasv/mail", "bl-sm-zentrale/mail", "stadt-beispielstadt/mail"]
        #expect(Set(systems.map { $0["system"] as? String ?? "" }) == Set(exchange))
        for system in systems {
            #expect(system["change"] as? String == "changed")
            let before = try #require(system["jurisdiction_before"] as? Int), after = try #require(system["jurisdiction_after"] as? Int)
            #expect(after < before, "\(system["system"]!)")
            #expect((system["findings_removed"] as? [String])?.contains("jurisdiction.hosting-foreign") == true)
            #expect(system["act_by_after"] as? String == "2031-06-30")
        }
        let ministries = try #require(scenario["ministries"] as? [[String: Any]])
        #expect(ministries.map { $0["id"] as? String } == ["bl-im", "bl-km", "bl-sm"])
        for ministry in ministries {
            #expect(try #require(ministry["hhi_after"] as? Double) < (try #require(ministry["hhi_before"] as? Double)))
            #expect(try #require(ministry["jurisdiction_after"] as? Double) < (try #require(ministry["jurisdiction_before"] as? Double)))
        }

        // A real scan of the inventory the plan leaves.
        let rescan = Binary.run(["scan", "after", "--db", "after.db", "--quiet"], in: work)
        #expect(rescan.status == 0, "\(rescan.stderr)")
        let report = try Self.json(Binary.run(["report", "--db", "after.db", "--format", "json"], in: work))
        let groups = try #require(report["groups"] as? [[String: Any]])
        for ministry in ministries {
            let group = try #require(groups.first { $0["id"] as? String == ministry["id"] as? String })
            #expect(group["hhi"] as? Double == ministry["hhi_after"] as? Double)
            #expect((group["lock_in"] as? [String: Any])?["score"] as? Double == ministry["lock_in_after"] as? Double)
            #expect((group["jurisdiction"] as? [String: Any])?["score"] as? Double == ministry["jurisdiction_after"] as? Double)
        }
        let totals = try #require(scenario["totals"] as? [String: Any])
        #expect((report["totals"] as? [String: Any]).flatMap { ($0["jurisdiction"] as? [String: Any])?["score"] as? Double }
            == totals["jurisdiction_after"] as? Double)
        let rescanned = try SnapshotDatabase(path: work + "/after.db").inventory(scanID: 1)
        for system in systems {
            let entry = try #require(rescanned.entries.first { "\($0.organisation)/\($0.system.id)" == system["system"] as? String })
            #expect(entry.lockIn == system["lock_in_after"] as? Int && entry.jurisdiction == system["jurisdiction_after"] as? Int)
        }
        // The countries of control: the US share of the Sozialministerium falls by its two systems.
        let sm = try #require(ministries.first { $0["id"] as? String == "bl-sm" })
        let us = try #require((sm["countries"] as? [[String: Any]])?.first { $0["country"] as? String == "US" })
        #expect(us["systems_before"] as? Int == (us["systems_after"] as? Int).map { $0 + 2 })

        // Every format.
        let table = Binary.run(["whatif", "plan", planFile], in: work).stdout
        #expect(table.contains("All organisations: 276 systems (4 changed)"), "\(table)")
        let csv = try CSV<Named>(string: Binary.run(["whatif", "plan", planFile, "--format", "csv"], in: work).stdout)
        #expect(Set(csv.rows.map { $0["system"] ?? "" }) == Set(exchange))
        #expect(Binary.run(["whatif", "plan", planFile, "--format", "markdown"], in: work).stdout.contains("## Ministries concerned\n"))
        let html = Binary.run(["whatif", "plan", planFile, "--format", "html"], in: work).stdout
        #expect(html.contains("<h2>Systems</h2>") && html.contains("<td>bl-lasv/mail</td>"))
    }

    @Test func systemsAddedAndRetiredCountAsSuch() throws {
        let work = Self.scanned()
        let scenario = try Self.json(Self.plan("""
            plan: A new file service, the old one retired
            steps:
              - add:
                  id: dateiablage-neu
                  name: Dateiablage (Nextcloud)
                  function: storage
                  product: Nextcloud Hub
                  vendor: Nextcloud
                  deployment: on_premises
                  licence: AGPL-3.0-or-later
                  criticality: medium
                  export: full
                  telemetry: none
                  encryption_keys: customer
                to: bl-km-zentrale
              - select: {id: controlling}
                retire: true
            """, in: work, ["--format", "json"]))
        let systems = try #require(scenario["systems"] as? [[String: Any]])
        // By ministry: bl-fm, then bl-km. Entra ID loses one of the three
        // Microsoft systems that depend on it, and with it the ecosystem rule.
        #expect(systems.map { "\($0["system"]!) \($0["change"]!)" }
            == ["bl-fm-zentrale/controlling retired", "bl-fm-zentrale/entra rescored", "bl-km-zentrale/dateiablage-neu added"])
        let entra = try #require(systems.first { $0["change"] as? String == "rescored" })
        #expect(entra["findings_removed"] as? [String] == ["lock_in.same-vendor-ecosystem"] && entra["fields"] as? [String] == [])
        let added = try #require(systems.first { $0["change"] as? String == "added" })
        #expect(added["lock_in_before"] is NSNull && added["lock_in_after"] is Int)
        let totals = try #require(scenario["totals"] as? [String: Any])
        #expect(totals["systems_after"] as? Int == 276)
    }

    /// What a scan would warn about a value the plan writes is a warning at
    /// that value; the plan still runs.
    @Test func valuesAScanWouldWarnAboutAreWarningsAtThePlansLines() throws {
        let work = Self.scanned()
        let result = Self.plan("""
            plan: x
            steps:
              - select: {product: Exchange Online}
                set:
                  vendor: Open-Xchang
                  contract: {ends: 2026-12-31, notice_months: 6}
            """, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("plan.yaml:5:15: warning: 'Open-Xchang' (vendor) is in neither the vendor catalogue nor this scan's organisations"),
                "\(result.stderr)")
        #expect(result.stderr.contains("plan.yaml:6:24: warning: notice deadline 2026-06-30"), "\(result.stderr)")
        // Once, though four systems are changed.
        #expect(result.stderr.components(separatedBy: "Open-Xchang' (vendor)").count == 2)
    }

    /// Retiring a ministry's every system leaves it no figures, not zeros;
    /// a declared organisation that gets a system is dated as the snapshot.
    @Test func aMinistryWithoutSystemsHasNoFiguresAndAnAddedOrganisationItsDate() throws {
        let work = Self.scanned()
        let scenario = try Self.json(Self.plan("""
            plan: x
            steps:
              - select: {under: bl-sm}
                retire: true
              - add: {id: portal, name: Portal, function: web_cms, product: Drupal, vendor: Drupal Association, deployment: on_premises,
                      licence: GPL-2.0-or-later, criticality: low, contract: {ends: 2029-09-30}}
                to: bl-km
            """, in: work, ["--format", "json", "--write-inventory", "next"]))
        let sm = try #require((scenario["ministries"] as? [[String: Any]])?.first { $0["id"] as? String == "bl-sm" })
        #expect(sm["systems_after"] as? Int == 0 && sm["lock_in_after"] is NSNull && sm["hhi_after"] is NSNull)
        let portal = try #require((scenario["systems"] as? [[String: Any]])?.first { $0["system"] as? String == "bl-km/portal" })
        // 36 months from the snapshot's 2026-09-30: the long-term rule fires.
        #expect((portal["findings_added"] as? [String])?.contains("lock_in.long-remaining-term") == true)
        let written = try String(contentsOfFile: work + "/next/bl-km.yaml", encoding: .utf8)
        #expect(written.contains("as_of: 2026-09-30\n"))
        // The directory is now not empty: nothing is written over.
        let again = Binary.run(["whatif", "plan", "plan.yaml", "--write-inventory", "next"], in: work)
        #expect(again.status == 1 && again.stdout.isEmpty && again.stderr.contains("next is not empty"), "\(again.stderr)")
    }

    @Test func mistakesAreErrorsAtTheirLineAndColumnWithASuggestion() {
        let work = Self.scanned()
        let cases: [(plan: String, message: String)] = [
            ("plan: x\nsteps:\n  - select: {product: Exchange Online}\n    set: {vendr: OX}\n",
             "plan.yaml:4:11: error: unknown key 'vendr' in system; did you mean 'vendor'?"),
            ("plan: x\nsteps:\n  - select: {product: Exchange Online}\n    set: {hosting: {provider: IONOS, provider: Microsoft}}\n",
             "plan.yaml:4:38: error: duplicate key 'hosting.provider' (first given at line 4)"),
            ("plan: x\nsteps:\n  - select: {under: bl-lasv, id: }\n    retire: true\n",
             "plan.yaml:3:34: error: 'select.id' names no value"),
            ("plan: x\nsteps:\n  - select: {under: bl-lasv, id: []}\n    retire: true\n",
             "plan.yaml:3:34: error: 'select.id' names no value"),
            ("plan: x\nsteps:\n  - select: {criticality: hihg}\n    retire: true\n",
             "plan.yaml:3:27: error: 'hihg' is no criticality (one of low, medium, high, critical); did you mean 'high'?"),
            ("plan: x\nsteps:\n  - select: {under: bl-lasv, id: ad}\n    set: {depends_on: [ad]}\n",
             "plan.yaml:3:5: error: 'bl-lasv/ad' would depend on itself"),
            ("plan: x\nsteps:\n  - add: {id: neu, name: Neu, function: identity, product: AD, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: high, contarct: {ends: 2030-01-01}}\n    to: bl-lasv\n",
             "plan.yaml:3:149: error: unknown key 'contarct' in system; did you mean 'contract'?"),
            ("plan: x\nsteps:\n  - select: {product: Exchange Online}\n    set: {subprocessors: [{name: X, contry: US}]}\n",
             "error: unknown key 'subprocessors.contry' in subprocessor; did you mean 'country'?"),
            ("plan: x\nsteps:\n  - select: {product: Exchange Online}\n    set: {deployment: cloud}\n",
             "plan.yaml:4:23: error: 'deployment' must be one of"),
            ("plan: x\nsteps:\n  - select: {under: bl-kn}\n    retire: true\n",
             "plan.yaml:3:21: error: 'bl-kn' is no organisation of scan 1; did you mean 'bl-km'?"),
            ("plan: x\nsteps:\n  - select: {product: Exchange Onlin}\n    retire: true\n",
             "plan.yaml:3:23: error: no system of scan 1 has product 'Exchange Onlin'; did you mean 'Exchange Online'?"),
            ("plan: x\nsteps:\n  - select: {function: emial}\n    retire: true\n",
             "plan.yaml:3:24: error: 'emial' is no function of the taxonomy; did you mean 'email'?"),
            ("plan: x\nsteps:\n  - select: {id: ad, under: bl-km-zentrale}\n    retire: true\n",
             "plan.yaml:3:5: error: this step retires 'bl-km-zentrale/ad', on which 'bl-km-zentrale/"),
            ("plan: x\nsteps:\n  - select: {id: ad, under: bl-km-zentrale}\n    set: {deployment: saas}\n",
             "plan.yaml:3:5: error: setting these fields on 'bl-km-zentrale/ad' leaves it invalid: system has no 'hosting.provider'"),
            ("plan: x\nsteps:\n  - select: {id: ad}\n    set: {id: ad2}\n",
             "plan.yaml:4:11: error: a plan does not change a system's id"),
            ("plan: x\nsteps:\n  - select: {id: ad}\n    set: {notes: x}\n    retire: true\n",
             "plan.yaml:3:5: error: a step does one thing; this one has 'set' and 'retire'"),
            ("plan: x\nsteps:\n  - add: {id: ad, name: AD, function: identity, product: AD, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: high}\n    to: bl-kmz\n",
             "plan.yaml:4:9: error: 'to' names 'bl-kmz', which is no organisation of scan 1"),
            ("plan: x\nsteps:\n  - add: {id: ad, name: AD, function: identity, product: AD, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: high}\n    to: bl-km-zentrale\n",
             "plan.yaml:3:15: error: organisation 'bl-km-zentrale' already has a system 'ad'"),
            ("plan: x\nsteps:\n  - selct: {id: ad}\n    retire: true\n",
             "plan.yaml:3:5: error: unknown key 'selct' in step; did you mean 'select'?"),
            ("plan: x\nstep: []\n", "plan.yaml:2:1: error: unknown key 'step' in plan; did you mean 'steps'?"),
        ]
        for (plan, message) in cases {
            let result = Self.plan(plan, in: work)
            #expect(result.status == 1, "\(plan)")
            #expect(result.stdout.isEmpty, "\(plan)")
            #expect(result.stderr.contains(message), "\(plan)\n\(result.stderr)")
        }
        let directory = Binary.run(["whatif", "plan", "."], in: work)
        #expect(directory.status == 1 && directory.stderr.contains(". is a directory"), "\(directory.stderr)")
        let missing = Binary.run(["whatif", "plan", "nowhere.yaml"], in: work)
        #expect(missing.status == 1 && missing.stderr.contains("nowhere.yaml:1:1: error: cannot open the file"), "\(missing.stderr)")
    }
}
