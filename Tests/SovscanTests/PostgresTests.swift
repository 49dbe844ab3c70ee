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

    /// Waits, 50 ms at a time and at most `seconds`, until `condition` holds.
    static func wait(upTo seconds: Double, until condition: () throws -> Bool) rethrows {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition(), Date() < deadline { usleep(50_000) }
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
        // A server ranks the exit windows itself and sends only each organisation's first.
        ["report", "--exit-windows", "0", "--within", "3", "--format", "json"],
        ["report", "--exit-windows", "1", "--within", "60", "--format", "json"],
        ["report", "--exit-windows", "all", "--format", "json"],
        ["report", "--level", "organisation", "--exit-windows", "2", "--format", "json"],
        ["report", "--under", "bl-im", "--exit-windows", "3", "--within", "0", "--format", "json"],
        ["report", "--level", "vendor", "--exit-windows", "1", "--format", "json"],
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

    /// A report's lines without the times at which scans were made.
    static func withoutTimes(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("started_at") && !$0.contains("finished_at") }
            .joined(separator: "\n")
    }

    @Test func scansStraightIntoPostgreSQLReadAsTheFilesScans() throws {
        let work = Fixture.directory()
        let server = try PostgresServer.freshDatabase()
        // The example of 2025, this year's, and this year's again (unchanged since the one before).
        for inventory in ["example-2025", "example", "example"] {
            let path = Fixture.root + "/inventories/" + inventory
            let intoFile = Binary.run(["scan", path, "--db", "a.db"], in: work)
            let intoServer = Binary.run(["scan", path, "--db", server], in: work)
            #expect(intoServer.status == 0, "\(intoServer.stderr)")
            #expect(intoServer.stdout.replacingOccurrences(of: ServerURL.shown(server), with: "a.db") == intoFile.stdout,
                    "\(intoServer.stdout)\n\(intoFile.stdout)")
            #expect(intoServer.stderr == intoFile.stderr)
        }
        for arguments in Self.readings {
            let fromFile = Binary.run(arguments + ["--db", "a.db"], in: work)
            let fromServer = Binary.run(arguments + ["--db", server], in: work)
            #expect(fromServer.status == 0 && Self.withoutTimes(fromServer.stdout) == Self.withoutTimes(fromFile.stdout),
                    "\(arguments) reads otherwise: \(fromServer.stderr)")
        }
        // The same records, stored once: every table as many rows as the file's.
        let file = try DatabaseQueue(path: work + "/a.db")
        for table in ["system", "assessment", "organisation", "finding_list", "finding_list_entry", "exit_set", "exit_window", "scan_system",
                      "vendor_exposure", "ruleset_rule", "ruleset_rule_translation"] {
            let rows = try file.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") }
            let stored = try PostgresServer.psql("SELECT count(*) FROM \(table)", database: PostgresServer.name(of: server))
            #expect(Int(stored) == rows, "\(table)")
        }
    }

    /// A generated workload (20 organisations, 4,000 systems, two versions of
    /// it) reads the same from a file and from PostgreSQL.
    @Test func aGeneratedWorkloadReadsTheSameFromBoth() throws {
        let server = try PostgresServer.freshDatabase()
        let work = Fixture.directory()
        for seed in [7, 8] {
            let inventory = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 200, seed: seed))
            for store in ["a.db", server] {
                let scan = Binary.run(["scan", inventory, "--db", store, "--quiet"], in: work)
                #expect(scan.status == 0, "\(scan.stderr)")
            }
        }
        for arguments in [["report", "--format", "json"], ["report", "--level", "vendor", "--format", "json"],
                          ["report", "--level", "organisation", "--exit-windows", "1", "--within", "6", "--format", "json"],
                          ["report", "--level", "system", "--sort", "users", "--format", "csv"], ["history", "--format", "json"],
                          ["diff", "--format", "json"], ["report", "--level", "organisation", "--sort", "cost", "--format", "json"]] {
            let fromFile = Binary.run(arguments + ["--db", "a.db"], in: work)
            let fromServer = Binary.run(arguments + ["--db", server], in: work)
            #expect(fromFile.status == 0 && fromServer.stdout == fromFile.stdout, "\(arguments) reads otherwise: \(fromServer.stderr)")
        }
    }

    @Test func agenciesScanningAtOnceAllLandAndOneWithAnErrorStoresNothing() throws {
        let server = try PostgresServer.freshDatabase()
        var works = (0..<4).map { Fixture.write(SyntheticInventory.files(organisations: 5, systems: 300, seed: $0)) }
        // An agency whose inventory has an error: it stores nothing.
        works.append(Fixture.write(["bad.yaml": "inventory: 1\norganisation: {id: bad, name: Bad, type: agency, country: DE}\nsystems: [{id: x}]\n"]))
        let processes = try works.map { work in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["scan", ".", "--db", server, "--quiet"]
            process.currentDirectoryURL = URL(fileURLWithPath: work)
            process.environment = ["SOVSCAN_RULES": Fixture.rulesDirectory, "LANG": "C.UTF-8"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0, 1])
        let name = try PostgresServer.name(of: server)
        #expect(try PostgresServer.psql("SELECT string_agg(id::text || ':' || systems, ',' ORDER BY id) FROM scan", database: name)
            == "1:1500,2:1500,3:1500,4:1500")
        #expect(try PostgresServer.psql("SELECT count(*) FROM scan_system", database: name) == "6000")
        let listed = Binary.run(["report", "--scan", "4", "--format", "json", "--db", server])
        #expect(listed.status == 0, "\(listed.stderr)")
    }

    /// While another sovscan writes (its lock held by psql here), a scan
    /// waits up to --busy-timeout, says so when it gives up, and hears a
    /// Ctrl-C while it waits; either way nothing is stored.
    @Test func aScanWaitingForAnotherWriterGivesUpInWordsAndHearsCtrlC() throws {
        let server = try PostgresServer.freshDatabase()
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example-2025", "--db", server, "--quiet"], in: work).status == 0)
        // The writers' advisory lock ("SOVS", 1), held by another session until the test ends.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["psql", server, "-X", "-q", "-c", "SELECT pg_advisory_lock(\(0x534F_5653), 1); SELECT pg_sleep(60)"]
        // Its own output, so that a test run never waits on it.
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        // psql does not end on SIGTERM while its query runs.
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let name = try PostgresServer.name(of: server)
        try PostgresServer.wait(upTo: 5) { try PostgresServer.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", database: name) != "0" }
        let started = Date()
        let busy = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", server, "--busy-timeout", "1"], in: work)
        let quick = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", server, "--busy-timeout", "0.25", "--quiet"], in: work)
        #expect(quick.status == 1 && quick.stderr.contains("writing to it for 0.25 s (--busy-timeout)"), "\(quick.stderr)")
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("is busy: another sovscan has been writing to it for 1.0 s (--busy-timeout); nothing was stored"), "\(busy.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["scan", Fixture.root + "/inventories/example", "--db", server, "--busy-timeout", "30"]
        process.environment = ["SOVSCAN_RULES": Fixture.rulesDirectory]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        // Once it has read and scored the inventory, it opens its transaction and asks for the lock, again and again.
        try PostgresServer.wait(upTo: 25) {
            try PostgresServer.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)' AND state = 'idle in transaction'") != "0"
        }
        usleep(300_000)
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(interrupted) < 5, "Ctrl-C waited for the lock")
        #expect(process.terminationStatus == 130 && stderr.contains("interrupted; nothing was stored"), "\(stderr)")
        #expect(try PostgresServer.psql("SELECT count(*) FROM scan", database: name) == "1")
    }

    /// A scan killed with SIGKILL at a random moment (while it reads and
    /// scores, while it moves its snapshot into the server, or after it has
    /// landed) leaves the server with the earlier snapshot as it was, and
    /// the new one either whole or not at all; the next scan lands after it.
    @Test(arguments: 0..<5)
    func aScanKilledAtARandomMomentLeavesTheServerConsistent(trial: Int) throws {
        let server = try PostgresServer.freshDatabase()
        let work = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 1000, seed: trial))
        #expect(Binary.run(["scan", "org-0.yaml", "organisations.yaml", "--db", server], in: work).status == 0)
        let before = Binary.run(["report", "--format", "json", "--db", server], in: work).stdout
        // A whole scan of it takes about 5 s here (a debug build): most moments fall within it, some after.
        let moment = Double.random(in: 0.05...6.0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["scan", ".", "--db", server]
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        process.environment = ["SOVSCAN_RULES": Fixture.rulesDirectory, "TMPDIR": work + "/"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(moment * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal
        let name = try PostgresServer.name(of: server)
        // The server ends the killed connection's transaction; wait until it has.
        try PostgresServer.wait(upTo: 5) { try PostgresServer.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)'") == "0" }
        let scans = try PostgresServer.psql("SELECT count(*) FROM scan", database: name)
        let at = "killed after \(String(format: "%.2f", moment)) s (\(killed ? "midway" : "it had finished"))"
        // Not a partial scan: rows of scan 2 exist only with scan 2, and then all of them.
        #expect(killed ? ["1", "2"].contains(scans) : scans == "2", "\(at): \(scans) scans")
        func rows(of scan: Int) throws -> String {
            try PostgresServer.psql("""
                SELECT (SELECT count(*) FROM scan_system WHERE scan_id = \(scan)) || '/' || (SELECT count(*) FROM scan_organisation WHERE scan_id = \(scan))
                """, database: name)
        }
        let landed = try rows(of: 2)
        if scans == "1" { #expect(landed == "0/0", "\(at): rows of a scan that did not land") }
        #expect(Binary.run(["report", "--scan", "1", "--format", "json", "--db", server], in: work).stdout == before, "\(at)")
        // The next scan lands after whatever did, with the rows of the same inventory.
        #expect(Binary.run(["scan", ".", "--db", server, "--quiet"], in: work).status == 0, "\(at)")
        let next = (Int(scans) ?? 0) + 1
        #expect(try PostgresServer.psql("SELECT max(id) FROM scan", database: name) == String(next), "\(at)")
        #expect(try rows(of: next).hasPrefix("20000/"), "\(at)")
        if scans == "2" { #expect(try landed == rows(of: next), "\(at): scan 2 is not whole") }
    }
}

/// Access per ministry, enforced by PostgreSQL with real roles: two
/// ministries' roles and the Land's (the database's owner).
@Suite(.enabled(if: PostgresServer.url != nil, PostgresServer.skipped), .serialized)
struct PostgresAccessTests {
    /// A login role of its own for a test, with its URL to the database.
    static func role(_ name: String, database: String) throws -> (name: String, url: String) {
        let role = name + "_" + UUID().uuidString.prefix(6).lowercased()
        try PostgresServer.psql("CREATE ROLE \(role) LOGIN PASSWORD 'pw-\(role)'")
        var components = try #require(URLComponents(string: database))
        components.user = role
        components.password = "pw-" + role
        return (role, try #require(components.string))
    }

    /// Runs SQL as a role; its output, or the error psql printed.
    static func psql(_ sql: String, as url: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-X", "-q", "-t", "-A", "-c", sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try? process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The organisations at and below `root` in the example, as the Land reads them.
    static func subtree(_ root: String, land: String) -> Set<String> {
        let query = "WITH RECURSIVE below AS (SELECT CAST('" + root + "' AS text) COLLATE \"C\" AS org_id"
            + " UNION SELECT o.org_id FROM organisation o JOIN below b ON o.parent = b.org_id) SELECT org_id FROM below"
        return Set(psql(query, as: land).split(separator: "\n").map(String.init))
    }

    @Test func eachMinistrySeesItsSubtreeOnlyThroughEveryCommandAndPlainSQL() throws {
        let work = Fixture.directory()
        let land = try PostgresServer.freshDatabase()
        for inventory in ["example-2025", "example"] {
            #expect(Binary.run(["scan", Fixture.root + "/inventories/" + inventory, "--db", land, "--quiet"], in: work).status == 0)
        }
        let interior = try Self.role("im", database: land), finance = try Self.role("fm", database: land)
        let grantIM = Binary.run(["access", "grant", interior.name, "--under", "bl-im", "--db", land], in: work)
        #expect(grantIM.status == 0 && grantIM.stdout.contains("reads the organisations under bl-im"), "\(grantIM.stderr)")
        #expect(Binary.run(["access", "grant", finance.name, "--under", "bl-fm", "--write", "--db", land], in: work).status == 0)
        let listed = Binary.run(["access", "list", "--db", land], in: work).stdout
        #expect(listed.contains("\(interior.name)  bl-im") && listed.contains("read, write"), "\(listed)")
        // Only the owner grants.
        let byMinistry = Binary.run(["access", "grant", interior.name, "--under", "bl-landesregierung", "--db", interior.url], in: work)
        #expect(byMinistry.status == 1 && byMinistry.stderr.contains("only the database's owner"), "\(byMinistry.stderr)")

        let everything = Set(Self.psql("SELECT DISTINCT org_id FROM organisation", as: land).split(separator: "\n").map(String.init))
        #expect(everything.count == 22)
        for (role, root) in [(interior, "bl-im"), (finance, "bl-fm")] {
            let mine = Self.subtree(root, land: land)
            #expect(mine.count > 1 && mine.count < everything.count)
            let inList = mine.sorted().map { "'\($0)'" }.joined(separator: ", ")
            // Plain SQL, table by table: exactly the rows of the subtree.
            for (table, mineOnly) in [
                ("organisation", "org_id IN (\(inList))"), ("system", "org_id IN (\(inList))"),
                ("organisation_score", "org_id IN (\(inList))"), ("vendor_exposure", "org_id IN (\(inList))"),
                ("organisation_rule", "org_id IN (\(inList))"), ("organisation_question", "org_id IN (\(inList))"),
                ("scan_system", "record_id IN (SELECT id FROM system WHERE org_id IN (\(inList)))"),
                ("scan_organisation", "record_id IN (SELECT id FROM organisation WHERE org_id IN (\(inList)))"),
                ("system_subprocessor", "record_id IN (SELECT id FROM system WHERE org_id IN (\(inList)))"),
                ("exit_window", "org_record_id IN (SELECT id FROM organisation WHERE org_id IN (\(inList)))"),
            ] {
                let seen = Self.psql("SELECT count(*) FROM \(table)", as: role.url)
                let expected = Self.psql("SELECT count(*) FROM \(table) WHERE \(mineOnly)", as: land)
                #expect(seen == expected, "\(role.name) reads \(seen) rows of \(table), not \(expected): \(mineOnly)")
            }
            // The views read through the policies too.
            #expect(Self.psql("SELECT count(DISTINCT org_id) FROM scan_system_record", as: role.url)
                == Self.psql("SELECT count(DISTINCT org_id) FROM scan_system_record WHERE org_id IN (\(inList))", as: land))
            #expect(Self.psql("SELECT count(*) FROM system_list_value", as: role.url)
                == Self.psql("SELECT count(*) FROM system_list_value WHERE record_id IN (SELECT id FROM system WHERE org_id IN (\(inList)))", as: land))
            #expect(Self.psql("SELECT count(*) FROM organisation_concentration", as: role.url)
                == Self.psql("SELECT count(*) FROM organisation_concentration WHERE org_id IN (\(inList))", as: land))
            // The Land's scan names organisations the role cannot read: its inputs and messages stay hidden.
            #expect(Self.psql("SELECT count(*) FROM scan_input", as: role.url) == "0")
            #expect(Self.psql("SELECT count(*) FROM access_grant", as: role.url).contains("permission denied"))
            // Every command: the report, history and explain show the subtree only.
            let report = Binary.run(["report", "--level", "organisation", "--format", "json", "--db", role.url], in: work)
            #expect(report.status == 0, "\(report.stderr)")
            let organisations = Set(everything.filter { report.stdout.contains("\"\($0)\"") })
            #expect(organisations.isSubset(of: mine) && !organisations.isEmpty, "\(organisations.subtracting(mine)): \(report.stdout.prefix(3000))")
            let history = Binary.run(["history", "--level", "organisation", "--format", "json", "--db", role.url], in: work)
            #expect(history.status == 0 && everything.subtracting(mine).allSatisfy { !history.stdout.contains("\"\($0)\"") }, "\(history.stderr)")
            let diff = Binary.run(["diff", "--format", "json", "--db", role.url], in: work)
            #expect(diff.status == 0 && everything.subtracting(mine).allSatisfy { !diff.stdout.contains("\"\($0)\"") }, "\(diff.stderr)")
            #expect(mine.contains { diff.stdout.contains("\"\($0)\"") }, "the diff shows the role's own organisations")
        }
        #expect(Binary.run(["explain", "bl-fm-zentrale/entra", "--db", finance.url], in: work).status == 0)
        let hidden = Binary.run(["explain", "bl-fm-zentrale/entra", "--db", interior.url], in: work)
        #expect(hidden.status == 1 && hidden.stderr.contains("has no system 'bl-fm-zentrale/entra'"), "\(hidden.stderr)")
        // The Land reads everything, also the organisations no role is granted.
        let unGranted = "SELECT count(*) FROM system WHERE org_id = 'bl-km-zentrale'"
        #expect(Int(Self.psql(unGranted, as: land)) ?? 0 > 0)
        #expect(Self.psql(unGranted, as: interior.url) == "0" && Self.psql(unGranted, as: finance.url) == "0")
    }

    /// The example scanned into a fresh database by the Land, the finance
    /// ministry's role granted to write its subtree, the interior's to read its own.
    static func landWithTwoMinistries() throws -> (work: String, land: String, finance: (name: String, url: String), interior: (name: String, url: String)) {
        let work = Fixture.directory()
        let land = try PostgresServer.freshDatabase()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--db", land, "--quiet"], in: work).status == 0)
        let finance = try Self.role("fm", database: land), interior = try Self.role("im", database: land)
        #expect(Binary.run(["access", "grant", finance.name, "--under", "bl-fm", "--write", "--db", land], in: work).status == 0)
        #expect(Binary.run(["access", "grant", interior.name, "--under", "bl-im", "--db", land], in: work).status == 0)
        return (work, land, finance, interior)
    }

    @Test func aMinistryWritesItsOwnSnapshotsOnlyAndAWriteOutsideChangesNothing() throws {
        let (work, land, finance, reader) = try Self.landWithTwoMinistries()
        let before = Self.psql("SELECT count(*) FROM scan", as: land) + "/" + Self.psql("SELECT count(*) FROM system", as: land)

        let outside = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", finance.url], in: work)
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("role '\(finance.name)' may write the snapshots of the organisations bl-fm, bl-fm-zentrale, bl-itdz, bl-lfst only; this scan reads 'bl-im'"),
                "\(outside.stderr)")
        let readOnly = Binary.run(["scan", Fixture.root + "/inventories/example/land/bl-im-zentrale.yaml", "--db", reader.url], in: work)
        #expect(readOnly.status == 1 && readOnly.stderr.contains("may write no organisation's snapshots"), "\(readOnly.stderr)")
        // Plain SQL is refused by the policies too.
        let forged = Self.psql("""
            INSERT INTO organisation (id, hash, org_id, name, type, country, has_inventory) VALUES (9999, '\\x00', 'bl-im-zentrale', 'x', 'agency', 'DE', 1)
            """, as: finance.url)
        #expect(forged.contains("violates row-level security policy"), "\(forged)")
        #expect(Self.psql("SELECT count(*) FROM scan", as: land) + "/" + Self.psql("SELECT count(*) FROM system", as: land) == before)

        let land_ = Fixture.root + "/inventories/example/land/"
        let own = Binary.run(["scan", land_ + "bl-fm-zentrale.yaml", land_ + "bl-lfst.yaml", land_ + "bl-itdz.yaml", "--db", finance.url], in: work)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("scan 2: 3 organisations"), "\(own.stdout)")
        // The Land sees the ministry's scan; the other ministry does not.
        #expect(Self.psql("SELECT count(*) FROM scan", as: land) == "2")
        #expect(Self.psql("SELECT count(*) FROM scan", as: reader.url) == "1")
        // The ministry reads every organisation of its own scan, so its inputs too; the Land's scan's, not.
        #expect(Self.psql("SELECT scan_id, count(*) FROM scan_input GROUP BY scan_id", as: finance.url) == "2|3")
    }
}

