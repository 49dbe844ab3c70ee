import ArgumentParser
import Domain
import Foundation
import Output
import Reporting
import Store
import Tracking

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between the states of two scans, and how much of each score change comes from the inventory and how much from the rules.",
        discussion: """
            FROM and TO are scan ids (default: the last two scans). Each side is the state of its scan: \
            every organisation's latest snapshot with an as-of date on or before the scan's, among the \
            scans up to it, as history joins them. An organisation the later scan did not read is listed \
            as not re-scanned since the date of its snapshot, and none of its systems as removed. The \
            rules' share is found by scoring the earlier inventory again with the rules the later one was \
            scored with, which must be the rule set loaded (--rules) when the two used different ones. \
            With --fail-on, exit status 2 tells CI that a high or critical exposure appeared (new-high) \
            or a score went up (increase).
            """
    )

    @Argument(help: "The earlier scan.")
    var from: Int64?

    @Argument(help: "The later scan.")
    var to: Int64?

    @Option(help: "How to print the diff.")
    var format: Format<ScanDiff> = .standard

    @OptionGroup var printing: PrintOptions
    @OptionGroup var language: LanguageOption

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 2 on new-high or increase.", valueName: "condition"))
    var failOn: FailCondition?


    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var database: DatabaseOptions

    enum FailCondition: String, CaseIterable, ExpressibleByArgument {
        case newHigh = "new-high"
        case increase
    }

    func run() throws {
        let store = try database.openExisting()
        let ids = try store.scanIDs()
        let earlier: Int64, later: Int64
        switch (from, to) {
        case (let from?, let to?): (earlier, later) = (from, to)
        case (let from?, nil): (earlier, later) = (from, ids.last ?? from)
        default:
            guard ids.count >= 2 else { throw StoreError.notEnoughScans(store.path) }
            (earlier, later) = (ids[ids.count - 2], ids[ids.count - 1])
        }
        for id in [earlier, later] where !ids.contains(id) {
            throw StoreError.noScan(id)
        }
        let diff = try ScanComparison.diff(store, from: earlier, to: later) { try scoring.ruleSet.loadModel(profile: scoring.profile ?? $0) }
        try Printer.print(diff, as: format, in: RenderContext(language: language.language), to: printing.output, dialect: printing.csv.dialect)
        switch failOn {
        case .newHigh? where !diff.newHigh.isEmpty:
            throw Failure.conditionMet("\(plural(diff.newHigh.count, "new high or critical exposure")): \(diff.newHigh.map { "\($0.system) (\($0.dimension))" }.joined(separator: ", "))")
        case .increase? where !diff.increases.isEmpty:
            throw Failure.conditionMet("\(plural(diff.increases.count, "score")) went up: \(diff.increases.map { "\($0.system) (\($0.dimension))" }.joined(separator: ", "))")
        default:
            break
        }
    }
}
