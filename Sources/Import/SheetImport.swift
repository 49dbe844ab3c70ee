import Domain
import Foundation
import Inventory
import Threads
import YAMLReading

/// Where an imported value came from and how it was got, kept compact
/// until it is written as the value's comment.
struct ValueOrigin: Sendable {
    enum Place: Sendable {
        /// A cell of the system's row: its column (from 0) and line.
        case cell(column: Int, line: Int)
        /// A mapping's `value` or its `default`.
        case constant, fallback
        /// Said whole (a publiccode.yml's key).
        case note(String)

        var isConstant: Bool {
            if case .constant = self { true } else { false }
        }
    }

    var place: Place
    /// "given", "mapped from 'SaaS (Cloud)'", "read from 'Hoch'", …
    var how: String
}

/// Where each field of a system came from, by the field's dotted path, kept
/// in the order of `System.fields` (a row's values are set without hashing).
struct FieldOrigins: Sendable {
    private var origins = [ValueOrigin?](repeating: nil, count: System.fields.count)

    /// A field's position in `System.fields`, by its name.
    private static let positions = Dictionary(uniqueKeysWithValues: System.fields.enumerated().map { ($1.name, $0) })

    subscript(field: String) -> ValueOrigin? {
        get { Self.positions[field].flatMap { origins[$0] } }
        set { if let position = Self.positions[field] { origins[position] = newValue } }
    }

    /// The position of `id` in `System.fields`.
    static let id = positions["id"]!

    /// The origin of the field at `position` in `System.fields`.
    subscript(position position: Int) -> ValueOrigin? {
        get { origins[position] }
        set { origins[position] = newValue }
    }
}

/// A system read by an import, with where each of its values came from.
public struct ImportedSystem: Sendable {
    public var system: System
    /// The input the row is in (an index into `ImportedInventory.inputs`).
    var input: Int
    /// Each field's origin, in the order of `System.fields`.
    var origins: FieldOrigins

    /// Where each value came from and how, as its comment in the inventory
    /// says it. The system's first line (its id) names the input and the
    /// row; the values after it name their column (and their line, when a
    /// quoted cell before them spans lines).
    public func comments(inputs: [ImportedInventory.Input]) -> InventoryWriter.Comments {
        let source = inputs[input], origins = origins
        let rowLine: Int? = if case .cell(_, let line)? = origins[position: FieldOrigins.id]?.place { line } else { nil }
        return { field, comment in
            guard let origin = origins[position: field] else { return }
            switch origin.place {
            case .note(let text):
                comment.append(text)
                return
            case .cell(let column, let line):
                let first = field == FieldOrigins.id || rowLine == nil
                if source.cellReferences {
                    if first { comment.append("\(source.name)!") }
                    comment.append(source.letters[column])
                    comment.append(line)
                    comment.append(source.quotedHeaders[column])
                } else {
                    if first {
                        comment.append(source.name)
                        comment.append(", ")
                    }
                    if first || rowLine != line {
                        comment.append("line ")
                        comment.append(line)
                        comment.append(", ")
                    }
                    comment.append(source.columns[column])
                }
            case .constant, .fallback:
                let mapping = source.mappingFile ?? "the mapping"
                // A preset's value where the export has none is its assumption.
                if mapping.hasPrefix("preset "), origin.how == "given" {
                    comment.append("assumed by \(mapping)\(origin.place.isConstant ? "" : " (the cell is empty)"); correct it if it is otherwise")
                    return
                }
                comment.append("\(origin.place.isConstant ? "constant" : "default") of \(mapping), ")
            }
            comment.append(origin.how)
        }
    }
}

/// What an import has made of its inputs so far. Each organisation's
/// systems are held until its last row is read; then the organisation is
/// complete, handed on (to be written and scored) and let go, so that an
/// import holds no more than an organisation at a time when the inputs
/// keep an organisation's rows together.
public struct ImportedInventory: Sendable {
    /// An input read, as comments name its places.
    public struct Input: Sendable {
        public var name: String
        public var cellReferences = false
        var mappingFile: String?
        /// Each column's letters, and its header as a comment quotes it
        /// (` 'Vertragsende', `); both as a CSV's comment names the column
        /// (`column F 'Vertragsende', `). Made once, as every value's comment names its column.
        var letters: [InventoryWriter.Comment] = [], quotedHeaders: [InventoryWriter.Comment] = [], columns: [InventoryWriter.Comment] = []

        /// An input that is no table (a publiccode.yml).
        init(name: String) {
            self.name = name
        }

        init(_ sheet: Sheet, mapping: ImportMapping) {
            name = sheet.name
            let headers = sheet.header.map(\.text)
            cellReferences = sheet.cellReferences
            mappingFile = mapping.file
            letters = sheet.header.map { InventoryWriter.Comment(ColumnLetters.letters($0.location.column)) }
            quotedHeaders = headers.map { InventoryWriter.Comment(" '\($0)', ") }
            columns = sheet.header.indices.map { InventoryWriter.Comment("column \(letters[$0].text)\(quotedHeaders[$0].text)") }
        }
    }

    /// Where a row is: the input and the row's number among its rows.
    struct RowPosition: Hashable, Comparable, Sendable {
        var input: Int
        var row: Int

