import Catalogue
import Domain
import Inventory
import YAMLReading

/// The value of one fact about a system: a word from a closed list, a number
/// (nil when unknown), or a list of words.
public enum FactValue: Sendable, Hashable, CustomStringConvertible {
    case word(String)
    case number(Int?)
    case list([String])

    public var description: String {
        switch self {
        case .word(let word): word
        case .number(let number): number.map(String.init) ?? "unknown"
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        }
    }
}

/// What the rules may ask about a system: every fact's name, and the words
/// it takes (empty for numbers, lists and open vocabularies).
enum FactVocabulary {
    enum Kind: Sendable { case word, number, list }

    static let jurisdictions = ["domestic", "same_bloc", "adequate", "foreign", "unknown"]
    static let triState = ["yes", "no", "unknown"]

    static let facts: [String: (kind: Kind, values: [String])] = {
        var facts: [String: (Kind, [String])] = [:]
        for party in ["vendor", "operator", "hosting"] {
            facts["\(party).jurisdiction"] = (.word, jurisdictions)
            facts["\(party).country"] = (.word, [])
            facts["\(party).laws"] = (.list, [])
            facts["\(party).chain_countries"] = (.list, [])
            facts["\(party).investor_jurisdiction"] = (.word, jurisdictions.filter { $0 != "unknown" } + ["none"])
        }
        for place in ["data_location", "processing_location", "support_access", "subprocessors"] {
            facts["\(place).outside_bloc"] = (.word, triState)
        }
        facts["data.personal"] = (.word, triState)
        facts["data.special_categories"] = (.word, triState)
        facts["data.classification"] = (.word, Classification.allCases.map(\.rawValue))
        facts["deployment"] = (.word, Deployment.allCases.map(\.rawValue))
        facts["telemetry"] = (.word, Telemetry.allCases.map(\.rawValue))
        facts["encryption_keys"] = (.word, KeyHolder.allCases.map(\.rawValue))
        facts["export"] = (.word, ExportAbility.allCases.map(\.rawValue))
        facts["substitutability"] = (.word, Substitutability.allCases.map(\.rawValue))
        facts["licence"] = (.word, ["open", "proprietary"])
        facts["formats"] = (.word, ["open", "proprietary", "unknown"])
        facts["interfaces"] = (.word, ["open", "proprietary", "unknown"])
        facts["contract.exit_plan"] = (.word, triState)
        facts["contract.notice_months"] = (.number, [])
        facts["contract.remaining_months"] = (.number, [])
        facts["contract.stated"] = (.word, ["yes", "no"])
        facts["coupling.same_vendor"] = (.number, [])
        facts["unknown_answers"] = (.number, [])
        facts["criticality"] = (.word, Criticality.allCases.map(\.rawValue))
        facts["function"] = (.word, [])
        return facts
    }()

    /// Formats that are open standards; OOXML and vendor formats are not.
    static let openFormats: Set<String> = [
        "odf", "pdf", "pdf_a", "csv", "xml", "json", "ics", "vcard", "html", "markdown", "txt", "rtf", "eml", "mbox",
        "sql", "geojson", "gml", "xoev", "xjustiz", "xta", "tiff", "png", "jpeg", "zip", "sqlite", "parquet",
    ]
    /// Interfaces that are vendor-controlled rather than open protocols.
    static let proprietaryInterfaces: Set<String> = ["graph_api", "ews", "mapi", "rfc", "bapi", "idoc", "none", "activesync"]
}

extension FactVocabulary {
    /// Every fact's name, in a fixed order: a fact's index into `Facts`.
    public static let names: [String] = facts.keys.sorted()
    static let indices: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    public static func index(of name: String) -> Int? {
        indices[name]
    }
}

/// The facts of one system, by index (see `FactVocabulary.names`): rules test
/// them a hundred thousand times per scan, so they are an array, not a dictionary.
public struct Facts: Sendable, Hashable {
    private var values: [FactValue]
    /// Which open questions take their answer from another's (OpenQuestions.swift).
    var following = FollowingQuestions()
    /// Whether data.personal is left out where special categories imply it (OpenQuestions.swift).
    var personalImplied = false

