@testable import Catalogue
import Foundation
import Testing

/// How a vendor's name as inventories write it finds its catalogue entry
/// (docs/rules-format.md, "Matching"): case, spacing and punctuation,
/// diacritics and German transliteration, legal forms, trading names, a
/// trailing country and "(formerly …)" set aside; near misses only suggested.
@Suite struct VendorMatchingTests {
    static func id(_ name: String) -> String? {
        Fixture.ruleSet.vendors.vendor(named: name)?.id
    }

    @Test(arguments: [
        // Legal forms, each in the form people write it.
        ("Cisco Systems Inc.", "cisco"), ("Cisco Systems Incorporated", "cisco"), ("Oracle Corp.", "oracle"),
        ("Oracle Corporation", "oracle"), ("Zoom Video Communications, LLC", "zoom"), ("Zoom Video Communications L.L.C.", "zoom"),
        ("Canonical Ltd", "canonical"), ("Canonical Limited", "canonical"), ("Sage Group plc", "sage"), ("Nextcloud GmbH", "nextcloud"),
        ("SAP SE", "sap"), ("Schwarz Gruppe GmbH & Co. KG", "schwarz-gruppe"), ("Dataport AöR", "dataport"),
        ("Dataport Anstalt des öffentlichen Rechts", "dataport"), ("OVH SAS", "ovhcloud"), ("OVH S.A.S.", "ovhcloud"),
        ("Scaleway S.A.S", "scaleway"), ("UpCloud Oy", "upcloud"), ("New Vector Ltd. (United Kingdom)", "element"),
        // Case, spacing, punctuation.
        ("MICROSOFT CORPORATION", "microsoft"), ("  microsoft   corporation ", "microsoft"), ("Hetzner Online", "hetzner"),
        // Umlauts written out, and diacritics left off.
        ("Anstalt fuer Kommunale Datenverarbeitung in Bayern", "akdb"), ("Anstalt für Kommunale Datenverarbeitung in Bayern AöR", "akdb"),
        // A country after the name, "(formerly …)", and a trading name.
        ("Microsoft Corporation (United States)", "microsoft"), ("SAP SE, Germany", "sap"), ("SAP SE (DE)", "sap"),
        ("Cloud Software Group, Inc. (formerly Citrix Systems, Inc.)", "cloud-software-group"),
        ("Nebius Group N.V. (formerly Yandex N.V.)", "nebius"),
        ("Some Holding LLC d/b/a Zoom", "zoom"), ("Acme Ltd trading as Nextcloud", "nextcloud"),
        // A country subsidiary, when the name with its country finds nothing; a name that holds a country still matches whole.
        ("IBM Canada Limited", "ibm"), ("Microsoft Deutschland GmbH", "microsoft"), ("ORACLE CORPORATION UK LTD", "oracle"),
        ("Telekom Austria AG", "a1-group"),
    ])
    func aWrittenNameFindsItsVendor(name: String, vendor: String) {
        #expect(Self.id(name) == vendor, "\(name)")
    }

    /// Every legal form the issue names, after a name the catalogue knows.
    @Test(arguments: ["Inc.", "Incorporated", "Corp.", "Corporation", "LLC", "L.L.C.", "Ltd", "Limited", "plc", "GmbH", "mbH", "AG", "SE", "KG",
                      "GmbH & Co. KG", "AöR", "Anstalt des öffentlichen Rechts", "e.V.", "S.A.", "S.A.S.", "SARL", "S.p.A.", "S.r.l.", "B.V.",
                      "N.V.", "AB", "A/S", "Oy", "AS"])
    func eachLegalFormIsSetAside(form: String) {
        #expect(Self.id("Nextcloud \(form)") == "nextcloud", "Nextcloud \(form)")
        #expect(Self.id("Nextcloud, \(form)") == "nextcloud", "Nextcloud, \(form)")
    }

