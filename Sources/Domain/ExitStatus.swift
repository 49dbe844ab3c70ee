/// Where a contract stands on an as-of date, by its notice deadline (its end
/// less its notice period) and its end: the one place these boundaries live,
/// for the warnings of `validate` and `scan` and the exit windows of reports.
/// A day counts whole: a deadline on the as-of date can still be met that
/// day, and a contract that ends on it still runs that day.
public enum ExitStatus: String, Sendable, Codable, CaseIterable {
    /// The notice deadline was before the as-of date, and the contract still
    /// runs on it (it ends on or after it): it renews, or ends with nothing
    /// chosen in its place, unless the inventory is behind.
    case missed
    /// The contract ended before the as-of date, and the system is still in
    /// the inventory.
    case expired
    /// The notice deadline is on the as-of date or after it, up to the
    /// horizon (that day included).
    case upcoming

    /// The status of a contract with this deadline and end on `asOf`; nil
    /// for a deadline after `horizon` (none: no deadline is too far).
    public static func of(deadline: Day, ends: Day, asOf: Day, horizon: Day?) -> ExitStatus? {
        if ends < asOf { return .expired }
        if deadline < asOf { return .missed }
        if let horizon, deadline > horizon { return nil }
        return .upcoming
    }
}

/// How many exit windows there are of each status.
public struct ExitWindowCounts: Sendable, Encodable, Equatable {
    public var missed = 0
    public var expired = 0
    public var upcoming = 0

    public init() {}

    public var total: Int { missed + expired + upcoming }

    public subscript(status: ExitStatus) -> Int {
        get {
            switch status {
            case .missed: missed
            case .expired: expired
            case .upcoming: upcoming
            }
        }
        set {
            switch status {
            case .missed: missed = newValue
            case .expired: expired = newValue
            case .upcoming: upcoming = newValue
            }
        }
    }

    public mutating func count(_ status: ExitStatus) {
        self[status] += 1
    }

    public mutating func add(_ other: ExitWindowCounts) {
        missed += other.missed
        expired += other.expired
        upcoming += other.upcoming
    }
}
