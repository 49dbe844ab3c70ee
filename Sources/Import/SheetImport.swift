import Domain
import Foundation
import Inventory
import YAMLReading

/// What an import makes of its inputs: organisations and their systems as
/// an inventory holds them, where each value came from, and which
/// organisations were declared with assumed defaults.
public struct ImportedInventory: Sendable {
    public var organisations: [Organisation] = []
    public var systems: [String: [System]] = [:]
    /// `organisation/system` → field → where its value came from and how it was got.
    public var provenance: [String: [String: String]] = [:]
    /// Organisations no input declares (or declares without a type or a
    /// country), with what was assumed for them.
    public var assumed: [String: String] = [:]
    /// Organisation → the organisation columns an input gave, with where.
    var declared: [String: [String: (text: String, place: String)]] = [:]
    public var rows = 0

    public init() {}
}

/// Turns the rows of a table into organisations and systems through a
/// mapping, checking every value as the inventory's reader does, and
/// reporting every bad cell at its row and column.
public struct SheetImport {
    public let reference: ReferenceData
    /// `--organisation`: every system goes into this organisation.
    public let organisation: String?
    /// The country assumed for an organisation no input gives one for.
    public let country: String

    public init(reference: ReferenceData, organisation: String?, country: String) {
        self.reference = reference
        self.organisation = organisation
        self.country = country
    }

    /// Organisation columns as gathered from rows: value and where.
    private struct Declaration {
        var values: [String: (text: String, location: SourceLocation)] = [:]
        var hasSystems = false
        var location: SourceLocation
    }

    /// Adds the rows of `table` to `inventory`; the diagnostics go to `log` (whose file is the table's).
    public func read(_ table: Sheet, mapping: ImportMapping, into inventory: inout ImportedInventory, log: inout DiagnosticLog) {
        guard let header = table.rows.first else {
            log.error("empty", at: SourceLocation(line: 1, column: 1), "the file has no header row")
            return
        }
        let names = header.map { $0.text.trimmed.lowercased() }
        // Where each mapped column is; a column the mapping names must exist.
        var indices: [String: Int] = [:]
        var missing: [String] = []
        for (field, column) in mapping.columns {
            switch column.source {
            case .header(let text):
                if let index = names.firstIndex(of: text.trimmed.lowercased()) {
                    indices[field] = index
                } else if let number = ColumnLetters.number(text.trimmed), number <= header.count {
                    // No header is that text: a column by its letters.
                    indices[field] = number - 1
                } else if mapping.file != nil {
                    missing.append("'\(text)' (for \(field)\(column.location.map { ", \(mapping.file!):\($0)" } ?? ""))")
                }
            case .constant: break
            }
        }
        if !missing.isEmpty {
            log.error("missing-column", at: header.first?.location ?? SourceLocation(line: 1, column: 1),
                      "the header row has no column \(missing.sorted().joined(separator: ", ")); the columns it has: \(header.map { "'\($0.text)'" }.joined(separator: ", "))")
            return
        }
        var declarations: [String: Declaration] = [:]
        var order: [String] = []
        var reader = RowValues(mapping: mapping, indices: indices, headers: header.map(\.text), file: table.name, cellReferences: table.cellReferences)
        for row in table.rows.dropFirst() {
            inventory.rows += 1
            reader.row = row
            let rowLocation = row.first?.location ?? SourceLocation(line: 1, column: 1)
            guard let organisationID = organisation ?? reader.value("organisation")?.text else {
                log.error("missing-field", at: rowLocation, "the row names no organisation; give the column 'organisation' a value, or import with --organisation ID")
                continue
            }
            guard Node.isSlug(organisationID) else {
                log.error("slug", at: reader.value("organisation")?.location ?? rowLocation,
                          "'organisation' must be an organisation id (lower-case letters, digits, '.', '_' and '-'), not '\(organisationID)'")
                continue
            }
            if declarations[organisationID] == nil {
                declarations[organisationID] = Declaration(location: rowLocation)
                order.append(organisationID)
            }
            for column in InventoryColumns.organisation.dropFirst() {
                guard let value = reader.value(column) else { continue }
                if let earlier = declarations[organisationID]!.values[column], earlier.text != value.text {
                    log.error("conflict", at: value.location,
                              "organisation '\(organisationID)' has \(column) '\(earlier.text)' at \(reader.place(earlier.location)); here '\(value.text)'")
                } else {
                    declarations[organisationID]!.values[column] = (value.text, value.location)
                }
            }
            // A row without a system id declares its organisation only; one with a system's values but no id is a mistake.
            guard reader.value("id") != nil else {
                if let given = System.fields.dropFirst().first(where: { mapping.columns[$0.name].map { if case .constant = $0.source { false } else { true } } ?? false
                    && reader.value($0.name) != nil }) {
                    log.error("missing-field", at: reader.value(given.name)!.location,
                              "the row gives '\(given.name)' but no system 'id'; give the system an id, or leave the row to declare its organisation only")
                }
                continue
            }
            declarations[organisationID]!.hasSystems = true
            var rowLog = DiagnosticLog(file: log.file, cells: log.cells)
            let node = reader.systemNode(at: rowLocation, reference: reference, log: &rowLog)
            let system = RecordNodeReader(reference: reference, strict: true).system(node, log: &rowLog)
            for diagnostic in rowLog.diagnostics {
                // A field whose cell was reported is not reported again as missing.
                if diagnostic.code == "missing-field", reader.rejected.contains(where: { diagnostic.message.hasPrefix("system has no '\($0)'") }) { continue }
                if diagnostic.severity == .error {
                    log.error(diagnostic.code, at: diagnostic.location, diagnostic.message)
                } else {
                    log.warning(diagnostic.code, at: diagnostic.location, diagnostic.message)
                }
            }
            guard let system else { continue }
            if inventory.systems[organisationID]?.contains(where: { $0.id == system.id }) == true {
                let first = inventory.provenance["\(organisationID)/\(system.id)"]?["id"].map { " (\($0))" } ?? ""
                log.error("duplicate-id", at: reader.value("id")!.location,
                          "organisation '\(organisationID)' has a system '\(system.id)' already\(first); a system id is unique in its organisation")
                continue
            }
            inventory.systems[organisationID, default: []].append(system)
            inventory.provenance["\(organisationID)/\(system.id)"] = reader.provenance
        }
        declare(declarations, order: order, into: &inventory, log: &log)
    }

