import Domain
import Foundation
import Inventory
import GRDB
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Store

/// A store of snapshots on a PostgreSQL server, shared by the agencies of a
/// Land: the same schema (named migrations) and the same queries as the
/// SQLite file, answering every read alike (`SQLStore`). Each command holds
/// one connection; a reading is one transaction that sees one state of the
/// database (`REPEATABLE READ`), whatever others write meanwhile.
public final class SharedDatabase: SQLStore {
    /// The oldest PostgreSQL sovscan runs on (15, as Debian 12 ships it; the
    /// versions before it are past their end of life).
    static let oldestServer = 150_000

    /// The URL as the user gave it, without its password.
    public let path: String
    let session: PostgresSession

    /// Connects to the server at `url`, checks its version and the schema,
    /// and creates or migrates the schema (in one transaction, one sovscan at
    /// a time). A database that holds other tables than sovscan's, or a
    /// schema of a newer sovscan, is refused and left untouched.
    public init(url: String, busyTimeout: Double) throws {
        path = ServerAddress.withoutPassword(url)
        lockTimeout = max(1, Int(busyTimeout * 1000))
        let address = try ServerAddress(url)
        var logger = Logger(label: "sovscan.postgres")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: address.configuration(),
                                                        id: 1, logger: logger).wait()
        } catch {
            throw Self.describe(error, path: path, address: address)
        }
        session = PostgresSession(connection: connection, logger: logger)
        do {
            try checkServer()
            try migrate()
        } catch {
            try? connection.close().wait()
            throw Self.describe(error, path: path, address: address)
        }
    }

    /// Whether `location` names a PostgreSQL server (`postgres://…` or `postgresql://…`) rather than a file.
    public static func names(_ location: String) -> Bool {
        ServerAddress.isServer(location)
    }

    deinit {
        try? session.connection.close().wait()
    }

    public func reading<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(session) }
    }

    /// Runs `body` between `begin` and COMMIT; anything that fails rolls it back.
    func transaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        do {
            try session.execute(begin)
            let result: T
            do {
                result = try body()
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
            try session.execute("COMMIT")
            return result
        } catch {
            throw Self.describe(error, path: path, address: nil)
        }
    }

    /// Records a scan as the SQLite store does, into a scratch database of
    /// its own (an owner-only file in the temporary directory, gone
    /// afterwards), then moves it into the server in one transaction
    /// (`ScanTransfer`). Scans run side by side; their moves take turns, so
    /// that scan numbers follow the order in which they are stored.
    public func record(context: ScanContext, interrupted: () -> Bool,
                       read: @escaping @Sendable (_ yield: (ScanItem) -> Void) -> ScanReading) throws -> RecordedScan {
        let scratchPath = NSTemporaryDirectory() + "sovscan-scan-\(UUID().uuidString).db"
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratchPath + suffix) }
        }
        let scratch = try SnapshotDatabase(path: scratchPath)
        var recorded = try scratch.record(context: context, interrupted: interrupted, read: read)
        guard recorded.scanID != nil else { return recorded }
        try scratch.reading { from in
            try transaction("BEGIN") {
                try session.execute("SET LOCAL lock_timeout = '\(lockTimeout)ms'")
                try takeWritersLock(interrupted: interrupted)
                var transfer = ScanTransfer(from: from, to: session)
                let scanID = try transfer.run()
                recorded.scanID = scanID
                recorded.unchangedSince = try context.unchangedSince(session, scanID: scanID, inputs: recorded.reading.files.map(\.sha256))
                if interrupted() { throw StoreError.interrupted }
            }
        }
        return recorded
    }

    /// One writer at a time, for the whole transaction; readers never wait
    /// for it. An advisory lock, which any role may take (a lock on a table
    /// needs more than the right to add rows to it). Asked for every 50 ms up
    /// to `--busy-timeout` rather than waited for on the server, so that a
    /// Ctrl-C is heard while another sovscan writes.
    func takeWritersLock(interrupted: () -> Bool = { false }) throws {
        let deadline = Date().addingTimeInterval(Double(lockTimeout) / 1000)
        while try !(session.value("SELECT pg_try_advisory_xact_lock(\(Self.lockKey), 1)") ?? false) {
            if interrupted() { throw StoreError.interrupted }
            guard Date() < deadline else {
                throw StoreError("""
                    the database \(path) is busy: another sovscan has been writing to it for \(Double(lockTimeout) / 1000) s \
                    (--busy-timeout); nothing was stored. Try again when it is done, or wait longer with --busy-timeout
                    """)
            }
            usleep(50_000)
        }
    }

    /// How long a command waits for another sovscan's write (`--busy-timeout`), in milliseconds.
    let lockTimeout: Int

    private func checkServer() throws {
        try transaction("BEGIN READ ONLY") {
            let version: String = try session.value("SELECT current_setting('server_version_num')") ?? "0"
            guard let number = Int(version), number >= Self.oldestServer else {
                let shown: String = try session.value("SELECT current_setting('server_version')") ?? version
                throw StoreError("\(path) is PostgreSQL \(shown); sovscan needs PostgreSQL 15 or newer")
            }
        }
    }

    /// Creates the schema, or applies the migrations it lacks. A lock held
    /// for the transaction makes one sovscan at a time do it.
    private func migrate() throws {
        // A schema that is current needs no lock: reading it never waits for another sovscan.
        let current = try transaction("BEGIN READ ONLY") {
            try appliedMigrations().map { Set($0) == Set(SharedSchema.migrations.flatMap(\.names)) } ?? false
        }
        guard !current else { return }
        try transaction("BEGIN") {
            try session.execute("SET LOCAL lock_timeout = '\(lockTimeout)ms'")
            try session.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey), 0)")
            var applied: [String] = []
            if let recorded = try appliedMigrations() {
                applied = recorded
            } else {
                let tables: Int = try session.value("""
                    SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()
                    """) ?? 0
                guard tables == 0 else {
                    throw StoreError("\(path) holds \(tables) tables that are not sovscan's; it was left untouched. Name an empty database")
                }
                try session.execute("CREATE TABLE schema_migration (identifier TEXT COLLATE \"C\" PRIMARY KEY)")
            }
            let missing = SharedSchema.migrations.filter { !$0.names.allSatisfy(applied.contains) }
            if !applied.isEmpty, let first = missing.first?.names.first {
                try requireOwner(to: "bring the schema of an older sovscan up to date (it lacks migration '\(first)'); run any command as the owner first, such as 'sovscan scans --db' with the owner's URL, and this one after it")
            }
            for migration in missing {
                for statement in migration.statements { try session.execute(statement) }
                if migration.names.contains("v4-finding-lists") {
                    for seed in SnapshotCopy.seededRows {
                        try session.execute("""
                            INSERT INTO \(seed.table) (\(seed.columns.joined(separator: ", "))) \
                            VALUES (\(Array(repeating: "?", count: seed.columns.count).joined(separator: ", ")))
                            """, seed.values)
                    }
                }
                for name in migration.names {
                    try session.execute("INSERT INTO schema_migration (identifier) VALUES (?)", [name])
                }
            }
        }
    }

    /// The migrations the schema records; nil before the first. A name this
    /// build does not know is a newer sovscan's schema, refused.
    private func appliedMigrations() throws -> [String]? {
        guard try session.hasTable("schema_migration") else { return nil }
        let applied: [String] = try session.values("SELECT identifier FROM schema_migration")
        let known = SharedSchema.migrations.flatMap(\.names)
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError("\(path) was written by a newer sovscan (it has schema migration '\(unknown)'); use that version")
        }
        return applied
    }

    /// The advisory locks of sovscan ("SOVS", as SQLite's application id):
    /// 0 of a schema's set-up, 1 of a writer.
    private static let lockKey = 0x534F_5653 as Int32

    /// An error in words for the user: the server's own message with what it
    /// means for sovscan, never PostgresNIO's generic description.
    static func describe(_ error: any Error, path: String, address: ServerAddress?) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? PSQLError else { return StoreError("\(path): \(error)") }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? ""
        switch (error.code, state) {
        case (.connectionError, _):
            let reason = error.underlying.map { "\($0)" } ?? "no answer"
            let place = switch address?.transport {
            case .unixSocket(let socket): "on the Unix socket \(socket)"
            case .tcp(let host, let port): "at \(host):\(port)"
            case nil: ""
            }
            return StoreError("cannot connect to the PostgreSQL server \(place) (\(path)): \(reason); is it running, and is the address right?")
        case (.serverClosedConnection, _), (.clientClosedConnection, _):
            return StoreError("the PostgreSQL server ended the connection to \(path) (it was shut down, restarted, or an administrator ended it); nothing more was read or stored")
        case (_, "28P01"):
            return StoreError("the PostgreSQL server refused the password of user '\(address?.user ?? "")' (\(path)); give the right one in the URL or PGPASSWORD")
        case (_, "28000"):
            return StoreError("the PostgreSQL server does not let user '\(address?.user ?? "")' in (\(path)): \(message)")
        case (_, "3D000"):
            return StoreError("the PostgreSQL server has no database '\(address?.database ?? "")' (\(path)); create it first (createdb), or name another")
        case (_, "55P03"), (_, "40P01"), (_, "40001"):
            return StoreError("the database \(path) is busy: \(message); try again when the other sovscan is done")
        case (_, "23505") where (error.serverInfo?[.constraintName] ?? "").hasSuffix("_hash_key"):
            // A record under the content hash of one of this scan's that the role cannot read, so could not reuse.
            let table = String((error.serverInfo?[.constraintName] ?? "").dropLast("_hash_key".count))
            return StoreError("""
                the server holds \(table) records this role cannot read, one of them under the content hash of one of this scan's: \
                it was not written by sovscan; nothing was stored. The database's owner should look at it (docs/postgres.md, "Access per ministry")
                """)
        case (_, "42501"):
            return StoreError("the database \(path) refused: \(message)")
        case (_, "53100"):
            return StoreError("the disk of the PostgreSQL server of \(path) is full; nothing was stored, earlier snapshots are intact")
        case (_, "25006"):
            return StoreError("the database \(path) is read-only; nothing was stored")
        case (.authMechanismRequiresPassword, _):
            return StoreError("the PostgreSQL server asks user '\(address?.user ?? "")' for a password (\(path)); give it in the URL or PGPASSWORD")
        default:
            return StoreError("database error in \(path): \(message.isEmpty ? "\(error.code)" : message)\(state.isEmpty ? "" : " (SQLSTATE \(state))")")
        }
    }
}
