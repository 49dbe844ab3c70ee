import Catalogue
import Domain
import Foundation
import Inventory
import Reporting
import Scoring
import Store

/// What a cut-off scenario cuts off: a company (and every company it owns),
/// every company of a country, or every company an access law reaches.
public enum CutoffTarget: Sendable, Hashable {
    /// A vendor of the catalogue, by id, name or alias.
    case parent(String)
    /// An ISO 3166-1 alpha-2 code of the rule set.
    case country(String)
    /// A law id of the rule set (`us_cloud_act`).
    case law(String)
}

/// "What breaks if a vendor or a country cuts us off": the systems of a
/// snapshot that become unavailable, directly or through `depends_on`, and
/// per ministry and organisation the functions that stop.
public struct CutoffScenario: Sendable, Encodable {
    /// A target as resolved against the rule set.
    public struct Cut: Sendable, Encodable {
        /// `parent`, `country` or `law`.
        public var kind: String
        /// The catalogue id, country code or law id.
        public var id: String
        public var name: String
    }

    /// A system that becomes unavailable, and why.
    public struct AffectedSystem: Sendable, Encodable {
        public var organisation: String
        public var ministry: String
        public var system: String
        public var name: String
        public var function: String
        public var criticality: String
        public var users: Int?
        /// Whether it holds personal data (`data.personal`, or implied); nil when not stated.
        public var personalData: Bool?
        /// Whether a party cut off holds the data (its operator or hosting provider).
        public var dataWithPartyCutOff: Bool
        /// The parties cut off; empty when it fails only through a dependency.
        public var causes: [Cause]
        /// For a system that fails through `depends_on`: the chain of systems
        /// from it to one cut off directly (`org/system` ids).
        public var through: [String]
        public var exitPlan: Bool?
        public var substitutability: String?
        public var alternatives: [String]
        public var contractEnds: String?
        /// The last day to give notice: contract end less the notice period.
        public var actBy: String?

        enum CodingKeys: String, CodingKey {
            case organisation, ministry, system, name, function, criticality, users
            case personalData = "personal_data"
            case dataWithPartyCutOff = "data_with_party_cut_off"
            case causes, through
            case exitPlan = "exit_plan"
            case substitutability, alternatives
            case contractEnds = "contract_ends"
            case actBy = "act_by"
        }

