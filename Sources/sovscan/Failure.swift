/// Why a command stops, and the exit status that tells a script so. Commands
/// throw; `Sovscan.main` is the one place where errors become a message on
/// stderr and an exit status (any other error: its description, status 1).
enum Failure: Error {
    /// Invalid input, rules or database: 1.
    case invalid(String)
    /// Invalid input whose diagnostics were printed already: 1, nothing more to say.
    case reported
    /// A `diff --fail-on` condition met: 2.
    case conditionMet(String)
    /// A usage error found after parsing (an unknown profile): 64.
    case usage(String)
    /// Ctrl-C or SIGTERM: 130.
    case interrupted(String)

    var status: Int32 {
        switch self {
        case .invalid, .reported: 1
        case .conditionMet: 2
        case .usage: 64
        case .interrupted: 130
        }
    }

    var message: String? {
        switch self {
        case .invalid(let message), .conditionMet(let message), .usage(let message), .interrupted(let message): message
        case .reported: nil
        }
    }
}
