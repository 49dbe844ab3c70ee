import ArgumentParser
import Catalogue
import Domain
import Foundation
import Output
import Store

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why a system scores what it scores: every rule that fired, with its rationale and sources.",
        discussion: "The system is named ORGANISATION/SYSTEM by their inventory ids, e.g. `sovscan explain muenchen/mail`."
    )

    @Argument(help: ArgumentHelp("The system, as organisation-id/system-id.", valueName: "org/system"))
    var target: String

    @Option(help: ArgumentHelp("The scan (default: the latest).", valueName: "id"))
    var scan: Int64?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How to print the explanation.")
    var format: Format<Explanation> = .standard

    @OptionGroup var language: LanguageOption

    func validate() throws {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count != 2 || parts.contains(where: \.isEmpty) {
            throw ValidationError("Name the system as ORGANISATION/SYSTEM, e.g. muenchen/mail, not '\(target)'.")
        }
    }

    func run() throws {
        let parts = target.split(separator: "/").map(String.init)
        let store = try database.openExisting()
        let explanation: Explanation
        guard let scanID = try scan ?? store.latestScanID() else {
            throw StoreError.noScans(store.path)
        }
        explanation = try store.explain(organisation: parts[0], system: parts[1], scanID: scanID)
        try Printer.print(explanation, as: format, in: RenderContext(language: language.language))
    }
}
