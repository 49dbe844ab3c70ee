import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO
import Store

/// The store's queries on one PostgreSQL connection: `?` parameters become
/// `$n`, values are bound as GRDB converts them, and rows come back as the
/// same database values SQLite gives (integers, reals, text, bytes), so that
/// every query reads alike on both engines. PostgresNIO is asynchronous;
/// a command of sovscan is not, and waits for each answer.
final class PostgresSession: SQLConnection, @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Numbers the cursors of rows visited one inside another's visit.
    private var cursors = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, _ arguments: SQLArguments = []) throws {
        _ = try run(Self.query(sql, arguments))
    }

    /// A query, waited for; a connection the server has ended is said so at
    /// once (a query sent on it would wait for an answer that never comes).
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        guard !connection.isClosed else {
            throw StoreError("the PostgreSQL server ended the connection (it was shut down, restarted, or an administrator ended it); nothing more was read or stored")
        }
        return try connection.query(query, logger: logger).wait()
    }

    func hasTable(_ name: String) throws -> Bool {
        var exists = false
        try forEachRow("SELECT to_regclass(?) IS NOT NULL", [name]) { row in exists = row[0] }
        return exists
    }

    func columns(of table: String) throws -> [String] {
        try values("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
            ORDER BY ordinal_position
            """, [table])
    }

    /// Rows through a cursor, a thousand at a time, so that a list of a
    /// million systems is never held whole. A cursor lives in a
    /// transaction, as every reading does.
    func forEachRow(_ sql: String, _ arguments: SQLArguments, _ visit: (StoredRow) throws -> Void) throws {
        cursors += 1
        defer { cursors -= 1 }
        let cursor = "sovscan_rows_\(cursors)"
        try execute("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, arguments)
        var names: StoredRow.ColumnNames?
        while true {
            let batch = try run(PostgresQuery(unsafeSQL: "FETCH 1000 FROM \(cursor)"))
            var fetched = 0
            for row in batch.rows {
                fetched += 1
                let cells = Array(row)
                let columns = names ?? StoredRow.ColumnNames(cells.map(\.columnName))
                names = columns
                try visit(StoredRow(values: try cells.map(Self.value), names: columns))
            }
            if fetched < 1000 { break }
        }
        try execute("CLOSE \(cursor)")
    }

    /// A query with its parameters numbered as PostgreSQL writes them
    /// (`?` → `$1`, `$2`, …; `?2` → `$2`), outside quoted text and names.
    static func query(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQuery {
        var converted = "", next = 1, quote: Character?
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if let open = quote {
                if character == open { quote = nil }
                converted.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                converted.append(character)
            } else if character == "?" {
                var digits = ""
                while let digit = pending, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    pending = characters.next()
                }
                if digits.isEmpty {
                    digits = String(next)
                    next += 1
                }
                converted += "$" + digits
            } else {
                converted.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch (argument?.databaseValue ?? .null).storage {
            case .null: bindings.appendNull()
            case .int64(let number): bindings.append(number)
            case .double(let number): bindings.append(number)
            case .string(let text): bindings.append(text)
            case .blob(let data): bindings.append(ByteBuffer(bytes: data))
            }
        }
        return PostgresQuery(unsafeSQL: converted, binds: bindings)
    }

    /// A cell as the database value SQLite would give for its column.
    private static func value(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return try cell.decode(Int64.self).databaseValue
        case .bool:
            return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .float4, .float8:
            return try cell.decode(Double.self).databaseValue
        case .bytea:
            let bytes = try cell.decode(ByteBuffer.self)
            return Data(bytes.readableBytesView).databaseValue
        case .text, .varchar, .name, .bpchar, .json, .unknown:
            return try cell.decode(String.self).databaseValue
        default:
            throw StoreError("the column '\(cell.columnName)' came back as PostgreSQL type \(cell.dataType), which sovscan does not read; the database was changed outside sovscan")
        }
    }
}
