import ArgumentParser
import Domain
import Foundation
import Inventory
import Output
import Reporting
import Scenarios
import Store

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Scenarios on a snapshot: what fails if a vendor, a country or a law cuts the administration off, and what a planned change would do.",
        subcommands: [Cutoff.self, Plan.self]
    )

    struct Cutoff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The systems that fail if a company, a country or a law's reach is cut off, and the functions that stop.",
            discussion: """
                A party (vendor, operator, hosting provider, subprocessor) is cut off when any company of its chain, \
                from the one named up to its ultimate parent, is: the company given with --parent (and every company it \
                owns), a company of a country given with --country, or one that a law given with --law reaches through its \
                country. A system fails directly when a party of it is cut off, and through depends_on when a system of \
                its organisation that it depends on fails. Nothing is stored.
                """
        )

        @Option(name: .customLong("parent"), help: ArgumentHelp("Cut off a company of the catalogue (id, name or alias) and every company it owns.", valueName: "id"))
        var parents: [String] = []

        @Option(name: .customLong("country"), help: ArgumentHelp("Cut off every company of a country (ISO 3166-1 alpha-2).", valueName: "cc"))
        var countries: [String] = []

        @Option(name: .customLong("law"), help: ArgumentHelp("Cut off every company a law of the rule set reaches (its id, e.g. us_cloud_act).", valueName: "id"))
        var laws: [String] = []

        @Option(help: ArgumentHelp("The scan (default: the latest).", valueName: "id"))
        var scan: Int64?

        @Option(help: ArgumentHelp("Only this organisation and those below it.", valueName: "org"))
        var under: String?

        @Option(help: "How to print the scenario.")
        var format: Format<CutoffScenario> = .standard

        @OptionGroup var printing: PrintOptions
        @OptionGroup var language: LanguageOption


        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ruleSet: RuleSetOptions

        func validate() throws {
            if parents.isEmpty, countries.isEmpty, laws.isEmpty {
                throw ValidationError("Name what is cut off: --parent ID, --country CC or --law ID (each may be given more than once).")
            }
        }

        func run() throws {
            let rules = try ruleSet.load()
            let targets = parents.map(CutoffTarget.parent) + countries.map(CutoffTarget.country) + laws.map(CutoffTarget.law)
            let cuts: [CutoffScenario.Cut]
            do {
                cuts = try CutoffBuilder.resolve(targets, in: rules)
            } catch let error as ReportError {
                throw Failure.usage(error.description)
            }
            let store = try database.openExisting()
            guard let scanID = try scan ?? store.latestScanID() else { throw StoreError.noScans(store.path) }
            guard try store.scanIDs().contains(scanID) else { throw StoreError.noScan(scanID) }
            let scenario = try CutoffBuilder.build(store.inventory(scanID: scanID), organisations: store.organisations(scanID: scanID),
                                                   ruleSet: rules, cuts: cuts, under: under)
            try Printer.print(scenario, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What a planned change (a migration, a new contract, systems retired) would do to scores, concentration and exit windows.",
            discussion: """
                PLAN is a YAML file (docs/scenarios.md) whose steps select systems of the snapshot and set fields on \
                them, retire them, or add systems. The snapshot as it is and as the plan would leave it are both scored \
                under the rule set now loaded, and compared per system and per ministry. Nothing is stored; a plan is \
                never mixed into history. A problem in the plan is an error at its line and column (exit 1).
                """
        )

        @Argument(help: ArgumentHelp("The plan (YAML).", valueName: "plan.yaml"))
        var plan: String

        @Option(help: ArgumentHelp("The scan to apply it to (default: the latest).", valueName: "id"))
        var scan: Int64?

        // Unconditional, so that `--within -5` is read as a number of months rather than as an option.
        @Option(parsing: .unconditional, help: ArgumentHelp("Exit windows: deadlines up to this many months after the as-of date.", valueName: "months"),
                transform: ReportCommand.months)
        var within: Int = 18

        @Option(help: "How to print the scenario.")
        var format: Format<PlanScenario> = .standard

        @OptionGroup var printing: PrintOptions
        @OptionGroup var language: LanguageOption


        @Option(help: ArgumentHelp(
            "Also write the inventory the plan leaves to this directory (new or empty; one file per organisation), to become the next inventory once the plan is carried out.",
            valueName: "dir"))
        var writeInventory: String?

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var scoring: ScoringOptions

        func run() throws {
            let store = try database.openExisting()
            guard let scanID = try scan ?? store.latestScanID() else { throw StoreError.noScans(store.path) }
            guard try store.scanIDs().contains(scanID) else { throw StoreError.noScan(scanID) }
            let snapshot = try store.inventory(scanID: scanID)
            let model = try scoring.ruleSet.loadModel(profile: scoring.profile ?? snapshot.profile)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: plan, isDirectory: &isDirectory), isDirectory.boolValue {
                throw Failure.invalid("\(plan) is a directory; name the plan's YAML file")
            }
            var log = DiagnosticLog(file: plan)
            let read = Scenarios.Plan.read(path: plan, log: &log)
            let application = read.flatMap { PlanApplication.apply($0, to: snapshot, model: model, log: &log) }
            DiagnosticPrinter.printToStandardError(log.diagnostics.sorted(by: Diagnostic.ordered))
            guard let read, let application else { throw Failure.reported }
            let scenario = try PlanBuilder.build(read, application: application, snapshot: snapshot, model: model,
                                                 profile: scoring.profile ?? snapshot.profile, withinMonths: within, toolVersion: Sovscan.version)
            if let writeInventory {
                do {
                    try InventoryWriter.write(organisations: application.organisations, systems: application.systems, to: writeInventory)
                } catch {
                    throw Failure.invalid(error.description)
                }
            }
            try Printer.print(scenario, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
        }
    }
}
