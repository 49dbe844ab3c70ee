import Domain
import Foundation
import GRDB
import Inventory
import Threads

/// What is known of a scan before its inventories are read.
public struct ScanContext: Sendable {
    public var toolVersion: String
    public var rulesetName: String
    public var rulesetVersion: String
    public var rulesetHash: String
    public var profile: String?
    public var rules: [StoredRule]
    /// The rule set's countries, with the laws that reach data held under
    /// each: what reports show of a vendor's country of control.
    public var countries: [StoredCountry]
    /// The snapshot's as-of date when it is given (a snapshot scored again
    /// keeps the one it had); nil: the latest `as_of` of its organisations,
    /// else the day it is made.
    public var asOf: Day?

    public init(toolVersion: String, rulesetName: String, rulesetVersion: String, rulesetHash: String,
                profile: String?, rules: [StoredRule], countries: [StoredCountry], asOf: Day? = nil) {
        self.toolVersion = toolVersion
        self.rulesetName = rulesetName
        self.rulesetVersion = rulesetVersion
        self.rulesetHash = rulesetHash
        self.profile = profile
        self.rules = rules
        self.countries = countries
        self.asOf = asOf
    }
}

/// The outcome of recording a scan: the snapshot's id, or nil when the input
/// had errors and nothing was written.
public struct RecordedScan: Sendable {
    public var scanID: Int64?
    public var reading: ScanReading
    /// The scan before, when this one read the same inputs (by SHA-256, in
    /// order) with the same rule set and profile.
    public var unchangedSince: Int64?
}

/// Writes the items of one scan inside the snapshot's transaction, storing
/// each distinct record once and referencing it from the scan.
final class SnapshotWriter {
    private let db: Database
    private let scanID: Int64
    private(set) var failure: (any Error)?
    /// The assessments this scan stored or found, by their number.
    private var assessmentIDs: [Int: Int64] = [:]
    private(set) var asOfDates: [Day] = []
    private var totals = TotalsKeeper()

    /// The statements run for every system, prepared once: looking them up
    /// in GRDB's cache by their text cost more than running some of them.
    private let insertAssessment: BulkInsert
    private let insertQuestion: BulkInsert
    private var findingLists: FindingLists
    private let insertSystem: BulkInsert
    private let insertLink: BulkInsert

    init(db: Database, scanID: Int64) throws {
        self.db = db
        self.scanID = scanID
        insertAssessment = try BulkInsert(db, """
            INSERT OR IGNORE INTO assessment (hash, vendor, vendor_name, vendor_country, lock_in, lock_in_band,
                jurisdiction, jurisdiction_band, unknown_answers, personal_data_abroad, finding_list_id,
                personal_data, personal_data_outside_bloc, personal_data_foreign_law,
                lock_in_unknown_points, jurisdiction_unknown_points)
            """, columns: 16)
        insertQuestion = try BulkInsert(db, "INSERT OR IGNORE INTO assessment_question (assessment_id, question, lock_in_points, jurisdiction_points)",
                                        columns: 4, rowsPerStatement: 64)
        findingLists = try FindingLists(db)
        let columns = System.columnFields.map { $0.column! }
        insertSystem = try BulkInsert(db, "INSERT OR IGNORE INTO system (hash, org_id, \(columns.joined(separator: ", ")))",
                                      columns: 2 + columns.count)
        insertLink = try BulkInsert(db, "INSERT OR IGNORE INTO scan_system (scan_id, record_id, assessment_id)", columns: 3, rowsPerStatement: 64)
    }

