import Foundation
import GRDB

/// The values bound to a statement's parameters, in order, as GRDB converts
/// them (`Int64`, `Int`, `Bool` as 0 or 1, `Double`, `String`, `Data`, nil).
public typealias SQLArguments = [(any DatabaseValueConvertible)?]

/// One connection of one database engine, inside the transaction its store
/// opened: what the store's queries run on. The queries (SnapshotContents,
/// SnapshotTotals, SnapshotInventory, Explanation, …) are written once, in
/// SQL that SQLite and PostgreSQL both read, with `?` for a parameter (`?2`
/// for the second when it is used twice) and `dialect` for the one place
/// the engines differ: a list passed as one parameter.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: SQLArguments) throws
    /// Visits the rows of a query one at a time; a row is valid only during its visit.
    func forEachRow(_ sql: String, _ arguments: SQLArguments, _ visit: (StoredRow) throws -> Void) throws
    /// Whether the schema has this table yet (a migration may read before a later one adds it).
    func hasTable(_ name: String) throws -> Bool
    /// The columns of a table, in the schema's order.
    func columns(of table: String) throws -> [String]
}

/// Where SQLite and PostgreSQL write the same thing differently, and where
/// they cost differently.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// Whether the engine runs in this process, where reading a row costs
    /// little (SQLite), rather than on a server that sends each row over a
    /// connection (PostgreSQL): a query whose rows are mostly left unused
    /// is better narrowed on a server.
    public var isInProcess: Bool { self == .sqlite }

    /// The texts of a JSON list of strings bound as parameter `parameter`
    /// (`?2`), as a one-column query (`value`) for `IN (…)`.
    public func listValues(_ parameter: String) -> String {
        switch self {
        case .sqlite: "SELECT value FROM json_each(\(parameter))"
        case .postgres: "SELECT value FROM json_array_elements_text(CAST(\(parameter) AS json))"
        }
    }

    /// As `listValues`, of a list of numbers written as texts.
    public func listNumbers(_ parameter: String) -> String {
        "SELECT CAST(value AS BIGINT) FROM (\(listValues(parameter))) AS listed"
    }
}

extension SQLConnection {
    /// Every row of a query, copied.
    public func rows(_ sql: String, _ arguments: SQLArguments = []) throws -> [StoredRow] {
        var rows: [StoredRow] = []
        try forEachRow(sql, arguments) { rows.append($0.copy()) }
        return rows
    }

    /// The first row of a query, copied; nil when there is none.
    public func row(_ sql: String, _ arguments: SQLArguments = []) throws -> StoredRow? {
        var first: StoredRow?
        try forEachRow(sql, arguments) { row in
            if first == nil { first = row.copy() }
        }
        return first
    }

    /// The first column of every row.
    public func values<Value: DatabaseValueConvertible>(_ sql: String, _ arguments: SQLArguments = []) throws -> [Value] {
        var values: [Value] = []
        try forEachRow(sql, arguments) { values.append($0[0]) }
        return values
    }

    /// The first column of the first row; nil when there is no row or it holds NULL.
    public func value<Value: DatabaseValueConvertible>(_ sql: String, _ arguments: SQLArguments = []) throws -> Value? {
        try row(sql, arguments).flatMap { $0[0] as Value? }
    }
}

/// One row of a query's result, its columns read by position or by exact
/// name, as GRDB converts a database value to a Swift one.
public struct StoredRow {
    /// The column names of a query, shared by its rows.
    public final class ColumnNames {
        let names: [String]
        fileprivate let positions: [String: Int]

        public init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
            self.positions = positions
        }

        fileprivate func position(of name: String) -> Int {
            guard let position = positions[name] else { preconditionFailure("no column \(name)") }
            return position
        }
    }

    /// A row of SQLite, read in place; nil for another engine's.
    private let row: Row?
    /// Another engine's values, with the query's column names.
    private let values: [DatabaseValue]
    private let names: ColumnNames?

    init(_ row: Row) {
        self.row = row
        values = []
        names = nil
    }

    /// A row of values another engine returned.
    public init(values: [DatabaseValue], names: ColumnNames) {
        row = nil
        self.values = values
        self.names = names
    }

    /// A row kept after its visit (SQLite reuses a cursor's row for the next).
    func copy() -> StoredRow {
        row.map { StoredRow($0.copy()) } ?? self
    }

    /// The values of the columns, in order.
    public var databaseValues: [DatabaseValue] {
        row.map { Array($0.databaseValues) } ?? values
    }

    /// The names of the columns, in order.
    var columnNames: [String] {
        row.map { Array($0.columnNames) } ?? names?.names ?? []
    }

    @inline(__always)
    public subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value {
        if let row { return row[index] }
        return Self.converted(values[index])
    }

    /// SQLite's fast path for the columns of a statement.
    @inline(__always)
    public subscript<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ index: Int) -> Value {
        if let row { return row[index] }
        return Self.converted(values[index])
    }

    public subscript<Value: DatabaseValueConvertible>(_ name: String) -> Value {
        if let row { return row[name] }
        return Self.converted(values[names!.position(of: name)])
    }

    public subscript<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ name: String) -> Value {
        if let row { return row[name] }
        return Self.converted(values[names!.position(of: name)])
    }

    private static func converted<Value: DatabaseValueConvertible>(_ value: DatabaseValue) -> Value {
        guard let converted = Value.fromDatabaseValue(value) else {
            preconditionFailure("a stored \(value) is not a \(Value.self)")
        }
        return converted
    }
}

/// A connection of SQLite, through GRDB.
struct SQLiteConnection: SQLConnection {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }

    func hasTable(_ name: String) throws -> Bool {
        try db.tableExists(name)
    }

    func columns(of table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
    }

    func forEachRow(_ sql: String, _ arguments: SQLArguments, _ visit: (StoredRow) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            try visit(StoredRow(row))
        }
    }
}
