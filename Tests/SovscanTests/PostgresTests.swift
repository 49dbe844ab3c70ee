import Foundation
import GRDB
import Testing

/// A PostgreSQL server the tests may create databases on: the URL in
/// `SOVSCAN_TEST_POSTGRES`, of a role allowed to create databases (`.ci/run`
/// starts a cluster of its own and sets it). Without one, these tests are
/// skipped, and say so.
enum PostgresServer {
    static let url: String? = ProcessInfo.processInfo.environment["SOVSCAN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    static let skipped: Comment = "no PostgreSQL server for the tests: set SOVSCAN_TEST_POSTGRES to a URL of a role with CREATEDB (.ci/run does)"

    /// A new, empty database on the server; its URL.
    static func freshDatabase() throws -> String {
        let name = "sovscan_test_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE DATABASE \(name)")
        return try database(name)
    }

    /// The server's URL with another database.
    static func database(_ name: String) throws -> String {
        let server = try #require(url)
        var components = try #require(URLComponents(string: server))
        components.path = "/" + name
        return try #require(components.string)
    }

    /// The name of the database a URL names.
    static func name(of database: String) throws -> String {
        String(try #require(URLComponents(string: database)).path.dropFirst())
    }

    /// Runs SQL with psql, on the server's own database or `database`; its output.
    @discardableResult
    static func psql(_ sql: String, database: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let server = try #require(url)
        process.arguments = ["psql", try database.map(Self.database) ?? server, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestError(message: "psql failed on \(sql): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct PostgresTestError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

@Suite(.enabled(if: PostgresServer.url != nil, PostgresServer.skipped), .serialized)
struct PostgresStoreTests {
    /// The commands whose every byte must be the same from either store.
    static let readings: [[String]] = [
        ["scans", "--format", "json"],
        ["report", "--format", "json"],
        ["report", "--level", "organisation", "--format", "json"],
        ["report", "--level", "vendor", "--format", "json"],
        ["report", "--level", "country", "--format", "json"],
        ["report", "--level", "system", "--format", "json"],
        ["report", "--level", "system", "--sort", "name", "--format", "csv"],
        ["report", "--level", "system", "--sort", "risk", "--top", "7"],
        ["report", "--scan", "1", "--format", "json"],
        ["report", "--lang", "de"],
        ["history", "--format", "json"],
        ["diff", "--format", "json"],
        ["diff", "1", "2", "--format", "json"],
        ["explain", "bl-fm-zentrale/entra", "--format", "json"],
        ["explain", "bl-im-zentrale/mail", "--format", "json"],
        ["whatif", "cutoff", "--parent", "Microsoft", "--format", "json"],
        ["whatif", "plan", Fixture.root + "/inventories/plans/exchange-online-to-ox.yaml", "--format", "json"],
        ["vendors", "show", "Microsoft", "--format", "json"],
        ["vendors", "unresolved", "--scan", "1"],
    ]

    /// The example's two scans (2025, then the current one) in a file.
    static func exampleFile() -> (work: String, file: String) {
        let work = Fixture.directory()
        for inventory in ["example-2025", "example"] {
            let scan = Binary.run(["scan", Fixture.root + "/inventories/" + inventory, "--db", "a.db", "--quiet"], in: work)
            #expect(scan.status == 0, "\(scan.stderr)")
        }
        return (work, work + "/a.db")
    }

    @Test func theExamplesTwoScansReadTheSameFromPostgreSQLAndBack() throws {
        let (work, file) = Self.exampleFile()
        let server = try PostgresServer.freshDatabase()
        let copy = Binary.run(["copy", "--from", file, "--to", server], in: work)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.hasPrefix("copied 2 scans ("), "\(copy.stdout)")
        let back = Binary.run(["copy", "--from", server, "--to", "b.db"], in: work)
        #expect(back.status == 0, "\(back.stderr)")
        for arguments in Self.readings {
            let fromFile = Binary.run(arguments + ["--db", file], in: work)
            #expect(fromFile.status == 0, "\(arguments): \(fromFile.stderr)")
            let fromServer = Binary.run(arguments + ["--db", server], in: work)
            #expect(fromServer.status == 0 && fromServer.stdout == fromFile.stdout,
                    "\(arguments) reads otherwise from PostgreSQL: \(fromServer.stderr)\n\(fromServer.stdout.prefix(2000))")
            let copiedBack = Binary.run(arguments + ["--db", "b.db"], in: work)
            #expect(copiedBack.stdout == fromFile.stdout, "\(arguments) reads otherwise after the copy back")
        }
        // Every table of the file went there and back, row for row.
        let original = try DatabaseQueue(path: file), returned = try DatabaseQueue(path: work + "/b.db")
        let tables = try original.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
        }
        #expect(tables.count == 25)
        for table in tables {
            let rows = try original.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") }
            #expect(try returned.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") } == rows, "\(table)")
            let stored = try PostgresServer.psql("SELECT count(*) FROM \(table)", database: PostgresServer.name(of: server))
            #expect(Int(stored) == rows, "\(table) on the server")
        }
    }

    @Test func aCopyIntoAStoreThatHoldsSnapshotsIsRefusedAndChangesNothing() throws {
        let (work, file) = Self.exampleFile()
        let server = try PostgresServer.freshDatabase()
        #expect(Binary.run(["copy", "--from", file, "--to", server], in: work).status == 0)
        let again = Binary.run(["copy", "--from", file, "--to", server], in: work)
        #expect(again.status == 1)
        #expect(again.stderr.contains("holds snapshots already (2 scans)"), "\(again.stderr)")
        #expect(Binary.run(["scans", "--format", "json", "--db", server], in: work).stdout
            == Binary.run(["scans", "--format", "json", "--db", file], in: work).stdout)
        // Into an existing file that holds scans, likewise; a new file a failed copy made is removed.
        let intoFile = Binary.run(["copy", "--from", server, "--to", file], in: work)
        #expect(intoFile.status == 1 && intoFile.stderr.contains("holds snapshots already"), "\(intoFile.stderr)")
        let fromNothing = Binary.run(["copy", "--from", "missing.db", "--to", "new.db"], in: work)
        #expect(fromNothing.status == 1 && fromNothing.stderr.contains("no database at missing.db"), "\(fromNothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/new.db"))
    }

    @Test func whatCannotConnectSaysWhyInOneLine() throws {
        let work = Fixture.directory()
        let url = try #require(PostgresServer.url)
        let server = try #require(URLComponents(string: url))
        func run(_ url: String) -> Binary.Result {
            Binary.run(["scans", "--db", url], in: work)
        }
        func expectOneLine(_ result: Binary.Result, _ words: String) {
            #expect(result.status == 1, "\(result.stdout)")
            #expect(result.stderr.contains(words), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        var unknown = server
        unknown.path = "/no_such_database"
        expectOneLine(run(unknown.string!), "has no database 'no_such_database'")
        if server.password != nil {
            var wrong = server
            wrong.password = "not-the-password"
            let refused = run(wrong.string!)
            expectOneLine(refused, "refused the password of user '\(server.user ?? "")'")
            #expect(!refused.stderr.contains("not-the-password"), "a password is never shown")
        }
        var closed = server
        closed.host = "127.0.0.1"
        closed.port = 9
        closed.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        expectOneLine(run(closed.string!), "cannot connect to the PostgreSQL server at 127.0.0.1:9")
        expectOneLine(run("postgres://host/db?sslmod=require"), "unknown parameter 'sslmod'")
    }

    @Test func aDatabaseOfAnotherApplicationOrANewerSovscanIsLeftUntouched() throws {
        let work = Fixture.directory()
        let foreign = try PostgresServer.freshDatabase()
        let name = try PostgresServer.name(of: foreign)
        try PostgresServer.psql("CREATE TABLE invoices (id integer)", database: name)
        let refused = Binary.run(["scans", "--db", foreign], in: work)
        #expect(refused.status == 1 && refused.stderr.contains("holds 1 tables that are not sovscan's; it was left untouched"), "\(refused.stderr)")
        #expect(try PostgresServer.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: name) == "1")

        let newer = try PostgresServer.freshDatabase()
        let newerName = try PostgresServer.name(of: newer)
        #expect(Binary.run(["scans", "--db", newer], in: work).status == 0)
        try PostgresServer.psql("INSERT INTO schema_migration VALUES ('v99-from-the-future')", database: newerName)
        let future = Binary.run(["report", "--db", newer], in: work)
        #expect(future.status == 1 && future.stderr.contains("was written by a newer sovscan (it has schema migration 'v99-from-the-future')"),
                "\(future.stderr)")
    }

    @Test func aScanStraightIntoPostgreSQLSaysHowToGetItThere() throws {
        let work = Fixture.directory()
        let server = try PostgresServer.freshDatabase()
        let scan = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", server], in: work)
        #expect(scan.status == 1)
        #expect(scan.stderr.contains("sovscan copy --from sovscan.db --to"), "\(scan.stderr)")
        #expect(!Binary.run(["scans", "--format", "json", "--db", server], in: work).stdout.contains("\"id\""))
    }
}
