import Domain
import Inventory

/// Criticality-weighted sums of a set of systems' scores, in integers, so
/// that sets add up exactly: a mean is taken only when a figure is shown.
public struct WeightedScores: Sendable, Equatable {
    public var systems = 0
    /// The sum of the systems' criticality weights (low 1 … critical 4).
    public var weight = 0
    /// The sum of weight × lock-in score.
    public var lockInPoints = 0
    /// The sum of weight × jurisdiction score.
    public var jurisdictionPoints = 0
    /// The sum of weight × the points of the lock-in score that open
    /// questions make up; nil when a scan stored before sovscan recorded it
    /// (schema v7) is among the systems.
    public var lockInUnknownPoints: Int? = 0
    /// The same for the jurisdiction score.
    public var jurisdictionUnknownPoints: Int? = 0

    public init() {}

    /// Adds `count` systems with the same scores, of criticality weights
    /// adding up to `weight`; `unknown` is nil when not recorded.
    mutating func add(count: Int = 1, weight: Int, lockIn: Int, jurisdiction: Int, unknown: UnknownPoints?) {
        systems += count
        self.weight += weight
        lockInPoints += weight * lockIn
        jurisdictionPoints += weight * jurisdiction
        lockInUnknownPoints = lockInUnknownPoints.flatMap { sum in unknown.map { sum + weight * $0.lockIn } }
        jurisdictionUnknownPoints = jurisdictionUnknownPoints.flatMap { sum in unknown.map { sum + weight * $0.jurisdiction } }
    }

    public mutating func add(_ other: WeightedScores) {
        systems += other.systems
        weight += other.weight
        lockInPoints += other.lockInPoints
        jurisdictionPoints += other.jurisdictionPoints
        lockInUnknownPoints = lockInUnknownPoints.flatMap { sum in other.lockInUnknownPoints.map { sum + $0 } }
        jurisdictionUnknownPoints = jurisdictionUnknownPoints.flatMap { sum in other.jurisdictionUnknownPoints.map { sum + $0 } }
    }

    /// The points of a dimension (weight × score, summed).
    public func points(_ dimension: Dimension) -> Int {
        dimension == .lockIn ? lockInPoints : jurisdictionPoints
    }

    /// The unknown points of a dimension (weight × points, summed), nil when not recorded.
    public func unknownPoints(_ dimension: Dimension) -> Int? {
        dimension == .lockIn ? lockInUnknownPoints : jurisdictionUnknownPoints
    }
}

/// A question that systems leave open, summed over them: how many, and
/// what answering it at best would take off their scores, weighted by
/// criticality, so that a group's mean would fall by the sum over its weight.
public struct QuestionTally: Sendable, Equatable {
    /// A system it concerns, by how much answering it would move that
    /// system: weight × (lock-in + jurisdiction points it would take off).
    public struct Example: Sendable, Equatable {
        public var organisation: String
        public var system: String
        public var points: Int

        /// Heavier first, then by organisation and system.
        static func precedes(_ left: Example, _ right: Example) -> Bool {
            (-left.points, left.organisation, left.system) < (-right.points, right.organisation, right.system)
        }
    }

    /// How many systems of a group a question's examples name at most.
    public static let exampleLimit = 3

    public var systems = 0
    /// The sum of weight × the lock-in points its best answer would take off.
    public var lockInPoints = 0
    /// The same for jurisdiction.
    public var jurisdictionPoints = 0
    /// The systems it moves most, at most `exampleLimit`, heaviest first.
    public var examples: [Example] = []

    public init() {}

    mutating func add(_ question: UnknownPoints.Question, count: Int, weight: Int, organisation: String,
                      heaviest: [(system: String, weight: Int)]) {
        systems += count
        lockInPoints += weight * question.lockIn
        jurisdictionPoints += weight * question.jurisdiction
        for system in heaviest {
            let example = Example(organisation: organisation, system: system.system, points: system.weight * (question.lockIn + question.jurisdiction))
            examples.keepLeading(example, limit: Self.exampleLimit, by: Example.precedes)
        }
    }

    mutating func add(_ other: QuestionTally) {
        systems += other.systems
        lockInPoints += other.lockInPoints
        jurisdictionPoints += other.jurisdictionPoints
        for example in other.examples { examples.keepLeading(example, limit: Self.exampleLimit, by: Example.precedes) }
    }
}

extension Array {
    /// Adds `element` where it belongs in an array ordered by `precedes`,
    /// if it is among the first `limit`, and keeps at most `limit`: the
    /// leading few of many, in place.
    mutating func keepLeading(_ element: Element, limit: Int, by precedes: (Element, Element) -> Bool) {
        guard count < limit || precedes(element, self[limit - 1]) else { return }
        insert(element, at: firstIndex { precedes(element, $0) } ?? endIndex)
        if count > limit { removeLast() }
    }
}

