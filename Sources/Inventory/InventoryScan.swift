import Crypto
import Domain
import Foundation
import Threads
import YAMLReading

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a scan reads: the files named, and every `*.yaml`/`*.yml`
/// below each directory named, in sorted path order.
public enum InputFiles {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func expand(_ paths: [String]) throws(Problem) -> [String] {
        var files: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw Problem(description: "\(path): \(String(cString: strerror(errno)))")
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                let found = yamlFiles(under: path)
                if found.isEmpty { throw Problem(description: "\(path): no .yaml or .yml files in this directory") }
                files.append(contentsOf: found)
            } else {
                files.append(path)
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    private static func yamlFiles(under directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        var result: [String] = []
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() {
            let path = base + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                result.append(contentsOf: yamlFiles(under: path))
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(path)
            }
        }
        return result.sorted()
    }
}

/// The checks that need the whole scan: organisation ids unique across all
/// files, parents declared somewhere, and no parent cycles.
struct OrganisationTreeCheck {
    private var organisations: [String: Organisation] = [:]
    private var order: [String] = []
    private(set) var diagnostics: [Diagnostic] = []

    init() {}

    /// Registers an organisation; false (and an error) when its id is taken.
    @discardableResult
    mutating func register(_ organisation: Organisation) -> Bool {
        if let first = organisations[organisation.id] {
            diagnostics.append(Diagnostic(
                file: organisation.file, location: organisation.location, severity: .error, code: "duplicate-id",
                message: "organisation id '\(organisation.id)' is already used at \(first.file):\(first.location); organisation ids must be unique across the scan"))
            return false
        }
        organisations[organisation.id] = organisation
        order.append(organisation.id)
        return true
    }

    /// Reports undeclared parents (warnings) and cycles (errors).
    mutating func finish() {
        for id in order {
            let organisation = organisations[id]!
            guard let parent = organisation.parent else { continue }
            if organisations[parent] == nil {
                diagnostics.append(Diagnostic(
                    file: organisation.file, location: organisation.parentLocation ?? organisation.location, severity: .warning,
                    code: "undeclared-parent",
                    message: "parent '\(parent)' is declared in no file of this scan, so '\(id)' is reported on its own\(Suggestion.didYouMean(parent, in: organisations.keys))"))
            }
        }
        var reported = Set<String>()
        for id in order where !reported.contains(id) {
            var path = [id]
            var current = id
            while let parent = organisations[current]?.parent, organisations[parent] != nil {
                if let start = path.firstIndex(of: parent) {
                    let cycle = Array(path[start...])
                    if cycle.allSatisfy({ !reported.contains($0) }) {
                        reported.formUnion(cycle)
                        let member = cycle.map { organisations[$0]! }.min { ($0.file, $0.location) < ($1.file, $1.location) }!
                        diagnostics.append(Diagnostic(
                            file: member.file, location: member.parentLocation ?? member.location, severity: .error, code: "parent-cycle",
                            message: "organisations form a cycle of parents: \((cycle + [cycle[0]]).joined(separator: " → ")); one of them must report to an organisation outside the cycle or to none"))
                    }
                    break
                }
                path.append(parent)
                current = parent
            }
        }
    }
}

/// The result of reading every file of a scan.
public struct ScanReading: Sendable {
    public var files: [FileSummary]
    /// Every diagnostic of every file and of the cross-file checks, sorted by file and position.
    public var diagnostics: [Diagnostic]
    public var organisations: Int
    public var systems: Int

    /// The data answers left out and so read as unknown, with how many
    /// systems leave each out (none when every system states them).
    public var unstated: [UnstatedAnswer] = []

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(files: [FileSummary], diagnostics: [Diagnostic], organisations: Int, systems: Int) {
        self.files = files
        self.diagnostics = diagnostics
        self.organisations = organisations
        self.systems = systems
    }
}

