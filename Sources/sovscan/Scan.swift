import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Scanning
import Output
import Reporting
import Scoring
import Store

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate inventories and record them as a dated snapshot.",
        discussion: """
            Validates exactly as `validate` does; on any error nothing is written. Otherwise the \
            scan is stored in one transaction: its inputs with their SHA-256, organisations, \
            systems and warnings. Unchanged records are stored once and referenced; a scan of the \
            inputs and rules of the latest snapshot is stored all the same and says so. Ctrl-C or \
            SIGTERM stops the scan with nothing stored (exit status 130).
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("A named profile of alternative points from the rule set (see `sovscan rules list`).", valueName: "name"))
    var profile: String?

    @Option(help: "Output on stdout.")
    var format: Format<ScanOutcome> = .standard

    @OptionGroup var language: LanguageOption

    func run() throws {
        Interruption.catchSignals()
        var stages = input.stages()
        let model = try input.loadModel(profile: profile)
        stages.finished("rule set", "\(model.ruleSet.name) \(model.ruleSet.version), \(plural(model.rules.count, "rule"))")
        let files = try input.inputFiles()
        let store = try database.open()
        let (options, progress) = input.readOptions(files: files)
        let pipeline = ScanPipeline(model: model, scanDate: Day.today, options: options)
        let recorded: RecordedScan
        do {
            recorded = try pipeline.scan(files: files, into: store, toolVersion: Sovscan.version, profile: profile,
                                         interrupted: { Interruption.happened })
            progress?.finish()
        } catch {
            progress?.finish()
            throw Interruption.happened ? Failure.interrupted("\(error)") : error
        }
        let reading = recorded.reading
        stages.finished("read, scored and stored", "\(plural(files.count, "file")), \(plural(reading.organisations, "organisation")), \(plural(reading.systems, "system")), \(plural(reading.diagnostics.count, "diagnostic")), snapshot \(recorded.scanID.map(String.init) ?? "none")")
        DiagnosticPrinter.printToStandardError(reading.diagnostics)
        let outcome = ScanOutcome(
            scan: recorded.scanID.map {
                ScanOutcome.Snapshot(id: $0, organisations: reading.organisations, systems: reading.systems, unchangedSince: recorded.unchangedSince)
            },
            diagnostics: reading.diagnostics, files: files.count, store: store.path,
            bands: try recorded.scanID.map { try store.bandCounts(scanID: $0) } ?? [:])
        try Printer.print(outcome, as: format, in: RenderContext(language: language.language))
        if recorded.scanID == nil {
            throw Failure.invalid("the inventory is invalid (\(DiagnosticPrinter.summaryLine(reading.diagnostics) ?? "errors")); nothing was stored")
        }
    }
}

extension Day {
    /// Today's date in UTC.
    static var today: Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
