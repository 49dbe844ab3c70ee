import ArgumentParser
import Foundation
import Output
import Reporting
import Scenarios
import Store

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Scenarios on a snapshot: what fails if a vendor, a country or a law cuts the administration off.",
        subcommands: [Cutoff.self]
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

        @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
        var output: String?

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
            try Printer.print(scenario, as: format, to: output)
        }
    }
}