    private func declare(_ declarations: [String: Declaration], order: [String], into inventory: inout ImportedInventory, log: inout DiagnosticLog) {
        var known = Set(inventory.organisations.map(\.id))
        for id in order {
            let declaration = declarations[id]!
            let values = declaration.values
            var assumed: [String] = []
            var type = OrganisationType.other
            if let written = values["organisation_type"] {
                if let named = OrganisationType.named(written.text.trimmed) {
                    type = named
                } else {
                    log.error("value", at: written.location, "'\(written.text)' is no organisation type (one of \(OrganisationType.allCases.map(\.rawValue).joined(separator: ", ")))\(Suggestion.didYouMean(written.text, in: OrganisationType.allCases.map(\.rawValue)))")
                }
            } else {
                assumed.append("type other")
            }
            var countryCode = country
            if let written = values["organisation_country"] {
                countryCode = written.text.trimmed
                if reference.countries[countryCode] == nil {
                    log.error("country", at: written.location, "'organisation_country' must be an ISO 3166-1 alpha-2 country code, not '\(written.text)'")
                }
            } else {
                assumed.append("country \(country)")
            }
            var asOf: Day?
            if let written = values["as_of"] {
                asOf = Day(iso: written.text.trimmed) ?? DateFormat("dd.MM.yyyy")!.iso(written.text).flatMap(Day.init(iso:))
                    ?? (log.cells ? RowValues.serialDate(written.text).flatMap(Day.init(iso:)) : nil)
                if asOf == nil { log.error("date", at: written.location, "'as_of' must be a date (2026-09-30 or 30.09.2026), not '\(written.text)'") }
            }
            if values["organisation_name"] == nil { assumed.append("the id as its name") }
            if !assumed.isEmpty { inventory.assumed[id] = assumed.joined(separator: ", ") }
            let parent = values["organisation_parent"]?.text.trimmed
            let organisation = Organisation(
                id: id, name: values["organisation_name"]?.text.trimmed ?? id, type: type, parent: parent, country: countryCode, asOf: asOf,
                hasInventory: declaration.hasSystems, file: log.file, location: declaration.location)
            // What an earlier input gave for the organisation must agree with what this one gives.
            var given = inventory.declared[id] ?? [:]
            for (column, value) in values {
                if let earlier = given[column], earlier.text != value.text.trimmed {
                    log.error("conflict", at: value.location, "organisation '\(id)' has \(column) '\(earlier.text)' at \(earlier.place); here '\(value.text)'")
                }
                given[column] = given[column] ?? (value.text.trimmed, "\(log.file), line \(value.location.line)")
            }
            inventory.declared[id] = given
            if let index = inventory.organisations.firstIndex(where: { $0.id == id }) {
                let hasInventory = inventory.organisations[index].hasInventory || declaration.hasSystems
                // The columns given so far make the organisation; what none gives stays assumed.
                inventory.organisations[index] = Organisation(
                    id: id, name: given["organisation_name"]?.text ?? id,
                    type: given["organisation_type"].flatMap { OrganisationType.named($0.text) } ?? .other,
                    parent: given["organisation_parent"]?.text, country: given["organisation_country"]?.text ?? country,
                    asOf: inventory.organisations[index].asOf ?? asOf, hasInventory: hasInventory,
                    file: inventory.organisations[index].file, location: inventory.organisations[index].location)
                inventory.assumed[id] = [given["organisation_type"] == nil ? "type other" : nil, given["organisation_country"] == nil ? "country \(country)" : nil,
                                         given["organisation_name"] == nil ? "the id as its name" : nil].compactMap { $0 }.joined(separator: ", ")
                if inventory.assumed[id]!.isEmpty { inventory.assumed[id] = nil }
            } else {
                inventory.organisations.append(organisation)
            }
            known.insert(id)
        }
        // A parent no input declares is declared too, with the defaults.
        for organisation in inventory.organisations {
            guard let parent = organisation.parent, !known.contains(parent) else { continue }
            known.insert(parent)
            inventory.assumed[parent] = "type other, country \(country), the id as its name (named as the parent of '\(organisation.id)')"
            inventory.organisations.append(Organisation(id: parent, name: parent, type: .other, parent: nil, country: country, asOf: nil,
                                                        hasInventory: false, file: log.file, location: organisation.location))
        }
        // Each depends_on names a system of its organisation.
        for (organisationID, systems) in inventory.systems {
            let ids = Set(systems.map(\.id))
            for system in systems {
                for target in system.dependsOn where !ids.contains(target) || target == system.id {
                    log.error("depends-on", at: system.fieldLocations["depends_on"] ?? system.location,
                              target == system.id ? "system '\(system.id)' depends on itself"
                                : "'depends_on' names '\(target)', which is no system of '\(organisationID)'\(Suggestion.didYouMean(target, in: ids))")
                }
            }
        }
    }
}

