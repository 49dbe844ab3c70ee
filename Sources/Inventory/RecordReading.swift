import Domain
import YAMLReading

enum OrganisationKey: String, FieldKey {
    case id, name, type, parent, country
}

enum SystemKey: String, FieldKey {
    case id, name, function, product, vendor
    case `operator`, deployment, hosting, subprocessors, licence, users, criticality, data
    case formats, interfaces, export, telemetry
    case encryptionKeys = "encryption_keys"
    case dependsOn = "depends_on"
    case contract, substitutability, alternatives, exceptions, notes

    private static let names = NameTable<Self>()
    static func named(_ name: String) -> Self? { names.value(named: name) }
}

enum HostingKey: String, FieldKey {
    case provider
    case dataLocation = "data_location"
    case processingLocation = "processing_location"
    case supportAccess = "support_access"

    private static let names = NameTable<Self>()
    static func named(_ name: String) -> Self? { names.value(named: name) }

    /// The field as messages name it (a literal: nothing to put together per system).
    var field: String {
        switch self {
        case .provider: "hosting.provider"
        case .dataLocation: "hosting.data_location"
        case .processingLocation: "hosting.processing_location"
        case .supportAccess: "hosting.support_access"
        }
    }
}

enum DataKey: String, FieldKey {
    case personal
    case specialCategories = "special_categories"
    case classification

    private static let names = NameTable<Self>()
    static func named(_ name: String) -> Self? { names.value(named: name) }
}

enum ContractKey: String, FieldKey {
    case ends
    case noticeMonths = "notice_months"
    case exitPlan = "exit_plan"
    case annualCostEUR = "annual_cost_eur"
    case governingLaw = "governing_law"

    private static let names = NameTable<Self>()
    static func named(_ name: String) -> Self? { names.value(named: name) }
}

enum SubprocessorKey: String, FieldKey {
    case name, country
}

enum ExceptionKey: String, FieldKey {
    case rule, reason, owner, expires
}

/// Data formats and interfaces the format names; others are accepted with a warning.
enum Vocabulary {
    static let formats: Set<String> = [
        "odf", "ooxml", "pdf", "pdf_a", "csv", "xml", "json", "ics", "vcard", "proprietary",
        "html", "markdown", "txt", "rtf", "eml", "mbox", "msg", "pst", "xlsx_macro", "sql", "geojson", "gml",
        "shapefile", "xoev", "xjustiz", "xta", "tiff", "png", "jpeg", "zip", "sqlite", "parquet",
    ]
    static let interfaces: Set<String> = [
        "imap", "smtp", "caldav", "carddav", "webdav", "ldap", "saml", "oidc", "scim", "rest", "graph_api", "ews",
        "odbc", "s3", "none", "jdbc", "soap", "sftp", "ftp", "osci", "xta", "kerberos", "radius", "syslog",
        "snmp", "mapi", "activesync", "jmap", "xmpp", "matrix", "sip", "wms", "wfs", "graphql", "grpc", "nfs",
        "smb", "iscsi", "cmis", "odata", "rfc", "bapi", "idoc", "email", "file_drop", "api",
    ]
}

/// Turns located values into typed organisations and systems, reporting
/// every problem at its position.
struct RecordReader {
    let reference: ReferenceData
    /// Whether an unknown key is an error rather than a warning (a plan's
    /// records, where an ignored key would change what the plan does).
    var strict = false

