import Catalogue
import Domain
import Foundation
import Testing

/// `sovscan validate` and `sovscan schema`, run as a user runs them.
@Suite struct ValidateCommandTests {
    @Test func validInventoryExitsZero() {
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        let result = Binary.run(["validate", directory])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            valid: 1 file, 1 organisation, 1 system
            assumed: data.personal not stated for 1 of 1 system (first: \(directory)/a.yaml:9:5 mail): scored as unknown, like personal data where a rule asks; state true or false
            assumed: data.special_categories not stated for 1 of 1 system (first: \(directory)/a.yaml:9:5 mail): scored as unknown, like special categories where a rule asks (data.personal: false implies none); state true or false

            """)
        #expect(result.stderr.isEmpty)
    }

    /// An answer left out is read as unknown, and validate says for how many
    /// systems and which first; one implied by the other answer is not left
    /// out: special categories are personal data, and no personal data
    /// means no special categories.
    @Test func dataAnswersLeftOutAreNamedAndImpliedOnesAreNot() throws {
        let onPremises: KeyValuePairs<String, String> = ["deployment": "on_premises", "hosting": "{data_location: [DE]}"]
        var systems = Fixture.system(id: "none-stated", onPremises)
        systems += Fixture.system(id: "no-personal", ["deployment": "on_premises", "hosting": "{data_location: [DE]}", "data": "{personal: false}"])
        systems += Fixture.system(id: "special", ["deployment": "on_premises", "hosting": "{data_location: [DE]}", "data": "{special_categories: true}"])
        systems += Fixture.system(id: "personal", ["deployment": "on_premises", "hosting": "{data_location: [DE]}", "data": "{personal: true}"])
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: systems)])
        let text = Binary.run(["validate", "a.yaml"], in: directory)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.split(separator: "\n").dropFirst() == [
            "assumed: data.personal not stated for 1 of 4 systems (first: a.yaml:9:5 none-stated): scored as unknown, like personal data where a rule asks; state true or false",
            "assumed: data.special_categories not stated for 2 of 4 systems (first: a.yaml:9:5 none-stated): scored as unknown, like special categories where a rule asks (data.personal: false implies none); state true or false",
        ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["validate", "a.yaml", "--format", "json"], in: directory).stdout.utf8)) as? [String: Any])
        let unstated = try #require(json["unstated"] as? [[String: Any]])
        #expect(unstated.map { "\($0["field"]!) \($0["systems"]!) \($0["read_as"]!)" } == ["data.personal 1 unknown", "data.special_categories 2 unknown"])
        #expect((unstated.first?["first"] as? [String: Any])?["line"] as? Int == 9)
        // The implied answers score as known: no special-categories finding
        // for the system without personal data; the one that states none
        // of it scores it as unknown.
        #expect(Binary.run(["scan", "a.yaml"], in: directory).status == 0)
        let noPersonal = Binary.run(["explain", "testamt/no-personal"], in: directory).stdout
        let noneStated = Binary.run(["explain", "testamt/none-stated"], in: directory).stdout
        #expect(!noPersonal.contains("special-categories-foreign-party"), "\(noPersonal)")
        #expect(noneStated.contains("special-categories-foreign-party"), "\(noneStated)")
    }

    @Test func invalidInventoryExitsOneWithGccStyleDiagnostics() {
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["users": "many", "deploymnet": "x"]))])
        let result = Binary.run(["validate", directory + "/a.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(directory)/a.yaml:18:12: error: 'users' must be a whole number written in decimal digits, not 'many'
            \(directory)/a.yaml:19:5: warning: unknown key 'deploymnet' in system; did you mean 'deployment'?

            """)
        #expect(result.stdout.hasPrefix("invalid: 1 file, 1 organisation, 1 system, 1 error and 1 warning\nassumed: "))
    }

    @Test func summaryLineIsTheResultOnStdoutAndJSONIsAlone() throws {
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["deploymnet": "x"]))])
        let text = Binary.run(["validate", directory])
        #expect(text.stdout.hasPrefix("valid: 1 file, 1 organisation, 1 system, 0 errors and 1 warning\nassumed: "))
        #expect(!text.stderr.contains("valid:"))
        let json = Binary.run(["validate", "--format", "json", directory])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) is [String: Any], "stdout is one JSON document")
        #expect(!json.stdout.contains("valid:") && !json.stderr.contains("valid:"))
        #expect(Binary.run(["validate", "--help"]).stdout.contains("stdout has the result only"))
    }

    @Test func warningsAloneStillExitZero() {
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["function": "emial"]))])
        let result = Binary.run(["validate", directory])
        #expect(result.status == 0)
        #expect(result.stderr.contains(":11:15: warning: unknown function 'emial'; did you mean 'email'?"))
    }

    @Test(arguments: [["validate"], ["validate", "--format", "xml", "x.yaml"], ["validate", "--bogus", "x.yaml"], ["frobnicate"]])
    func usageErrorsExit64(arguments: [String]) {
        let result = Binary.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test(arguments: [["help", "nope"], ["help", "rules", "nope"]])
    func helpOfAnUnknownCommandIsAUsageError(arguments: [String]) {
        let result = Binary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown command 'sovscan \(arguments.dropFirst().joined(separator: " "))'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(Binary.run(["help", "rules", "list"]).status == 0)
    }

    @Test func helpSaysEveryExitStatusTheReadmeDoes() throws {
        let readme = try String(contentsOfFile: Fixture.root + "/README.md", encoding: .utf8)
        let help = Binary.run(["--help"]).stdout
        let words = { (text: String) in text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let statuses = "0 success (warnings allowed), 1 invalid input or a database that cannot be used, 2 a `diff --fail-on` condition met, 64 usage error, 130 interrupted (Ctrl-C or SIGTERM; a scan stores nothing)."
        #expect(words(readme).contains("Exit status: " + statuses))
        #expect(words(help).contains("Exit status: " + statuses), "\(help)")
    }

    @Test func missingPathIsAClearError() {
        let result = Binary.run(["validate", "/nonexistent/inventory.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr == "sovscan: /nonexistent/inventory.yaml: No such file or directory\n")
    }

    @Test func jsonFormat() throws {
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["users": "-3"]) + Fixture.system(id: "b", ["colour": "x"]))])
        let result = Binary.run(["validate", "--format", "json", directory])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["organisations"] as? Int == 1)
        #expect(json["systems"] as? Int == 2, "systems with errors are counted too")
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        #expect(diagnostics[0]["file"] as? String == directory + "/a.yaml")
        #expect(diagnostics[0]["line"] as? Int == 18)
        #expect(diagnostics[0]["column"] as? Int == 12)
        #expect(diagnostics[0]["severity"] as? String == "error")
        #expect(diagnostics[0]["code"] as? String == "range")
        #expect(diagnostics[0]["message"] as? String == "'users' must be at least 0, not -3")
        #expect(diagnostics[1]["severity"] as? String == "warning")
    }

    @Test func directoriesAreReadRecursivelyInSortedOrder() {
        let directory = Fixture.write([
            "b/z.yml": "inventory: 1\norganisations:\n  - {id: z, name: Z, type: agency, country: XX}\n",
            "a.yaml": "inventory: 1\norganisations:\n  - {id: a, name: A, type: agency, country: XX}\n",
            "b/readme.txt": "not read",
            ".hidden.yaml": "not read: [",
        ])
        let result = Binary.run(["validate", directory])
        #expect(result.status == 1)
        let files = result.stderr.split(separator: "\n").map { $0.split(separator: ":")[0] }
        #expect(files == ["\(directory)/a.yaml", "\(directory)/b/z.yml"])
    }

    @Test func shippedExampleInventoriesValidateCleanly() {
        for example in ["inventories/example", "inventories/example-2025"] {
            let result = Binary.run(["validate", Fixture.root + "/" + example])
            #expect(result.status == 0, "\(example): \(result.stderr)")
            #expect(!result.stderr.contains("error:"), "\(example)")
        }
    }

    @Test func schemaIsJSONSchema2020() throws {
        let result = Binary.run(["schema"])
        #expect(result.status == 0)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["inventory", "organisation", "organisations", "as_of", "systems"])
        let systems = try #require(properties["systems"] as? [String: Any])
        let system = try #require(systems["items"] as? [String: Any])
        let required = try #require(system["required"] as? [String])
        #expect(required == ["id", "name", "function", "product", "vendor", "deployment", "licence", "criticality"])
        let fields = try #require(system["properties"] as? [String: Any])
        let deployment = try #require(fields["deployment"] as? [String: Any])
        #expect(deployment["enum"] as? [String] == ["on_premises", "hosted", "private_cloud", "public_cloud", "saas"])
    }

    @Test func invalidRuleSetIsReportedWithPositions() {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try? FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        try! Data("rules: 1\nvendors:\n  - {id: acme, name: Acme, country: US, parent: nobody, source: {title: t, url: https://a.example, date: 2026-01-01}}\n".utf8)
            .write(to: URL(fileURLWithPath: rules + "/vendors.yaml"))
        let directory = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        let result = Binary.run(["validate", "--rules", rules, directory])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(rules)/vendors.yaml:3:49: error: parent 'nobody' is no vendor in this file"))
    }
}

