import Catalogue
import Domain
import Foundation
import Scoring
import Store

/// Why a system scores what it scores: every rule that fired, with its
/// points, rationale and sources.
enum ExplanationRenderer {
    static func sources(_ json: String) -> [Source] {
        (try? JSONDecoder().decode([Source].self, from: Data(json.utf8))) ?? []
    }

    static func text(_ explanation: Explanation, _ w: Wording) -> String {
        var text = "\(explanation.organisation)/\(explanation.system): \(explanation.name), \(w.say("scan", "Scan")) \(explanation.scanID)\n"
        if let parties = explanation.parties {
            for party in parties { text += "\(party.role.name(in: w.language)): \(describe(party, w))\n" }
        } else {
            text += w.say("vendor (ultimate parent)", "Anbieter (Konzernmutter)") + ": \(explanation.vendor), "
                + (explanation.vendorCountry ?? w.say("country unknown", "Land unbekannt"))
                + w.say(" (the chain of owners is not recorded for a scan stored before schema v8; scan again to see it)",
                        " (die Eigentümerkette ist für einen vor Schema v8 gespeicherten Scan nicht erfasst; erneut scannen, um sie zu sehen)") + "\n"
        }
        for dimension in [Domain.Dimension.lockIn, .jurisdiction] {
            guard let score = explanation.scores[dimension.rawValue] else { continue }
            let unknown = score.unknownPoints.map { $0 > 0 ? w.say(", \($0) of it unanswered", ", davon \($0) offen") : "" }
                ?? w.say(", its unanswered part not recorded (a scan stored before schema v7; scan again to see it)",
                         ", offener Anteil nicht erfasst (ein vor Schema v7 gespeicherter Scan; erneut scannen, um ihn zu sehen)")
            text += "\n\(w.dimension(dimension).capitalisedFirst): \(score.score) (\(w.band(score.band)))\(unknown)\n"
            if score.findings.isEmpty { text += "  " + w.say("no rule fired", "keine Regel ausgelöst") + "\n" }
            for finding in score.findings {
                text += "  \(finding.accepted ? w.say("accepted", "akzeptiert") : "+\(finding.points)")  \(finding.rule): \(finding.title.in(w.language))\n"
                if finding.accepted {
                    text += "          " + w.say("(accepted by an exception; \(finding.points) points not counted)",
                                                 "(per Ausnahme akzeptiert; \(finding.points) Punkte nicht angerechnet)") + "\n"
                }
                text += "          \(finding.rationale.in(w.language))\n"
                for source in sources(finding.sources) {
                    text += "          \(w.say("source", "Quelle")): \(source.title), \(source.url) (\(w.date(source.date.description)))\n"
                }
            }
        }
        if !explanation.openQuestions.isEmpty {
            text += "\n" + w.say("Open questions (unknown answers score like bad ones): what the best answer to each alone would take off",
                                 "Offene Fragen (unbekannte Angaben werden wie ungünstige bewertet) und die Punkte, die die bestmögliche Antwort auf die jeweilige Frage für sich allein abziehen würde:") + "\n"
            for open in explanation.openQuestions {
                let parts = [(Domain.Dimension.lockIn, open.lockIn), (.jurisdiction, open.jurisdiction)].filter { $0.1 > 0 }
                    .map { "\(w.dimension($0.0)) -\($0.1)" }
                text += "  \(open.question): \(parts.joined(separator: ", "))\n"
            }
        }
        return text
    }

    static func implied(_ implied: Explanation.Party.Implied, _ w: Wording) -> String {
        switch implied {
        case .organisationItself: w.say("the organisation itself (on premises)", "die Organisation selbst (im eigenen Haus)")
        case .hostingProvider: w.say("the hosting provider", "der Hosting-Anbieter")
        case .notStated: w.say("not stated", "nicht angegeben")
        }
    }

