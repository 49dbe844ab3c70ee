import Catalogue
import Inventory
import YAMLReading

/// What scoring adds to the items of a scan.
public enum ScoredItem: Sendable {
    case system(System, organisationID: String, assessment: Assessment, vendor: ResolvedParty)
    case organisation(Organisation)
    /// A system scored again at the end of the scan, once every organisation
    /// was known (its operator or hosting provider is one declared later).
    case revised(System, organisationID: String, assessment: Assessment, vendor: ResolvedParty)
}

/// Scores a scan as it is read: the systems of each organisation document
/// are scored together (they are coupled by `depends_on`) when the document
/// ends. Parties that name an organisation of the scan declared later are
/// scored again at the end, so that file order changes no score. The
/// `ScanChecker`'s warnings come with it.
public final class ScanScorer {
    private let model: ScoringModel
    private let scanDate: Day
    private let memo = AssessmentMemo()
    /// The systems of the current document, and whether each names a party not yet known.
    private var waiting: [System] = []
    private var namesUnknownParty: [Bool] = []
    private var review: [(System, Organisation)] = []
    private let checker: ScanChecker
    /// The checker's warnings, once `finish` has run.
    public private(set) var diagnostics: [Diagnostic] = []

    public init(model: ScoringModel, scanDate: Day) {
        self.model = model
        self.scanDate = scanDate
        checker = ScanChecker(model: model, scanDate: scanDate)
    }

    public func add(_ item: InventoryItem, _ yield: (ScoredItem) -> Void) {
        let namesUnknownParty = checker.add(item)
        switch item {
        case .system(let system, _):
            waiting.append(system)
            self.namesUnknownParty.append(namesUnknownParty)
        case .organisation(let organisation):
            yield(.organisation(organisation))
            guard organisation.hasInventory else { return }
            let systems = waiting
            let unknownParties = self.namesUnknownParty
            waiting = []
            self.namesUnknownParty = []
            let asOf = organisation.asOf ?? scanDate
            let scorer = OrganisationScorer(model: model, deriver: checker.deriver, memo: memo)
            for (index, assessment) in scorer.assess(systems, of: organisation, asOf: asOf).enumerated() {
                // Read in place: a copy of a system retains each of its texts and lists.
                if unknownParties[index] { review.append((systems[index], organisation)) }
                yield(.system(systems[index], organisationID: organisation.id, assessment: assessment,
                              vendor: scorer.deriver.party(systems[index].vendor)))
            }
        }
    }

    /// Scores again what a later organisation resolves, and warns about names nothing matches.
    public func finish(_ yield: (ScoredItem) -> Void) {
        var byOrganisation: [String: [System]] = [:]
        var owners: [String: Organisation] = [:]
        for (system, organisation) in review {
            byOrganisation[organisation.id, default: []].append(system)
            owners[organisation.id] = organisation
        }
        // Coupling needs the whole organisation; a revision re-derives the
        // systems under review with every organisation now known.
        let scorer = OrganisationScorer(model: model, deriver: checker.deriver, memo: memo)
        for (id, systems) in byOrganisation.sorted(by: { $0.key < $1.key }) {
            let organisation = owners[id]!
            for (system, assessment) in zip(systems, scorer.assess(systems, of: organisation, asOf: organisation.asOf ?? scanDate)) {
                yield(.revised(system, organisationID: id, assessment: assessment, vendor: scorer.deriver.party(system.vendor)))
            }
        }
        diagnostics = checker.finish()
    }
}
