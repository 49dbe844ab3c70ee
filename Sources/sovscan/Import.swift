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
            its header row; any other \
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

    @Option(help: ArgumentHelp("Put every system into this organisation.", valueName: "id"))
    var organisation: String?

    @Option(help: ArgumentHelp("The country assumed for an organisation no input gives one for (ISO 3166-1 alpha-2).", valueName: "cc"))
    var country: String = "DE"

    @Option(help: ArgumentHelp("Also write the answers to ask for first, per ministry and organisation, as CSV to this file.", valueName: "file"))
    var gaps: String?

    @Option(help: "How to print the summary.")
    var format: Format<ImportSummary> = .standard

    @OptionGroup var scoring: ScoringOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Name at least one CSV file to import.") }
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
        var imported = ImportedInventory(), summaries: [ImportSummary.Input] = []
        let importer = SheetImport(reference: reference, organisation: organisation, country: country)
        for input in inputs where mapping == nil || mappingUsed != nil {
            let head = FileManager.default.contents(atPath: input).map { String(decoding: $0.prefix(64), as: UTF8.self) }
            if PublicCode.isPublicCode(path: input, text: head) {
                guard let organisation else {
                    throw Failure.usage("\(input) is a publiccode.yml: name the organisation that uses the software with --organisation ID")
                }
                var log = DiagnosticLog(file: input)
                if let (system, provenance) = PublicCode.system(path: input, reference: reference, log: &log) {
                    imported.add(system, to: organisation, country: country, file: input, provenance: provenance)
                }
                diagnostics += log.diagnostics
                summaries.append(.init(path: input, encoding: "publiccode.yml", delimiter: "", rows: 1))
                continue
            }
            var sheets: [(sheet: Sheet, encoding: String, delimiter: String)] = []
            do {
                if input.lowercased().hasSuffix(".xlsx") {
                    sheets = try XLSXWorkbook.sheets(path: input).map { ($0, "XLSX", "") }
                } else {
                    let table = try CSVTable.read(path: input)
                    sheets = [(table.sheet, table.encoding.rawValue, table.delimiter == "\t" ? "tab" : String(table.delimiter))]
                }
            } catch {
                throw Failure.invalid(error.description)
            }
            let chosen: [(sheet: Sheet, encoding: String, delimiter: String, layout: ImportMapping)]
            if let mappingUsed {
                let wanted = mappingUsed.sheet.map { name in sheets.filter { $0.sheet.name.hasSuffix(":" + name) } } ?? Array(sheets.prefix(1))
                guard let sheet = wanted.first else {
                    throw Failure.invalid("\(input) has no sheet '\(mappingUsed.sheet ?? "")'; its sheets: \(sheets.map { "'\($0.sheet.name.split(separator: ":").last ?? "")'" }.joined(separator: ", "))")
                }
                chosen = [(sheet.sheet, sheet.encoding, sheet.delimiter, mappingUsed)]
            } else {
                chosen = sheets.filter { ImportMapping.isSovscanLayout($0.sheet.rows.first?.map(\.text) ?? []) }.map { ($0.sheet, $0.encoding, $0.delimiter, ImportMapping.sovscan) }
                guard !chosen.isEmpty else {
                    let header = sheets.first?.sheet.rows.first?.map(\.text) ?? []
                    let missing = InventoryColumns.required
                        .filter { name in !header.contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == name } }
                    throw Failure.invalid("\(input): the header row is not sovscan's layout (it has no column \(missing.map { "'\($0)'" }.joined(separator: ", "))); describe its columns in a mapping and import with --map FILE (docs/import.md)")
                }
            }
            for (sheet, encoding, delimiter, layout) in chosen {
                var log = DiagnosticLog(file: sheet.name, cells: sheet.cellReferences)
                let before = imported.rows
                importer.read(sheet, mapping: layout, into: &imported, log: &log)
                diagnostics += log.diagnostics
                summaries.append(.init(path: sheet.name, encoding: encoding, delimiter: delimiter, rows: imported.rows - before))
            }
        }
        DiagnosticPrinter.printToStandardError(diagnostics.sorted(by: Diagnostic.ordered))
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw Failure.invalid("the inputs have errors (see above); nothing was written")
        }
        // What a scan would say of the records, before anything is written.
        let pipeline = ScanPipeline(model: model, scanDate: Day.today)
        let items = imported.organisations.flatMap { organisation in
            (imported.systems[organisation.id] ?? []).map { InventoryItem.system($0, organisationID: organisation.id) } + [.organisation(organisation)]
        }
        let scratch = try SnapshotDatabase(inMemoryNamed: "the import's scratch database")
        let recorded = try pipeline.scan(items: items, into: scratch, toolVersion: Sovscan.version, profile: scoring.profile)
        // A workbook's places are cells.
        let workbookSheets = Set(summaries.filter { $0.encoding == "XLSX" }.map(\.path))
        DiagnosticPrinter.printToStandardError(recorded.reading.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            diagnostic.isCell = workbookSheets.contains(diagnostic.file)
            return diagnostic
        })
        guard let scanID = recorded.scanID else {
            throw Failure.invalid("the imported records cannot be scored (see above); nothing was written")
        }
        do {
            try InventoryWriter.write(organisations: imported.organisations, systems: imported.systems, to: out, provenance: imported.provenance)
        } catch let problem as InventoryWriter.Problem {
            throw Failure.invalid(problem.description)
        }
        let summary = ImportSummary(inputs: summaries, out: out, imported: imported, gaps: try Self.gaps(in: scratch, scanID: scanID))
        if let gaps { try Printer.print(summary, as: Format(argument: "csv")!, to: gaps) }
        try Printer.print(summary, as: format)
    }

    /// Per ministry and organisation, the open questions whose best answer
    /// would lower the mean scores most, as the reports give them.
    static func gaps(in store: SnapshotDatabase, scanID: Int64) throws -> [ImportSummary.Gap] {
        let totals = try store.totals(scanID: scanID)
        var gaps: [ImportSummary.Gap] = []
        for level in [ReportLevel.ministry, .organisation] {
            let report = try ReportBuilder(level: level).build(totals, exits: { _ in [] }, systems: { try store.systems(scanID: scanID, records: $0) })
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

    @OptionGroup var csv: CSVOptions

    @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openExisting()
        guard let scanID = try scan ?? store.latestScanID() else { throw StoreError.noScans(store.path) }
        guard try store.scanIDs().contains(scanID) else { throw StoreError.noScan(scanID) }
        let inventory = try store.inventory(scanID: scanID)
        let systems = Dictionary(grouping: inventory.entries, by: \.organisation).mapValues { $0.map(\.system) }
        try Printer.print(InventorySheet(organisations: inventory.organisations, systems: systems), as: format, to: output, dialect: csv.dialect)
    }
}

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "An empty sheet in sovscan's own layout to hand to system owners: the header, one example row, drop-down lists and a sheet that explains the columns (xlsx).")

    @Option(help: "The sheet's format.")
    var format: Format<InventorySheet> = .standard

    @OptionGroup var csv: CSVOptions

    @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        try Printer.print(InventorySheet.template(), as: format, to: output, dialect: csv.dialect)
    }
}
