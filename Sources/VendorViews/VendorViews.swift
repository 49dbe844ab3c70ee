import Catalogue
import Domain
import Inventory
import Scoring
import Store

/// The vendor catalogue as a user asks it (`sovscan vendors`): every vendor
/// with its country and ultimate parent, one vendor whole, and the names
/// inventories write that nothing resolves.
public struct VendorList: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var id: String
        public var name: String
        public var country: String
        /// The direct parent today, and the day it took control.
        public var parent: String?
        public var since: String?
        /// `ownership` or `financial`; nil without a parent.
        public var control: String?
        /// The top of its ownership chain today (itself when it has no owner).
        public var ultimateParent: String
        public var countryOfControl: String
        public var lei: String?
        public var aliases: [String]
        /// The local vendors file and line, for an entry that comes from one.
        public var localFile: String?

        enum CodingKeys: String, CodingKey {
            case id, name, country, parent, since, control
            case ultimateParent = "ultimate_parent"
            case countryOfControl = "country_of_control"
            case lei, aliases
            case localFile = "local_file"
        }

        /// Absent answers are `null`, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(country, forKey: .country)
            try container.encode(parent, forKey: .parent)
            try container.encode(since, forKey: .since)
            try container.encode(control, forKey: .control)
            try container.encode(ultimateParent, forKey: .ultimateParent)
            try container.encode(countryOfControl, forKey: .countryOfControl)
            try container.encode(lei, forKey: .lei)
            try container.encode(aliases, forKey: .aliases)
            try container.encode(localFile, forKey: .localFile)
        }
    }

    /// The rule set, as "name version".
    public var ruleSet: String
    public var localVendors: String?
    /// `--country`, when given.
    public var country: String?
    public var vendors: [Row]

    enum CodingKeys: String, CodingKey {
        case ruleSet = "rule_set"
        case localVendors = "local_vendors"
        case country, vendors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ruleSet, forKey: .ruleSet)
        try container.encode(localVendors, forKey: .localVendors)
        try container.encode(country, forKey: .country)
        try container.encode(vendors, forKey: .vendors)
    }
}

/// One vendor whole: its chain to the ultimate parent with dates, the laws
/// that reach it, its sources, and the systems of a scan that use it.
public struct VendorDetail: Sendable, Encodable {
    public struct Company: Sendable, Encodable {
        public var id: String
        public var name: String
        public var country: String
        /// The day it took control of the company before it in the chain.
        public var since: String?
        /// The access laws of the rule set that reach it through its country.
        public var laws: [String]
        public var sources: [Source]
        public var localFile: String?

        enum CodingKeys: String, CodingKey {
            case id, name, country, since, laws, sources
            case localFile = "local_file"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(country, forKey: .country)
            try container.encode(since, forKey: .since)
            try container.encode(laws, forKey: .laws)
            try container.encode(sources, forKey: .sources)
            try container.encode(localFile, forKey: .localFile)
        }
    }

    public struct Source: Sendable, Encodable {
        public var title: String
        public var url: String
        public var date: String
    }

    /// A parent the vendor had before.
    public struct EarlierParent: Sendable, Encodable {
        public var id: String
        public var name: String
        public var since: String?
        public var until: String
    }

    /// A system of the scan that names the vendor, or a company it owns, as a party.
    public struct Use: Sendable, Encodable {
        public var organisation: String
        public var system: String
        public var name: String
        public var criticality: String
        /// `vendor`, `operator`, `hosting provider`.
        public var roles: [String]
        /// The name as the inventory writes it.
        public var writtenAs: String

        enum CodingKeys: String, CodingKey {
            case organisation, system, name, criticality, roles
            case writtenAs = "written_as"
        }
    }

    /// The name asked for, as given.
    public var asked: String
    public var id: String
    public var name: String
    public var aliases: [String]
    public var lei: String?
    /// The vendor and its owners today, up to the ultimate parent.
    public var chain: [Company]
    public var earlierParents: [EarlierParent]
    /// The financial investor controlling the ultimate parent, with its owners.
    public var investor: [Company]
    public var countryOfControl: String
    /// Every access law that reaches a company of the chain.
    public var laws: [String]
    /// The scan whose systems are listed; nil without a database.
    public var scan: Int64?
    public var usedBy: [Use]?

