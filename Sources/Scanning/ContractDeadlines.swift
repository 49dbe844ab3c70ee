import Domain
import Inventory

/// The check of each contract's dates against its organisation's `as_of`,
/// run alike by `validate` and `scan`: a notice deadline (the contract's end
/// less its notice period) that passed before `as_of` while the contract
/// still runs, and a contract that ended before `as_of`, are warnings at the
/// contract's `ends:` value, the date to correct when the inventory is
/// behind (a renewal, or a new contract). The boundaries are those of
/// `ExitStatus`, which reports show too: a deadline on `as_of` can still be
/// met that day, and a contract ending on `as_of` still runs that day, so
/// neither is warned about.
struct ContractDeadlines {
    private struct Written {
        let ends: Day
        let noticeMonths: Int
        let location: SourceLocation
    }

    /// The contracts of the systems read since the last organisation.
    private var waiting: [Written] = []

    mutating func add(_ system: System) {
        guard let contract = system.contract, let ends = contract.ends else { return }
        waiting.append(Written(ends: ends, noticeMonths: contract.noticeMonths ?? 0,
                               location: system.fieldLocations["contract.ends"] ?? system.location))
    }

    /// The warnings about the contracts waiting, which belong to this
    /// organisation's document, as of its `as_of` (the scan date when it has none).
    mutating func check(_ organisation: Organisation, scanDate: Day) -> [Diagnostic] {
        defer { waiting.removeAll() }
        let asOf = organisation.asOf ?? scanDate
        let date = organisation.asOf == nil ? "the scan date \(scanDate) (the inventory gives no as_of)" : "as_of \(asOf)"
        var diagnostics: [Diagnostic] = []
        for contract in waiting {
            let deadline = contract.ends.adding(months: -contract.noticeMonths)
            switch ExitStatus.of(deadline: deadline, ends: contract.ends, asOf: asOf, horizon: nil) {
            case .expired:
                diagnostics.append(Diagnostic(
                    file: organisation.file, location: contract.location, severity: .warning, code: "contract-ended",
                    message: "the contract ended on \(contract.ends), before \(date), and the system is still listed: "
                        + "record the new contract's end, or remove the system if it was retired"))
            case .missed:
                let months = contract.noticeMonths == 1 ? "1 month" : "\(contract.noticeMonths) months"
                diagnostics.append(Diagnostic(
                    file: organisation.file, location: contract.location, severity: .warning, code: "notice-deadline-passed",
                    message: "notice deadline \(deadline) (ends \(contract.ends) less \(months)) passed before \(date): "
                        + "record the renewal or the new contract end"))
            case .upcoming, nil:
                break
            }
        }
        return diagnostics
    }
}