    @Test func transliterationAndDiacriticsReadAlike() {
        let forms = VendorNameForms(countryNames: ["Germany", "Deutschland"], codes: ["DE"])
        #expect(forms.keys("Müller & Söhne Straßenbau GmbH") == forms.keys("Mueller and Soehne Strassenbau"))
        #expect(forms.keys("Société Générale S.A.") == ["societe generale"])
        #expect(forms.keys("Ærø Data ApS (Deutschland)") == forms.keys("Aeroe Data"))
        #expect(forms.keys("X LLC d/b/a Y Ltd") == ["x", "y"])
    }

    /// Near misses stay suggestions: a matcher that guessed would put a
    /// company under the wrong law.
    @Test(arguments: ["Microsft Corporation", "Deutsche Telekom Digital", "SAP Fioneer GmbH", "Oraclee Corporation", "Muller GmbH", "Canada Post"])
    func aNearMissIsNoMatch(name: String) {
        #expect(Self.id(name) == nil, "\(name) matched \(Self.id(name) ?? "")")
    }

    /// Two vendors whose names read alike once legal forms and punctuation
    /// are set aside make the rule set invalid: `rules test` fails and says which.
    @Test func aNormalFormTwoVendorsShareIsAnErrorOfTheRuleSet() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        let path = rules + "/vendors.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data((text + """
              - id: nextcloud-ag
                name: Nextcloud AG
                country: CH
                source: {title: Test, url: "https://example.org/", date: 2026-12-07}

            """).utf8).write(to: URL(fileURLWithPath: path))
        let result = Binary.run(["rules", "test", "--rules", rules])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("'Nextcloud AG' reads as 'nextcloud' once case, punctuation, diacritics and legal form are set aside, as a name of vendor 'nextcloud' does"),
                "\(result.stderr)")
    }
}

/// A local vendors file beside the inventories, and ownership that changes
/// on a date: a history across an acquisition scores each snapshot with the
/// owner of its date and says so in `explain`.
@Suite struct LocalVendorsTests {
    /// A German software house bought by a US group on 2025-01-01, as a local file states it.
    static let vendors = """
        rules: 1
        vendors:
          - id: talgrund
            name: Softwarehaus Talgrund GmbH
            aliases: [Talgrund]
            country: DE
            parent: acme-us
            since: 2025-01-01
            source: {title: Handelsregister, url: "https://www.handelsregister.de/", date: 2025-01-02}
          - id: acme-us
            name: "Acme Software, Inc."
            country: US
            source: {title: Acme press release, url: "https://example.org/acme", date: 2025-01-01}
          - id: nextcloud
            name: Nextcloud GmbH
            country: AT
            source: {title: Test, url: "https://example.org/nc", date: 2026-12-07}