    /// Records one item; false after the first failure.
    func add(_ item: ScanItem) -> Bool {
        do {
            switch item {
            case .system(let record, let assessment):
                let assessmentID = try addAssessment(assessment)
                let recordID = try addSystem(record, assessmentID: assessmentID)
                totals.add(record, recordID: recordID, assessment: assessment)
            case .organisation(let organisation):
                totals.organisationRecords[organisation.id] = try addOrganisation(organisation)
            case .revised(let record, let assessment):
                try flush()
                let assessmentID = try addAssessment(assessment)
                let recordID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM system WHERE hash = ?"), arguments: [record.hash.data])!
                try db.cachedStatement(sql: "UPDATE scan_system SET assessment_id = ? WHERE scan_id = ? AND record_id = ?")
                    .execute(arguments: [assessmentID, scanID, recordID])
                totals.revise(record, recordID: recordID, assessment: assessment)
            case .parties(let parties):
                try addParties(parties)
            }
            return true
        } catch {
            failure = error
            return false
        }
    }

    private func addOrganisation(_ organisation: Organisation) throws -> Int64 {
        if let asOf = organisation.asOf { asOfDates.append(asOf) }
        let hash = organisation.contentHash.data
        let existing = try db.cachedStatement(sql: "SELECT id FROM organisation WHERE hash = ?")
        var recordID = try Int64.fetchOne(existing, arguments: [hash])
        if recordID == nil {
            try db.cachedStatement(sql: """
                INSERT INTO organisation (hash, org_id, name, type, parent, country, as_of, has_inventory)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    hash, organisation.id, organisation.name, organisation.type.rawValue, organisation.parent,
                    organisation.country, organisation.asOf?.description, organisation.hasInventory,
                ])
            recordID = db.lastInsertedRowID
        }
        try db.cachedStatement(sql: "INSERT INTO scan_organisation (scan_id, record_id, file, line) VALUES (?, ?, ?, ?)")
            .execute(arguments: [scanID, recordID, organisation.file, organisation.location.line])
        return recordID!
    }

    private func addParties(_ parties: [StoredParty]) throws {
        let insert = try BulkInsert(db, "INSERT OR IGNORE INTO scan_party (scan_id, name, chain, investor)", columns: 4, rowsPerStatement: 64)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for party in parties {
            let chain = String(decoding: try encoder.encode(party.chain), as: UTF8.self)
            let investor = String(decoding: try encoder.encode(party.investor), as: UTF8.self)
            try insert.insert(in: db) { row in
                row.bind(scanID)
                row.bind(party.name)
                row.bind(chain)
                row.bind(investor)
            }
        }
        try insert.flush(in: db)
    }

    /// Stores an assessment once; identical ones are shared by systems and scans.
    private func addAssessment(_ assessment: StoredAssessment) throws -> Int64 {
        if let number = assessment.number, let known = assessmentIDs[number] { return known }
        let assessmentID = try storeAssessment(assessment)
        if let number = assessment.number { assessmentIDs[number] = assessmentID }
        return assessmentID
    }

    private func storeAssessment(_ assessment: StoredAssessment) throws -> Int64 {
        guard let hash = assessment.hash else { preconditionFailure("an assessment made for a tally, with no hash, reached the store") }
        let findingList = try findingLists.id(of: assessment.findingList, in: db)
        let inserted = try insertAssessment.insertReturningID(in: db) { row in
            row.bind(hash)
            row.bind(assessment.vendor)
            row.bind(assessment.vendorName)
            row.bind(assessment.vendorCountry)
            row.bind(assessment.lockIn)
            row.bind(assessment.lockInBand.rawValue)
            row.bind(assessment.jurisdiction)
            row.bind(assessment.jurisdictionBand.rawValue)
            row.bind(assessment.unknownAnswers)
            row.bind(assessment.personalData.isAbroad)
            row.bind(findingList)
            row.bind(assessment.personalData.held)
            row.bind(assessment.personalData.outsideBloc)
            row.bind(assessment.personalData.underForeignLaw)
            row.bind(assessment.unknownPoints.lockIn)
            row.bind(assessment.unknownPoints.jurisdiction)
        }
        guard let inserted else {
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM assessment WHERE hash = ?"), arguments: [hash.data])!
        }
        // A new assessment's questions are new too: its id is.
        for open in assessment.unknownPoints.questions {
            try insertQuestion.insert(in: db) { row in
                row.bind(inserted)
                row.bind(open.question)
                row.bind(open.lockIn)
                row.bind(open.jurisdiction)
            }
        }
        return inserted
    }

    /// Stores the system's record unless it is stored already; returns its id.
    private func addSystem(_ record: SystemRecord, assessmentID: Int64) throws -> Int64 {
        let system = record.system, hash = record.hash
        let contract = system.contract
        // Bound field by field in the order of `System.columnFields` (the
        // insert's columns): the bulk path of a scan, where going through
        // each field's value cost 1% of a 100k scan.
        let inserted = try insertSystem.insertReturningID(in: db) { row in
            row.bind(hash)
            row.bind(record.organisationID)
            row.bind(system.id)
            row.bind(system.name)
            row.bind(system.function)
            row.bind(system.product)
            row.bind(system.vendor)
            row.bind(system.operatorName)
            row.bind(system.deployment.rawValue)
            row.bind(system.hosting.provider)
            row.bindJSONList(system.hosting.dataLocation)
            row.bindJSONList(system.hosting.processingLocation)
            row.bindJSONList(system.hosting.supportAccess)
            row.bind(system.licence)
            row.bind(system.users)
            row.bind(system.criticality.rawValue)
            row.bind(system.data.personal)
            row.bind(system.data.specialCategories)
            row.bind(system.data.classification?.rawValue)
            row.bindJSONList(system.formats)
            row.bindJSONList(system.interfaces)
            row.bind(system.export?.rawValue)
            row.bind(system.telemetry?.rawValue)
            row.bind(system.encryptionKeys?.rawValue)
            row.bindJSONList(system.dependsOn)
            row.bind(contract?.ends?.description)
            row.bind(contract?.noticeMonths)
            row.bind(contract?.exitPlan)
            row.bind(contract?.annualCostEUR)
            row.bind(contract?.governingLaw)
            row.bind(system.substitutability?.rawValue)
            row.bindJSONList(system.alternatives)
            row.bind(system.notes)
        }
        // A record already stored (an unchanged system) is ignored by the
        // insert and referenced instead.
        guard let recordID = inserted else {
            let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM system WHERE hash = ?"), arguments: [hash.data])!
            try linkSystem(existing, assessmentID: assessmentID)
            return existing
        }
        for (position, subprocessor) in system.subprocessors.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO system_subprocessor (record_id, position, name, country) VALUES (?, ?, ?, ?)")
                .execute(arguments: [recordID, position, subprocessor.name, subprocessor.country])
        }
        for (position, exception) in system.exceptions.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO system_exception (record_id, position, rule, reason, owner, expires) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [recordID, position, exception.rule, exception.reason, exception.owner, exception.expires.description])
        }
        try linkSystem(recordID, assessmentID: assessmentID)
        return recordID
    }

    /// Writes the scan's totals, once its as-of date is stored.
    func writeTotals() throws {
        try flush()
        try totals.write(db, scanID: scanID)
    }

    /// Stores the rows gathered for statements of several rows.
    private func flush() throws {
        try insertLink.flush(in: db)
        try insertQuestion.flush(in: db)
        try findingLists.flush(in: db)
    }

    private func linkSystem(_ recordID: Int64, assessmentID: Int64) throws {
        // A record's hash includes its organisation and system id, both
        // unique in a scan, so a record is linked once.
        try insertLink.insert(in: db) { row in
            row.bind(scanID)
            row.bind(recordID)
            row.bind(assessmentID)
        }
    }
}

extension SnapshotDatabase {
    /// Records one scan: `read` reads the inventories on a thread of its own
    /// and hands every item over, while this thread writes them. It is one
    /// transaction: when the input has errors, `interrupted` turns true
    /// (asked between batches and before the commit), or anything fails,
    /// nothing is stored.
    public func record(
        context: ScanContext, interrupted: () -> Bool,
        read: @escaping @Sendable (_ yield: (ScanItem) -> Void) -> ScanReading
    ) throws -> RecordedScan {
        let startedAt = Date()
        var outcome: RecordedScan?
        do {
            try writer.writeWithoutTransaction { db in
                // Every id the writer stores is one it has just inserted or
                // looked up, so SQLite's check of each reference is not needed:
                // checking them cost a lookup per reference, a read from disk
                // for a system whose page left the cache (an exit window's).
                // The tests check the references of the snapshots they write.
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                let firstSnapshot = try Self.writesFirstSnapshot(db)
                // Should WAL mode not be set again (a reader has the file
                // open), the next sovscan to open the file sets it.
                defer { if firstSnapshot { try? Self.useWriteAheadLog(db) } }
                try db.inTransaction(.immediate) {
                    try db.execute(sql: """
                        INSERT INTO scan (started_at, finished_at, as_of, tool_version, ruleset_name, ruleset_version, ruleset_hash, profile, organisations, systems)
                        VALUES (?, '', '', ?, ?, ?, ?, ?, 0, 0)
                        """, arguments: [Timestamp.iso(startedAt), context.toolVersion, context.rulesetName, context.rulesetVersion,
                                         context.rulesetHash, context.profile])
                    let scanID = db.lastInsertedRowID
                    let writer = try SnapshotWriter(db: db, scanID: scanID)
                    let channel = BatchChannel<ScanItem>(capacity: 16)
                    let reader = BackgroundTask {
                        defer { channel.close() }
                        var batch: [ScanItem] = []
                        var sending = true
                        let reading = read { item in
                            guard sending else { return }
                            batch.append(item)
                            if batch.count == 256 {
                                sending = channel.send(batch)
                                batch.removeAll(keepingCapacity: true)
                            }
                        }
                        // Nothing of an invalid input is written.
                        if !reading.hasErrors { channel.send(batch) }
                        return reading
                    }
                    var writing = true
                    while writing, let batch = channel.receive() {
                        if interrupted() {
                            // The reader is left to finish on its own: the process is ending.
                            channel.cancel()
                            throw StoreError.interrupted
                        }
                        // By index, so that each item is lent rather than copied out.
                        for index in batch.indices where !writer.add(batch[index]) {
                            channel.cancel()
                            writing = false
                            break
                        }
                    }
                    let reading = reader.wait()
                    if let failure = writer.failure { throw failure }
                    guard !reading.hasErrors else {
                        outcome = RecordedScan(scanID: nil, reading: reading)
                        return .rollback
                    }
                    for (position, file) in reading.files.enumerated() {
                        try db.execute(sql: "INSERT INTO scan_input (scan_id, position, path, sha256, bytes) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [scanID, position, file.path, file.sha256, file.bytes])
                    }
                    // Many rows per statement: a scan may warn about every sixth contract.
                    let insertDiagnostic = try BulkInsert(db, """
                        INSERT OR IGNORE INTO scan_diagnostic (scan_id, position, file, line, "column", severity, code, message)
                        """, columns: 8, rowsPerStatement: 64)
                    for (position, diagnostic) in reading.diagnostics.enumerated() {
                        try insertDiagnostic.insert(in: db) { row in
                            row.bind(scanID)
                            row.bind(position)
                            row.bind(diagnostic.file)
                            row.bind(diagnostic.location.line)
                            row.bind(diagnostic.location.column)
                            row.bind(diagnostic.severity.rawValue)
                            row.bind(diagnostic.code)
                            row.bind(diagnostic.message)
                        }
                    }
                    try insertDiagnostic.flush(in: db)
                    let rulesetKey = context.rulesetHash + (context.profile.map { "/" + $0 } ?? "")
                    for rule in context.rules {
                        try db.execute(sql: """
                            INSERT OR IGNORE INTO ruleset_rule (ruleset_hash, rule, dimension, title, points, rationale, sources)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [rulesetKey, rule.id, rule.dimension, rule.title, rule.points, rule.rationale, rule.sources])
                        for (language, translation) in rule.translations {
                            try db.execute(sql: """
                                INSERT OR IGNORE INTO ruleset_rule_translation (ruleset_hash, rule, language, title, rationale)
                                VALUES (?, ?, ?, ?, ?)
                                """, arguments: [rulesetKey, rule.id, language.rawValue, translation.title, translation.rationale])
                        }
                    }
                    try Self.writeCountries(db, context: context)
                    let asOf = context.asOf?.description ?? writer.asOfDates.max()?.description ?? Timestamp.day(startedAt)
                    try db.execute(sql: "UPDATE scan SET finished_at = ?, as_of = ?, organisations = ?, systems = ? WHERE id = ?",
                                   arguments: [Timestamp.iso(Date()), asOf, reading.organisations, reading.systems, scanID])
                    try writer.writeTotals()
                    let unchangedSince = try context.unchangedSince(SQLiteConnection(db), scanID: scanID, inputs: reading.files.map(\.sha256))
                    if interrupted() { throw StoreError.interrupted }
                    outcome = RecordedScan(scanID: scanID, reading: reading, unchangedSince: unchangedSince)
                    return .commit
                }
            }
        } catch {
            throw Self.describe(error, path: path)
        }
        return outcome!
    }
}

