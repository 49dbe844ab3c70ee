import Domain
import Foundation
import Inventory
import YAMLReading

/// The layouts of exports administrations already have, by name
/// (`--preset`, docs/import.md): which tables of an export hold systems and
/// which the companies (or contracts) they name, how their columns become
/// inventory fields, and how the tables are joined. Where an export has no
/// column for a field the inventory needs, the preset gives the value it
/// assumes, and the value's comment says so.
public enum Preset: String, CaseIterable, Sendable {
    /// sovscan's own layout (`sovscan export`, `sovscan template`).
    case sovscan
    /// ServiceNow: a Business Application (`cmdb_ci_business_app`) list
    /// export, and a Company (`core_company`) export for the vendors.
    case servicenow
    /// GLPI: a software search export with its contract columns, and a
    /// supplier export for the publishers' countries.
    case glpi
    /// CISO Assistant's third-party workbook: Entities, Solutions, Contracts.
    case cisoAssistant = "ciso-assistant"

    /// What a table of an export is to a preset.
    public enum Role: Sendable, Equatable {
        case systems
        /// Companies with their country (and parent): the vendors systems name.
        case companies
        /// CISO Assistant's contracts, joined to the solutions they name.
        case contracts
        /// A table the preset reads nothing from (CISO Assistant's representatives).
        case skipped
    }

    /// The role of a table, by its header; nil when it is none the preset knows.
    public func role(of header: [String]) -> Role? {
        let names = Set(header.map { $0.trimmed.lowercased() })
        func has(_ any: String...) -> Bool { any.contains(where: names.contains) }
        switch self {
        case .sovscan:
            return ImportMapping.isSovscanLayout(header) ? .systems : nil
        case .servicenow:
            if has("install_type", "install type", "business_criticality", "business criticality", "busines_criticality") { return .systems }
            return has("name") && has("country") ? .companies : nil
        case .glpi:
            if has("publisher", "manufacturers_id", "manufacturer") && has("name") { return .systems }
            return has("name") && has("country") ? .companies : nil
        case .cisoAssistant:
            if has("provider_entity_ref_id") && has("criticality") { return .systems }
            if has("solution_ref_id") && has("end_date") { return .contracts }
            if has("ref_id") && has("country") { return .companies }
            return has("email") && has("provider_entity_ref_id") ? .skipped : nil
        }
    }

    /// The columns a systems table must have, as messages name them.
    public var expected: String {
        switch self {
        case .sovscan: "sovscan's layout (\(InventoryColumns.required.joined(separator: ", ")))"
        case .servicenow: "a business application export (number, name, vendor, install_type, business_criticality) or a company export (name, country, parent)"
        case .glpi: "a software export (Name, Publisher, contract columns) or a supplier export (Name, Country)"
        case .cisoAssistant: "the third-party workbook's sheets Entities (ref_id, name, country), Solutions (ref_id, name, provider_entity_ref_id, criticality) and Contracts (solution_ref_id, end_date)"
        }
    }

    /// The tool whose export it is, as a source names it.
    public var tool: String {
        switch self {
        case .sovscan: "sovscan"
        case .servicenow: "ServiceNow"
        case .glpi: "GLPI"
        case .cisoAssistant: "CISO Assistant"
        }
    }

    /// Whether every system goes into the organisation of `--organisation`:
    /// the export names none of sovscan's.
    public var needsOrganisation: Bool { self != .sovscan }

