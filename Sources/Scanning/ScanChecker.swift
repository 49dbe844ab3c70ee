import Catalogue
import Domain
import Inventory
import Scoring

/// The checks of a scan that need the rule set or the organisation's `as_of`,
/// run alike by `validate` and `scan`: vendors, operators and hosting
/// providers that neither the catalogue nor the scan's organisations know (a
/// warning with a suggestion; they score as unknown jurisdiction), exceptions
/// that name no rule or have expired by the inventory's `as_of` date, and
/// contracts whose notice deadline or end is already past (`ContractDeadlines`);
/// and it counts the data answers left out (`UnstatedData`).
final class ScanChecker {
    private let model: ScoringModel
    private let scanDate: Day
    /// The scan's parties so far; the scorer derives its facts with it too.
    private(set) var deriver: FactDeriver
    private var unmatched: [(name: String, field: String, location: SourceLocation, file: String?)] = []
    private var waitingExceptions: [RiskException] = []
    private var contracts = ContractDeadlines()
    private(set) var unstated = UnstatedData()
    private var waitingNames: Int = 0
    /// Names found known (they stay known), and names found unknown since
    /// the last organisation was declared (a later one may match them): a
    /// scan names the same few hundred parties a hundred thousand times.
    private var knownNames: Set<String> = []
    private var unknownNames: Set<String> = []
    private(set) var diagnostics: [Diagnostic] = []

    init(model: ScoringModel, scanDate: Day) {
        self.model = model
        self.scanDate = scanDate
        deriver = FactDeriver(ruleSet: model.ruleSet, organisations: [])
    }

    /// Checks an item; for a system, whether it names a party that nothing
    /// known so far matches (an organisation declared later still may).
    @discardableResult
    func add(_ item: InventoryItem) -> Bool {
        var namesUnknownParty = false
        switch item {
        case .system(let system, _):
            for (field, name) in [("vendor", system.vendor), ("operator", system.operatorName), ("hosting.provider", system.hosting.provider)] {
                guard let name, !knows(name) else { continue }
                unmatched.append((name, field, system.fieldLocations[field] ?? system.location, nil))
                waitingNames += 1
                namesUnknownParty = true
            }
            waitingExceptions += system.exceptions
            contracts.add(system)
            unstated.add(system)
        case .organisation(let organisation):
            deriver.add(organisation)
            unknownNames.removeAll()
            guard organisation.hasInventory else { return false }
            // The systems just read belong to this organisation's document.
            for index in unmatched.indices.suffix(waitingNames) { unmatched[index].file = organisation.file }
            waitingNames = 0
            diagnostics += model.checkExceptions(waitingExceptions, asOf: organisation.asOf ?? scanDate, file: organisation.file)
            waitingExceptions.removeAll()
            diagnostics += contracts.check(organisation, scanDate: scanDate)
            unstated.close(organisation)
        }
        return namesUnknownParty
    }

    private func knows(_ name: String) -> Bool {
        if knownNames.contains(name) { return true }
        if unknownNames.contains(name) { return false }
        let known = deriver.knows(name)
        if known { knownNames.insert(name) } else { unknownNames.insert(name) }
        return known
    }

    /// Warns about the names that no organisation of the whole scan matches either.
    func finish() -> [Diagnostic] {
        let names = model.ruleSet.vendors.knownNames
        for entry in unmatched where !deriver.knows(entry.name) {
            guard let file = entry.file else { continue }
            diagnostics.append(Diagnostic(
                file: file, location: entry.location, severity: .warning, code: "unknown-vendor",
                message: "'\(entry.name)' (\(entry.field)) is in neither the vendor catalogue nor this scan's organisations, so it is scored as unknown jurisdiction\(Suggestion.didYouMean(entry.name, in: names))"))
        }
        return diagnostics
    }
}
