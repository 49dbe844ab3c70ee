import Foundation
import Reporting
import Store
import YAMLReading

/// Scores over time. The state on a date is, for each organisation, its
/// latest snapshot with `as_of` on or before that date (an as-of join), so
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
    }

    public var level: ReportLevel
    public var series: [Point]
    public var groups: [GroupSeries]
}

public enum HistoryBuilder {
    /// The states of every `as_of` date in the database, within the scope given.
    public static func build(_ store: SnapshotDatabase, level: ReportLevel, under: String?, organisation: String?, vendor: String?) throws -> History {
        let scans = try store.scanIDs()
        guard !scans.isEmpty else { throw StoreError.noScans(store.path) }
        let contents = try scans.map { try store.contents(scanID: $0) }

        struct Snapshot {
            var scan: Int
            var asOf: String
        }
        var snapshots: [String: [Snapshot]] = [:]
        for (index, content) in contents.enumerated() {
            for organisation in content.organisations {
                guard let asOf = organisation.asOf else { continue }
                snapshots[organisation.id, default: []].append(Snapshot(scan: index, asOf: asOf))
            }
        }
        if let organisation, snapshots[organisation] == nil {
            throw ReportError(description: "no scan has organisation '\(organisation)'\(Suggestion.didYouMean(organisation, in: snapshots.keys))")
        }
        let dates = Set(snapshots.values.flatMap { $0.map(\.asOf) }).sorted()

        // Each organisation as its newest scan describes it; a chosen snapshot overrides below.
        var latest: [String: SnapshotContents.Organisation] = [:]
        for content in contents { for organisation in content.organisations { latest[organisation.id] = organisation } }

        var series: [History.Point] = []
        var groups: [String: History.GroupSeries] = [:]
        for date in dates {
            // Each organisation's latest snapshot on or before the date.
            var chosen: [String: Int] = [:]
            for (id, list) in snapshots {
                if let organisation, id != organisation { continue }
                let candidates = list.filter { $0.asOf <= date }
                if let latest = candidates.max(by: { ($0.asOf, $0.scan) < ($1.asOf, $1.scan) }) { chosen[id] = latest.scan }
            }
            var organisations = latest
            var systems: [SnapshotContents.System] = []
            var findings: [Int64: [SnapshotContents.Finding]] = [:]
            var titles: [String: String] = [:]
            for (id, scan) in chosen {
                for organisation in contents[scan].organisations where organisation.id == id { organisations[id] = organisation }
                systems += contents[scan].systems.filter { $0.organisation == id && (vendor == nil || $0.vendor == vendor) }
                findings.merge(contents[scan].findings) { first, _ in first }
                titles.merge(contents[scan].ruleTitles) { first, _ in first }
            }
            systems.sort { ($0.organisation, $0.id) < ($1.organisation, $1.id) }
            let usedScans = Set(chosen.values).sorted().map { contents[$0].scanID }
            let state = SnapshotContents(scanID: usedScans.last ?? 0, asOf: date, organisations: organisations.values.sorted { $0.id < $1.id },
                                         systems: systems, findings: findings, ruleTitles: titles)
            let report = try ReportBuilder(level: level, under: under).build(state)
            series.append(History.Point(asOf: date, scans: usedScans, lockIn: report.totals.lockIn.score,
                                        jurisdiction: report.totals.jurisdiction.score, systems: report.totals.systems))
            for group in report.groups {
                groups[group.id, default: History.GroupSeries(id: group.id, name: group.name, series: [])].series.append(History.Point(
                    asOf: date, scans: usedScans, lockIn: group.lockIn.score, jurisdiction: group.jurisdiction.score, systems: group.systems))
            }
        }
        return History(level: level, series: series, groups: groups.values.sorted { $0.id < $1.id })
    }
}
