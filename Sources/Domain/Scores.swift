/// What a score measures.
public enum Dimension: String, NamedCases, Sendable, Codable, Comparable {
    case lockIn = "lock_in"
    case jurisdiction

    public static func < (lhs: Dimension, rhs: Dimension) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// A score's band: low < 25 <= medium < 50 <= high < 75 <= critical. The
/// one place the thresholds live: a system's score and a group's
/// criticality-weighted mean are banded alike.
public enum Band: String, NamedCases, Sendable, Codable, Comparable, CustomStringConvertible {
    case low, medium, high, critical

    public var description: String { rawValue }

    public init(score: Int) {
        self.init(mean: Double(score))
    }

    public init(mean: Double) {
        switch mean {
        case ..<25: self = .low
        case ..<50: self = .medium
        case ..<75: self = .high
        default: self = .critical
        }
    }

    /// High or critical: what `diff --fail-on new-high` and the reports call a high exposure.
    public var isHigh: Bool { self >= .high }

    public static func < (lhs: Band, rhs: Band) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How much an organisation depends on a system.
public enum Criticality: String, NamedCases, Sendable, Codable {
    case low, medium, high, critical

    /// The weight of a system in criticality-weighted means.
    public var weight: Int {
        switch self {
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    /// The weight of a criticality as stored by name; a name no version
    /// wrote counts as critical, the most cautious reading.
    public static func weight(ofStored name: String) -> Int {
        (Criticality(rawValue: name) ?? .critical).weight
    }

    /// Whether a criticality as stored by name is high or critical: what
    /// reports count as business-critical (a name no version wrote is).
    public static func isBusinessCritical(stored name: String) -> Bool {
        weight(ofStored: name) >= Criticality.high.weight
    }
}

/// Amounts of money as reports add them up: whole euro cents, so that a sum
/// does not depend on the order of its terms.
public enum EuroCents {
    /// An amount as read (`contract.annual_cost_eur`: finite, from 0 to ten
    /// billion) in cents, rounded half away from zero.
    public static func of(euros: Double) -> Int {
        Int((euros * 100).rounded())
    }
}

extension Criticality {
    /// A system's risk, by which lists of systems are ordered: its
    /// criticality weight times the higher of its two scores (0-400).
    public static func risk(ofStored criticality: String, lockIn: Int, jurisdiction: Int) -> Int {
        weight(ofStored: criticality) * max(lockIn, jurisdiction)
    }
}
