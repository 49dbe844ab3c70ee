import Domain
import Foundation
import GRDB
import Testing
@testable import YAMLReading

/// Inputs from many hands: every odd file gets a clear error or its
/// documented meaning, in bounded time, and nothing stored is lost.
@Suite struct HostileInputTests {
    /// libyaml never ends a document inside a collection; should events
    /// replayed wrongly ever do so, reading stops instead of waiting for the
    /// collection's end forever (as a fault in the recorder once made it).
    @Test func eventsEndingInsideACollectionEndTheRead() {
        final class Unbalanced: EventSource {
            private var events: [Event]
            init(_ events: [Event]) { self.events = events }
            func next() -> Event {
                events.isEmpty ? Event(kind: .streamEnd, location: Domain.SourceLocation(line: 9, column: 1)) : events.removeFirst()
            }
        }
        let at = Domain.SourceLocation(line: 1, column: 1)
        let key = Event(kind: .scalar(Scalar(value: "a", isPlain: true), anchor: nil), location: at)
        for (first, rest) in [(Event(kind: .mappingStart(anchor: nil, tag: nil), location: at), [key]),
                              (Event(kind: .mappingStart(anchor: nil, tag: nil), location: at), [key, key]),
                              (Event(kind: .sequenceStart(anchor: nil, tag: nil), location: at), [key])] {
            var builder = NodeBuilder()
            var log = DiagnosticLog(file: "a.yaml")
            #expect(throws: ReadAbort.self) { try builder.node(startingWith: first, from: Unbalanced(rest), log: &log) }
        }
    }

    @Test func deepNestingIsRejectedAtItsLine() {
        let text = "inventory: 1\norganisations:\n  - {id: a, name: A, type: agency, country: DE, x: " + String(repeating: "[", count: 100_000) + "\n"
        let clock = ContinuousClock()
        var diagnostics: [String] = []
        let elapsed = clock.measure { diagnostics = Fixture.diagnostics(text).positions }
        #expect(diagnostics == ["3:114 error too-deep"], "the bracket 64 levels down")
        #expect(elapsed < .seconds(10))
    }

    @Test func aHundredMegabyteScalarIsReadInBoundedTime() throws {
        let directory = Fixture.directory()
        let path = directory + "/big.yaml"
        let created = FileManager.default.createFile(atPath: path, contents: nil)
        #expect(created)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let head = String(Fixture.inventory(systems: Fixture.system(["notes": "\""])).dropLast(1))
        try handle.write(contentsOf: Data(head.utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("\"\n".utf8))
        try handle.close()
        let clock = ContinuousClock()
        var result: Binary.Result?
        let elapsed = clock.measure { result = Binary.run(["validate", path]) }
        #expect(result?.status == 0, "a long note is still a note: \(result?.stderr ?? "")")
        #expect(elapsed < .seconds(60))
    }

    @Test func byteOrderMarkCRLFAndTabsAreFine() {
        let text = "\u{FEFF}" + Fixture.inventory(systems: Fixture.system(["notes": "\"Tab\there\""])).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Fixture.diagnostics(text).isEmpty)
        let tabIndent = "inventory: 1\norganisations:\n\t- {id: a, name: A, type: agency, country: DE}\n"
        let diagnostics = Fixture.diagnostics(tabIndent)
        #expect(diagnostics.first?.code == "yaml-syntax", "YAML forbids tabs for indentation; libyaml says where")
        #expect(diagnostics.first?.location.line == 3)
    }

    @Test(arguments: [
        ("users", "1e400", "'users' must be a whole number written in decimal digits, not '1e400'"),
        ("users", ".nan", "'users' must be a whole number written in decimal digits, not '.nan'"),
        ("contract", "{annual_cost_eur: .nan}", "'contract.annual_cost_eur' must be a number written in decimal (e.g. 380000 or 1250.50), not '.nan'"),
        ("data", "{personal: off}", "'data.personal' must be true or false, not 'off'"),
        ("hosting", "[Microsoft]", "hosting must be a mapping (key: value pairs), not a list"),
        ("name", "{first: E, last: Mail}", "'name' must be a single value, not a mapping (key: value pairs)"),
    ])
    func oddValuesGetClearErrors(field: String, value: String, message: String) {
        let diagnostics = Fixture.diagnostics(Fixture.inventory(systems: Fixture.system([field: value])))
        #expect(diagnostics.map(\.message).contains(message), "\(diagnostics)")
    }

    @Test func readOnlyDatabaseIsAClearErrorAndKeepsItsSnapshots() throws {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        #expect(Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work).status == 0)
        // A database the user may read but not write: immutable for root (who
        // writes through permissions), read-only by mode for anyone else.
        let before = FileManager.default.contents(atPath: work + "/s.db")
        let immutable = Process()
        immutable.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        immutable.arguments = ["+i", work + "/s.db"]
        var locked = false
        if getuid() == 0, (try? immutable.run()) != nil {
            immutable.waitUntilExit()
            locked = immutable.terminationStatus == 0
        }
        if !locked { try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: work + "/s.db") }
        defer {
            let unlock = Process()
            unlock.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            unlock.arguments = ["-i", work + "/s.db"]
            if locked, (try? unlock.run()) != nil { unlock.waitUntilExit() }
        }
        #expect(locked || getuid() != 0, "as root the test needs chattr to make the file immutable")
        let result = Binary.run(["scan", "a.yaml", "--db", "s.db"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr == "sovscan: the database s.db is read-only; nothing was stored\n", "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: work + "/s.db") == before)
        let listed = Binary.run(["scans", "--db", "s.db", "--format", "json"], in: work)
        #expect(listed.status == 0, "earlier snapshots stay readable: \(listed.stderr)")
        #expect(listed.stdout.contains("\"id\" : 1"))
    }

    @Test func fourScansAndTwoReportsAtOnceAllFinishOrFailCleanly() throws {
        let work = Fixture.write(SyntheticInventory.files(organisations: 8, systems: 150))
        #expect(Binary.run(["scan", ".", "--db", "s.db"], in: work).status == 0)
        let group = DispatchGroup()
        nonisolated(unsafe) var results: [Binary.Result?] = Array(repeating: nil, count: 6)
        for index in 0..<6 {
            DispatchQueue.global().async(group: group) {
                let arguments = index < 4 ? ["scan", ".", "--db", "s.db"] : ["report", "--format", "json", "--db", "s.db"]
                results[index] = Binary.run(arguments, in: work)
            }
        }
        group.wait()
        for (index, result) in results.enumerated() {
            let result = try #require(result)
            #expect(result.status == 0 || result.stderr.contains("is busy"), "\(index): \(result.stderr)")
        }
        let queue = try DatabaseQueue(path: work + "/s.db")
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let scans = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan") } ?? 0
        #expect(scans == 1 + results.prefix(4).filter { $0?.status == 0 }.count)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_system GROUP BY scan_id HAVING count(*) <> 1200") } == nil)
    }
}

/// The fuzzers' seed corpus and every input they found a crash with, replayed
/// through the same code on every test run.
@Suite struct FuzzCorpusTests {
    @Test(arguments: ["inventory", "rules"])
    func corpusReplaysWithoutCrashing(target: String) throws {
        let directory = Fixture.root + "/Fuzz/corpus/" + target
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { directory + "/" + $0 }
        #expect(!files.isEmpty)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (Binary.path as NSString).deletingLastPathComponent + "/sovscan-fuzz")
        process.arguments = files
        process.environment = ["SOVSCAN_FUZZ_TARGET": target, "SOVSCAN_RULES": Fixture.rulesDirectory]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text == "replayed \(files.count) \(target) inputs\n")
    }
}