        /// Absent answers are `null`, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(organisation, forKey: .organisation)
            try container.encode(ministry, forKey: .ministry)
            try container.encode(system, forKey: .system)
            try container.encode(name, forKey: .name)
            try container.encode(function, forKey: .function)
            try container.encode(criticality, forKey: .criticality)
            try container.encode(users, forKey: .users)
            try container.encode(personalData, forKey: .personalData)
            try container.encode(dataWithPartyCutOff, forKey: .dataWithPartyCutOff)
            try container.encode(causes, forKey: .causes)
            try container.encode(through, forKey: .through)
            try container.encode(exitPlan, forKey: .exitPlan)
            try container.encode(substitutability, forKey: .substitutability)
            try container.encode(alternatives, forKey: .alternatives)
            try container.encode(contractEnds, forKey: .contractEnds)
            try container.encode(actBy, forKey: .actBy)
        }
    }

    /// A party of a system that is cut off: which party, and the company of
    /// its chain that the cut-off names. JSON has it as one text,
    /// "vendor: Microsoft Corporation".
    public struct Cause: Sendable, Encodable, Equatable {
        public var role: PartyRole
        public var company: String

        /// "vendor: Microsoft Corporation", "Anbieter: Microsoft Corporation".
        public func text(in language: Language) -> String {
            "\(role.name(in: language)): \(company)"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text(in: .en))
        }
    }

    /// The one line for the reader in a hurry: nothing stops; systems fail
    /// but every function keeps one; or which functions stop, the critical
    /// ones first.
    public struct Verdict: Sendable {
        /// Where a function must keep a system: in the organisation itself, or
        /// (for a ministry or the whole scope) in each of its organisations.
        public enum Scope: Sendable {
            case organisation, itsOrganisations
        }

        public var failing: Int
        public var systems: Int
        public var scope: Scope
        public var critical: [String]
        public var others: [String]

        public func text(in language: Language) -> String {
            let stopped = critical.count + others.count
            guard stopped > 0 else {
                guard failing > 0 else { return language == .de ? "nichts fällt aus" : "nothing stops" }
                let failing = language.count(self.failing), systems = language.count(self.systems), one = self.failing == 1
                let place = switch (language, scope) {
                case (.en, .organisation): "in the organisation"
                case (.en, .itsOrganisations): "in its organisation"
                case (.de, .organisation): "in der Organisation"
                case (.de, .itsOrganisations): "in ihrer Organisation"
                }
                return switch language {
                case .en: "\(failing) of \(systems) system\(self.systems == 1 ? "" : "s") \(one ? "fails" : "fail"); every function keeps a system \(place)"
                case .de: "\(failing) von \(systems) \(self.systems == 1 ? "System" : "Systemen") \(one ? "fällt" : "fallen") aus; jede Funktion behält ein System \(place)"
                }
            }
            switch language {
            case .en:
                return "\(stopped) function\(stopped == 1 ? "" : "s") stop\(stopped == 1 ? "s" : "")"
                    + (critical.isEmpty ? "" : ", \(critical.count) critical: \(critical.joined(separator: ", "))")
                    + (others.isEmpty ? "" : (critical.isEmpty ? ": " : "; others: ") + others.joined(separator: ", "))
            case .de:
                return "\(stopped) \(stopped == 1 ? "Funktion fällt" : "Funktionen fallen") aus"
                    + (critical.isEmpty ? "" : ", \(critical.count) kritisch: \(critical.joined(separator: ", "))")
                    + (others.isEmpty ? "" : (critical.isEmpty ? ": " : "; weitere: ") + others.joined(separator: ", "))
            }
        }
    }

    /// What a ministry or an organisation loses.
    public struct Group: Sendable, Encodable {
        public var id: String
        public var name: String
        public var systems: Int
        public var affected: Int
        /// Of those affected, the high and critical ones.
        public var criticalAffected: Int
        public var usersAffected: Int
        /// Affected systems holding personal data (`data.personal` true) whose
        /// operator, hosting provider or a subprocessor is cut off.
        public var personalDataWithPartyCutOff: Int
        /// Functions an organisation has systems for and loses every one of
        /// (for a ministry: in at least one of its organisations).
        public var functionsStopped: [String]
        /// Of those, the functions with a high or critical system.
        public var criticalFunctionsStopped: [String]
        /// One line for the reader in a hurry; JSON has its English.
        public var verdict: Verdict

        enum CodingKeys: String, CodingKey {
            case id, name, systems, affected
            case criticalAffected = "critical_affected"
            case usersAffected = "users_affected"
            case personalDataWithPartyCutOff = "personal_data_with_party_cut_off"
            case functionsStopped = "functions_stopped"
            case criticalFunctionsStopped = "critical_functions_stopped"
            case verdict
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(systems, forKey: .systems)
            try container.encode(affected, forKey: .affected)
            try container.encode(criticalAffected, forKey: .criticalAffected)
            try container.encode(usersAffected, forKey: .usersAffected)
            try container.encode(personalDataWithPartyCutOff, forKey: .personalDataWithPartyCutOff)
            try container.encode(functionsStopped, forKey: .functionsStopped)
            try container.encode(criticalFunctionsStopped, forKey: .criticalFunctionsStopped)
            try container.encode(verdict.text(in: .en), forKey: .verdict)
        }
    }

    public var scan: Int64
    public var asOf: String
    public var under: String?
    public var cuts: [Cut]
    /// The companies of the scan's parties that the cut-off reaches, by name, with their countries.
    public var companiesCutOff: [String]
    public var totals: Group
    public var ministries: [Group]
    public var organisations: [Group]
    /// Affected systems: ministry, then organisation, then direct before dependent, then id.
    public var systems: [AffectedSystem]

    enum CodingKeys: String, CodingKey {
        case scan
        case asOf = "as_of"
        case under, cuts
        case companiesCutOff = "companies_cut_off"
        case totals, ministries, organisations, systems
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scan, forKey: .scan)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(under, forKey: .under)
        try container.encode(cuts, forKey: .cuts)
        try container.encode(companiesCutOff, forKey: .companiesCutOff)
        try container.encode(totals, forKey: .totals)
        try container.encode(ministries, forKey: .ministries)
        try container.encode(organisations, forKey: .organisations)
        try container.encode(systems, forKey: .systems)
    }
}