        static func < (left: RowPosition, right: RowPosition) -> Bool {
            (left.input, left.row) < (right.input, right.row)
        }

        /// After every row of every input.
        static let end = RowPosition(input: .max, row: .max)
    }

    /// Organisation columns as gathered from rows: the text, and where.
    struct Given {
        var text: String
        var location: SourceLocation
        var input: Int
    }

    /// An organisation whose systems are being read.
    struct Open {
        var systems: [ImportedSystem] = []
        /// System id → its index in `systems`.
        var ids: [String: Int] = [:]
        var location: SourceLocation
        var input: Int
    }

    public private(set) var inputs: [Input] = []
    /// The organisations in the order they were first named, as known so far.
    private(set) var order: [String] = []
    /// Organisation → the organisation columns the inputs gave.
    var given: [String: [String: Given]] = [:]
    var open: [String: Open] = [:]
    /// Organisations complete, with their systems' count.
    public private(set) var completed: [String: Organisation] = [:]
    /// Organisation → the last row that names it (from the survey);
    /// an organisation without one is complete when the inputs end.
    var lastRows: [String: RowPosition] = [:] {
        didSet { completions = nil }
    }
    /// The organisations complete at each row, from `lastRows`.
    private var completions: [RowPosition: [String]]?
    /// Organisations with a system of a publiccode.yml: complete when the inputs end.
    var completeAtEnd: Set<String> = []
    /// The survey while it runs beside the reading: until it ends, no
    /// organisation is complete, and the rows read are held.
    private var survey: SurveyInProgress?
    /// Rows read while the survey ran.
    private var rowsHeld = 0
    /// Why the survey failed: the reading then reads no more rows, and the import ends with it.
    private(set) var surveyProblem: ImportProblem?
    /// The most rows the reading holds ahead of the survey: then it waits
    /// for the survey, so that memory stays bounded however long the input.
    static let rowsHeldAhead = 8192
    /// Organisations no input declares (or declares without a type or a
    /// country), with what was assumed for them.
    public private(set) var assumed: [String: [OrganisationAssumption]] = [:]
    public internal(set) var rows = 0
    public private(set) var systems = 0
    /// The vendors, operators and hosting providers the systems name.
    public private(set) var partyNames: Set<String> = []

    public init() {}

    /// Why no organisation may have the id `vendors`.
    public static let reservedOrganisation = "'vendors' cannot be an organisation's id: vendors.yaml in a directory is its local vendors file (docs/rules-format.md); give the organisation another id"

    /// Adds an input; returns its index.
    public mutating func addInput(_ sheet: Sheet, mapping: ImportMapping) -> Int {
        addInput(Input(sheet, mapping: mapping))
    }

    /// Adds an input that is no table (a publiccode.yml); returns its index.
    public mutating func addInput(named name: String) -> Int {
        addInput(Input(name: name))
    }

    private mutating func addInput(_ input: Input) -> Int {
        inputs.append(input)
        return inputs.count - 1
    }

    /// Names `organisation` at `location` of `input`.
    mutating func name(_ organisation: String, at location: SourceLocation, input: Int) {
        if given[organisation] == nil {
            given[organisation] = [:]
            order.append(organisation)
        }
        if open[organisation] == nil, completed[organisation] == nil {
            open[organisation] = Open(location: location, input: input)
        }
    }

    mutating func noteParties(of system: System) {
        for name in [system.vendor, system.operatorName, system.hosting.provider].compactMap({ $0 }) { partyNames.insert(name) }
    }

    /// Adds a system of its own (a publiccode.yml's, the input `input`) to `organisation`.
    public mutating func add(_ system: System, to organisation: String, input: Int, notes: [String: String]) {
        name(organisation, at: system.location, input: input)
        var origins = FieldOrigins()
        for (field, note) in notes { origins[field] = ValueOrigin(place: .note(note), how: "") }
        open[organisation]?.systems.append(ImportedSystem(system: system, input: input, origins: origins))
        noteParties(of: system)
        rows += 1
    }

    /// The organisations whose last row is `position`.
    mutating func completing(at position: RowPosition) -> [String] {
        if completions == nil {
            completions = Dictionary(grouping: lastRows.filter { !completeAtEnd.contains($0.key) }.keys) { lastRows[$0]! }
        }
        return completions![position] ?? []
    }

    /// Reads beside `survey`, which finds where each organisation's rows end.
    public mutating func read(beside survey: SurveyInProgress) {
        self.survey = survey
    }

    /// The organisations complete once `position` has been read, in the
    /// order of their last rows: while the survey runs, none (unless it
    /// has ended, or `rowsHeldAhead` rows are held: then it is waited for
    /// and every organisation whose last row has been read is complete).
    mutating func completing(through position: RowPosition) -> [String] {
        guard let survey else { return completing(at: position) }
        rowsHeld += 1
        guard position == .end || rowsHeld >= Self.rowsHeldAhead || (rowsHeld % 64 == 0 && survey.isFinished) else { return [] }
        self.survey = nil
        switch survey.result() {
        case .failure(let problem):
            surveyProblem = problem
            return []
        case .success(let rows):
            lastRows = rows
            return rows.filter { !completeAtEnd.contains($0.key) && $0.value <= position }.sorted { $0.value < $1.value }.map(\.key)
        }
    }