    enum CodingKeys: String, CodingKey {
        case asked, id, name, aliases, lei, chain
        case earlierParents = "earlier_parents"
        case investor
        case countryOfControl = "country_of_control"
        case laws, scan
        case usedBy = "used_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(asked, forKey: .asked)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(aliases, forKey: .aliases)
        try container.encode(lei, forKey: .lei)
        try container.encode(chain, forKey: .chain)
        try container.encode(earlierParents, forKey: .earlierParents)
        try container.encode(investor, forKey: .investor)
        try container.encode(countryOfControl, forKey: .countryOfControl)
        try container.encode(laws, forKey: .laws)
        try container.encode(scan, forKey: .scan)
        try container.encode(usedBy, forKey: .usedBy)
    }
}

/// The names inventories write for a vendor, operator or hosting provider
/// that neither the catalogue nor the organisations resolve, most weight first.
public struct UnresolvedNames: Sendable, Encodable {
    public struct Name: Sendable, Encodable {
        public var name: String
        /// Systems that name it, in any role.
        public var systems: Int
        /// Of those, the high and critical ones.
        public var criticalSystems: Int
        /// The sum of their criticality weights (low 1 … critical 4): the rank.
        public var weight: Int
        public var roles: [String]
        /// Where it is first written: `file:line:column` for inventories
        /// read, `organisation/system` for a stored scan.
        public var firstAt: String
        /// The nearest names the catalogue knows, with their vendor ids.
        public var suggestions: [String]
        /// An entry to fill in and add to the local vendors file.
        public var stanza: String

        enum CodingKeys: String, CodingKey {
            case name, systems
            case criticalSystems = "critical_systems"
            case weight, roles
            case firstAt = "first_at"
            case suggestions, stanza
        }
    }

    /// What was read: the paths, or "scan N".
    public var source: String
    /// The scan read, when it was one (for a renderer to name it in its language; JSON has `source`).
    public var scan: Int64?
    public var systems: Int
    /// Systems naming at least one unresolved party.
    public var systemsAffected: Int
    public var names: [Name]

    enum CodingKeys: String, CodingKey {
        case source, systems
        case systemsAffected = "systems_affected"
        case names
    }
}

public enum VendorViews {
    public static func list(_ ruleSet: RuleSet, country: String?) -> VendorList {
        let directory = ruleSet.vendors
        let rows = directory.vendors.values.filter { country == nil || $0.country == country }.sorted { $0.id < $1.id }.map { vendor in
            let top = directory.ultimateParent(of: vendor), link = vendor.parent(on: nil)
            return VendorList.Row(id: vendor.id, name: vendor.name, country: vendor.country, parent: link?.id, since: link?.since?.description,
                                  control: link?.control.rawValue, ultimateParent: top.id, countryOfControl: top.country, lei: vendor.lei,
                                  aliases: vendor.aliases, localFile: vendor.localFile)
        }
        return VendorList(ruleSet: "\(ruleSet.name) \(ruleSet.version)", localVendors: ruleSet.localVendors, country: country, vendors: rows)
    }

