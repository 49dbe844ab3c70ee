import Foundation
import GRDB
import SwiftCSV
import Testing

/// The dependence views (`report --level vendor|country|system`) on a
/// hand-computed inventory: shares, spend, the two personal-data figures,
/// orders and `--top`.
@Suite struct DependenceTests {
    /// One ministry with a municipality and an agency. Criticality weights:
    /// s1 critical 4, s2 high 3, s3 low 1, s4 medium 2, s5 medium 2 (12 in all).
    static let land: [String: String] = [
        "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
        "a.yaml": Fixture.inventory(systems:
            Fixture.system(id: "s1", ["criticality": "critical", "hosting": "{provider: Microsoft, data_location: [US]}",
                                      "data": "{personal: true}", "contract": "{annual_cost_eur: 1000.50}"])
            + Fixture.system(id: "s2", ["criticality": "high", "data": "{personal: true}", "contract": "{annual_cost_eur: 2000}"])
            + Fixture.system(id: "s3", ["vendor": "Nextcloud", "product": "Nextcloud Hub", "deployment": "on_premises",
                                        "hosting": "{data_location: [DE]}", "licence": "AGPL-3.0-or-later", "criticality": "low",
                                        "data": "{personal: true}"]),
            organisation: "organisation: {id: a, name: Stadt, type: municipality, parent: mi, country: DE}\n"),
        "b.yaml": Fixture.inventory(systems:
            Fixture.system(id: "s4", ["vendor": "SAP SE", "product": "SAP S/4HANA", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                      "criticality": "medium", "data": "{personal: false}", "contract": "{annual_cost_eur: 500}"])
            + Fixture.system(id: "s5", ["product": "Exchange Server", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                        "criticality": "medium", "data": "{personal: true}"]),
            organisation: "organisation: {id: b, name: Amt, type: agency, parent: mi, country: DE}\n"),
    ]

