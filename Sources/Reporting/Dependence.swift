import Domain
import Foundation
import Store

/// How much of the scope depends on one ultimate parent (`report --level vendor`).
public struct VendorDependence: Sendable, Encodable {
    /// The ultimate parent's catalogue id, or the vendor as the inventory names it.
    public var parent: String
    public var name: String
    /// The parent's country of control; nil when the catalogue does not know the vendor.
    public var country: String?
    public var countryName: String?
    /// The laws in the rule set that reach data held by the parent's companies.
    public var laws: [String]
    public var systems: Int
    public var criticalSystems: Int
    public var organisations: Int
    /// Ministry-level groups with a system of the parent (an organisation under no ministry counts as one).
    public var ministries: Int
    /// The parent's systems over all systems in scope, 0-1.
    public var shareOfSystems: Double
    /// The parent's high and critical systems over all of them in scope, 0-1.
    public var shareOfCritical: Double
    /// The criticality-weighted share of all systems in scope, 0-1: what rows are ranked by.
    public var dependence: Double
    public var users: Int
    public var spend: Report.Spend
    public var personalData: Report.PersonalData
    /// Criticality-weighted mean scores of the parent's systems.
    public var lockIn: Double
    public var jurisdiction: Double
    /// Of those means, the criticality-weighted mean points that open
    /// questions make up; nil when not recorded (a scan before schema v7).
    public var lockInUnknownPoints: Double?
    public var jurisdictionUnknownPoints: Double?

    enum CodingKeys: String, CodingKey {
        case parent, name, country
        case countryName = "country_name"
        case laws, systems
        case criticalSystems = "critical_systems"
        case organisations, ministries
        case shareOfSystems = "share_of_systems"
        case shareOfCritical = "share_of_critical"
        case dependence, users, spend
        case personalData = "personal_data"
        case lockIn = "lock_in"
        case jurisdiction
        case lockInUnknownPoints = "lock_in_unknown_points"
        case jurisdictionUnknownPoints = "jurisdiction_unknown_points"
    }

    /// The unknown points are `null` when not recorded, never left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parent, forKey: .parent)
        try container.encode(name, forKey: .name)
        try container.encode(country, forKey: .country)
        try container.encode(countryName, forKey: .countryName)
        try container.encode(laws, forKey: .laws)
        try container.encode(systems, forKey: .systems)
        try container.encode(criticalSystems, forKey: .criticalSystems)
        try container.encode(organisations, forKey: .organisations)
        try container.encode(ministries, forKey: .ministries)
        try container.encode(shareOfSystems, forKey: .shareOfSystems)
        try container.encode(shareOfCritical, forKey: .shareOfCritical)
        try container.encode(dependence, forKey: .dependence)
        try container.encode(users, forKey: .users)
        try container.encode(spend, forKey: .spend)
        try container.encode(personalData, forKey: .personalData)
        try container.encode(lockIn, forKey: .lockIn)
        try container.encode(jurisdiction, forKey: .jurisdiction)
        try container.encode(lockInUnknownPoints, forKey: .lockInUnknownPoints)
        try container.encode(jurisdictionUnknownPoints, forKey: .jurisdictionUnknownPoints)
    }
}

/// How much of the scope depends on parents controlled from one country (`report --level country`).
public struct CountryDependence: Sendable, Encodable {
    public struct Parent: Sendable, Encodable {
        public var parent: String
        public var name: String
        public var systems: Int
    }

    /// ISO 3166-1 alpha-2; nil for vendors whose country is unknown.
    public var country: String?
    public var name: String
    /// The bloc the country belongs to (`eu_eea`); nil when it stands alone.
    public var bloc: String?
    public var laws: [String]
    public var systems: Int
    public var criticalSystems: Int
    public var shareOfSystems: Double
    public var shareOfCritical: Double
    public var dependence: Double
    public var spend: Report.Spend
    /// The country's stated annual cost over all stated cost in scope, 0-1.
    public var shareOfSpend: Double
    public var personalData: Report.PersonalData
    /// The country's systems holding personal data over all such systems in scope, 0-1.
    public var shareOfPersonalData: Double
    /// The ultimate parents behind the figures, most systems first.
    public var parents: [Parent]

    enum CodingKeys: String, CodingKey {
        case country, name, bloc, laws, systems
        case criticalSystems = "critical_systems"
        case shareOfSystems = "share_of_systems"
        case shareOfCritical = "share_of_critical"
        case dependence, spend
        case shareOfSpend = "share_of_spend"
        case personalData = "personal_data"
        case shareOfPersonalData = "share_of_personal_data"
        case parents
    }
}