    /// "Imperva, Inc. (US: CLOUD Act, …), owned by Thales S.A. (FR) since
    /// 2019-01-01": each company of the chain with the laws that reach it
    /// through its country, the day it took control when dated, and the
    /// local vendors file its entry comes from.
    static func describe(_ party: Explanation.Party, _ w: Wording) -> String {
        func company(_ company: Explanation.Party.Company) -> String {
            let laws = company.laws.map(ReportTables.shortLaw)
            return "\(company.name) (\(company.country)\(laws.isEmpty ? "" : ": " + laws.joined(separator: ", ")))"
                + (company.localFile.map { w.say(" [from \($0)]", " [aus \($0)]") } ?? "")
                + (company.since.map { w.say(" since \(w.date($0))", " seit \(w.date($0))") } ?? "")
        }
        guard let name = party.name else { return party.implied.map { implied($0, w) } ?? w.say("not stated", "nicht angegeben") }
        guard let named = party.chain.first else {
            return w.say("\(name), in neither the vendor catalogue nor the scan's organisations (unknown jurisdiction)",
                         "\(name), weder im Anbieterkatalog noch unter den Organisationen des Scans (Rechtsraum unbekannt)")
        }
        let owned = w.say(", owned by ", ", im Besitz von ")
        var text = (named.name == name ? "" : w.say("\(name), matched to ", "\(name), zugeordnet zu ")) + company(named)
        for owner in party.chain.dropFirst() { text += owned + company(owner) }
        if let investor = party.investor.first {
            text += w.say("; controlled by the financial investor ", "; kontrolliert vom Finanzinvestor ") + company(investor)
            for owner in party.investor.dropFirst() { text += owned + company(owner) }
        }
        return text
    }

    /// The explanation as docs/json.md describes it, sources as objects.
    struct JSON: Renderer {
        struct Finding: Encodable {
            var rule: String
            var title: String
            var points: Int
            var accepted: Bool
            var rationale: String
            var sources: [Source]
        }

        struct Score: Encodable {
            var score: Int
            var band: Band
            var findings: [Finding]
            var unknownPoints: Int?

            enum CodingKeys: String, CodingKey {
                case score, band, findings
                case unknownPoints = "unknown_points"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(score, forKey: .score)
                try container.encode(band, forKey: .band)
                try container.encode(findings, forKey: .findings)
                try container.encode(unknownPoints, forKey: .unknownPoints)
            }
        }

        struct OpenQuestion: Encodable {
            var question: String
            var lock_in: Int
            var jurisdiction: Int
        }

        struct Company: Encodable {
            var name: String
            var country: String
            var laws: [String]
            var since: String?
            var localFile: String?

            enum CodingKeys: String, CodingKey {
                case name, country, laws, since
                case localFile = "local_file"
            }

            /// `since` and `local_file` are `null` when not dated or from the catalogue.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(country, forKey: .country)
                try container.encode(laws, forKey: .laws)
                try container.encode(since, forKey: .since)
                try container.encode(localFile, forKey: .localFile)
            }
        }

        struct Party: Encodable {
            var role: String
            var name: String?
            var implied: String?
            var chain: [Company]
            var investor: [Company]

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(role, forKey: .role)
                try container.encode(name, forKey: .name)
                try container.encode(implied, forKey: .implied)
                try container.encode(chain, forKey: .chain)
                try container.encode(investor, forKey: .investor)
            }

            enum CodingKeys: String, CodingKey { case role, name, implied, chain, investor }
        }

        struct Document: Encodable {
            var scan: Int64
            var organisation: String
            var system: String
            var parties: [Party]?
            var scores: [String: Score]
            var open_questions: [OpenQuestion]

            enum CodingKeys: String, CodingKey { case scan, organisation, system, parties, scores, open_questions }

            /// `parties` is `null` for a scan stored before they were kept, never left out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(scan, forKey: .scan)
                try container.encode(organisation, forKey: .organisation)
                try container.encode(system, forKey: .system)
                try container.encode(parties, forKey: .parties)
                try container.encode(scores, forKey: .scores)
                try container.encode(open_questions, forKey: .open_questions)
            }
        }

        var format: OutputFormat { .json }

        func render(_ explanation: Explanation, in context: RenderContext) throws -> [UInt8] {
            let document = Document(
                scan: explanation.scanID, organisation: explanation.organisation, system: explanation.system,
                parties: explanation.parties?.map { party in
                    let companies = { (list: [Explanation.Party.Company]) in list.map { Company(name: $0.name, country: $0.country, laws: $0.laws, since: $0.since, localFile: $0.localFile) } }
                    return Party(role: party.role.rawValue, name: party.name, implied: party.implied?.rawValue, chain: companies(party.chain),
                                 investor: companies(party.investor))
                },
                scores: explanation.scores.mapValues { score in
                    Score(score: score.score, band: score.band, findings: score.findings.map {
                        Finding(rule: $0.rule, title: $0.title.english, points: $0.points, accepted: $0.accepted, rationale: $0.rationale.english,
                                sources: ExplanationRenderer.sources($0.sources))
                    }, unknownPoints: score.unknownPoints)
                },
                open_questions: explanation.openQuestions.map { OpenQuestion(question: $0.question, lock_in: $0.lockIn, jurisdiction: $0.jurisdiction) })
            return try JSONRenderer<Document>().render(document, in: context)
        }
    }
}

