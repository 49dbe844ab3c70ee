import Domain
import Foundation
import GRDB

/// Lists of findings, each stored once: many assessments differ only in
/// their vendor or scores and share their findings (at 100,000 systems,
/// 44,061 assessments have 14,710 distinct lists).
struct FindingLists {
    /// The lists this scan stored or found, by hash; forgotten when full,
    /// as the database still finds them by hash.
    private var known: [ContentHash: Int64] = [:]
    private static let capacity = 50_000
    private let insertList: BulkInsert
    private let insertEntry: BulkInsert

    init(_ db: Database) throws {
        insertList = try BulkInsert(db, "INSERT OR IGNORE INTO finding_list (hash)", columns: 1)
        insertEntry = try BulkInsert(db, "INSERT OR IGNORE INTO finding_list_entry (list_id, position, rule, dimension, points, accepted)",
                                     columns: 6, rowsPerStatement: 64)
    }

    /// The id of the stored list, stored now if it is new.
    mutating func id(of list: StoredFindingList, in db: Database) throws -> Int64 {
        guard let hash = list.hash else { preconditionFailure("a finding list made for a tally, with no hash, reached the store") }
        if let id = known[hash] { return id }
        let id: Int64
        if let inserted = try insertList.insertReturningID(in: db, { $0.bind(hash) }) {
            id = inserted
            for (position, finding) in list.findings.enumerated() {
                try insertEntry.insert(in: db) { row in
                    row.bind(id)
                    row.bind(position)
                    row.bind(finding.rule)
                    row.bind(finding.dimension)
                    row.bind(finding.points)
                    row.bind(finding.accepted)
                }
            }
        } else {
            id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM finding_list WHERE hash = ?"), arguments: [hash.data])!
        }
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[hash] = id
        return id
    }

    /// Stores the entries of the lists gathered.
    func flush(in db: Database) throws {
        try insertEntry.flush(in: db)
    }

    /// Migration `v4-finding-lists`: moves the findings of every assessment
    /// from the table `assessment_finding` into shared lists.
    static func moveFindings(_ db: Database) throws {
        var lists = try FindingLists(db)
        let setList = try db.makeStatement(sql: "UPDATE assessment SET finding_list_id = ? WHERE id = ?")
        var current: (assessment: Int64, findings: [StoredFinding])?
        func finish() throws {
            guard let current else { return }
            let id = try lists.id(of: StoredFindingList(current.findings), in: db)
            try setList.execute(arguments: [id, current.assessment])
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT assessment_id, rule, dimension, points, accepted FROM assessment_finding ORDER BY assessment_id, position
            """)
        while let row = try rows.next() {
            let assessment: Int64 = row[0]
            if current?.assessment != assessment {
                try finish()
                current = (assessment, [])
            }
            current!.findings.append(StoredFinding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4]))
        }
        try finish()
        let none = try lists.id(of: StoredFindingList([]), in: db)
        try lists.flush(in: db)
        try db.execute(sql: "UPDATE assessment SET finding_list_id = ? WHERE finding_list_id IS NULL", arguments: [none])
    }
}
