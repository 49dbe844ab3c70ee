import Domain

// Unknown versus known risk. Unknown is never safe (docs/scoring.md), so a
// question an inventory leaves open scores like a bad answer; what that adds
// to a score is told apart here. A question's best answer is one that no
// rule asks about (rules have no negation, so a worse answer never stops a
// rule): its points are those of the rules that fired and would not fire
// with that answer.

/// A question of the inventory whose answer the rules read, and that a
/// system may leave open: the field to fill in, as the inventory names it.
public enum OpenQuestion: String, Sendable, CaseIterable, Hashable {
    case vendor
    case `operator`
    case hostingProvider = "hosting.provider"
    case dataLocation = "hosting.data_location"
    case processingLocation = "hosting.processing_location"
    case supportAccess = "hosting.support_access"
    case subprocessors
    case personal = "data.personal"
    case specialCategories = "data.special_categories"
    case telemetry
    case encryptionKeys = "encryption_keys"
    case export
    case substitutability
    case formats
    case interfaces
    case exitPlan = "contract.exit_plan"
    case contractEnds = "contract.ends"

    /// The facts its answer settles: the first has `openValue` while it is open.
    var facts: [Int] {
        let slot = FactDeriver.slot
        return switch self {
        case .vendor: [slot.vendor.jurisdiction, slot.vendor.country]
        case .operator: [slot.operator.jurisdiction, slot.operator.country]
        case .hostingProvider: [slot.hosting.jurisdiction, slot.hosting.country]
        case .dataLocation: [slot.data_location_outside_bloc]
        case .processingLocation: [slot.processing_location_outside_bloc]
        case .supportAccess: [slot.support_access_outside_bloc]
        case .subprocessors: [slot.subprocessors_outside_bloc]
        case .personal: [slot.data_personal]
        case .specialCategories: [slot.data_special_categories]
        case .telemetry: [slot.telemetry]
        case .encryptionKeys: [slot.encryption_keys]
        case .export: [slot.export]
        case .substitutability: [slot.substitutability]
        case .formats: [slot.formats]
        case .interfaces: [slot.interfaces]
        case .exitPlan: [slot.contract_exit_plan]
        case .contractEnds: [slot.contract_stated, slot.contract_remaining_months]
        }
    }

    /// The value of its first fact while it is open.
    var openValue: FactValue {
        self == .contractEnds ? .word("no") : .word("unknown")
    }

    /// Whether it is one of the nine key answers that `unknown_answers` counts.
    var isCounted: Bool {
        switch self {
        case .vendor, .hostingProvider, .dataLocation, .personal, .telemetry, .encryptionKeys, .export, .substitutability, .exitPlan: true
        case .operator, .processingLocation, .supportAccess, .subprocessors, .specialCategories, .formats, .interfaces, .contractEnds: false
        }
    }

    /// The questions `facts` leave open. `data.personal` left out is open
    /// also where special categories imply it: it counts as written (so that
    /// stating special categories never lowers a score), and stating it
    /// takes it off `unknown_answers`, though no rule on personal data stops.
    fileprivate static func open(in facts: Facts) -> QuestionSet {
        var open = QuestionSet()
        for position in heads.indices where facts[heads[position].slot] == heads[position].open { open.insert(position) }
        if facts.personalImplied { open.insert(personalPosition) }
        return open
    }

    /// How many of the key answers (`isCounted`) `facts` leave open: the
    /// fact `unknown_answers`, so that it counts exactly what answering takes off.
    static func countedOpen(in facts: Facts) -> Int {
        open(in: facts).count { countedAt[$0] }
    }

    /// The facts answering the question at `position` settles in `facts`:
    /// none for data.personal that special categories imply (its one answer
    /// then is yes).
    fileprivate static func settled(by position: Int, in facts: Facts) -> FactMask {
        position == personalPosition && facts.personalImplied ? FactMask() : masks[position]
    }

