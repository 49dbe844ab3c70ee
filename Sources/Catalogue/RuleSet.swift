import Crypto
import Foundation
import Domain
import Inventory
import YAMLReading

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ManifestKey: String, FieldKey { case rules, name, version, description }
enum CountriesFileKey: String, FieldKey { case rules, blocs, laws, countries }
enum VendorsFileKey: String, FieldKey { case rules, vendors }
enum FunctionsFileKey: String, FieldKey { case rules, functions }
enum LicencesFileKey: String, FieldKey {
    case rules, source, licences, exceptions, deprecated
    case spdxListVersion = "spdx_list_version"
}

/// The rule set a scan is judged by: the catalogues in a `rules/` directory,
/// with its name, version and a hash of its content, so that every stored
/// score names exactly the rules that produced it.
public struct RuleSet: Sendable {
    public var directory: String
    public var name: String
    public var version: String
    /// SHA-256 over every rule file's name and bytes, in name order.
    public var contentHash: String
    public var blocs: [String: Bloc]
    public var laws: [String: Law]
    public var countries: [String: Country]
    public var vendors: VendorDirectory
    public var functions: [SystemFunction]
    public var reference: ReferenceData
    /// The local vendors file laid over the catalogue, if any.
    public var localVendors: String?

    /// The rule set format versions this build reads.
    public static let supportedVersions = ["1"]

    /// The files of a rule set, in the order they are read and hashed.
    public static let files = ["countries.yaml", "functions.yaml", "licences.yaml", "rules.yaml", "ruleset.yaml", "vendors.yaml"]

    /// Reads and checks a rule set. On any error the rule set is nil and the
    /// diagnostics say where.
    public static func load(directory: String) -> (RuleSet?, [Diagnostic]) {
        var loader = Loader(directory: directory)
        return loader.load()
    }

    /// The rule set with a local vendors file (the catalogue's format) laid
    /// over its catalogue: vendors and aliases it adds, and its entries in
    /// place of the catalogue's where they contradict it (a warning names
    /// both). Nil after errors. The content hash then covers the file too:
    /// the scores depend on it.
    public func withLocalVendors(_ path: String) -> (RuleSet?, [Diagnostic]) {
        var log = DiagnosticLog(file: path)
        guard let bytes = FileManager.default.contents(atPath: path) else {
            log.error("file", at: SourceLocation(line: 1, column: 1), "cannot read the local vendors file")
            return (nil, log.diagnostics)
        }
        guard let root = SingleDocument.read(path: path, log: &log) else { return (nil, log.diagnostics) }
        var entries: [(Vendor, [String: SourceLocation])] = []
        root.readMapping(VendorsFileKey.self, what: "vendors file", required: [.rules, .vendors], log: &log) { key, value, log in
            switch key {
            case .rules: Loader.checkVersion(value, log: &log)
            case .vendors:
                for item in value.list("vendors", log: &log) ?? [] {
                    guard let (vendor, locations) = CatalogueReading.vendor(item, local: true, log: &log) else { continue }
                    if countries[vendor.country] == nil {
                        log.error("country", at: locations["country"] ?? item.location,
                                  "'country' must be a country listed in the rule set's countries.yaml, not '\(vendor.country)'\(Suggestion.didYouMean(vendor.country, in: countries.keys))")
                        continue
                    }
                    entries.append((vendor, locations))
                }
            }
        }
        var combined = self
        combined.vendors.overlay(entries, log: &log)
        var hasher = SHA256()
        hasher.update(data: Data(contentHash.utf8))
        hasher.update(data: bytes)
        combined.contentHash = hexadecimal(hasher.finalize())
        combined.localVendors = path
        return (log.hasErrors ? nil : combined, log.diagnostics.sorted(by: Diagnostic.ordered))
    }

    /// Where the rule set is found when `--rules` is not given: `$SOVSCAN_RULES`;
    /// else `rules/` beside or above the executable (a build tree), or
    /// `share/sovscan/rules` beside an installed `bin/` (as `Scripts/install`
    /// puts it); nil when there is none.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let path = environment["SOVSCAN_RULES"], !path.isEmpty { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        var executable = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        while let slash = executable.lastIndex(of: "/") {
            executable = String(executable[..<slash])
            for candidate in ["\(executable)/rules", "\(executable)/share/sovscan/rules"]
            where access("\(candidate)/ruleset.yaml", R_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}

private struct Loader {
    let directory: String
    var diagnostics: [Diagnostic] = []
    var hasher = SHA256()

