import Foundation
import GRDB

/// A store that can take another store's snapshots whole, table by table,
/// in one transaction (`sovscan copy`).
public protocol LoadableStore: SQLStore {
    /// Runs `body` in one write transaction: all of it is stored, or nothing.
    func loading(_ body: (any TableLoader) throws -> Void) throws
}

/// The rows of one store's tables going into another's, inside its transaction.
public protocol TableLoader {
    /// The target's connection, for what the copy asks of it.
    var connection: any SQLConnection { get }
    /// Adds rows to `table`: `rows` calls `add` once per row, with the row's values in the order of `columns`.
    func load(_ table: String, columns: [String], rows: (_ add: ([DatabaseValue]) throws -> Void) throws -> Void) throws
}

/// Every snapshot of one store copied into another, empty one, with the
/// ids it had: moving a ministry's file onto the Land's PostgreSQL server,
/// or a server's snapshots into a file. Afterwards every table holds as
/// many rows in one as in the other, or nothing is stored.
public enum SnapshotCopy {
    public struct Outcome: Sendable {
        public var scans: Int
        public var rows: Int
    }

    /// The tables of the schema, each after the tables it refers to, with
    /// the columns that order its rows.
    static let tables: [(name: String, key: String)] = [
        ("scan", "id"), ("scan_input", "scan_id, position"), ("scan_diagnostic", "scan_id, position"),
        ("organisation", "id"), ("scan_organisation", "scan_id, record_id"),
        ("system", "id"), ("system_subprocessor", "record_id, position"), ("system_exception", "record_id, position"),
        ("finding_list", "id"), ("finding_list_entry", "list_id, position"),
        ("assessment", "id"), ("assessment_question", "assessment_id, question"), ("scan_system", "scan_id, record_id"),
        ("ruleset_rule", "ruleset_hash, rule"), ("ruleset_rule_translation", "ruleset_hash, rule, language"),
        ("ruleset_country", "ruleset_hash, country"), ("ruleset_country_law", "ruleset_hash, country, law"),
        ("organisation_score", "scan_id, org_id"), ("organisation_rule", "scan_id, org_id, rule"),
        ("vendor_exposure", "scan_id, org_id, vendor"), ("organisation_question", "scan_id, org_id, question"),
        ("organisation_question_system", "scan_id, org_id, question, system_id"),
        ("exit_set", "id"), ("exit_window", "set_id, act_by, record_id"), ("scan_party", "scan_id, name"),
    ]

    /// The rows a new store holds before its first scan, on either engine:
    /// migration `v4-finding-lists` stores the empty list of findings (id 1).
    public static var seededRows: [(table: String, columns: [String], values: [DatabaseValue])] {
        [("finding_list", ["id", "hash"], [Int64(1).databaseValue, StoredFindingList([]).hash!.data.databaseValue])]
    }

    public static func copy(from source: any SQLStore, to target: any LoadableStore) throws -> Outcome {
        try source.reading { from in
            var outcome = Outcome(scans: 0, rows: 0)
            try target.loading { to in
                let scans: Int = try to.connection.value("SELECT count(*) FROM scan") ?? 0
                guard scans == 0 else {
                    throw StoreError("""
                        \(target.path) holds snapshots already (\(scans) \(scans == 1 ? "scan" : "scans")); \
                        sovscan copy fills an empty store: name a new file or an empty database
                        """)
                }
                if to.connection.dialect == .postgres, let nul = try from.firstTextWithNUL(in: tables.map(\.name)) {
                    throw StoreError("a value of \(nul.table).\(nul.column) in \(source.path) holds a NUL character, which PostgreSQL cannot store; nothing was copied")
                }
                for table in tables {
                    let columns = try from.columns(of: table.name)
                    let theirs = try to.connection.columns(of: table.name)
                    guard Set(columns) == Set(theirs) else {
                        throw StoreError("""
                            the table \(table.name) has other columns in \(target.path) than in \(source.path) \
                            (\(columns.joined(separator: ", ")) against \(theirs.joined(separator: ", "))); \
                            both must be of this sovscan's schema
                            """)
                    }
                    var copied = 0
                    let listed = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    // The rows a new store holds already (`seededRows`) are not added again.
                    let held = Set(try to.connection.rows("SELECT \(listed) FROM \(table.name)").map(\.databaseValues))
                    try to.load(table.name, columns: columns) { add in
                        try from.forEachRow("SELECT \(listed) FROM \(table.name) ORDER BY \(table.key)", []) { row in
                            let values = row.databaseValues
                            if !held.contains(values) { try add(values) }
                            copied += 1
                        }
                    }
                    let stored: Int = try to.connection.value("SELECT count(*) FROM \(table.name)") ?? 0
                    guard stored == copied else {
                        throw StoreError("the table \(table.name) holds \(stored) rows in \(target.path) after \(copied) were copied; nothing was stored")
                    }
                    outcome.rows += copied
                    if table.name == "scan" { outcome.scans = copied }
                }
            }
            return outcome
        }
    }
}

extension SnapshotDatabase: LoadableStore {
    public func loading(_ body: (any TableLoader) throws -> Void) throws {
        do {
            try writer.write { db in try body(SQLiteLoader(db: db)) }
        } catch let error as DatabaseError {
            throw Self.describe(error, path: path)
        }
    }
}

/// Rows into SQLite, a prepared insert per table.
private struct SQLiteLoader: TableLoader {
    let db: Database

    var connection: any SQLConnection { SQLiteConnection(db) }

    func load(_ table: String, columns: [String], rows: (([DatabaseValue]) throws -> Void) throws -> Void) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO \(table) (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) \
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """)
        try rows { values in try statement.execute(arguments: StatementArguments(values)) }
    }
}

extension SQLConnection {
    /// The first column of `tables` whose text holds a NUL character, which
    /// SQLite keeps and PostgreSQL cannot store (nor GRDB read past): a
    /// move into PostgreSQL refuses it by name rather than cut the text
    /// short. Nil on an engine that cannot hold one.
    public func firstTextWithNUL(in tables: [String]) throws -> (table: String, column: String)? {
        guard dialect == .sqlite else { return nil }
        for table in tables {
            let texts: [String] = try values("SELECT name FROM pragma_table_info(?) WHERE type = 'TEXT'", [table])
            guard !texts.isEmpty else { continue }
            // One pass over the table; the column is looked for only when a row has one.
            let holding = texts.map { "instr(\"\($0)\", char(0)) > 0" }
            guard let row = try row("SELECT \(holding.joined(separator: ", ")) FROM \(table) WHERE \(holding.joined(separator: " OR ")) LIMIT 1")
            else { continue }
            if let index = texts.indices.first(where: { row[$0] as Bool }) { return (table, texts[index]) }
        }
        return nil
    }
}
