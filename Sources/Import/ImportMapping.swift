import Domain
import Inventory
import YAMLReading

/// The columns of sovscan's own spreadsheet layout (`sovscan export`,
/// docs/import.md): the organisation's, then every field of a system by
/// its name in the inventory format. A row without a system id declares
/// an organisation only.
public enum InventoryColumns {
    public static let organisation = ["organisation", "organisation_name", "organisation_type", "organisation_parent", "organisation_country", "as_of"]
    public static let all = organisation + System.fields.map(\.name)

    /// What a column holds, for a workbook's typed cells.
    public enum Kind: Sendable { case text, number, date, flag }

    public static func kind(of column: String) -> Kind {
        switch column {
        case "users", "contract.notice_months", "contract.annual_cost_eur": .number
        case "as_of", "contract.ends": .date
        case "data.personal", "data.special_categories", "contract.exit_plan": .flag
        default: .text
        }
    }

    /// The values a column may take, where the set is closed.
    public static func choices(of column: String) -> [String]? {
        ImportMapping.allowedValues[column]
    }

    /// The columns a system needs (and `organisation`, every row): a sheet
    /// that has them all is in sovscan's layout.
    public static let required = ["organisation", "id", "name", "function", "product", "vendor", "deployment", "licence", "criticality"]

    public static func isRequired(_ column: String) -> Bool {
        required.contains(column)
    }
}

/// How a spreadsheet's columns become inventory fields: which column (by
/// header text or letter) or constant gives each field, with value maps
/// ("Hoch" → high), a date format and a default. sovscan's own layout is
/// the mapping of every column to the field of its name.
public struct ImportMapping: Sendable {
    public struct Column: Sendable {
        public enum Source: Sendable, Hashable {
            /// A column by its header text (compared ignoring case and
            /// surrounding spaces), else, when no header is that text, by its
            /// letters ("C", "AB").
            case header(String)
            /// The same value for every row.
            case constant(String)
        }

        public var source: Source
        /// Other header texts of the column, tried in order when the
        /// sheet has no header `source` names (the field name a CSV export
        /// writes, the label a workbook export writes).
        public var alternatives: [String] = []
        /// The cell's text made an id: lower-case, with '-' for what an id cannot hold.
        public var slug = false
        /// A column a sheet may lack (a preset's column that some exports have).
        public var optional = false
        /// Cell text (lower-cased, trimmed) → the value to write.
        public var values: [String: String] = [:]
        /// `dd.MM.yyyy` and the like; nil for ISO dates.
        public var dateFormat: String?
        /// The value when the cell is empty.
        public var fallback: String?
        /// Where the mapping file says this; nil for the built-in layout.
        public var location: SourceLocation?
    }

    /// Field (or organisation column) → where its value comes from.
    public var columns: [String: Column]
    /// The file it was read from; nil for sovscan's own layout.
    public var file: String?
    /// The workbook's sheet it reads (default: the first).
    public var sheet: String?
    /// A system not run on premises whose hosting provider no column gives
    /// is taken as run by its vendor (inferred, and said so), for exports
    /// that have no column for it.
    public var hostingByVendor = false

    /// sovscan's own layout: each column gives the field of its name.
    public static let sovscan = ImportMapping(
        columns: Dictionary(uniqueKeysWithValues: InventoryColumns.all.map { ($0, Column(source: .header($0))) }), file: nil)

    /// Whether a header row is sovscan's own layout: it names every required column.
    public static func isSovscanLayout(_ header: [String]) -> Bool {
        let names = Set(header.map { $0.trimmed.lowercased() })
        return InventoryColumns.required.allSatisfy(names.contains)
    }
}

enum MappingFileKey: String, FieldKey {
    case `import`, sheet, columns
    case hostingByVendor = "hosting_by_vendor"
}

enum ColumnKey: String, FieldKey {
    case column, value, values, date, `default`, slug
}

extension ImportMapping {
    /// The closed value sets of the fields, for checking a value map.
    static let allowedValues: [String: [String]] = [
        "deployment": Deployment.allCases.map(\.rawValue), "criticality": Criticality.allCases.map(\.rawValue),
        "export": ExportAbility.allCases.map(\.rawValue), "telemetry": Telemetry.allCases.map(\.rawValue),
        "encryption_keys": KeyHolder.allCases.map(\.rawValue), "substitutability": Substitutability.allCases.map(\.rawValue),
        "data.classification": Classification.allCases.map(\.rawValue), "organisation_type": OrganisationType.allCases.map(\.rawValue),
        "data.personal": ["true", "false"], "data.special_categories": ["true", "false"], "contract.exit_plan": ["true", "false"],
    ]