    /// How a systems table's columns become inventory fields.
    public var mapping: ImportMapping {
        typealias Column = ImportMapping.Column
        func column(_ headers: String..., optional: Bool = false, values: [String: String] = [:], fallback: String? = nil,
                    slug: Bool = false) -> Column {
            var column = Column(source: .header(headers[0]))
            column.alternatives = Array(headers.dropFirst())
            column.optional = optional || fallback != nil
            column.values = Dictionary(uniqueKeysWithValues: values.map { ($0.key.lowercased(), $0.value) })
            column.fallback = fallback
            column.slug = slug
            return column
        }
        func constant(_ value: String) -> Column { Column(source: .constant(value)) }
        var columns: [String: Column]
        switch self {
        case .sovscan:
            return .sovscan
        case .servicenow:
            columns = [
                "id": column("number", "Number", slug: true),
                "name": column("name", "Name"), "product": column("name", "Name"),
                "vendor": column("vendor", "Vendor", "publisher", "Publisher"),
                "function": constant("other"), "licence": constant("proprietary"),
                "deployment": column("install_type", "Install type", values: [
                    "On-Premises": "on_premises", "On Premises": "on_premises", "On-Premise": "on_premises", "Cloud": "saas",
                    "SaaS": "saas", "Hybrid": "saas", "Third Party Hosted": "hosted", "Third-Party Hosted": "hosted",
                ], fallback: "on_premises"),
                "criticality": column("business_criticality", "Business criticality", "busines_criticality", values: [
                    "1 - most critical": "critical", "2 - somewhat critical": "high", "3 - less critical": "medium", "4 - not critical": "low",
                ], fallback: "medium"),
                "contract.ends": column("contract_end_date", "Contract end date", optional: true),
                "data.classification": column("data_classification", "Data classification", optional: true, values: [
                    "Public": "none", "Internal": "none", "Internal use": "none", "Restricted": "vs-nfd", "Confidential": "confidential",
                    "Highly confidential": "secret", "Secret": "secret",
                ]),
                "notes": column("short_description", "Short description", "description", "Description", optional: true),
            ]
        case .glpi:
            columns = [
                "id": column("name", "Name", slug: true),
                "name": column("name", "Name"), "product": column("name", "Name"),
                // GLPI lists software with no publisher: a gap to fill, not a reason to stop.
                "vendor": column("publisher", "Publisher", "manufacturers_id", "Manufacturer", fallback: "unknown"),
                "function": constant("other"), "deployment": constant("on_premises"),
                "licence": column("softwarelicensetypes_id", "License type", fallback: "proprietary"),
                "criticality": constant("medium"),
                "contract.ends": column(GLPIContract.endsHeader, optional: true),
                "contract.notice_months": column(GLPIContract.noticeHeader, optional: true),
                "notes": column("comment", "Comments", optional: true),
            ]
        case .cisoAssistant:
            columns = [
                "id": column("ref_id", slug: true),
                "name": column("name"), "product": column("name"),
                "vendor": column(CISOAssistantJoin.vendorHeader),
                "function": constant("other"), "deployment": constant("saas"), "licence": constant("proprietary"),
                "criticality": column("criticality", values: ["0": "medium", "1": "low", "2": "medium", "3": "high", "4": "critical"],
                                      fallback: "medium"),
                "contract.ends": column(CISOAssistantJoin.endsHeader, optional: true),
                "contract.annual_cost_eur": column(CISOAssistantJoin.costHeader, optional: true),
                "notes": column("description", optional: true),
            ]
        }
        var mapping = ImportMapping(columns: columns, file: "preset \(rawValue)")
        mapping.hostingByVendor = true
        return mapping
    }
}

/// A company as an export lists it: a vendor or supplier of a CMDB, an
/// entity of a third-party register.
public struct ListedCompany: Sendable {
    public var name: String
    /// The country as written (a code or a name).
    public var country: String?
    /// The parent company's name.
    public var parent: String?
    /// Its id in the export (CISO Assistant's `ref_id`), by which other tables name it.
    public var reference: String?
    /// Where it is listed: the input and the row.
    public var input: String
    public var location: SourceLocation
    /// The file's name, as a source names it.
    public var file: String
    /// Whether its place is a workbook's cell.
    public var cellReferences: Bool
}

extension [Sheet.Cell] {
    /// The trimmed text of the cell at `column`; empty where the row has none.
    func text(at column: Int?) -> String {
        guard let column, column < count else { return "" }
        return self[column].text.trimmed
    }
}

/// Reads a companies table: name, country and parent by the headers the
/// presets' exports use. Such a table is small, and its rows are held to
/// find a parent named by its `ref_id`.
public enum CompanyTable {
    /// The companies of `sheet`; a parent named by a `ref_id` no row has is a warning in `diagnostics`.
    public static func read(_ sheet: Sheet, diagnostics: inout [Diagnostic]) throws(ImportProblem) -> [ListedCompany] {
        guard let name = sheet.column("name") else { return [] }
        let country = sheet.column("country"), parent = sheet.column("parent"), reference = sheet.column("ref_id")
        let parentReference = sheet.column("parent_entity_ref_id")
        var rows: [[Sheet.Cell]] = []
        try sheet.rows(nil) { rows.append($0) }
        func text(_ row: [Sheet.Cell], _ column: Int?) -> String? {
            let text = row.text(at: column)
            return text.isEmpty ? nil : text
        }
        // CISO Assistant names an entity's parent by its ref_id.
        var byReference: [String: String] = [:]
        if let reference {
            for row in rows { if let id = text(row, reference), let name = text(row, name) { byReference[id] = name } }
        }
        let file = (sheet.name.split(separator: ":").first.map(String.init) ?? sheet.name).split(separator: "/").last.map(String.init) ?? sheet.name
        var companies: [ListedCompany] = []
        for row in rows {
            guard let companyName = text(row, name) else { continue }
            if let named = text(row, parentReference), byReference[named] == nil {
                diagnostics.append(Diagnostic(file: sheet.name, location: row[parentReference!].location, severity: .warning, code: "reference",
                                              message: "parent_entity_ref_id '\(named)' names no entity of this sheet; \(companyName) is written without a parent",
                                              isCell: sheet.cellReferences))
            }
            companies.append(ListedCompany(name: companyName, country: text(row, country),
                                           parent: text(row, parent) ?? text(row, parentReference).flatMap { byReference[$0] },
                                           reference: text(row, reference), input: sheet.name, location: row[name].location, file: file,
                                           cellReferences: sheet.cellReferences))
        }
        return companies
    }
}

