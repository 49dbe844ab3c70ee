import ArgumentParser
import Foundation
import PostgresStore
import Store

struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy every snapshot of one database into another, empty one: a file onto a PostgreSQL server, or back.",
        discussion: """
            Each side is a file or a postgres:// URL. The target must hold no snapshot yet (a new file, or an empty \
            database); the copy keeps the scans' numbers, is one transaction, and is checked table by table: every \
            row is there, or nothing is. Reports, history, diff and explain then read the same from either.
            """
    )

    @Option(help: ArgumentHelp("The database to copy from.", valueName: "file-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The database to copy into: a new file or an empty database.", valueName: "file-or-url"))
    var to: String

    func run() throws {
        guard SharedDatabase.names(from) || FileManager.default.fileExists(atPath: from) else {
            throw Failure.invalid("no database at \(from); name a file sovscan wrote, or a postgres:// URL")
        }
        let source = try DatabaseOptions.open(from)
        let createsFile = !SharedDatabase.names(to) && !FileManager.default.fileExists(atPath: to)
        do {
            let outcome = try SnapshotCopy.copy(from: source, to: DatabaseOptions.open(to))
            print("copied \(outcome.scans) \(outcome.scans == 1 ? "scan" : "scans") (\(outcome.rows) rows) from \(source.path) into \(SharedDatabase.names(to) ? "the PostgreSQL database" : to)")
        } catch {
            // A file this copy created holds nothing of it: it goes.
            if createsFile {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: to + suffix) }
            }
            throw error
        }
    }
}
