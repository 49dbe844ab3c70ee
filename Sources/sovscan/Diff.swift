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
        abstract: "What changed between two scans, and how much of each score change comes from the inventory and how much from the rules.",
        discussion: """
            FROM and TO are scan ids (default: the last two scans). The rules' share is found by scoring \
            FROM's inventory again with the rules TO was scored with, which must be the rule set loaded \
            (--rules) when the two scans used different ones. With --fail-on, exit status 2 tells CI \
            that a high or critical exposure appeared (new-high) or a score went up (increase).
            """
    )

    @Argument(help: "The earlier scan.")
    var from: Int64?

    @Argument(help: "The later scan.")
    var to: Int64?

    @Option(help: "How to print the diff.")
    var format: Format<ScanDiff> = .standard

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 2 on new-high or increase.", valueName: "condition"))
    var failOn: FailCondition?

    @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

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
        // Only organisations with a change are read: at a million systems
        // the rest is most of them.
        let changed = try store.organisationsWithChanges(from: earlier, to: later)
        let old = try store.inventory(scanID: earlier, only: changed), new = try store.inventory(scanID: later, only: changed)
        let model = try scoring.ruleSet.loadModel(profile: scoring.profile ?? new.profile)
        let diff = try ScanComparison.diff(from: old, to: new, model: model)
        try Printer.print(diff, as: format, to: output)
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