    func organisation(_ node: Node, asOf: Day?, hasInventory: Bool, file: String, log: inout DiagnosticLog) -> Organisation? {
        var id: String?, name: String?, type: OrganisationType?, parent: String?, country: String?
        var parentLocation: SourceLocation?
        let isMapping = node.readMapping(OrganisationKey.self, what: "organisation", required: [.id, .name, .type, .country], strict: strict, log: &log) { key, value, log in
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .type: type = value.choice("type", OrganisationType.self, log: &log)
            case .parent:
                parent = value.slug("parent", log: &log)
                parentLocation = value.location
            case .country:
                if let code = value.text("country", log: &log),
                   reference.checkCountry(code, field: "country", at: value.location, log: &log) {
                    country = code
                }
            }
        }
        guard isMapping, let id, let name, let type, let country else { return nil }
        return Organisation(id: id, name: name, type: type, parent: parent, country: country, asOf: asOf,
                            hasInventory: hasInventory, file: file, location: node.location, parentLocation: parentLocation)
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func system<Value: YAMLValue>(_ node: Value, log: inout DiagnosticLog) -> System? {
        var id: String?, name: String?, function: String?, product: String?, vendor: String?
        var operatorName: String?, deployment: Deployment?, hosting = Hosting(), subprocessors: [Subprocessor] = []
        var licence: String?, users: Int?, criticality: Criticality?, data = DataProfile()
        var formats: [String]?, interfaces: [String]?, export: ExportAbility?, telemetry: Telemetry?
        var keys: KeyHolder?, dependsOn: [String] = [], contract: Contract?, substitutability: Substitutability?
        var alternatives: [String] = [], exceptions: [RiskException] = [], notes: String?
        // A system has about twenty fields; 24 entries stay within the
        // allocator's cache of small blocks, as 40 did not.
        var locations = FieldLocations(capacity: 24)
        var hostingLocation: SourceLocation?
        let required: [SystemKey] = [.id, .name, .function, .product, .vendor, .deployment, .licence, .criticality]
        let isMapping = node.readMapping(SystemKey.self, what: "system", required: required, strict: strict, log: &log) { key, value, log in
            locations.record(key.rawValue, value.location)
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .function:
                if let slug = value.slug("function", log: &log) {
                    function = slug
                    if !reference.functions.contains(slug) {
                        let suggestion = reference.functionSuggestion(for: slug)
                        log.warning("unknown-function", at: value.location,
                                    "unknown function '\(slug)'\(suggestion.isEmpty ? "; see rules/functions.yaml for the taxonomy, or use 'other'" : suggestion)")
                    }
                }
            case .product: product = value.text("product", log: &log)
            case .vendor: vendor = value.text("vendor", log: &log)
            case .operator: operatorName = value.text("operator", log: &log)
            case .deployment: deployment = value.choice("deployment", Deployment.self, log: &log)
            case .hosting:
                hostingLocation = value.location
                hosting = self.hosting(value, locations: &locations, log: &log)
            case .subprocessors: subprocessors = self.subprocessors(value, log: &log)
            case .licence:
                if let text = value.text("licence", log: &log), reference.checkLicence(text, at: value.location, log: &log) {
                    licence = text
                }
            case .users: users = value.integer("users", in: 0...Int.max, log: &log)
            case .criticality: criticality = value.choice("criticality", Criticality.self, log: &log)
            case .data: data = self.data(value, log: &log)
            case .formats: formats = vocabulary(value, field: "formats", known: Vocabulary.formats, log: &log)
            case .interfaces: interfaces = vocabulary(value, field: "interfaces", known: Vocabulary.interfaces, log: &log)
            case .export: export = value.choice("export", ExportAbility.self, log: &log)
            case .telemetry: telemetry = value.choice("telemetry", Telemetry.self, log: &log)
            case .encryptionKeys: keys = value.choice("encryption_keys", KeyHolder.self, log: &log)
            case .dependsOn:
                for item in value.list("depends_on", log: &log) ?? [] {
                    if let target = item.slug("depends_on", log: &log) {
                        dependsOn.append(target)
                        locations.recordDependency(at: item.location)
                    }
                }
            case .contract:
                let written = self.contract(value, locations: &locations, log: &log)
                contract = written == Contract() ? nil : written
            case .substitutability: substitutability = value.choice("substitutability", Substitutability.self, log: &log)
            case .alternatives: alternatives = value.texts("alternatives", log: &log)
            case .exceptions: exceptions = self.exceptions(value, log: &log)
            case .notes: notes = value.text("notes", log: &log)
            }
        }
        guard isMapping else { return nil }
        if let deployment, deployment != .onPremises, hosting.provider == nil {
            log.error("missing-field", at: hostingLocation ?? node.location,
                      "system has no 'hosting.provider', which is required for deployment '\(deployment.rawValue)' (whose infrastructure holds the data?)")
            return nil
        }
        guard let id, let name, let function, let product, let vendor, let deployment, let licence, let criticality else {
            return nil
        }
        return System(id: id, name: name, function: function, product: product, vendor: vendor, operatorName: operatorName,
                      deployment: deployment, hosting: hosting, subprocessors: subprocessors, licence: licence, users: users,
                      criticality: criticality, data: data, formats: formats, interfaces: interfaces, export: export,
                      telemetry: telemetry, encryptionKeys: keys, dependsOn: dependsOn, contract: contract,
                      substitutability: substitutability, alternatives: alternatives, exceptions: exceptions, notes: notes,
                      location: node.location, fieldLocations: locations)
    }

    private func hosting<Value: YAMLValue>(_ node: Value, locations: inout FieldLocations, log: inout DiagnosticLog) -> Hosting {
        var hosting = Hosting()
        node.readMapping(HostingKey.self, what: "hosting", prefix: "hosting.", strict: strict, log: &log) { key, value, log in
            let field = key.field
            locations.record(field, value.location)
            switch key {
            case .provider: hosting.provider = value.text(field, log: &log)
            case .dataLocation: hosting.dataLocation = places(value, field: field, log: &log)
            case .processingLocation: hosting.processingLocation = places(value, field: field, log: &log)
            case .supportAccess:
                hosting.supportAccess = value.texts(field, log: &log) { code, item, log in
                    reference.checkCountry(code, field: field, at: item.location, log: &log)
                }
            }
        }
        return hosting
    }

    private func places<Value: YAMLValue>(_ node: Value, field: String, log: inout DiagnosticLog) -> [Place] {
        node.texts(field, log: &log) { code, item, log in
            reference.checkCountry(code, field: field, allowEU: true, at: item.location, log: &log)
        }
    }

    private func subprocessors<Value: YAMLValue>(_ node: Value, log: inout DiagnosticLog) -> [Subprocessor] {
        var result: [Subprocessor] = []
        for item in node.list("subprocessors", log: &log) ?? [] {
            var name: String?, country: String?
            item.readMapping(SubprocessorKey.self, what: "subprocessor", prefix: "subprocessors.", required: [.name], strict: strict, log: &log) { key, value, log in
                switch key {
                case .name: name = value.text("subprocessors.name", log: &log)
                case .country:
                    if let code = value.text("subprocessors.country", log: &log),
                       reference.checkCountry(code, field: "subprocessors.country", at: value.location, log: &log) {
                        country = code
                    }
                }
            }
            if let name { result.append(Subprocessor(name: name, country: country)) }
        }
        return result
    }

    private func data<Value: YAMLValue>(_ node: Value, log: inout DiagnosticLog) -> DataProfile {
        var data = DataProfile()
        node.readMapping(DataKey.self, what: "data", prefix: "data.", strict: strict, log: &log) { key, value, log in
            switch key {
            case .personal: data.personal = value.bool("data.personal", log: &log)
            case .specialCategories: data.specialCategories = value.bool("data.special_categories", log: &log)
            case .classification: data.classification = value.choice("data.classification", Classification.self, log: &log)
            }
        }
        return data
    }

    private func contract<Value: YAMLValue>(_ node: Value, locations: inout FieldLocations, log: inout DiagnosticLog) -> Contract {
        var contract = Contract()
        node.readMapping(ContractKey.self, what: "contract", prefix: "contract.", strict: strict, log: &log) { key, value, log in
            switch key {
            case .ends:
                // Where the scan checker warns about a deadline or an end already past.
                locations.record("contract.ends", value.location)
                contract.ends = value.day("contract.ends", log: &log)
            case .noticeMonths: contract.noticeMonths = value.integer("contract.notice_months", in: 0...600, log: &log)
            case .exitPlan: contract.exitPlan = value.bool("contract.exit_plan", log: &log)
            case .annualCostEUR: contract.annualCostEUR = value.amount("contract.annual_cost_eur", log: &log)
            case .governingLaw:
                if let code = value.text("contract.governing_law", log: &log),
                   reference.checkCountry(code, field: "contract.governing_law", at: value.location, log: &log) {
                    contract.governingLaw = code
                }
            }
        }
        return contract
    }

    private func exceptions<Value: YAMLValue>(_ node: Value, log: inout DiagnosticLog) -> [RiskException] {
        var result: [RiskException] = []
        for item in node.list("exceptions", log: &log) ?? [] {
            var rule: String?, reason: String?, owner: String?, expires: Day?
            item.readMapping(ExceptionKey.self, what: "exception", prefix: "exceptions.", required: [.rule, .reason, .owner, .expires], strict: strict, log: &log) { key, value, log in
                switch key {
                case .rule: rule = value.text("exceptions.rule", log: &log)
                case .reason: reason = value.text("exceptions.reason", log: &log)
                case .owner: owner = value.text("exceptions.owner", log: &log)
                case .expires: expires = value.day("exceptions.expires", log: &log)
                }
            }
            if let rule, let reason, let owner, let expires {
                result.append(RiskException(rule: rule, reason: reason, owner: owner, expires: expires, location: item.location))
            }
        }
        return result
    }

    private func vocabulary<Value: YAMLValue>(_ node: Value, field: String, known: Set<String>, log: inout DiagnosticLog) -> [String] {
        node.texts(field, log: &log) { value, item, log in
            if !known.contains(value) {
                log.warning("unknown-value", at: item.location,
                            "'\(value)' is not a known value of '\(field)'\(Suggestion.didYouMean(value, in: known).isEmpty ? "; it is kept as written" : Suggestion.didYouMean(value, in: known))")
            }
            return true
        }
    }
}

/// Reads single records from nodes, for readers of other files that embed
/// inventory records (the examples of the scoring rules), and from values
/// written step by step (a spreadsheet's rows).
public struct SingleRecordReader {
    private let records: RecordReader

    /// `strict`: an unknown key is an error rather than a warning.
    public init(reference: ReferenceData, strict: Bool = false) {
        records = RecordReader(reference: reference, strict: strict)
    }

    public func system(_ node: Node, log: inout DiagnosticLog) -> System? {
        records.system(node, log: &log)
    }

    public func system(_ value: RecordedValue, log: inout DiagnosticLog) -> System? {
        records.system(value, log: &log)
    }

    public func organisation(_ node: Node, asOf: Day?, file: String, log: inout DiagnosticLog) -> Organisation? {
        records.organisation(node, asOf: asOf, hasInventory: true, file: file, log: &log)
    }
}