/// GLPI's contract columns on a software export: a contract's end is its
/// start date plus its duration in months, as GLPI shows it; a software with several
/// contracts (GLPI joins them with `<br>`) takes the one that ends last.
enum GLPIContract {
    static let endsHeader = "contract end (start date plus duration)"
    static let noticeHeader = "contract notice (of the contract that ends last)"
    static let starts = ["contract - start date", "begin_date", "start date"]
    static let durations = ["contract - duration", "duration", "initial contract period"]
    static let notices = ["contract - notice", "notice"]
}

/// CISO Assistant's Solutions joined with its Entities (the provider's
/// name) and its Contracts (the latest end, the annual expense in euros).
enum CISOAssistantJoin {
    static let vendorHeader = "vendor (name of the entity provider_entity_ref_id names)"
    static let endsHeader = "contract end (latest end_date of the contracts naming it)"
    static let costHeader = "annual cost (annual_expense in EUR of the contracts naming it)"

    /// Per solution ref_id: the latest end and the sum of the euro expenses of the contracts that name it.
    struct Terms {
        var ends: Day?
        var cost: Double?
    }

    static func terms(_ contracts: Sheet) throws(ImportProblem) -> (terms: [String: Terms], diagnostics: [Diagnostic]) {
        guard let solutions = contracts.column("solution_ref_id") else { return ([:], []) }
        let end = contracts.column("end_date"), expense = contracts.column("annual_expense"), currency = contracts.column("currency")
        let status = contracts.column("status")
        var terms: [String: Terms] = [:], diagnostics: [Diagnostic] = []
        try contracts.rows(nil) { row in
            func text(_ column: Int?) -> String { row.text(at: column) }
            func warn(_ column: Int?, _ message: String) {
                let place = column.flatMap { $0 < row.count ? row[$0].location : nil } ?? row.first?.location ?? SourceLocation(line: 1, column: 1)
                diagnostics.append(Diagnostic(file: contracts.name, location: place, severity: .warning, code: "value", message: message,
                                              isCell: contracts.cellReferences))
            }
            // A terminated contract binds nothing.
            guard text(status).lowercased() != "terminated" else { return }
            let ends = Sheet.day(text(end), cellReferences: contracts.cellReferences)
            if ends == nil, !text(end).isEmpty { warn(end, "'\(text(end))' is no end date (2028-12-31 or 31.12.2028); the contract's end is left out") }
            var euros: Double?
            if !text(expense).isEmpty {
                if !["", "eur", "€"].contains(text(currency).lowercased()) {
                    warn(currency, "an annual expense in \(text(currency)) is not added to the cost in euros")
                } else if let amount = Double(text(expense)) ?? Double(RowValues.number(text(expense), whole: false)) {
                    euros = amount
                } else {
                    warn(expense, "'\(text(expense))' is no amount; the contract's expense is left out")
                }
            }
            // Several solutions are separated by a line break, '|' or ','.
            for solution in text(solutions).split(whereSeparator: { $0.isNewline || $0 == "|" || $0 == "," }).map({ String($0).trimmed })
            where !solution.isEmpty {
                var entry = terms[solution] ?? Terms()
                if let ends, entry.ends.map({ ends > $0 }) ?? true { entry.ends = ends }
                if let euros { entry.cost = (entry.cost ?? 0) + euros }
                terms[solution] = entry
            }
        }
        return (terms, diagnostics)
    }
}

extension Sheet {
    /// The index of the first of `headers` the header has (compared as
    /// trimmed, lower-cased text).
    func column(_ headers: String...) -> Int? { column(headers) }

    func column(_ headers: [String]) -> Int? {
        let names = header.map { $0.text.trimmed.lowercased() }
        return headers.lazy.compactMap { names.firstIndex(of: $0) }.first
    }

