import Foundation
import GRDB
import GRDBSQLite

/// A prepared insert run for many rows, with values bound straight to it:
/// the bulk path of a scan, where building GRDB's `StatementArguments` for
/// every row cost more than SQLite's own work. Text and blobs of a row are
/// gathered into one buffer, kept from row to row, and SQLite reads them
/// there (`SQLITE_STATIC`) instead of copying each value into an allocation
/// of its own.
final class BulkInsert {
    private let statement: Statement
    /// The buffers of the last row, lent to the next one.
    private var spare: Row

    init(_ statement: Statement) {
        self.statement = statement
        spare = Row(statement.sqliteStatement)
    }

    /// Inserts one row: `values` binds every parameter, in order.
    func insert(in db: Database, _ values: (inout Row) -> Void) throws {
        // The row is a local value while it is bound, so that no binding
        // pays for the checks that a class's stored property needs.
        var row = Row(statement.sqliteStatement)
        swap(&row, &spare)
        values(&row)
        let code = row.run()
        swap(&row, &spare)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    struct Row {
        private let handle: OpaquePointer
        /// The row's text and blob bytes, one after the other.
        private var bytes: [UInt8] = []
        private var pending: [(parameter: Int32, start: Int, count: Int, isBlob: Bool)] = []
        private var parameter: Int32 = 0

        fileprivate init(_ handle: OpaquePointer) {
            self.handle = handle
        }

        mutating func bind(_ value: String?) {
            parameter += 1
            guard var value else { return bindNull() }
            let start = bytes.count
            // With its length, so that text holding a NUL ("\0" in YAML) is kept whole.
            value.withUTF8 { bytes.append(contentsOf: $0) }
            pending.append((parameter, start, bytes.count - start, false))
        }

        /// A list as the JSON array of strings that `json_each` reads (see `JSONList`).
        mutating func bindJSONList(_ values: [String]?) {
            parameter += 1
            guard let values else { return bindNull() }
            let start = bytes.count
            JSONList.append(values, to: &bytes)
            pending.append((parameter, start, bytes.count - start, false))
        }

        mutating func bind(_ value: Int?) {
            parameter += 1
            guard let value else { return bindNull() }
            sqlite3_bind_int64(handle, parameter, Int64(value))
        }

        mutating func bind(_ value: Int64) {
            bind(Int(value))
        }

        mutating func bind(_ value: Bool?) {
            bind(value.map { $0 ? 1 : 0 })
        }

        mutating func bind(_ value: Double?) {
            parameter += 1
            guard let value else { return bindNull() }
            sqlite3_bind_double(handle, parameter, value)
        }

        mutating func bind(_ value: Data) {
            parameter += 1
            let start = bytes.count
            bytes.append(contentsOf: value)
            pending.append((parameter, start, value.count, true))
        }

        private func bindNull() {
            sqlite3_bind_null(handle, parameter)
        }

        /// Binds the gathered text and blobs, runs the statement, and empties
        /// the row for the next one.
        fileprivate mutating func run() -> Int32 {
            assert(parameter == sqlite3_bind_parameter_count(handle), "a row binds every parameter")
            // Never without storage, so that an empty text points into the
            // buffer rather than at nothing (which SQLite would take for NULL).
            bytes.reserveCapacity(1)
            let code = bytes.withUnsafeBufferPointer { buffer in
                let base = UnsafeRawPointer(buffer.baseAddress!)
                for value in pending {
                    if value.isBlob {
                        sqlite3_bind_blob(handle, value.parameter, base + value.start, Int32(value.count), nil)
                    } else {
                        sqlite3_bind_text(handle, value.parameter, (base + value.start).assumingMemoryBound(to: CChar.self),
                                          Int32(value.count), nil)
                    }
                }
                let code = sqlite3_step(handle)
                sqlite3_reset(handle)
                // No binding points into the buffer once it changes.
                sqlite3_clear_bindings(handle)
                return code
            }
            bytes.removeAll(keepingCapacity: true)
            pending.removeAll(keepingCapacity: true)
            parameter = 0
            return code
        }
    }
}
