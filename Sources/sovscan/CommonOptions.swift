import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Logging
import Output
import Scoring

/// Options every command that reads inventories shares.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Inventory files, or directories whose *.yaml and *.yml files are read (in sorted order).", valueName: "path"))
    var paths: [String]

    @OptionGroup var ruleSet: RuleSetOptions

    @Flag(name: .shortAndLong, help: "Log progress and timings on stderr.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Show no progress line on stderr (it is shown only on a terminal, for reads that take a while).")
    var quiet = false

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Files, and segments of large files, parsed at once (default: the number of cores, at most 8).", valueName: "n"))
    var jobs: Int?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one inventory file or directory.") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    /// How to read `files`, with a progress line on stderr when it is a terminal.
    func readOptions(files: [String]) -> (ReadOptions, ProgressLine?) {
        let progress = ProgressLine.onStandardError(files: files, quiet: quiet)
        var options = ReadOptions(progress: progress?.update)
        if let jobs { options.workers = jobs }
        return (options, progress)
    }

    /// Each stage's time and counts, on stderr with `--verbose`.
    func stages() -> StageLog {
        var logger = Logger(label: "sovscan") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        return StageLog(logger: logger)
    }

    /// The files named, or exit 1 when a path does not exist. A local
    /// vendors file (`vendors.yaml` in a directory named) is no inventory.
    func inputFiles() throws -> [String] {
        let local = Set(try localVendorsFiles())
        return try InputFiles.expand(paths).filter { !local.contains($0) }
    }

    /// `vendors.yaml` in the directories named: the local vendors file used
    /// when `--vendors` names none.
    func localVendorsFiles() throws -> [String] {
        Self.localVendorsFiles(in: paths)
    }

    static func localVendorsFiles(in paths: [String]) -> [String] {
        paths.compactMap { path in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            let candidate = (path.hasSuffix("/") ? path : path + "/") + "vendors.yaml"
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
    }

    /// The scoring model, with the local vendors file of `--vendors` or the one beside the inventories.
    func loadModel(profile: String?) throws -> ScoringModel {
        let found = try localVendorsFiles()
        if ruleSet.vendors == nil, found.count > 1 {
            throw Failure.usage("the directories named hold \(found.count) local vendors files (\(found.joined(separator: ", "))); name the one to use with --vendors FILE")
        }
        return try ruleSet.loadModel(profile: profile, localVendors: found.first)
    }
}

/// Logs how long each stage of a command took, and what it counted.
struct StageLog {
    let logger: Logger
    private var started = ContinuousClock.now

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs `stage` as finished now, with `counts`, and starts the next.
    mutating func finished(_ stage: String, _ counts: String) {
        let now = ContinuousClock.now
        let seconds = Double((now - started).components.attoseconds) / 1e18 + Double((now - started).components.seconds)
        logger.info("\(stage): \(counts) in \(String(format: "%.3f", seconds)) s")
        started = now
    }
}

enum Terminal {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Prints diagnostics gcc-style on stderr, and as JSON objects.
enum DiagnosticPrinter {
    static func printToStandardError(_ diagnostics: [Diagnostic]) {
        // In pieces of about 64 KB: a million systems may bring a hundred
        // thousand warnings, which need not be held twice more as one text.
        var text = ""
        for diagnostic in diagnostics {
            text += diagnostic.description
            text += "\n"
            if text.utf8.count >= 1 << 16 {
                FileHandle.standardError.write(Data(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }

    static func summaryLine(_ diagnostics: [Diagnostic], _ w: Wording = .english) -> String? {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        guard errors + warnings > 0 else { return nil }
        return "\(w.counted(errors, .error)) \(w.say("and", "und")) \(w.counted(warnings, .warning))"
    }
}

/// "1 system", "2 systems".
func plural(_ count: Int, _ word: String) -> String {
    "\(count) \(word)\(count == 1 ? "" : "s")"
}

/// A diagnostic as the JSON outputs print it.
struct DiagnosticJSON: Encodable {
    var file: String
    var line: Int
    var column: Int
    var severity: String
    var code: String
    var message: String

    init(_ diagnostic: Diagnostic) {
        file = diagnostic.file
        line = diagnostic.location.line
        column = diagnostic.location.column
        severity = diagnostic.severity.rawValue
        code = diagnostic.code
        message = diagnostic.message
    }
}