        """

    static func inventory(asOf: String) -> String {
        "inventory: 1\norganisation: {id: amt, name: Amt, type: agency, country: DE}\nas_of: \(asOf)\nsystems:\n"
            + Fixture.system(id: "fachverfahren", ["vendor": "Softwarehaus Talgrund GmbH", "product": "Talgrund Fach", "deployment": "on_premises",
                                                   "hosting": "{data_location: [DE]}", "criticality": "high"])
    }

    static func jurisdiction(_ work: String, scan: Int) throws -> (score: Int, vendor: String) {
        let result = Binary.run(["explain", "amt/fachverfahren", "--scan", "\(scan)", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let score = try #require((json["scores"] as? [String: [String: Any]])?["jurisdiction"]?["score"] as? Int)
        let text = Binary.run(["explain", "amt/fachverfahren", "--scan", "\(scan)"], in: work).stdout
        return (score, text.split(separator: "\n").first { $0.hasPrefix("vendor: ") }.map(String.init) ?? "")
    }

    @Test func aLocalFileResolvesAVendorAndOwnershipFollowsTheDate() throws {
        let work = Fixture.write([
            "2024/vendors.yaml": Self.vendors, "2024/amt.yaml": Self.inventory(asOf: "2024-09-30"),
            "2025/vendors.yaml": Self.vendors, "2025/amt.yaml": Self.inventory(asOf: "2025-09-30"),
            "without/amt.yaml": Self.inventory(asOf: "2024-09-30"),
        ])
        let unknown = Binary.run(["scan", "without", "--db", "unknown.db"], in: work)
        #expect(unknown.stderr.contains("'Softwarehaus Talgrund GmbH' (vendor) is in neither the vendor catalogue"), "\(unknown.stderr)")
        for year in ["2024", "2025"] {
            let scan = Binary.run(["scan", year], in: work)
            #expect(scan.status == 0, "\(scan.stderr)")
            // The vendors file is not read as an inventory, and the local entry that contradicts the catalogue is named with both places.
            #expect(scan.stdout.contains("from 1 file"), "\(scan.stdout)")
            #expect(scan.stderr.contains("\(year)/vendors.yaml:14:9: warning: vendor 'nextcloud' is Nextcloud GmbH (AT), no parent here but Nextcloud GmbH (DE), no parent in \(Fixture.rulesDirectory)/vendors.yaml:"),
                    "\(scan.stderr)")
        }
        let before = try Self.jurisdiction(work, scan: 1), after = try Self.jurisdiction(work, scan: 2)
        var unknownScore = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(
            ["explain", "amt/fachverfahren", "--db", "unknown.db", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        unknownScore = (unknownScore["scores"] as? [String: [String: Any]])?["jurisdiction"] ?? [:]
        // Known and German, the vendor scores below the unknown one; bought by a US group, above the German one.
        #expect(before.score < unknownScore["score"] as? Int ?? 0)
        #expect(after.score > before.score)
        #expect(before.vendor == "vendor: Softwarehaus Talgrund GmbH (DE) [from 2024/vendors.yaml:3]", "\(before.vendor)")
        #expect(after.vendor.hasPrefix("vendor: Softwarehaus Talgrund GmbH (DE) [from 2025/vendors.yaml:3], owned by Acme Software, Inc. (US: CLOUD Act"),
                "\(after.vendor)")
        #expect(after.vendor.hasSuffix("[from 2025/vendors.yaml:10] since 2025-01-01"), "\(after.vendor)")
        // History follows the owner of each date.
        let history = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["history", "--format", "json"], in: work).stdout.utf8))
            as? [String: Any])
        let series = try #require(history["series"] as? [[String: Any]])
        #expect(series.map { $0["as_of"] as? String } == ["2024-09-30", "2025-09-30"])
        #expect((series[1]["jurisdiction"] as? Double ?? 0) > (series[0]["jurisdiction"] as? Double ?? 0), "\(series)")
        // --vendors names the file; two beside the inventories is a usage error.
        let two = Binary.run(["validate", "2024", "2025"], in: work)
        #expect(two.status == 64 && two.stderr.contains("name the one to use with --vendors FILE"), "\(two.stderr)")
        #expect(Binary.run(["validate", "without", "--vendors", "2024/vendors.yaml"], in: work).stderr.contains("Talgrund") == false)
    }

    @Test func aLocalFileWithMistakesIsRefusedAtItsLines() {
        let work = Fixture.write([
            "inv/vendors.yaml": "rules: 1\nvendors:\n  - id: x\n    name: X GmbH\n    country: DX\n    lei: 5299009N55YRQC69CN09\n    parent: nowhere\n    source: {title: T, url: \"https://example.org/\", date: 2026-12-07}\n",
            "inv/amt.yaml": Self.inventory(asOf: "2024-09-30"),
        ])
        let result = Binary.run(["validate", "inv"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("inv/vendors.yaml:5:14: error: 'country' must be a country listed in the rule set's countries.yaml, not 'DX'"), "\(result.stderr)")
        #expect(result.stderr.contains("inv/vendors.yaml:6:10: error: 'lei' '5299009N55YRQC69CN09' fails the ISO 17442 check digits"), "\(result.stderr)")
    }
}

/// `sovscan vendors`: the list, one vendor whole, and the names nothing resolves.
@Suite struct VendorsCommandTests {
    @Test func listAndShow() throws {
        let list = Binary.run(["vendors", "list", "--country", "CH", "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["vendors"] as? [[String: Any]])
        #expect(!rows.isEmpty && rows.allSatisfy { $0["country"] as? String == "CH" })
        #expect(Binary.run(["vendors", "list"]).stdout.hasPrefix("\(Fixture.ruleSet.vendors.vendors.count) vendors in "))
        #expect(Binary.run(["vendors", "list", "--country", "Schweiz"]).status == 64)

        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let show = Binary.run(["vendors", "show", "VMware"], in: work)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("  owned by Broadcom Inc. (US) since 2023-11-22\n"), "\(show.stdout)")
        #expect(show.stdout.contains("  earlier: owned by Dell Technologies Inc. from 2016-09-07 until 2021-11-01\n"))
        #expect(show.stdout.contains("CLOUD Act"))
        let microsoft = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(
            ["vendors", "show", "Microsoft Deutschland GmbH", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        #expect(microsoft["id"] as? String == "microsoft")
        let uses = try #require(microsoft["used_by"] as? [[String: Any]])
        #expect(uses.contains { $0["organisation"] as? String == "bl-km-zentrale" && $0["system"] as? String == "mail" })
        let unknown = Binary.run(["vendors", "show", "Mircosoft"], in: work)
        #expect(unknown.status == 1 && unknown.stderr.contains("did you mean"), "\(unknown.stderr)")
    }

    @Test func unresolvedNamesAreRankedWithEntriesToFillIn() throws {
        let work = Fixture.write(["inv/amt.yaml": Fixture.inventory(systems:
            Fixture.system(id: "a", ["vendor": "Softwarehaus Talgrund GmbH", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                     "criticality": "low"])
            + Fixture.system(id: "b", ["vendor": "Kartendienst Nord", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                                       "criticality": "critical"])
            + Fixture.system(id: "c", ["vendor": "Mircosoft", "criticality": "medium"]))])
        let result = Binary.run(["vendors", "unresolved", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let names = try #require(json["names"] as? [[String: Any]])
        // By criticality weight: critical (4), medium (2), low (1).
        #expect(names.map { $0["name"] as? String } == ["Kartendienst Nord", "Mircosoft", "Softwarehaus Talgrund GmbH"])
        #expect(names[1]["suggestions"] as? [String] == ["Microsoft Corporation (microsoft)"])
        #expect(names[0]["first_at"] as? String == "inv/amt.yaml:22:13", "\(names[0])")
        // The entries pasted unedited are refused at their line: XX is no country.
        let stanzas = Binary.run(["vendors", "unresolved", "inv"], in: work).stdout
        let file = "rules: 1\nvendors:\n" + stanzas.components(separatedBy: "vendors:\n").last!
        try Data(file.utf8).write(to: URL(fileURLWithPath: work + "/inv/vendors.yaml"))
        let pasted = Binary.run(["validate", "inv"], in: work)
        #expect(pasted.status == 1 && pasted.stderr.contains("'country' must be a country listed"), "\(pasted.stderr)")
        // From a stored scan.
        try FileManager.default.removeItem(atPath: work + "/inv/vendors.yaml")
        #expect(Binary.run(["scan", "inv"], in: work).status == 0)
        let stored = Binary.run(["vendors", "unresolved", "--scan", "1"], in: work)
        #expect(stored.status == 0 && stored.stdout.contains("amt/b"), "\(stored.stdout)")
        #expect(Binary.run(["vendors", "unresolved"], in: work).status == 64)
    }
}
