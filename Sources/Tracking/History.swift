import Domain
import Foundation
import Reporting
import Store

/// Scores over time. The state on a date is, for each organisation, its
/// latest snapshot with `as_of` on or before that date (`AsOfJoin`), so
/// organisations scanned at different times still add up.
public struct History: Sendable, Encodable {
    public struct Point: Sendable, Encodable {
        public var asOf: String
        /// The scans whose snapshots make up this state.
        public var scans: [Int64]
        public var lockIn: Double
        public var jurisdiction: Double
        public var systems: Int

        enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
            case scans
            case lockIn = "lock_in"
            case jurisdiction, systems
        }
    }

    public struct GroupSeries: Sendable, Encodable {
        public var id: String
        public var name: String
        public var series: [Point]

        public init(id: String, name: String, series: [Point]) {
            self.id = id
            self.name = name
            self.series = series
        }
    }

    public var level: ReportLevel
    public var series: [Point]
    public var groups: [GroupSeries]
}

public enum HistoryBuilder {
    /// The states of every `as_of` date in the database, within the scope given.
    public static func build(_ store: any SnapshotStore, level: ReportLevel, under: String?, organisation: String?, vendor: String?) throws -> History {
        let join = try AsOfJoin(store)
        guard !join.scans.isEmpty else { throw StoreError.noScans(store.path) }
        let scans = join.scans.map(\.id)
        if let organisation, !join.organisations.contains(organisation) {
            throw ReportError(description: "no scan has organisation '\(organisation)'\(Suggestion.didYouMean(organisation, in: join.organisations))")
        }
        let dates = join.dates

        // Each organisation as its newest scan describes it; a chosen snapshot overrides below.
        var latest: [String: SnapshotContents.Organisation] = [:]
        for scan in join.scans { for organisation in scan.organisations { latest[organisation.id] = organisation } }

        // Each organisation's snapshot in the state of each date, as the position of its scan.
        let position = Dictionary(uniqueKeysWithValues: scans.enumerated().map { ($1, $0) })
        let choices: [[String: Int]] = dates.map { date in
            join.state(on: date).filter { organisation == nil || $0.key == organisation }.mapValues { position[$0.scan]! }
        }
        // A scan's totals are loaded once, and dropped after the last date that uses them.
        var lastUse: [Int: Int] = [:]
        for (dateIndex, chosen) in choices.enumerated() { for scan in chosen.values { lastUse[scan] = dateIndex } }
        var loadedTotals: [Int: SnapshotTotals] = [:]
        let builder = ReportBuilder(level: level, under: under, exitWindowLimit: 0)

        var series: [History.Point] = []
        var groups: [String: History.GroupSeries] = [:]
        for (dateIndex, date) in dates.enumerated() {
            let chosen = choices[dateIndex]
            var organisations = latest
            let usedScans = Set(chosen.values).sorted().map { scans[$0] }
            for scan in Set(chosen.values) where loadedTotals[scan] == nil { loadedTotals[scan] = try store.totals(scanID: scans[scan]) }
            var tallies: [String: ScoreTally] = [:]
            for (id, scan) in chosen {
                let snapshot = loadedTotals[scan]!
                for organisation in snapshot.organisations where organisation.id == id { organisations[id] = organisation }
                guard let tally = snapshot.tallies[id] else { continue }
                if let vendor {
                    if let share = tally.vendors[vendor] { tallies[id] = ScoreTally(systemsOf: vendor, share) }
                } else {
                    tallies[id] = tally
                }
            }
            let state = SnapshotTotals(scanID: usedScans.last ?? 0, asOf: date, organisations: organisations.values.sorted { $0.id < $1.id },
                                       tallies: tallies, ruleTitles: [:], countries: [:])
            let report = try builder.build(state, exits: { _, _, _ in ExitWindowTally() }, systems: { _ in [] })
            for (scan, last) in lastUse where last == dateIndex {
                loadedTotals[scan] = nil
            }
            series.append(History.Point(asOf: date, scans: usedScans, lockIn: report.totals.lockIn.score,
                                        jurisdiction: report.totals.jurisdiction.score, systems: report.totals.systems))
            for group in report.groups ?? [] {
                groups[group.id, default: History.GroupSeries(id: group.id, name: group.name, series: [])].series.append(History.Point(
                    asOf: date, scans: usedScans, lockIn: group.lockIn.score, jurisdiction: group.jurisdiction.score, systems: group.systems))
            }
            for vendor in report.vendors ?? [] {
                groups[vendor.parent, default: History.GroupSeries(id: vendor.parent, name: vendor.name, series: [])].series.append(History.Point(
                    asOf: date, scans: usedScans, lockIn: vendor.lockIn, jurisdiction: vendor.jurisdiction, systems: vendor.systems))
            }
        }
        return History(level: level, series: series, groups: groups.values.sorted { $0.id < $1.id })
    }
}

extension ScoreTally {
    /// A vendor's systems of an organisation, for their scores over time:
    /// bands and findings are not kept per vendor, and history shows neither.
    fileprivate init(systemsOf id: String, _ vendor: Vendor) {
        self.init()
        scores = vendor.scores
        users = vendor.users
        exposure = vendor.exposure
        vendors[id] = vendor
    }
}