/// `scan` validates exactly as `validate` does.
/// The checks that need the rule set (`validate` and `scan` run the same
/// pipeline, so what `validate` says is what `scan` says).
@Suite struct RuleSetCheckTests {
    @Test func unknownVendorsAndExceptionsAreWarnedAboutAtTheirLines() {
        let exception = "[{rule: jurisdiction.vendor-foreign, reason: Übergang, owner: CIO, expires: 2026-01-31}, {rule: lock_in.no-such-rule, reason: r, owner: o, expires: 2030-01-01}]"
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["vendor": "Mircosoft", "exceptions": exception, "deploymnet": "x"]))])
        let validate = Binary.run(["validate", "a.yaml"], in: work)
        #expect(validate.status == 0)
        let lines = validate.stderr.split(separator: "\n").filter { $0.hasPrefix("a.yaml:") }
        #expect(lines.count == 4, "\(validate.stderr)")
        #expect(validate.stderr.contains("a.yaml:13:13: warning: 'Mircosoft' (vendor) is in neither the vendor catalogue nor this scan's organisations"))
        #expect(validate.stderr.contains("warning: the exception for 'jurisdiction.vendor-foreign' expired on 2026-01-31; the finding counts again"))
        #expect(validate.stderr.contains("warning: exception names rule 'lock_in.no-such-rule', which is not in the rule set"))
    }
}
