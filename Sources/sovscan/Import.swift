import ArgumentParser
import Domain
import Foundation
import Import
import Inventory
import Output
import Reporting
import Scanning
import Scoring
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn spreadsheets (CSV, XLSX) into inventories that validate, with every value's origin and the answers to ask for first.",
        discussion: """
            A CSV, or a workbook's sheets, in sovscan's own layout (the columns `sovscan export` writes) is recognised by \
            its header row; exports of ServiceNow, GLPI and CISO Assistant are read with --preset, and any other \
            layout needs a mapping with --map (docs/import.md). The encoding (UTF-8 with or without BOM, UTF-16 with BOM, \
            Windows-1252) and the delimiter (, ; or tab) are found and stated. Every bad cell is reported at its line and \
            column, and then nothing is written (exit 1). The output is one inventory file per organisation and \
            organisations.yaml for those without systems, each value with a comment saying where it came from, written \
            into a new or empty directory.
            """
    )

    @Argument(help: ArgumentHelp("CSV files (.csv, .tsv, .txt) or workbooks (.xlsx).", valueName: "input"))
    var inputs: [String]

    @Option(help: ArgumentHelp("The directory to write the inventories into (new or empty).", valueName: "dir"))
    var out: String

    @Option(name: .customLong("map"), help: ArgumentHelp("A mapping of the inputs' columns to inventory fields (docs/import.md).", valueName: "mapping.yaml"))
    var mapping: String?

    @Option(help: ArgumentHelp("The layout of an export sovscan knows: sovscan (the default), servicenow (business applications and companies), glpi (software with its contracts, and suppliers), ciso-assistant (the third-party workbook). docs/import.md lists their columns.", valueName: "name"))
    var preset: Preset?

    @Option(help: ArgumentHelp("Put every system into this organisation.", valueName: "id"))
    var organisation: String?

    @Option(help: ArgumentHelp("The country assumed for an organisation no input gives one for (ISO 3166-1 alpha-2).", valueName: "cc"))
    var country: String = "DE"

    @Option(help: ArgumentHelp("Also write the answers to ask for first, per ministry and organisation, to this file: a workbook when it ends in .xlsx, else CSV.", valueName: "file"))
    var gaps: String?

    @Option(help: "How to print the summary.")
    var format: Format<ImportSummary> = .standard

    @OptionGroup var language: LanguageOption

    @OptionGroup var scoring: ScoringOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Name at least one CSV file to import.") }
        if preset != nil, mapping != nil { throw ValidationError("Give --preset or --map, not both: a mapping describes a layout of your own.") }
        if organisation == "vendors" { throw ValidationError(ImportedInventory.reservedOrganisation) }
        if let preset, preset.needsOrganisation, organisation == nil {
            throw ValidationError("--preset \(preset.rawValue) needs --organisation ID: its exports name no organisation of sovscan's.")
        }
    }

    /// An input as it is imported: a publiccode.yml, or a sheet with its layout.
    private enum Opened {
        case publicCode(String)
        case sheet(Sheet, layout: ImportMapping, summary: ImportSummary.Input)
    }

    /// The tables of the inputs that are no systems: a preset's companies and contracts.
    private struct Joined {
        var companies: [ListedCompany] = []
        var contracts: [Sheet] = []
    }

    func run() throws {
        let model = try scoring.loadModel()
        let reference = model.ruleSet.reference
        if reference.countries[country] == nil {
            throw Failure.usage("--country \(country) is no ISO 3166-1 alpha-2 code of the rule set\(Suggestion.didYouMean(country.uppercased(), in: reference.countries.keys))")
        }
        var diagnostics: [Diagnostic] = []
        var mappingUsed: ImportMapping?
        if let mapping {
            var log = DiagnosticLog(file: mapping)
            mappingUsed = ImportMapping.read(path: mapping, log: &log)
            diagnostics += log.diagnostics
        }
        var opened: [Opened] = [], joined = Joined()
        for input in inputs where mapping == nil || mappingUsed != nil {
            opened += try open(input, mapping: mappingUsed, joined: &joined, diagnostics: &diagnostics)
        }
        // A preset's systems joined with its other tables.
        let layout = preset ?? .sovscan
        do {
            opened = try opened.map { input in
                guard case .sheet(let sheet, let mapping, let summary) = input else { return input }
                let (joinedSheet, problems) = try sheet.joined(for: layout, companies: joined.companies, contracts: joined.contracts)
                diagnostics += problems
                return .sheet(joinedSheet, layout: mapping, summary: summary)
            }
        } catch {
            throw Failure.invalid("\(error)")
        }
        let importer = SheetImport(reference: reference, organisation: organisation, country: country)
        var imported = ImportedInventory()
        // The survey: where each organisation's rows end, found on a thread
        // of its own while the reading begins.
        var inputIndices: [Int] = [], tables: [(sheet: Sheet, mapping: ImportMapping, input: Int)] = []
        for input in opened {
            switch input {
            case .publicCode(let path):
                imported.surveyPublicCode(organisation!)
                inputIndices.append(imported.addInput(named: path))
            case .sheet(let sheet, let layout, _):
                let index = imported.addInput(sheet, mapping: layout)
                inputIndices.append(index)
                tables.append((sheet, layout, index))
            }
        }
        imported.read(beside: SurveyInProgress(importer, tables: tables))
        // The reading: each organisation, once its last row is read, is
        // written (staged inside the output directory until everything is
        // checked) and scored, each on a thread of its own while the rows are read on.
        let writer: InventoryWriter
        do {
            writer = try InventoryWriter(into: out)
        } catch {
            throw Failure.invalid("\(error)")
        }
        let scan = UnstoredScan(ScanPipeline(model: model, scanDate: Day.today))
        var logs: [Int: DiagnosticLog] = [:]
        var summaries: [ImportSummary.Input] = []
        var declared: [Organisation] = []
        let inputs = imported.inputs
        func complete(_ organisation: Organisation, _ imported: [ImportedSystem]) {
            let systems = imported.map(\.system)
            scan.add(organisation, systems: systems)
            guard organisation.hasInventory else { return declared.append(organisation) }
            writer.write(organisation, systems: systems) { index in imported[index].comments(inputs: inputs) }
        }
        do {
            for (input, index) in zip(opened, inputIndices) {
                switch input {
                case .publicCode(let path):
                    var log = DiagnosticLog(file: path)
                    if let (system, notes) = PublicCode.system(path: path, reference: reference, log: &log) {
                        imported.add(system, to: organisation!, input: index, notes: notes)
                    }
                    diagnostics += log.diagnostics
                    summaries.append(.init(path: path, kind: .publicCode, rows: 1))
                case .sheet(let sheet, let layout, var summary):
                    let before = imported.rows
                    try importer.read(sheet, mapping: layout, input: index, into: &imported, logs: &logs, complete: complete)
                    summary.rows = imported.rows - before
                    summaries.append(summary)
                }
            }
            try importer.finishSurvey(of: &imported, logs: &logs, complete: complete)
            for (organisation, systems) in imported.completeTheRest(country: country, reference: reference, logs: &logs) {
                complete(organisation, systems)
            }
        } catch {
            _ = scan.finish()
            throw Failure.invalid("\(error)")
        }
        let scanned = scan.finish()
        diagnostics += logs.values.flatMap(\.diagnostics)
        DiagnosticPrinter.printToStandardError(diagnostics.sorted(by: Diagnostic.ordered))
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw Failure.invalid("the inputs have errors (see above); nothing was written")
        }
        // What a scan says of the records: a workbook's places are cells.
        let workbookSheets = Set(imported.inputs.filter(\.cellReferences).map(\.name))
        DiagnosticPrinter.printToStandardError(scanned.reading.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            diagnostic.isCell = workbookSheets.contains(diagnostic.file)
            return diagnostic
        })
        if scanned.reading.diagnostics.contains(where: { $0.severity == .error }) {
            throw Failure.invalid("the imported records cannot be scored (see above); nothing was written")
        }
        // The companies the systems name that the catalogue does not know, as the export lists them.
        var vendorWarnings: [Diagnostic] = []
        let vendors = ListedVendors.entries(joined.companies, named: imported.partyNames, tool: layout.tool, on: Day.today, reference: reference,
                                            known: { model.ruleSet.vendors.vendor(named: $0)?.id },
                                            suggestedID: { model.ruleSet.vendors.suggestedID(for: $0) }, warnings: &vendorWarnings)
        DiagnosticPrinter.printToStandardError(vendorWarnings)
        var summary = ImportSummary(inputs: summaries, out: out, imported: imported, gaps: try Self.gaps(in: scanned.totals))
        summary.localVendors = vendors.count
        // The questions first: a file that cannot be written leaves the inventory unwritten too.
        let context = RenderContext(language: language.language)
        if let gaps { try Printer.print(summary, as: Format(argument: gaps.lowercased().hasSuffix(".xlsx") ? "xlsx" : "csv")!, in: context, to: gaps) }
        do {
            writer.write(declared: declared)
            writer.write(localVendors: vendors)
            try writer.commit()
        } catch {
            throw Failure.invalid("\(error)")
        }
        try Printer.print(summary, as: format, in: context)
    }

    /// `input` opened: a publiccode.yml, or the sheets to import with their
    /// layout; a preset's tables of companies and contracts go to `joined`.
    private func open(_ input: String, mapping: ImportMapping?, joined: inout Joined, diagnostics: inout [Diagnostic]) throws -> [Opened] {
        // The first bytes tell a publiccode.yml; the rest is read as the input is imported.
        let file = FileHandle(forReadingAtPath: input)
        let head = (try? file?.read(upToCount: 64)).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
        try? file?.close()
        if PublicCode.isPublicCode(path: input, text: head) {
            guard organisation != nil else {
                throw Failure.usage("\(input) is a publiccode.yml: name the organisation that uses the software with --organisation ID")
            }
            return [.publicCode(input)]
        }
        var sheets: [(sheet: Sheet, summary: ImportSummary.Input)] = []
        do {
            if input.lowercased().hasSuffix(".xlsx") {
                sheets = try XLSXWorkbook.sheets(path: input).map { ($0, ImportSummary.Input(path: $0.name, kind: .xlsx, rows: 0)) }
            } else {
                let table = try CSVTable.open(path: input)
                guard let sheet = try table.sheet() else {
                    diagnostics.append(Diagnostic(file: input, location: SourceLocation(line: 1, column: 1), severity: .error, code: "empty",
                                                  message: "the file has no header row"))
                    return []
                }
                sheets = [(sheet, ImportSummary.Input(path: input, kind: .csv, encoding: table.encoding.rawValue,
                                                      delimiter: table.delimiter == "\t" ? "tab" : String(table.delimiter), rows: 0))]
            }
        } catch {
            throw Failure.invalid("\(error)")
        }
        if let mapping {
            let wanted = mapping.sheet.map { name in sheets.filter { $0.sheet.name.hasSuffix(":" + name) } } ?? Array(sheets.prefix(1))
            guard let chosen = wanted.first else {
                throw Failure.invalid("\(input) has no sheet '\(mapping.sheet ?? "")'; its sheets: \(sheets.map { "'\($0.sheet.name.split(separator: ":").last ?? "")'" }.joined(separator: ", "))")
            }
            return [.sheet(chosen.sheet, layout: mapping, summary: chosen.summary)]
        }
        let layout = preset ?? .sovscan
        var systems: [Opened] = [], recognised = false
        do {
            for (sheet, summary) in sheets {
                switch layout.role(of: sheet.header.map(\.text)) {
                case .systems: systems.append(.sheet(sheet, layout: layout.mapping, summary: summary))
                case .companies: joined.companies += try CompanyTable.read(sheet, diagnostics: &diagnostics)
                case .contracts: joined.contracts.append(sheet)
                case .skipped: break
                case nil: continue
                }
                recognised = true
            }
        } catch {
            throw Failure.invalid("\(error)")
        }
        guard recognised else {
            if layout == .sovscan {
                let header = sheets.first?.sheet.header.map(\.text) ?? []
                let missing = InventoryColumns.required
                    .filter { name in !header.contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == name } }
                throw Failure.invalid("\(input): the header row is not sovscan's layout (it has no column \(missing.map { "'\($0)'" }.joined(separator: ", "))); import an export of ServiceNow, GLPI or CISO Assistant with --preset, or describe its columns in a mapping and import with --map FILE (docs/import.md)")
            }
            throw Failure.invalid("\(input): no \(sheets.count == 1 ? "header" : "sheet's header") is what --preset \(layout.rawValue) reads: \(layout.expected); its columns: \(sheets.first?.sheet.header.map { "'\($0.text)'" }.joined(separator: ", ") ?? "none")")
        }
        return systems
    }

    /// Per ministry and organisation, the open questions whose best answer
    /// would lower the mean scores most, as the reports give them.
    static func gaps(in totals: SnapshotTotals) throws -> [ImportSummary.Gap] {
        var gaps: [ImportSummary.Gap] = []
        for level in [ReportLevel.ministry, .organisation] {
            let report = try ReportBuilder(level: level).build(totals, exits: { _, _, _ in ExitWindowTally() }, systems: { _ in [] })
            for group in report.groups ?? [] {
                for question in group.answerFirst {
                    gaps.append(.init(level: level.rawValue, id: group.id, name: group.name, question: question.question, systems: question.systems,
                                      lockInFallsBy: question.lockIn, jurisdictionFallsBy: question.jurisdiction, systemsFirst: question.systemsFirst))
                }
            }
        }
        return gaps
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored scan's inventory as a sheet in sovscan's own layout, to correct in a spreadsheet and import again.")

    @Option(help: ArgumentHelp("The scan (default: the latest).", valueName: "id"))
    var scan: Int64?

    @Option(help: "The sheet's format.")
    var format: Format<InventorySheet> = .standard

    @OptionGroup var printing: PrintOptions

    @OptionGroup var language: LanguageOption


    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openExisting()
        guard let scanID = try scan ?? store.latestScanID() else { throw StoreError.noScans(store.path) }
        guard try store.scanIDs().contains(scanID) else { throw StoreError.noScan(scanID) }
        let inventory = try store.inventory(scanID: scanID)
        let systems = Dictionary(grouping: inventory.entries, by: \.organisation).mapValues { $0.map(\.system) }
        var sheet = InventorySheet(organisations: inventory.organisations, systems: systems)
        sheet.language = language.language
        try Printer.print(sheet, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
    }
}

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "An empty sheet in sovscan's own layout to hand to system owners: the header, one example row, drop-down lists and a sheet that explains the columns (xlsx).")

    @Option(help: "The sheet's format.")
    var format: Format<InventorySheet> = .standard

    @OptionGroup var printing: PrintOptions

    @OptionGroup var language: LanguageOption


    func run() throws {
        var sheet = InventorySheet.template()
        sheet.language = language.language
        try Printer.print(sheet, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
    }
}

extension Preset: ExpressibleByArgument {}