    /// Notes, in the survey, that a publiccode.yml adds a system to `organisation`.
    public mutating func surveyPublicCode(_ organisation: String) {
        completeAtEnd.insert(organisation)
    }

    /// Completes `id`: the organisation as its inputs declare it (with
    /// defaults where none does), and its systems, checked that each
    /// `depends_on` names one of them. Returns nil when it was complete already.
    mutating func complete(_ id: String, country: String, reference: ReferenceData, logs: inout [Int: DiagnosticLog]) -> (Organisation, [ImportedSystem])? {
        guard completed[id] == nil else { return nil }
        let opened = open.removeValue(forKey: id)
        let values = given[id] ?? [:]
        func log(_ input: Int) -> DiagnosticLog {
            logs[input] ?? DiagnosticLog(file: inputs[input].name, cells: inputs[input].cellReferences)
        }
        func error(_ code: String, _ value: Given, _ message: String) {
            var diagnostics = log(value.input)
            diagnostics.error(code, at: value.location, message)
            logs[value.input] = diagnostics
        }
        var assumptions: [OrganisationAssumption] = []
        var type = OrganisationType.other
        if let written = values["organisation_type"] {
            if let named = OrganisationType.named(written.text) {
                type = named
            } else {
                error("value", written, "'\(written.text)' is no organisation type (one of \(OrganisationType.allCases.map(\.rawValue).joined(separator: ", ")))\(Suggestion.didYouMean(written.text, in: OrganisationType.allCases.map(\.rawValue)))")
            }
        } else {
            assumptions.append(.type(.other))
        }
        var countryCode = country
        if let written = values["organisation_country"] {
            countryCode = written.text
            if reference.countries[countryCode] == nil {
                error("country", written, "'organisation_country' must be an ISO 3166-1 alpha-2 country code, not '\(written.text)'")
            }
        } else {
            assumptions.append(.country(country))
        }
        var asOf: Day?
        if let written = values["as_of"] {
            asOf = Sheet.day(written.text, cellReferences: inputs[written.input].cellReferences)
            if asOf == nil { error("date", written, "'as_of' must be a date (2026-09-30 or 30.09.2026), not '\(written.text)'") }
        }
        if values["organisation_name"] == nil { assumptions.append(.idAsName) }
        if !assumptions.isEmpty { assumed[id] = assumptions }
        let declaredAt = opened.map { (inputs[$0.input].name, $0.location) } ?? values.values.first.map { (inputs[$0.input].name, $0.location) }
            ?? ("", SourceLocation(line: 1, column: 1))
        let systems = opened?.systems ?? []
        let organisation = Organisation(
            id: id, name: values["organisation_name"]?.text ?? id, type: type, parent: values["organisation_parent"]?.text, country: countryCode,
            asOf: asOf, hasInventory: !systems.isEmpty, file: declaredAt.0, location: declaredAt.1)
        // Each depends_on names a system of its organisation.
        let ids = Set(systems.map(\.system.id))
        for imported in systems {
            let system = imported.system
            for target in system.dependsOn where !ids.contains(target) || target == system.id {
                var diagnostics = log(imported.input)
                diagnostics.error("depends-on", at: system.fieldLocations["depends_on"] ?? system.location,
                                  target == system.id ? "system '\(system.id)' depends on itself"
                                    : "'depends_on' names '\(target)', which is no system of '\(id)'\(Suggestion.didYouMean(target, in: ids))")
                logs[imported.input] = diagnostics
            }
        }
        completed[id] = organisation
        self.systems += systems.count
        return (organisation, systems)
    }

    /// Once the inputs have ended: completes the organisations still open
    /// (in the order they were first named), then the parents no input
    /// declares, with the defaults.
    public mutating func completeTheRest(country: String, reference: ReferenceData,
                                         logs: inout [Int: DiagnosticLog]) -> [(Organisation, [ImportedSystem])] {
        var rest: [(Organisation, [ImportedSystem])] = []
        for id in order where open[id] != nil {
            if let done = complete(id, country: country, reference: reference, logs: &logs) { rest.append(done) }
        }
        for id in order {
            guard let organisation = completed[id], let parent = organisation.parent, completed[parent] == nil else { continue }
            assumed[parent] = [.type(.other), .country(country), .idAsName, .parent(of: organisation.id)]
            let declared = Organisation(id: parent, name: parent, type: .other, parent: nil, country: country, asOf: nil,
                                        hasInventory: false, file: organisation.file, location: organisation.location)
            completed[parent] = declared
            rest.append((declared, []))
        }
        return rest
    }
}

/// Turns the rows of a table into organisations and systems through a
/// mapping, checking every value as the inventory's reader does, and
/// reporting every bad cell at its row and column.
public struct SheetImport: Sendable {
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

