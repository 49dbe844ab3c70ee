import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Scanning
import Output
import PostgresStore
import Reporting
import Scoring
import Store

/// Where the snapshot database is: `--db`, else `$SOVSCAN_DB`, else
/// `./sovscan.db`: a file, or a PostgreSQL server's `postgres://` URL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The snapshot database: a file, or postgres://USER@HOST/DATABASE (default: $SOVSCAN_DB, else ./sovscan.db).",
                                            valueName: "file-or-url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait while another sovscan writes to the database.", valueName: "seconds"))
    var busyTimeout: Double = SnapshotDatabase.defaultBusyTimeout

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SOVSCAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sovscan.db"
    }

    func open() throws -> any SnapshotStore {
        try Self.open(path, busyTimeout: busyTimeout)
    }

    /// The store at `location`: a PostgreSQL server for a `postgres://` URL, else an SQLite file.
    static func open(_ location: String, busyTimeout: Double = SnapshotDatabase.defaultBusyTimeout) throws -> any LoadableStore {
        if SharedDatabase.names(location) { return try SharedDatabase(url: location, busyTimeout: busyTimeout) }
        return try SnapshotDatabase(path: location, busyTimeout: busyTimeout)
    }
}

extension DatabaseOptions {
    /// The database, which must exist already; exit 1 otherwise.
    func openExisting() throws -> any SnapshotStore {
        guard SharedDatabase.names(path) || FileManager.default.fileExists(atPath: path) else {
            throw Failure.invalid("no database at \(path); run 'sovscan scan' first, or name one with --db")
        }
        return try open()
    }
}
