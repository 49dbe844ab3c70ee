import Catalogue
import Domain
import Inventory
import Scoring

/// What scoring adds to the items of a scan.
public enum ScoredItem: Sendable {
    case system(System, organisationID: String, assessment: Assessment, vendor: ResolvedParty)
    case organisation(Organisation)
    /// A system scored again at the end of the scan, once every organisation
    /// was known (its operator or hosting provider is one declared later).
    case revised(System, organisationID: String, assessment: Assessment, vendor: ResolvedParty)
    /// Every name of a vendor, operator or hosting provider the scan's
    /// systems write, as it resolves once every organisation is known: the
    /// last item.
    case parties([String: ResolvedParty])
}

/// Scores a scan as it is read: the systems of each organisation document
/// are scored together (they are coupled by `depends_on`) when the document
/// ends. A party the catalogue does not know may name an organisation of the
/// scan declared later (or one with the same name and a smaller id): an
/// organisation whose systems name such a party is kept until the end and,
/// when any of those names resolves differently once every organisation is
/// known, scored again as a whole, so that no order of files or of systems
/// changes a score. The `ScanChecker`'s warnings come with it.
final class ScanScorer {
    /// An organisation scored while some of the parties its systems name
    /// could still resolve differently.
    private struct Provisional {
        let organisation: Organisation
        let systems: [System]
        /// Each such name as written, with what it resolved to when scored.
        let resolutions: [String: ResolvedParty]
    }

    private let model: ScoringModel
    private let scanDate: Day
    private var memo = OrganisationScorer.Memo()
    /// The systems of the current document.
    private var waiting: [System] = []
    private var provisional: [Provisional] = []
    private let checker: ScanChecker
    /// The checker's warnings, once `finish` has run.
    private(set) var diagnostics: [Diagnostic] = []
    /// Every party name the systems write, as first resolved.
    private var parties: [String: ResolvedParty] = [:]
    /// The data answers the systems leave out.
    var unstated: [UnstatedAnswer] { checker.unstated.answers }

    init(model: ScoringModel, scanDate: Day) {
        self.model = model
        self.scanDate = scanDate
        checker = ScanChecker(model: model, scanDate: scanDate)
    }

    func add(_ item: InventoryItem, _ yield: (ScoredItem) -> Void) {
        checker.add(item)
        switch item {
        case .system(let system, _):
            waiting.append(system)
        case .organisation(let organisation):
            yield(.organisation(organisation))
            guard organisation.hasInventory else { return }
            let systems = waiting
            waiting = []
            let scorer = OrganisationScorer(model: model, deriver: checker.deriver)
            let asOf = organisation.asOf ?? scanDate
            let parties = scorer.deriver.parties(namedBy: systems, of: organisation, on: asOf)
            let assessments = scorer.assess(systems, of: organisation, asOf: asOf, parties: parties, memo: &memo)
            for (index, assessment) in assessments.enumerated() {
                // Read in place: a copy of a system retains each of its texts and lists.
                yield(.system(systems[index], organisationID: organisation.id, assessment: assessment, vendor: parties[systems[index].vendor]))
            }
            self.parties.merge(parties.byName) { first, _ in first }
            let resolutions = parties.byName.filter { !$0.value.fromCatalogue }
            if !resolutions.isEmpty {
                provisional.append(Provisional(organisation: organisation, systems: systems, resolutions: resolutions))
            }
        }
    }

    /// Scores again, whole, each organisation that a party resolved
    /// differently once every organisation was known, and warns about names
    /// nothing matches.
    func finish(_ yield: (ScoredItem) -> Void) {
        let deriver = checker.deriver
        let changed = provisional.filter { entry in
            entry.resolutions.contains { name, party in deriver.party(name, on: entry.organisation.asOf ?? scanDate) != party }
        }
        provisional = []
        let scorer = OrganisationScorer(model: model, deriver: deriver)
        for entry in changed.sorted(by: { $0.organisation.id < $1.organisation.id }) {
            let organisation = entry.organisation
            let asOf = organisation.asOf ?? scanDate
            let parties = deriver.parties(namedBy: entry.systems, of: organisation, on: asOf)
            let assessments = scorer.assess(entry.systems, of: organisation, asOf: asOf, parties: parties, memo: &memo)
            for (system, assessment) in zip(entry.systems, assessments) {
                yield(.revised(system, organisationID: organisation.id, assessment: assessment, vendor: parties[system.vendor]))
            }
        }
        // A name the catalogue does not know may have come to name an organisation declared later.
        for (name, party) in parties where !party.fromCatalogue { parties[name] = deriver.party(name) }
        yield(.parties(parties))
        parties = [:]
        diagnostics = checker.finish()
    }
}
