import Domain
import Foundation
import Store

/// How far up the organisation tree a report gathers.
public enum ReportLevel: String, CaseIterable, Sendable, Codable {
    case ministry, organisation, vendor, country, system
}

/// A computed report: what every renderer shows, and nothing renderers compute.
public struct Report: Sendable, Encodable {
    public struct ScanReference: Sendable, Encodable {
        public var id: Int64
        /// The latest as-of date of the scan's organisations: the date of the snapshot.
        public var asOf: String
        /// The earliest as-of date of the organisations in scope, when they differ.
        public var asOfEarliest: String?

        enum CodingKeys: String, CodingKey {
            case id
            case asOf = "as_of"
            case asOfEarliest = "as_of_earliest"
        }

    }

    /// Annual cost where the inventory states it (`contract.annual_cost_eur`).
    public struct Spend: Sendable, Encodable, Equatable {
        public var euros: Double
        /// How many of the systems counted state their cost.
        public var systemsStating: Int
        /// How many systems are counted.
        public var systems: Int

        enum CodingKeys: String, CodingKey {
            case euros = "annual_cost_eur"
            case systemsStating = "systems_stating_cost"
            case systems
        }

        init(_ exposure: ExposureCounts, systems: Int) {
            euros = Double(exposure.annualCostCents) / 100
            systemsStating = exposure.costStated
            self.systems = systems
        }
    }

    /// The two personal-data figures: by where the data lies and by who holds it.
    public struct PersonalData: Sendable, Encodable, Equatable {
        /// Systems holding personal data.
        public var systems: Int
        /// Of those, systems storing or processing it outside the organisation's bloc; nil when not recorded.
        public var outsideBloc: Int?
        /// Of those, systems where a party under a foreign access law holds it; nil when not recorded.
        public var underForeignLaw: Int?

        enum CodingKeys: String, CodingKey {
            case systems
            case outsideBloc = "outside_bloc"
            case underForeignLaw = "under_foreign_law"
        }

        /// The two figures are `null` when not recorded, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(systems, forKey: .systems)
            try container.encode(outsideBloc, forKey: .outsideBloc)
            try container.encode(underForeignLaw, forKey: .underForeignLaw)
        }

