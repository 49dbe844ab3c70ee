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
}