    private func scanned() -> String {
        let work = Fixture.write(Self.land)
        let scan = Binary.run(["scan", "."], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        return work
    }

    private func report(_ work: String, _ arguments: [String]) throws -> [String: Any] {
        let result = Binary.run(["report", "--format", "json"] + arguments, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func rows(_ json: [String: Any], _ key: String) throws -> [[String: Any]] {
        try #require(json[key] as? [[String: Any]])
    }

    @Test func vendorRowsAreSharesOfTheScope() throws {
        let work = scanned()
        let vendors = try rows(report(work, ["--level", "vendor"]), "vendors")
        #expect(vendors.map { $0["parent"] as? String } == ["microsoft", "sap", "nextcloud"], "by dependence: 9, 2 and 1 of 12")
        let microsoft = vendors[0]
        #expect(microsoft["dependence"] as? Double == 0.75)
        #expect(microsoft["share_of_systems"] as? Double == 0.6)
        #expect(microsoft["critical_systems"] as? Int == 2)
        #expect(microsoft["share_of_critical"] as? Double == 1)
        #expect(microsoft["organisations"] as? Int == 2)
        #expect(microsoft["ministries"] as? Int == 1)
        #expect(microsoft["country"] as? String == "US")
        #expect((microsoft["laws"] as? [String])?.contains { $0.hasPrefix("CLOUD Act") } == true)
        let spend = try #require(microsoft["spend"] as? [String: Any])
        #expect(spend["annual_cost_eur"] as? Double == 3000.5)
        #expect(spend["systems_stating_cost"] as? Int == 2)
        #expect(spend["systems"] as? Int == 3)
        for key in ["dependence", "share_of_systems", "share_of_critical"] {
            let sum = vendors.map { $0[key] as? Double ?? 0 }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-9, "\(key) adds up to the whole scope")
        }
        // Nothing of a group's figures that mean nothing for one vendor.
        #expect(microsoft["hhi"] == nil && microsoft["vendors"] == nil)
    }

    @Test func countryRowsAddUpAndNameTheirParents() throws {
        let work = scanned()
        let countries = try rows(report(work, ["--level", "country"]), "countries")
        #expect(countries.map { $0["country"] as? String } == ["US", "DE"])
        #expect(countries[0]["systems"] as? Int == 3 && countries[1]["systems"] as? Int == 2)
        #expect(countries[1]["bloc"] as? String == "eu_eea")
        #expect((countries[1]["parents"] as? [[String: Any]])?.map { $0["parent"] as? String } == ["nextcloud", "sap"])
        let spendShare = try #require(countries[0]["share_of_spend"] as? Double)
        #expect(abs(spendShare - 3000.5 / 3500.5) < 1e-9)
        for key in ["dependence", "share_of_systems", "share_of_critical", "share_of_spend", "share_of_personal_data"] {
            let sum = countries.map { $0[key] as? Double ?? 0 }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-9, "\(key) adds up to the whole scope")
        }
    }

    /// A table cuts a law's name at its first comma outside parentheses:
    /// the year and amendment in parentheses stay, the article goes.
    @Test func lawNamesKeepWhatIsInParentheses() throws {
        let work = Fixture.write([
            "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
            "a.yaml": Fixture.inventory(
                systems: Fixture.system(id: "storage", ["vendor": "Huawei", "product": "OceanStor", "deployment": "on_premises",
                                                        "hosting": "{data_location: [DE]}"]),
                organisation: "organisation: {id: a, name: Amt, type: agency, parent: mi, country: DE}\n"),
        ])
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        for level in ["country", "vendor"] {
            let table = Binary.run(["report", "--level", level], in: work).stdout
            #expect(table.contains("Counter-Espionage Law of the PRC (revised 2023); Cybersecurity Law of the PRC (2016, amended 2025); "
                                   + "Data Security Law of the PRC (2021); National Intelligence Law of the PRC (2017)"), "\(table)")
        }
        let csv = Binary.run(["report", "--level", "country", "--format", "csv"], in: work).stdout
        #expect(csv.contains("Cybersecurity Law of the PRC (2016, amended 2025), art. 28"), "CSV keeps the whole name")
    }

    /// By location and by party: SaaS with its data in the US counts in both,
    /// SaaS with its data in the EU under a foreign law only, software run on
    /// premises in Germany in neither, whoever made it.
    @Test func personalDataIsCountedByLocationAndByParty() throws {
        let work = scanned()
        let json = try report(work, ["--level", "organisation"])
        let groups = try rows(json, "groups")
        let stadt = try #require(groups.first { $0["id"] as? String == "a" }?["personal_data"] as? [String: Int])
        #expect(stadt == ["systems": 3, "outside_bloc": 1, "under_foreign_law": 2])
        let amt = try #require(groups.first { $0["id"] as? String == "b" }?["personal_data"] as? [String: Int])
        #expect(amt == ["systems": 1, "outside_bloc": 0, "under_foreign_law": 0], "Exchange Server on premises in Germany")
        let table = Binary.run(["report"], in: work).stdout
        #expect(table.contains("personal data in 4 systems, outside the bloc 1 of 4, under a foreign law 2 of 4"), "\(table)")
        #expect(table.contains("Legend:") && table.contains("personal data outside bloc: of the systems holding personal data"))
    }

    @Test func sortAndTopApplyToEveryLevel() throws {
        let work = scanned()
        let top = try report(work, ["--level", "vendor", "--sort", "name", "--top", "2"])
        #expect(try rows(top, "vendors").map { $0["parent"] as? String } == ["microsoft", "nextcloud"])
        let shown = try #require(top["rows"] as? [String: Any])
        #expect(shown["sort"] as? String == "name" && shown["top"] as? Int == 2 && shown["total"] as? Int == 3)
        let systems = try rows(report(work, ["--level", "system"]), "systems")
        #expect(systems.first?["system"] as? String == "s1", "the critical SaaS system is the riskiest")
        let risks = systems.map { $0["risk"] as? Int ?? 0 }
        #expect(risks == risks.sorted(by: >))
        #expect(systems.first?["ministry"] as? String == "mi")
        let byCost = try rows(report(work, ["--level", "system", "--sort", "cost", "--top", "2"]), "systems")
        #expect(byCost.map { $0["system"] as? String } == ["s2", "s1"])
        let ministries = try rows(report(work, ["--level", "organisation", "--sort", "systems"]), "groups")
        #expect(ministries.map { $0["id"] as? String } == ["a", "b"], "3 systems, then 2; the ministry itself has none")
        let wrong = Binary.run(["report", "--level", "vendor", "--sort", "hhi"], in: work)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--sort hhi does not apply to --level vendor; it sorts by dependence, systems"), "\(wrong.stderr)")
        #expect(Binary.run(["report", "--top", "0"], in: work).status == 64)
    }

    @Test func systemListStreamsAsCSVWithTheOrganisationOfEachSystem() throws {
        let work = scanned()
        let csv = try CSV<Named>(string: Binary.run(["report", "--level", "system", "--format", "csv"], in: work).stdout)
        #expect(csv.rows.count == 5)
        #expect(csv.rows.first?["organisation_name"] == "Stadt" && csv.rows.first?["ministry_name"] == "Ministerium")
        #expect(csv.rows.first { $0["system"] == "s4" }?["annual_cost_eur"] == "500.00")
        let markdown = Binary.run(["report", "--level", "system", "--format", "markdown", "--under", "b"], in: work).stdout
        #expect(markdown.contains("b/s4") && !markdown.contains("a/s1"))
        #expect(markdown.contains("## Glossary"))
    }

    /// docs/schema.md's queries 23 and 24 give the figures of the reports.
    @Test func schemaQueriesAgreeWithTheReports() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let queue = try DatabaseQueue(path: work + "/sovscan.db")
        let byParent = try queue.read { try Row.fetchAll($0, sql: Fixture.schemaQuery("23.")) }
        let vendors = try rows(report(work, ["--level", "vendor"]), "vendors")
        #expect(byParent.count == vendors.count && vendors.count > 50)
        for (row, vendor) in zip(byParent, vendors) {
            #expect(row["parent"] as String == vendor["parent"] as? String)
            #expect(row["systems"] as Int == vendor["systems"] as? Int)
            #expect(row["critical_systems"] as Int == vendor["critical_systems"] as? Int)
            #expect(row["organisations"] as Int == vendor["organisations"] as? Int)
            #expect(abs(row["dependence"] as Double - (vendor["dependence"] as? Double ?? -1)) < 0.00005, "\(row)")
            let spend = vendor["spend"] as? [String: Any]
            #expect(row["systems_stating_cost"] as Int == spend?["systems_stating_cost"] as? Int)
            #expect(abs(row["annual_cost_eur"] as Double - (spend?["annual_cost_eur"] as? Double ?? -1)) < 0.005)
        }
        let byOrganisation = try queue.read { try Row.fetchAll($0, sql: Fixture.schemaQuery("24.")) }
        let groups = try rows(report(work, ["--level", "organisation"]), "groups")
        #expect(byOrganisation.count == groups.count)
        for row in byOrganisation {
            let group = try #require(groups.first { $0["id"] as? String == row["org_id"] })
            let personal = group["personal_data"] as? [String: Int]
            #expect(personal == ["systems": row["personal_data"], "outside_bloc": row["outside_bloc"], "under_foreign_law": row["under_foreign_law"]],
                    "\(row)")
        }
    }

    /// Organisations with different as-of dates: every heading gives the range.
    @Test func headingsGiveTheRangeOfAsOfDates() throws {
        var land = Self.land
        land["b.yaml"] = land["b.yaml"]!.replacingOccurrences(of: "as_of: 2026-09-30", with: "as_of: 2026-03-31")
        let work = Fixture.write(land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let scan = try #require(try report(work, ["--level", "vendor"])["scan"] as? [String: Any])
        #expect(scan["as_of"] as? String == "2026-09-30" && scan["as_of_earliest"] as? String == "2026-03-31")
        for format in ["table", "markdown", "html"] {
            for level in ["ministry", "country", "system"] {
                let printed = Binary.run(["report", "--format", format, "--level", level], in: work).stdout
                #expect(printed.contains("as of 2026-03-31 to 2026-09-30"), "\(format), \(level)")
            }
        }
        let one = try #require(try report(work, ["--under", "a"])["scan"] as? [String: Any])
        #expect(one["as_of_earliest"] == nil, "one organisation in scope, one date")
    }
}
