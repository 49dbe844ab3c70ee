import Domain
import Foundation
import GRDB
@testable import Inventory
@testable import Store
import Testing

/// `System.fields` is the one list of a system's fields: these tests fail
/// when a field is added to the model but not to the list, or when the
/// hash, the stored columns, the read-back, the diff or the JSON Schema
/// leaves one out.
@Suite struct SystemFieldsTests {
    /// A value's comment as the inventory writer appends it: numbers of
    /// either sign, control characters as spaces.
    @Test func aCommentIsOneLineOfPrintableText() {
        var comment = InventoryWriter.Comment("line ")
        comment.append(-12)
        comment.append(" and ")
        comment.append(307)
        comment.append(0)
        comment.append(InventoryWriter.Comment(" 'Ver\ntrag', "))
        #expect(comment.text == "line -12 and 3070 'Ver trag', ")
    }

    /// Of candidates equally near a misspelt word, the suggestion is the
    /// same whatever order a set or a dictionary hands them over in.
    @Test func aSuggestionDoesNotDependOnTheCandidatesOrder() {
        #expect(Suggestion.nearest(to: "abd", in: ["abe", "abc"]) == "abc")
        #expect(Suggestion.nearest(to: "abd", in: ["abc", "abe"]) == "abc")
        #expect(Suggestion.nearest(to: "abd", in: ["abe", "abc", "abd"]) == "abd")
    }

    /// A system with every field given, and nothing at its default.
    static let everyField = """
          - id: mail
            name: E-Mail
            function: email
            product: Exchange Server
            vendor: Microsoft
            operator: Kommunales Datenzentrum
            deployment: hosted
            hosting: {provider: Kommunales Datenzentrum, data_location: [DE], processing_location: [DE, AT], support_access: [US]}
            subprocessors:
              - {name: Amazon Web Services, country: US}
              - {name: Nur ein Name}
            licence: proprietary
            users: 300
            criticality: high
            data: {personal: true, special_categories: true, classification: vs-nfd}
            formats: [ooxml, pdf]
            interfaces: [ews, imap]
            export: partial
            telemetry: mandatory
            encryption_keys: provider
            depends_on: [directory]
            contract: {ends: 2027-12-31, notice_months: 6, exit_plan: false, annual_cost_eur: 380000.5, governing_law: DE}
            substitutability: hard
            alternatives: [Open-Xchange, Nextcloud Mail]
            exceptions:
              - {rule: jurisdiction.vendor-foreign, reason: Übergang, owner: CIO, expires: 2027-06-30}
            notes: Migration geprüft
          - id: directory
            name: Verzeichnis
            function: identity
            product: Active Directory
            vendor: Microsoft
            deployment: on_premises
            licence: proprietary
            criticality: critical

        """

    /// One change per field, each of that field alone.
    static let changes: [String: @Sendable (inout System) -> Void] = [
        "id": { $0.id = "mail-2" },
        "name": { $0.name = "Post" },
        "function": { $0.function = "collaboration" },
        "product": { $0.product = "Exchange Online" },
        "vendor": { $0.vendor = "SAP SE" },
        "operator": { $0.operatorName = nil },
        "deployment": { $0.deployment = .saas },
        "hosting.provider": { $0.hosting.provider = "IONOS" },
        "hosting.data_location": { $0.hosting.dataLocation = [] },
        "hosting.processing_location": { $0.hosting.processingLocation = nil },
        "hosting.support_access": { $0.hosting.supportAccess = ["US", "IN"] },
        "subprocessors": { $0.subprocessors[1].country = "DE" },
        "licence": { $0.licence = "MIT" },
        "users": { $0.users = nil },
        "criticality": { $0.criticality = .low },
        "data.personal": { $0.data.personal = false },
        "data.special_categories": { $0.data.specialCategories = nil },
        "data.classification": { $0.data.classification = Classification.none },
        "formats": { $0.formats = ["ooxml"] },
        "interfaces": { $0.interfaces = nil },
        "export": { $0.export = .full },
        "telemetry": { $0.telemetry = nil },
        "encryption_keys": { $0.encryptionKeys = .customer },
        "depends_on": { $0.dependsOn = [] },
        "contract.ends": { $0.contract?.ends = nil },
        "contract.notice_months": { $0.contract?.noticeMonths = 3 },
        "contract.exit_plan": { $0.contract?.exitPlan = true },
        "contract.annual_cost_eur": { $0.contract?.annualCostEUR = 380_000 },
        "contract.governing_law": { $0.contract?.governingLaw = "US" },
        "substitutability": { $0.substitutability = .easy },
        "alternatives": { $0.alternatives = ["Open-Xchange\u{1E}Nextcloud Mail"] },
        "exceptions": { $0.exceptions = [] },
        "notes": { $0.notes = nil },
    ]