    /// The columns of `mapping` in `sheet`'s header, by field; nil after an
    /// error in `log` naming the columns the header lacks.
    func columns(of sheet: Sheet, mapping: ImportMapping, log: inout DiagnosticLog) -> [String: Int]? {
        let header = sheet.header
        let names = header.map { $0.text.trimmed.lowercased() }
        var indices: [String: Int] = [:]
        var missing: [String] = []
        for (field, column) in mapping.columns {
            switch column.source {
            case .header(let text):
                if let index = ([text] + column.alternatives).lazy.compactMap({ names.firstIndex(of: $0.trimmed.lowercased()) }).first {
                    indices[field] = index
                } else if let number = ColumnLetters.number(text.trimmed), number <= header.count {
                    // No header is that text: a column by its letters.
                    indices[field] = number - 1
                } else if mapping.file != nil && !column.optional {
                    missing.append("'\(([text] + column.alternatives).joined(separator: "' or '"))' (for \(field)\(column.location.map { ", \(mapping.file!):\($0)" } ?? ""))")
                }
            case .constant: break
            }
        }
        if !missing.isEmpty {
            log.error("missing-column", at: header.first?.location ?? SourceLocation(line: 1, column: 1),
                      "the header row has no column \(missing.sorted().joined(separator: ", ")); the columns it has: \(header.map { "'\($0.text)'" }.joined(separator: ", "))")
            return nil
        }
        return indices
    }

    /// The survey: notes the last row of `sheet` that names each
    /// organisation, so that the reading completes it there.
    func survey(_ sheet: Sheet, mapping: ImportMapping, input: Int, into lastRows: inout [String: ImportedInventory.RowPosition]) throws(ImportProblem) {
        guard organisation == nil, let column = mapping.columns["organisation"] else { return }
        var log = DiagnosticLog(file: sheet.name)
        guard case .header = column.source, let indices = columns(of: sheet, mapping: mapping, log: &log) else { return }
        var reader = RowValues(mapping: mapping, indices: indices, cellReferences: sheet.cellReferences)
        var number = 0
        try sheet.rows(indices["organisation"]) { row in
            number += 1
            reader.row = row
            if let id = reader.value("organisation")?.text { lastRows[id] = ImportedInventory.RowPosition(input: input, row: number) }
        }
    }

    /// The reading: reads the rows of `sheet` into `inventory`, handing
    /// each organisation to `complete` after its last row; the diagnostics
    /// go to `logs[input]`.
    public func read(_ sheet: Sheet, mapping: ImportMapping, input: Int, into inventory: inout ImportedInventory,
                     logs: inout [Int: DiagnosticLog], complete: (Organisation, [ImportedSystem]) -> Void) throws(ImportProblem) {
        var log = logs[input] ?? DiagnosticLog(file: sheet.name, cells: sheet.cellReferences)
        defer { logs[input] = log }
        guard let indices = columns(of: sheet, mapping: mapping, log: &log) else { return }
        var reader = RowValues(mapping: mapping, indices: indices, cellReferences: sheet.cellReferences)
        let strict = SingleRecordReader(reference: reference, strict: true)
        // Fields with a column: a row that gives one of them gives a system.
        let systemColumns = System.fields.dropFirst().map(\.name).filter { indices[$0] != nil }
        var number = 0
        try sheet.rows(nil) { row in
            number += 1
            // After the survey failed, nothing more is read.
            guard inventory.surveyProblem == nil else { return }
            inventory.rows += 1
            reader.row = row
            read(&reader, input: input, into: &inventory, log: &log, strict: strict, systemColumns: systemColumns)
            let completing = inventory.completing(through: ImportedInventory.RowPosition(input: input, row: number))
            guard !completing.isEmpty else { return }
            logs[input] = log
            completeOrganisations(completing, of: &inventory, logs: &logs, complete: complete)
            log = logs[input]!
        }
        if let problem = inventory.surveyProblem { throw problem }
    }

    /// Once every input has been read: the organisations whose last row
    /// the survey found, if it ended only now; an error if it failed.
    public func finishSurvey(of inventory: inout ImportedInventory, logs: inout [Int: DiagnosticLog],
                             complete: (Organisation, [ImportedSystem]) -> Void) throws(ImportProblem) {
        completeOrganisations(inventory.completing(through: .end), of: &inventory, logs: &logs, complete: complete)
        if let problem = inventory.surveyProblem { throw problem }
    }

    /// Completes the organisations `ids`, handing each to `complete`.
    private func completeOrganisations(_ ids: [String], of inventory: inout ImportedInventory,
                                       logs: inout [Int: DiagnosticLog], complete: (Organisation, [ImportedSystem]) -> Void) {
        for id in ids {
            if let (organisation, systems) = inventory.complete(id, country: country, reference: reference, logs: &logs) {
                complete(organisation, systems)
            }
        }
    }

