import Domain

// Unknown versus known risk. Unknown is never safe (docs/scoring.md), so a
// question an inventory leaves open scores like a bad answer; what that adds
// to a score is told apart here. A question's best answer is one that no
// rule asks about (rules have no negation, so a worse answer never stops a
// rule): its points are those of the rules that fired and would not fire
// with that answer.

/// A question of the inventory whose answer the rules read, and that a
/// system may leave open: the field to fill in, as the inventory names it.
public enum OpenQuestion: String, Sendable, CaseIterable, Hashable, Comparable {
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

    public static func < (lhs: OpenQuestion, rhs: OpenQuestion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

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

    /// Whether it is one of the nine answers `unknown_answers` counts.
    var isCounted: Bool {
        switch self {
        case .vendor, .hostingProvider, .dataLocation, .personal, .telemetry, .encryptionKeys, .export, .substitutability, .exitPlan: true
        case .operator, .processingLocation, .supportAccess, .subprocessors, .specialCategories, .formats, .interfaces, .contractEnds: false
        }
    }

    fileprivate static let masks = allCases.map { FactMask($0.facts) }
    /// Per question, the fact that says whether it is open, and its value then.
    fileprivate static let heads = allCases.map { (slot: $0.facts[0], open: $0.openValue) }
    fileprivate static let specialCategoriesIndex = allCases.firstIndex(of: .specialCategories)!
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
        let open = OpenQuestion.allCases.enumerated().filter { facts[OpenQuestion.heads[$0.offset].slot] == OpenQuestion.heads[$0.offset].open }
        guard !open.isEmpty else { return UnknownPoints() }
        let unknownAnswers: Int
        if case .number(let count?) = facts[FactDeriver.slot.unknown_answers] { unknownAnswers = count } else { unknownAnswers = 0 }
        let countedSlot = FactMask([FactDeriver.slot.unknown_answers])
        // The score of each dimension with `answered` taken as answered at best.
        func scoresAnswering(_ answered: FactMask, counted: Int) -> (lockIn: Int, jurisdiction: Int) {
            let taken = AnsweredFacts(facts: facts, answered: answered, unknownAnswers: max(0, unknownAnswers - counted))
            var lockIn = 0, jurisdiction = 0
            for index in rules.indices where hits.fired(index) && !hits.accepted(index) {
                let reads = ruleReads[index]
                let stillHolds = !(reads.intersects(answered) || (counted > 0 && reads.intersects(countedSlot)))
                    || rules[index].condition.holds(for: taken)
                guard stillHolds else { continue }
                if rules[index].dimension == .lockIn { lockIn += rulePoints[index] } else { jurisdiction += rulePoints[index] }
            }
            return (min(100, lockIn), min(100, jurisdiction))
        }
        let lockIn = scores[.lockIn]!.score, jurisdiction = scores[.jurisdiction]!.score
        var all = FactMask()
        for (index, _) in open { all.formUnion(OpenQuestion.masks[index]) }
        let allAnswered = scoresAnswering(all, counted: open.count { $0.element.isCounted })
        var result = UnknownPoints(lockIn: lockIn - allAnswered.lockIn, jurisdiction: jurisdiction - allAnswered.jurisdiction)
        guard result.lockIn > 0 || result.jurisdiction > 0 else { return result }
        let specialOpen = open.contains { $0.element == .specialCategories }
        for (index, question) in open {
            var answering = OpenQuestion.masks[index]
            // No personal data means no special categories either (FactDeriver):
            // the best answer to data.personal settles both while both are open.
            if question == .personal, specialOpen { answering.formUnion(OpenQuestion.masks[OpenQuestion.specialCategoriesIndex]) }
            let alone = scoresAnswering(answering, counted: question.isCounted ? 1 : 0)
            if alone.lockIn < lockIn || alone.jurisdiction < jurisdiction {
                result.questions.append(UnknownPoints.Question(question: question.rawValue, lockIn: lockIn - alone.lockIn, jurisdiction: jurisdiction - alone.jurisdiction))
            }
        }
        return result
    }
}