extension PostgresAccessTests {
    /// What a review found: a role that can connect must not run SQL as the
    /// owner through sovscan's functions, nor claim another's tree through
    /// a parent no record declares, nor keep an organisation a later scan
    /// placed elsewhere.
    @Test func aMinistryCannotEscalateClaimTheTreeOrKeepWhatMovedAway() throws {
        let work = Fixture.directory()
        let land = try PostgresServer.freshDatabase()
        let inventories = Fixture.root + "/inventories/example/land/"
        // The Land's scan without organisations.yaml: bl-landesregierung is named as a parent only.
        let landScan = Binary.run(["scan", inventories, "--db", land, "--quiet"], in: work)
        #expect(landScan.status == 0, "\(landScan.stderr)")
        let reader = try Self.role("im", database: land), writer = try Self.role("fm", database: land)
        #expect(Binary.run(["access", "grant", reader.name, "--under", "bl-im", "--db", land], in: work).status == 0)
        #expect(Binary.run(["access", "grant", writer.name, "--under", "bl-fm", "--write", "--db", land], in: work).status == 0)

        // 1. sovscan_next_id takes no name of the caller's choosing.
        let escalation = Self.psql("""
            CREATE FUNCTION pg_temp.escape() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN
              INSERT INTO public.access_grant VALUES ('\(reader.name)', 'bl-landesregierung', 1); RETURN 1; END $$;
            CREATE TEMP VIEW escape AS SELECT pg_temp.escape() AS id;
            SELECT sovscan_next_id('escape');
            """, as: reader.url)
        #expect(escalation.contains("is not a table of records"), "\(escalation)")
        #expect(Self.psql("SELECT count(*) FROM access_grant WHERE org_id = 'bl-landesregierung'", as: land) == "0")
        // A role without a grant may not run the functions at all.
        let stranger = try Self.role("nobody", database: land)
        #expect(Self.psql("SELECT sovscan_next_id('scan')", as: stranger.url).contains("permission denied"))

        // 2. An organisation named only as others' parent (bl-im, which no record of
        // this scan declares) cannot be declared anew under a ministry's tree.
        let claim = Self.psql("""
            INSERT INTO organisation (id, hash, org_id, name, type, parent, country, as_of, has_inventory)
            VALUES (sovscan_next_id('organisation'), '\\x01', 'bl-im', 'x', 'ministry', 'bl-fm', 'DE', NULL, 0)
            """, as: writer.url)
        #expect(claim.contains("violates row-level security policy"), "\(claim)")
        #expect(Self.psql("SELECT count(*) FROM system WHERE org_id = 'bl-im-zentrale'", as: writer.url) == "0")

        // 3. Placed by the latest scan: ITDZ moved under the interior ministry and back.
        let moved = Fixture.directory()
        let itdz = try String(contentsOfFile: inventories + "bl-itdz.yaml", encoding: .utf8)
        try itdz.replacingOccurrences(of: "parent: bl-fm", with: "parent: bl-im").write(toFile: moved + "/bl-itdz.yaml", atomically: true, encoding: .utf8)
        #expect(itdz.contains("parent: bl-fm"))
        #expect(Binary.run(["scan", moved, "--db", land, "--quiet"], in: work).status == 0)
        #expect(Int(Self.psql("SELECT count(*) FROM system WHERE org_id = 'bl-itdz'", as: reader.url)) ?? 0 > 0)
        #expect(Binary.run(["scan", inventories + "bl-itdz.yaml", "--db", land, "--quiet"], in: work).status == 0)
        #expect(Self.psql("SELECT count(*) FROM system WHERE org_id = 'bl-itdz'", as: reader.url) == "0")
        #expect(Int(Self.psql("SELECT count(*) FROM system WHERE org_id = 'bl-itdz'", as: writer.url)) ?? 0 > 0)
    }