    /// A column worked out from the other cells of a row (a join with
    /// another table), placed at the cell it is worked out from (`at`).
    struct AddedColumn: Sendable {
        var header: String
        var at: Int
        var value: @Sendable ([Cell]) -> String
    }

    /// The sheet with `columns` added at its end; an empty text is an empty cell.
    func adding(_ columns: [AddedColumn]) -> Sheet {
        guard !columns.isEmpty else { return self }
        var joined = self
        joined.header += columns.map { Cell(text: $0.header, location: header[min($0.at, header.count - 1)].location) }
        let rows = self.rows
        let width = header.count
        joined.rows = { only, body throws(ImportProblem) in
            try rows(only) { row in
                // A row ends at its last cell with text: the added columns come after the header's last.
                let line = row.first?.location.line ?? 1
                let padded = row + (row.count..<max(width, row.count)).map { Cell(text: "", location: SourceLocation(line: line, column: $0 + 1)) }
                body(padded + columns.map { column in
                    Cell(text: column.value(padded), location: padded[min(column.at, padded.count - 1)].location)
                })
            }
        }
        return joined
    }

    /// A day as exports write one: ISO (with or without a time), `31.12.2028`,
    /// `31/12/2028`, or a workbook's date number.
    static func day(_ text: String, cellReferences: Bool) -> Day? {
        Day(iso: String(text.prefix(10))) ?? DateFormat("dd.MM.yyyy")!.iso(text).flatMap(Day.init(iso:))
            ?? DateFormat("dd/MM/yyyy")!.iso(text).flatMap(Day.init(iso:))
            ?? (cellReferences ? RowValues.serialDay(text) : nil)
    }

    /// A systems table of `preset` with the columns its joins add, and what
    /// a pass over it finds the joins cannot do (a reference to nothing, lists
    /// that do not pair), at its cells.
    public func joined(for preset: Preset, companies: [ListedCompany], contracts: [Sheet]) throws(ImportProblem)
        -> (sheet: Sheet, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func note(_ severity: Severity, _ code: String, at cell: Cell, _ message: String) {
            diagnostics.append(Diagnostic(file: name, location: cell.location, severity: severity, code: code, message: message, isCell: cellReferences))
        }
        switch preset {
        case .sovscan, .servicenow:
            return (self, [])
        case .glpi:
            guard let start = column(GLPIContract.starts), let duration = column(GLPIContract.durations) else { return (self, []) }
            let notice = column(GLPIContract.notices)
            let cellReferences = self.cellReferences
            let items: @Sendable ([Cell], Int?) -> [String] = { row, column in
                guard let column, column < row.count, !row[column].text.trimmed.isEmpty else { return [] }
                return row[column].text.components(separatedBy: "<br>").map(\.trimmed)
            }
            // Each contract: its end and its notice, in the order GLPI lists them.
            let latest: @Sendable ([Cell]) -> (ends: Day, notice: String)? = { row in
                let starts = items(row, start), durations = items(row, duration), notices = items(row, notice)
                return (0..<min(starts.count, durations.count)).compactMap { index -> (ends: Day, notice: String)? in
                    guard let begins = Self.day(starts[index], cellReferences: cellReferences),
                          let months = RowValues.months(durations[index]).flatMap(Int.init), months > 0 else { return nil }
                    // As GLPI shows a contract's end (Infocom::getWarrantyExpir): its start plus its duration.
                    return (begins.adding(months: months), index < notices.count ? notices[index] : "")
                }.max { $0.ends < $1.ends }
            }
            // What cannot be paired or read is said, not dropped in silence.
            try rows(nil) { row in
                guard start < row.count else { return }
                let starts = items(row, start), durations = items(row, duration)
                if starts.count != durations.count {
                    note(.warning, "contract", at: row[start], "the contract columns list \(starts.count) start dates and \(durations.count) durations; "
                        + "\(min(starts.count, durations.count)) are paired in order, the rest have no end; make each contract give both")
                }
                for (begins, months) in zip(starts, durations) {
                    if Self.day(begins, cellReferences: cellReferences) == nil {
                        note(.warning, "date", at: row[start], "'\(begins)' is no start date (2024-01-31 or 31.01.2024); that contract has no end")
                    } else if RowValues.months(months) == nil {
                        note(.warning, "value", at: row[duration], "'\(months)' is no duration in months or years (36, 36 months, 3 years); that contract has no end")
                    }
                }
            }
            return (adding([
                AddedColumn(header: GLPIContract.endsHeader, at: start) { latest($0)?.ends.description ?? "" },
                AddedColumn(header: GLPIContract.noticeHeader, at: notice ?? start) { latest($0)?.notice ?? "" },
            ]), diagnostics)
        case .cisoAssistant:
            guard let provider = column("provider_entity_ref_id"), let reference = column("ref_id") else { return (self, []) }
            var entities: [String: String] = [:]
            for company in companies { if let id = company.reference { entities[id] = company.name } }
            let vendors = entities
            var terms: [String: CISOAssistantJoin.Terms] = [:]
            for sheet in contracts {
                let (read, problems) = try CISOAssistantJoin.terms(sheet)
                terms.merge(read) { first, _ in first }
                diagnostics += problems
            }
            let joined = terms
            try rows(nil) { row in
                let named = row.text(at: provider)
                if !named.isEmpty, vendors[named] == nil, provider < row.count {
                    note(.error, "reference", at: row[provider], "provider_entity_ref_id '\(named)' names no entity of the Entities sheet"
                        + Suggestion.didYouMean(named, in: vendors.keys))
                }
            }
            return (adding([
                AddedColumn(header: CISOAssistantJoin.vendorHeader, at: provider) { row in vendors[row.text(at: provider)] ?? "" },
                AddedColumn(header: CISOAssistantJoin.endsHeader, at: reference) { row in joined[row.text(at: reference)]?.ends?.description ?? "" },
                AddedColumn(header: CISOAssistantJoin.costHeader, at: reference) { row in
                    joined[row.text(at: reference)]?.cost.map { String(format: "%.2f", $0) } ?? ""
                },
            ]), diagnostics)
        }
    }
}