    /// The position of a question in `allCases`.
    fileprivate static let position = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
    /// Per position, the facts a question's answer settles, whether it is counted, and the fact that says whether it is open with its value then.
    fileprivate static let masks = allCases.map { FactMask($0.facts) }
    fileprivate static let countedAt = allCases.map(\.isCounted)
    fileprivate static let heads = allCases.map { (slot: $0.facts[0], open: $0.openValue) }
    private static let personalPosition = position[.personal]!
}

/// The questions of a system that take their answer from another's while
/// they are not stated (the deriver's defaults), so that answering the one
/// settles both.
public struct FollowingQuestions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// An unstated operator off premises is the hosting provider.
    static let operatorFollowsHostingProvider = FollowingQuestions(rawValue: 1 << 0)
    /// An unstated processing location is the data location.
    static let processingFollowsDataLocation = FollowingQuestions(rawValue: 1 << 1)
    /// Unstated special categories follow data.personal (no personal data, no special categories).
    static let specialCategoriesFollowPersonal = FollowingQuestions(rawValue: 1 << 2)

    /// Each link with the positions of its questions in `OpenQuestion.allCases`.
    private static let links: [(link: FollowingQuestions, leader: Int, follower: Int)] = [
        (.operatorFollowsHostingProvider, OpenQuestion.hostingProvider, OpenQuestion.operator),
        (.processingFollowsDataLocation, .dataLocation, .processingLocation),
        (.specialCategoriesFollowPersonal, .personal, .specialCategories),
    ].map { ($0, OpenQuestion.position[$1]!, OpenQuestion.position[$2]!) }

    /// The position of the question that answering the one at `leader` settles too, if any.
    fileprivate func follower(of leader: Int) -> Int? {
        guard !isEmpty else { return nil }
        return Self.links.first { contains($0.link) && $0.leader == leader }?.follower
    }
}

/// A set of questions by their positions in `OpenQuestion.allCases`, in
/// that order: the unknown-points pass runs for every system, so it
/// allocates nothing but its result.
private struct QuestionSet: Sequence {
    private var bits: UInt32 = 0

    var isEmpty: Bool { bits == 0 }

    mutating func insert(_ position: Int) { bits |= 1 << UInt32(position) }
    func contains(_ position: Int) -> Bool { bits & (1 << UInt32(position)) != 0 }

    struct Iterator: IteratorProtocol {
        fileprivate var rest: UInt32

        mutating func next() -> Int? {
            guard rest != 0 else { return nil }
            defer { rest &= rest - 1 }
            return rest.trailingZeroBitCount
        }
    }

    func makeIterator() -> Iterator { Iterator(rest: bits) }
}

/// A set of fact slots (`FactVocabulary.names` has fewer than 64).
struct FactMask: Hashable, Sendable {
    var bits: UInt64 = 0

    init(_ slots: [Int] = []) {
        for slot in slots { bits |= 1 << UInt64(slot) }
    }

    func contains(_ slot: Int) -> Bool { bits & (1 << UInt64(slot)) != 0 }
    func intersects(_ other: FactMask) -> Bool { bits & other.bits != 0 }
    mutating func formUnion(_ other: FactMask) { bits |= other.bits }
}

/// Facts with some questions taken as answered at best: a condition on an
/// answered fact does not hold, and `unknown_answers` is less by the counted
/// ones among them.
struct AnsweredFacts {
    let facts: Facts
    let answered: FactMask
    let unknownAnswers: Int
}

extension Condition {
    /// The slots of the facts it reads.
    var reads: FactMask {
        switch self {
        case .isOneOf(let fact, _), .atLeast(let fact, _), .atMost(let fact, _), .contains(let fact, _), .notEmpty(let fact):
            FactMask([fact])
        case .all(let conditions), .any(let conditions):
            conditions.reduce(into: FactMask()) { $0.formUnion($1.reads) }
        }
    }