/// Works a cut-off out on a snapshot's inventory, with the parties resolved
/// through the rule set's catalogue and the snapshot's organisations.
public enum CutoffBuilder {
    /// The targets as the rule set knows them; an unknown one is an error with a suggestion.
    public static func resolve(_ targets: [CutoffTarget], in ruleSet: RuleSet) throws -> [CutoffScenario.Cut] {
        try targets.map { target in
            switch target {
            case .parent(let name):
                guard let vendor = ruleSet.vendors.vendor(named: name) else {
                    throw ReportError(description: "no vendor '\(name)' in the catalogue\(Suggestion.didYouMean(name, in: ruleSet.vendors.knownNames))")
                }
                return .init(kind: "parent", id: vendor.id, name: vendor.name)
            case .country(let code):
                guard let country = ruleSet.countries[code.uppercased()] else {
                    let byName = ruleSet.countries.values.first { ([$0.name] + $0.otherNames).contains { $0.lowercased() == code.lowercased() } }
                    let hint = byName.map { "; did you mean '\($0.code)' (\($0.name))?" } ?? Suggestion.didYouMean(code, in: ruleSet.countries.keys)
                    throw ReportError(description: "no country '\(code)' in the rule set: give an ISO 3166-1 alpha-2 code\(hint)")
                }
                return .init(kind: "country", id: country.code, name: country.name)
            case .law(let id):
                guard let law = ruleSet.laws[id] else {
                    throw ReportError(description: "no law '\(id)' in the rule set\(Suggestion.didYouMean(id, in: ruleSet.laws.keys))")
                }
                return .init(kind: "law", id: law.id, name: law.name)
            }
        }
    }

