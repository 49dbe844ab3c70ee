import Domain
import Foundation
import GRDB
import GRDBSQLite

/// An insert run for many rows, with values bound straight to SQLite: the
/// bulk path of a scan, where building GRDB's `StatementArguments` for every
/// row cost more than SQLite's own work. Text and blobs are gathered into
/// one buffer, kept from row to row, and SQLite reads them there
/// (`SQLITE_STATIC`) instead of copying each value into an allocation of its
/// own.
///
/// Rows whose ids nobody needs are written several to a statement, which
/// spares SQLite setting the statement up for each row: they are stored when
/// a statement's worth is gathered, or at `flush`, which must run before
/// anything reads the table. Such a statement is written `INSERT OR IGNORE`
/// for rows unique by construction: one that could stop halfway on a
/// conflict makes SQLite copy every page it changes to a statement journal
/// first (at 100,000 systems, 230 MB written to a temporary file).
final class BulkInsert {
    private let prefix: String
    private let columns: Int
    private let rowsPerStatement: Int
    private let statement: Statement
    /// The rows gathered and not yet stored.
    private var rows = 0
    /// The buffers of the rows gathered, lent to each row as it is bound.
    private var spare = Row()

    /// `insert` is the statement up to its values, e.g. `INSERT INTO t (a, b)`.
    init(_ db: Database, _ insert: String, columns: Int, rowsPerStatement: Int = 1) throws {
        prefix = insert
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        statement = try db.makeStatement(sql: Self.sql(insert, columns: columns, rows: rowsPerStatement))
    }

    private static func sql(_ insert: String, columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return insert + " VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Adds one row: `values` binds every column, in order.
    func insert(in db: Database, _ values: (inout Row) -> Void) throws {
        // The row is a local value while it is bound, so that no binding
        // pays for the checks that a class's stored property needs.
        var row = Row()
        swap(&row, &spare)
        values(&row)
        swap(&row, &spare)
        rows += 1
        if rows == rowsPerStatement { try store(using: statement, in: db) }
    }

    /// Stores one row at once, with a statement of one row: the new row's
    /// id, or nil when `OR IGNORE` left it out (asked of SQLite directly:
    /// GRDB's `changesCount` and `lastInsertedRowID` first check which
    /// thread asks, which cost more than the insert's bookkeeping).
    func insertReturningID(in db: Database, _ values: (inout Row) -> Void) throws -> Int64? {
        precondition(rowsPerStatement == 1, "a row's id is known once it is stored")
        try insert(in: db, values)
        guard sqlite3_changes(db.sqliteConnection) > 0 else { return nil }
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    /// Stores the rows gathered.
    func flush(in db: Database) throws {
        guard rows > 0 else { return }
        try store(using: db.cachedStatement(sql: Self.sql(prefix, columns: columns, rows: rows)), in: db)
    }

    private func store(using statement: Statement, in db: Database) throws {
        // A row that binds a value too few or too many would shift every
        // value after it into the wrong column: refused, in every build.
        guard spare.values.count == rows * columns else {
            throw StoreError("\(rows) rows bound \(spare.values.count) values for \(columns) columns each; nothing is stored")
        }
        let code = spare.run(statement.sqliteStatement)
        rows = 0
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    struct Row {
        fileprivate enum Value {
            case null, integer(Int64), real(Double)
            /// Bytes of the buffer.
            case text(start: Int, count: Int), blob(start: Int, count: Int)
        }

        fileprivate var values: [Value] = []
        /// The text and blob bytes, one after the other.
        private var bytes: [UInt8] = []

        mutating func bind(_ value: String?) {
            guard var value else { return values.append(.null) }
            let start = bytes.count
            // With its length, so that text holding a NUL ("\0" in YAML) is kept whole.
            value.withUTF8 { bytes.append(contentsOf: $0) }
            values.append(.text(start: start, count: bytes.count - start))
        }

        /// A list as the JSON array of strings that `json_each` reads (see `JSONList`).
        mutating func bindJSONList(_ list: [String]?) {
            guard let list else { return values.append(.null) }
            let start = bytes.count
            JSONList.append(list, to: &bytes)
            values.append(.text(start: start, count: bytes.count - start))
        }

        mutating func bind(_ value: Int?) {
            values.append(value.map { .integer(Int64($0)) } ?? .null)
        }

        mutating func bind(_ value: Int64) {
            values.append(.integer(value))
        }

        mutating func bind(_ value: Bool?) {
            bind(value.map { $0 ? 1 : 0 })
        }

        mutating func bind(_ value: Double?) {
            values.append(value.map { .real($0) } ?? .null)
        }

        mutating func bind(_ hash: ContentHash) {
            let start = bytes.count
            hash.withUnsafeBytes { bytes.append(contentsOf: $0) }
            values.append(.blob(start: start, count: bytes.count - start))
        }

        /// Binds the values gathered, runs the statement, and empties the
        /// buffers for the next rows.
        fileprivate mutating func run(_ handle: OpaquePointer) -> Int32 {
            // Never without storage, so that an empty text points into the
            // buffer rather than at nothing (which SQLite would take for NULL).
            bytes.reserveCapacity(1)
            let code = bytes.withUnsafeBufferPointer { buffer in
                let base = UnsafeRawPointer(buffer.baseAddress!)
                for (index, value) in values.enumerated() {
                    let parameter = Int32(index + 1)
                    switch value {
                    case .null: sqlite3_bind_null(handle, parameter)
                    case .integer(let number): sqlite3_bind_int64(handle, parameter, number)
                    case .real(let number): sqlite3_bind_double(handle, parameter, number)
                    case .text(let start, let count):
                        sqlite3_bind_text(handle, parameter, (base + start).assumingMemoryBound(to: CChar.self), Int32(count), nil)
                    case .blob(let start, let count):
                        sqlite3_bind_blob(handle, parameter, base + start, Int32(count), nil)
                    }
                }
                let code = sqlite3_step(handle)
                sqlite3_reset(handle)
                // No binding points into the buffer once it changes.
                sqlite3_clear_bindings(handle)
                return code
            }
            bytes.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            return code
        }
    }
}