extension SnapshotDatabase {
    /// The rule set's countries and the laws reaching each, once per rule set.
    static func writeCountries(_ db: Database, context: ScanContext) throws {
        guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ruleset_country WHERE ruleset_hash = ?)",
                                 arguments: [context.rulesetHash])! else { return }
        let country = try db.makeStatement(sql: "INSERT INTO ruleset_country (ruleset_hash, country, name, bloc) VALUES (?, ?, ?, ?)")
        let law = try db.makeStatement(sql: "INSERT INTO ruleset_country_law (ruleset_hash, country, law, name) VALUES (?, ?, ?, ?)")
        for entry in context.countries {
            try country.execute(arguments: [context.rulesetHash, entry.code, entry.name, entry.bloc])
            for reaching in entry.laws {
                try law.execute(arguments: [context.rulesetHash, entry.code, reaching.id, reaching.name])
            }
        }
    }
}

extension ScanContext {
    /// The scan before `scanID`, when it read the same inputs (by SHA-256, in
    /// order) with the same rule set and profile; nil otherwise.
    public func unchangedSince(_ db: any SQLConnection, scanID: Int64, inputs: [String]) throws -> Int64? {
        guard let previous = try db.row("SELECT id, ruleset_hash, profile FROM scan WHERE id < ? ORDER BY id DESC LIMIT 1", [scanID]),
              previous["ruleset_hash"] == rulesetHash, previous["profile"] == profile
        else { return nil }
        let previousInputs: [String] = try db.values("SELECT sha256 FROM scan_input WHERE scan_id = ? ORDER BY position", [previous["id"] as Int64])
        return previousInputs == inputs ? previous["id"] : nil
    }
}

extension SnapshotDatabase {
    /// Whether this scan writes the first snapshot of the database, with a
    /// rollback journal rather than the write-ahead log. With nothing stored
    /// yet, the journal keeps only the few pages of the empty tables, and
    /// the pages written go straight into the file. The log would take
    /// every page, twice over for those the page cache lets go of before
    /// the end, and copy them all into the file again after the commit, on
    /// the one thread left at the end (7% of the wall time of a first scan of
    /// 100,000 systems, docs/performance.md). Either way the
    /// snapshot is all stored or not at all. Once another connection uses
    /// the file, SQLite keeps it in WAL mode, and the scan is written
    /// through the log as any later one.
    static func writesFirstSnapshot(_ db: Database) throws -> Bool {
        guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM scan)")! else { return false }
        do {
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return false
        }
    }
}

/// Times as stored: ISO 8601 in UTC.
enum Timestamp {
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func day(_ date: Date) -> String {
        String(iso(date).prefix(10))
    }
}
