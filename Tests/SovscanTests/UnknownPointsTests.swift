import Domain
import Foundation
import GRDB
import Inventory
import PropertyBased
import Scoring
import SwiftCSV
import Testing

/// Unknown versus known risk on a hand-computed inventory: how many points of
/// each score come from questions left open (`unknown_points`), per system,
/// per group and per vendor, and what each group should answer first.
@Suite struct UnknownPointsTests {
    /// A system of the agency `amt` with everything answered at best: no rule
    /// fires. `overrides` replace or (with a nil value) remove its fields.
    static func system(_ id: String, criticality: String, removing: Set<String> = []) -> String {
        Fixture.system(id: id, [
            "vendor": "Nextcloud", "product": "Nextcloud Hub", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
            "licence": "AGPL-3.0-or-later", "criticality": criticality, "formats": "[odf]", "interfaces": "[imap]", "export": "full",
            "substitutability": "easy", "telemetry": "none", "encryption_keys": "customer",
            "data": "{personal: true, special_categories: false}", "contract": "{ends: 2027-06-30, exit_plan: true}",
        ], removing: removing)
    }

    /// Weights: known 3 (high), open 3 (high), many 2 (medium): 8 in all.
    /// - known: every answer given; no points.
    /// - open: export and telemetry left open: lock-in 10 (export-not-full)
    ///   + 7 (export-none) = 17, jurisdiction 4 (telemetry-unknown); two of the
    ///   nine key answers missing, so many-unknown-answers does not fire.
    /// - many: export, telemetry, encryption_keys and substitutability left
    ///   open: lock-in 17 + 14 (hard-to-substitute) = 31, jurisdiction 4 + 6
    ///   (many-unknown-answers: four missing) = 10. Answering any one of the
    ///   four brings the missing answers to three, so each takes off those 6 too.
    static let land: [String: String] = [
        "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
        "amt.yaml": Fixture.inventory(
            systems: system("known", criticality: "high")
                + system("open", criticality: "high", removing: ["export", "telemetry"])
                + system("many", criticality: "medium", removing: ["export", "telemetry", "encryption_keys", "substitutability"]),
            organisation: "organisation: {id: amt, name: Amt, type: agency, parent: mi, country: DE}\n"),
    ]

