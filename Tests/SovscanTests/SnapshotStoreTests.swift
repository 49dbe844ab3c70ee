import Domain
import Foundation
import GRDB
@testable import Store
import Testing
import YAMLReading

/// `sovscan scan` and `sovscan scans`: snapshots are complete or absent,
/// never half-written, and the database is kept safe.
@Suite struct SnapshotStoreTests {
    private func bytes(_ path: String) -> Data {
        FileManager.default.contents(atPath: path) ?? Data()
    }

    private func query<T: DatabaseValueConvertible>(_ database: String, _ sql: String) throws -> T? {
        let queue = try DatabaseQueue(path: database, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { try T.fetchOne($0, sql: sql) }
    }

    @Test func scanRecordsASnapshotWithEveryField() throws {
        let work = Fixture.write(["inv/a.yaml": Fixture.inventory(systems: Fixture.system([
            "users": "120", "data": "{personal: true, special_categories: false, classification: vs-nfd}",
            "formats": "[ooxml, ics]", "depends_on": "[idm]", "contract": "{ends: 2027-12-31, notice_months: 6, exit_plan: false, annual_cost_eur: 380000.5, governing_law: IE}",
            "subprocessors": "[{name: Contoso, country: US}]", "notes": "\"'); DROP TABLE system; -- <script>\"",
            "exceptions": "[{rule: jurisdiction.vendor-foreign, reason: Übergang, owner: CIO, expires: 2027-06-30}]",
        ]) + Fixture.system(id: "idm"))])
        let result = Binary.run(["scan", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("scan 1: 1 organisation, 2 systems from 1 file, stored in sovscan.db\n  lock-in: "))
        let db = work + "/sovscan.db"
        let row = try DatabaseQueue(path: db).read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM scan_system_record WHERE scan_id = 1 AND system_id = 'mail'")
        }
        let system = try #require(row)
        #expect(system["org_id"] as String == "testamt")
        #expect(system["users"] as Int == 120)
        #expect(system["data_personal"] as Bool == true)
        #expect(system["data_classification"] as String == "vs-nfd")
        #expect(system["hosting_data_location"] as String == "[\"EU\"]")
        #expect(system["formats"] as String == "[\"ooxml\",\"ics\"]")
        #expect(system["contract_ends"] as String == "2027-12-31")
        #expect(system["contract_annual_cost_eur"] as Double == 380000.5)
        #expect(system["contract_governing_law"] as String == "IE")
        #expect(system["export"] as String? == nil, "not stated stays NULL")
        #expect(system["notes"] as String == "'); DROP TABLE system; -- <script>", "stored verbatim through bound parameters")
        #expect(try query(db, "SELECT name || '/' || country FROM system_subprocessor") as String? == "Contoso/US")
        #expect(try query(db, "SELECT owner FROM system_exception") as String? == "CIO")
        #expect(try query(db, "SELECT count(*) FROM system_list_value WHERE field = 'formats'") as Int? == 2)
        #expect(try query(db, "SELECT as_of FROM scan WHERE id = 1") as String? == "2026-09-30")
        let sha = try #require(try query(db, "SELECT sha256 FROM scan_input WHERE scan_id = 1") as String?)
        #expect(sha.count == 64)
    }

    @Test func databaseIsOwnerOnly() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: work + "/s.db")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func databaseChoice() {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml"], in: work).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/sovscan.db"))
        #expect(Binary.run(["scan", "a.yaml"], in: work, environment: ["SOVSCAN_DB": work + "/env.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/env.db"))
        #expect(Binary.run(["scan", "a.yaml", "--db", "flag.db"], in: work, environment: ["SOVSCAN_DB": work + "/env.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/flag.db"))
        let missingDirectory = Binary.run(["scan", "a.yaml", "--db", "no/such/dir/s.db"], in: work)
        #expect(missingDirectory.status == 1)
        #expect(missingDirectory.stderr == "sovscan: the directory of no/such/dir/s.db does not exist; create it first or name another file with --db\n")
    }

    @Test func oneInvalidFileLeavesTheDatabaseByteForByteUnchanged() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 3, systems: 50))
        #expect(Binary.run(["scan", ".", "--db", "s.db"], in: work).status == 0)
        let before = bytes(work + "/s.db")
        try Data(Fixture.inventory(systems: Fixture.system(["users": "many"]), organisation: "organisation: {id: bad, name: B, type: agency, country: DE}\n").utf8)
            .write(to: URL(fileURLWithPath: work + "/zz-bad.yaml"))
        let result = Binary.run(["scan", ".", "--db", "s.db"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("zz-bad.yaml:14:12: error: 'users' must be a whole number"))
        #expect(result.stderr.hasSuffix("sovscan: the inventory is invalid (1 error and 0 warnings); nothing was stored\n"))
        #expect(result.stdout.isEmpty)
        #expect(bytes(work + "/s.db") == before)
        #expect(!FileManager.default.fileExists(atPath: work + "/s.db-wal") || bytes(work + "/s.db-wal").isEmpty)
    }

    @Test func unchangedRescanStoresOnlyReferences() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 10, systems: 300))
        let db = work + "/s.db"
        func size() throws -> Int { try query(db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0 }
        #expect(Binary.run(["scan", ".", "--db", "s.db"], in: work, environment: [:]).status == 0)
        let afterFirst = try size()
        #expect(Binary.run(["scan", ".", "--db", "s.db"], in: work).status == 0)
        let afterSecond = try size()
        #expect(try query(db, "SELECT count(*) FROM system") as Int? == 3000)
        #expect(try query(db, "SELECT count(*) FROM scan_system") as Int? == 6000)
        #expect(try query(db, "SELECT count(*) FROM scan") as Int? == 2)
        let firstGrowth = Double(afterFirst), secondGrowth = Double(afterSecond - afterFirst)
        #expect(secondGrowth <= 0.05 * firstGrowth, "re-scan grew \(secondGrowth) bytes after \(firstGrowth)")
        // One changed system is one new record.
        let path = work + "/org-4.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "users: 13\n", with: "users: 14\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(Binary.run(["scan", ".", "--db", "s.db"], in: work).status == 0)
        #expect(try query(db, "SELECT count(*) FROM system") as Int? == 3001)
    }

    /// The writer does not have SQLite check each reference as it inserts;
    /// every one it writes must hold all the same.
    @Test func everyReferenceOfTheSnapshotsWrittenHolds() throws {
        let work = Fixture.directory()
        for example in ["inventories/example-2025", "inventories/example", "inventories/example"] {
            #expect(Binary.run(["scan", Fixture.root + "/" + example, "--quiet"], in: work).status == 0)
        }
        let db = work + "/sovscan.db"
        #expect(try query(db, "SELECT count(*) FROM scan") as Int? == 3)
        for table in ["system_exception", "system_subprocessor", "exit_window", "finding_list_entry"] {
            #expect(try query(db, "SELECT count(*) FROM \(table)") as Int? ?? 0 > 0, "the examples write rows of \(table)")
        }
        #expect(try query(db, "SELECT count(*) FROM pragma_foreign_key_check") as Int? == 0)
        #expect(try query(db, "SELECT group_concat(integrity_check) FROM pragma_integrity_check") as String? == "ok")
    }

    @Test func concurrentScansBothSucceed() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 10, systems: 200))
        let group = DispatchGroup()
        nonisolated(unsafe) var statuses: [Int32] = [0, 0]
        for index in 0..<2 {
            DispatchQueue.global().async(group: group) {
                statuses[index] = Binary.run(["scan", ".", "--db", "s.db"], in: work).status
            }
        }
        group.wait()
        #expect(statuses == [0, 0])
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan") as Int? == 2)
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan_system GROUP BY scan_id HAVING count(*) <> 2000") as Int? == nil)
        #expect(try query(work + "/s.db", "PRAGMA integrity_check") as String? == "ok")
    }

    @Test func concurrentFirstScansOfANewDatabase() throws {
        // Small inventories, so that the scans meet while the file is being set up.
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        for round in 0..<8 {
            let database = work + "/new-\(round).db"
            let group = DispatchGroup()
            nonisolated(unsafe) var results: [Binary.Result?] = [nil, nil, nil]
            for index in 0..<3 {
                DispatchQueue.global().async(group: group) {
                    results[index] = Binary.run(["scan", "a.yaml", "--db", database], in: work)
                }
            }
            group.wait()
            for result in results {
                #expect(result?.status == 0, "round \(round): \(result?.stderr ?? "")")
            }
            #expect(try query(database, "SELECT count(*) FROM scan") as Int? == 3)
            #expect(try query(database, "PRAGMA integrity_check") as String? == "ok")
        }
    }

    @Test func busyDatabaseFailsCleanlyAfterTheTimeout() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work).status == 0)
        let holder = try DatabaseQueue(path: work + "/s.db")
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let result = Binary.run(["scan", "a.yaml", "--db", "s.db", "--busy-timeout", "0.5"], in: work)
            #expect(result.status == 1)
            #expect(result.stderr.contains("is busy: another sovscan is writing to it"))
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan") as Int? == 1)
    }

    /// Three trials in every run; fifty with SOVSCAN_LONG_TESTS=1 (docs/security.md).
    static let killTrials = ProcessInfo.processInfo.environment["SOVSCAN_LONG_TESTS"] == "1" ? 50 : 3

    @Test(arguments: 0..<SnapshotStoreTests.killTrials)
    func killedScanLeavesEarlierSnapshotsIntact(trial: Int) throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 1000, seed: trial))
        #expect(Binary.run(["scan", "org-0.yaml", "organisations.yaml", "--db", "s.db"], in: work).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["scan", ".", "--db", "s.db"]
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        process.environment = ["SOVSCAN_RULES": Fixture.rulesDirectory]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it at a varying moment while it reads, scores and writes 20,000 systems.
        usleep(UInt32(150_000 + 90_000 * (trial % 10)))
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(killedMidway && printed.isEmpty, "the scan finished before it could be killed; make the inventory larger")
        #expect(try query(work + "/s.db", "PRAGMA integrity_check") as String? == "ok")
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan") as Int? == 1)
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan_system WHERE scan_id = 1") as Int? == 1000)
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan_system WHERE scan_id <> 1") as Int? == 0)
        let listed = Binary.run(["scans", "--db", "s.db", "--format", "json"], in: work)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\"id\" : 1"))
        #expect(!listed.stdout.contains("\"id\" : 2"))
    }

    /// Starts the first scan of a new database `s.db` in `work` and returns
    /// once it writes, with its rollback journal on disk.
    private func startFirstScan(in work: String, standardOutput: Any = FileHandle.nullDevice, standardError: Any = FileHandle.nullDevice) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["scan", ".", "--db", "s.db"]
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        process.environment = ["SOVSCAN_RULES": Fixture.rulesDirectory]
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        for _ in 0..<2000 where process.isRunning && !FileManager.default.fileExists(atPath: work + "/s.db-journal") {
            usleep(5_000)
        }
        #expect(process.isRunning && FileManager.default.fileExists(atPath: work + "/s.db-journal"),
                "the first snapshot is written with a rollback journal")
        return process
    }

    @Test func killedFirstScanLeavesAnEmptyDatabaseInWALMode() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 1000))
        let process = try startFirstScan(in: work)
        usleep(200_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // The next sovscan to open the file rolls the unfinished snapshot back.
        let listed = Binary.run(["scans", "--db", "s.db", "--format", "json"], in: work)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\"scans\" : [\n\n  ]"))
        #expect(!FileManager.default.fileExists(atPath: work + "/s.db-journal"))
        #expect(try query(work + "/s.db", "PRAGMA journal_mode") as String? == "wal")
        #expect(try query(work + "/s.db", "PRAGMA integrity_check") as String? == "ok")
        #expect(try query(work + "/s.db", "SELECT count(*) FROM system") as Int? == 0)
        #expect(Binary.run(["scan", "org-0.yaml", "organisations.yaml", "--db", "s.db"], in: work).status == 0)
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan_system") as Int? == 1000)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func interruptedScanRollsBackAndSaysSo(signal: Int32) throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 2000))
        let output = Pipe(), errors = Pipe()
        let process = try startFirstScan(in: work, standardOutput: output, standardError: errors)
        usleep(100_000)
        #expect(process.isRunning, "the scan finished before it could be interrupted; make the inventory larger")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "sovscan: interrupted; nothing was stored\n")
        #expect(output.fileHandleForReading.readDataToEndOfFile().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: work + "/s.db-journal"), "sovscan rolled back itself, not the next opener")
        let listed = Binary.run(["scans", "--db", "s.db", "--format", "json"], in: work)
        #expect(listed.stdout.contains("\"scans\" : [\n\n  ]"))
        #expect(try query(work + "/s.db", "SELECT count(*) FROM system") as Int? == 0)
    }

    @Test func databaseIsReadWhileItsFirstSnapshotIsWritten() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 20, systems: 1000))
        let process = try startFirstScan(in: work)
        let listed = Binary.run(["scans", "--db", "s.db", "--format", "json"], in: work)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("\"scans\" : [\n\n  ]"))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: work + "/s.db-journal"))
        #expect(try query(work + "/s.db", "PRAGMA journal_mode") as String? == "wal", "later snapshots go through the write-ahead log")
        #expect(try query(work + "/s.db", "SELECT count(*) FROM scan_system") as Int? == 20000)
        #expect(try query(work + "/s.db", "PRAGMA integrity_check") as String? == "ok")
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func fullDiskIsAClearErrorAndKeepsEarlierSnapshots() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 12, systems: 400))
        let disk = Fixture.directory()
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk]
        try mount.run()
        mount.waitUntilExit()
        #expect(mount.terminationStatus == 0)
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [disk]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        #expect(Binary.run(["scan", "org-0.yaml", "organisations.yaml", "--db", disk + "/s.db"], in: work).status == 0)
        let full = Binary.run(["scan", ".", "--db", disk + "/s.db"], in: work)
        #expect(full.status == 1)
        #expect(full.stderr.hasSuffix("sovscan: the disk holding \(disk)/s.db is full; nothing of this scan was stored, earlier snapshots are intact\n"))
        #expect(try query(disk + "/s.db", "PRAGMA integrity_check") as String? == "ok")
        #expect(try query(disk + "/s.db", "SELECT count(*) FROM scan") as Int? == 1)
        #expect(try query(disk + "/s.db", "SELECT count(*) FROM scan_system") as Int? == 400)
    }

    @Test func foreignFilesAreRefusedAndLeftUntouched() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system()), "notes.db": "Meeting notes, not a database\n"])
        let text = Binary.run(["scan", "a.yaml", "--db", "notes.db"], in: work)
        #expect(text.status == 1)
        #expect(text.stderr == "sovscan: notes.db is not a sovscan database (not an SQLite file); it was left untouched. Name another file with --db\n")
        #expect(bytes(work + "/notes.db") == Data("Meeting notes, not a database\n".utf8))

        let other = try DatabaseQueue(path: work + "/other.db")
        try other.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices VALUES (1, 9.5)") }
        try other.close()
        let before = bytes(work + "/other.db")
        let sqlite = Binary.run(["scan", "a.yaml", "--db", "other.db"], in: work)
        #expect(sqlite.status == 1)
        #expect(sqlite.stderr.contains("is an SQLite database of another application, not a sovscan database; it was left untouched"))
        #expect(bytes(work + "/other.db") == before)
    }

    @Test func databaseOfANewerVersionIsRefused() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work).status == 0)
        let queue = try DatabaseQueue(path: work + "/s.db")
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        let before = bytes(work + "/s.db")
        let result = Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr == "sovscan: s.db was written by a newer sovscan (it has schema migration 'v99-from-the-future'); use that version, or a copy of the database made before it\n")
        #expect(bytes(work + "/s.db") == before)
    }

    @Test func databaseOfEachEarlierSchemaMigrates() throws {
        let migrations = Schema.migrator.migrations
        for earlier in migrations {
            let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
            let queue = try DatabaseQueue(path: work + "/old.db")
            try Schema.migrator.migrate(queue, upTo: earlier)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO scan (id, started_at, finished_at, as_of, tool_version, ruleset_name, ruleset_version, ruleset_hash, organisations, systems)
                    VALUES (1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z', '2024-12-31', '0.0.1', 'old', '1', 'abc', 0, 0)
                    """)
            }
            try queue.close()
            let result = Binary.run(["scan", "a.yaml", "--db", "old.db"], in: work)
            #expect(result.status == 0, "from \(earlier): \(result.stderr)")
            #expect(result.stdout.hasPrefix("scan 2:"))
            let applied: Int? = try query(work + "/old.db", "SELECT count(*) FROM grdb_migrations")
            #expect(applied == migrations.count)
            #expect(try query(work + "/old.db", "SELECT ruleset_name FROM scan WHERE id = 1") as String? == "old")
        }
    }

    @Test func findingsMoveIntoListsStoredOnce() throws {
        let work = Fixture.directory()
        for inventories in ["example-2025", "example"] {
            #expect(Binary.run(["scan", Fixture.root + "/inventories/" + inventories, "--quiet"], in: work).status == 0)
        }
        let path = work + "/sovscan.db"
        let dump = "SELECT group_concat(assessment_id || ':' || position || ':' || rule || ':' || dimension || ':' || points || ':' || accepted, ' ') FROM (SELECT * FROM assessment_finding ORDER BY assessment_id, position)"
        let findings: String? = try query(path, dump)
        let explained = Binary.run(["explain", "bl-fm-zentrale/clients", "--format", "json"], in: work).stdout
        let lists: Int? = try query(path, "SELECT count(*) FROM finding_list")
        let assessments: Int? = try query(path, "SELECT count(*) FROM assessment")
        #expect(try #require(lists) < assessments ?? 0, "assessments share their lists of findings")
        // The database as a sovscan before migration v4 left it: a table of findings per assessment.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE moved AS SELECT * FROM assessment_finding;
                DROP VIEW assessment_finding;
                CREATE TABLE assessment_finding (
                    assessment_id INTEGER NOT NULL REFERENCES assessment(id), position INTEGER NOT NULL, rule TEXT NOT NULL,
                    dimension TEXT NOT NULL, points INTEGER NOT NULL, accepted INTEGER NOT NULL, PRIMARY KEY (assessment_id, position)
                ) WITHOUT ROWID;
                INSERT INTO assessment_finding SELECT * FROM moved;
                DROP TABLE moved; DROP TABLE finding_list_entry; DROP TABLE finding_list;
                ALTER TABLE assessment DROP COLUMN finding_list_id;
                DELETE FROM grdb_migrations WHERE identifier = 'v4-finding-lists';
                """)
        }
        #expect(try query(path, dump) as String? == findings)
        _ = try SnapshotDatabase(path: path)
        #expect(try query(path, dump) as String? == findings)
        #expect(try query(path, "SELECT count(*) FROM finding_list") as Int? == lists)
        #expect(Binary.run(["explain", "bl-fm-zentrale/clients", "--format", "json"], in: work).stdout == explained)
        #expect(explained.contains("\"rule\""))
    }

    @Test func everyQueryOfTheSchemaPageRuns() throws {
        let work = Fixture.directory()
        for inventories in ["example-2025", "example"] {
            #expect(Binary.run(["scan", Fixture.root + "/inventories/" + inventories, "--quiet"], in: work).status == 0)
        }
        let page = try String(contentsOfFile: Fixture.root + "/docs/schema.md", encoding: .utf8)
        let queries = page.components(separatedBy: "```sql\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        #expect(queries.count >= 22)
        let queue = try DatabaseQueue(path: work + "/sovscan.db", configuration: { var c = Configuration(); c.readonly = true; return c }())
        var answered = 0
        for query in queries {
            let rows = try queue.read { try Row.fetchAll($0, sql: query) }
            if !rows.isEmpty { answered += 1 }
        }
        #expect(answered >= queries.count / 2, "most queries find something in the example snapshots")
    }

    @Test func datesAreSpelledAsISOAndReadBack() {
        for (year, month, day) in [(1, 1, 1), (999, 12, 31), (2026, 9, 30), (9999, 2, 28), (2028, 2, 29)] {
            let date = Day(year: year, month: month, day: day)!
            #expect(date.description == String(repeating: "0", count: 4 - String(year).count) + "\(year)-"
                    + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)")
            #expect(Day(iso: date.description) == date)
        }
    }

    @Test func scansListsSnapshotsAsJSON() throws {
        let work = Fixture.write(["inv/a.yaml": Fixture.inventory(systems: Fixture.system()),
                                  "inv/m.yaml": "inventory: 1\norganisations:\n  - {id: im, name: IM, type: ministry, country: DE}\n"])
        let scan = Binary.run(["scan", "inv", "--format", "json"], in: work)
        #expect(scan.status == 0)
        let scanJSON = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        let snapshot = try #require(scanJSON["scan"] as? [String: Any])
        #expect(snapshot["id"] as? Int == 1)
        #expect(snapshot["organisations"] as? Int == 2)
        #expect(snapshot["systems"] as? Int == 1)
        #expect((scanJSON["diagnostics"] as? [Any])?.isEmpty == true)

        let listed = Binary.run(["scans", "--format", "json"], in: work)
        #expect(listed.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let scans = try #require(json["scans"] as? [[String: Any]])
        #expect(scans.count == 1)
        #expect(scans[0]["id"] as? Int == 1)
        #expect(scans[0]["as_of"] as? String == "2026-09-30")
        #expect(scans[0]["organisations"] as? Int == 2)
        #expect(scans[0]["systems"] as? Int == 1)
        #expect((scans[0]["started_at"] as? String)?.count == 24)
        let inputs = try #require(scans[0]["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["path"] as? String } == ["inv/a.yaml", "inv/m.yaml"])
        #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 })

        let table = Binary.run(["scans"], in: work)
        #expect(table.stdout.hasPrefix("scan  started at (UTC)"))
    }

    @Test func scansTableShowsEachInputsShortSHA256UnderItsScan() throws {
        let work = Fixture.write(["inv/a.yaml": Fixture.inventory(systems: Fixture.system()),
                                  "inv/m.yaml": "inventory: 1\norganisations:\n  - {id: im, name: IM, type: ministry, country: DE}\n"])
        #expect(Binary.run(["scan", "inv"], in: work).status == 0)
        #expect(Binary.run(["scan", "inv/a.yaml"], in: work).status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["scans", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let inputs = try #require(json["scans"] as? [[String: Any]]).map { try #require($0["inputs"] as? [[String: String]]) }
        let lines = Binary.run(["scans"], in: work).stdout.split(separator: "\n").map(String.init)
        let short = inputs.map { $0.map { "      sha256:\($0["sha256"]!.prefix(12))  \($0["path"]!)" } }
        try #require(lines.count == 1 + 3 + 2, "a header, and for each scan its line and a line per input")
        #expect(lines.filter { $0.hasPrefix("      sha256:") } == short[0] + short[1])
        #expect(lines.dropFirst().filter { !$0.hasPrefix("      sha256:") }.map { $0.prefix(6) } == ["   1  ", "   2  "])
        #expect(lines[5] == short[1][0] && lines[4].hasPrefix("   2  "), "each input under its scan")
        #expect(inputs[0][0]["sha256"] == inputs[1][0]["sha256"] && inputs[0][0]["sha256"]?.count == 64, "JSON keeps the whole hash")
    }

    @Test func rescanOfUnchangedInputsIsStoredAndSaysSo() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        let first = Binary.run(["scan", "a.yaml"], in: work)
        #expect(!first.stdout.contains("unchanged"))
        let again = Binary.run(["scan", "a.yaml"], in: work)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("scan 2: 1 organisation, 1 system from 1 file, inputs and rules unchanged since scan 1, stored in sovscan.db\n"),
                "\(again.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["scan", "a.yaml", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        #expect((json["scan"] as? [String: Any])?["unchanged_since"] as? Int == 2)
        #expect(!Binary.run(["scan", "a.yaml", "--profile", "strict"], in: work).stdout.contains("unchanged"), "another profile scores differently")
        try Data((Fixture.inventory(systems: Fixture.system(["users": "12"]))).utf8).write(to: URL(fileURLWithPath: work + "/a.yaml"))
        #expect(!Binary.run(["scan", "a.yaml"], in: work).stdout.contains("unchanged"))
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["scans", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        #expect((listed["scans"] as? [Any])?.count == 5, "every scan is a dated snapshot, changed or not")
    }
}

/// Lists are stored as JSON arrays of strings that any JSON reader (and SQLite's `json_each`) reads back.
@Suite struct JSONListTests {
    static let awkward = ["", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}", "Grüße", "日本", "😀 emoji",
                          "\\u0041 written out", "[\"nested\"]"]

    @Test func whatIsWrittenIsReadBack() throws {
        for count in 0...Self.awkward.count {
            let values = Array(Self.awkward.prefix(count))
            let text = JSONList.encode(values)
            #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == values, "\(text)")
        }
    }
}
