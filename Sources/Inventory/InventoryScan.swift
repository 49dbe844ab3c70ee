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
public struct OrganisationTreeCheck {
    private var organisations: [String: Organisation] = [:]
    private var order: [String] = []
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    /// Registers an organisation; false (and an error) when its id is taken.
    @discardableResult
    public mutating func register(_ organisation: Organisation) -> Bool {
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
    public mutating func finish() {
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

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads and validates the files of a scan, yielding every organisation and
/// system to `yield` as it is read.
public enum InventoryScan {
    public static func read(files: [String], reference: ReferenceData, _ yield: (InventoryItem) -> Void = { _ in }) -> ScanReading {
        var tree = OrganisationTreeCheck()
        var summaries: [FileSummary] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let summary = InventoryFileReader(path: file, reference: reference).read { item in
                if case .organisation(let organisation) = item { tree.register(organisation) }
                yield(item)
            }
            diagnostics.append(contentsOf: summary.diagnostics)
            summaries.append(summary)
        }
        tree.finish()
        diagnostics.append(contentsOf: tree.diagnostics)
        diagnostics.sort(by: Diagnostic.ordered)
        return ScanReading(files: summaries, diagnostics: diagnostics,
                           organisations: summaries.reduce(0) { $0 + $1.organisations },
                           systems: summaries.reduce(0) { $0 + $1.systems })
    }
}
