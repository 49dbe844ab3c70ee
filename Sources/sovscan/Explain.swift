import ArgumentParser
import Catalogue
import Domain
import Foundation
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

    @Option(help: "Output on stdout: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count != 2 || parts.contains(where: \.isEmpty) {
            throw ValidationError("Name the system as ORGANISATION/SYSTEM, e.g. muenchen/mail, not '\(target)'.")
        }
    }

    struct FindingJSON: Encodable {
        var rule: String
        var title: String
        var points: Int
        var accepted: Bool
        var rationale: String
        var sources: [Source]
    }

    struct ScoreJSON: Encodable {
        var score: Int
        var band: Band
        var findings: [FindingJSON]
    }

    struct Report: Encodable {
        var scan: Int64
        var organisation: String
        var system: String
        var scores: [String: ScoreJSON]
    }

    func run() throws {
        let parts = target.split(separator: "/").map(String.init)
        let store = try database.openExisting()
        let explanation: Explanation
        do {
            guard let scanID = try scan ?? store.latestScanID() else {
                throw StoreError.noScans(store.path)
            }
            explanation = try store.explain(organisation: parts[0], system: parts[1], scanID: scanID)
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        func sources(_ json: String) -> [Source] {
            (try? JSONDecoder().decode([Source].self, from: Data(json.utf8))) ?? []
        }
        switch format {
        case .json:
            try JSONOutput.print(Report(
                scan: explanation.scanID, organisation: explanation.organisation, system: explanation.system,
                scores: explanation.scores.mapValues { score in
                    ScoreJSON(score: score.score, band: score.band, findings: score.findings.map {
                        FindingJSON(rule: $0.rule, title: $0.title, points: $0.points, accepted: $0.accepted, rationale: $0.rationale, sources: sources($0.sources))
                    })
                }))
        case .text:
            var text = "\(explanation.organisation)/\(explanation.system): \(explanation.name), scan \(explanation.scanID)\n"
            text += "vendor (ultimate parent): \(explanation.vendor)\(explanation.vendorCountry.map { ", \($0)" } ?? ", country unknown")\n"
            for (label, key) in [("Lock-in", "lock_in"), ("Jurisdiction", "jurisdiction")] {
                guard let score = explanation.scores[key] else { continue }
                text += "\n\(label): \(score.score) (\(score.band))\n"
                if score.findings.isEmpty { text += "  no rule fired\n" }
                for finding in score.findings {
                    text += "  \(finding.accepted ? "accepted" : "+\(finding.points)")  \(finding.rule): \(finding.title)\n"
                    if finding.accepted { text += "          (accepted by an exception; \(finding.points) points not counted)\n" }
                    text += "          \(finding.rationale)\n"
                    for source in sources(finding.sources) { text += "          source: \(source.title), \(source.url) (\(source.date))\n" }
                }
            }
            Terminal.standardOutput(text)
        }
    }
}
