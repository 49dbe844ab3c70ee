import ArgumentParser
import Domain
import Foundation
import Output
import Reporting
import Store
import Tracking

extension ReportLevel: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a snapshot per ministry, organisation, vendor or system, with vendor concentration and exit windows.",
        discussion: """
            Every organisation counts towards its nearest ancestor of the chosen level (a municipality \
            towards the ministry it reports to); one with no such ancestor is shown on its own. \
            Scores are criticality-weighted means. Exit windows are contracts whose notice deadline \
            (end less notice period) falls within --within months of the snapshot's as-of date.
            """
    )

    @Option(help: ArgumentHelp("The scan (default: the latest).", valueName: "id"))
    var scan: Int64?

    @Option(help: "Gather by ministry, organisation, vendor (ultimate parent) or system.")
    var level: ReportLevel = .ministry

    @Option(help: ArgumentHelp("Only this organisation and those below it.", valueName: "org"))
    var under: String?

    // Unconditional, so that `--within -5` is read as a number of months rather than as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Months ahead for exit windows, from 0 to 600.", valueName: "months"), transform: Self.months)
    var within: Int = 18

    @Option(name: .customLong("exit-windows"),
            help: ArgumentHelp("How many exit windows to list per group and in the report, most pressing first: a number, or 'all'.",
                               valueName: "n|all"))
    var exitWindows: ExitWindowLimit = .most(20)

    @Option(help: "How to print the report.")
    var format: Format<Report> = .standard

    @Option(help: ArgumentHelp("Write the report to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("A directory with report.mustache to use instead of the built-in HTML template.", valueName: "dir"))
    var templateDir: String?

    @OptionGroup var database: DatabaseOptions

    static func months(_ argument: String) throws -> Int {
        guard let months = Int(argument), (0...600).contains(months) else {
            throw ValidationError("the months must be a whole number from 0 to 600")
        }
        return months
    }

    func validate() throws {
        if templateDir != nil, format.value != .html { throw ValidationError("--template-dir applies to --format html only.") }
    }

    func run() throws {
        let store = try database.openExisting()
        let report: Report
        var context = RenderContext(templateDirectory: templateDir)
        let builder = ReportBuilder(level: level, under: under, withinMonths: within, exitWindowLimit: exitWindows.count)
        if level == .ministry || level == .organisation {
            let totals = try store.totals(scanID: scan)
            report = try builder.build(totals, exits: { try store.exitCandidates(scanID: totals.scanID, from: $0, through: $1) },
                                       systems: { try store.systems(scanID: totals.scanID, records: $0) })
        } else {
            report = try store.reduceSystems(scanID: scan, into: builder.systemGroups) { $0.add($1, findings: $2) }.report()
        }
        switch format.value {
        case .table:
            context.colour = output == nil && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        case .html:
            context.history = try HistoryBuilder.build(store, level: level == .system ? .organisation : level, under: under, organisation: nil, vendor: nil)
        default:
            break
        }
        try Printer.print(report, as: format, in: context, to: output)
    }
}

/// `--exit-windows`: a number of windows, or all of them.
enum ExitWindowLimit: ExpressibleByArgument {
    case most(Int)
    case all

    init?(argument: String) {
        if argument == "all" {
            self = .all
        } else if let count = Int(argument), count >= 0 {
            self = .most(count)
        } else {
            return nil
        }
    }

    var count: Int? {
        if case .most(let count) = self { return count }
        return nil
    }

    var defaultValueDescription: String {
        if case .most(let count) = self { return String(count) }
        return "all"
    }
}