    init(directory: String) {
        self.directory = directory
    }

    mutating func load() -> (RuleSet?, [Diagnostic]) {
        var name = "", version = ""
        var blocs: [String: Bloc] = [:], laws: [String: Law] = [:], countries: [String: Country] = [:]
        var vendors: [(Vendor, [String: SourceLocation])] = []
        var functions: [SystemFunction] = []
        var licences: [String] = [], deprecatedLicences: [String] = [], exceptions: [String] = []
        var countryChecks: [(code: String, field: String, location: SourceLocation, file: String)] = []
        var vendorsPath = ""
        for file in RuleSet.files {
            let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
            var log = DiagnosticLog(file: path)
            hasher.update(data: Array(file.utf8) + [0])
            var fileHasher = hasher
            let root = SingleDocument.read(path: path, observeChunk: { fileHasher.update(bufferPointer: $0) }, log: &log)
            hasher = fileHasher
            if let root {
                switch file {
                case "ruleset.yaml":
                    root.readMapping(ManifestKey.self, what: "rule set manifest", required: [.rules, .name, .version], log: &log) { key, value, log in
                        switch key {
                        case .rules: Self.checkVersion(value, log: &log)
                        case .name: name = value.text("name", log: &log) ?? ""
                        case .version: version = value.text("version", log: &log) ?? ""
                        case .description: _ = value.text("description", log: &log)
                        }
                    }
                case "countries.yaml":
                    root.readMapping(CountriesFileKey.self, what: "countries file", required: [.rules, .countries], log: &log) { key, value, log in
                        switch key {
                        case .rules: Self.checkVersion(value, log: &log)
                        case .blocs:
                            for item in value.list("blocs", log: &log) ?? [] {
                                if let bloc = CatalogueReading.bloc(item, log: &log) {
                                    Self.insertUnique(bloc, id: bloc.id, into: &blocs, at: item.location, what: "bloc", log: &log)
                                }
                            }
                        case .laws:
                            for item in value.list("laws", log: &log) ?? [] {
                                if let (law, location) = CatalogueReading.law(item, log: &log) {
                                    Self.insertUnique(law, id: law.id, into: &laws, at: item.location, what: "law", log: &log)
                                    countryChecks.append((law.country, "country", location, path))
                                }
                            }
                        case .countries:
                            var entries: [CatalogueReading.CountryEntry] = []
                            var codeByName: [String: String] = [:]
                            for item in value.list("countries", log: &log) ?? [] {
                                if let entry = CatalogueReading.country(item, log: &log) {
                                    Self.insertUnique(entry.country, id: entry.country.code, into: &countries, at: item.location, what: "country", log: &log)
                                    for name in [entry.country.name] + entry.country.otherNames {
                                        Self.insertName(name, of: entry.country.code, into: &codeByName, at: item.location, what: "country name", log: &log)
                                    }
                                    entries.append(entry)
                                }
                            }
                            // Blocs and laws may be listed after the countries that name them.
                            pendingCountryReferences = entries
                        }
                    }
                    for entry in pendingCountryReferences {
                        if let bloc = entry.country.bloc, blocs[bloc] == nil {
                            log.error("reference", at: entry.blocLocation ?? SourceLocation(line: 1, column: 1),
                                      "bloc '\(bloc)' is not listed under 'blocs'\(Suggestion.didYouMean(bloc, in: blocs.keys))")
                        }
                        for (law, location) in zip(entry.country.laws, entry.lawLocations) {
                            guard let known = laws[law] else {
                                log.error("reference", at: location, "law '\(law)' is not listed under 'laws'\(Suggestion.didYouMean(law, in: laws.keys))")
                                continue
                            }
                            // A law reaching another country's territory is a fact of its own.
                            if known.country != entry.country.code, entry.country.sources.isEmpty {
                                log.error("source", at: location,
                                          "law '\(law)' is \(known.country)'s; a country it also reaches needs a 'source' that says so")
                            }
                        }
                    }
                case "vendors.yaml":
                    vendorsPath = path
                    root.readMapping(VendorsFileKey.self, what: "vendors file", required: [.rules, .vendors], log: &log) { key, value, log in
                        switch key {
                        case .rules: Self.checkVersion(value, log: &log)
                        case .vendors:
                            for item in value.list("vendors", log: &log) ?? [] {
                                if let (vendor, locations) = CatalogueReading.vendor(item, log: &log) {
                                    vendors.append((vendor, locations))
                                    countryChecks.append((vendor.country, "country", locations["country"] ?? item.location, path))
                                }
                            }
                        }
                    }
                case "functions.yaml":
                    root.readMapping(FunctionsFileKey.self, what: "functions file", required: [.rules, .functions], log: &log) { key, value, log in
                        switch key {
                        case .rules: Self.checkVersion(value, log: &log)
                        case .functions:
                            var seen: [String: SystemFunction] = [:]
                            var idByWord: [String: String] = [:]
                            for item in value.list("functions", log: &log) ?? [] {
                                if let function = CatalogueReading.function(item, log: &log) {
                                    Self.insertUnique(function, id: function.id, into: &seen, at: item.location, what: "function", log: &log)
                                    for word in [function.id] + function.synonyms {
                                        Self.insertName(word, of: function.id, into: &idByWord, at: item.location, what: "function id or synonym", log: &log)
                                    }
                                    functions.append(function)
                                }
                            }
                        }
                    }
                case "licences.yaml":
                    root.readMapping(LicencesFileKey.self, what: "licences file", required: [.rules, .licences, .exceptions], log: &log) { key, value, log in
                        switch key {
                        case .rules: Self.checkVersion(value, log: &log)
                        case .source: _ = CatalogueReading.source(value, field: "source", log: &log)
                        case .spdxListVersion: _ = value.text("spdx_list_version", log: &log)
                        case .licences: licences = value.texts("licences", log: &log)
                        case .exceptions: exceptions = value.texts("exceptions", log: &log)
                        case .deprecated: deprecatedLicences = value.texts("deprecated", log: &log)
                        }
                    }
                default:
                    break
                }
            }
            diagnostics.append(contentsOf: log.diagnostics)
        }
        for check in countryChecks where countries[check.code] == nil {
            diagnostics.append(Diagnostic(file: check.file, location: check.location, severity: .error, code: "country",
                                          message: "'\(check.field)' must be a country listed in countries.yaml, not '\(check.code)'"))
        }
        var vendorLog = DiagnosticLog(file: vendorsPath)
        let directory = VendorDirectory(entries: vendors, countryNames: countries.values.flatMap { [$0.name] + $0.otherNames },
                                        countryCodes: countries.keys, log: &vendorLog)
        diagnostics.append(contentsOf: vendorLog.diagnostics)
        diagnostics.sort(by: Diagnostic.ordered)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        let reference = ReferenceData(
            countries: countries.mapValues(\.name), otherCountryNames: countries.mapValues(\.otherNames),
            licences: licences, deprecatedLicences: Set(deprecatedLicences), licenceExceptions: exceptions,
            functions: Set(functions.map(\.id)), functionSynonyms: Dictionary(uniqueKeysWithValues: functions.map { ($0.id, $0.synonyms) }))
        let hash = hexadecimal(hasher.finalize())
        return (RuleSet(directory: self.directory, name: name, version: version, contentHash: hash, blocs: blocs, laws: laws,
                        countries: countries, vendors: directory, functions: functions, reference: reference), diagnostics)
    }

    private var pendingCountryReferences: [CatalogueReading.CountryEntry] = []

    static func checkVersion(_ node: Node, log: inout DiagnosticLog) {
        let version = node.text("rules", log: &log)
        if let version, !RuleSet.supportedVersions.contains(version) {
            log.error("version", at: node.location, "unsupported rule set format version '\(version)'; this sovscan reads version \(RuleSet.supportedVersions.joined(separator: ", "))")
        }
    }

    /// Records that `name` (compared case-insensitively) stands for `owner`; it may stand for one only.
    private static func insertName(_ name: String, of owner: String, into owners: inout [String: String], at location: SourceLocation, what: String, log: inout DiagnosticLog) {
        if let other = owners.updateValue(owner, forKey: name.lowercased()), other != owner {
            log.error("duplicate-id", at: location, "\(what) '\(name)' stands for both '\(other)' and '\(owner)'")
        }
    }

    private static func insertUnique<Value>(_ value: Value, id: String, into table: inout [String: Value], at location: SourceLocation, what: String, log: inout DiagnosticLog) {
        if table[id] != nil {
            log.error("duplicate-id", at: location, "\(what) '\(id)' is listed twice")
        } else {
            table[id] = value
        }
    }
}
