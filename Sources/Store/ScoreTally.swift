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

    public init() {}

    /// Adds `count` systems with the same scores, of criticality weights adding up to `weight`.
    mutating func add(count: Int = 1, weight: Int, lockIn: Int, jurisdiction: Int) {
        systems += count
        self.weight += weight
        lockInPoints += weight * lockIn
        jurisdictionPoints += weight * jurisdiction
    }

    public mutating func add(_ other: WeightedScores) {
        systems += other.systems
        weight += other.weight
        lockInPoints += other.lockInPoints
        jurisdictionPoints += other.jurisdictionPoints
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
        var lockInMax = 0
        var jurisdictionMax = 0

        mutating func addSystems(count: Int, weight: Int, users: Int, lockIn: Int, jurisdiction: Int) {
            scores.add(count: count, weight: weight, lockIn: lockIn, jurisdiction: jurisdiction)
            self.users += users
            lockInMax = max(lockInMax, lockIn)
            jurisdictionMax = max(jurisdictionMax, jurisdiction)
        }

        mutating func add(_ other: Vendor) {
            scores.add(other.scores)
            users += other.users
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
    public var personalDataAbroad = 0
    public var unknownAnswers = 0
    public var vendors: [String: Vendor] = [:]
    public var rules: [String: Rule] = [:]

    public init() {}

    /// Adds `count` systems with the same scores (one, or those sharing an
    /// assessment), of criticality weights adding up to `weight`; their
    /// findings are added with `addFinding`.
    mutating func addSystems(count: Int = 1, weight: Int, users: Int, vendor: String, vendorName: String, vendorCountry: String?,
                                    lockIn: Int, lockInBand: Band, jurisdiction: Int, jurisdictionBand: Band,
                                    unknownAnswers: Int, personalDataAbroad: Bool) {
        scores.add(count: count, weight: weight, lockIn: lockIn, jurisdiction: jurisdiction)
        self.users += users
        lockInBands.counts[Bands.index(lockInBand)] += count
        jurisdictionBands.counts[Bands.index(jurisdictionBand)] += count
        if personalDataAbroad { self.personalDataAbroad += count }
        self.unknownAnswers += unknownAnswers * count
        // In place: one lookup, and no copy of the entry.
        vendors[vendor, default: Vendor(name: vendorName, country: vendorCountry)].addSystems(
            count: count, weight: weight, users: users, lockIn: lockIn, jurisdiction: jurisdiction)
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
        personalDataAbroad += other.personalDataAbroad
        unknownAnswers += other.unknownAnswers
        for (id, vendor) in other.vendors {
            if vendors[id] == nil { vendors[id] = vendor } else { vendors[id]!.add(vendor) }
        }
        for (id, rule) in other.rules { rules[id, default: Rule()].add(systems: rule.systems, points: rule.points) }
    }
}

extension SnapshotContents {
    /// The tallies of the organisations with systems, from the systems.
    public var tallies: [String: ScoreTally] {
        var tallies: [String: ScoreTally] = [:]
        for system in systems { tallies[system.organisation, default: ScoreTally()].add(system, findings: findings[system.assessment] ?? []) }
        return tallies
    }
}

extension ScoreTally {
    public mutating func add(_ system: SnapshotContents.System, findings: [SnapshotContents.Finding]) {
        addSystems(weight: Criticality.weight(ofStored: system.criticality), users: system.users ?? 0, vendor: system.vendor,
                  vendorName: system.vendorName, vendorCountry: system.vendorCountry, lockIn: system.lockIn,
                  lockInBand: system.lockInBand, jurisdiction: system.jurisdiction, jurisdictionBand: system.jurisdictionBand,
                  unknownAnswers: system.unknownAnswers, personalDataAbroad: system.personalDataAbroad)
        for finding in findings { addFinding(rule: finding.rule, points: finding.points, accepted: finding.accepted) }
    }
}
