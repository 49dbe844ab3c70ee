import ArgumentParser
import Domain
import Foundation
import Output
import Reporting
import Store
import Tracking
import YAMLReading

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

    @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ruleSet: RuleSetOptions

    func validate() throws {
        if org != nil, under != nil { throw ValidationError("Give --org or --under, not both.") }
    }

    func run() throws {
        let store = try database.openExisting()
        let history: History
        do {
            let vendorID = try vendor.map { try storedVendorID(named: $0, in: store) }
            history = try HistoryBuilder.build(store, level: level.reportLevel, under: under, organisation: org, vendor: vendorID)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        try Printer.print(history, as: format, to: output)
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
        let diff: ScanDiff
        do {
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
            diff = try ScanComparison.diff(from: old, to: new, model: model)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        try Printer.print(diff, as: format, to: output)
        switch failOn {
        case .newHigh? where !diff.newHigh.isEmpty:
            Terminal.standardError("sovscan: \(plural(diff.newHigh.count, "new high or critical exposure")): \(diff.newHigh.map { "\($0.system) (\($0.dimension))" }.joined(separator: ", "))")
            throw ExitCode(2)
        case .increase? where !diff.increases.isEmpty:
            Terminal.standardError("sovscan: \(plural(diff.increases.count, "score")) went up: \(diff.increases.map { "\($0.system) (\($0.dimension))" }.joined(separator: ", "))")
            throw ExitCode(2)
        default:
            break
        }
    }
}

extension DatabaseOptions {
    /// The database, which must exist already; exit 1 otherwise.
    func openExisting() throws -> any SnapshotStore {
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.standardError("sovscan: no database at \(path); run 'sovscan scan' first, or name one with --db")
            throw ExitCode(1)
        }
        return try open()
    }
}
