import Catalogue
import Domain
import Inventory
import YAMLReading

/// A rule that fired for a system, with the points it adds (or would add,
/// when an exception accepts it).
public struct Finding: Sendable, Hashable {
    public var rule: Rule
    public var points: Int
    /// Whether an exception in force accepts it: shown, not counted.
    public var accepted: Bool
}

/// One dimension's score of a system, and the findings behind it.
public struct DimensionScore: Sendable, Hashable {
    public var score: Int
    public var band: Band
    public var findings: [Finding]
}

/// A system's scores in every dimension, and the facts they were found from.
public struct Assessment: Sendable, Hashable {
    public var scores: [Dimension: DimensionScore]
    public var facts: Facts
    /// How much of the scores the questions left open make up (OpenQuestions.swift).
    public var unknownPoints = UnknownPoints()

    /// How many of the answers the rules look at are unknown.
    public var unknownAnswers: Int {
        if case .number(let count?) = facts[FactDeriver.slot.unknown_answers] { return count }
        return 0
    }

    /// Where the system's personal data stands: outside the bloc by its
    /// locations, under a foreign access law by the parties that hold it
    /// (operator and hosting provider).
    public var personalData: PersonalDataExposure {
        let slot = FactDeriver.slot
        guard facts[slot.data_personal] == .word("yes") else { return .none }
        let outside = FactValue.word("yes")
        // The parties that hold the data: whoever runs the system and whoever
        // hosts it (for software run on premises, the organisation itself).
        let lawsReach = [slot.operator.laws, slot.hosting.laws].contains { facts[$0] != .list([]) }
        return PersonalDataExposure(
            held: true,
            outsideBloc: facts[slot.data_location_outside_bloc] == outside || facts[slot.processing_location_outside_bloc] == outside,
            underForeignLaw: lawsReach)
    }

    /// Systems whose rules fired alike share a number within one scorer, so
    /// that what is made from their scores can be remembered by it; not part
    /// of the value.
    public internal(set) var number = -1

    public static func == (lhs: Assessment, rhs: Assessment) -> Bool {
        lhs.scores == rhs.scores && lhs.facts == rhs.facts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scores)
        hasher.combine(facts)
    }
}

/// Which rules fired for a system, and which of them an exception accepts:
/// all that its scores depend on. Bit sets, one bit per rule.
public struct RuleHits: Hashable {
    var fired: [UInt64]
    var accepted: [UInt64]

    init(rules: Int) {
        fired = Array(repeating: 0, count: (rules + 63) / 64)
        accepted = fired
    }

    static func bit(_ index: Int) -> (word: Int, mask: UInt64) {
        (index / 64, 1 << UInt64(index % 64))
    }

    func fired(_ index: Int) -> Bool {
        let (word, mask) = Self.bit(index)
        return fired[word] & mask != 0
    }

    func accepted(_ index: Int) -> Bool {
        let (word, mask) = Self.bit(index)
        return accepted[word] & mask != 0
    }
}

/// The rules of a rule set, ready to score systems.
public struct ScoringModel: Sendable {
    public let ruleSet: RuleSet
    public let rules: [Rule]
    public let profiles: [Profile]
    /// The points of each rule under the chosen profile, in the order of `rules`.
    let rulePoints: [Int]
    /// The facts each rule reads, in the order of `rules`.
    let ruleReads: [FactMask]
    public let profile: String?

    private init(ruleSet: RuleSet, rules: [Rule], profiles: [Profile], points: [String: Int], profile: String?) {
        self.ruleSet = ruleSet
        self.rules = rules
        self.profiles = profiles
        rulePoints = rules.map { points[$0.id] ?? $0.points }
        ruleReads = rules.map(\.condition.reads)
        self.profile = profile
    }

    /// Reads `rules.yaml` of the rule set; nil (with diagnostics) when it has errors.
    public static func load(ruleSet: RuleSet) -> (ScoringModel?, [Diagnostic]) {
        let path = ruleSet.directory + "/rules.yaml"
        var log = DiagnosticLog(file: path)
        let (rules, profiles) = RulesFileReader.read(path: path, log: &log)
        guard !log.diagnostics.contains(where: { $0.severity == .error }) else { return (nil, log.diagnostics) }
        return (ScoringModel(ruleSet: ruleSet, rules: rules, profiles: profiles, points: [:], profile: nil), log.diagnostics)
    }

    /// The same rules with the points of the profile `id`; nil when the rule set has no such profile.
    public func choosing(profile id: String) -> ScoringModel? {
        guard let chosen = profiles.first(where: { $0.id == id }) else { return nil }
        return ScoringModel(ruleSet: ruleSet, rules: rules, profiles: profiles, points: chosen.points, profile: id)
    }

    /// The points a rule adds under the chosen profile.
    public func points(of rule: Rule) -> Int {
        rules.firstIndex { $0 === rule }.map { rulePoints[$0] } ?? rule.points
    }

