import Foundation
import Store
import YAMLReading

/// Why a report cannot be made, in words for the user.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Gathers a snapshot's systems into groups along the organisation tree and
/// computes each group's figures.
public struct ReportBuilder: Sendable {
    public var level: ReportLevel
    public var under: String?
    public var withinMonths: Int

    public init(level: ReportLevel, under: String? = nil, withinMonths: Int = 18) {
        self.level = level
        self.under = under
        self.withinMonths = withinMonths
    }

    static func weight(_ criticality: String) -> Double {
        switch criticality {
        case "low": 1
        case "medium": 2
        case "high": 3
        default: 4
        }
    }

    static func band(_ score: Double) -> String {
        switch score {
        case ..<25: "low"
        case ..<50: "medium"
        case ..<75: "high"
        default: "critical"
        }
    }

    /// The number of answers `unknown_answers` counts out of.
    static let answersLookedAt = 9

    public func build(_ contents: SnapshotContents) throws -> Report {
        let organisations = Dictionary(uniqueKeysWithValues: contents.organisations.map { ($0.id, $0) })
        var scope = Set(organisations.keys)
        if let under {
            guard organisations[under] != nil else {
                throw ReportError(description: "scan \(contents.scanID) has no organisation '\(under)'\(Suggestion.didYouMean(under, in: organisations.keys))")
            }
            scope = scope.filter { descends($0, from: under, in: organisations) }
        }
        let systems = contents.systems.filter { scope.contains($0.organisation) }

        var members: [String: [SnapshotContents.System]] = [:]
        var groupNames: [String: (name: String, standalone: Bool)] = [:]
        var groupOrganisations: [String: Set<String>] = [:]
        for system in systems {
            let key: String
            switch level {
            case .ministry:
                let (owner, standalone) = ancestor(of: system.organisation, type: "ministry", in: organisations)
                key = owner
                groupNames[key] = (organisations[owner]?.name ?? owner, standalone)
            case .organisation:
                key = system.organisation
                groupNames[key] = (organisations[key]?.name ?? key, false)
            case .vendor:
                key = system.vendor
                groupNames[key] = (system.vendorName, false)
            case .system:
                key = system.organisation + "/" + system.id
                groupNames[key] = (system.name, false)
            }
            members[key, default: []].append(system)
            groupOrganisations[key, default: []].insert(system.organisation)
        }
        if level == .ministry || level == .organisation {
            // Organisations without systems still count towards their group.
            for id in scope {
                let key = level == .ministry ? ancestor(of: id, type: "ministry", in: organisations).id : id
                if members[key] != nil { groupOrganisations[key, default: []].insert(id) }
            }
        }
        let asOf = Day(iso: contents.asOf) ?? Day(year: 2000, month: 1, day: 1)!
        let groups = members.keys.sorted().map { key in
            group(id: key, name: groupNames[key]!.name, standalone: groupNames[key]!.standalone,
                  organisations: groupOrganisations[key]?.count ?? 0, systems: members[key]!, contents: contents, asOf: asOf)
        }
        return Report(
            scan: .init(id: contents.scanID, asOf: contents.asOf), level: level, under: under, withinMonths: withinMonths,
            totals: .init(organisations: scope.count, systems: systems.count, users: systems.reduce(0) { $0 + ($1.users ?? 0) },
                          lockIn: summary(systems, score: \.lockIn, band: \.lockInBand),
                          jurisdiction: summary(systems, score: \.jurisdiction, band: \.jurisdictionBand)),
            groups: groups)
    }

    private func descends(_ id: String, from root: String, in organisations: [String: SnapshotContents.Organisation]) -> Bool {
        var current: String? = id
        var steps = 0
        while let here = current, steps <= organisations.count {
            if here == root { return true }
            current = organisations[here]?.parent
            steps += 1
        }
        return false
    }

    /// The nearest organisation of `type` at or above `id`; the organisation
    /// itself (standalone) when there is none.
    private func ancestor(of id: String, type: String, in organisations: [String: SnapshotContents.Organisation]) -> (id: String, standalone: Bool) {
        var current: String? = id
        var steps = 0
        while let here = current, let organisation = organisations[here], steps <= organisations.count {
            if organisation.type == type { return (here, false) }
            current = organisation.parent
            steps += 1
        }
        return (id, true)
    }