    /// What a writer adds that every role reads is checked by the server:
    /// it adds no row to a record stored before (a list's findings, an
    /// assessment's questions, an exit set's windows, a scan's inputs and
    /// messages, a rule set's texts), and a record it stores under the
    /// content hash of another's stops the scan that would reuse it.
    @Test func aWriterAddsToNoRecordOthersReadAndAForgedRecordStopsTheScanThatWouldReuseIt() throws {
        let work = Fixture.directory()
        let land = try PostgresServer.freshDatabase()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example-2025", "--db", land, "--quiet"], in: work).status == 0)
        let writer = try Self.role("fm", database: land)
        #expect(Binary.run(["access", "grant", writer.name, "--under", "bl-fm", "--write", "--db", land], in: work).status == 0)
        let shared = ["finding_list", "finding_list_entry", "assessment_question", "exit_window", "scan", "scan_input", "scan_diagnostic",
                      "ruleset_rule", "ruleset_rule_translation", "ruleset_country_law"]
        let counts = { shared.map { Self.psql("SELECT count(*) FROM \($0)", as: land) } }
        let before = counts()
        let report = Binary.run(["report", "--format", "json", "--db", land], in: work).stdout
        let scanOfItsOwn = """
            INSERT INTO scan (id, started_at, finished_at, as_of, tool_version, ruleset_name, ruleset_version, ruleset_hash, organisations, systems)
            SELECT 2, started_at, finished_at, as_of, tool_version, ruleset_name, ruleset_version, ruleset_hash, 1, 1 FROM scan WHERE id = 1;
            """
        for forged in [
            "INSERT INTO finding_list_entry SELECT list_id, 99, 'forged', dimension, 99, 0 FROM finding_list_entry LIMIT 1",
            "INSERT INTO assessment_question SELECT assessment_id, 'forged', 99, 99 FROM assessment_question LIMIT 1",
            "INSERT INTO exit_window SELECT set_id, 20270101, 20270101, record_id, org_record_id, 1 FROM exit_window LIMIT 1",
            "INSERT INTO scan_input VALUES (1, 99, 'forged.yaml', 'x', 1)",
            "INSERT INTO scan_diagnostic VALUES (1, 99, 'forged.yaml', 1, 1, 'error', 'forged', 'a message of nobody''s')",
            // A rule set stored before, even with a scan of the writer's own transaction that names it.
            scanOfItsOwn + "INSERT INTO ruleset_country_law SELECT ruleset_hash, 'US', 'forged', 'Forged Act' FROM scan WHERE id = 1",
            scanOfItsOwn + "INSERT INTO ruleset_rule_translation SELECT ruleset_hash, rule, 'fr', 'forged', 'forged' FROM ruleset_rule LIMIT 1",
            // A subprocessor of its own system as the Land's scan stored it.
            "INSERT INTO system_subprocessor SELECT id, 99, 'Forged Ltd', 'RU' FROM system WHERE org_id = 'bl-fm-zentrale' LIMIT 1",
            // Another ministry's organisation in a scan of its own.
            scanOfItsOwn + "INSERT INTO scan_organisation VALUES (2, \(Self.psql("SELECT min(id) FROM organisation WHERE org_id = 'bl-im-zentrale'", as: land)), 'x', 1)",
        ] {
            let refused = Self.psql(forged, as: writer.url)
            #expect(refused.contains("violates row-level security policy"), "\(forged): \(refused)")
        }
        #expect(counts() == before)

        // An organisation new in the next scan, stored first under its hash with the writer's ministry as its parent.
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--db", "next.db", "--quiet"], in: work).status == 0)
        let bergfeld = try DatabaseQueue(path: work + "/next.db").read { db in
            try String.fetchOne(db, sql: "SELECT lower(hex(hash)) FROM organisation WHERE org_id = 'stadt-bergfeld'")
        }
        #expect(Self.psql("SELECT count(*) FROM organisation WHERE org_id = 'stadt-bergfeld'", as: land) == "0")
        let claimed = Self.psql("""
            INSERT INTO organisation VALUES (sovscan_next_id('organisation'), decode('\(try #require(bergfeld))', 'hex'), 'stadt-bergfeld',
                'Stadt Bergfeld', 'municipality', 'bl-fm', 'DE', '2026-09-30', 1)
            """, as: writer.url)
        #expect(claimed.isEmpty, "\(claimed)")
        let taken = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", land], in: work)
        #expect(taken.status == 1 && taken.stderr.contains("rows of organisation differ"), "\(taken.stderr)")
        #expect(Self.psql("SELECT count(*) FROM scan", as: land) == "1")
        _ = Self.psql("DELETE FROM organisation WHERE org_id = 'stadt-bergfeld'", as: land)

        // A finding list the next scan has, stored first under its hash with other findings.
        let held = Set(Self.psql("SELECT encode(hash, 'hex') FROM finding_list", as: land).split(separator: "\n").map(String.init))
        let next = try DatabaseQueue(path: work + "/next.db").read { db in
            try String.fetchAll(db, sql: "SELECT lower(hex(hash)) FROM finding_list f WHERE EXISTS (SELECT 1 FROM finding_list_entry WHERE list_id = f.id) ORDER BY id")
        }
        let hash = try #require(next.first { !held.contains($0) })
        let planted = Self.psql("""
            INSERT INTO finding_list VALUES (sovscan_next_id('finding_list'), decode('\(hash)', 'hex'));
            INSERT INTO finding_list_entry SELECT id, 0, 'forged', 'lock_in', 99, 0 FROM finding_list WHERE hash = decode('\(hash)', 'hex');
            """, as: writer.url)
        #expect(planted.isEmpty, "\(planted)")
        let stopped = Binary.run(["scan", Fixture.root + "/inventories/example", "--db", land], in: work)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("under the content hash of one of this scan's, but its rows of finding_list_entry differ"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("nothing was stored"))
        #expect(Self.psql("SELECT count(*) FROM scan", as: land) == "1")
        #expect(Binary.run(["report", "--format", "json", "--db", land], in: work).stdout == report)

        // A schema that lacks a migration (as one an older sovscan wrote) is brought up to date by the owner only.
        _ = Self.psql("DELETE FROM schema_migration WHERE identifier = 'postgres-access-2'", as: land)
        let older = Binary.run(["report", "--db", writer.url], in: work)
        #expect(older.status == 1 && older.stderr.contains("only the database's owner")
                && older.stderr.contains("lacks migration 'postgres-access-2'"), "\(older.stderr)")
    }

    /// A ministry adds a new department and a unit below it in one scan;
    /// what the other ministry holds it cannot claim below them.
    @Test func aMinistryAddsANewDepartmentWithItsUnitInOneScan() throws {
        let (work, land, finance, interior) = try Self.landWithTwoMinistries()
        func organisation(_ id: String, parent: String) -> String {
            """
            inventory: 1
            organisation: {id: \(id), name: \(id), type: agency, parent: \(parent), country: DE}
            as_of: 2026-09-30
            systems:
              - {id: mail, name: Mail, function: email, product: OX App Suite, vendor: Open-Xchange, licence: GPL-2.0-only, deployment: on_premises, users: 40, criticality: medium}
            """
        }
        let files = Fixture.write(["digital.yaml": organisation("bl-fm-digital", parent: "bl-fm"),
                                   "lab.yaml": organisation("bl-fm-digital-lab", parent: "bl-fm-digital")])
        let added = Binary.run(["scan", files, "--db", finance.url], in: work)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("2 organisations, 2 systems"), "\(added.stdout)")
        #expect(Self.psql("SELECT count(*) FROM system WHERE org_id LIKE 'bl-fm-digital%'", as: finance.url) == "2")
        #expect(Self.psql("SELECT count(*) FROM system WHERE org_id LIKE 'bl-fm-digital%'", as: interior.url) == "0")
        // An organisation the other ministry holds is not the ministry's to place below its new one.
        let claims = Fixture.write(["digital.yaml": organisation("bl-fm-neu", parent: "bl-fm"),
                                    "taken.yaml": organisation("bl-im-zentrale", parent: "bl-fm-neu")])
        let refused = Binary.run(["scan", claims, "--db", finance.url], in: work)
        #expect(refused.status == 1 && refused.stderr.contains("this scan reads 'bl-im-zentrale'"), "\(refused.stderr)")
        #expect(Self.psql("SELECT count(*) FROM organisation WHERE org_id = 'bl-fm-neu'", as: land) == "0")
    }

    @Test func aNULInTextIsRefusedByNameAndAPasswordIsNeverShown() throws {
        let work = Fixture.directory()
        let server = try PostgresServer.freshDatabase()
        let inventory = Fixture.write(["i.yaml": Fixture.inventory(systems: Fixture.system(["name": "\"Pl\\0ain\""]))])
        let scan = Binary.run(["scan", inventory, "--db", server], in: work)
        #expect(scan.status == 1 && scan.stderr.contains("a value of system.name holds a NUL character"), "\(scan.stderr)")
        #expect(Binary.run(["scan", inventory, "--db", "a.db", "--quiet"], in: work).status == 0)
        let copy = Binary.run(["copy", "--from", "a.db", "--to", server], in: work)
        #expect(copy.status == 1 && copy.stderr.contains("holds a NUL character"), "\(copy.stderr)")
        for url in ["postgres://sovscan:Top#Secret@127.0.0.1:1/db", "postgres://sovscan:Top%ZZSecret@127.0.0.1:1/db", "POSTGRES://sovscan:TopSecret@127.0.0.1:1/db"] {
            let result = Binary.run(["scans", "--db", url], in: work)
            #expect(result.status == 1 && !result.stderr.contains("Secret"), "\(result.stderr)")
        }
    }
}

/// A server's URL as sovscan shows it: never its password.
enum ServerURL {
    static func shown(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        return components.string ?? url
    }
}
