import ArgumentParser
import Catalogue
import Domain
import Foundation
import Inventory
import Scanning
import Output
import Reporting
import Scoring
import Store

struct Scans: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the snapshots in the database, oldest first, with their inputs' SHA-256.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How to print the list.")
    var format: Format<ScanList> = .standard

    @OptionGroup var language: LanguageOption

    func run() throws {
        let store = try database.openExisting()
        let scans: [ScanSummary]
        scans = try store.scans()
        try Printer.print(ScanList(scans: scans), as: format, in: RenderContext(language: language.language))
    }
}
