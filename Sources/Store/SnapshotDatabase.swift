import CSQLite
import Domain
import Foundation
import GRDB
import Inventory

/// Why the database cannot be used, in words for the user.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    public static func notEnoughScans(_ path: String) -> StoreError {
        StoreError("\(path) holds fewer than two scans; a diff compares two")
    }

    public static func noScan(_ id: Int64) -> StoreError {
        StoreError("there is no scan \(id); `sovscan scans` lists them")
    }

    public static func noScans(_ path: String) -> StoreError {
        StoreError("\(path) holds no scan yet; run 'sovscan scan' first")
    }

    public static let interrupted = StoreError("interrupted; nothing was stored")
}

/// The one owner of a sovscan database: it opens and migrates the file,
/// writes each scan as one snapshot in one transaction, and answers queries
/// about snapshots.
public final class SnapshotDatabase: Sendable {
    /// How long a command waits for another one's write to finish.
    public static let defaultBusyTimeout: TimeInterval = 60

    let writer: DatabaseQueue
    public let path: String

    /// Opens (or creates, with owner-only permissions) the database at `path`.
    /// A file that is not a sovscan database, or one written by a newer
    /// sovscan, is refused and left untouched: nothing is written to a file
    /// before it is known to be ours.
    public init(path: String, busyTimeout: TimeInterval = SnapshotDatabase.defaultBusyTimeout) throws {
        self.path = path
        // Creating, checking and migrating the file is one step for all
        // sovscan processes: one that met a file another was still setting
        // up took it for a foreign database, or ran a migration twice.
        _ = Self.sqliteConfigured
        let setUp = try SetUpLock(databasePath: path, timeout: busyTimeout)
        defer { setUp.release() }
        try Self.checkFile(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "sovscan"
        do {
            // A queue rather than a pool: a pool writes to the file as it opens.
            writer = try DatabaseQueue(path: path, configuration: configuration)
            try writer.read { db in try Self.checkIdentity(db, path: path) }
            try writer.writeWithoutTransaction { db in
                // Larger pages suit a bulk of wide rows; the size can only be
                // chosen before the first table exists.
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
                    try db.execute(sql: "PRAGMA page_size = 16384")
                }
                try Self.useWriteAheadLog(db)
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 32 MiB of page cache keeps the record-hash index in memory
                // while a large scan inserts into it.
                try db.execute(sql: "PRAGMA cache_size = -32768")
            }
            try Schema.migrator.migrate(writer)
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// A database held in memory only, for figures worked out with the
    /// store's own machinery and never kept (a plan's scenario): nothing of
    /// it reaches a file, and it is gone when released. `name` is what
    /// messages call it.
    public init(inMemoryNamed name: String) throws {
        path = name
        _ = Self.sqliteConfigured
        var configuration = Configuration()
        configuration.label = "sovscan-scratch"
        do {
            writer = try DatabaseQueue(configuration: configuration)
            try Schema.migrator.migrate(writer)
        } catch {
            throw Self.describe(error, path: name)
        }
    }

    /// Puts the database in WAL mode, in which readers and the one writer
    /// do not wait for each other. A database whose first snapshot another
    /// sovscan is writing cannot change mode (see `writesFirstSnapshot`):
    /// it is read as it is, and that sovscan sets WAL mode when done.
    static func useWriteAheadLog(_ db: Database) throws {
        do {
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return
        }
    }

    /// SQLite's process-wide settings, made once before its first connection
    /// opens (see `sovscan_sqlite_configure`). They only save work: when
    /// SQLite has already started, as in a test process that opened a
    /// database another way first, it keeps its defaults, which are as correct.
    private static let sqliteConfigured: Void = {
        _ = sovscan_sqlite_configure()
    }()

    /// Refuses files that are not SQLite before SQLite touches them, and
    /// creates a new database file with mode 0600.
    private static func checkFile(_ path: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError("\(path) is a directory, not a database file") }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw StoreError("\(path) cannot be read: permission denied")
            }
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            if !header.isEmpty, header != Data("SQLite format 3\u{0}".utf8) {
                throw StoreError("\(path) is not a sovscan database (not an SQLite file); it was left untouched. Name another file with --db")
            }
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            throw StoreError("the directory of \(path) does not exist; create it first or name another file with --db")
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0, errno != EEXIST {
            throw StoreError("\(path) cannot be created: \(String(cString: strerror(errno)))")
        }
        if descriptor >= 0 { close(descriptor) }
    }

    /// An SQLite file of another application, or one with migrations this
    /// build does not know, is refused.
    private static func checkIdentity(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") ?? 0
        if applicationID != Schema.applicationID, tables > 0 {
            throw StoreError("\(path) is an SQLite database of another application, not a sovscan database; it was left untouched. Name another file with --db")
        }
        guard try db.tableExists("grdb_migrations") else { return }
        let known = Set(Schema.migrator.migrations)
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError("\(path) was written by a newer sovscan (it has schema migration '\(unknown)'); use that version, or a copy of the database made before it")
        }
    }

    /// Runs `body` in a read transaction; what fails is said in words for the user.
    public func reading<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        do {
            return try writer.read { db in try body(SQLiteConnection(db)) }
        } catch let error as DatabaseError {
            throw Self.describe(error, path: path)
        }
    }

    static func describe(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return StoreError("\(path): \(error)") }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError("the database \(path) is busy: another sovscan is writing to it and did not finish within the busy timeout; try again when it is done")
        case .SQLITE_FULL:
            return StoreError("the disk holding \(path) is full; nothing of this scan was stored, earlier snapshots are intact")
        case .SQLITE_READONLY:
            return StoreError("the database \(path) is read-only; nothing was stored")
        case .SQLITE_NOTADB:
            return StoreError("\(path) is not a sovscan database (not an SQLite file); it was left untouched")
        case .SQLITE_CANTOPEN:
            return StoreError("the database \(path) cannot be opened: \(error.message ?? "unable to open")")
        case .SQLITE_CORRUPT:
            return StoreError("the database \(path) is damaged: \(error.message ?? "corrupt")")
        default:
            return StoreError("database error in \(path): \(error.message ?? error.description)")
        }
    }
}

/// An exclusive advisory lock (`flock`) on the directory of a database,
/// held while a sovscan process creates, checks or migrates the file. It is
/// taken on the directory, not the file, because closing any descriptor of
/// the database file would drop the locks SQLite holds on it.
struct SetUpLock {
    private let descriptor: Int32

    init(databasePath path: String, timeout: TimeInterval) throws {
        let directory = (path as NSString).deletingLastPathComponent
        descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // Without a directory to lock (it is checked later) or without lock
        // support (some network file systems), the set-up is not serialised.
        guard descriptor >= 0 else { return }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { return }
            guard Date() < deadline else {
                close(descriptor)
                throw StoreError("the database \(path) is busy: another sovscan is setting it up and did not finish within the busy timeout; try again when it is done")
            }
            usleep(5_000)
        }
    }

    func release() {
        if descriptor >= 0 { close(descriptor) }
    }
}
