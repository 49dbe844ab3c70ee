import Catalogue
import Foundation
import PropertyBased
import Reporting
import Scenarios
import Store
import SwiftCSV
import Testing

/// `whatif cutoff` on a hand-counted inventory and on the example.
@Suite struct CutoffScenarioTests {
    /// Ministry `mi` with two organisations:
    /// - `a`: mail on Exchange Online (Microsoft, high) and on Open-Xchange run
    ///   at home (email keeps a system); Active Directory (Microsoft, on
    ///   premises, critical); a file store on Nextcloud that depends on the
    ///   directory (fails through it); GIS on QGIS with a US subprocessor.
    /// - `b`: Microsoft 365 office (medium), and a Nextcloud store of its own.
    static let land: [String: String] = [
        "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
        "a.yaml": Fixture.inventory(
            systems: Fixture.system(id: "mail", ["criticality": "high", "users": "100", "data": "{personal: true}"])
                + Fixture.system(id: "ox", ["name": "OX", "vendor": "Open-Xchange", "product": "OX App Suite", "deployment": "on_premises",
                                            "hosting": "{data_location: [DE]}", "licence": "GPL-2.0-only", "criticality": "medium"])
                + Fixture.system(id: "ad", ["name": "AD", "function": "identity", "product": "Active Directory", "deployment": "on_premises",
                                            "hosting": "{data_location: [DE]}", "criticality": "critical", "users": "100"])
                + Fixture.system(id: "files", ["name": "Files", "function": "storage", "vendor": "Nextcloud", "product": "Nextcloud Hub",
                                               "deployment": "on_premises", "hosting": "{data_location: [DE]}", "licence": "AGPL-3.0-or-later",
                                               "criticality": "high", "depends_on": "[ad]", "contract": "{ends: 2027-06-30, notice_months: 3, exit_plan: true}"])
                + Fixture.system(id: "gis", ["name": "GIS", "function": "gis", "vendor": "QGIS", "product": "QGIS", "deployment": "on_premises",
                                             "hosting": "{data_location: [DE]}", "licence": "GPL-2.0-or-later", "criticality": "low",
                                             "subprocessors": "[{name: Kartendienst Inc., country: US}]"]),
            organisation: "organisation: {id: a, name: Amt A, type: agency, parent: mi, country: DE}\n"),
        "b.yaml": Fixture.inventory(
            systems: Fixture.system(id: "office", ["name": "Office", "function": "office", "product": "Microsoft 365", "criticality": "medium"])
                + Fixture.system(id: "files", ["name": "Files", "function": "storage", "vendor": "Nextcloud", "product": "Nextcloud Hub",
                                               "deployment": "on_premises", "hosting": "{data_location: [DE]}", "licence": "AGPL-3.0-or-later",
                                               "criticality": "high"]),
            organisation: "organisation: {id: b, name: Amt B, type: agency, parent: mi, country: DE}\n"),
    ]

