import Catalogue
import Domain
import Foundation
import Inventory
import Testing
import YAMLReading

/// Paths and helpers shared by the tests.
enum Fixture {
    /// The repository's root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let rulesDirectory = root + "/rules"

    /// The shipped rule set, loaded once.
    static let ruleSet: RuleSet = {
        let (ruleSet, diagnostics) = RuleSet.load(directory: rulesDirectory)
        guard let ruleSet else { fatalError("the shipped rule set is invalid: \(diagnostics)") }
        return ruleSet
    }()

    /// A fresh temporary directory.
    /// The query of docs/schema.md under a heading ("23."), without its LIMIT.
    static func schemaQuery(_ heading: String) throws -> String {
        let page = try String(contentsOfFile: root + "/docs/schema.md", encoding: .utf8)
        let section = try #require(page.components(separatedBy: "### " + heading).dropFirst().first)
        let query = try #require(section.components(separatedBy: "```sql\n").dropFirst().first?.components(separatedBy: "\n```").first)
        return query.replacingOccurrences(of: "\nLIMIT 5;", with: ";")
    }

    static func directory() -> String {
        let path = NSTemporaryDirectory() + "sovscan-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `files` (name → text) into a fresh directory and returns its path.
    static func write(_ files: [String: String]) -> String {
        let directory = directory()
        for (name, text) in files {
            let path = directory + "/" + name
            try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return directory
    }

    /// Validates the given files as one scan.
    static func validate(_ files: [String: String]) -> (reading: ScanReading, directory: String) {
        let directory = write(files)
        let paths = try! InputFiles.expand([directory])
        return (InventoryScan.read(files: paths, reference: ruleSet.reference), directory)
    }

    /// The diagnostics of one inventory file's text, as `line:column code` strings.
    static func diagnostics(_ text: String) -> [Diagnostic] {
        validate(["inventory.yaml": text]).reading.diagnostics
    }

    /// A valid organisation document; `systems` is inserted under `systems:`.
    static func inventory(systems: String, organisation: String = defaultOrganisation) -> String {
        "inventory: 1\n" + organisation + "as_of: 2026-09-30\nsystems:\n" + systems
    }

    static let defaultOrganisation = """
        organisation:
          id: testamt
          name: Testamt
          type: agency
          country: DE

        """

    /// A complete valid system whose lines can be replaced by `replacing`.
    static func system(id: String = "mail", _ overrides: KeyValuePairs<String, String> = [:], removing: Set<String> = []) -> String {
        var fields: [(String, String)] = [
            ("id", id), ("name", "E-Mail"), ("function", "email"), ("product", "Exchange Online"),
            ("vendor", "Microsoft"), ("deployment", "saas"), ("hosting", "{provider: Microsoft, data_location: [EU]}"),
            ("licence", "proprietary"), ("criticality", "high"),
        ]
        for (key, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                fields[index].1 = value
            } else {
                fields.append((key, value))
            }
        }
        fields.removeAll { removing.contains($0.0) }
        var text = ""
        for (index, field) in fields.enumerated() {
            text += (index == 0 ? "  - " : "    ") + "\(field.0): \(field.1)\n"
        }
        return text
    }
}

/// The built `sovscan` binary, run as a user would.
enum Binary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The build products directory the tests run from.
    static let path: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = String(decoding: buffer[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var url = URL(fileURLWithPath: executable)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("sovscan").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Fixture.root + "/.build/debug/sovscan"
    }()

    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: String? = nil,
                    executable: String = path) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SOVSCAN_RULES"] = Fixture.rulesDirectory
        env.removeValue(forKey: "SOVSCAN_DB")
        // English unless a test asks otherwise, whatever the locale of the machine running the tests.
        env.removeValue(forKey: "LC_ALL")
        env["LANG"] = "C.UTF-8"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try! process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension [Diagnostic] {
    /// `"LINE:COLUMN severity code"` for each diagnostic, for compact assertions.
    var positions: [String] {
        map { "\($0.location.line):\($0.location.column) \($0.severity.rawValue) \($0.code)" }
    }

    func first(_ code: String) -> Diagnostic? {
        first { $0.code == code }
    }
}