    private func scanned() -> String {
        let work = Fixture.write(Self.land)
        let scan = Binary.run(["scan", "."], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        return work
    }

    private func json(_ work: String, _ arguments: [String]) throws -> [String: Any] {
        let result = Binary.run(arguments + ["--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func points(_ score: Any?) -> [String: Double?] {
        guard let score = score as? [String: Any] else { return [:] }
        return ["score": (score["score"] as? NSNumber)?.doubleValue, "unknown": (score["unknown_points"] as? NSNumber)?.doubleValue]
    }

    @Test func eachSystemSaysHowManyOfItsPointsAreUnanswered() throws {
        let work = scanned()
        let systems = try #require(try json(work, ["report", "--level", "system"])["systems"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: systems.map { ($0["system"] as! String, $0) })
        #expect(points(byID["known"]?["lock_in"]) == ["score": 0, "unknown": 0])
        #expect(points(byID["open"]?["lock_in"]) == ["score": 17, "unknown": 17])
        #expect(points(byID["open"]?["jurisdiction"]) == ["score": 4, "unknown": 4])
        #expect(points(byID["many"]?["lock_in"]) == ["score": 31, "unknown": 31])
        #expect(points(byID["many"]?["jurisdiction"]) == ["score": 10, "unknown": 10])

        // The unknown points are those of the findings that fired on open answers.
        let explained = try json(work, ["explain", "amt/many"])
        let scores = try #require(explained["scores"] as? [String: [String: Any]])
        for (dimension, rules) in ["lock_in": ["lock_in.export-not-full", "lock_in.export-none", "lock_in.hard-to-substitute"],
                                   "jurisdiction": ["jurisdiction.telemetry-unknown", "jurisdiction.many-unknown-answers"]] {
            let findings = try #require(scores[dimension]?["findings"] as? [[String: Any]])
            #expect(Set(findings.map { $0["rule"] as! String }) == Set(rules))
            #expect(scores[dimension]?["unknown_points"] as? Int == findings.map { $0["points"] as! Int }.reduce(0, +))
        }
        let open = try #require(explained["open_questions"] as? [[String: Any]])
        // Most first: 23, 20, 10 and 6 points.
        #expect(open.map { "\($0["question"]!) \($0["lock_in"]!) \($0["jurisdiction"]!)" }
                == ["export 17 6", "substitutability 14 6", "telemetry 0 10", "encryption_keys 0 6"])
        let text = Binary.run(["explain", "amt/many"], in: work).stdout
        #expect(text.contains("Lock-in: 31 (medium), 31 of it unanswered\n"))
        #expect(text.contains("  export: lock-in -17, jurisdiction -6\n"))
        #expect(!Binary.run(["explain", "amt/known"], in: work).stdout.contains("unanswered"))

        let table = Binary.run(["report", "--level", "system"], in: work).stdout
        #expect(table.contains("31 medium (31 unanswered)"))
        let csv = try CSV<Named>(string: Binary.run(["report", "--level", "system", "--format", "csv"], in: work).stdout)
        let many = try #require(csv.rows.first { $0["system"] == "many" })
        #expect(many["lock_in_unknown_points"] == "31" && many["jurisdiction_unknown_points"] == "10")
    }

    @Test func groupsAndVendorsGiveTheWeightedMeanAndWhatToAnswerFirst() throws {
        let work = scanned()
        let report = try json(work, ["report", "--level", "organisation"])
        let group = try #require((report["groups"] as? [[String: Any]])?.first)
        // (3×0 + 3×17 + 2×31) / 8 = 14.125; (3×0 + 3×4 + 2×10) / 8 = 4.
        #expect(points(group["lock_in"]) == ["score": 14.1, "unknown": 14.1])
        #expect(points(group["jurisdiction"]) == ["score": 4, "unknown": 4])
        #expect(points((report["totals"] as? [String: Any])?["lock_in"]) == ["score": 14.1, "unknown": 14.1])
        // export: lock-in (3×17 + 2×17)/8 = 10.6, jurisdiction 2×6/8 = 1.5;
        // substitutability: 2×14/8 = 3.5 and 1.5; telemetry: 0 and
        // (3×4 + 2×10)/8 = 4; encryption_keys: 0 and 1.5.
        let first = try #require(group["answer_first"] as? [[String: Any]])
        #expect(first.map { "\($0["question"]!) \($0["systems"]!) \($0["lock_in"]!) \($0["jurisdiction"]!)" }
                == ["export 2 10.6 1.5", "substitutability 1 3.5 1.5", "telemetry 2 0 4", "encryption_keys 1 0 1.5"])
        // Weight × points taken off: open 3×17 = 51, many 2×(17+6) = 46.
        #expect(first.first?["systems_first"] as? [String] == ["amt/open", "amt/many"])

        let ministry = try #require((try json(work, ["report"])["groups"] as? [[String: Any]])?.first)
        #expect(ministry["answer_first"] as? NSArray == group["answer_first"] as? NSArray, "one organisation: the same at both levels")
        let vendor = try #require((try json(work, ["report", "--level", "vendor"])["vendors"] as? [[String: Any]])?.first)
        #expect(vendor["lock_in_unknown_points"] as? Double == 14.1 && vendor["jurisdiction_unknown_points"] as? Double == 4)

        let table = Binary.run(["report"], in: work).stdout
        #expect(table.contains("14.1 low (14.1 unanswered)"))
        #expect(table.contains("Answer these first: "))
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("Ministerium") && $0.contains("export") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["Ministerium", "export", "2", "10.6", "1.5", "amt/open,", "amt/many"])
        let markdown = Binary.run(["report", "--format", "markdown"], in: work).stdout
        #expect(markdown.contains("## Answer these first\n"))
        #expect(markdown.contains("| Ministerium | export | 2 | 10.6 | 1.5 | amt/open, amt/many |\n"))
        let html = Binary.run(["report", "--format", "html"], in: work).stdout
        #expect(html.contains("<h2>Answer these first</h2>"))
        #expect(html.contains("<td>export</td><td class=\"n\">2</td><td class=\"n\">10.6</td>"))
        let csv = try CSV<Named>(string: Binary.run(["report", "--format", "csv"], in: work).stdout)
        #expect(csv.rows.first?["answer_first"] == "export; substitutability; telemetry; encryption_keys")
        #expect(csv.rows.first?["lock_in_unknown_points"] == "14.1")
    }