/// The values of one row through the mapping, and how each was got.
struct RowValues {
    struct Value {
        enum Origin { case cell(Int), constant, fallback }

        var text: String
        var location: SourceLocation
        var origin: Origin
    }

    let mapping: ImportMapping
    let indices: [String: Int]
    let headers: [String]
    let file: String
    var row: [Sheet.Cell] = [] {
        didSet {
            provenance = [:]
            rejected = []
        }
    }
    /// The fields of the row whose cell was reported as wrong.
    private(set) var rejected: [String] = []
    /// Field → "Anwendungen.csv, line 17, column F 'Kritikalität', mapped from 'Hoch'".
    private(set) var provenance: [String: String] = [:]

    let cellReferences: Bool

    init(mapping: ImportMapping, indices: [String: Int], headers: [String], file: String, cellReferences: Bool) {
        self.mapping = mapping
        self.indices = indices
        self.headers = headers
        self.file = file
        self.cellReferences = cellReferences
    }

    /// A place as messages name it: "line 17" of a CSV, "cell F17" of a workbook.
    func place(_ location: SourceLocation) -> String {
        cellReferences ? "cell \(ColumnLetters.letters(location.column))\(location.line)" : "line \(location.line)"
    }

    /// The cell (or constant, or default) of a field, trimmed; nil when empty.
    func value(_ field: String) -> Value? {
        guard let column = mapping.columns[field] else { return nil }
        let place = column.location ?? SourceLocation(line: 1, column: 1)
        if case .constant(let text) = column.source { return Value(text: text, location: place, origin: .constant) }
        if let index = indices[field], index < row.count, !row[index].text.trimmed.isEmpty {
            var text = row[index].text.trimmed
            // The apostrophe a CSV writer puts before "=", "+", "-" or "@" against formula injection is not part of the value
            // (a workbook's text cell needs none).
            if !cellReferences { text = FormulaGuard.unguarded(text) }
            return Value(text: text, location: row[index].location, origin: .cell(index))
        }
        if let fallback = column.fallback { return Value(text: fallback, location: place, origin: .fallback) }
        return nil
    }

