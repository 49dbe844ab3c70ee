import ArgumentParser
import Domain
import Foundation
import Output
import Reporting
import Store
import Tracking

extension ReportLevel: ExpressibleByArgument {}
extension ReportSort: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a snapshot per ministry, organisation, vendor, country of control or system.",
        discussion: """
            Every organisation counts towards its nearest ancestor of the chosen level (a municipality \
            towards the ministry it reports to); one with no such ancestor is shown on its own. \
            --level vendor ranks the ultimate parents by dependence (criticality-weighted share of the \
            systems in scope), --level country the countries they are controlled from, --level system \
            lists every system riskiest first (CSV, JSON and Markdown stream, for a million systems). \
            Scores are criticality-weighted means. Exit windows are contracts by their notice deadline \
            (end less notice period) on the snapshot's as-of date: missed (the deadline passed, the \
            contract still runs), expired (the contract ended, the system is still listed), both always \
            listed, then upcoming (the deadline within --within months); each by deadline, with its \
            urgency (lock-in times criticality weight) beside it. Every format explains its figures \
            (a legend, a glossary; docs/json.md for JSON).
            """
    )

    @Option(help: ArgumentHelp("The scan (default: the latest).", valueName: "id"))
    var scan: Int64?

    @Option(help: "Gather by ministry, organisation, vendor (ultimate parent), country (of control) or system.")
    var level: ReportLevel = .ministry

    @Option(help: ArgumentHelp("""
        The order of the rows; ministry, organisation: id (default), name, systems, critical, users, cost, lock-in, jurisdiction, hhi; \
        vendor: dependence (default), systems, critical, users, cost, lock-in, jurisdiction, name, id; \
        country: dependence (default), systems, critical, cost, personal-data, name, id; \
        system: risk (default), lock-in, jurisdiction, critical, users, cost, name, id.
        """, valueName: "field"))
    var sort: ReportSort?

    // Unconditional, so that `--top -3` is read as a number and refused as one.
    @Option(parsing: .unconditional, help: ArgumentHelp("List only the first n rows in that order (totals still cover the whole scope).", valueName: "n"))
    var top: Int?

    @Option(help: ArgumentHelp("Only this organisation and those below it.", valueName: "org"))
    var under: String?

    // Unconditional, so that `--within -5` is read as a number of months rather than as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Months ahead for upcoming exit windows, from 0 to 600.", valueName: "months"), transform: Self.months)
    var within: Int = 18

    @Option(name: .customLong("exit-windows"),
            help: ArgumentHelp("How many exit windows to list per group and in the report, missed and expired first, then by deadline: a number, or 'all'.",
                               valueName: "n|all"))
    var exitWindows: ExitWindowLimit = .most(20)

    @Option(help: "How to print the report.")
    var format: Format<Report> = .standard

    @OptionGroup var printing: PrintOptions
    @OptionGroup var language: LanguageOption

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
        if templateDir != nil, level == .system { throw ValidationError("--template-dir applies to the summary levels, not to --level system.") }
        if let sort, !ReportSort.offered(at: level).contains(sort) {
            throw ValidationError("--sort \(sort.rawValue) does not apply to --level \(level.rawValue); it sorts by "
                                  + ReportSort.offered(at: level).map(\.rawValue).joined(separator: ", "))
        }
        if let top, top < 1 { throw ValidationError("--top takes a number of rows from 1 up, not \(top)") }
    }

    func run() throws {
        let store = try database.openExisting()
        var context = RenderContext(language: language.language, templateDirectory: templateDir)
        if format.value == .table {
            context.colour = printing.output == nil && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        }
        let totals = try store.totals(scanID: scan)
        // The systems of the scan as the store lists them, in an order.
        let systems: SystemListing.Source = { [store, scanID = totals.scanID] in
            try store.listSystems(scanID: scanID, organisations: $0, order: $1, limit: $2, $3)
        }
        guard level != .system else {
            let listing = try SystemListing(totals, under: under, sort: sort, top: top, source: systems)
            // The formats of a report are those of a list of systems (a test holds them to it).
            guard let listed = Format<SystemListing>(argument: format.value.rawValue) else {
                throw Failure.usage("--level system lists no \(format.value.rawValue); write it as \(SystemListing.outputs.formats.map(\.rawValue).joined(separator: ", "))")
            }
            try Printer.print(listing, as: listed, in: context, to: printing.output, dialect: printing.csv.dialect)
            return
        }
        let builder = ReportBuilder(level: level, under: under, withinMonths: within, exitWindowLimit: exitWindows.count, sort: sort, top: top)
        let report = try builder.build(totals, exits: { try store.exitWindows(scanID: totals.scanID, asOf: $0, horizon: $1, first: $2) },
                                       systems: { try store.systems(scanID: totals.scanID, records: $0) })
        if format.value == .html || format.value == .pdf {
            let historyLevel: ReportLevel = level == .vendor ? .vendor : level == .organisation ? .organisation : .ministry
            context.history = try HistoryBuilder.build(store, level: historyLevel, under: under, organisation: nil, vendor: nil)
            // The page lists the riskiest systems of its scope, as `--level system` orders them.
            let riskiest = try SystemListing(totals, under: under, sort: nil, top: RenderContext.riskiestLimit, source: systems)
            try riskiest.forEachRow { context.riskiest.append($0) }
        }
        try Printer.print(report, as: format, in: context, to: printing.output, dialect: printing.csv.dialect)
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
