import Catalogue
import Domain
import Inventory
import Scoring
import Store

/// The scan pipeline: inventories read (files, and segments of large files,
/// on several threads), checked against the rule set and scored, each
/// organisation's systems together. `validate` stops there; `scan` hands
/// every scored item, converted for the store, to a store that writes them
/// in one transaction. Both run the same read, so they report the same
/// diagnostics.
public struct ScanPipeline: Sendable {
    public let model: ScoringModel
    /// The date a scan is made on: inventories without `as_of` are scored as of it.
    public let scanDate: Day
    public let options: ReadOptions

    public init(model: ScoringModel, scanDate: Day, options: ReadOptions = ReadOptions()) {
        self.model = model
        self.scanDate = scanDate
        self.options = options
    }

    /// Reads, checks and scores `files`, handing each scored item to `yield`
    /// as it is made; the reading's diagnostics include the checker's.
    public func read(files: [String], _ yield: (ScoredItem) -> Void) -> ScanReading {
        let scorer = ScanScorer(model: model, scanDate: scanDate)
        var reading = InventoryScan.read(files: files, reference: model.ruleSet.reference, options: options) { item in
            scorer.add(item, yield)
        }
        scorer.finish(yield)
        reading.diagnostics.append(contentsOf: scorer.diagnostics)
        reading.diagnostics.sort(by: Diagnostic.ordered)
        reading.unstated = scorer.unstated
        return reading
    }

    /// Scores an inventory held as items rather than files (a plan's edited
    /// inventory) as `read(files:)` scores what it reads.
    public func read(items: [InventoryItem], _ yield: (ScoredItem) -> Void) -> ScanReading {
        read(producing: { add in items.forEach(add) }, yield)
    }

    /// Scores the items `produce` hands over one at a time (an import's
    /// organisations, each once it is complete), as `read(items:)` scores
    /// an array: an organisation's systems come before it.
    func read(producing produce: (_ add: (InventoryItem) -> Void) throws -> Void,
                     _ yield: (ScoredItem) -> Void) rethrows -> ScanReading {
        let scorer = ScanScorer(model: model, scanDate: scanDate)
        var organisations = 0, systems = 0
        try withoutActuallyEscaping(yield) { yield in
            try produce { item in
                if case .system = item { systems += 1 } else { organisations += 1 }
                scorer.add(item, yield)
            }
        }
        scorer.finish(yield)
        var reading = ScanReading(files: [], diagnostics: scorer.diagnostics.sorted(by: Diagnostic.ordered),
                                  organisations: organisations, systems: systems)
        reading.unstated = scorer.unstated
        return reading
    }

    /// Scores the items `produce` hands over and tallies them as the store
    /// would, storing nothing: the totals of a scan that is not kept (an
    /// import's answers to ask for first).
    func tally(producing produce: (_ add: (InventoryItem) -> Void) throws -> Void) rethrows
        -> (reading: ScanReading, totals: SnapshotTotals) {
        var stored = StoredAssessments(forStorage: false), totals = UnstoredTotals()
        let reading = try read(producing: produce) { item in
            switch item {
            case .organisation(let organisation):
                totals.add(organisation)
                // Its systems come next: what was converted for the organisation before is not needed again.
                stored = StoredAssessments(forStorage: false)
            case .system(let system, let organisationID, let assessment, let vendor):
                totals.add(system, organisationID: organisationID, assessment: stored.stored(assessment, vendor: vendor, writtenAs: system.vendor),
                           revised: false)
            case .revised(let system, let organisationID, let assessment, let vendor):
                totals.add(system, organisationID: organisationID, assessment: stored.stored(assessment, vendor: vendor, writtenAs: system.vendor),
                           revised: true)
            case .parties: break
            }
        }
        return (reading, totals.totals(asOf: scanDate))
    }

    /// Records `items` in `store` as one snapshot, as `scan(files:)` records
    /// files, as of `asOf` when given (a stored snapshot scored again).
    public func scan(items: [InventoryItem], into store: any SnapshotStore, toolVersion: String, profile: String?,
                     asOf: Day? = nil) throws -> RecordedScan {
        var context = context(toolVersion: toolVersion, profile: profile)
        context.asOf = asOf
        return try store.record(context: context, interrupted: { false }) { yield in
            var stored = StoredAssessments()
            return read(items: items) { yield(stored.item($0)) }
        }
    }

    /// The checks a scan makes beyond reading (parties nothing knows,
    /// exceptions, contract deadlines) on items held rather than read.
    public func check(_ items: [InventoryItem]) -> [Diagnostic] {
        let checker = ScanChecker(model: model, scanDate: scanDate)
        for item in items { checker.add(item) }
        return checker.finish()
    }

    /// What `validate` reports: the read, with nothing kept.
    public func validate(files: [String]) -> ScanReading {
        read(files: files) { _ in }
    }

    /// Reads `files` into `store` as one snapshot. When the input has
    /// errors, `interrupted` turns true, or anything fails, nothing is stored.
    public func scan(files: [String], into store: any SnapshotStore, toolVersion: String, profile: String?,
                     interrupted: @escaping () -> Bool) throws -> RecordedScan {
        try store.record(context: context(toolVersion: toolVersion, profile: profile), interrupted: interrupted) { yield in
            var stored = StoredAssessments()
            return read(files: files) { yield(stored.item($0)) }
        }
    }

    /// What the store keeps of the rule set with the snapshot, so that it explains itself later.
    private func context(toolVersion: String, profile: String?) -> ScanContext {
        ScanContext(
            toolVersion: toolVersion, rulesetName: model.ruleSet.name, rulesetVersion: model.ruleSet.version,
            rulesetHash: model.ruleSet.contentHash, profile: profile,
            rules: model.rules.map { rule in
                StoredRule(id: rule.id, dimension: rule.dimension.rawValue, title: rule.title, points: model.points(of: rule),
                           rationale: rule.rationale, translations: rule.translations, sources: SourceList.json(rule.sources))
            },
            countries: model.ruleSet.countries.values.sorted { $0.code < $1.code }.map { country in
                StoredCountry(code: country.code, name: country.name, bloc: country.bloc,
                              laws: country.laws.compactMap { model.ruleSet.laws[$0] }.map { StoredCountry.Law(id: $0.id, name: $0.name) })
            })
    }
}
