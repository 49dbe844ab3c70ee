import Domain
import Foundation
import Store

/// One system as `report --level system` lists it.
public struct SystemRow: Sendable, Encodable {
    public struct Score: Sendable, Encodable {
        public var score: Int
        public var band: Band
        /// Of the score, the points that questions the inventory leaves open
        /// make up; nil for a scan stored before sovscan recorded it.
        public var unknownPoints: Int?

        enum CodingKeys: String, CodingKey {
            case score, band
            case unknownPoints = "unknown_points"
        }

        /// `unknown_points` is `null` when not recorded, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(score, forKey: .score)
            try container.encode(band, forKey: .band)
            try container.encode(unknownPoints, forKey: .unknownPoints)
        }
    }

    public struct HeaviestFinding: Sendable, Encodable {
        public var rule: String
        public var title: TranslatedText
        public var points: Int
    }

    public var organisation: String
    public var organisationName: String
    /// The ministry-level group it counts towards (the organisation itself when it reports to no ministry).
    public var ministry: String
    public var ministryName: String
    public var system: String
    public var name: String
    public var function: String
    public var vendor: String
    public var vendorName: String
    public var vendorCountry: String?
    public var criticality: String
    public var users: Int?
    /// Criticality weight times the higher of the two scores (0-400).
    public var risk: Int
    public var lockIn: Score
    public var jurisdiction: Score
    /// The counted finding with the most points, of either dimension.
    public var heaviestFinding: HeaviestFinding?
    public var annualCostEUR: Double?

    enum CodingKeys: String, CodingKey {
        case organisation
        case organisationName = "organisation_name"
        case ministry
        case ministryName = "ministry_name"
        case system, name, function, vendor
        case vendorName = "vendor_name"
        case vendorCountry = "vendor_country"
        case criticality, users, risk
        case lockIn = "lock_in"
        case jurisdiction
        case heaviestFinding = "heaviest_finding"
        case annualCostEUR = "annual_cost_eur"
    }
}

/// The systems of a snapshot, riskiest first (`report --level system`): a
/// heading, and rows that arrive one at a time as the store reads them, so
/// that a million systems list in flat memory.
public struct SystemListing: Sendable {
    /// What the list shows, before its rows.
    public struct Heading: Sendable, Encodable {
        public var scan: Report.ScanReference
        public var level: ReportLevel
        public var under: String?
        public var totals: Report.Totals
        public var rows: Report.Rows
    }

    /// Visits the scope's systems in an order, at most a number of them.
    public typealias Source = @Sendable (_ organisations: [String]?, _ order: SystemOrder, _ limit: Int?,
                                         _ visit: (SnapshotContents.System, SnapshotContents.Finding?) throws -> Void) throws -> Void

    public let heading: Heading
    private let tree: OrganisationTree
    private let ruleTitles: [String: TranslatedText]
    private let source: Source

    /// The list of `totals`' snapshot, of the organisations under `under`, in
    /// `sort` (risk by default), at most `top` rows, read from `source`.
    public init(_ totals: SnapshotTotals, under: String?, sort: ReportSort?, top: Int?, source: @escaping Source) throws {
        tree = try OrganisationTree(totals.organisations, scanID: totals.scanID, under: under)
        let scopeTotals = ReportBuilder.totals(of: totals, tree: tree)
        heading = Heading(scan: .init(id: totals.scanID, asOf: totals.asOf, asOfEarliest: tree.earliestAsOf(before: totals.asOf)),
                          level: .system, under: under, totals: scopeTotals,
                          rows: Report.Rows(sort: sort ?? .standard(at: .system), total: scopeTotals.systems, top: top))
        ruleTitles = totals.ruleTitles
        self.source = source
    }

    /// Visits the rows in the list's order.
    public func forEachRow(_ visit: (SystemRow) throws -> Void) throws {
        let organisations = heading.under == nil ? nil : tree.scope.sorted()
        try source(organisations, Self.order(heading.rows.sort), heading.rows.top) { system, heaviest in
            try visit(row(system, heaviest: heaviest))
        }
    }

    private static func order(_ sort: ReportSort) -> SystemOrder {
        switch sort {
        case .lockIn: .lockIn
        case .jurisdiction: .jurisdiction
        case .critical: .criticality
        case .users: .users
        case .cost: .cost
        case .name: .name
        case .id: .id
        default: .risk
        }
    }

    private func row(_ system: SnapshotContents.System, heaviest: SnapshotContents.Finding?) -> SystemRow {
        let ministry = tree.group(of: system.organisation, level: .ministry).id
        return SystemRow(
            organisation: system.organisation, organisationName: tree.name(of: system.organisation), ministry: ministry,
            ministryName: tree.name(of: ministry), system: system.id, name: system.name, function: system.function,
            vendor: system.vendor, vendorName: system.vendorName, vendorCountry: system.vendorCountry, criticality: system.criticality,
            users: system.users,
            risk: Criticality.risk(ofStored: system.criticality, lockIn: system.lockIn, jurisdiction: system.jurisdiction),
            lockIn: .init(score: system.lockIn, band: system.lockInBand, unknownPoints: system.unknownPoints?.lockIn),
            jurisdiction: .init(score: system.jurisdiction, band: system.jurisdictionBand, unknownPoints: system.unknownPoints?.jurisdiction),
            heaviestFinding: heaviest.map { .init(rule: $0.rule, title: ruleTitles[$0.rule] ?? TranslatedText($0.rule), points: $0.points) },
            annualCostEUR: system.annualCostCents.map { Double($0) / 100 })
    }
}
