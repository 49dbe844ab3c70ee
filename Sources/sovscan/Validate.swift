import ArgumentParser
import Domain
import Inventory
import Scanning
import Output
import Scoring

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check inventories against the format and report every problem at its line.",
        discussion: """
            Diagnostics go to stderr as `path:LINE:COLUMN: error|warning: message`, sorted by file \
            and position; stdout has the result only: a summary line, or with --format json one JSON \
            document. Exit status: 0 valid (warnings allowed), 1 invalid, 64 usage error.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Output on stdout: text (a summary line) or json.")
    var format: Format<ValidationOutcome> = .standard

    @OptionGroup var language: LanguageOption

    func run() throws {
        var stages = input.stages()
        let model = try input.loadModel(profile: nil)
        stages.finished("rule set", "\(model.ruleSet.name) \(model.ruleSet.version), \(plural(model.rules.count, "rule"))")
        let files = try input.inputFiles()
        let (options, progress) = input.readOptions(files: files)
        let reading = ScanPipeline(model: model, scanDate: Day.today, options: options).validate(files: files)
        progress?.finish()
        stages.finished("read and checked", "\(plural(files.count, "file")), \(plural(reading.organisations, "organisation")), \(plural(reading.systems, "system")), \(plural(reading.diagnostics.count, "diagnostic"))")
        DiagnosticPrinter.printToStandardError(reading.diagnostics)
        try Printer.print(ValidationOutcome(diagnostics: reading.diagnostics, organisations: reading.organisations,
                                            systems: reading.systems, files: files.count, unstated: reading.unstated), as: format,
                          in: RenderContext(language: language.language))
        if reading.hasErrors { throw Failure.reported }
    }
}