enum ScanListRenderer {
    /// A row per snapshot, then its inputs a line each (short SHA-256 and
    /// path), under the columns after the id.
    static func text(_ list: ScanList, _ w: Wording) -> String {
        var rows = [[w.say("scan", "Scan"), w.say("started at (UTC)", "Beginn (UTC)"), w.say("as of", "Stichtag"), w.say("organisations", "Organisationen"),
                     w.say("systems", "Systeme"), w.say("rules", "Regeln")]]
        for scan in list.scans {
            let started = String(scan.startedAt.prefix(19))
            let startedShown = w.date(String(started.prefix(10))) + " " + started.dropFirst(11)
            rows.append([String(scan.id), startedShown, w.date(scan.asOf), w.count(scan.organisations), w.count(scan.systems), scan.rulesetVersion])
        }
        let lines = ReportRenderer.align(rows, numeric: [0, 3, 4]).split(separator: "\n")
        let indent = String(repeating: " ", count: rows.map { $0[0].count }.max()! + 2)
        var text = String(lines[0]) + "\n"
        for (scan, line) in zip(list.scans, lines.dropFirst()) {
            text += line + "\n"
            for input in scan.inputs { text += "\(indent)sha256:\(input.sha256.prefix(12))  \(input.path)\n" }
        }
        return text
    }
}

enum RuleListingRenderer {
    static func rules(of model: ScoringModel) -> [Rule] {
        model.rules.sorted { ($0.dimension.rawValue, $0.id) < ($1.dimension.rawValue, $1.id) }
    }

    static func text(_ listing: RuleListing, _ w: Wording) -> String {
        let model = listing.model, rules = rules(of: model)
        var rows = [[w.say("rule", "Regel"), w.say("points", "Punkte"), w.say("title", "Titel")]]
        for rule in rules { rows.append([rule.id, String(model.points(of: rule)), rule.translations[w.language]?.title ?? rule.title]) }
        let profile = model.profile.map { w.say(", profile \($0)", ", Profil \($0)") } ?? ""
        let count = rules.count == 1 ? w.say("1 rule", "1 Regel") : w.say("\(rules.count) rules", "\(rules.count) Regeln")
        return ReportRenderer.align(rows, numeric: [1])
            + "\(model.ruleSet.name) \(model.ruleSet.version)\(profile): \(count); \(w.say("profiles", "Profile")): \(model.profiles.map(\.id).joined(separator: ", "))\n"
    }

    struct JSON: Renderer {
        struct Entry: Encodable {
            var id: String
            var dimension: String
            var points: Int
            var title: String
            var rationale: String
            var sources: [Source]
        }

        var format: OutputFormat { .json }

        func render(_ listing: RuleListing, in context: RenderContext) throws -> [UInt8] {
            let model = listing.model
            let entries = RuleListingRenderer.rules(of: model).map {
                Entry(id: $0.id, dimension: $0.dimension.rawValue, points: model.points(of: $0), title: $0.title, rationale: $0.rationale, sources: $0.sources)
            }
            return try JSONRenderer<[String: [Entry]]>().render(["rules": entries], in: context)
        }
    }
}