    /// One row: its organisation's columns, and its system.
    private func read(_ reader: inout RowValues, input: Int, into inventory: inout ImportedInventory, log: inout DiagnosticLog,
                      strict: SingleRecordReader, systemColumns: [String]) {
        let rowLocation = reader.row.first?.location ?? SourceLocation(line: 1, column: 1)
        guard let organisationID = organisation ?? reader.value("organisation")?.text else {
            log.error("missing-field", at: rowLocation, "the row names no organisation; give the column 'organisation' a value, or import with --organisation ID")
            return
        }
        guard Node.isSlug(organisationID) else {
            log.error("slug", at: reader.value("organisation")?.location ?? rowLocation,
                      "'organisation' must be an organisation id (lower-case letters, digits, '.', '_' and '-'), not '\(organisationID)'")
            return
        }
        if organisationID == "vendors" {
            if inventory.given[organisationID] == nil {
                inventory.given[organisationID] = [:]
                log.error("reserved", at: reader.value("organisation")?.location ?? rowLocation, ImportedInventory.reservedOrganisation)
            }
            return
        }
        if inventory.completed[organisationID] != nil {
            // Only a row the survey did not see can come after the organisation's last.
            log.error("order", at: rowLocation, "organisation '\(organisationID)' was complete before this row")
            return
        }
        inventory.name(organisationID, at: rowLocation, input: input)
        for column in InventoryColumns.organisation.dropFirst() {
            guard let value = reader.value(column) else { continue }
            if let earlier = inventory.given[organisationID]?[column] {
                if earlier.text != value.text {
                    let place = earlier.input == input ? reader.place(earlier.location)
                        : "\(inventory.inputs[earlier.input].name), line \(earlier.location.line)"
                    log.error("conflict", at: value.location, "organisation '\(organisationID)' has \(column) '\(earlier.text)' at \(place); here '\(value.text)'")
                }
            } else {
                inventory.given[organisationID]![column] = ImportedInventory.Given(text: value.text, location: value.location, input: input)
            }
        }
        // A row without a system id declares its organisation only; one with a system's values but no id is a mistake.
        guard let id = reader.value("id") else {
            if let given = systemColumns.first(where: { reader.value($0) != nil }) {
                log.error("missing-field", at: reader.value(given)!.location,
                          "the row gives '\(given)' but no system 'id'; give the system an id, or leave the row to declare its organisation only")
            }
            return
        }
        var rowLog = DiagnosticLog(file: log.file, cells: log.cells)
        let system = strict.system(reader.systemRecord(at: rowLocation, log: &rowLog), log: &rowLog)
        for diagnostic in rowLog.diagnostics {
            // A field whose cell was reported is not reported again as missing.
            if diagnostic.code == "missing-field", reader.rejected.contains(where: { diagnostic.message.hasPrefix("system has no '\($0)'") }) { continue }
            if diagnostic.severity == .error {
                log.error(diagnostic.code, at: diagnostic.location, diagnostic.message)
            } else {
                log.warning(diagnostic.code, at: diagnostic.location, diagnostic.message)
            }
        }
        guard var system else { return }
        var imported = ImportedSystem(system: system, input: input, origins: reader.origins)
        if let first = inventory.open[organisationID]?.ids[system.id] {
            var place = InventoryWriter.Comment()
            inventory.open[organisationID]!.systems[first].comments(inputs: inventory.inputs)(FieldOrigins.id, &place)
            // An id made of a name (a preset's) is made unique; an id given is a mistake.
            guard reader.mapping.columns["id"]?.slug == true else {
                log.error("duplicate-id", at: id.location,
                          "organisation '\(organisationID)' has a system '\(system.id)' already (\(place.text)); a system id is unique in its organisation")
                return
            }
            let unique = (2...).lazy.map { "\(system.id)-\($0)" }.first { inventory.open[organisationID]?.ids[$0] == nil }!
            log.warning("duplicate-id", at: id.location,
                        "organisation '\(organisationID)' has a system '\(system.id)' already (\(place.text)); this row's is '\(unique)'")
            system.id = unique
            imported.system = system
        }
        inventory.open[organisationID]!.ids[system.id] = inventory.open[organisationID]!.systems.count
        inventory.open[organisationID]!.systems.append(imported)
        inventory.noteParties(of: system)
    }
}

/// The survey of the tables' organisation columns, on a thread of its own
/// beside the reading: where each organisation's rows end, so that the
/// reading completes an organisation at its last row and lets it go.
public final class SurveyInProgress: Sendable {
    private let task: BackgroundTask<Result<[String: ImportedInventory.RowPosition], ImportProblem>>

    /// Surveys `tables` (each a sheet, its mapping and its input's index) in turn.
    public init(_ importer: SheetImport, tables: [(sheet: Sheet, mapping: ImportMapping, input: Int)]) {
        task = BackgroundTask {
            var lastRows: [String: ImportedInventory.RowPosition] = [:]
            do throws(ImportProblem) {
                for table in tables { try importer.survey(table.sheet, mapping: table.mapping, input: table.input, into: &lastRows) }
            } catch {
                return .failure(error)
            }
            return .success(lastRows)
        }
    }

    var isFinished: Bool { task.isFinished }

