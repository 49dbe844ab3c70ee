import Domain
import Store

// Exit windows: each contract's notice deadline (its end less its notice
// period) and where it stands on the report's as-of date. Missed and expired
// contracts are listed whatever `--within` says, ahead of the upcoming ones;
// within each status the earliest deadline comes first, with its urgency
// (lock-in times criticality weight) shown beside it.

extension Report {
    /// A contract's notice deadline and what it means on the report's as-of date.
    public struct ExitWindow: Sendable, Encodable {
        /// Where the contract stands on the report's as-of date; upcoming
        /// ones reach `--within` months after it.
        public var status: ExitStatus
        public var organisation: String
        public var system: String
        public var name: String
        public var vendor: String
        public var contractEnds: String
        public var noticeMonths: Int
        /// The last day to give notice: the contract's end less its notice period.
        public var actBy: String
        public var lockIn: Int
        public var criticality: String
        /// Lock-in score times criticality weight: how much an exit would
        /// matter, shown beside the deadline (the list is not ordered by it).
        public var urgency: Int

        init(status: ExitStatus, organisation: String, system: String, name: String, vendor: String, contractEnds: String,
             noticeMonths: Int, actBy: String, lockIn: Int, criticality: String) {
            self.status = status
            self.organisation = organisation
            self.system = system
            self.name = name
            self.vendor = vendor
            self.contractEnds = contractEnds
            self.noticeMonths = noticeMonths
            self.actBy = actBy
            self.lockIn = lockIn
            self.criticality = criticality
            urgency = lockIn * Criticality.weight(ofStored: criticality)
        }

        enum CodingKeys: String, CodingKey {
            case status, organisation, system, name, vendor
            case contractEnds = "contract_ends"
            case noticeMonths = "notice_months"
            case actBy = "act_by"
            case lockIn = "lock_in"
            case criticality, urgency
        }

        /// The order of exit windows: missed, then expired, then upcoming;
        /// within each, the earlier deadline first, then the more urgent, then
        /// by organisation and system.
        static func precedes(_ left: ExitWindow, _ right: ExitWindow) -> Bool {
            (left.status.rank, left.actBy, -left.urgency, left.organisation, left.system)
                < (right.status.rank, right.actBy, -right.urgency, right.organisation, right.system)
        }
    }

    /// How many exit windows there are of each status.
    public typealias ExitWindowCounts = Domain.ExitWindowCounts
}

extension ReportBuilder {
    /// A group's exit windows: how many of each status, the first of them,
    /// and the ones it shows.
    struct WindowSelection {
        var counts = Report.ExitWindowCounts()
        var next: Report.ExitWindow?
        var shown: [Report.ExitWindow] = []
    }

    /// The exit window of a system with a contract end, on `asOf`; nil when
    /// its deadline is after `horizon`.
    static func exitWindow(_ system: SnapshotContents.System, asOf: Day, horizon: Day) -> Report.ExitWindow? {
        guard let endsText = system.contractEnds, let ends = Day(iso: endsText) else { return nil }
        let notice = system.noticeMonths ?? 0
        let actBy = ends.adding(months: -notice)
        guard let status = ExitStatus.of(deadline: actBy, ends: ends, asOf: asOf, horizon: horizon) else { return nil }
        return Report.ExitWindow(status: status, organisation: system.organisation, system: system.id, name: system.name,
                                 vendor: system.vendorName, contractEnds: endsText, noticeMonths: notice, actBy: actBy.description,
                                 lockIn: system.lockIn, criticality: system.criticality)
    }

    /// The windows of the whole scope from those of its groups: the counts
    /// add up, and the first windows overall are among each group's first.
    func combine(_ selections: [WindowSelection]) -> WindowSelection {
        var counts = Report.ExitWindowCounts()
        for selection in selections { counts.add(selection.counts) }
        let ordered = selections.flatMap(\.shown).sorted(by: Report.ExitWindow.precedes)
        return WindowSelection(counts: counts, next: selections.compactMap(\.next).min(by: Report.ExitWindow.precedes),
                               shown: Array(ordered.prefix(exitWindowLimit ?? ordered.count)))
    }

    /// The windows of those found that a group shows, in their order.
    func select(_ found: [Report.ExitWindow]) -> WindowSelection {
        let ordered = found.sorted(by: Report.ExitWindow.precedes)
        var counts = Report.ExitWindowCounts()
        for window in found { counts.count(window.status) }
        return WindowSelection(counts: counts, next: ordered.first, shown: Array(ordered.prefix(exitWindowLimit ?? ordered.count)))
    }

    /// The exit windows of each group (`group` of an organisation) from a
    /// scan's stored exit windows, reading only the systems of the windows a
    /// group may show: the first by status, deadline, urgency and
    /// organisation, with those tied with the last one (the system id decides
    /// between them once read).
    func storedWindows(_ tally: ExitWindowTally, tree: OrganisationTree, asOf: Day, horizon: Day,
                       systems: (_ records: [Int64]) throws -> [SnapshotContents.System],
                       group: (_ organisation: String) -> String) throws -> [String: WindowSelection] {
        var found: [String: [ExitCandidate]] = [:]
        for candidate in tally.candidates where tree.scope.contains(candidate.organisation) {
            found[group(candidate.organisation), default: []].append(candidate)
        }
        func key(_ candidate: ExitCandidate) -> (Int, Day, Int, String) {
            (candidate.status.rank, candidate.actBy, -candidate.urgency, candidate.organisation)
        }
        var wanted: [String: [Int64]] = [:]
        for (group, windows) in found {
            let ranked = windows.sorted { key($0) < key($1) }
            // At least one, for the group's next window.
            var chosen = Array(ranked.prefix(max(1, exitWindowLimit ?? ranked.count)))
            if let last = chosen.last {
                chosen += ranked.dropFirst(chosen.count).prefix { key($0) == key(last) }
            }
            wanted[group] = chosen.map(\.record)
        }
        var counts: [String: Report.ExitWindowCounts] = [:]
        for (organisation, found) in tally.counts where tree.scope.contains(organisation) {
            counts[group(organisation), default: .init()].add(found)
        }
        let read = try systems(Array(Set(wanted.values.joined())).sorted())
        let byRecord = Dictionary(read.map { ($0.record, $0) }, uniquingKeysWith: { first, _ in first })
        var selections: [String: WindowSelection] = [:]
        for (group, records) in wanted {
            let shown = Set(records).compactMap { byRecord[$0].flatMap { Self.exitWindow($0, asOf: asOf, horizon: horizon) } }
            var selection = select(shown)
            selection.counts = counts[group] ?? .init()
            selections[group] = selection
        }
        return selections
    }
}

extension ExitStatus {
    /// The order of the statuses in a list of exit windows: missed, expired, upcoming.
    fileprivate var rank: Int {
        switch self {
        case .missed: 0
        case .expired: 1
        case .upcoming: 2
        }
    }
}
