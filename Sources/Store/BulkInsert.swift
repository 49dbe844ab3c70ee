import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight to a cached prepared statement and runs it: the
/// bulk path of a scan, where building GRDB's `StatementArguments` for every
/// row cost more than SQLite's own work.
struct BulkInsert {
    private let statement: Statement
    private var index: Int32 = 0
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        self.statement = statement
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { return }
        // With its length, so that text holding a NUL ("\0" in YAML) is kept whole.
        var text = value
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement.sqliteStatement, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    /// A list as the JSON array of strings that `json_each` reads (see `JSONList`).
    mutating func bindJSONList(_ values: [String]?) {
        index += 1
        guard let values else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + values.reduce(0) { $0 + $1.utf8.count + 3 })
        JSONList.append(values, to: &bytes)
        bytes.withUnsafeBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement.sqliteStatement, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    mutating func bind(_ value: Int?) {
        index += 1
        if let value { sqlite3_bind_int64(statement.sqliteStatement, index, Int64(value)) }
    }

    mutating func bind(_ value: Bool?) {
        bind(value.map { $0 ? 1 : 0 })
    }

    mutating func bind(_ value: Double?) {
        index += 1
        if let value { sqlite3_bind_double(statement.sqliteStatement, index, value) }
    }

    mutating func bind(_ value: Data) {
        index += 1
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement.sqliteStatement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    /// Runs the statement once with the values bound.
    func run(in db: Database) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