/// Counts of a set of systems that a report shows beside their scores:
/// business-critical systems, spend and personal data. They add up exactly
/// (spend in cents), so that any grouping of organisations gives the same sums.
public struct ExposureCounts: Sendable, Equatable {
    /// Systems of criticality high or critical.
    public var criticalSystems = 0
    /// The sum of `contract.annual_cost_eur` in euro cents, over the systems that state it.
    public var annualCostCents = 0
    /// How many systems state `contract.annual_cost_eur`.
    public var costStated = 0
    /// Systems holding personal data.
    public var personalData = 0
    /// Systems with personal data stored or processed outside the organisation's
    /// bloc; nil for a scan stored before sovscan recorded it (schema v5).
    public var personalDataOutsideBloc: Int? = 0
    /// Systems with personal data held by a party under a foreign access law;
    /// nil for a scan stored before sovscan recorded it (schema v5).
    public var personalDataUnderForeignLaw: Int? = 0
    /// Systems counted in either of the two: the column `personal_data_abroad`
    /// of the schema before v5, kept for the queries written against it.
    var personalDataAbroad = 0

    public init() {}

    /// The counts of `count` systems sharing one personal-data exposure (nil
    /// when not recorded, with `abroad` as stored before v5), of which
    /// `critical` are business-critical and `costStated` state an annual
    /// cost adding up to `annualCostCents`.
    init(count: Int, critical: Int, annualCostCents: Int, costStated: Int, personalData: PersonalDataExposure?, abroad: Bool) {
        criticalSystems = critical
        self.annualCostCents = annualCostCents
        self.costStated = costStated
        self.personalData = (personalData?.held ?? false) ? count : 0
        personalDataOutsideBloc = personalData.map { $0.outsideBloc ? count : 0 }
        personalDataUnderForeignLaw = personalData.map { $0.underForeignLaw ? count : 0 }
        personalDataAbroad = abroad ? count : 0
    }

    public mutating func add(_ other: ExposureCounts) {
        criticalSystems += other.criticalSystems
        annualCostCents += other.annualCostCents
        costStated += other.costStated
        personalData += other.personalData
        personalDataOutsideBloc = personalDataOutsideBloc.flatMap { mine in other.personalDataOutsideBloc.map { mine + $0 } }
        personalDataUnderForeignLaw = personalDataUnderForeignLaw.flatMap { mine in other.personalDataUnderForeignLaw.map { mine + $0 } }
        personalDataAbroad += other.personalDataAbroad
    }
}

/// What a report shows of an organisation, summed over its systems: kept
/// for every organisation of a scan as the scan is written, so that reports
/// and history add organisations up instead of reading every system.
public struct ScoreTally: Sendable, Equatable {
    /// Systems per band, in the order low, medium, high, critical.
    public struct Bands: Sendable, Equatable {
        public var counts = [0, 0, 0, 0]

        static func index(_ band: Band) -> Int {
            Band.allCases.firstIndex(of: band)!
        }

        mutating func add(_ other: Bands) {
            for index in counts.indices { counts[index] += other.counts[index] }
        }
    }

    public struct Vendor: Sendable, Equatable {
        /// Name and country are the catalogue's for the vendor's id (or the
        /// name as written when the catalogue does not know it), so every
        /// system of a scan gives the same.
        public var name: String
        public var country: String?
        public var scores = WeightedScores()
        public var users = 0
        public var exposure = ExposureCounts()
        var lockInMax = 0
        var jurisdictionMax = 0

        mutating func addSystems(count: Int, weight: Int, users: Int, exposure: ExposureCounts, lockIn: Int, jurisdiction: Int,
                                 unknown: UnknownPoints?) {
            scores.add(count: count, weight: weight, lockIn: lockIn, jurisdiction: jurisdiction, unknown: unknown)
            self.users += users
            self.exposure.add(exposure)
            // `vendor_exposure` has no column for the count of before v5.
            self.exposure.personalDataAbroad = 0
            lockInMax = max(lockInMax, lockIn)
            jurisdictionMax = max(jurisdictionMax, jurisdiction)
        }

        public mutating func add(_ other: Vendor) {
            scores.add(other.scores)
            users += other.users
            exposure.add(other.exposure)
            lockInMax = max(lockInMax, other.lockInMax)
            jurisdictionMax = max(jurisdictionMax, other.jurisdictionMax)
        }
    }

    /// The findings of one rule that count (not accepted by an exception).
    public struct Rule: Sendable, Equatable {
        public var systems = 0
        public var points = 0

        mutating func add(systems: Int, points: Int) {
            self.systems += systems
            self.points += points
        }
    }

