import Domain
import Inventory

/// An inventory as one sheet in sovscan's own layout (`InventoryColumns`):
/// a row per system, with its organisation's columns, and a row per
/// organisation without systems. What `sovscan export` writes, and what
/// `sovscan import` reads back to the same records.
public struct InventorySheet: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// The language of a workbook's sheet names and explanations (the
    /// header keeps the column names the import reads).
    public var language = Language.en

    public init(organisations: [Organisation], systems: [String: [System]]) {
        header = InventoryColumns.all
        rows = []
        for organisation in organisations.sorted(by: { $0.id < $1.id }) {
            let columns = [organisation.id, organisation.name, organisation.type.rawValue, organisation.parent ?? "", organisation.country,
                           organisation.asOf?.description ?? ""]
            let members = systems[organisation.id] ?? []
            if members.isEmpty {
                rows.append(columns + Array(repeating: "", count: System.fields.count))
            }
            for system in members {
                rows.append(columns + System.fields.map { Self.cell($0.value(system), field: $0.name) })
            }
        }
    }

    /// An empty sheet to hand to system owners: the header and one example row.
    public static func template() -> InventorySheet {
        let organisation = Organisation(id: "stadt-beispiel", name: "Stadtverwaltung Beispiel", type: .municipality, parent: nil, country: "DE",
                                        asOf: Day(year: 2026, month: 9, day: 30), hasInventory: true, file: "", location: SourceLocation(line: 1, column: 1))
        let example = System(
            id: "mail", name: "E-Mail und Kalender", function: "email", product: "Exchange Online", vendor: "Microsoft", deployment: .saas,
            hosting: Hosting(provider: "Microsoft", dataLocation: ["DE"], processingLocation: ["EU"], supportAccess: ["US", "IN"]),
            licence: "proprietary", users: 520, criticality: .high, data: DataProfile(personal: true, specialCategories: false),
            formats: ["ics", "vcard", "proprietary"], interfaces: ["imap", "smtp", "ews"], export: .partial, telemetry: .mandatory,
            encryptionKeys: .provider, contract: Contract(ends: Day(year: 2029, month: 6, day: 30), noticeMonths: 6, exitPlan: true, annualCostEUR: 236_000),
            substitutability: .medium, alternatives: ["Open-Xchange", "openDesk"])
        return InventorySheet(organisations: [organisation], systems: [organisation.id: [example]])
    }

    /// The list fields an inventory may leave out (absent is not empty).
    static let optionalLists = Set(System.fields.filter(System.isOptionalList).map(\.name))


    /// A value as the import reads it back: lists with `; `, subprocessors
    /// as "Name (CC)", exceptions a line each as "rule | owner | expires | reason".
    static func cell(_ value: FieldValue, field: String) -> String {
        switch value {
        case .text(let text): return text ?? ""
        case .number(let number): return number.map(String.init) ?? ""
        case .amount(let amount): return amount.map { $0.rounded() == $0 && abs($0) < 1e15 ? String(Int($0)) : String($0) } ?? ""
        case .flag(let flag): return flag.map { $0 ? "true" : "false" } ?? ""
        // An empty list that may be absent is written "[]": it says "none", where an empty cell says nothing.
        case .words(let words): return words.map { $0.isEmpty && optionalLists.contains(field) ? "[]" : $0.joined(separator: "; ") } ?? ""
        case .entries(let records):
            let texts = records.map { values in values.map { value -> String? in
                if case .text(let text) = value { return text }
                return nil
            } }
            if field == "exceptions" {
                // As the import reads them: rule, owner, expires, then the reason (which may hold a "|").
                return texts.map { [$0[0], $0[2], $0[3], $0[1]].map { $0 ?? "" }.joined(separator: " | ") }.joined(separator: "\n")
            }
            return texts.map { ($0[0] ?? "") + ($0[1].map { " (\($0))" } ?? "") }.joined(separator: "; ")
        }
    }
}