    /// One vendor, by id, name or alias as an inventory writes it; with the
    /// systems of `inventory` that use it or a company it owns, when given.
    public static func show(_ name: String, in ruleSet: RuleSet, inventory: SnapshotInventory?) -> VendorDetail? {
        let directory = ruleSet.vendors
        guard let vendor = directory.vendor(named: name) else { return nil }
        let laws = { (country: String) in (ruleSet.countries[country]?.laws ?? []).compactMap { ruleSet.laws[$0]?.name } }
        let company = { (link: (vendor: Vendor, since: Day?)) in
            VendorDetail.Company(id: link.vendor.id, name: link.vendor.name, country: link.vendor.country, since: link.since?.description,
                                 laws: laws(link.vendor.country),
                                 sources: link.vendor.sources.map { .init(title: $0.title, url: $0.url, date: $0.date.description) },
                                 localFile: link.vendor.localFile)
        }
        let chain = directory.ownershipChain(of: vendor)
        let investor = directory.financialController(ofTop: chain.last!.vendor)?.map(company) ?? []
        var allLaws: [String] = []
        for link in chain + (directory.financialController(ofTop: chain.last!.vendor) ?? []) {
            for law in laws(link.vendor.country) where !allLaws.contains(law) { allLaws.append(law) }
        }
        var uses: [VendorDetail.Use]?
        if let inventory {
            let deriver = FactDeriver(ruleSet: ruleSet, organisations: inventory.organisations)
            let asOf = Day(iso: inventory.asOf)
            var reaches: [String: Bool] = [:]
            func reached(_ name: String) -> Bool {
                if let known = reaches[name] { return known }
                let found = deriver.party(name, on: asOf).chain.contains { $0.id == vendor.id }
                reaches[name] = found
                return found
            }
            uses = inventory.entries.compactMap { entry in
                let system = entry.system
                let named = [("vendor", system.vendor), ("operator", system.operatorName), ("hosting provider", system.hosting.provider)]
                    .compactMap { role, name in name.flatMap { reached($0) ? (role, $0) : nil } }
                guard let first = named.first else { return nil }
                return VendorDetail.Use(organisation: entry.organisation, system: system.id, name: system.name, criticality: system.criticality.rawValue,
                                        roles: named.map(\.0), writtenAs: first.1)
            }
        }
        return VendorDetail(
            asked: name, id: vendor.id, name: vendor.name, aliases: vendor.aliases, lei: vendor.lei, chain: chain.map(company),
            earlierParents: vendor.earlierParents.map { .init(id: $0.parent, name: directory.vendors[$0.parent]?.name ?? $0.parent,
                                                              since: $0.since?.description, until: $0.until.description) },
            investor: investor, countryOfControl: chain.last!.vendor.country, laws: allLaws, scan: inventory?.scanID, usedBy: uses)
    }

    /// The unresolved names of `systems`, each with its organisation (for
    /// the as-of date and the place it is written).
    public static func unresolved(_ systems: [(organisation: Organisation, system: System)], organisations: [Organisation], ruleSet: RuleSet,
                                  source: String, scanDate: Day, placesInFiles: Bool) -> UnresolvedNames {
        let deriver = FactDeriver(ruleSet: ruleSet, organisations: organisations)
        var names: [String: UnresolvedNames.Name] = [:]
        var order: [String] = []
        var affected = 0
        var known: [String: Bool] = [:]
        for (organisation, system) in systems {
            var counted: Set<String> = []
            for (role, field, name) in [("vendor", "vendor", system.vendor), ("operator", "operator", system.operatorName),
                                        ("hosting provider", "hosting.provider", system.hosting.provider)] {
                guard let name else { continue }
                let resolves = known[name] ?? (deriver.party(name, on: organisation.asOf ?? scanDate).id != nil)
                known[name] = resolves
                guard !resolves else { continue }
                if names[name] == nil {
                    order.append(name)
                    let location = system.fieldLocations[field] ?? system.location
                    let nearest = Suggestion.nearest(to: name, in: ruleSet.vendors.knownNames)
                    names[name] = .init(
                        name: name, systems: 0, criticalSystems: 0, weight: 0, roles: [],
                        firstAt: placesInFiles ? "\(organisation.file):\(location.line):\(location.column)" : "\(organisation.id)/\(system.id)",
                        suggestions: nearest.flatMap { near in ruleSet.vendors.vendor(named: near).map { "\($0.name) (\($0.id))" } }.map { [$0] } ?? [],
                        stanza: stanza(name, id: ruleSet.vendors.suggestedID(for: name)))
                }
                if !names[name]!.roles.contains(role) { names[name]!.roles.append(role) }
                if counted.insert(name).inserted {
                    names[name]!.systems += 1
                    names[name]!.weight += system.criticality.weight
                    if system.criticality.weight >= Criticality.high.weight { names[name]!.criticalSystems += 1 }
                }
            }
            if !counted.isEmpty { affected += 1 }
        }
        let ranked = order.compactMap { names[$0] }.sorted { ($1.weight, $1.systems, $0.name) < ($0.weight, $0.systems, $1.name) }
        return UnresolvedNames(source: source, systems: systems.count, systemsAffected: affected, names: ranked)
    }

    /// An entry of the catalogue's format for a name to look up: the country
    /// and the source are to be filled in (`XX` is no country, so an entry
    /// pasted unedited is refused at its line).
    static func stanza(_ name: String, id: String) -> String {
        let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return """
              - id: \(id)
                name: \(quoted)
                aliases: []
                country: XX  # the ISO 3166-1 alpha-2 code of its headquarters
                source: {title: "where the name and country are stated", url: "https://…", date: YYYY-MM-DD}

            """
    }
}
