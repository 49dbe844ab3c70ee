import Domain
import Foundation
import Inventory
import Testing
import YAMLReading

/// Every validation rule of the inventory format, pinned to the line and
/// column the user has to fix.
@Suite struct InventoryValidationTests {
    // Lines 1-8 of `Fixture.inventory`: header; systems start at line 9.
    // A system from `Fixture.system` has id (9), name (10), function (11),
    // product (12), vendor (13), deployment (14), hosting (15), licence (16),
    // criticality (17), then overrides that are new keys from line 18.

    /// Keys and choices read for every system are looked up in a table of
    /// their names, which must find exactly what `init(rawValue:)` finds.
    @Test func namesAreFoundExactlyAsWritten() {
        for deployment in Deployment.allCases { #expect(Deployment.named(deployment.rawValue) == deployment) }
        for criticality in Criticality.allCases { #expect(Criticality.named(criticality.rawValue) == criticality) }
        for near in ["", "saa", "saass", "SaaS", "saaS", " saas", "on_premise", "on_premises ", "lov", "hig", "höch"] {
            #expect(Deployment.named(near) == nil && Criticality.named(near) == nil, "\(near)")
        }
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["criticality": "hihg", "hostng": "x"])))
        #expect(diagnostics.contains { $0.message == "'criticality' must be one of low, medium, high, critical, not 'hihg'; did you mean 'high'?" })
        #expect(diagnostics.contains { $0.message.hasPrefix("unknown key 'hostng' in system; did you mean 'hosting'") }, "\(diagnostics)")
    }

    @Test func validInventoryHasNoDiagnostics() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system()))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func missingRequiredFieldIsReportedAtTheSystem() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(removing: ["vendor"])))
        #expect(diagnostics.positions == ["9:5 error missing-field"])
        #expect(diagnostics[0].message == "system has no 'vendor', which is required")
    }

    @Test func nullRequiredFieldIsMissing() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["product": "~"])))
        #expect(diagnostics.positions == ["9:5 error missing-field"])
    }

    @Test func hostingProviderIsRequiredOffPremises() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["hosting": "{data_location: [DE]}"])))
        #expect(diagnostics.positions == ["15:14 error missing-field"])
        #expect(diagnostics[0].message.contains("'hosting.provider'"))
        let onPremises = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["deployment": "on_premises"], removing: ["hosting"])))
        #expect(onPremises.isEmpty)
    }

    @Test(arguments: [
        ("users", "many", "18:12", "'users' must be a whole number written in decimal digits, not 'many'"),
        ("users", "-3", "18:12", "'users' must be at least 0, not -3"),
        ("users", "0x1F", "18:12", "'users' must be a whole number written in decimal digits, not '0x1F'"),
        ("users", "[1, 2]", "18:12", "'users' must be a single value, not a list"),
        ("data", "{personal: yes}", "18:22", "'data.personal' must be true or false, not 'yes'"),
        ("data", "maybe", "18:11", "data must be a mapping (key: value pairs), not a single value"),
        ("formats", "odf", "18:14", "'formats' must be a list, e.g. [odf], not a single value"),
        ("contract", "{annual_cost_eur: 1e400}", "18:33", "'contract.annual_cost_eur' is too large to be a real amount (at most 10000000000): '1e400'"),
        ("contract", "{annual_cost_eur: 20000000000}", "18:33", "'contract.annual_cost_eur' is too large to be a real amount (at most 10000000000): '20000000000'"),
        ("contract", "{annual_cost_eur: .inf}", "18:33", "'contract.annual_cost_eur' must be a number written in decimal (e.g. 380000 or 1250.50), not '.inf'"),
        ("contract", "{notice_months: twelve}", "18:31", "'contract.notice_months' must be a whole number written in decimal digits, not 'twelve'"),
    ])
    func wrongTypesAreErrorsAtTheValue(field: String, value: String, position: String, message: String) {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system([field: value])))
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect("\(diagnostics.first?.location.line ?? 0):\(diagnostics.first?.location.column ?? 0)" == position)
        #expect(diagnostics.first?.message == message)
        #expect(diagnostics.first?.severity == .error)
    }

    @Test func enumValueGetsTheChoicesAndASuggestion() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["deployment": "sass"])))
        #expect(diagnostics.positions.first == "14:17 error enum")
        #expect(diagnostics[0].message == "'deployment' must be one of on_premises, hosted, private_cloud, public_cloud, saas, not 'sass'; did you mean 'saas'?")
    }

    @Test func slugSyntax() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(id: "Mail Server")))
        #expect(diagnostics.positions.contains("9:9 error slug"))
        #expect(diagnostics.first("slug")?.message.contains("for example 'mail-server'") == true)
    }

    @Test func datesMustExist() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["contract": "{ends: 2026-02-30}"])))
        #expect(diagnostics.positions == ["18:22 error date"])
        #expect(diagnostics[0].message == "'contract.ends' is 2026-02-30, a date that does not exist")
        let leap = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["contract": "{ends: 2028-02-29}"])))
        #expect(leap.isEmpty)
        let notADate = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["contract": "{ends: 31.12.2027}"])))
        #expect(notADate.first?.message == "'contract.ends' must be a date written YYYY-MM-DD (e.g. 2027-12-31), not '31.12.2027'")
    }

    @Test func countryCodes() {
        let unknown = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["hosting": "{provider: Microsoft, data_location: [DE, XX]}"])))
        #expect(unknown.positions == ["15:56 error country"])
        #expect(unknown[0].message == "'hosting.data_location' must be an ISO 3166-1 alpha-2 country code or EU, not 'XX'")
        let lower = Fixture.diagnostics(Fixture.inventory(systems: "", organisation: "organisation: {id: a, name: A, type: agency, country: de}\n"))
        #expect(lower.first("country")?.message.hasSuffix("codes are upper-case: 'DE'") == true)
        let byName = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["hosting": "{provider: Microsoft, support_access: [Germany]}"])))
        #expect(byName.first?.message.hasSuffix("did you mean 'DE'?") == true)
        let uk = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["contract": "{governing_law: UK}"])))
        #expect(uk.first?.message.hasSuffix("the United Kingdom's code is 'GB'") == true)
    }

    @Test func yaml11WordsAreReadByTheFieldsType() {
        let text = Fixture.inventory(systems: Fixture.system(id: "0012", ["name": "yes", "hosting": "{provider: Microsoft, data_location: [NO, ON]}"]),
                                     organisation: "organisation: {id: a, name: A, type: agency, country: NO}\n")
        var systems: [System] = []
        var organisations: [Organisation] = []
        let directory = Fixture.write(["a.yaml": text])
        let reading = InventoryScan.read(files: try! InputFiles.expand([directory]), reference: Fixture.ruleSet.reference) { item in
            switch item {
            case .system(let system, _): systems.append(system)
            case .organisation(let organisation): organisations.append(organisation)
            }
        }
        #expect(reading.diagnostics.positions == ["11:56 error country"], "ON is no country")
        #expect(organisations.first?.country == "NO")
        _ = systems
        let valid = Fixture.inventory(systems: Fixture.system(id: "0012", ["name": "yes", "hosting": "{provider: Microsoft, data_location: [NO]}"]),
                                      organisation: "organisation: {id: a, name: A, type: agency, country: NO}\n")
        systems.removeAll()
        _ = InventoryScan.read(files: [Fixture.write(["a.yaml": valid]) + "/a.yaml"], reference: Fixture.ruleSet.reference) { item in
            if case .system(let system, _) = item { systems.append(system) }
        }
        #expect(systems.first?.id == "0012")
        #expect(systems.first?.name == "yes")
        #expect(systems.first?.hosting.dataLocation == ["NO"])
    }

    @Test func spdxLicences() {
        for valid in ["proprietary", "MIT", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "(MIT AND BSD-3-Clause) OR AGPL-3.0-or-later", "LicenseRef-Landeslizenz", "gpl-2.0+"] {
            let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["licence": "\"\(valid)\""])))
            #expect(diagnostics.isEmpty, "\(valid): \(diagnostics)")
        }
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["licence": "GPL-3"])))
        #expect(diagnostics.positions == ["16:14 error licence"])
        #expect(diagnostics[0].message.hasPrefix("'licence' must be 'proprietary' or an SPDX licence expression: 'GPL-3' is not an SPDX licence id; did you mean"))
        let dangling = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["licence": "\"MIT OR\""])))
        #expect(dangling.first?.message.hasSuffix("an operator must be followed by a licence id") == true)
    }

    @Test func duplicateOrganisationIdsAcrossFiles() {
        let organisation = "inventory: 1\norganisation: {id: amt, name: Amt, type: agency, country: DE}\nsystems: []\n"
        let (reading, directory) = Fixture.validate(["a.yaml": organisation, "b.yaml": "\n" + organisation])
        #expect(reading.diagnostics.map { "\($0.file.split(separator: "/").last!):\($0.location)" } == ["b.yaml:3:15"])
        #expect(reading.diagnostics[0].message == "organisation id 'amt' is already used at \(directory)/a.yaml:2:15; organisation ids must be unique across the scan")
    }

    @Test func duplicateSystemIdsWithinAnOrganisation() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system() + Fixture.system()))
        #expect(diagnostics.positions == ["18:9 error duplicate-id"])
        #expect(diagnostics[0].message == "system id 'mail' is already used at line 9; system ids must be unique within an organisation")
    }

    @Test func duplicateKeysInOneMapping() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["criticality": "high\n    criticality: low"])))
        #expect(diagnostics.positions == ["18:5 error duplicate-key"])
        #expect(diagnostics[0].message == "duplicate key 'criticality' (first given at line 17); a key may appear once in a mapping")
        let nested = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["hosting": "{provider: A, provider: B}"])))
        #expect(nested.positions == ["15:28 error duplicate-key"])
        let top = Fixture.diagnostics("inventory: 1\ninventory: 1\norganisations: []\n")
        #expect(top.positions == ["2:1 error duplicate-key"])
    }

    @Test func dependsOnMustNameASystemOfTheOrganisation() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["depends_on": "[identiy]"]) + Fixture.system(id: "identity")))
        #expect(diagnostics.positions == ["18:18 error depends-on"])
        #expect(diagnostics[0].message == "'depends_on' names 'identiy', which is no system of this organisation; did you mean 'identity'?")
        let forward = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["depends_on": "[identity]"]) + Fixture.system(id: "identity")))
        #expect(forward.isEmpty, "a later system may be named")
    }

    @Test func parentCyclesAreErrors() {
        let text = """
            inventory: 1
            organisations:
              - {id: a, name: A, type: ministry, country: DE, parent: c}
              - {id: b, name: B, type: ministry, country: DE, parent: a}
              - {id: c, name: C, type: ministry, country: DE, parent: b}
              - {id: d, name: D, type: agency, country: DE, parent: d}
            """
        let diagnostics = Fixture.diagnostics(text)
        #expect(diagnostics.positions == ["3:59 error parent-cycle", "6:57 error parent-cycle"])
        #expect(diagnostics[0].message.hasPrefix("organisations form a cycle of parents: a → c → b → a"))
    }

    @Test func undeclaredParentIsAWarning() {
        let text = "inventory: 1\norganisation: {id: amt, name: Amt, type: agency, country: DE, parent: de-innen}\nsystems: []\n"
        let diagnostics = Fixture.diagnostics(text)
        #expect(diagnostics.positions == ["2:71 warning undeclared-parent"])
        #expect(diagnostics[0].message == "parent 'de-innen' is declared in no file of this scan, so 'amt' is reported on its own")
        let declared = Fixture.validate(["a.yaml": text, "m.yaml": "inventory: 1\norganisations:\n  - {id: de-innen, name: Innen, type: ministry, country: DE}\n"])
        #expect(declared.reading.diagnostics.isEmpty, "a parent declared in another file")
    }

    @Test func unknownKeysWarnWithASuggestion() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["deploymnet": "saas"])))
        #expect(diagnostics.positions == ["18:5 warning unknown-key"])
        #expect(diagnostics[0].message == "unknown key 'deploymnet' in system; did you mean 'deployment'?")
        let nested = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["contract": "{end: 2027-01-01}"])))
        #expect(nested.first?.message == "unknown key 'contract.end' in contract; did you mean 'ends'?")
        let far = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["colour": "blue"])))
        #expect(far.first?.message == "unknown key 'colour' in system; it is ignored")
    }

    @Test func formatVersion() {
        let missing = Fixture.diagnostics("organisations:\n  - {id: a, name: A, type: agency, country: DE}\n")
        #expect(missing.positions == ["1:1 error version"])
        #expect(missing[0].message == "the document has no format version; start it with 'inventory: 1' (supported versions: 1)")
        let unknown = Fixture.diagnostics("inventory: 2\norganisations:\n  - {id: a, name: A, type: agency, country: DE}\n")
        #expect(unknown.positions == ["1:12 error version"])
        #expect(unknown[0].message == "unsupported inventory format version '2'; this sovscan reads version 1")
    }

    @Test func exceptionsNeedReasonOwnerAndExpiry() {
        let exception = "\n      - rule: jurisdiction.us-parent\n        reason: Übergang bis 2027"
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["exceptions": exception])))
        #expect(diagnostics.positions == ["19:9 error missing-field", "19:9 error missing-field"])
        #expect(Set(diagnostics.map(\.message)) == ["exception has no 'exceptions.owner', which is required", "exception has no 'exceptions.expires', which is required"])
    }

    @Test func yamlSyntaxErrorCarriesLibyamlsMessageAndPosition() {
        let diagnostics = Fixture.diagnostics("inventory: 1\norganisations:\n  - id: a\n   name: [unclosed\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].code == "yaml-syntax")
        #expect(diagnostics[0].location.line == 4)
        #expect(diagnostics[0].message.hasPrefix("YAML syntax error: "))
    }

    @Test func aFileThatIsNoInventory() {
        let compose = Fixture.diagnostics("services:\n  web:\n    image: nginx\n")
        #expect(compose.positions == ["1:1 error not-inventory"])
        #expect(compose[0].message.hasPrefix("this is not a sovscan inventory"))
        let prose = Fixture.diagnostics("Dies ist eine Notiz, kein Inventar.\n")
        #expect(prose.positions == ["1:1 error not-inventory"])
        let empty = Fixture.diagnostics("")
        #expect(empty.positions == ["1:1 error not-inventory"])
    }

    @Test func nonUTF8BytesAreReportedAtTheirLine() {
        let directory = Fixture.directory()
        var bytes = Array("inventory: 1\norganisations:\n  - {id: a, name: \"M".utf8)
        bytes += [0xFC] + Array("nchen\", type: agency, country: DE}\n".utf8)
        let written = FileManager.default.createFile(atPath: directory + "/latin1.yaml", contents: .init(bytes))
        #expect(written)
        let reading = InventoryScan.read(files: [directory + "/latin1.yaml"], reference: Fixture.ruleSet.reference)
        #expect(reading.diagnostics.count == 1)
        #expect(reading.diagnostics[0].code == "yaml-syntax")
        #expect(reading.diagnostics[0].location == SourceLocation(line: 3, column: 21))
        #expect(reading.diagnostics[0].message.contains("not valid UTF-8"))
    }

    @Test func billionLaughsIsRejectedQuickly() {
        var text = "inventory: 1\nlol0: &l0 [lol]\n"
        for level in 1...12 {
            text += "lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "organisations: []\n"
        let clock = ContinuousClock()
        var diagnostics: [Diagnostic] = []
        let elapsed = clock.measure { diagnostics = Fixture.diagnostics(text) }
        #expect(diagnostics.first?.code == "alias-expansion")
        #expect(diagnostics.first?.location.line == 8, "10^6 values are passed on the line of level 6")
        #expect(elapsed < .seconds(5))
    }

    @Test func unknownFunctionIsAWarningWithASuggestion() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["function": "emial"])))
        #expect(diagnostics.positions == ["11:15 warning unknown-function"])
        #expect(diagnostics[0].message == "unknown function 'emial'; did you mean 'email'?")
    }

    @Test func unsupportedTagsAreErrors() {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["notes": "!!python/object/apply:os.system [\"rm -rf /\"]"])))
        #expect(diagnostics.positions.contains("18:12 error tag"))
        let quoted = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system(["users": "!!str 12"])))
        #expect(quoted.isEmpty, "!!str makes text, which a whole number field still reads")
    }

    @Test func mergeKeysTakeDefaults() {
        let text = """
            inventory: 1
            organisation: {id: a, name: A, type: agency, country: DE}
            systems:
              - &base
                id: one
                name: One
                function: email
                product: OX
                vendor: Open-Xchange
                deployment: on_premises
                licence: GPL-2.0-only
                criticality: low
              - <<: *base
                id: two
              - id: three
                name: Three
                <<: *base
                users: 3
            """
        var ids: [String] = []
        let directory = Fixture.write(["a.yaml": text])
        let reading = InventoryScan.read(files: [directory + "/a.yaml"], reference: Fixture.ruleSet.reference) { item in
            if case .system(let system, _) = item { ids.append("\(system.id)/\(system.name)/\(system.product)/\(system.users ?? -1)") }
        }
        #expect(reading.diagnostics.isEmpty, "\(reading.diagnostics)")
        // A merge key met after other keys: the value is read again from its first event.
        #expect(ids == ["one/One/OX/-1", "two/One/OX/-1", "three/Three/OX/3"])
    }

    @Test func diagnosticsOfAllFilesAreSortedByFileAndPosition() {
        let bad = Fixture.inventory(systems: Fixture.system(["users": "many", "deploymnet": "x"]))
        let (reading, _) = Fixture.validate(["b.yaml": bad, "a.yaml": bad.replacingOccurrences(of: "testamt", with: "other")])
        #expect(reading.diagnostics.map { "\($0.file.split(separator: "/").last!):\($0.location.line)" } == ["a.yaml:18", "a.yaml:19", "b.yaml:18", "b.yaml:19"])
    }

    @Test func systemsBeforeTheirOrganisationAreKept() {
        let text = "inventory: 1\nsystems:\n" + Fixture.system().replacingOccurrences(of: "\n  ", with: "\n  ") + "organisation: {id: a, name: A, type: agency, country: DE}\n"
        var owners: [String] = []
        let reading = InventoryScan.read(files: [Fixture.write(["a.yaml": text]) + "/a.yaml"], reference: Fixture.ruleSet.reference) { item in
            if case .system(_, let owner) = item { owners.append(owner) }
        }
        #expect(reading.diagnostics.isEmpty)
        #expect(owners == ["a"])
    }
}