    /// Scores one system from its facts; exceptions in force on `asOf` accept findings.
    public func assess(facts: Facts, exceptions: [RiskException], asOf: Day) -> Assessment {
        let hits = hits(facts: facts, exceptions: exceptions, asOf: asOf)
        let scores = scores(for: hits)
        return Assessment(scores: scores, facts: facts, unknownPoints: unknownPoints(facts: facts, hits: hits, scores: scores))
    }

    func hits(facts: Facts, exceptions: [RiskException], asOf: Day) -> RuleHits {
        var hits = RuleHits(rules: rules.count)
        // By index: a rule taken out of the array is a reference counted, for each rule of each system.
        for index in rules.indices where rules[index].condition.holds(for: facts) {
            let (word, mask) = RuleHits.bit(index)
            hits.fired[word] |= mask
            if !exceptions.isEmpty, exceptions.contains(where: { $0.rule == rules[index].id && $0.expires >= asOf }) {
                hits.accepted[word] |= mask
            }
        }
        return hits
    }

    func scores(for hits: RuleHits) -> [Dimension: DimensionScore] {
        var scores: [Dimension: DimensionScore] = [:]
        for dimension in Dimension.allCases {
            var findings: [Finding] = []
            var total = 0
            for (index, rule) in rules.enumerated() where rule.dimension == dimension && hits.fired(index) {
                let points = rulePoints[index]
                findings.append(Finding(rule: rule, points: points, accepted: hits.accepted(index)))
                if !hits.accepted(index) { total += points }
            }
            let score = min(100, total)
            scores[dimension] = DimensionScore(score: score, band: Band(score: score), findings: findings)
        }
        return scores
    }

    /// Warnings for exceptions that have expired or name no rule.
    public func checkExceptions(_ exceptions: [RiskException], asOf: Day, file: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for exception in exceptions {
            if !rules.contains(where: { $0.id == exception.rule }) {
                diagnostics.append(Diagnostic(file: file, location: exception.location, severity: .warning, code: "unknown-rule",
                                              message: "exception names rule '\(exception.rule)', which is not in the rule set\(Suggestion.didYouMean(exception.rule, in: rules.map(\.id)))"))
            } else if exception.expires < asOf {
                diagnostics.append(Diagnostic(file: file, location: exception.location, severity: .warning, code: "exception-expired",
                                              message: "the exception for '\(exception.rule)' expired on \(exception.expires); the finding counts again"))
            }
        }
        return diagnostics
    }
}

/// Scores the systems of one organisation together, since `depends_on`
/// couples them.
public struct OrganisationScorer: Sendable {
    public let model: ScoringModel
    public let deriver: FactDeriver

    /// Scores already made, by the rules that fired: a scan of a hundred
    /// thousand systems fires a few hundred distinct sets of rules, and the
    /// store keeps each distinct assessment once by its number.
    public typealias Memo = NumberedMemo<RuleHits, [Dimension: DimensionScore]>

    public init(model: ScoringModel, organisations: [Organisation]) {
        self.init(model: model, deriver: FactDeriver(ruleSet: model.ruleSet, organisations: organisations))
    }

    public init(model: ScoringModel, deriver: FactDeriver) {
        self.model = model
        self.deriver = deriver
    }

    /// Every system's assessment, in the order given.
    public func assess(_ systems: [System], of organisation: Organisation, asOf: Day) -> [Assessment] {
        var memo = Memo()
        return assess(systems, of: organisation, asOf: asOf, parties: deriver.parties(namedBy: systems, of: organisation, on: asOf), memo: &memo)
    }

    /// Every system's assessment, in the order given, with the parties they
    /// name resolved and the scores made so far in `memo`.
    public func assess(_ systems: [System], of organisation: Organisation, asOf: Day, parties: NamedParties, memo: inout Memo) -> [Assessment] {
        // By index rather than by element: a system copied is thirty references counted.
        let parents = systems.map { parties[$0.vendor].id }
        var index: [String: Int] = [:]
        for position in systems.indices { index[systems[position].id] = position }
        var neighbours = Array(repeating: Set<Int>(), count: systems.count)
        for position in systems.indices {
            for target in systems[position].dependsOn {
                guard let other = index[target], other != position else { continue }
                neighbours[position].insert(other)
                neighbours[other].insert(position)
            }
        }
        return systems.indices.map { position in
            let coupling = neighbours[position].count { parents[$0] != nil && parents[$0] == parents[position] }
            let facts = deriver.facts(of: systems[position], in: organisation, asOf: asOf, coupling: coupling, parties: parties)
            let hits = model.hits(facts: facts, exceptions: systems[position].exceptions, asOf: asOf)
            let scored = memo.value(for: hits) { model.scores(for: hits) }
            return Assessment(scores: scored.value, facts: facts,
                              unknownPoints: model.unknownPoints(facts: facts, hits: hits, scores: scored.value), number: scored.number)
        }
    }
}
