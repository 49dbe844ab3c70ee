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

/// Gathers a snapshot's systems into groups along the organisation tree and
/// computes each group's figures. A report per ministry or organisation adds
/// up the totals each organisation keeps (`build(_: SnapshotTotals, …)`);
/// one per vendor or system reads every system, one at a time (`SystemGroups`).
/// Both add the same integer tallies, so they give the same figures.
public struct ReportBuilder: Sendable {
    public var level: ReportLevel
    public var under: String?
    public var withinMonths: Int
    /// How many exit windows each group lists, most pressing first; nil for all.
    public var exitWindowLimit: Int?

    public init(level: ReportLevel, under: String? = nil, withinMonths: Int = 18, exitWindowLimit: Int? = nil) {
        self.level = level
        self.under = under
        self.withinMonths = withinMonths
        self.exitWindowLimit = exitWindowLimit
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

    /// A group's exit windows: how many, and the ones it shows.
    fileprivate struct WindowSelection {
        var count = 0
        var next: Report.ExitWindow?
        var shown: [Report.ExitWindow] = []
    }

    /// Reads every system: any level.
    public func build(_ contents: SnapshotContents) throws -> Report {
        var groups = try systemGroups(SnapshotOutline(scanID: contents.scanID, asOf: contents.asOf,
                                                      organisations: contents.organisations, ruleTitles: contents.ruleTitles))
        for system in contents.systems { groups.add(system, findings: contents.findings[system.assessment] ?? []) }
        return groups.report()
    }

    /// Groups for systems given one at a time (`SnapshotStore.reduceSystems`):
    /// any level, holding a group per key rather than every system.
    public func systemGroups(_ outline: SnapshotOutline) throws -> SystemGroups {
        try SystemGroups(builder: self, outline: outline)
    }

    /// A report's groups, gathered system by system.
    public struct SystemGroups {
        private let builder: ReportBuilder
        private let outline: SnapshotOutline
        private let tree: OrganisationTree
        private let asOf: Day
        private let horizon: Day
        private var groups: [String: Gathering] = [:]
        private var windows: [String: [Report.ExitWindow]] = [:]

        init(builder: ReportBuilder, outline: SnapshotOutline) throws {
            self.builder = builder
            self.outline = outline
            tree = try OrganisationTree(outline.organisations, scanID: outline.scanID, under: builder.under)
            asOf = Day(iso: outline.asOf) ?? Day(year: 2000, month: 1, day: 1)!
            horizon = asOf.adding(months: builder.withinMonths)
        }

        public mutating func add(_ system: SnapshotContents.System, findings: [SnapshotContents.Finding]) {
            guard tree.scope.contains(system.organisation) else { return }
            let key: String, name: String, standalone: Bool
            switch builder.level {
            case .ministry, .organisation:
                (key, standalone) = tree.group(of: system.organisation, level: builder.level)
                name = tree.name(of: key)
            case .vendor:
                (key, name, standalone) = (system.vendor, system.vendorName, false)
            case .system:
                (key, name, standalone) = (system.organisation + "/" + system.id, system.name, false)
            }
            groups[key, default: Gathering(name: name, standalone: standalone)].tally.add(system, findings: findings)
            groups[key]!.organisations.insert(system.organisation)
            if let window = ReportBuilder.exitWindow(system), let actBy = Day(iso: window.actBy), actBy >= asOf, actBy <= horizon {
                windows[key, default: []].append(window)
            }
        }

        /// The report; taking the groups, so that a million of them are not copied to set their windows.
        public consuming func report() -> Report {
            for (key, found) in windows { groups[key]!.windows = builder.select(found) }
            return builder.report(scanID: outline.scanID, asOf: outline.asOf, groups: groups, tree: tree, ruleTitles: outline.ruleTitles)
        }
    }

    /// Adds up the organisations' totals: levels ministry and organisation.
    /// `exits` gives the contracts whose deadline falls in a window, `systems`
    /// the systems of the records asked for, for the windows shown.
    public func build(_ totals: SnapshotTotals,
                      exits: (_ from: Day, _ through: Day) throws -> [ExitCandidate],
                      systems: (_ records: [Int64]) throws -> [SnapshotContents.System]) throws -> Report {
        precondition(level == .ministry || level == .organisation, "organisation totals add up to ministries and organisations only")
        let tree = try OrganisationTree(totals.organisations, scanID: totals.scanID, under: under)
        var groups: [String: Gathering] = [:]
        for (id, tally) in totals.tallies where tree.scope.contains(id) {
            let (key, standalone) = tree.group(of: id, level: level)
            groups[key, default: Gathering(name: tree.name(of: key), standalone: standalone)].tally.add(tally)
            groups[key]!.organisations.insert(id)
        }
        let asOf = Day(iso: totals.asOf) ?? Day(year: 2000, month: 1, day: 1)!
        var candidates: [String: [ExitCandidate]] = [:]
        for candidate in try exits(asOf, asOf.adding(months: withinMonths)) where tree.scope.contains(candidate.organisation) {
            candidates[tree.group(of: candidate.organisation, level: level).id, default: []].append(candidate)
        }
        // Only the windows a group may show are read: the most pressing by
        // severity, deadline and organisation (with those tied with the last
        // one, as the system id decides between them), and the earliest.
        var wanted: [String: [ExitCandidate]] = [:]
        for (key, found) in candidates {
            let ranked = found.sorted { ($1.severity, $0.actBy, $0.organisation) < ($0.severity, $1.actBy, $1.organisation) }
            var chosen = Array(ranked.prefix(exitWindowLimit ?? ranked.count))
            if let last = chosen.last {
                chosen += ranked.dropFirst(chosen.count).prefix { ($0.severity, $0.actBy, $0.organisation) == (last.severity, last.actBy, last.organisation) }
            }
            let earliest = found.map(\.actBy).min()!
            chosen += ranked.filter { $0.actBy == earliest }
            wanted[key] = chosen
        }
        let read = try systems(Array(Set(wanted.values.flatMap { $0.map(\.record) })).sorted())
        let byRecord = Dictionary(read.map { ($0.record, $0) }, uniquingKeysWith: { first, _ in first })
        for (key, chosen) in wanted {
            let shown = Set(chosen.map(\.record)).compactMap { byRecord[$0].flatMap(Self.exitWindow) }
            var selection = select(shown)
            selection.count = candidates[key]!.count
            groups[key]!.windows = selection
        }
        return report(scanID: totals.scanID, asOf: totals.asOf, groups: groups, tree: tree, ruleTitles: totals.ruleTitles)
    }

    /// The exit window of a system with a contract end.
    fileprivate static func exitWindow(_ system: SnapshotContents.System) -> Report.ExitWindow? {
        guard let endsText = system.contractEnds, let ends = Day(iso: endsText) else { return nil }
        let notice = system.noticeMonths ?? 0
        return Report.ExitWindow(organisation: system.organisation, system: system.id, name: system.name, vendor: system.vendorName,
                                 contractEnds: endsText, noticeMonths: notice, actBy: ends.adding(months: -notice).description,
                                 lockIn: system.lockIn, criticality: system.criticality)
    }

    /// The windows to show of those found, and the next one.
    fileprivate func select(_ found: [Report.ExitWindow]) -> WindowSelection {
        let ranked = found.sorted(by: Report.ExitWindow.morePressing)
        let next = ranked.min { $0.actBy < $1.actBy }
        return WindowSelection(count: found.count, next: next, shown: Array(ranked.prefix(exitWindowLimit ?? ranked.count)))
    }

    fileprivate func report(scanID: Int64, asOf: String, groups: [String: Gathering], tree: OrganisationTree,
                        ruleTitles: [String: String]) -> Report {
        var groups = groups
        var all = ScoreTally()
        for gathering in groups.values { all.add(gathering.tally) }
        if level == .ministry || level == .organisation {
            // Organisations without systems still count towards their group.
            for id in tree.scope {
                let key = tree.group(of: id, level: level).id
                if groups[key] != nil { groups[key]!.organisations.insert(id) }
            }
        }
        return Report(
            scan: .init(id: scanID, asOf: asOf), level: level, under: under, withinMonths: withinMonths, exitWindowLimit: exitWindowLimit,
            totals: .init(organisations: tree.scope.count, systems: all.scores.systems, users: all.users,
                          lockIn: summary(all.scores.lockInPoints, all.scores.weight, bands: all.lockInBands),
                          jurisdiction: summary(all.scores.jurisdictionPoints, all.scores.weight, bands: all.jurisdictionBands)),
            groups: groups.keys.sorted().map { group(id: $0, groups[$0]!, ruleTitles: ruleTitles) })
    }

    private static func mean(_ points: Int, _ weight: Int) -> Double {
        weight > 0 ? (Double(points) / Double(weight) * 10).rounded() / 10 : 0
    }

    private func summary(_ points: Int, _ weight: Int, bands: ScoreTally.Bands) -> Report.DimensionSummary {
        let mean = Self.mean(points, weight)
        let counts = bands.counts
        return Report.DimensionSummary(score: mean, band: Band(mean: mean),
                                       bands: Report.BandCounts(low: counts[0], medium: counts[1], high: counts[2], critical: counts[3]))
    }

    private func group(id: String, _ gathering: Gathering, ruleTitles: [String: String]) -> Report.Group {
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
            Report.FindingSummary(rule: $0.key, title: ruleTitles[$0.key] ?? $0.key, systems: $0.value.systems, points: $0.value.points)
        }
        let systems = scores.systems
        return Report.Group(
            id: id, name: gathering.name, standalone: gathering.standalone, organisations: gathering.organisations.count,
            systems: systems, users: tally.users,
            lockIn: summary(scores.lockInPoints, scores.weight, bands: tally.lockInBands),
            jurisdiction: summary(scores.jurisdictionPoints, scores.weight, bands: tally.jurisdictionBands),
            vendors: vendors, hhi: hhi,
            personalDataAbroadShare: systems == 0 ? 0 : Double(tally.personalDataAbroad) / Double(systems),
            unknownShare: systems == 0 ? 0 : Double(tally.unknownAnswers) / Double(systems * Self.answersLookedAt),
            heaviestFindings: Array(heaviest), exitWindowCount: gathering.windows.count, nextExitWindow: gathering.windows.next,
            exitWindows: gathering.windows.shown)
    }
}

/// A snapshot's organisations as a tree: the report's scope (`--under`) and
/// the group each organisation counts towards.
struct OrganisationTree {
    private let organisations: [String: SnapshotContents.Organisation]
    /// The organisations reported on.
    let scope: Set<String>

    init(_ list: [SnapshotContents.Organisation], scanID: Int64, under: String?) throws {
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

    func name(of id: String) -> String {
        organisations[id]?.name ?? id
    }

    /// The group an organisation counts towards: at level ministry, its
    /// nearest ancestor of type ministry (itself, standalone, when there is none).
    func group(of id: String, level: ReportLevel) -> (id: String, standalone: Bool) {
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