/// The companies an export lists that its systems name and the rule set's
/// catalogue does not know, as a local vendors file (`vendors.yaml`, read by
/// `scan` and `validate` from the directory it is in): each with its
/// country and its parent as the export has them, its source the export's
/// file and row.
public enum ListedVendors {
    /// The entries for `named` (the vendors, operators and hosting
    /// providers the systems write); `known` gives the catalogue's id of a
    /// name it knows, `suggestedID` an id for one it does not. A company
    /// whose country is none the rule set knows is left out, with a warning.
    public static func entries(_ companies: [ListedCompany], named: Set<String>, tool: String, on day: Day, reference: ReferenceData,
                               known: (String) -> String?, suggestedID: (String) -> String,
                               warnings: inout [Diagnostic]) -> [Node] {
        var byName: [String: ListedCompany] = [:]
        for company in companies where byName[company.name.lowercased()] == nil { byName[company.name.lowercased()] = company }
        var ids: [String: String] = [:], entries: [Node] = [], pending = named.sorted()
        var written: Set<String> = []
        while let name = pending.first {
            pending.removeFirst()
            guard known(name) == nil, let company = byName[name.lowercased()], written.insert(company.name.lowercased()).inserted else { continue }
            guard let country = company.country.flatMap(reference.countryCode) else {
                warnings.append(Diagnostic(file: company.input, location: company.location, severity: .warning, code: "country",
                                           message: "\(company.name) has \(company.country.map { "the country '\($0)', which is none the rule set knows" } ?? "no country"); it is left out of vendors.yaml",
                                           isCell: company.cellReferences))
                continue
            }
            func id(_ name: String) -> String {
                if let id = ids[name.lowercased()] { return id }
                let id = suggestedID(name)
                ids[name.lowercased()] = id
                return id
            }
            let place = SourceLocation(line: 1, column: 1)
            func text(_ key: String, _ value: String) -> Node.Entry { .text(key, value, at: place) }
            var fields = [text("id", id(company.name)), text("name", company.name), text("country", country)]
            if let parent = company.parent, parent.lowercased() != company.name.lowercased() {
                if let catalogued = known(parent) {
                    fields.append(text("parent", catalogued))
                } else if byName[parent.lowercased()] != nil {
                    fields.append(text("parent", id(parent)))
                    pending.append(parent)
                } else {
                    warnings.append(Diagnostic(file: company.input, location: company.location, severity: .warning, code: "parent",
                                               message: "\(company.name)'s parent '\(parent)' is neither in the export nor in the catalogue; vendors.yaml names no parent for it",
                                               isCell: company.cellReferences))
                }
            }
            let row = company.cellReferences ? "row \(company.location.line)" : "line \(company.location.line)"
            let source = [text("title", "\(tool) export \(company.file), \(row)"), text("url", "file:\(company.file)"),
                          Node.Entry(key: "date", keyLocation: place, value: Node(.scalar(Scalar(value: day.description, isPlain: true)), at: place))]
            fields.append(Node.Entry(key: "source", keyLocation: place, value: Node(.mapping(source), at: place)))
            entries.append(Node(.mapping(fields), at: place))
        }
        return entries
    }
}