    /// Reads a mapping file (docs/import.md); nil after the errors in `log`.
    /// A field, key or value it names that does not exist is an error at its
    /// line and column, with a suggestion.
    public static func read(path: String, log: inout DiagnosticLog) -> ImportMapping? {
        guard let root = SingleDocument.read(path: path, log: &log) else { return nil }
        var columns: [String: Column] = [:], sheet: String?, hostingByVendor = false
        root.readMapping(MappingFileKey.self, what: "mapping", required: [.import, .columns], strict: true, log: &log) { key, value, log in
            switch key {
            case .sheet: sheet = value.text("sheet", log: &log)
            case .hostingByVendor: hostingByVendor = value.bool("hosting_by_vendor", log: &log) ?? false
            case .import:
                if let version = value.text("import", log: &log), version != "1" {
                    log.error("version", at: value.location, "unsupported mapping format version '\(version)'; this sovscan reads version 1")
                }
            case .columns:
                _ = value.forEachEntry { field, fieldLocation, spec in
                    guard InventoryColumns.all.contains(field) else {
                        log.error("unknown-key", at: fieldLocation, "'\(field)' is no column of an inventory (docs/import.md lists them)\(Suggestion.didYouMean(field, in: InventoryColumns.all))")
                        return
                    }
                    if columns[field] != nil {
                        log.error("duplicate-key", at: fieldLocation, "'\(field)' is mapped twice")
                        return
                    }
                    if let column = self.column(spec, field: field, log: &log) { columns[field] = column }
                }
                if value.kind != .mapping {
                    log.error("type", at: value.location, "'columns' must be a mapping of inventory fields to columns, not \(value.kindDescription)")
                }
            }
        }
        guard !log.hasErrors else { return nil }
        var mapping = ImportMapping(columns: columns, file: path, sheet: sheet)
        mapping.hostingByVendor = hostingByVendor
        return mapping
    }

    private static func column(_ node: Node, field: String, log: inout DiagnosticLog) -> Column? {
        if node.kind == .scalar, let text = node.text(field, log: &log) {
            return Column(source: .header(text), location: node.location)
        }
        var column: Column?, values: [String: String] = [:], date: String?, fallback: String?, slug = false
        let isMapping = node.readMapping(ColumnKey.self, what: "column of '\(field)'", strict: true, log: &log) { key, value, log in
            switch key {
            case .column:
                // A header, or a list of headers tried in order.
                let headers = value.kind == .sequence ? (value.list("column", log: &log) ?? []).compactMap { $0.text("column", log: &log) }
                    : value.text("column", log: &log).map { [$0] } ?? []
                if let first = headers.first {
                    column = Column(source: .header(first), location: value.location)
                    column?.alternatives = Array(headers.dropFirst())
                } else if value.kind == .sequence {
                    log.error("value", at: value.location, "'column' lists no header")
                }
            case .slug: slug = value.bool("slug", log: &log) ?? false
            case .value: column = value.text("value", log: &log).map { Column(source: .constant($0), location: value.location) }
            case .values:
                _ = value.forEachEntry { written, _, target in
                    guard let meant = target.text("values", log: &log) else { return }
                    if let allowed = allowedValues[field], !allowed.contains(meant) {
                        log.error("value", at: target.location, "'\(meant)' is no value of '\(field)' (one of \(allowed.joined(separator: ", ")))\(Suggestion.didYouMean(meant, in: allowed))")
                        return
                    }
                    values[written.trimmed.lowercased()] = meant
                }
            case .date:
                date = value.text("date", log: &log)
                if let format = date, DateFormat(format) == nil {
                    log.error("value", at: value.location, "'\(format)' is no date format; write it with dd, d, MM, M, yyyy or yy and separators, e.g. dd.MM.yyyy")
                }
            case .default: fallback = value.text("default", log: &log)
            }
        }
        guard isMapping else { return nil }
        guard var column else {
            log.error("missing-field", at: node.location, "the column of '\(field)' names neither 'column' (a header or a letter) nor 'value' (a constant)")
            return nil
        }
        column.values = values
        column.dateFormat = date
        column.fallback = fallback
        column.slug = slug
        return column
    }
}

/// A date format of `dd`, `d`, `MM`, `M`, `yyyy` and `yy` with literal separators.
struct DateFormat {
    private enum Part { case day, month, year(digits: Int), literal(Character) }
    private let parts: [Part]

    init?(_ pattern: String) {
        var parts: [Part] = []
        var characters = Array(pattern)[...]
        while let first = characters.first {
            let run = characters.prefix { $0 == first }.count
            switch (first, run) {
            case ("d", 1...2): parts.append(.day)
            case ("M", 1...2): parts.append(.month)
            case ("y", 2), ("y", 4): parts.append(.year(digits: run))
            case (let character, _) where !character.isLetter:
                parts.append(contentsOf: Array(repeating: Part.literal(character), count: run))
            default: return nil
            }
            characters = characters.dropFirst(run)
        }
        guard parts.contains(where: { if case .day = $0 { true } else { false } }) else { return nil }
        self.parts = parts
    }

    /// The ISO date (`YYYY-MM-DD`) of `text`, or nil when it does not fit the format or is no day.
    func iso(_ text: String) -> String? {
        var characters = Array(text.trimmed)[...]
        var day = 0, month = 0, year = 0
        func number(maxDigits: Int) -> Int? {
            let digits = characters.prefix { $0.isASCII && $0.isNumber }.prefix(maxDigits)
            guard !digits.isEmpty else { return nil }
            characters = characters.dropFirst(digits.count)
            return Int(String(digits))
        }
        for part in parts {
            switch part {
            case .day: guard let value = number(maxDigits: 2) else { return nil }; day = value
            case .month: guard let value = number(maxDigits: 2) else { return nil }; month = value
            case .year(let digits):
                guard let value = number(maxDigits: digits) else { return nil }
                year = digits == 2 ? 2000 + value : value
            case .literal(let character):
                guard characters.first == character else { return nil }
                characters = characters.dropFirst()
            }
        }
        guard characters.isEmpty, let date = Day(year: year, month: month, day: day) else { return nil }
        return date.description
    }
}

extension String {
    var trimmed: String {
        // Most cells have no space at either end.
        if let first = utf8.first, let last = utf8.last, first > 0x20, last > 0x20, first < 0x80, last < 0x80 { return self }
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
