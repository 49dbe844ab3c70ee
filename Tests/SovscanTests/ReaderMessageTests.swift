import Catalogue
import Foundation
import Testing

/// Messages a new user meets first: each says where, what is wrong and what would be right.
@Suite struct ReaderMessageTests {
    /// The default system with one of its lines replaced.
    static func inventory(replacing line: String, with replacement: String) -> String {
        let text = Fixture.inventory(systems: Fixture.system())
        precondition(text.contains(line + "\n"))
        return text.replacingOccurrences(of: line + "\n", with: replacement + "\n")
    }

    @Test func wrongIndentationNamesTheKeyAndItsSiblings() {
        let work = Fixture.write([
            "less.yaml": Self.inventory(replacing: "    vendor: Microsoft", with: "   vendor: Microsoft"),
            "more.yaml": Self.inventory(replacing: "    vendor: Microsoft", with: "     vendor: Microsoft"),
        ])
        let result = Binary.run(["validate", "less.yaml", "more.yaml"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr == """
            less.yaml:13:4: error: YAML syntax error: while parsing a block collection (line 9, column 3): did not find expected '-' indicator (probably wrong indentation: 'vendor' is indented 3 spaces, its siblings 4)
            more.yaml:13:12: error: YAML syntax error: mapping values are not allowed in this context (probably wrong indentation: 'vendor' is indented 5 spaces, its siblings 4)

            """)
        #expect(result.stdout == "invalid: 2 files, 0 organisations, 0 systems, 2 errors and 0 warnings\n")
    }

    @Test func wrongIndentationOfAListItemOrAnOrganisationKey() {
        let item = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system() + " " + Fixture.system(id: "b").dropFirst(2)))
        #expect(item.positions == ["18:2 error yaml-syntax"])
        #expect(item.first?.message == "YAML syntax error: while parsing a block mapping (line 1, column 1): did not find expected key (probably wrong indentation: this list item is indented 1 space, the items above it 2)")
        let organisation = Fixture.diagnostics(Fixture.inventory(systems: "  []\n").replacingOccurrences(of: "  name: Testamt", with: " name: Testamt"))
        #expect(organisation.positions == ["4:2 error yaml-syntax"])
        #expect(organisation.first?.message == "YAML syntax error: while parsing a block mapping (line 1, column 1): did not find expected key (probably wrong indentation: 'name' is indented 1 space, its siblings 2)")
    }

    @Test func aColonInAValueOrAnUnclearLayoutGetsNoIndentationGuess() {
        let colon = Fixture.diagnostics(Self.inventory(replacing: "    name: E-Mail", with: "    name: E-Mail: intern"))
        #expect(colon.positions == ["10:17 error yaml-syntax"])
        #expect(colon.first?.message == "YAML syntax error: mapping values are not allowed in this context (probably a ': ' inside a value; put the value in quotes)")
        let unclear = Fixture.diagnostics(Self.inventory(replacing: "    name: E-Mail", with: "    name: \"E-Mail\" intern"))
        #expect(unclear.positions == ["10:20 error yaml-syntax"])
        #expect(unclear.first?.message == "YAML syntax error: while parsing a block mapping (line 9, column 5): did not find expected key (check the indentation of this line and the one above)")
    }

    @Test func aTabInIndentationIsNamedAtTheTab() {
        let work = Fixture.write([
            "tab.yaml": Self.inventory(replacing: "    name: E-Mail", with: "\tname: E-Mail"),
            "spaces-then-tab.yaml": Self.inventory(replacing: "    hosting: {provider: Microsoft, data_location: [EU]}", with: "    hosting:\n  \t  provider: Microsoft"),
        ])
        let result = Binary.run(["validate", "tab.yaml", "spaces-then-tab.yaml"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr == """
            spaces-then-tab.yaml:16:3: error: YAML syntax error: tabs are not allowed in YAML indentation; indent with spaces
            tab.yaml:10:1: error: YAML syntax error: tabs are not allowed in YAML indentation; indent with spaces

            """)
        #expect(result.stdout == "invalid: 2 files, 0 organisations, 0 systems, 2 errors and 0 warnings\n")
    }

    @Test func aLicenceFamilyNameSuggestsItsIdentifiers() {
        let message = { (licence: String) in
            Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["licence": licence]))).map { "\($0.location) \($0.message)" }
        }
        let prefix = "16:14 'licence' must be 'proprietary' or an SPDX licence expression: "
        #expect(message("GPL") == [prefix + "'GPL' is not an SPDX licence id; did you mean 'GPL-1.0-only', 'GPL-1.0-or-later', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only' or 'GPL-3.0-or-later'?"])
        #expect(message("bsd") == [prefix + "'bsd' is not an SPDX licence id; did you mean 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-3-Clause' or 'BSD-4-Clause'?"])
        #expect(message("MPL") == [prefix + "'MPL' is not an SPDX licence id; did you mean 'MPL-1.0', 'MPL-1.1' or 'MPL-2.0'?"])
        #expect(message("EUPL") == [prefix + "'EUPL' is not an SPDX licence id; did you mean 'EUPL-1.0', 'EUPL-1.1' or 'EUPL-1.2'?"])
        #expect(message("CC0") == [prefix + "'CC0' is not an SPDX licence id; did you mean 'CC0-1.0'?"])
        #expect(message("MTI") == [prefix + "'MTI' is not an SPDX licence id; did you mean 'MIT'?"], "a typo is still a typo")
    }

    @Test(arguments: [("geo", "gis"), ("gis-system", "gis"), ("e-mail", "email"), ("mail", "email"), ("erp", "erp_finance"), ("dms", "document_management")])
    func aFunctionSynonymSuggestsTheFunction(synonym: String, function: String) {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["function": synonym])))
        #expect(diagnostics.positions == ["11:15 warning unknown-function"], "a synonym is never accepted")
        #expect(diagnostics.first?.message == "unknown function '\(synonym)'; did you mean '\(function)'?")
    }

    @Test(arguments: [("Deutschland", "DE"), ("Österreich", "AT"), ("Schweiz", "CH"), ("Vereinigtes Königreich", "GB"), ("USA", "US"), ("Russia", "RU")])
    func aCountryNameInGermanOrEnglishSuggestsTheCode(name: String, code: String) {
        let organisation = Fixture.defaultOrganisation.replacingOccurrences(of: "country: DE", with: "country: \(name)")
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: "  []\n", organisation: organisation))
        #expect(diagnostics.positions == ["6:12 error country"])
        #expect(diagnostics.first?.message == "'country' must be an ISO 3166-1 alpha-2 country code, not '\(name)'; did you mean '\(code)'?")
    }

    @Test func aSynonymStandsForOneFunctionOnly() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        let path = rules + "/functions.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "    synonyms: [chat, instant-messaging]", with: "    synonyms: [chat, mail]").utf8)
            .write(to: URL(fileURLWithPath: path))
        let (_, diagnostics) = RuleSet.load(directory: rules)
        #expect(diagnostics.map { "\($0.location) \($0.message)" } == ["18:5 function id or synonym 'mail' stands for both 'email' and 'messaging'"])
    }
}
