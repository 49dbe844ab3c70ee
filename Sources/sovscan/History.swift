import ArgumentParser
import Domain
import Foundation
import Output
import Reporting
import Store
import Tracking

/// The levels a history has: one system has no series of its own.
enum HistoryLevel: String, CaseIterable, ExpressibleByArgument {
    case ministry, organisation, vendor

    var reportLevel: ReportLevel { ReportLevel(rawValue: rawValue)! }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Scores over time, by as-of date.",
        discussion: """
            The state on a date is, for each organisation, its latest snapshot with an as-of date on \
            or before it, so organisations scanned at different times still add up.
            """
    )

    @Option(help: ArgumentHelp("Only this organisation.", valueName: "id"))
    var org: String?

    @Option(help: ArgumentHelp("Only this organisation and those below it.", valueName: "org"))
    var under: String?

    @Option(help: "Series per ministry, organisation or vendor, besides the total.")
    var level: HistoryLevel = .ministry

    @Option(help: ArgumentHelp("Only systems of this vendor: its catalogue id, name or alias (counted under its ultimate parent), or a vendor the catalogue does not know, as the inventory names it.", valueName: "vendor"))
    var vendor: String?

    @Option(help: "How to print the history.")
    var format: Format<History> = .standard

    @OptionGroup var printing: PrintOptions
    @OptionGroup var language: LanguageOption


    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ruleSet: RuleSetOptions

    func validate() throws {
        if org != nil, under != nil { throw ValidationError("Give --org or --under, not both.") }
    }

    func run() throws {
        let store = try database.openExisting()
        let vendorID = try vendor.map { try storedVendorID(named: $0, in: store) }
        let history = try HistoryBuilder.build(store, level: level.reportLevel, under: under, organisation: org, vendor: vendorID)
        try Printer.print(history, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
    }

    /// The vendor id the scans store for `name`: a catalogue vendor's
    /// ultimate parent, as the inventory's vendors are resolved, else a
    /// stored vendor of that id or name; in any case of letters.
    private func storedVendorID(named name: String, in store: any SnapshotStore) throws -> String {
        let catalogue = try ruleSet.load().vendors
        if let vendor = catalogue.vendor(named: name) { return catalogue.ultimateParent(of: vendor).id }
        let stored = try store.vendors()
        if let vendor = stored.first(where: { [$0.id, $0.name].contains { $0.lowercased() == name.lowercased() } }) { return vendor.id }
        let known = catalogue.knownNames + stored.flatMap { [$0.id, $0.name] }
        throw ReportError(description: "no vendor '\(name)' in the catalogue or the scans\(Suggestion.didYouMean(name, in: known))")
    }
}
