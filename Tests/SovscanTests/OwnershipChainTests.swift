import Catalogue
import Domain
import Foundation
import GRDB
import Inventory
import PropertyBased
import Scoring
import Testing

/// Jurisdiction along the whole ownership chain: a party is under the law of
/// every company from the one named up to its ultimate parent, and a
/// financial investor's control is recorded and scored only where a profile
/// says so.
@Suite struct OwnershipChainTests {
    /// One agency in Germany with the same SaaS from two vendors, hosted in Germany by the vendor.
    static func land(_ vendors: [String]) -> [String: String] {
        let systems = vendors.enumerated().map { index, vendor in
            Fixture.system(id: "s\(index)", [
                "vendor": vendor, "product": "Security Service", "deployment": "saas", "licence": "proprietary", "criticality": "high",
                "hosting": "{provider: \"\(vendor)\", data_location: [DE], processing_location: [DE], support_access: [DE]}",
                "data": "{personal: true, special_categories: false}", "export": "full", "substitutability": "easy",
                "telemetry": "none", "encryption_keys": "customer", "formats": "[odf]", "interfaces": "[rest]",
                "contract": "{ends: 2027-06-30, exit_plan: true}", "subprocessors": "[{name: Hetzner Online GmbH, country: DE}]",
            ])
        }.joined()
        return [
            "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
            "amt.yaml": Fixture.inventory(systems: systems,
                                          organisation: "organisation: {id: amt, name: Amt, type: agency, parent: mi, country: DE}\n"),
        ]
    }