/// The vendor and country views, added up from the organisations' vendor
/// totals kept at scan time: a million systems are not read again.
struct DependenceBuilder {
    let totals: SnapshotTotals
    let tree: OrganisationTree
    /// The tallies of the scope's systems, all of them together.
    let scope: ScoreTally

    /// One vendor being gathered over the organisations in scope.
    private struct Gathering {
        var vendor: ScoreTally.Vendor
        var organisations = 0
        var ministries: Set<String> = []
    }

    private var gathered: [String: Gathering] {
        var vendors: [String: Gathering] = [:]
        for (organisation, tally) in totals.tallies where tree.scope.contains(organisation) {
            let ministry = tree.group(of: organisation, level: .ministry).id
            for (id, vendor) in tally.vendors {
                if vendors[id] == nil {
                    vendors[id] = Gathering(vendor: vendor)
                } else {
                    vendors[id]!.vendor.add(vendor)
                }
                vendors[id]!.organisations += 1
                vendors[id]!.ministries.insert(ministry)
            }
        }
        return vendors
    }

    func vendors() -> [VendorDependence] {
        gathered.map { id, gathering in
            let vendor = gathering.vendor, country = vendor.country.flatMap { totals.countries[$0] }
            return VendorDependence(
                parent: id, name: vendor.name, country: vendor.country, countryName: country?.name, laws: country?.laws.map(\.name) ?? [],
                systems: vendor.scores.systems, criticalSystems: vendor.exposure.criticalSystems,
                organisations: gathering.organisations, ministries: gathering.ministries.count,
                shareOfSystems: Self.share(vendor.scores.systems, of: scope.scores.systems),
                shareOfCritical: Self.share(vendor.exposure.criticalSystems, of: scope.exposure.criticalSystems),
                dependence: Self.share(vendor.scores.weight, of: scope.scores.weight), users: vendor.users,
                spend: Report.Spend(vendor.exposure, systems: vendor.scores.systems), personalData: Report.PersonalData(vendor.exposure),
                lockIn: ReportBuilder.mean(vendor.scores.lockInPoints, vendor.scores.weight),
                jurisdiction: ReportBuilder.mean(vendor.scores.jurisdictionPoints, vendor.scores.weight),
                lockInUnknownPoints: vendor.scores.lockInUnknownPoints.map { ReportBuilder.mean($0, vendor.scores.weight) },
                jurisdictionUnknownPoints: vendor.scores.jurisdictionUnknownPoints.map { ReportBuilder.mean($0, vendor.scores.weight) })
        }
    }

    func countries() -> [CountryDependence] {
        var byCountry: [String?: (tally: ScoreTally.Vendor, parents: [CountryDependence.Parent])] = [:]
        for (id, gathering) in gathered {
            let vendor = gathering.vendor, parent = CountryDependence.Parent(parent: id, name: vendor.name, systems: vendor.scores.systems)
            if byCountry[vendor.country] == nil {
                byCountry[vendor.country] = (vendor, [parent])
            } else {
                byCountry[vendor.country]!.tally.add(vendor)
                byCountry[vendor.country]!.parents.append(parent)
            }
        }
        return byCountry.map { code, gathered in
            let tally = gathered.tally, country = code.flatMap { totals.countries[$0] }
            return CountryDependence(
                country: code, name: country?.name ?? code ?? "unknown", bloc: country?.bloc, laws: country?.laws.map(\.name) ?? [],
                systems: tally.scores.systems, criticalSystems: tally.exposure.criticalSystems,
                shareOfSystems: Self.share(tally.scores.systems, of: scope.scores.systems),
                shareOfCritical: Self.share(tally.exposure.criticalSystems, of: scope.exposure.criticalSystems),
                dependence: Self.share(tally.scores.weight, of: scope.scores.weight),
                spend: Report.Spend(tally.exposure, systems: tally.scores.systems),
                shareOfSpend: Self.share(tally.exposure.annualCostCents, of: scope.exposure.annualCostCents),
                personalData: Report.PersonalData(tally.exposure),
                shareOfPersonalData: Self.share(tally.exposure.personalData, of: scope.exposure.personalData),
                parents: gathered.parents.sorted { ($1.systems, $0.parent) < ($0.systems, $1.parent) })
        }
    }

    static func share(_ part: Int, of whole: Int) -> Double {
        whole > 0 ? Double(part) / Double(whole) : 0
    }
}