/// An answer that systems leave out, which the scoring therefore reads as
/// unknown: how many systems, and the first of them.
public struct UnstatedAnswer: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case personal = "data.personal"
        case specialCategories = "data.special_categories"
    }

    public var field: Field
    public var systems: Int
    public var file: String
    public var system: String
    public var location: SourceLocation

    public init(field: Field, systems: Int, file: String, system: String, location: SourceLocation) {
        self.field = field
        self.systems = systems
        self.file = file
        self.system = system
        self.location = location
    }
}

/// How a scan's files are read: by how many workers, and in segments of about how many bytes.
public struct ReadOptions: Sendable {
    public var workers: Int
    public var segmentBytes: Int
    /// Told, on the reading thread, each time a part of a file has been read.
    public var progress: (@Sendable (ReadProgress) -> Void)?

    /// One worker per core, at most 8: past that the reading thread (checking
    /// and scoring) and the writer are the limit, and each worker ahead holds
    /// a segment's systems in memory.
    public static let defaultWorkers = min(8, ProcessInfo.processInfo.activeProcessorCount)

    public init(workers: Int = ReadOptions.defaultWorkers, segmentBytes: Int = 2 << 20,
                progress: (@Sendable (ReadProgress) -> Void)? = nil) {
        self.workers = max(1, workers)
        self.segmentBytes = max(1, segmentBytes)
        self.progress = progress
    }
}

/// Reads and validates the files of a scan, yielding every organisation and
/// system to `yield` as it is read, in file and document order. Files, and
/// the segments of whole documents of large files, are parsed by workers
/// on all cores; the items reach `yield` on the calling thread in order.
public enum InventoryScan {
    public static func read(
        files: [String], reference: ReferenceData, options: ReadOptions = ReadOptions(),
        _ yield: (InventoryItem) -> Void = { _ in }
    ) -> ScanReading {
        let queue = PartQueue(window: options.workers + 1)
        let segmentBytes = options.segmentBytes
        let splitter = BackgroundTask { queue.split(files, segmentBytes: segmentBytes) }
        let workers = (0..<options.workers).map { _ in
            BackgroundTask { queue.work(files: files, reference: reference) }
        }
        var tree = OrganisationTreeCheck()
        var summaries: [FileSummary] = []
        var diagnostics: [Diagnostic] = []
        var parts: [PartReading] = []
        var stopped = false
        var state = ReadProgress(filesDone: 0, files: files.count, bytesDone: 0, systems: 0)
        while let (part, output) = queue.next() {
            while let batch = output.items.receive() {
                // Nothing after a syntax error of the file is read, as if it were read in one piece.
                guard !stopped else { continue }
                // By index, so that each item is lent rather than copied out.
                for index in batch.indices {
                    if case .organisation(let organisation) = batch[index] { tree.register(organisation) }
                    yield(batch[index])
                }
            }
            let reading = output.reading!
            if !stopped {
                parts.append(reading)
                stopped = reading.stopped
                state.systems += reading.systems
            }
            queue.consumed()
            state.bytesDone += part.segment?.bytes.count ?? reading.bytes
            if part.isLast {
                let digest = queue.digest(of: part.file)
                var summary = InventoryFileReader.summary(path: files[part.file], parts: parts,
                                                          sha256: reading.sha256 ?? digest.sha256, bytes: reading.sha256 == nil ? digest.bytes : reading.bytes)
                if let failure = digest.failure {
                    summary.diagnostics.append(Diagnostic(file: files[part.file], location: SourceLocation(line: 1, column: 1),
                                                          severity: .error, code: "file", message: "cannot read the file: \(failure)"))
                }
                diagnostics.append(contentsOf: summary.diagnostics)
                summaries.append(summary)
                parts = []
                stopped = false
                state.filesDone += 1
            }
            options.progress?(state)
        }
        splitter.wait()
        for worker in workers { worker.wait() }
        tree.finish()
        diagnostics.append(contentsOf: tree.diagnostics)
        diagnostics.sort(by: Diagnostic.ordered)
        return ScanReading(files: summaries, diagnostics: diagnostics,
                           organisations: summaries.reduce(0) { $0 + $1.organisations },
                           systems: summaries.reduce(0) { $0 + $1.systems })
    }
}