    private func jurisdiction(_ work: String, _ system: String) throws -> (score: Int, rules: Set<String>) {
        let result = Binary.run(["explain", "amt/\(system)", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let score = try #require((json["scores"] as? [String: [String: Any]])?["jurisdiction"])
        let findings = (score["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        return (score["score"] as? Int ?? -1, Set(findings))
    }

    /// The issue's two cases: a US company of a European group scores as a
    /// US provider, and `explain` names the link that brings the law.
    @Test(arguments: [("Imperva", "Thales Deutschland GmbH", "Imperva, Inc. (US: CLOUD Act, Executive Order 12333, FISA Section 702), owned by Thales S.A. (FR)"),
                      ("Concur", "SAP SE", "Concur Technologies, Inc. (US: CLOUD Act, Executive Order 12333, FISA Section 702), owned by SAP SE (DE) since 2014-12-04")])
    func aUSCompanyOfAEuropeanGroupScoresAsAUSProvider(usCompany: String, europeanCompany: String, chain: String) throws {
        let work = Fixture.write(Self.land([usCompany, europeanCompany]))
        let scan = Binary.run(["scan", "."], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        let us = try jurisdiction(work, "s0"), european = try jurisdiction(work, "s1")
        #expect(us.score > european.score, "\(us) against \(european)")
        #expect(us.rules.isSuperset(of: ["jurisdiction.vendor-foreign", "jurisdiction.hosting-foreign", "jurisdiction.foreign-law-personal-data"]))
        #expect(european.rules.isDisjoint(with: ["jurisdiction.vendor-foreign", "jurisdiction.hosting-foreign", "jurisdiction.foreign-law-personal-data"]))
        let explained = Binary.run(["explain", "amt/s0"], in: work).stdout
        #expect(explained.contains("vendor: \(usCompany), matched to \(chain)\n"), "\(explained)")
        // The country of control stays the group's: the vendor view groups by ultimate parent.
        let vendors = Binary.run(["report", "--level", "vendor", "--format", "csv"], in: work).stdout
        #expect(!vendors.contains(",US,"), "\(vendors)")
    }

    @Test func aFinancialInvestorIsShownAndCountsOnlyInTheStrictProfile() throws {
        let work = Fixture.write(Self.land(["Sophos"]))
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        #expect(Binary.run(["scan", ".", "--profile", "strict", "--db", "strict.db"], in: work).status == 0)
        let standard = Binary.run(["explain", "amt/s0"], in: work).stdout
        #expect(standard.contains("vendor: Sophos, matched to Sophos Limited (GB: Investigatory Powers Act 2016 (as amended 2024)); "
                                  + "controlled by the financial investor Thoma Bravo, LLC (US: CLOUD Act, Executive Order 12333, FISA Section 702)\n"),
                "\(standard)")
        #expect(standard.contains("  +0  jurisdiction.investor-foreign: "))
        let strict = Binary.run(["explain", "amt/s0", "--db", "strict.db"], in: work).stdout
        #expect(strict.contains("  +8  jurisdiction.investor-foreign: "), "\(strict)")
        // The country of control stays Sophos's own.
        let vendors = Binary.run(["report", "--level", "vendor", "--format", "csv"], in: work).stdout
        #expect(vendors.contains("sophos,Sophos Limited,GB,"), "\(vendors)")
    }

    /// A scan stored before sovscan kept the parties says so instead of a chain.
    @Test func aScanStoredBeforeTheChainsWereKeptSaysSo() throws {
        let work = Fixture.write(Self.land(["Imperva"]))
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        try DatabaseQueue(path: work + "/sovscan.db").write { try $0.execute(sql: "DELETE FROM scan_party") }
        let text = Binary.run(["explain", "amt/s0"], in: work).stdout
        #expect(text.contains("vendor (ultimate parent): Thales S.A., FR (the chain of owners is not recorded"), "\(text)")
        #expect(Binary.run(["explain", "amt/s0", "--format", "json"], in: work).stdout.contains("\"parties\" : null"))
    }

    /// Each legal entity of another country than its group, and the names
    /// an inventory writes for it, resolve to that entity and up its chain.
    @Test(arguments: [
        ("Imperva", ["US", "FR"]), ("Imperva, Inc.", ["US", "FR"]), ("Thales Deutschland GmbH", ["FR"]),
        ("SAP Concur", ["US", "DE"]), ("Concur", ["US", "DE"]), ("SAP SuccessFactors", ["US", "DE"]), ("SAP Ariba", ["US", "DE"]),
        ("SAP SE", ["DE"]), ("Secureworks", ["US", "GB"]), ("Sophos", ["GB"]), ("CyberArk", ["IL", "US"]),
        ("ShareFile", ["US"]), ("Google Cloud EMEA Limited", ["IE", "US", "US"]),
    ])
    func namesResolveToTheEntityInventoriesMean(name: String, countries: [String]) {
        let party = FactDeriver(ruleSet: Fixture.ruleSet, organisations: []).party(name)
        #expect(party.chain.map(\.country) == countries, "\(party.chain)")
    }

    // MARK: Properties over made-up chains

    /// The shipped rule set with one more chain of vendors, `chain-0` (named)
    /// owned by `chain-1` and so on, each in the country given.
    static func model(chain countries: [String]) -> ScoringModel {
        let directory = Fixture.directory()
        for file in RuleSet.files {
            try! FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: directory + "/" + file)
        }
        var vendors = try! String(contentsOfFile: directory + "/vendors.yaml", encoding: .utf8)
        for (index, country) in countries.enumerated() {
            vendors += """
                  - id: chain-\(index)
                    name: Chain Company \(index)
                    country: \(country)
                \(index + 1 < countries.count ? "    parent: chain-\(index + 1)\n" : "")\
                    source: {title: Test, url: "https://example.org/", date: 2026-12-07}

                """
        }
        try! Data(vendors.utf8).write(to: URL(fileURLWithPath: directory + "/vendors.yaml"))
        let (ruleSet, diagnostics) = RuleSet.load(directory: directory)
        guard let ruleSet, let model = ScoringModel.load(ruleSet: ruleSet).0 else { fatalError("\(diagnostics)") }
        return model
    }

    /// The jurisdiction score of SaaS from `chain-0`, hosted by it, everything else answered at best.
    static func jurisdiction(chain countries: [String]) -> Int {
        let model = model(chain: countries)
        var system = ScoringTests.system(Array(repeating: 0, count: ScoringTests.factors.count))
        system.vendor = "Chain Company 0"
        system.hosting.provider = "Chain Company 0"
        system.subprocessors = [Subprocessor(name: "Hetzner Online GmbH", country: "DE")]
        let owner = ScoringTests.organisation()
        return OrganisationScorer(model: model, organisations: [owner]).assess([system], of: owner, asOf: ScoringTests.asOf)[0]
            .scores[.jurisdiction]!.score
    }

    static let countries = ["DE", "FR", "AT", "NL", "IE", "CH", "GB", "US", "CN", "IN"]
    static let chains = Gen.int(in: 0..<countries.count).array(of: 1...4).map { $0.map { countries[$0] } }

    @Test func aForeignCompanyAnywhereInTheChainNeverLowersJurisdiction() async {
        await propertyCheck(count: 12, input: Self.chains, Gen.int(in: 0...4), Gen.int(in: 7..<10)) { chain, at, foreign in
            var longer = chain
            longer.insert(Self.countries[foreign], at: min(at, chain.count))
            #expect(Self.jurisdiction(chain: longer) >= Self.jurisdiction(chain: chain), "\(chain) -> \(longer)")
        }
    }

    /// Inside the bloc, as a domestic vendor; with a US company anywhere in
    /// it (named, in between or on top), above that.
    @Test func aChainInsideTheBlocScoresLikeADomesticVendorUntilAForeignCompanyJoinsIt() async {
        let domestic = Self.jurisdiction(chain: ["DE"])
        await propertyCheck(count: 8, input: Gen.int(in: 0..<5).array(of: 1...4), Gen.int(in: 0...4)) { picks, at in
            var chain = picks.map { Self.countries[$0] }
            #expect(Self.jurisdiction(chain: chain) == domestic, "\(chain)")
            chain.insert("US", at: min(at, chain.count))
            #expect(Self.jurisdiction(chain: chain) > domestic, "\(chain)")
        }
    }
}
