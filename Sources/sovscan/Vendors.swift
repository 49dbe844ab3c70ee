import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Output
import PostgresStore
import Store
import VendorViews

struct VendorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendors",
        abstract: "The vendor catalogue: its vendors, one vendor with its owners and users, and the names nothing resolves.",
        subcommands: [List.self, Show.self, Unresolved.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every vendor of the catalogue (and of a local vendors file), with its parent and ultimate parent.")

        @Option(help: ArgumentHelp("Only the vendors headquartered in this country (ISO 3166-1 alpha-2).", valueName: "cc"))
        var country: String?

        @Option(help: "How to print the list.")
        var format: Format<VendorList> = .standard

        @OptionGroup var csv: CSVOptions
        @OptionGroup var language: LanguageOption

        @OptionGroup var ruleSet: RuleSetOptions

        func run() throws {
            let rules = try ruleSet.load()
            if let country, rules.countries[country] == nil {
                throw Failure.usage("no country '\(country)' in the rule set: give an ISO 3166-1 alpha-2 code\(Suggestion.didYouMean(country.uppercased(), in: rules.countries.keys))")
            }
            try Printer.print(VendorViews.list(rules, country: country), as: format, in: RenderContext(language: language.language), dialect: csv.dialect)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One vendor: its chain of owners with dates, the laws that reach it, its sources, and the systems of a scan that use it.",
            discussion: "The name is read as inventories are (id, name or alias, in normal form). Without a database the systems are left out.")

        @Argument(help: ArgumentHelp("The vendor, as an inventory would name it.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("The scan whose systems are listed (default: the latest).", valueName: "id"))
        var scan: Int64?

        @Option(help: "How to print the vendor.")
        var format: Format<VendorDetail> = .standard

        @OptionGroup var ruleSet: RuleSetOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOption

        func run() throws {
            let rules = try ruleSet.load()
            var inventory: SnapshotInventory?
            if scan != nil || SharedDatabase.names(database.path) || FileManager.default.fileExists(atPath: database.path) {
                let store = try database.openExisting()
                if let scanID = try scan ?? store.latestScanID() {
                    guard try store.scanIDs().contains(scanID) else { throw StoreError.noScan(scanID) }
                    inventory = try store.inventory(scanID: scanID)
                }
            }
            guard let detail = VendorViews.show(name, in: rules, inventory: inventory) else {
                throw Failure.invalid("no vendor '\(name)' in the catalogue\(Suggestion.didYouMean(name, in: rules.vendors.knownNames)); `sovscan vendors list` lists them")
            }
            try Printer.print(detail, as: format, in: RenderContext(language: language.language))
        }
    }

    struct Unresolved: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The vendor, operator and hosting-provider names that nothing resolves, most weight first, with suggestions and entries for a local vendors file.",
            discussion: "Reads the inventories named (a vendors.yaml in a directory named is used as the local vendors file), or a stored scan with --scan.")

        @Argument(help: ArgumentHelp("Inventory files or directories.", valueName: "path"))
        var paths: [String] = []

        @Option(help: ArgumentHelp("A stored scan instead of inventories.", valueName: "id"))
        var scan: Int64?

        @Option(help: "How to print the names.")
        var format: Format<UnresolvedNames> = .standard

        @OptionGroup var ruleSet: RuleSetOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOption

        func validate() throws {
            if !paths.isEmpty, scan != nil { throw ValidationError("Name inventories (files or directories) or a stored scan with --scan ID, not both.") }
            if paths.isEmpty, scan == nil { throw ValidationError("Name the inventories (files or directories) to look through, or a stored scan with --scan ID.") }
        }

        func run() throws {
            if let scan {
                let rules = try ruleSet.load()
                let store = try database.openExisting()
                guard try store.scanIDs().contains(scan) else { throw StoreError.noScan(scan) }
                let inventory = try store.inventory(scanID: scan)
                let byID = Dictionary(inventory.organisations.map { ($0.id, $0) }) { first, _ in first }
                let systems = inventory.entries.compactMap { entry in byID[entry.organisation].map { ($0, entry.system) } }
                var names = VendorViews.unresolved(systems, organisations: inventory.organisations, ruleSet: rules, source: "scan \(scan)",
                                                   scanDate: inventory.scanDay, placesInFiles: false)
                names.scan = scan
                try Printer.print(names, as: format, in: RenderContext(language: language.language))
                return
            }
            let found = InputOptions.localVendorsFiles(in: paths)
            if ruleSet.vendors == nil, found.count > 1 {
                throw Failure.usage("the directories named hold \(found.count) local vendors files (\(found.joined(separator: ", "))); name the one to use with --vendors FILE")
            }
            let rules = try ruleSet.load(localVendors: found.first)
            let files: [String]
            do {
                files = try InputFiles.expand(paths).filter { !found.contains($0) }
            } catch {
                throw Failure.invalid(error.description)
            }
            var organisations: [Organisation] = [], waiting: [(String, System)] = []
            let reading = InventoryScan.read(files: files, reference: rules.reference) { item in
                switch item {
                case .system(let system, let organisation): waiting.append((organisation, system))
                case .organisation(let organisation): organisations.append(organisation)
                }
            }
            if reading.hasErrors {
                DiagnosticPrinter.printToStandardError(reading.diagnostics.filter { $0.severity == .error })
                throw Failure.invalid("the inventories have errors (see above); `sovscan validate` shows them all")
            }
            let byID = Dictionary(organisations.filter(\.hasInventory).map { ($0.id, $0) }) { first, _ in first }
            let systems = waiting.compactMap { organisation, system in byID[organisation].map { ($0, system) } }
            try Printer.print(VendorViews.unresolved(systems, organisations: organisations, ruleSet: rules, source: paths.joined(separator: ", "),
                                                     scanDate: Day.today, placesInFiles: true), as: format, in: RenderContext(language: language.language))
        }
    }
}
