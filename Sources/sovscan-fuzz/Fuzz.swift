import Catalogue
import Domain
import Foundation
import Inventory
import Scanning
import Scoring

/// Fuzz targets for the two readers of untrusted YAML: inventories and rule
/// files. Built with `-DFUZZING`, coverage and AddressSanitizer, and linked
/// with libFuzzer, it is a fuzzer (see docs/security.md); built normally it
/// replays the files given on the command line through the same code, so
/// that every crash found stays a regression test.
enum FuzzTarget: String {
    case inventory, rules

    static let rulesDirectory: String = {
        if let path = ProcessInfo.processInfo.environment["SOVSCAN_RULES"] { return path }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/rules"
    }()

    static let ruleSet: RuleSet = {
        guard let ruleSet = RuleSet.load(directory: rulesDirectory).0 else { fatalError("the rule set in \(rulesDirectory) is invalid") }
        return ruleSet
    }()

    static let model: ScoringModel = {
        guard let model = ScoringModel.load(ruleSet: ruleSet).0 else { fatalError("the rules in \(rulesDirectory) are invalid") }
        return model
    }()

    static let scratch: String = {
        let path = NSTemporaryDirectory() + "sovscan-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in RuleSet.files where file != "rules.yaml" {
            try? FileManager.default.createSymbolicLink(atPath: path + "/" + file, withDestinationPath: rulesDirectory + "/" + file)
        }
        return path
    }()

    /// Reads `bytes` as this target's kind of file; any crash is a finding.
    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .inventory:
            let path = Self.scratch + "/input.yaml"
            precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
            // Read in one piece and in segments of single documents by three
            // workers: anything but the same items and diagnostics is a finding.
            let whole = Self.transcript(path, ReadOptions(workers: 1, segmentBytes: .max))
            let segmented = Self.transcript(path, ReadOptions(workers: 3, segmentBytes: 1))
            // libyaml finds bytes that are not UTF-8 when it decodes them, a
            // buffer at a time even when the file is read whole, so which
            // error of an invalid file comes first, and what is read before
            // it, depend on where the reading starts: such a file must be
            // found invalid either way.
            if whole.contains(where: { $0.contains("is not valid UTF-8") }) {
                if !segmented.contains(where: { $0.contains(" error ") }) { fatalError("reading in segments found no error") }
            } else if whole != segmented {
                fatalError("reading in segments differs from reading whole:\n\(whole.joined(separator: "\n"))\n---\n\(segmented.joined(separator: "\n"))")
            }
        case .rules:
            precondition(FileManager.default.createFile(atPath: Self.scratch + "/rules.yaml", contents: Data(bytes)), "cannot write the rule set")
            if let ruleSet = RuleSet.load(directory: Self.scratch).0, let model = ScoringModel.load(ruleSet: ruleSet).0 {
                _ = ExampleRunner(model: model).run()
            }
        }
    }

    /// Everything the scan pipeline yields for a file, scores included, as text.
    static func transcript(_ path: String, _ options: ReadOptions) -> [String] {
        var lines: [String] = []
        let pipeline = ScanPipeline(model: model, scanDate: Day(year: 2026, month: 9, day: 30)!, options: options)
        let reading = pipeline.read(files: [path]) { item in
            switch item {
            case .system(let system, let organisationID, let assessment, _), .revised(let system, let organisationID, let assessment, _):
                let fields = System.fields.map { "\($0.name)=\($0.value(system))" }.joined(separator: " ")
                let scores = Dimension.allCases.map { "\($0)=\(assessment.scores[$0]!.score)" }.joined(separator: " ")
                lines.append("\(organisationID) \(fields) \(scores)")
            case .organisation(let organisation): lines.append("\(organisation)")
            case .parties(let parties): lines += parties.keys.sorted().map { "party \($0) \(parties[$0]!.chain.map(\.country))" }
            }
        }
        lines += reading.diagnostics.map { "\($0.location) \($0.severity) \($0.code) \($0.message)" }
        lines += reading.files.map { "\($0.sha256) \($0.bytes) \($0.organisations) \($0.systems)" }
        return lines
    }

    static var current: FuzzTarget {
        FuzzTarget(rawValue: ProcessInfo.processInfo.environment["SOVSCAN_FUZZ_TARGET"] ?? "inventory") ?? .inventory
    }
}

#if FUZZING
/// libFuzzer's entry for a program that keeps its own `main` (from
/// `libclang_rt.fuzzer_no_main`).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        let target = FuzzTarget.current
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            FuzzTarget.current.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            data.withUnsafeBytes { target.run($0) }
        }
        print("replayed \(CommandLine.arguments.count - 1) \(target.rawValue) inputs")
        #endif
    }
}