    /// docs/schema.md's query 26 gives each organisation's open questions as
    /// the report at level organisation adds them up.
    @Test func schemaQueryAgreesWithTheAnswerFirstList() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let rows = try DatabaseQueue(path: work + "/sovscan.db").read { try Row.fetchAll($0, sql: Fixture.schemaQuery("26.")) }
        let groups = try #require(try json(work, ["report", "--level", "organisation", "--db", work + "/sovscan.db"])["groups"] as? [[String: Any]])
        var checked = 0
        for group in groups {
            let queried = rows.filter { ($0["org_id"] as String) == group["id"] as? String }.prefix(5).map {
                "\($0["question"] as String) \($0["systems"] as Int) \($0["lock_in"] as Double) \($0["jurisdiction"] as Double)"
            }
            let listed = (group["answer_first"] as? [[String: Any]] ?? []).map {
                "\($0["question"]!) \($0["systems"]!) \(($0["lock_in"] as! NSNumber).doubleValue) \(($0["jurisdiction"] as! NSNumber).doubleValue)"
            }
            #expect(queried == listed, "\(group["id"]!)")
            checked += listed.count
        }
        #expect(checked > 20, "\(checked)")
    }

    // MARK: The definition, as a property

    /// The inventory field each factor of `ScoringTests.factors` that can be
    /// left open answers.
    static let questionOfFactor = [
        "telemetry": "telemetry", "export": "export", "keys": "encryption_keys", "substitutability": "substitutability",
        "personal": "data.personal", "special": "data.special_categories", "exit plan": "contract.exit_plan", "formats": "formats",
        "interfaces": "interfaces", "data location": "hosting.data_location", "support access": "hosting.support_access",
        "vendor": "vendor", "hosting provider": "hosting.provider",
    ]

    /// A random system of `ScoringTests` whose subprocessors are stated (no factor opens them).
    static func system(_ choices: [Int]) -> System {
        var system = ScoringTests.system(choices)
        system.subprocessors = [Subprocessor(name: "Hetzner Online GmbH", country: "DE")]
        return system
    }

    static func assessed(_ system: System) -> Assessment {
        let owner = ScoringTests.organisation()
        return OrganisationScorer(model: ScoringTests.model, organisations: [owner]).assess([system], of: owner, asOf: ScoringTests.asOf)[0]
    }

    /// The factors that `choices` leave open; data.personal left out is
    /// answered all the same by special categories stated true.
    static func openFactors(_ choices: [Int]) -> [ScoringTests.Factor] {
        let system = Self.system(choices)
        return zip(ScoringTests.factors, choices).compactMap { factor, choice in
            guard factor.unknown != nil, choice % (factor.steps.count + 1) == factor.steps.count else { return nil }
            return factor.name == "personal" && system.data.specialCategories == true ? nil : factor
        }
    }

    /// A score's unknown points are the score less the score it has with
    /// every open question given its best answer in the inventory.
    @Test func unknownPointsAreTheDistanceToEveryQuestionAnsweredAtBest() async {
        await propertyCheck(input: ScoringTests.choices) { choices in
            let system = Self.system(choices)
            var answered = system
            for factor in Self.openFactors(choices) { factor.steps[0](&answered) }
            let unknown = Self.assessed(system), known = Self.assessed(answered)
            for dimension in Domain.Dimension.allCases {
                #expect(unknown.unknownPoints[dimension] == unknown.scores[dimension]!.score - known.scores[dimension]!.score,
                        "\(dimension) with \(Self.openFactors(choices).map(\.name)) open")
            }
            #expect(known.unknownPoints == UnknownPoints(), "nothing open, nothing unknown")
        }
    }

    /// What each open question alone would take off is what its best answer
    /// in the inventory takes off, also where that answer settles another
    /// question (the hosting provider an unstated operator, the data
    /// location an unstated processing location, data.personal unstated
    /// special categories).
    @Test func eachQuestionAloneTakesOffWhatItsBestAnswerDoes() async {
        await propertyCheck(input: ScoringTests.choices) { choices in
            let system = Self.system(choices)
            let unknown = Self.assessed(system)
            for factor in Self.openFactors(choices) {
                var answered = system
                factor.steps[0](&answered)
                let known = Self.assessed(answered)
                let listed = unknown.unknownPoints.questions.first { $0.question == Self.questionOfFactor[factor.name] }
                #expect(listed?.lockIn ?? 0 == unknown.scores[.lockIn]!.score - known.scores[.lockIn]!.score, "\(factor) lock-in")
                #expect(listed?.jurisdiction ?? 0 == unknown.scores[.jurisdiction]!.score - known.scores[.jurisdiction]!.score,
                        "\(factor) jurisdiction")
            }
        }
    }

    /// data.personal left out counts among the key answers even where
    /// special categories imply it, so it is an open question too: stating
    /// it takes it off the count, which here stops many-unknown-answers.
    @Test func personalDataImpliedButNotStatedIsAQuestionToAnswer() throws {
        let work = Fixture.write([
            "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
            "amt.yaml": Fixture.inventory(
                systems: Fixture.system(id: "akte", [
                    "vendor": "Nextcloud", "product": "Nextcloud Hub", "deployment": "on_premises", "hosting": "{data_location: [DE]}",
                    "licence": "AGPL-3.0-or-later", "criticality": "high", "formats": "[odf]", "interfaces": "[imap]",
                    "encryption_keys": "customer", "data": "{special_categories: true}", "contract": "{ends: 2027-06-30, exit_plan: true}",
                ]),
                organisation: "organisation: {id: amt, name: Amt, type: agency, parent: mi, country: DE}\n"),
        ])
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let explained = try json(work, ["explain", "amt/akte"])
        let jurisdiction = try #require((explained["scores"] as? [String: [String: Any]])?["jurisdiction"])
        let rules = (jurisdiction["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        // export, telemetry, substitutability and data.personal (as written): four.
        #expect(rules.contains("jurisdiction.many-unknown-answers"), "\(rules)")
        let open = try #require(explained["open_questions"] as? [[String: Any]])
        let personal = try #require(open.first { $0["question"] as? String == "data.personal" }, "\(open)")
        #expect(personal["jurisdiction"] as? Int == 6 && personal["lock_in"] as? Int == 0)
    }

    /// The hand-computed case of a follower: SaaS with neither hosting
    /// provider nor operator stated; naming the provider settles both.
    @Test func answeringTheHostingProviderSettlesAnUnstatedOperator() {
        var system = Self.system(Array(repeating: 0, count: ScoringTests.factors.count))
        system.hosting.provider = nil
        let open = Self.assessed(system).unknownPoints.questions
        let provider = open.first { $0.question == "hosting.provider" }
        // hosting-foreign (12) alone is not all: operator-foreign (10) goes with it.
        #expect((provider?.jurisdiction ?? 0) >= 12 + 10, "\(open)")
        var stated = system
        stated.hosting.provider = "STACKIT"
        #expect(provider?.jurisdiction == Self.assessed(system).scores[.jurisdiction]!.score - Self.assessed(stated).scores[.jurisdiction]!.score)
    }
}