    private func summary(_ systems: [SnapshotContents.System], score: (SnapshotContents.System) -> Int, band: (SnapshotContents.System) -> String) -> Report.DimensionSummary {
        var bands = Report.BandCounts()
        var weighted = 0.0, weights = 0.0
        for system in systems {
            bands.count(band(system))
            weighted += Self.weight(system.criticality) * Double(score(system))
            weights += Self.weight(system.criticality)
        }
        let mean = weights > 0 ? (weighted / weights * 10).rounded() / 10 : 0
        return Report.DimensionSummary(score: mean, band: Self.band(mean), bands: bands)
    }

    private func group(id: String, name: String, standalone: Bool, organisations: Int, systems: [SnapshotContents.System],
                       contents: SnapshotContents, asOf: Day) -> Report.Group {
        let totalWeight = systems.reduce(0.0) { $0 + Self.weight($1.criticality) }
        var byVendor: [String: [SnapshotContents.System]] = [:]
        for system in systems { byVendor[system.vendor, default: []].append(system) }
        let vendors = byVendor.map { vendor, owned -> Report.VendorShare in
            let weight = owned.reduce(0.0) { $0 + Self.weight($1.criticality) }
            return Report.VendorShare(
                id: vendor, name: owned[0].vendorName, country: owned[0].vendorCountry, systems: owned.count,
                share: totalWeight > 0 ? weight / totalWeight : 0,
                lockIn: summary(owned, score: \.lockIn, band: \.lockInBand).score,
                jurisdiction: summary(owned, score: \.jurisdiction, band: \.jurisdictionBand).score)
        }.sorted { ($1.share, $0.id) < ($0.share, $1.id) }
        let hhi = (vendors.reduce(0.0) { $0 + $1.share * $1.share } * 10000 * 10).rounded() / 10

        var byRule: [String: (systems: Int, points: Int)] = [:]
        for system in systems {
            for finding in contents.findings[system.assessment] ?? [] where !finding.accepted {
                byRule[finding.rule, default: (0, 0)].systems += 1
                byRule[finding.rule, default: (0, 0)].points += finding.points
            }
        }
        let heaviest = byRule.sorted { ($1.value.points, $0.key) < ($0.value.points, $1.key) }.prefix(5).map {
            Report.FindingSummary(rule: $0.key, title: contents.ruleTitles[$0.key] ?? $0.key, systems: $0.value.systems, points: $0.value.points)
        }

        let horizon = asOf.adding(months: withinMonths)
        let windows = systems.compactMap { system -> Report.ExitWindow? in
            guard let endsText = system.contractEnds, let ends = Day(iso: endsText) else { return nil }
            let notice = system.noticeMonths ?? 0
            let actBy = ends.adding(months: -notice)
            guard actBy >= asOf, actBy <= horizon else { return nil }
            return Report.ExitWindow(organisation: system.organisation, system: system.id, name: system.name, vendor: system.vendorName,
                                     contractEnds: endsText, noticeMonths: notice, actBy: actBy.description, lockIn: system.lockIn,
                                     criticality: system.criticality)
        }.sorted {
            let left = Double($0.lockIn) * Self.weight($0.criticality), right = Double($1.lockIn) * Self.weight($1.criticality)
            return (right, $0.actBy, $0.organisation, $0.system) < (left, $1.actBy, $1.organisation, $1.system)
        }
        let personal = systems.filter(\.personalDataAbroad).count
        let unknown = systems.reduce(0) { $0 + $1.unknownAnswers }
        return Report.Group(
            id: id, name: name, standalone: standalone, organisations: organisations, systems: systems.count,
            users: systems.reduce(0) { $0 + ($1.users ?? 0) },
            lockIn: summary(systems, score: \.lockIn, band: \.lockInBand),
            jurisdiction: summary(systems, score: \.jurisdiction, band: \.jurisdictionBand),
            vendors: vendors, hhi: hhi,
            personalDataAbroadShare: systems.isEmpty ? 0 : Double(personal) / Double(systems.count),
            unknownShare: systems.isEmpty ? 0 : Double(unknown) / Double(systems.count * Self.answersLookedAt),
            heaviestFindings: Array(heaviest), exitWindows: windows)
    }
}