/// What `sovscan import` did, and the answers to ask for first.
public struct ImportSummary: Sendable, Encodable {
    public struct Input: Sendable, Encodable {
        /// What the input is.
        public enum Kind: String, Sendable, Encodable {
            case csv, xlsx
            case publicCode = "publiccode"
        }

        public var path: String
        public var kind: Kind
        /// A CSV's encoding as found (UTF-8, Windows-1252, …); nil for the others.
        public var encoding: String?
        /// A CSV's delimiter (`,`, `;` or `tab`); nil for the others.
        public var delimiter: String?
        public var rows: Int

        public init(path: String, kind: Kind, encoding: String? = nil, delimiter: String? = nil, rows: Int) {
            self.path = path
            self.kind = kind
            self.encoding = encoding
            self.delimiter = delimiter
            self.rows = rows
        }

        /// `encoding` and `delimiter` are `null` where they do not apply, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(kind, forKey: .kind)
            try container.encode(encoding, forKey: .encoding)
            try container.encode(delimiter, forKey: .delimiter)
            try container.encode(rows, forKey: .rows)
        }

        enum CodingKeys: String, CodingKey {
            case path, kind, encoding, delimiter, rows
        }
    }

    /// An organisation declared with defaults no input gives. JSON has what
    /// was assumed as one English text ("type other, country DE").
    public struct Assumed: Sendable, Encodable {
        public var organisation: String
        public var assumptions: [OrganisationAssumption]

        enum CodingKeys: String, CodingKey { case organisation, assumed }

        /// "type other, country DE, the id as its name".
        public func text(in language: Language) -> String {
            assumptions.reduce("") { text, assumption in
                let part = assumption.text(in: language)
                guard !text.isEmpty else { return part }
                if case .parent = assumption { return text + " " + part }
                return text + ", " + part
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(organisation, forKey: .organisation)
            try container.encode(text(in: .en), forKey: .assumed)
        }
    }

    /// An open question of a group: answering it (at best) lowers the
    /// group's criticality-weighted mean scores by these points.
    public struct Gap: Sendable, Encodable {
        /// `ministry` or `organisation`.
        public var level: String
        public var id: String
        public var name: String
        /// The inventory field to fill in.
        public var question: String
        public var systems: Int
        public var lockInFallsBy: Double
        public var jurisdictionFallsBy: Double
        /// The systems answering it would move most.
        public var systemsFirst: [String]

        enum CodingKeys: String, CodingKey {
            case level, id, name, question, systems
            case lockInFallsBy = "lock_in_falls_by"
            case jurisdictionFallsBy = "jurisdiction_falls_by"
            case systemsFirst = "systems_first"
        }

        public init(level: String, id: String, name: String, question: String, systems: Int, lockInFallsBy: Double, jurisdictionFallsBy: Double,
                    systemsFirst: [String]) {
            self.level = level
            self.id = id
            self.name = name
            self.question = question
            self.systems = systems
            self.lockInFallsBy = lockInFallsBy
            self.jurisdictionFallsBy = jurisdictionFallsBy
            self.systemsFirst = systemsFirst
        }
    }

    public var inputs: [Input]
    public var out: String
    public var organisations: Int
    public var systems: Int
    public var assumed: [Assumed]
    /// The companies written to `vendors.yaml`: those the systems name
    /// that the catalogue does not know, as a preset's export lists them.
    public var localVendors = 0
    public var gaps: [Gap]

    enum CodingKeys: String, CodingKey {
        case inputs, out, organisations, systems, assumed, gaps
        case localVendors = "local_vendors"
    }

    public init(inputs: [Input], out: String, imported: ImportedInventory, gaps: [Gap]) {
        self.inputs = inputs
        self.out = out
        organisations = imported.completed.count
        systems = imported.systems
        assumed = imported.assumed.sorted { $0.key < $1.key }.map { Assumed(organisation: $0.key, assumptions: $0.value) }
        self.gaps = gaps
    }
}