    public var scores = WeightedScores()
    public var users = 0
    public var lockInBands = Bands()
    public var jurisdictionBands = Bands()
    public var exposure = ExposureCounts()
    public var unknownAnswers = 0
    public var vendors: [String: Vendor] = [:]
    public var rules: [String: Rule] = [:]
    /// The questions the systems leave open that would move a score, by
    /// the field to answer (none for a scan stored before schema v7).
    public var questions: [String: QuestionTally] = [:]

    public init() {}

    /// Adds `count` systems with the same scores (one, or those sharing an
    /// assessment), of criticality weights adding up to `weight`; their
    /// findings are added with `addFinding`, their open questions with `addQuestions`.
    mutating func addSystems(count: Int = 1, weight: Int, users: Int, exposure: ExposureCounts, vendor: String, vendorName: String,
                             vendorCountry: String?, lockIn: Int, lockInBand: Band, jurisdiction: Int, jurisdictionBand: Band,
                             unknownAnswers: Int, unknown: UnknownPoints?) {
        scores.add(count: count, weight: weight, lockIn: lockIn, jurisdiction: jurisdiction, unknown: unknown)
        self.users += users
        self.exposure.add(exposure)
        lockInBands.counts[Bands.index(lockInBand)] += count
        jurisdictionBands.counts[Bands.index(jurisdictionBand)] += count
        self.unknownAnswers += unknownAnswers * count
        // In place: one lookup, and no copy of the entry.
        vendors[vendor, default: Vendor(name: vendorName, country: vendorCountry)].addSystems(
            count: count, weight: weight, users: users, exposure: exposure, lockIn: lockIn, jurisdiction: jurisdiction, unknown: unknown)
    }

    /// The open questions of `count` systems sharing an assessment, of
    /// criticality weights adding up to `weight`; `heaviest` are the
    /// heaviest of those systems (by weight, then id) with their weights.
    mutating func addQuestions(_ open: [UnknownPoints.Question], count: Int, weight: Int, organisation: String,
                               heaviest: [(system: String, weight: Int)]) {
        for question in open {
            // In place: one lookup, and no copy of the entry.
            questions[question.question, default: QuestionTally()].add(question, count: count, weight: weight, organisation: organisation,
                                                                       heaviest: heaviest)
        }
    }

    /// A finding of `count` systems.
    mutating func addFinding(count: Int = 1, rule: String, points: Int, accepted: Bool) {
        guard !accepted else { return }
        rules[rule, default: Rule()].add(systems: count, points: points * count)
    }

    /// Adds another set of systems (another organisation of a group).
    public mutating func add(_ other: ScoreTally) {
        scores.add(other.scores)
        users += other.users
        lockInBands.add(other.lockInBands)
        jurisdictionBands.add(other.jurisdictionBands)
        exposure.add(other.exposure)
        unknownAnswers += other.unknownAnswers
        for (id, vendor) in other.vendors {
            if vendors[id] == nil { vendors[id] = vendor } else { vendors[id]!.add(vendor) }
        }
        for (id, rule) in other.rules { rules[id, default: Rule()].add(systems: rule.systems, points: rule.points) }
        for (id, question) in other.questions { questions[id, default: QuestionTally()].add(question) }
    }
}

extension SnapshotContents {
    /// The tallies of the organisations with systems, from the systems.
    public var tallies: [String: ScoreTally] {
        var tallies: [String: ScoreTally] = [:]
        for system in systems {
            tallies[system.organisation, default: ScoreTally()].add(system, findings: findings[system.assessment] ?? [])
        }
        return tallies
    }
}

extension SnapshotContents.System {
    /// The system's counts, as a tally adds them.
    var exposure: ExposureCounts {
        ExposureCounts(count: 1, critical: Criticality.isBusinessCritical(stored: criticality) ? 1 : 0,
                       annualCostCents: annualCostCents ?? 0, costStated: annualCostCents == nil ? 0 : 1, personalData: personalData,
                       abroad: personalDataAbroad)
    }
}

extension ScoreTally {
    public mutating func add(_ system: SnapshotContents.System, findings: [SnapshotContents.Finding]) {
        addSystems(weight: Criticality.weight(ofStored: system.criticality), users: system.users ?? 0, exposure: system.exposure,
                   vendor: system.vendor, vendorName: system.vendorName, vendorCountry: system.vendorCountry, lockIn: system.lockIn,
                   lockInBand: system.lockInBand, jurisdiction: system.jurisdiction, jurisdictionBand: system.jurisdictionBand,
                   unknownAnswers: system.unknownAnswers, unknown: system.unknownPoints)
        for finding in findings { addFinding(rule: finding.rule, points: finding.points, accepted: finding.accepted) }
        let weight = Criticality.weight(ofStored: system.criticality)
        addQuestions(system.unknownPoints?.questions ?? [], count: 1, weight: weight, organisation: system.organisation,
                     heaviest: [(system.id, weight)])
    }
}