    /// Built-in readings of values a spreadsheet writes in German or English.
    static let synonyms: [String: [String: String]] = {
        let flags = ["ja": "true", "yes": "true", "wahr": "true", "x": "true", "nein": "false", "no": "false", "falsch": "false"]
        return [
            "criticality": ["niedrig": "low", "gering": "low", "mittel": "medium", "hoch": "high", "kritisch": "critical", "sehr hoch": "critical"],
            "data.personal": flags, "data.special_categories": flags, "contract.exit_plan": flags,
        ]
    }()

    /// The system of the row as a record node, each value at its cell (or
    /// at the mapping's line for a constant or default), for the inventory's reader.
    mutating func systemNode(at rowLocation: SourceLocation, reference: ReferenceData, log: inout DiagnosticLog) -> Node {
        var entries: [Node.Entry] = []
        var nested: [String: [Node.Entry]] = [:]
        var nestedOrder: [String] = []
        for field in System.fields {
            guard let raw = value(field.name) else { continue }
            let column = mapping.columns[field.name]!
            var text = raw.text, how = "given"
            if let mapped = column.values[text.lowercased()] {
                how = "mapped from '\(text)'"
                text = mapped
            } else if let allowed = ImportMapping.allowedValues[field.name] {
                if let synonym = Self.synonyms[field.name]?[text.lowercased()] {
                    how = "read from '\(text)'"
                    text = synonym
                } else if let exact = allowed.first(where: { $0 == text.lowercased() }) {
                    text = exact
                } else {
                    let candidates = allowed + Array(column.values.keys) + Array(Self.synonyms[field.name]?.keys ?? [:].keys)
                    let near = Suggestion.nearest(to: text, in: candidates)
                    let meant = near.map { column.values[$0] ?? Self.synonyms[field.name]?[$0] ?? $0 }
                    rejected.append(field.name)
                    log.error("value", at: raw.location, "'\(text)' is not a \(field.name.replacingOccurrences(of: "_", with: " ")) value"
                        + (near.map { "; did you mean '\($0)'\($0 == meant ? "" : " (\(meant!))")?" } ?? "") + " (one of \(allowed.joined(separator: ", ")))")
                    continue
                }
            }
            if field.name == "contract.ends", Day(iso: text) == nil {
                let format = column.dateFormat ?? "dd.MM.yyyy"
                if let iso = DateFormat(format)?.iso(text) {
                    how += ", date \(format)"
                    text = iso
                } else if cellReferences, let iso = Self.serialDate(text) {
                    how += ", a spreadsheet's date number"
                    text = iso
                }
            }
            let kind = InventoryColumns.kind(of: field.name)
            // A workbook's number cell is a number as it is; a CSV's as a spreadsheet wrote it.
            if kind == .number, !cellReferences { text = Self.number(text, whole: field.name != "contract.annual_cost_eur") }
            let node: Node
            // Free texts may hold a comma: their items are separated by ";" only.
            let freeText = field.name == "alternatives" || field.name == "subprocessors"
            if System.isList(field) {
                node = Node(.sequence(Self.split(text, commas: !freeText).map { Node(.scalar(Scalar(value: $0, isPlain: false)), at: raw.location) }),
                            at: raw.location)
            } else if field.name == "subprocessors" {
                node = Node(.sequence(Self.split(text, commas: false).map { Self.subprocessor($0, at: raw.location) }), at: raw.location)
            } else if field.name == "exceptions" {
                node = Node(.sequence(text.split(whereSeparator: \.isNewline).map { Self.exception(String($0), at: raw.location) }), at: raw.location)
            } else {
                node = Node(.scalar(Scalar(value: text, isPlain: kind == .number)), at: raw.location)
            }
            switch raw.origin {
            case .cell(let index):
                provenance[field.name] = cellReferences
                    ? "\(file)!\(ColumnLetters.letters(index + 1))\(raw.location.line) '\(headers[index])', \(how)"
                    : "\(file), line \(raw.location.line), column \(ColumnLetters.letters(index + 1)) '\(headers[index])', \(how)"
            case .constant: provenance[field.name] = "constant of \(mapping.file ?? "the mapping"), \(how)"
            case .fallback: provenance[field.name] = "default of \(mapping.file ?? "the mapping"), \(how)"
            }
            let path = field.name.split(separator: ".", maxSplits: 1).map(String.init)
            if path.count == 2 {
                if nested[path[0]] == nil { nestedOrder.append(path[0]) }
                nested[path[0], default: []].append(Node.Entry(key: path[1], keyLocation: raw.location, value: node))
            } else {
                entries.append(Node.Entry(key: field.name, keyLocation: raw.location, value: node))
            }
        }
        for key in nestedOrder {
            let children = nested[key]!
            entries.append(Node.Entry(key: key, keyLocation: children[0].keyLocation, value: Node(.mapping(children), at: children[0].keyLocation)))
        }
        return Node(.mapping(entries), at: rowLocation)
    }