    func result() -> Result<[String: ImportedInventory.RowPosition], ImportProblem> {
        task.wait()
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

    /// What the mapping makes of a field of a system, worked out once per
    /// sheet (a class, so that a row's reading shares it rather than copies it).
    private final class FieldReading {
        /// The fields read in a way of their own.
        enum Role {
            case deployment, vendor, noticeMonths, contractEnds, annualCost, subprocessors, exceptions, other
        }

        let name: String
        let role: Role
        /// Its position in `System.fields`.
        let position: Int
        /// Where the value comes from, and the mapping's line for a constant or default.
        let source: ImportMapping.Column.Source
        let fallback: String?
        let place: SourceLocation
        /// The mapping's value map, and whether the text is made an id.
        let values: [String: String]
        let slug: Bool
        /// The cell's index in a row, for a column of the sheet.
        let index: Int?
        let kind: InventoryColumns.Kind
        /// The values of a closed set, and the spreadsheet's words for them.
        let allowed: [String]?
        let synonyms: [String: String]
        let isList: Bool
        /// Free texts may hold a comma: their items are separated by ";" only.
        let isFreeText: Bool
        /// `hosting` of `hosting.provider`, and `provider`.
        let parent: String?
        let key: String
        /// The column's date format (`dd.MM.yyyy` when it names none), for a date that is not ISO.
        let dateFormat: (pattern: String, format: DateFormat?)

        init(name: String, position: Int, column: ImportMapping.Column, index: Int?, kind: InventoryColumns.Kind, allowed: [String]?,
             synonyms: [String: String], isList: Bool, isFreeText: Bool, parent: String?, key: String) {
            self.name = name
            role = switch name {
            case "deployment": .deployment
            case "vendor": .vendor
            case "contract.notice_months": .noticeMonths
            case "contract.ends": .contractEnds
            case "contract.annual_cost_eur": .annualCost
            case "subprocessors": .subprocessors
            case "exceptions": .exceptions
            default: .other
            }
            self.position = position
            source = column.source
            fallback = column.fallback
            place = column.location ?? SourceLocation(line: 1, column: 1)
            values = column.values
            slug = column.slug
            self.index = index
            self.kind = kind
            self.allowed = allowed
            self.synonyms = synonyms
            self.isList = isList
            self.isFreeText = isFreeText
            self.parent = parent
            self.key = key
            let pattern = column.dateFormat ?? "dd.MM.yyyy"
            dateFormat = (pattern, DateFormat(pattern))
        }
    }

    let mapping: ImportMapping
    let indices: [String: Int]
    private let readings: [FieldReading]
    var row: [Sheet.Cell] = [] {
        didSet {
            origins = FieldOrigins()
            rejected = []
        }
    }
    /// The fields of the row whose cell was reported as wrong.
    private(set) var rejected: [String] = []
    /// Field → where its value came from and how it was got.
    private(set) var origins = FieldOrigins()
    /// The row's system as the inventory's reader reads it.
    private var record = RecordedValueWriter()
    /// Where a provider inferred from the vendor goes.
    private static let hostingProviderPosition = System.fields.firstIndex { $0.name == "hosting.provider" }!

    let cellReferences: Bool

    init(mapping: ImportMapping, indices: [String: Int], cellReferences: Bool) {
        self.mapping = mapping
        self.indices = indices
        self.cellReferences = cellReferences
        readings = System.fields.enumerated().compactMap { position, field in
            guard let column = mapping.columns[field.name] else { return nil }
            let path = field.name.split(separator: ".", maxSplits: 1).map(String.init)
            return FieldReading(name: field.name, position: position, column: column, index: indices[field.name], kind: InventoryColumns.kind(of: field.name),
                                allowed: ImportMapping.allowedValues[field.name], synonyms: Self.synonyms[field.name] ?? [:],
                                isList: System.isList(field), isFreeText: field.name == "alternatives" || field.name == "subprocessors",
                                parent: path.count == 2 ? path[0] : nil, key: path.last!)
        }
    }

    /// A place as messages name it: "line 17" of a CSV, "cell F17" of a workbook.
    func place(_ location: SourceLocation) -> String {
        cellReferences ? "cell \(ColumnLetters.letters(location.column))\(location.line)" : "line \(location.line)"
    }

    /// The cell (or constant, or default) of a field, trimmed; nil when empty.
    func value(_ field: String) -> Value? {
        guard let column = mapping.columns[field] else { return nil }
        return value(column.source, fallback: column.fallback, place: column.location ?? SourceLocation(line: 1, column: 1), at: indices[field])
    }

    private func value(_ source: ImportMapping.Column.Source, fallback: String?, place: SourceLocation, at index: Int?) -> Value? {
        if case .constant(let text) = source { return Value(text: text, location: place, origin: .constant) }
        if let index, index < row.count {
            var text = row[index].text.trimmed
            if !text.isEmpty {
                // The apostrophe a CSV writer puts before "=", "+", "-" or "@" against formula injection is not part of the value;
                // a workbook made from such a CSV (opened in a spreadsheet and saved) keeps it as text.
                if text.utf8.first == UInt8(ascii: "'") { text = FormulaGuard.unguarded(text) }
                return Value(text: text, location: row[index].location, origin: .cell(index))
            }
        }
        if let fallback { return Value(text: fallback, location: place, origin: .fallback) }
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

    /// The system of the row as a record, each value at its cell (or at the
    /// mapping's line for a constant or default), for the inventory's reader.
    /// The fields are written in the order of `System.fields`, in which the
    /// fields of a group (`hosting.…`) follow one another.
    mutating func systemRecord(at rowLocation: SourceLocation, log: inout DiagnosticLog) -> RecordedValue {
        record.clear()
        record.startMapping(at: rowLocation)
        var group: String?
        func enter(_ parent: String?, at location: SourceLocation) {
            guard parent != group else { return }
            if group != nil { record.end() }
            if let parent {
                record.scalar(parent, at: location)
                record.startMapping(at: location)
            }
            group = parent
        }
        var deployment: String?, vendor: (text: String, location: SourceLocation)?
        // An export without a column for who runs a system: its vendor, said so (written where `hosting.provider` would be).
        var providerDue = mapping.hostingByVendor
        func inferProvider() {
            providerDue = false
            guard let deployment, deployment != Deployment.onPremises.rawValue, let vendor else { return }
            enter("hosting", at: vendor.location)
            record.scalar("provider", at: vendor.location)
            record.scalar(vendor.text, at: vendor.location)
            origins["hosting.provider"] = ValueOrigin(place: .note("inferred: run by its vendor, as the input names no hosting provider; correct it if another runs it"), how: "")
        }
        for reading in readings {
            if providerDue, reading.position > Self.hostingProviderPosition { inferProvider() }
            guard let raw = value(reading.source, fallback: reading.fallback, place: reading.place, at: reading.index) else { continue }
            var text = raw.text, how = "given"
            if reading.slug, case let id = Self.slug(text), id != text {
                // A name of no letters an id can hold is named by its row.
                how = id.isEmpty ? "named by its row, as '\(text)' holds nothing an id can" : "made an id from '\(text)'"
                text = id.isEmpty ? "row-\(raw.location.line)" : id
            }
            if reading.role == .noticeMonths, let months = Self.months(text), months != text {
                how = "read from '\(text)'"
                text = months
            }
            if !reading.values.isEmpty, let mapped = reading.values[text.lowercased()] {
                how = "mapped from '\(text)'"
                text = mapped
            } else if let allowed = reading.allowed, !allowed.contains(text) {
                let lower = text.lowercased()
                if let synonym = reading.synonyms[lower] {
                    how = "read from '\(text)'"
                    text = synonym
                } else if allowed.contains(lower) {
                    text = lower
                } else {
                    let candidates = allowed + Array(reading.values.keys) + Array(reading.synonyms.keys)
                    let near = Suggestion.nearest(to: text, in: candidates)
                    let meant = near.map { reading.values[$0] ?? reading.synonyms[$0] ?? $0 }
                    rejected.append(reading.name)
                    log.error("value", at: raw.location, "'\(text)' is not a \(reading.name.replacingOccurrences(of: "_", with: " ")) value"
                        + (near.map { "; did you mean '\($0)'\($0 == meant ? "" : " (\(meant!))")?" } ?? "") + " (one of \(allowed.joined(separator: ", ")))")
                    continue
                }
            }
            // A date with its time, as some exports write one ("2027-06-30 00:00:00"): its day.
            if reading.kind == .date, text.count > 10, Day(iso: String(text.prefix(10))) != nil,
               [" ", "T"].contains(text[text.index(text.startIndex, offsetBy: 10)]) {
                how += ", its day of '\(text)'"
                text = String(text.prefix(10))
            }
            if reading.role == .contractEnds, Day(iso: text) == nil {
                if let iso = reading.dateFormat.format?.iso(text) {
                    how += ", date \(reading.dateFormat.pattern)"
                    text = iso
                } else if cellReferences, let iso = Self.serialDay(text)?.description {
                    how += ", a spreadsheet's date number"
                    text = iso
                }
            }
            // A workbook's number cell is a number as it is; a CSV's as a spreadsheet wrote it.
            if reading.kind == .number, !cellReferences { text = Self.number(text, whole: reading.role != .annualCost) }
            enter(reading.parent, at: raw.location)
            record.scalar(reading.key, at: raw.location)
            if reading.isList {
                record.startList(at: raw.location)
                for item in Self.split(text, commas: !reading.isFreeText) { record.scalar(item, at: raw.location) }
                record.end()
            } else if reading.role == .subprocessors {
                record.startList(at: raw.location)
                for item in Self.split(text, commas: false) { Self.subprocessor(item, at: raw.location, into: &record) }
                record.end()
            } else if reading.role == .exceptions {
                record.startList(at: raw.location)
                // "[]", as a list cell may say it, is no exception.
                for line in text.split(whereSeparator: \.isNewline) where text != "[]" { Self.exception(String(line), at: raw.location, into: &record) }
                record.end()
            } else {
                // A number plain, as YAML writes one; but a word YAML reads as
                // null ("~", "null") is text, which the reader refuses as a number at its cell.
                record.scalar(text, isPlain: reading.kind == .number && !["~", "null", "Null", "NULL"].contains(text), at: raw.location)
            }
            switch raw.origin {
            case .cell(let index): origins[position: reading.position] = ValueOrigin(place: .cell(column: index, line: raw.location.line), how: how)
            case .constant: origins[position: reading.position] = ValueOrigin(place: .constant, how: how)
            case .fallback: origins[position: reading.position] = ValueOrigin(place: .fallback, how: how)
            }
            if reading.role == .deployment { deployment = text }
            if reading.role == .vendor { vendor = (text, raw.location) }
            if reading.position == Self.hostingProviderPosition { providerDue = false }
        }
        if providerDue { inferProvider() }
        enter(nil, at: rowLocation)
        record.end()
        return record.value
    }

    /// A text as an id: lower-case, each run of what an id cannot hold
    /// (letters, digits, '.', '_' and '-') one '-' ("APM0001234" → "apm0001234", "SAP S/4HANA" → "sap-s-4hana").
    static func slug(_ text: String) -> String {
        var id = ""
        for character in text.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
            if character.isASCII, character.isLetter || character.isNumber || character == "." || character == "_" || character == "-" {
                id.append(character)
            } else if !id.isEmpty, id.last != "-" {
                id.append("-")
            }
        }
        while id.last == "-" { id.removeLast() }
        return id
    }

    /// A number of months as exports write it: "12", "12 months", "12 Monate",
    /// "12 mois", "1 year" (12), "2 Jahre" (24); nil for anything else.
    static func months(_ text: String) -> String? {
        // Most are a number as it is.
        if !text.isEmpty, text.utf8.count < 6, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return String(Int(text)!)
        }
        let parts = text.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let number = parts.first.flatMap({ Int($0) }), number >= 0 else { return nil }
        guard parts.count == 2 else { return String(number) }
        let months = ["month", "months", "month(s)", "monat", "monate", "monaten", "monat(e)", "mon.", "mo.", "mois"]
        let years = ["year", "years", "year(s)", "jahr", "jahre", "jahren", "jahr(e)", "an", "ans", "an(s)"]
        return months.contains(parts[1]) ? String(number) : years.contains(parts[1]) ? String(number * 12) : nil
    }

