import Domain

/// A JSON Schema (draft 2020-12) of the inventory format, for editors: the
/// YAML language server completes and checks fields from it while people type.
/// It is generated from the same enums and lists the reader checks against.
public enum InventorySchema {
    indirect enum Value {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case array([Value])
        case object([(String, Value)])

        func render(indent: String = "") -> String {
            let inner = indent + "  "
            switch self {
            case .string(let text): return quote(text)
            case .integer(let number): return String(number)
            case .bool(let flag): return flag ? "true" : "false"
            case .array(let items):
                if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                    return "[" + items.map { $0.render() }.joined(separator: ", ") + "]"
                }
                return "[\n" + items.map { inner + $0.render(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
            case .object(let members):
                if members.isEmpty { return "{}" }
                return "{\n" + members.map { "\(inner)\(quote($0.0)): \($0.1.render(indent: inner))" }.joined(separator: ",\n") + "\n\(indent)}"
            }
        }

        private func quote(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
    }

    private static func text(_ description: String) -> Value {
        .object([("type", .string("string")), ("description", .string(description))])
    }

    private static func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ description: String) -> Value where E.RawValue == String {
        .object([("type", .string("string")), ("enum", .array(type.allCases.map { .string($0.rawValue) })), ("description", .string(description))])
    }

    private static func list(_ items: Value, _ description: String) -> Value {
        .object([("type", .string("array")), ("items", items), ("description", .string(description))])
    }

    private static func mapping(_ properties: [(String, Value)], required: [String] = [], description: String? = nil) -> Value {
        var members: [(String, Value)] = [("type", .string("object"))]
        if let description { members.append(("description", .string(description))) }
        members.append(("properties", .object(properties)))
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        members.append(("additionalProperties", .bool(false)))
        return .object(members)
    }

    private static let slug: Value = .object([("type", .string("string")), ("pattern", .string("^[a-z0-9][a-z0-9._-]*$"))])
    private static let date: Value = .object([("type", .string("string")), ("format", .string("date")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))])

    public static func json(reference: ReferenceData) -> String {
        let countryCodes = reference.countries.keys.sorted()
        let country: Value = .object([("type", .string("string")), ("enum", .array(countryCodes.map { .string($0) }))])
        let place: Value = .object([("type", .string("string")), ("enum", .array((countryCodes + ["EU"]).map { .string($0) }))])
        let function: Value = .object([
            ("type", .string("string")),
            ("description", .string("What the system is for; a function from rules/functions.yaml (others are a warning).")),
            ("examples", .array(reference.functions.sorted().map { .string($0) })),
            ("pattern", .string("^[a-z0-9][a-z0-9._-]*$")),
        ])
        let organisation = mapping([
            ("id", slug), ("name", text("Display name.")),
            ("type", choice(OrganisationType.self, "Role in the hierarchy.")),
            ("parent", slug), ("country", country),
        ], required: ["id", "name", "type", "country"])
        let system = mapping([
            ("id", slug), ("name", text("Display name.")), ("function", function),
            ("product", text("Product as sold, e.g. Exchange Online.")),
            ("vendor", text("Who makes or licenses the software (vendor catalogue name, id or alias).")),
            ("operator", text("Who runs it; default: the organisation on premises, else the hosting provider.")),
            ("deployment", choice(Deployment.self, "Operating model.")),
            ("hosting", mapping([
                ("provider", text("Whose infrastructure holds the data.")),
                ("data_location", list(place, "Where data is stored: country codes or EU.")),
                ("processing_location", list(place, "Where data is processed.")),
                ("support_access", list(country, "Where staff with access to the data sit.")),
            ])),
            ("subprocessors", list(mapping([("name", text("Provider.")), ("country", country)], required: ["name"]), "Further providers with access to the data.")),
            ("licence", text("proprietary, or an SPDX licence expression.")),
            ("users", .object([("type", .string("integer")), ("minimum", .integer(0))])),
            ("criticality", choice(Criticality.self, "Impact if it is unavailable.")),
            ("data", mapping([
                ("personal", .object([("type", .string("boolean"))])),
                ("special_categories", .object([("type", .string("boolean"))])),
                ("classification", choice(Classification.self, "Government classification.")),
            ])),
            ("formats", list(.object([("type", .string("string")), ("examples", .array(Vocabulary.formats.sorted().map { .string($0) }))]), "Data formats.")),
            ("interfaces", list(.object([("type", .string("string")), ("examples", .array(Vocabulary.interfaces.sorted().map { .string($0) }))]), "Interfaces.")),
            ("export", choice(ExportAbility.self, "Can all data be exported in a usable form.")),
            ("telemetry", choice(Telemetry.self, "Diagnostic data sent to the vendor.")),
            ("encryption_keys", choice(KeyHolder.self, "Who holds the keys to data at rest.")),
            ("depends_on", list(slug, "Systems of the same organisation this one cannot run without.")),
            ("contract", mapping([
                ("ends", date),
                ("notice_months", .object([("type", .string("integer")), ("minimum", .integer(0))])),
                ("exit_plan", .object([("type", .string("boolean"))])),
                ("annual_cost_eur", .object([("type", .string("number")), ("minimum", .integer(0))])),
                ("governing_law", country),
            ])),
            ("substitutability", choice(Substitutability.self, "How hard it is to replace.")),
            ("alternatives", list(.object([("type", .string("string"))]), "Known alternatives.")),
            ("exceptions", list(mapping([
                ("rule", text("The rule id whose finding is accepted.")),
                ("reason", text("Why the risk is accepted.")),
                ("owner", text("Who accepted it.")),
                ("expires", date),
            ], required: ["rule", "reason", "owner", "expires"]), "Accepted risks.")),
            ("notes", text("Free text.")),
        ], required: ["id", "name", "function", "product", "vendor", "deployment", "licence", "criticality"])
        let schema: Value = .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://sovscan.invalid/schema/inventory-1.json")),
            ("title", .string("sovscan inventory, format version 1")),
            ("type", .string("object")),
            ("properties", .object([
                ("inventory", .object([("const", .integer(1)), ("description", .string("The format version."))])),
                ("organisation", organisation),
                ("as_of", date),
                ("systems", list(system, "The organisation's IT systems.")),
                ("organisations", list(organisation, "Organisations declared once, e.g. ministries.")),
            ])),
            ("required", .array([.string("inventory")])),
            ("oneOf", .array([
                .object([("required", .array([.string("organisation")]))]),
                .object([("required", .array([.string("organisations")]))]),
            ])),
            ("additionalProperties", .bool(false)),
        ])
        return schema.render()
    }
}