/// The parts of a scan's files (whole files, or segments of whole documents),
/// found by the splitter, parsed by the workers, and handed to the reading
/// thread in order. Workers stay at most `window` parts ahead of it, and each
/// part's items wait in a small channel, so memory stays flat.
private final class PartQueue: @unchecked Sendable {
    struct Part {
        var file: Int
        /// nil: the whole file, read in order (it cannot be cut).
        var segment: FileSegment?
        var isLast: Bool
    }

    final class Output: @unchecked Sendable {
        let items = BatchChannel<InventoryItem>(capacity: 8)
        /// Set before `items` is closed.
        var reading: PartReading?
    }

    struct Digest {
        var sha256 = ""
        var bytes = 0
        var failure: String?
    }

    private let condition = NSCondition()
    private let window: Int
    private var parts: [Part] = []
    private var outputs: [Int: Output] = [:]
    private var digests: [Int: Digest] = [:]
    private var splitting = true
    private var taken = 0
    private var delivered = 0
    private var consumedCount = 0

    init(window: Int) {
        self.window = window
    }

    /// The splitter: finds the parts of every file, hashing each file as it goes.
    func split(_ files: [String], segmentBytes: Int) {
        for (index, path) in files.enumerated() {
            var hasher = SHA256()
            var pending: FileSegment?
            let outcome = DocumentSegments.split(path: path, targetBytes: segmentBytes,
                                                 observeChunk: { hasher.update(bufferPointer: $0) }) { segment in
                if let previous = pending { add(Part(file: index, segment: previous, isLast: false)) }
                pending = segment
            }
            switch outcome {
            case .unsplittable:
                add(Part(file: index, segment: nil, isLast: true))
            case .split(let size):
                setDigest(Digest(sha256: hexadecimal(hasher.finalize()), bytes: size), of: index)
                add(Part(file: index, segment: pending!, isLast: true))
            case .failed(let size, let message):
                // The parts found so far are read, and the failure is reported.
                setDigest(Digest(sha256: hexadecimal(hasher.finalize()), bytes: size, failure: message), of: index)
                add(Part(file: index, segment: pending ?? FileSegment(bytes: 0..<0, firstLine: 1), isLast: true))
            }
        }
        condition.lock()
        splitting = false
        condition.broadcast()
        condition.unlock()
    }

    private func add(_ part: Part) {
        condition.lock()
        parts.append(part)
        condition.broadcast()
        condition.unlock()
    }

    private func setDigest(_ digest: Digest, of file: Int) {
        condition.lock()
        digests[file] = digest
        condition.unlock()
    }

    func digest(of file: Int) -> Digest {
        condition.lock()
        defer { condition.unlock() }
        return digests.removeValue(forKey: file) ?? Digest()
    }

    /// A worker: parses parts until there are none left.
    func work(files: [String], reference: ReferenceData) {
        while let (part, output) = take() {
            var batch: [InventoryItem] = []
            let reading = InventoryFileReader(path: files[part.file], reference: reference).read(segment: part.segment) { item in
                batch.append(item)
                if batch.count == 256 {
                    output.items.send(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            output.items.send(batch)
            output.reading = reading
            output.items.close()
        }
    }

    private func take() -> (Part, Output)? {
        condition.lock()
        defer { condition.unlock() }
        while taken >= parts.count || taken >= consumedCount + window {
            if !splitting, taken >= parts.count { return nil }
            condition.wait()
        }
        let output = Output()
        outputs[taken] = output
        taken += 1
        condition.broadcast()
        return (parts[taken - 1], output)
    }

    /// The reading thread: the next part in order, once a worker has it; nil after the last.
    func next() -> (Part, Output)? {
        condition.lock()
        defer { condition.unlock() }
        while outputs[delivered] == nil {
            if !splitting, delivered >= parts.count { return nil }
            condition.wait()
        }
        let output = outputs.removeValue(forKey: delivered)!
        delivered += 1
        return (parts[delivered - 1], output)
    }

    /// The reading thread is done with the part `next` gave it.
    func consumed() {
        condition.lock()
        consumedCount += 1
        condition.broadcast()
        condition.unlock()
    }
}
