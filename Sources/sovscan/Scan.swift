import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Output
import Reporting
import Scoring
import Store

/// Where the snapshot database is: `--db`, else `$SOVSCAN_DB`, else `./sovscan.db`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The snapshot database (default: $SOVSCAN_DB, else ./sovscan.db).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait while another sovscan writes to the database.", valueName: "seconds"))
    var busyTimeout: Double = SnapshotDatabase.defaultBusyTimeout

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SOVSCAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sovscan.db"
    }

    func open() throws -> any SnapshotStore {
        do {
            return try SnapshotDatabase(path: path, busyTimeout: busyTimeout)
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate inventories and record them as a dated snapshot.",
        discussion: """
            Validates exactly as `validate` does; on any error nothing is written. Otherwise the \
            scan is stored in one transaction: its inputs with their SHA-256, organisations, \
            systems and warnings. Unchanged records are stored once and referenced; a scan of the \
            inputs and rules of the latest snapshot is stored all the same and says so. Ctrl-C or \
            SIGTERM stops the scan with nothing stored (exit status 130).
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("A named profile of alternative points from the rule set (see `sovscan rules list`).", valueName: "name"))
    var profile: String?

    @Option(help: "Output on stdout.")
    var format: Format<ScanOutcome> = .standard

    func run() throws {
        Interruption.catchSignals()
        var stages = input.stages()
        let model = try input.ruleSet.loadModel(profile: profile)
        stages.finished("rule set", "\(model.ruleSet.name) \(model.ruleSet.version), \(plural(model.rules.count, "rule"))")
        let files = try input.inputFiles()
        let store = try database.open()
        let context = ScanContext(
            toolVersion: Sovscan.version, rulesetName: model.ruleSet.name, rulesetVersion: model.ruleSet.version,
            rulesetHash: model.ruleSet.contentHash, profile: profile,
            rules: model.rules.map { rule in
                StoredRule(id: rule.id, dimension: rule.dimension.rawValue, title: rule.title, points: model.points(of: rule),
                           rationale: rule.rationale, sources: SourceList.json(rule.sources))
            })
        let scanDate = Day.today
        let recorded: RecordedScan
        do {
            let input = input
            recorded = try store.record(context: context, interrupted: { Interruption.happened }) { yield in
                let scorer = ScanScorer(model: model, scanDate: scanDate)
                var stored = StoredAssessments()
                let (options, progress) = input.readOptions(files: files)
                var reading = InventoryScan.read(files: files, reference: model.ruleSet.reference, options: options) { item in
                    scorer.add(item) { yield(stored.item($0)) }
                }
                progress?.finish()
                scorer.finish { yield(stored.item($0)) }
                reading.diagnostics = (reading.diagnostics + scorer.diagnostics).sorted(by: Diagnostic.ordered)
                return reading
            }
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(Interruption.happened ? 130 : 1)
        }
        let reading = recorded.reading
        stages.finished("read, scored and stored", "\(plural(files.count, "file")), \(plural(reading.organisations, "organisation")), \(plural(reading.systems, "system")), \(plural(reading.diagnostics.count, "diagnostic")), snapshot \(recorded.scanID.map(String.init) ?? "none")")
        DiagnosticPrinter.printToStandardError(reading.diagnostics)
        let outcome = ScanOutcome(
            scan: recorded.scanID.map {
                ScanOutcome.Snapshot(id: $0, organisations: reading.organisations, systems: reading.systems, unchangedSince: recorded.unchangedSince)
            },
            diagnostics: reading.diagnostics, files: files.count, store: store.path,
            bands: try recorded.scanID.map { try store.bandCounts(scanID: $0) } ?? [:])
        try Printer.print(outcome, as: format)
        if recorded.scanID == nil {
            Terminal.standardError("sovscan: the inventory is invalid (\(DiagnosticPrinter.summaryLine(reading.diagnostics) ?? "errors")); nothing was stored")
            throw ExitCode(1)
        }
    }
}

struct Scans: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the snapshots in the database, oldest first, with their inputs' SHA-256.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How to print the list.")
    var format: Format<ScanList> = .standard

    func run() throws {
        let store = try database.openExisting()
        let scans: [ScanSummary]
        do {
            scans = try store.scans()
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        try Printer.print(ScanList(scans: scans), as: format)
    }
}

/// Scored items as the store keeps them, each distinct assessment of a
/// vendor converted once.
struct StoredAssessments {
    private struct Key: Hashable {
        var assessment: Int
        var vendor: String
        var unknownAnswers: Int
        var personalDataAbroad: Bool
    }

    /// The assessments converted lately (one converted again is stored once all the same).
    private var converted = NumberedMemo<Key, StoredAssessment>()
    /// The findings of the scores made lately, by the scores' number: the
    /// assessments of several vendors share them.
    private var findingLists = NumberedMemo<Int, StoredFindingList>()

    mutating func item(_ item: ScoredItem) -> ScanItem {
        switch item {
        case .organisation(let organisation):
            return .organisation(organisation)
        case .system(let system, let organisationID, let assessment, let vendor):
            return .system(SystemRecord(system, organisationID: organisationID), assessment: stored(assessment, vendor: vendor, writtenAs: system.vendor))
        case .revised(let system, let organisationID, let assessment, let vendor):
            return .revised(SystemRecord(system, organisationID: organisationID), assessment: stored(assessment, vendor: vendor, writtenAs: system.vendor))
        }
    }

    private mutating func stored(_ assessment: Assessment, vendor: ResolvedParty, writtenAs name: String) -> StoredAssessment {
        let key = Key(assessment: assessment.number, vendor: vendor.id ?? name, unknownAnswers: assessment.unknownAnswers,
                      personalDataAbroad: assessment.personalDataAbroad)
        guard assessment.number >= 0 else {
            return StoredAssessment(assessment, vendor: vendor, writtenAs: name, findings: StoredFindingList(StoredAssessment.findings(of: assessment)))
        }
        let findings = findingLists.value(for: assessment.number) { StoredFindingList(StoredAssessment.findings(of: assessment)) }.value
        let convert = { StoredAssessment(assessment, vendor: vendor, writtenAs: name, findings: findings) }
        var (number, result) = converted.value(for: key, make: convert)
        result.number = number
        return result
    }
}

extension StoredAssessment {
    static func findings(of assessment: Assessment) -> [StoredFinding] {
        (assessment.scores[.lockIn]!.findings + assessment.scores[.jurisdiction]!.findings).map {
            StoredFinding(rule: $0.rule.id, dimension: $0.rule.dimension.rawValue, points: $0.points, accepted: $0.accepted)
        }
    }

    init(_ assessment: Assessment, vendor: ResolvedParty, writtenAs name: String, findings: StoredFindingList) {
        let lockIn = assessment.scores[.lockIn]!, jurisdiction = assessment.scores[.jurisdiction]!
        self.init(
            vendor: vendor.id ?? name, vendorName: vendor.name ?? name, vendorCountry: vendor.country,
            lockIn: lockIn.score, lockInBand: lockIn.band, jurisdiction: jurisdiction.score, jurisdictionBand: jurisdiction.band,
            unknownAnswers: assessment.unknownAnswers, personalDataAbroad: assessment.personalDataAbroad, findings: findings)
    }
}

/// Sources as the JSON the database keeps: `[{"title", "url", "date"}]`.
enum SourceList {
    static func json(_ sources: [Source]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(sources)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

extension Day {
    /// Today's date in UTC.
    static var today: Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