        init(_ exposure: ExposureCounts) {
            systems = exposure.personalData
            outsideBloc = exposure.personalDataOutsideBloc
            underForeignLaw = exposure.personalDataUnderForeignLaw
        }
    }

    public struct BandCounts: Sendable, Encodable, Equatable {
        public var low = 0
        public var medium = 0
        public var high = 0
        public var critical = 0

        public subscript(band: Band) -> Int {
            switch band {
            case .low: low
            case .medium: medium
            case .high: high
            case .critical: critical
            }
        }

        mutating func count(_ band: Band) {
            switch band {
            case .low: low += 1
            case .medium: medium += 1
            case .high: high += 1
            case .critical: critical += 1
            }
        }
    }

    public struct DimensionSummary: Sendable, Encodable {
        /// The criticality-weighted mean score, one decimal.
        public var score: Double
        public var band: Band
        public var bands: BandCounts
        /// Of the mean score, the criticality-weighted mean of the points
        /// that questions the inventory leaves open make up, one decimal; nil
        /// when a scan stored before sovscan recorded it is among the systems.
        public var unknownPoints: Double?

        enum CodingKeys: String, CodingKey {
            case score, band, bands
            case unknownPoints = "unknown_points"
        }

        /// `unknown_points` is `null` when not recorded, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(score, forKey: .score)
            try container.encode(band, forKey: .band)
            try container.encode(bands, forKey: .bands)
            try container.encode(unknownPoints, forKey: .unknownPoints)
        }
    }

    /// A question a group's systems leave open, by how far its best answer
    /// would lower the group's mean scores: what to answer first.
    public struct OpenQuestion: Sendable, Encodable, Equatable {
        /// The field to answer, as the inventory names it.
        public var question: String
        /// How many of the group's systems leave it open where it moves a score.
        public var systems: Int
        /// How far the group's criticality-weighted mean lock-in score would
        /// fall with this answer given at best on each of them, one decimal.
        public var lockIn: Double
        /// The same for jurisdiction.
        public var jurisdiction: Double
        /// The systems it moves most, heaviest first (organisation/system), at most three.
        public var systemsFirst: [String]

        enum CodingKeys: String, CodingKey {
            case question, systems
            case lockIn = "lock_in"
            case jurisdiction
            case systemsFirst = "systems_first"
        }
    }

    public struct VendorShare: Sendable, Encodable {
        public var id: String
        public var name: String
        public var country: String?
        public var systems: Int
        /// Criticality-weighted share of the group's systems, 0-1.
        public var share: Double
        public var lockIn: Double
        public var jurisdiction: Double

        enum CodingKeys: String, CodingKey {
            case id, name, country, systems, share
            case lockIn = "lock_in"
            case jurisdiction
        }
    }

    public struct FindingSummary: Sendable, Encodable {
        public var rule: String
        public var title: TranslatedText
        public var systems: Int
        public var points: Int
    }

    public struct Group: Sendable, Encodable {
        public var id: String
        public var name: String
        /// True when no ancestor of the requested level exists: the organisation stands alone.
        public var standalone: Bool
        public var organisations: Int
        public var systems: Int
        public var users: Int
        /// Systems of criticality high or critical.
        public var criticalSystems: Int
        public var spend: Spend
        public var personalData: PersonalData
        public var lockIn: DimensionSummary
        public var jurisdiction: DimensionSummary
        public var vendors: [VendorShare]
        /// Herfindahl-Hirschman index of the vendor shares, 0-10000.
        public var hhi: Double
        /// Share of the answers the rules look at that the inventory leaves unknown.
        public var unknownShare: Double
        public var heaviestFindings: [FindingSummary]
        /// The open questions whose answers would lower the group's mean
        /// scores most, at most five, most first (none for a scan stored
        /// before sovscan recorded them).
        public var answerFirst: [OpenQuestion]
        /// How many exit windows the group has, of every status.
        public var exitWindowCount: Int
        /// How many exit windows the group has of each status.
        public var exitWindowCounts: ExitWindowCounts
        /// The group's first exit window (missed, then expired, then the earliest deadline), listed or not.
        public var nextExitWindow: ExitWindow?
        /// The group's first exit windows, at most the report's limit.
        public var exitWindows: [ExitWindow]

        enum CodingKeys: String, CodingKey {
            case id, name, standalone, organisations, systems, users
            case criticalSystems = "critical_systems"
            case spend
            case personalData = "personal_data"
            case lockIn = "lock_in"
            case jurisdiction, vendors, hhi
            case unknownShare = "unknown_share"
            case heaviestFindings = "heaviest_findings"
            case answerFirst = "answer_first"
            case exitWindowCount = "exit_window_count"
            case exitWindowCounts = "exit_window_counts"
            case nextExitWindow = "next_exit_window"
            case exitWindows = "exit_windows"
        }
    }

    public struct Totals: Sendable, Encodable {
        public var organisations: Int
        public var systems: Int
        public var users: Int
        public var criticalSystems: Int
        public var spend: Spend
        public var personalData: PersonalData
        /// Over every system in the report's scope.
        public var lockIn: DimensionSummary
        public var jurisdiction: DimensionSummary

        enum CodingKeys: String, CodingKey {
            case organisations, systems, users
            case criticalSystems = "critical_systems"
            case spend
            case personalData = "personal_data"
            case lockIn = "lock_in"
            case jurisdiction
        }

        /// Whether the scan kept how many points open questions make up
        /// (false for one stored before schema v7).
        public var unansweredRecorded: Bool { lockIn.unknownPoints != nil }
    }

    /// The rows a report lists and how it ordered them.
    public struct Rows: Sendable, Encodable {
        public var sort: ReportSort
        /// The rows there are; a report cut by `--top` lists fewer.
        public var total: Int
        /// `--top`, when given.
        public var top: Int?
    }

    public var scan: ScanReference
    public var level: ReportLevel
    public var under: String?
    public var withinMonths: Int
    /// How many exit windows a group lists; nil for all.
    public var exitWindowLimit: Int?
    public var totals: Totals
    public var rows: Rows
    /// Ministries or organisations (levels ministry and organisation).
    public var groups: [Group]?
    /// Ultimate parents (level vendor).
    public var vendors: [VendorDependence]?
    /// Countries of control (level country).
    public var countries: [CountryDependence]?
    /// The first exit windows of the whole scope in their order (ExitWindows.swift), at most the limit.
    public var exitWindows: [ExitWindow]
    /// How many exit windows the whole scope has of each status.
    public var exitWindowCounts: ExitWindowCounts
    /// How many exit windows the whole scope has, of every status.
    public var exitWindowCount: Int

    enum CodingKeys: String, CodingKey {
        case scan, level, under
        case withinMonths = "within_months"
        case exitWindowLimit = "exit_window_limit"
        case totals, rows, groups, vendors, countries
        case exitWindows = "exit_windows"
        case exitWindowCounts = "exit_window_counts"
        case exitWindowCount = "exit_window_count"
    }
}