    static func read() throws -> (system: System, directory: String) {
        let directory = Fixture.write(["inventory.yaml": Fixture.inventory(systems: everyField)])
        let scan = Binary.run(["scan", "inventory.yaml"], in: directory)
        #expect(scan.status == 0, "\(scan.stderr)")
        let reading = Fixture.validate(["inventory.yaml": Fixture.inventory(systems: everyField)]).reading
        #expect(reading.diagnostics.filter { $0.severity == .error }.isEmpty, "\(reading.diagnostics)")
        var system: System?
        _ = InventoryScan.read(files: try InputFiles.expand([directory + "/inventory.yaml"]), reference: Fixture.ruleSet.reference) { item in
            if case .system(let read, _) = item, read.id == "mail" { system = read }
        }
        return (try #require(system), directory)
    }

    /// The stored properties of a value, descending into the groups the
    /// format writes as one mapping (hosting, data, contract).
    static func leaves(of value: Any, prefix: String = "") -> [String] {
        Mirror(reflecting: value).children.flatMap { child -> [String] in
            let label = prefix + (child.label ?? "?")
            var inner: Any = child.value
            if let optional = inner as? Contract? { guard let contract = optional else { return [label] }; inner = contract }
            if inner is Hosting || inner is DataProfile || inner is Contract { return leaves(of: inner, prefix: label + ".") }
            return [label]
        }
    }

    @Test func everyStoredPropertyOfASystemIsAField() throws {
        let (system, _) = try Self.read()
        let properties = Self.leaves(of: system.storage.fields).filter { $0 != "location" && $0 != "fieldLocations" }
        #expect(properties.count == System.fields.count,
                "System has \(properties.count) stored properties (\(properties)) but System.fields lists \(System.fields.count)")
        #expect(Set(Self.changes.keys) == Set(System.fields.map(\.name)), "every field needs a change in this test")
    }

    /// The order `sovscan import` writes a row's fields in, and relies on:
    /// the fields of a group follow one another (one `hosting:` mapping per
    /// row), and `vendor` and `deployment` come before `hosting.provider`
    /// (where a provider is inferred from the vendor).
    @Test func theFieldsOfAGroupFollowOneAnotherAndTheVendorPrecedesItsHosting() {
        let names = System.fields.map(\.name)
        let groups = names.compactMap { name in name.firstIndex(of: ".").map { String(name[..<$0]) } }
        for group in Set(groups) {
            let positions = names.indices.filter { names[$0].hasPrefix(group + ".") }
            #expect(positions == Array(positions.first!...positions.last!), "the fields of '\(group)' are apart: \(positions)")
        }
        let provider = names.firstIndex(of: "hosting.provider")!
        #expect(names.firstIndex(of: "vendor")! < provider && names.firstIndex(of: "deployment")! < provider)
    }

    @Test func everyFieldChangesTheRecordHashAndIsNamedByTheDiff() throws {
        let (system, _) = try Self.read()
        for field in System.fields {
            let absent: [FieldValue] = [.text(nil), .number(nil), .amount(nil), .flag(nil), .words(nil), .entries([])]
            #expect(!absent.contains(field.value(system)), "\(field.name) is not given in the sample")
        }
        let hash = system.contentHash(organisationID: "testamt")
        for (name, change) in Self.changes {
            var changed = system
            change(&changed)
            #expect(changed.changedFields(from: system) == [name], "changing \(name)")
            #expect(changed.contentHash(organisationID: "testamt") != hash, "changing \(name) keeps the hash")
        }
    }