    /// Whether it holds with some questions answered at best.
    func holds(for facts: AnsweredFacts) -> Bool {
        switch self {
        case .isOneOf(let fact, _), .contains(let fact, _), .notEmpty(let fact):
            return !facts.answered.contains(fact) && holds(for: facts.facts)
        case .atLeast(let fact, let value):
            guard fact == FactDeriver.slot.unknown_answers else { return !facts.answered.contains(fact) && holds(for: facts.facts) }
            return facts.unknownAnswers >= value
        case .atMost(let fact, let value):
            guard fact == FactDeriver.slot.unknown_answers else { return !facts.answered.contains(fact) && holds(for: facts.facts) }
            return facts.unknownAnswers <= value
        case .all(let conditions):
            return conditions.allSatisfy { $0.holds(for: facts) }
        case .any(let conditions):
            return conditions.contains { $0.holds(for: facts) }
        }
    }
}

extension ScoringModel {
    /// The points of a system's scores (from `hits`) that its open questions
    /// add, all of them together and each alone.
    func unknownPoints(facts: Facts, hits: RuleHits, scores: [Dimension: DimensionScore]) -> UnknownPoints {
        let open = OpenQuestion.open(in: facts)
        guard !open.isEmpty else { return UnknownPoints() }
        let unknownAnswers: Int
        if case .number(let count?) = facts[FactDeriver.slot.unknown_answers] { unknownAnswers = count } else { unknownAnswers = 0 }
        let countedSlot = FactMask([FactDeriver.slot.unknown_answers])
        // The points of the rules that count, before a score's cap at 100.
        var counted = (lockIn: 0, jurisdiction: 0)
        for index in rules.indices where hits.fired(index) && !hits.accepted(index) {
            if rules[index].dimension == .lockIn { counted.lockIn += rulePoints[index] } else { counted.jurisdiction += rulePoints[index] }
        }
        // The score of each dimension with `answering` answered at best: less
        // the rules that read an answered fact and no longer hold.
        func scoresAnswering(_ answering: QuestionSet) -> (lockIn: Int, jurisdiction: Int) {
            var answered = FactMask(), answeredCounted = 0
            for question in answering {
                answered.formUnion(OpenQuestion.settled(by: question, in: facts))
                if OpenQuestion.countedAt[question] { answeredCounted += 1 }
            }
            let taken = AnsweredFacts(facts: facts, answered: answered, unknownAnswers: max(0, unknownAnswers - answeredCounted))
            var (lockIn, jurisdiction) = counted
            for index in rules.indices where hits.fired(index) && !hits.accepted(index) {
                let reads = ruleReads[index]
                guard reads.intersects(answered) || (answeredCounted > 0 && reads.intersects(countedSlot)),
                      !rules[index].condition.holds(for: taken) else { continue }
                if rules[index].dimension == .lockIn { lockIn -= rulePoints[index] } else { jurisdiction -= rulePoints[index] }
            }
            return (min(100, lockIn), min(100, jurisdiction))
        }
        let lockIn = scores[.lockIn]!.score, jurisdiction = scores[.jurisdiction]!.score
        let allAnswered = scoresAnswering(open)
        var result = UnknownPoints(lockIn: lockIn - allAnswered.lockIn, jurisdiction: jurisdiction - allAnswered.jurisdiction)
        guard result.lockIn > 0 || result.jurisdiction > 0 else { return result }
        for question in open {
            // An answer settles the question that follows it too, while that one is open.
            var answering = QuestionSet()
            answering.insert(question)
            if let follower = facts.following.follower(of: question), open.contains(follower) { answering.insert(follower) }
            let alone = scoresAnswering(answering)
            if alone.lockIn < lockIn || alone.jurisdiction < jurisdiction {
                result.questions.append(UnknownPoints.Question(question: OpenQuestion.allCases[question].rawValue,
                                                               lockIn: lockIn - alone.lockIn, jurisdiction: jurisdiction - alone.jurisdiction))
            }
        }
        return result
    }
}
