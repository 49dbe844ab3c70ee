import Domain
import Foundation
import Store

/// Why a report cannot be made, in words for the user.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Gathers a snapshot's organisations into groups along the organisation
/// tree, or their vendors by ultimate parent and country of control, and
/// computes each row's figures, adding up the totals each organisation keeps
/// (`build(_: SnapshotTotals, …)`). The same report can be made from every
/// system (`build(_: SnapshotContents)`): both add the same integer tallies,
/// so they give the same figures. The list of systems is `SystemListing`.
public struct ReportBuilder: Sendable {
    public var level: ReportLevel
    public var under: String?
    public var withinMonths: Int
    /// How many exit windows each group lists, in their order (ExitWindows.swift); nil for all.
    public var exitWindowLimit: Int?
    public var sort: ReportSort
    /// How many rows to list, in the sort order; nil for all.
    public var top: Int?

    public init(level: ReportLevel, under: String? = nil, withinMonths: Int = 18, exitWindowLimit: Int? = nil,
                sort: ReportSort? = nil, top: Int? = nil) {
        precondition(level != .system, "the list of systems is a SystemListing")
        self.level = level
        self.under = under
        self.withinMonths = withinMonths
        self.exitWindowLimit = exitWindowLimit
        self.sort = sort ?? ReportSort.standard(at: level)
        self.top = top
    }

    /// The number of answers `unknown_answers` counts out of.
    static let answersLookedAt = 9

    /// A group being gathered: its name, organisations, tally and exit windows.
    fileprivate struct Gathering {
        var name: String
        var standalone: Bool
        var organisations: Set<String> = []
        var tally = ScoreTally()
        var windows = WindowSelection()
    }

    /// Reads every system: levels ministry and organisation, as a check of
    /// the totals kept at scan time.
    public func build(_ contents: SnapshotContents) throws -> Report {
        precondition(level == .ministry || level == .organisation, "the dependence views add up organisation totals")
        let tree = try OrganisationTree(contents.organisations, scanID: contents.scanID, under: under)
        let asOf = Day(iso: contents.asOf) ?? Day(year: 2000, month: 1, day: 1)!
        let horizon = asOf.adding(months: withinMonths)
        var groups: [String: Gathering] = [:]
        var windows: [String: [Report.ExitWindow]] = [:]
        for system in contents.systems where tree.scope.contains(system.organisation) {
            let (key, standalone) = tree.group(of: system.organisation, level: level)
            groups[key, default: Gathering(name: tree.name(of: key), standalone: standalone)].tally.add(
                system, findings: contents.findings[system.assessment] ?? [])
            groups[key]!.organisations.insert(system.organisation)
            if let window = ReportBuilder.exitWindow(system, asOf: asOf, horizon: horizon) {
                windows[key, default: []].append(window)
            }
        }
        for (key, found) in windows { groups[key]!.windows = select(found) }
        return report(scanID: contents.scanID, asOf: contents.asOf, groups: groups, tree: tree, ruleTitles: contents.ruleTitles)
    }

    /// Adds up the organisations' totals. `exits` gives the scan's stored
    /// exit windows on its as-of date up to a horizon, with at least the
    /// first so many of each organisation, `systems` the systems of the
    /// records asked for, for the windows shown.
    /// At levels vendor and country the exit windows are those of the whole scope.
    public func build(_ totals: SnapshotTotals,
                      exits: (_ asOf: Day, _ horizon: Day, _ first: Int?) throws -> ExitWindowTally,
                      systems: (_ records: [Int64]) throws -> [SnapshotContents.System]) throws -> Report {
        let tree = try OrganisationTree(totals.organisations, scanID: totals.scanID, under: under)
        let asOf = Day(iso: totals.asOf) ?? Day(year: 2000, month: 1, day: 1)!
        let horizon = asOf.adding(months: withinMonths)
        // At least one of each organisation, for a group's next window.
        let windows = try exits(asOf, horizon, exitWindowLimit.map { max(1, $0) })
        guard level == .ministry || level == .organisation else {
            let scope = Self.tally(of: totals, tree: tree)
            let selections = try storedWindows(windows, tree: tree, asOf: asOf, horizon: horizon, systems: systems) { _ in "" }
            var report = report(scanID: totals.scanID, asOf: totals.asOf, tree: tree, scope: scope, windows: selections[""] ?? WindowSelection())
            let dependence = DependenceBuilder(totals: totals, tree: tree, scope: scope)
            if level == .vendor {
                let vendors = dependence.vendors()
                report.rows = rows(vendors.count)
                report.vendors = cut(order(vendors))
            } else {
                let countries = dependence.countries()
                report.rows = rows(countries.count)
                report.countries = cut(order(countries))
            }
            return report
        }
        var groups: [String: Gathering] = [:]
        for (id, tally) in totals.tallies where tree.scope.contains(id) {
            let (key, standalone) = tree.group(of: id, level: level)
            groups[key, default: Gathering(name: tree.name(of: key), standalone: standalone)].tally.add(tally)
            groups[key]!.organisations.insert(id)
        }
        let selections = try storedWindows(windows, tree: tree, asOf: asOf, horizon: horizon, systems: systems) { [level] in
            tree.group(of: $0, level: level).id
        }
        for (key, selection) in selections { groups[key]!.windows = selection }
        return report(scanID: totals.scanID, asOf: totals.asOf, groups: groups, tree: tree, ruleTitles: totals.ruleTitles)
    }