    /// Items of a list cell: separated by `;` (or, where `commas`, by `,` when there is no `;`).
    static func split(_ text: String, commas: Bool) -> [String] {
        if text == "[]" { return [] }
        let separator: Character = text.contains(";") || !commas ? ";" : ","
        return text.split(separator: separator).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// "Amazon Web Services (US)" → a subprocessor with its country.
    static func subprocessor(_ text: String, at location: SourceLocation) -> Node {
        var entries = [Node.Entry]()
        var name = text
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("),
           case let code = String(text[text.index(after: open)..<text.index(before: text.endIndex)]), code.count == 2 || code == "EU" {
            name = String(text[..<open]).trimmed
            entries.append(Node.Entry(key: "country", keyLocation: location, value: Node(.scalar(Scalar(value: code, isPlain: false)), at: location)))
        }
        entries.insert(Node.Entry(key: "name", keyLocation: location, value: Node(.scalar(Scalar(value: name, isPlain: false)), at: location)), at: 0)
        return Node(.mapping(entries), at: location)
    }

    /// "rule | owner | expires | reason" → an exception.
    static func exception(_ line: String, at location: SourceLocation) -> Node {
        let parts = line.split(separator: "|", maxSplits: 3).map { String($0).trimmed }
        let keys = ["rule", "owner", "expires", "reason"]
        return Node(.mapping(zip(keys, parts).map { key, value in
            Node.Entry(key: key, keyLocation: location, value: Node(.scalar(Scalar(value: value, isPlain: false)), at: location))
        }), at: location)
    }

    /// A number as German and English spreadsheets write it: "1.500", "236.000,50", "1,500", "1500".
    /// A single point with three digits after it is a thousands separator only in a `whole` number: 1.125 euros is 1.125.
    static func number(_ text: String, whole: Bool) -> String {
        let compact = text.filter { !$0.isWhitespace && $0 != "€" && $0 != "'" }
        let hasComma = compact.contains(","), hasDot = compact.contains(".")
        if hasComma && hasDot {
            let decimalComma = compact.lastIndex(of: ",")! > compact.lastIndex(of: ".")!
            return decimalComma ? compact.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                : compact.replacingOccurrences(of: ",", with: "")
        }
        if hasComma {
            // "1,500" (thousands) or "12,5" (decimal comma): three digits after a single comma are thousands.
            let parts = compact.split(separator: ",")
            return parts.count == 2 && parts[1].count != 3 ? compact.replacingOccurrences(of: ",", with: ".") : compact.replacingOccurrences(of: ",", with: "")
        }
        if hasDot {
            let parts = compact.split(separator: ".")
            if parts.count > 2 || (whole && parts.count == 2 && parts[1].count == 3) { return compact.replacingOccurrences(of: ".", with: "") }
        }
        return compact
    }

    /// A workbook's date number ("46934", "46934.5") as an ISO date.
    static func serialDate(_ text: String) -> String? {
        guard let serial = Double(text), serial.isFinite, abs(serial) < 1e7 else { return nil }
        return Day(spreadsheetSerial: Int(serial.rounded(.down)))?.description
    }
}