    public static func build(_ inventory: SnapshotInventory, organisations: [SnapshotContents.Organisation], ruleSet: RuleSet,
                             cuts: [CutoffScenario.Cut], under: String?) throws -> CutoffScenario {
        let tree = try OrganisationTree(organisations, scanID: inventory.scanID, under: under)
        let deriver = FactDeriver(ruleSet: ruleSet, organisations: inventory.organisations)
        let parents = Set(cuts.filter { $0.kind == "parent" }.map(\.id))
        let countries = Set(cuts.filter { $0.kind == "country" }.map(\.id))
        let laws = Set(cuts.filter { $0.kind == "law" }.map(\.id))
        func reached(_ link: ResolvedParty.Link) -> Bool {
            parents.contains(link.id) || countries.contains(link.country)
                || !laws.isDisjoint(with: ruleSet.countries[link.country]?.laws ?? [])
        }
        var resolved: [String: ResolvedParty] = [:]
        func party(_ name: String) -> ResolvedParty {
            if let known = resolved[name] { return known }
            let party = deriver.party(name, on: Day(iso: inventory.asOf))
            resolved[name] = party
            return party
        }
        /// The company of a party's chain the cut-off reaches, if any: "Microsoft Corporation (US)".
        func cutOff(_ chain: [ResolvedParty.Link]) -> String? {
            chain.first(where: reached).map { "\($0.name) (\($0.country))" }
        }
        var companies: Set<String> = []
        let entries = inventory.entries.filter { tree.scope.contains($0.organisation) }

        // Directly: a party of the system, or a listed subprocessor, is cut off.
        var direct: [String: [CutoffScenario.Cause]] = [:], dataHeld: Set<String> = []
        for entry in entries {
            let system = entry.system, key = "\(entry.organisation)/\(system.id)"
            var causes: [CutoffScenario.Cause] = []
            let onPremises = system.deployment == .onPremises
            let hosting = system.hosting.provider.map(party)
            let operatorParty = system.operatorName.map(party) ?? (onPremises ? nil : hosting)
            let parties: [(PartyRole, ResolvedParty?, Bool)] = [
                (.vendor, party(system.vendor), false), (.operator, operatorParty, true), (.hostingProvider, hosting, true),
            ]
            for (role, resolvedParty, holdsData) in parties {
                guard let resolvedParty, let company = cutOff(resolvedParty.chain) else { continue }
                causes.append(.init(role: role, company: company))
                companies.insert(company)
                if holdsData { dataHeld.insert(key) }
            }
            for subprocessor in system.subprocessors {
                let chain = party(subprocessor.name).chain
                let links = chain.isEmpty ? subprocessor.country.map { [ResolvedParty.Link(id: subprocessor.name, name: subprocessor.name, country: $0)] } ?? [] : chain
                guard let company = cutOff(links) else { continue }
                causes.append(.init(role: .subprocessor, company: company))
                companies.insert(company)
                dataHeld.insert(key)
            }
            if !causes.isEmpty { direct[key] = causes }
        }

        // Through depends_on, within each organisation: a system fails when
        // one it depends on fails; `through` is the shortest such chain.
        var through: [String: [String]] = [:]
        let byOrganisation = Dictionary(grouping: entries, by: \.organisation)
        for (organisation, members) in byOrganisation {
            var dependents: [String: [String]] = [:]
            for member in members {
                for dependency in member.system.dependsOn { dependents[dependency, default: []].append(member.system.id) }
            }
            var queue = members.map(\.system.id).filter { direct["\(organisation)/\($0)"] != nil }
            var paths = Dictionary(uniqueKeysWithValues: queue.map { ($0, [String]()) })
            var index = 0
            while index < queue.count {
                let failed = queue[index]
                index += 1
                for dependent in dependents[failed] ?? [] where paths[dependent] == nil {
                    paths[dependent] = [failed] + paths[failed]!
                    queue.append(dependent)
                }
            }
            for (system, path) in paths where !path.isEmpty && direct["\(organisation)/\(system)"] == nil {
                through["\(organisation)/\(system)"] = path.map { "\(organisation)/\($0)" }
            }
        }

        var affected: [CutoffScenario.AffectedSystem] = []
        for entry in entries {
            let system = entry.system, key = "\(entry.organisation)/\(system.id)"
            guard direct[key] != nil || through[key] != nil else { continue }
            let contract = system.contract
            affected.append(.init(
                organisation: entry.organisation, ministry: tree.group(of: entry.organisation, level: .ministry).id, system: system.id,
                name: system.name, function: system.function, criticality: system.criticality.rawValue, users: system.users,
                personalData: system.data.holdsPersonalData, dataWithPartyCutOff: dataHeld.contains(key), causes: direct[key] ?? [],
                through: through[key] ?? [], exitPlan: contract?.exitPlan, substitutability: system.substitutability?.rawValue,
                alternatives: system.alternatives, contractEnds: contract?.ends?.description,
                actBy: contract?.ends.map { $0.adding(months: -(contract?.noticeMonths ?? 0)).description }))
        }
        affected.sort {
            ($0.ministry, $0.organisation, $0.causes.isEmpty ? 1 : 0, $0.system) < ($1.ministry, $1.organisation, $1.causes.isEmpty ? 1 : 0, $1.system)
        }

        // Per organisation, the functions that lose every system; per ministry, those of its organisations.
        var lost: [String: (all: Set<String>, critical: Set<String>)] = [:]
        for (organisation, members) in byOrganisation {
            let functions = Dictionary(grouping: members, by: \.system.function)
            for (function, systems) in functions where systems.allSatisfy({ direct["\(organisation)/\($0.system.id)"] != nil || through["\(organisation)/\($0.system.id)"] != nil }) {
                lost[organisation, default: ([], [])].all.insert(function)
                if systems.contains(where: { $0.system.criticality.weight >= Criticality.high.weight }) {
                    lost[organisation, default: ([], [])].critical.insert(function)
                }
            }
        }
        func group(id: String, name: String, members: [SnapshotInventory.Entry], stopped: (all: Set<String>, critical: Set<String>),
                   in scope: CutoffScenario.Verdict.Scope) -> CutoffScenario.Group {
            let hit = members.filter { direct["\($0.organisation)/\($0.system.id)"] != nil || through["\($0.organisation)/\($0.system.id)"] != nil }
            let critical = stopped.critical.sorted()
            let verdict = CutoffScenario.Verdict(failing: hit.count, systems: members.count, scope: scope, critical: critical,
                                                 others: stopped.all.subtracting(stopped.critical).sorted())
            return .init(id: id, name: name, systems: members.count, affected: hit.count,
                         criticalAffected: hit.count { $0.system.criticality.weight >= Criticality.high.weight },
                         usersAffected: hit.reduce(0) { $0 + ($1.system.users ?? 0) },
                         personalDataWithPartyCutOff: hit.count { $0.system.data.holdsPersonalData == true && dataHeld.contains("\($0.organisation)/\($0.system.id)") },
                         functionsStopped: stopped.all.sorted(), criticalFunctionsStopped: critical, verdict: verdict)
        }
        let organisationGroups = byOrganisation.keys.sorted().map { id in
            group(id: id, name: tree.name(of: id), members: byOrganisation[id]!, stopped: lost[id] ?? ([], []), in: .organisation)
        }
        let byMinistry = Dictionary(grouping: entries) { tree.group(of: $0.organisation, level: .ministry).id }
        let ministryGroups = byMinistry.keys.sorted().map { id in
            let stopped = byMinistry[id]!.map(\.organisation).reduce(into: (all: Set<String>(), critical: Set<String>())) { result, organisation in
                result.all.formUnion(lost[organisation]?.all ?? [])
                result.critical.formUnion(lost[organisation]?.critical ?? [])
            }
            return group(id: id, name: tree.name(of: id), members: byMinistry[id]!, stopped: stopped, in: .itsOrganisations)
        }
        let totalStopped = lost.values.reduce(into: (all: Set<String>(), critical: Set<String>())) {
            $0.all.formUnion($1.all)
            $0.critical.formUnion($1.critical)
        }
        let totals = group(id: under ?? "all", name: under.map(tree.name(of:)) ?? "all organisations", members: entries, stopped: totalStopped,
                           in: .itsOrganisations)
        return CutoffScenario(scan: inventory.scanID, asOf: inventory.asOf, under: under, cuts: cuts, companiesCutOff: companies.sorted(),
                              totals: totals, ministries: ministryGroups, organisations: organisationGroups, systems: affected)
    }
}