    /// Items of a list cell: separated by `;` (or, where `commas`, by `,` when there is no `;`).
    static func split(_ text: String, commas: Bool) -> [String] {
        if text == "[]" { return [] }
        // The separators are ASCII: a byte of theirs is never part of another character in UTF-8.
        let separator = text.utf8.contains(UInt8(ascii: ";")) || !commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
        return text.utf8.split(separator: separator).compactMap { bytes in
            // The spaces after a separator are dropped as bytes; other white space (a no-break space) by `trimmed`,
            // as is a space before a byte that is not ASCII (it may carry a combining mark, one character with it).
            var item = bytes
            while item.first == UInt8(ascii: " "), let next = item.dropFirst().first, next < 0x80 { item.removeFirst() }
            while item.last == UInt8(ascii: " ") { item.removeLast() }
            let text = String(decoding: item, as: UTF8.self).trimmed
            return text.isEmpty ? nil : text
        }
    }

    /// "Amazon Web Services (US)" → a subprocessor with its country.
    static func subprocessor(_ text: String, at location: SourceLocation, into record: inout RecordedValueWriter) {
        var name = text, country: String?
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("),
           case let code = String(text[text.index(after: open)..<text.index(before: text.endIndex)]), code.count == 2 || code == "EU" {
            name = String(text[..<open]).trimmed
            country = code
        }
        record.startMapping(at: location)
        record.scalar("name", at: location)
        record.scalar(name, at: location)
        if let country {
            record.scalar("country", at: location)
            record.scalar(country, at: location)
        }
        record.end()
    }

    /// "rule | owner | expires | reason" → an exception.
    static func exception(_ line: String, at location: SourceLocation, into record: inout RecordedValueWriter) {
        let parts = line.split(separator: "|", maxSplits: 3).map { String($0).trimmed }
        record.startMapping(at: location)
        for (key, value) in zip(["rule", "owner", "expires", "reason"], parts) {
            record.scalar(key, at: location)
            record.scalar(value, at: location)
        }
        record.end()
    }

    /// A number as German and English spreadsheets write it: "1.500", "236.000,50", "1,500", "1500".
    /// A single point with three digits after it is a thousands separator only in a `whole` number: 1.125 euros is 1.125.
    static func number(_ text: String, whole: Bool) -> String {
        // Most numbers are digits only.
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return text }
        let compact = text.filter { !$0.isWhitespace && $0 != "€" && $0 != "'" }
        let hasComma = compact.utf8.contains(UInt8(ascii: ",")), hasDot = compact.utf8.contains(UInt8(ascii: "."))
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

    /// A workbook's date number ("46934", "46934.5") as the day it is.
    static func serialDay(_ text: String) -> Day? {
        guard let serial = Double(text), serial.isFinite, abs(serial) < 1e7 else { return nil }
        return Day(spreadsheetSerial: Int(serial.rounded(.down)))
    }
}

/// A default an import assumed for an organisation that no input describes in full.
public enum OrganisationAssumption: Sendable, Equatable {
    case type(OrganisationType)
    case country(String)
    /// Its id stands for its name.
    case idAsName
    /// It is declared because an organisation names it as its parent.
    case parent(of: String)

    /// "type other", "Typ other": the values stay as the inventory writes them.
    public func text(in language: Language) -> String {
        switch (self, language) {
        case (.type(let type), .en): "type \(type.rawValue)"
        case (.type(let type), .de): "Typ \(type.rawValue)"
        case (.country(let code), .en): "country \(code)"
        case (.country(let code), .de): "Land \(code)"
        case (.idAsName, .en): "the id as its name"
        case (.idAsName, .de): "die Kennung als Name"
        case (.parent(let child), .en): "(named as the parent of '\(child)')"
        case (.parent(let child), .de): "(als übergeordnete Organisation von '\(child)' genannt)"
        }
    }
}