    init() {
        values = Array(repeating: .word("unknown"), count: FactVocabulary.names.count)
    }

    public subscript(index: Int) -> FactValue {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// By name, for people and tests; nil for a name that is no fact.
    public subscript(name: String) -> FactValue? {
        FactVocabulary.index(of: name).map { values[$0] }
    }

    /// `name=value` for every fact, for messages.
    public var description: String {
        zip(FactVocabulary.names, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}

/// A party of a system (vendor, operator, hosting provider) as the catalogue
/// and the scan know it.
public struct ResolvedParty: Sendable, Hashable {
    /// A company of a party's chain: the named one, its owners, or an investor.
    public struct Link: Sendable, Hashable {
        public var id: String
        public var name: String
        public var country: String
        /// The day this company took control of the one before it in the
        /// chain (or, for an investor, of the ultimate parent), when dated.
        public var since: Day?
        /// The local vendors file and line the company's entry comes from;
        /// nil for the rule set's catalogue.
        public var localFile: String?

        public init(id: String, name: String, country: String, since: Day? = nil, localFile: String? = nil) {
            self.id = id
            self.name = name
            self.country = country
            self.since = since
            self.localFile = localFile
        }

        init(_ company: (vendor: Vendor, since: Day?)) {
            self.init(id: company.vendor.id, name: company.vendor.name, country: company.vendor.country, since: company.since,
                      localFile: company.vendor.localFile)
        }
    }

    /// The ultimate parent's vendor id, or the organisation's id when the
    /// party is an organisation of the scan; nil when unknown.
    public var id: String?
    public var name: String?
    /// The country of control: the ultimate parent's.
    public var country: String?
    /// Whether the catalogue knows it: then no organisation of the scan can
    /// change what it resolves to.
    public var fromCatalogue = false
    /// The company named and the companies that own it, up to the ultimate
    /// parent (the last); empty when unknown. Each is under its own
    /// country's law.
    public var chain: [Link] = []
    /// The financial investor controlling the ultimate parent, with its own
    /// owners; empty when there is none (catalogue `control: financial`).
    public var investor: [Link] = []
    /// The countries of `chain`, in its order (the fact `<party>.chain_countries`).
    var chainCountries: [String] = []

    /// An organisation of the scan (or the system's own organisation).
    init(_ organisation: Organisation) {
        id = organisation.id
        name = organisation.name
        country = organisation.country
        chain = [Link(id: organisation.id, name: organisation.name, country: organisation.country)]
        chainCountries = [organisation.country]
    }

    /// A vendor of the catalogue, followed up its ownership chain as it
    /// stood on `day` (today's when nil).
    init(_ vendor: Vendor, in directory: VendorDirectory, on day: Day?) {
        let owners = directory.ownershipChain(of: vendor, on: day)
        let links = owners.map(Link.init)
        let top = links.last!
        id = top.id
        name = top.name
        country = top.country
        fromCatalogue = true
        chain = links
        chainCountries = links.map(\.country)
        investor = directory.financialController(ofTop: owners.last!.vendor, on: day)?.map(Link.init) ?? []
    }

    init(name: String? = nil) {
        self.name = name
    }
}

/// The parties the systems of one organisation name, each name resolved
/// once: an organisation names a few dozen parties a thousand times.
public struct NamedParties: Sendable {
    public private(set) var byName: [String: ResolvedParty] = [:]
    /// The organisation itself, the operator and hosting provider of what it runs on premises.
    let home: ResolvedParty

    init(_ systems: [System], of organisation: Organisation, on day: Day, deriver: FactDeriver) {
        home = ResolvedParty(organisation)
        for system in systems {
            for name in [system.vendor, system.operatorName, system.hosting.provider] {
                guard let name, byName[name] == nil else { continue }
                byName[name] = deriver.party(name, on: day)
            }
        }
    }

    public subscript(name: String) -> ResolvedParty {
        byName[name] ?? ResolvedParty(name: name)
    }
}

/// The facts of every system, derived relative to its organisation.
public struct FactDeriver: Sendable {
    /// The parts of the rule set it uses, not the whole (a deriver is copied
    /// as it is handed around, and each part copied is a reference counted).
    private let vendors: VendorDirectory
    private let countries: [String: Country]
    /// Organisations of the scan by lower-cased id, and by lower-cased name
    /// (of two with the same name, the one with the smaller id), for parties
    /// that are organisations of the scan (a municipal IT service provider).
    /// Neither depends on the order in which organisations were added.
    private var organisationsByID: [String: Organisation] = [:]
    private var organisationsByName: [String: Organisation] = [:]

    public init(ruleSet: RuleSet, organisations: [Organisation]) {
        vendors = ruleSet.vendors
        countries = ruleSet.countries
        for organisation in organisations { add(organisation) }
    }

    public mutating func add(_ organisation: Organisation) {
        organisationsByID[organisation.id.lowercased()] = organisation
        let name = organisation.name.lowercased()
        if let other = organisationsByName[name], other.id < organisation.id {
            // The same name twice: the smaller id keeps it, whichever came first.
        } else {
            organisationsByName[name] = organisation
        }
    }

    /// The parties `systems` of `organisation` name, each resolved once,
    /// with the ownership of `day` (the organisation's as-of date).
    public func parties(namedBy systems: [System], of organisation: Organisation, on day: Day) -> NamedParties {
        NamedParties(systems, of: organisation, on: day, deriver: self)
    }

    /// Whether a name as written is known, to the catalogue or as an organisation of the scan.
    public func knows(_ name: String) -> Bool {
        party(name).id != nil
    }

    /// Resolves a name as written to the catalogue's ultimate parent (with
    /// the ownership of `day`; today's when nil), else to an organisation
    /// of the scan by id, else by name.
    public func party(_ name: String?, on day: Day? = nil) -> ResolvedParty {
        guard let name else { return ResolvedParty() }
        if let vendor = vendors.vendor(named: name) {
            return ResolvedParty(vendor, in: vendors, on: day)
        }
        let key = name.lowercased()
        if let organisation = organisationsByID[key] ?? organisationsByName[key] {
            return ResolvedParty(organisation)
        }
        return ResolvedParty(name: name)
    }

    private func bloc(of country: String) -> String {
        countries[country]?.jurisdiction ?? country
    }

    /// The jurisdictions of a company's country seen from an organisation, from least to most foreign.
    private static let jurisdictionOrder = ["domestic", "same_bloc", "adequate", "foreign"]

    /// `home` is the bloc of the organisation's country.
    private func jurisdictionRank(of country: String, for organisation: Organisation, home: String) -> Int {
        if country == organisation.country { return 0 }
        if bloc(of: country) == home { return 1 }
        if countries[country]?.adequacy?.scope == .full { return 2 }
        return 3
    }

    /// The most foreign jurisdiction among the companies of a chain: each
    /// is under its own country's law, whoever owns it; `unknown` for none.
    private func jurisdiction(of chain: [ResolvedParty.Link], for organisation: Organisation, home: String, none: String = "unknown") -> String {
        guard !chain.isEmpty else { return none }
        let rank = chain.reduce(0) { max($0, jurisdictionRank(of: $1.country, for: organisation, home: home)) }
        return Self.jurisdictionOrder[rank]
    }

    /// The access laws that reach any company of a chain, other than those
    /// of the organisation's own country.
    private func laws(of chain: [ResolvedParty.Link], for organisation: Organisation) -> [String] {
        // Most chains are one company, or companies of one country: that country's list, shared.
        if let first = chain.first, chain.allSatisfy({ $0.country == first.country }) {
            return first.country == organisation.country ? [] : countries[first.country]?.laws ?? []
        }
        var laws: [String] = []
        for link in chain where link.country != organisation.country {
            for law in countries[link.country]?.laws ?? [] where !laws.contains(law) { laws.append(law) }
        }
        return laws
    }

    /// Whether any place lies outside `home`, the organisation's bloc; `EU` is inside the EU/EEA.
    private func outside(_ places: [String]?, home: String) -> String {
        guard let places, !places.isEmpty else { return "unknown" }
        let outside = places.contains { place in
            place == "EU" ? home != "eu_eea" : bloc(of: place) != home
        }
        return outside ? "yes" : "no"
    }

    private static func triState(_ value: Bool?) -> String {
        value.map { $0 ? "yes" : "no" } ?? "unknown"
    }

    /// The facts of `system` of `organisation`, as of `asOf`; `coupling` is
    /// the number of systems linked by `depends_on` with the same vendor parent.
    public func facts(of system: System, in organisation: Organisation, asOf: Day, coupling: Int, parties: NamedParties) -> Facts {
        var facts = Facts()
        let onPremises = system.deployment == .onPremises
        let home = bloc(of: organisation.country)
        let vendor = parties[system.vendor]
        let operatorParty = system.operatorName.map { parties[$0] }
            ?? (onPremises ? parties.home : system.hosting.provider.map { parties[$0] } ?? ResolvedParty())
        let hosting = system.hosting.provider.map { parties[$0] }
            ?? (onPremises ? parties.home : ResolvedParty())
        // Each party in turn, read in place (no list of copies for every system).
        func set(_ slots: FactSlots.Party, _ resolved: borrowing ResolvedParty) {
            facts[slots.jurisdiction] = .word(jurisdiction(of: resolved.chain, for: organisation, home: home))
            facts[slots.country] = .word(resolved.country ?? "unknown")
            facts[slots.laws] = .list(laws(of: resolved.chain, for: organisation))
            facts[slots.chainCountries] = .list(resolved.chainCountries)
            facts[slots.investorJurisdiction] = .word(jurisdiction(of: resolved.investor, for: organisation, home: home, none: "none"))
        }
        set(Self.slot.vendor, vendor)
        set(Self.slot.operator, operatorParty)
        set(Self.slot.hosting, hosting)
        let homePlaces: [String]? = onPremises ? [organisation.country] : nil
        let dataLocation = system.hosting.dataLocation ?? homePlaces
        facts[Self.slot.data_location_outside_bloc] = .word(outside(dataLocation, home: home))
        facts[Self.slot.processing_location_outside_bloc] = .word(outside(system.hosting.processingLocation ?? dataLocation, home: home))
        facts[Self.slot.support_access_outside_bloc] = .word(outside(system.hosting.supportAccess ?? (onPremises ? homePlaces : nil), home: home))
        let subprocessorCountries: [String]? = system.subprocessors.isEmpty
            ? (onPremises ? homePlaces : nil)
            : (system.subprocessors.contains { $0.country == nil } ? nil : system.subprocessors.compactMap(\.country))
        facts[Self.slot.subprocessors_outside_bloc] = .word(outside(subprocessorCountries, home: home))
        facts[Self.slot.data_personal] = .word(Self.triState(system.data.holdsPersonalData))
        facts[Self.slot.data_special_categories] = .word(Self.triState(system.data.holdsSpecialCategories))
        facts[Self.slot.data_classification] = .word((system.data.classification ?? .none).rawValue)
        facts[Self.slot.deployment] = .word(system.deployment.rawValue)
        facts[Self.slot.telemetry] = .word((system.telemetry ?? .unknown).rawValue)
        facts[Self.slot.encryption_keys] = .word((system.encryptionKeys ?? .unknown).rawValue)
        facts[Self.slot.export] = .word((system.export ?? .unknown).rawValue)
        facts[Self.slot.substitutability] = .word((system.substitutability ?? .unknown).rawValue)
        facts[Self.slot.licence] = .word(system.licence == "proprietary" ? "proprietary" : "open")
        facts[Self.slot.formats] = .word(system.formats.map { $0.contains(where: FactVocabulary.openFormats.contains) ? "open" : "proprietary" } ?? "unknown")
        facts[Self.slot.interfaces] = .word(system.interfaces.map { $0.contains { !FactVocabulary.proprietaryInterfaces.contains($0) } ? "open" : "proprietary" } ?? "unknown")
        facts[Self.slot.contract_exit_plan] = .word(Self.triState(system.contract?.exitPlan))
        facts[Self.slot.contract_notice_months] = .number(system.contract?.noticeMonths)
        facts[Self.slot.contract_remaining_months] = .number(system.contract?.ends.map { ends in
            max(0, (ends.year - asOf.year) * 12 + (ends.month - asOf.month) - (ends.day < asOf.day ? 1 : 0))
        })
        facts[Self.slot.contract_stated] = .word(system.contract?.ends == nil ? "no" : "yes")
        facts[Self.slot.coupling_same_vendor] = .number(coupling)
        if !onPremises && system.operatorName == nil { facts.following.insert(.operatorFollowsHostingProvider) }
        if system.hosting.processingLocation == nil { facts.following.insert(.processingFollowsDataLocation) }
        if system.data.specialCategories == nil { facts.following.insert(.specialCategoriesFollowPersonal) }
        facts.personalImplied = system.data.personal == nil && system.data.holdsPersonalData != nil
        facts[Self.slot.unknown_answers] = .number(OpenQuestion.countedOpen(in: facts))
        facts[Self.slot.criticality] = .word(system.criticality.rawValue)
        facts[Self.slot.function] = .word(system.function)
        return facts
    }
}

/// Where each fact the deriver sets lives in `Facts`.
struct FactSlots: Sendable {
    struct Party: Sendable {
        let jurisdiction: Int, country: Int, laws: Int, chainCountries: Int, investorJurisdiction: Int

        init(_ party: String, _ index: (String) -> Int) {
            jurisdiction = index("\(party).jurisdiction")
            country = index("\(party).country")
            laws = index("\(party).laws")
            chainCountries = index("\(party).chain_countries")
            investorJurisdiction = index("\(party).investor_jurisdiction")
        }
    }

    let vendor: Party, `operator`: Party, hosting: Party
    let contract_exit_plan: Int
    let contract_notice_months: Int
    let contract_remaining_months: Int
    let contract_stated: Int
    let coupling_same_vendor: Int
    let criticality: Int
    let data_classification: Int
    let data_personal: Int
    let data_special_categories: Int
    let data_location_outside_bloc: Int
    let deployment: Int
    let encryption_keys: Int
    let export: Int
    let formats: Int
    let function: Int
    let interfaces: Int
    let licence: Int
    let processing_location_outside_bloc: Int
    let subprocessors_outside_bloc: Int
    let substitutability: Int
    let support_access_outside_bloc: Int
    let telemetry: Int
    let unknown_answers: Int

    init() {
        let index = { (name: String) in FactVocabulary.index(of: name)! }
        vendor = Party("vendor", index)
        `operator` = Party("operator", index)
        hosting = Party("hosting", index)
        contract_exit_plan = index("contract.exit_plan")
        contract_notice_months = index("contract.notice_months")
        contract_remaining_months = index("contract.remaining_months")
        contract_stated = index("contract.stated")
        coupling_same_vendor = index("coupling.same_vendor")
        criticality = index("criticality")
        data_classification = index("data.classification")
        data_personal = index("data.personal")
        data_special_categories = index("data.special_categories")
        data_location_outside_bloc = index("data_location.outside_bloc")
        deployment = index("deployment")
        encryption_keys = index("encryption_keys")
        export = index("export")
        formats = index("formats")
        function = index("function")
        interfaces = index("interfaces")
        licence = index("licence")
        processing_location_outside_bloc = index("processing_location.outside_bloc")
        subprocessors_outside_bloc = index("subprocessors.outside_bloc")
        substitutability = index("substitutability")
        support_access_outside_bloc = index("support_access.outside_bloc")
        telemetry = index("telemetry")
        unknown_answers = index("unknown_answers")
    }
}

extension FactDeriver {
    static let slot = FactSlots()
}
