import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Scanning
import Output
import Reporting
import Scoring
import Store

/// Where the snapshot database is: `--db`, else `$SOVSCAN_DB`, else `./sovscan.db`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The snapshot database (default: $SOVSCAN_DB, else ./sovscan.db).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait while another sovscan writes to the database.", valueName: "seconds"))
    var busyTimeout: Double = SnapshotDatabase.defaultBusyTimeout

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SOVSCAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sovscan.db"
    }

    func open() throws -> any SnapshotStore {
        return try SnapshotDatabase(path: path, busyTimeout: busyTimeout)
    }
}

extension DatabaseOptions {
    /// The database, which must exist already; exit 1 otherwise.
    func openExisting() throws -> any SnapshotStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure.invalid("no database at \(path); run 'sovscan scan' first, or name one with --db")
        }
        return try open()
    }
}