    private func scanned() -> String {
        let work = Fixture.write(Self.land)
        let scan = Binary.run(["scan", "."], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        return work
    }

    private func json(_ work: String, _ arguments: [String]) throws -> [String: Any] {
        let result = Binary.run(["whatif", "cutoff"] + arguments + ["--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func failing(_ scenario: [String: Any]) -> [String] {
        (scenario["systems"] as? [[String: Any]] ?? []).map { "\($0["organisation"]!)/\($0["system"]!)" }
    }

    @Test func cuttingOffMicrosoftStopsTheFunctionsCountedByHand() throws {
        let work = scanned()
        let scenario = try json(work, ["--parent", "Microsoft"])
        #expect(failing(scenario) == ["a/ad", "a/mail", "a/files", "b/office"])
        let files = try #require((scenario["systems"] as? [[String: Any]])?.first { $0["system"] as? String == "files" })
        #expect(files["through"] as? [String] == ["a/ad"] && (files["causes"] as? [String])?.isEmpty == true)
        #expect(files["act_by"] as? String == "2027-03-30" && files["exit_plan"] as? Bool == true)
        let organisations = try #require(scenario["organisations"] as? [[String: Any]])
        // a: identity and storage lose every system; email keeps OX. b: office.
        #expect(organisations.map { $0["functions_stopped"] as? [String] ?? [] } == [["identity", "storage"], ["office"]])
        #expect(organisations.map { $0["critical_functions_stopped"] as? [String] ?? [] } == [["identity", "storage"], []])
        let ministry = try #require((scenario["ministries"] as? [[String: Any]])?.first)
        #expect(ministry["verdict"] as? String == "3 functions stop, 2 critical: identity, storage; others: office")
        #expect(ministry["affected"] as? Int == 4 && ministry["critical_affected"] as? Int == 3 && ministry["users_affected"] as? Int == 200)
        // mail's data sits with Microsoft, and it holds personal data.
        #expect(ministry["personal_data_with_party_cut_off"] as? Int == 1)

        let table = Binary.run(["whatif", "cutoff", "--parent", "Microsoft"], in: work).stdout
        #expect(table.contains("Verdict: 3 functions stop, 2 critical: identity, storage; others: office\n"), "\(table)")
        #expect(table.contains("depends on a/ad"))
        let csv = try CSV<Named>(string: Binary.run(["whatif", "cutoff", "--parent", "Microsoft", "--format", "csv"], in: work).stdout)
        #expect(csv.rows.map { "\($0["organisation"]!)/\($0["system"]!)" } == failing(scenario))
        let markdown = Binary.run(["whatif", "cutoff", "--parent", "Microsoft", "--format", "markdown"], in: work).stdout
        #expect(markdown.contains("## Systems that fail\n"))
        let html = Binary.run(["whatif", "cutoff", "--parent", "Microsoft", "--format", "html"], in: work).stdout
        #expect(html.contains("<h2>Per ministry</h2>") && html.contains("<td>a/files</td>"))
    }

    @Test func aCountryCutOffReachesSubprocessorsAndAParentWithoutSystemsChangesNothing() throws {
        let work = scanned()
        // The US: Microsoft, and the GIS's US subprocessor.
        #expect(failing(try json(work, ["--country", "US"])) == ["a/ad", "a/gis", "a/mail", "a/files", "b/office"])
        let none = try json(work, ["--parent", "Oracle"])
        #expect(failing(none).isEmpty)
        #expect((none["totals"] as? [String: Any])?["verdict"] as? String == "nothing stops")
    }

    @Test func whatIsCutOffMustBeKnown() {
        let work = scanned()
        let parent = Binary.run(["whatif", "cutoff", "--parent", "Mircosoft"], in: work)
        #expect(parent.status == 64 && parent.stderr.contains("no vendor 'Mircosoft' in the catalogue; did you mean 'microsoft'?"), "\(parent.stderr)")
        let country = Binary.run(["whatif", "cutoff", "--country", "USA"], in: work)
        #expect(country.status == 64 && country.stderr.contains("did you mean 'US' (United States)?"), "\(country.stderr)")
        let law = Binary.run(["whatif", "cutoff", "--law", "us_cloud"], in: work)
        #expect(law.status == 64 && law.stderr.contains("no law 'us_cloud' in the rule set"), "\(law.stderr)")
        let nothing = Binary.run(["whatif", "cutoff"], in: work)
        #expect(nothing.status == 64 && nothing.stderr.contains("--parent ID, --country CC or --law ID"))
        let under = Binary.run(["whatif", "cutoff", "--parent", "Microsoft", "--under", "c"], in: work)
        #expect(under.status != 0 && under.stderr.contains("no organisation 'c'"), "\(under.stderr)")
    }

    // MARK: On the example

    static let example: (store: SnapshotDatabase, inventory: SnapshotInventory, organisations: [SnapshotContents.Organisation]) = {
        let work = Fixture.directory()
        let result = Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work)
        precondition(result.status == 0, result.stderr)
        let store = try! SnapshotDatabase(path: work + "/sovscan.db")
        return (store, try! store.inventory(scanID: 1), try! store.organisations(scanID: 1))
    }()

    static func failing(_ targets: [CutoffTarget]) throws -> Set<String> {
        let cuts = try CutoffBuilder.resolve(targets, in: Fixture.ruleSet)
        let scenario = try CutoffBuilder.build(example.inventory, organisations: example.organisations, ruleSet: Fixture.ruleSet, cuts: cuts, under: nil)
        return Set(scenario.systems.map { "\($0.organisation)/\($0.system)" })
    }

    static let targets: [CutoffTarget] = [
        .parent("microsoft"), .parent("sap"), .parent("ibm"), .parent("veeam"), .parent("atlassian"), .parent("oracle"),
        .country("US"), .country("CN"), .country("GB"), .country("CH"), .law("us_cloud_act"), .law("cn_national_intelligence_law"),
    ]

    @Test func cuttingOffMoreNeverMakesASystemAvailableAgain() async {
        await propertyCheck(count: 10, input: Gen.int(in: 0..<Self.targets.count).array(of: 0...4), Gen.int(in: 0..<Self.targets.count)) { picks, extra in
            let some = picks.map { Self.targets[$0] }
            let fewer = (try? Self.failing(some)) ?? [], more = (try? Self.failing(some + [Self.targets[extra]])) ?? []
            #expect(fewer.isSubset(of: more), "\(some) + \(Self.targets[extra])")
        }
    }

    /// `--law` reaches the systems of every parent in a country the rule set
    /// says the law reaches, and only companies of such countries.
    @Test func aLawReachesExactlyTheCountriesTheRuleSetSays() throws {
        let law = "us_cloud_act"
        let countries = Set(Fixture.ruleSet.countries.values.filter { $0.laws.contains(law) }.map(\.code))
        #expect(countries.contains("US"))
        let cuts = try CutoffBuilder.resolve([.law(law)], in: Fixture.ruleSet)
        let scenario = try CutoffBuilder.build(Self.example.inventory, organisations: Self.example.organisations, ruleSet: Fixture.ruleSet,
                                               cuts: cuts, under: nil)
        for company in scenario.companiesCutOff {
            #expect(countries.contains(String(company.suffix(3).prefix(2))), "\(company)")
        }
        let failing = Set(scenario.systems.map { "\($0.organisation)/\($0.system)" })
        var checked = 0
        try Self.example.store.listSystems(scanID: 1, organisations: nil, order: .id, limit: nil) { system, _ in
            guard let country = system.vendorCountry, countries.contains(country) else { return }
            #expect(failing.contains("\(system.organisation)/\(system.id)"), "\(system.organisation)/\(system.id)")
            checked += 1
        }
        #expect(checked > 100)
    }
}