    /// The report of groups along the organisation tree.
    private func report(scanID: Int64, asOf: String, groups: [String: Gathering], tree: OrganisationTree,
                        ruleTitles: [String: TranslatedText]) -> Report {
        var groups = groups
        var all = ScoreTally()
        for gathering in groups.values { all.add(gathering.tally) }
        // Organisations without systems still count towards their group.
        for id in tree.scope {
            let key = tree.group(of: id, level: level).id
            if groups[key] != nil { groups[key]!.organisations.insert(id) }
        }
        let rows = groups.map { group(id: $0, $1, ruleTitles: ruleTitles) }
        var report = report(scanID: scanID, asOf: asOf, tree: tree, scope: all, windows: combine(groups.values.map(\.windows)))
        report.rows = self.rows(rows.count)
        report.groups = cut(order(rows))
        return report
    }

    /// A report's heading, totals and exit windows, without its rows.
    private func report(scanID: Int64, asOf: String, tree: OrganisationTree, scope: ScoreTally, windows: WindowSelection) -> Report {
        Report(
            scan: .init(id: scanID, asOf: asOf, asOfEarliest: tree.earliestAsOf(before: asOf)), level: level, under: under,
            withinMonths: withinMonths, exitWindowLimit: exitWindowLimit, totals: Self.totals(scope, tree: tree),
            rows: self.rows(0), groups: nil, vendors: nil, countries: nil,
            exitWindows: windows.shown, exitWindowCounts: windows.counts, exitWindowCount: windows.counts.total)
    }

    /// The totals of a snapshot's organisations in scope (`tree.scope`).
    static func totals(of snapshot: SnapshotTotals, tree: OrganisationTree) -> Report.Totals {
        totals(tally(of: snapshot, tree: tree), tree: tree)
    }

    private static func tally(of snapshot: SnapshotTotals, tree: OrganisationTree) -> ScoreTally {
        var scope = ScoreTally()
        for (id, tally) in snapshot.tallies where tree.scope.contains(id) { scope.add(tally) }
        return scope
    }

    private static func totals(_ scope: ScoreTally, tree: OrganisationTree) -> Report.Totals {
        let systems = scope.scores.systems
        return Report.Totals(
            organisations: tree.scope.count, systems: systems, users: scope.users, criticalSystems: scope.exposure.criticalSystems,
            spend: Report.Spend(scope.exposure, systems: systems), personalData: Report.PersonalData(scope.exposure),
            lockIn: summary(scope.scores, .lockIn, bands: scope.lockInBands),
            jurisdiction: summary(scope.scores, .jurisdiction, bands: scope.jurisdictionBands))
    }

    private func rows(_ total: Int) -> Report.Rows {
        Report.Rows(sort: sort, total: total, top: top)
    }

    private func cut<Row>(_ rows: [Row]) -> [Row] {
        top.map { Array(rows.prefix($0)) } ?? rows
    }

    static func mean(_ points: Int, _ weight: Int) -> Double {
        weight > 0 ? (Double(points) / Double(weight) * 10).rounded() / 10 : 0
    }

    private static func summary(_ scores: WeightedScores, _ dimension: Domain.Dimension, bands: ScoreTally.Bands) -> Report.DimensionSummary {
        let mean = Self.mean(scores.points(dimension), scores.weight)
        let counts = bands.counts
        return Report.DimensionSummary(score: mean, band: Band(mean: mean),
                                       bands: Report.BandCounts(low: counts[0], medium: counts[1], high: counts[2], critical: counts[3]),
                                       unknownPoints: scores.unknownPoints(dimension).map { Self.mean($0, scores.weight) })
    }

    /// How many open questions a group lists to answer first.
    static let answerFirstLimit = 5