    @Test func everyFieldIsStoredAndReadBackAsItWasWritten() throws {
        let (system, directory) = try Self.read()
        let database = try SnapshotDatabase(path: directory + "/sovscan.db")
        let stored = try database.inventory(scanID: 1)
        let readBack = try #require(stored.entries.first { $0.system.id == "mail" }).system
        for field in System.fields {
            #expect(field.value(readBack) == field.value(system), "\(field.name) read back as \(field.value(readBack))")
        }
        let columns = try DatabaseQueue(path: directory + "/sovscan.db").read { db in
            try Set(Row.fetchAll(db, sql: "PRAGMA table_info(system)").map { $0["name"] as String })
        }
        for field in System.columnFields { #expect(columns.contains(field.column!), "no column \(field.column!)") }
    }

    @Test func theJSONSchemaDescribesEveryField() throws {
        let schema = Binary.run(["schema"])
        #expect(schema.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(schema.stdout.utf8)) as? [String: Any])
        /// The schema of a system: the object whose properties include `vendor` and `deployment`.
        func systemSchema(_ value: Any) -> [String: Any]? {
            if let object = value as? [String: Any] {
                if let properties = object["properties"] as? [String: Any], properties["vendor"] != nil, properties["deployment"] != nil {
                    return properties
                }
                for member in object.values { if let found = systemSchema(member) { return found } }
            } else if let array = value as? [Any] {
                for member in array { if let found = systemSchema(member) { return found } }
            }
            return nil
        }
        let system = try #require(systemSchema(root))
        for field in System.fields {
            let path = field.name.split(separator: ".").map(String.init)
            var properties: [String: Any]? = system
            for (index, step) in path.enumerated() {
                let member = properties?[step] as? [String: Any]
                #expect(member != nil, "the schema has no \(field.name)")
                properties = index < path.count - 1 ? member?["properties"] as? [String: Any] : nil
            }
        }
    }
}

/// A stored system written back as the inventory format writes it (the form
/// a plan edits, and `whatif plan --write-inventory` writes) reads back to
/// the same fields, tricky texts included.
@Suite struct SystemWritingTests {
    static let trickyTexts = [
        "Übergang: \"Exit\" bis 2028 – #1", "- not a list item", "yes", "NO", "0012", "null", "~", "a\nsecond line\twith a tab",
        "trailing space ", "{not: a mapping}", "[not, a, list]", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`",
        "back\\slash", "\u{7F}delete and \u{85} next line", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 beyond the BMP",
    ]

    @Test func everyFieldIsWrittenAndReadBackAsItWas() throws {
        let (system, _) = try SystemFieldsTests.read()
        var log = DiagnosticLog(file: "node")
        let readBack = try #require(SingleRecordReader(reference: Fixture.ruleSet.reference).system(system.node(at: SourceLocation(line: 1, column: 1)), log: &log))
        #expect(!log.hasErrors, "\(log.diagnostics)")
        for field in System.fields {
            #expect(field.value(readBack) == field.value(system), "\(field.name) read back as \(field.value(readBack))")
        }
    }

    @Test func anInventoryWrittenOutValidatesToTheSameSystems() throws {
        let (original, _) = try SystemFieldsTests.read()
        var systems: [System] = []
        for (index, text) in Self.trickyTexts.enumerated() {
            var system = original
            system.id = "s\(index)"
            system.name = text
            system.notes = text
            system.alternatives = [text]
            system.dependsOn = []
            systems.append(system)
        }
        let organisation = Organisation(id: "testamt", name: "Amt \"Test\": Nord", type: .agency, parent: "land", country: "DE",
                                        asOf: Day(year: 2026, month: 9, day: 30), hasInventory: true, file: "", location: SourceLocation(line: 1, column: 1))
        let land = Organisation(id: "land", name: "Land", type: .government, parent: nil, country: "DE", asOf: nil, hasInventory: false,
                                file: "", location: SourceLocation(line: 1, column: 1))
        let directory = Fixture.directory() + "/out"
        try InventoryWriter.write(organisations: [land, organisation], systems: ["testamt": systems], to: directory)
        var read: [System] = []
        let reading = InventoryScan.read(files: try InputFiles.expand([directory]), reference: Fixture.ruleSet.reference) { item in
            if case .system(let system, _) = item { read.append(system) }
        }
        #expect(!reading.hasErrors, "\(reading.diagnostics)")
        #expect(reading.organisations == 2)
        try #require(read.count == systems.count)
        for (written, back) in zip(systems, read) {
            for field in System.fields {
                #expect(field.value(back) == field.value(written), "\(written.id) \(field.name) read back as \(field.value(back))")
            }
        }
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/testamt.yaml")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Nothing is written over.
        #expect(throws: InventoryWriter.Problem.self) {
            try InventoryWriter.write(organisations: [land, organisation], systems: ["testamt": systems], to: directory)
        }
    }
}