    /// The open questions of a group whose best answers would lower its
    /// mean scores most (the sum of both falls), then by the field's name.
    private static func answerFirst(_ tally: ScoreTally) -> [Report.OpenQuestion] {
        let weight = tally.scores.weight
        return tally.questions.map { question, open in
            Report.OpenQuestion(question: question, systems: open.systems, lockIn: mean(open.lockInPoints, weight),
                                jurisdiction: mean(open.jurisdictionPoints, weight),
                                systemsFirst: open.examples.map { "\($0.organisation)/\($0.system)" })
        }
        .sorted { ($1.lockIn + $1.jurisdiction, $0.question) < ($0.lockIn + $0.jurisdiction, $1.question) }
        .prefix(answerFirstLimit).map { $0 }
    }

    private func group(id: String, _ gathering: Gathering, ruleTitles: [String: TranslatedText]) -> Report.Group {
        let tally = gathering.tally, scores = tally.scores
        let vendors = tally.vendors.map { vendor, share -> Report.VendorShare in
            Report.VendorShare(
                id: vendor, name: share.name, country: share.country, systems: share.scores.systems,
                share: scores.weight > 0 ? Double(share.scores.weight) / Double(scores.weight) : 0,
                lockIn: Self.mean(share.scores.lockInPoints, share.scores.weight),
                jurisdiction: Self.mean(share.scores.jurisdictionPoints, share.scores.weight))
        }.sorted { ($1.share, $0.id) < ($0.share, $1.id) }
        let hhi = (vendors.reduce(0.0) { $0 + $1.share * $1.share } * 10000 * 10).rounded() / 10
        let heaviest = tally.rules.sorted { ($1.value.points, $0.key) < ($0.value.points, $1.key) }.prefix(5).map {
            Report.FindingSummary(rule: $0.key, title: ruleTitles[$0.key] ?? TranslatedText($0.key), systems: $0.value.systems, points: $0.value.points)
        }
        let systems = scores.systems
        return Report.Group(
            id: id, name: gathering.name, standalone: gathering.standalone, organisations: gathering.organisations.count,
            systems: systems, users: tally.users, criticalSystems: tally.exposure.criticalSystems,
            spend: Report.Spend(tally.exposure, systems: systems), personalData: Report.PersonalData(tally.exposure),
            lockIn: Self.summary(scores, .lockIn, bands: tally.lockInBands),
            jurisdiction: Self.summary(scores, .jurisdiction, bands: tally.jurisdictionBands),
            vendors: vendors, hhi: hhi,
            unknownShare: systems == 0 ? 0 : Double(tally.unknownAnswers) / Double(systems * Self.answersLookedAt),
            heaviestFindings: Array(heaviest), answerFirst: Self.answerFirst(tally), exitWindowCount: gathering.windows.counts.total,
            exitWindowCounts: gathering.windows.counts, nextExitWindow: gathering.windows.next, exitWindows: gathering.windows.shown)
    }
}

/// A snapshot's organisations as a tree: the report's scope (`--under`) and
/// the group each organisation counts towards.
public struct OrganisationTree: Sendable {
    private let organisations: [String: SnapshotContents.Organisation]
    /// The organisations reported on.
    public let scope: Set<String>

    public init(_ list: [SnapshotContents.Organisation], scanID: Int64, under: String?) throws {
        organisations = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var scope = Set(organisations.keys)
        if let under {
            guard organisations[under] != nil else {
                throw ReportError(description: "scan \(scanID) has no organisation '\(under)'\(Suggestion.didYouMean(under, in: organisations.keys))")
            }
            scope = scope.filter { [organisations] in Self.descends($0, from: under, in: organisations) }
        }
        self.scope = scope
    }

    public func name(of id: String) -> String {
        organisations[id]?.name ?? id
    }

    /// The earliest as-of date of the organisations in scope, when it is
    /// before `latest` (the snapshot's date): the report covers a range.
    func earliestAsOf(before latest: String) -> String? {
        let earliest = scope.compactMap { organisations[$0]?.asOf }.min()
        return earliest.flatMap { $0 < latest ? $0 : nil }
    }

    /// The group an organisation counts towards: at level ministry, its
    /// nearest ancestor of type ministry (itself, standalone, when there is none).
    public func group(of id: String, level: ReportLevel) -> (id: String, standalone: Bool) {
        guard level == .ministry else { return (id, false) }
        var current: String? = id
        var steps = 0
        while let here = current, let organisation = organisations[here], steps <= organisations.count {
            if organisation.type == "ministry" { return (here, false) }
            current = organisation.parent
            steps += 1
        }
        return (id, true)
    }

    private static func descends(_ id: String, from root: String, in organisations: [String: SnapshotContents.Organisation]) -> Bool {
        var current: String? = id
        var steps = 0
        while let here = current, steps <= organisations.count {
            if here == root { return true }
            current = organisations[here]?.parent
            steps += 1
        }
        return false
    }
}
