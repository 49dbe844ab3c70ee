import Catalogue
import Domain
import Foundation
import Inventory
import PropertyBased
import Scoring
import Testing
import YAMLReading

/// The shipped scoring rules: every example, and the invariants the scores promise.
@Suite struct ScoringTests {
    static let model: ScoringModel = {
        let (model, diagnostics) = ScoringModel.load(ruleSet: Fixture.ruleSet)
        guard let model else { fatalError("the shipped rules are invalid: \(diagnostics)") }
        return model
    }()

    static let asOf = Day(year: 2026, month: 9, day: 30)!

    static func organisation(_ country: String = "DE") -> Organisation {
        Organisation(id: "amt", name: "Amt", type: .municipality, parent: nil, country: country, asOf: asOf, hasInventory: true,
                     file: "test.yaml", location: Domain.SourceLocation(line: 1, column: 1))
    }

    static func score(_ system: System, country: String = "DE", others: [System] = []) -> [Domain.Dimension: Int] {
        let owner = organisation(country)
        let assessment = OrganisationScorer(model: model, organisations: [owner]).assess([system] + others, of: owner, asOf: asOf)[0]
        return assessment.scores.mapValues(\.score)
    }

    @Test(arguments: ScoringTests.model.rules.map(\.id))
    func ruleExamplesHold(rule: String) throws {
        let single = ScoringModel.load(ruleSet: Fixture.ruleSet).0!
        let failures = ExampleRunner(model: single).run().failures.filter { $0.rule == rule }
        #expect(failures.isEmpty, "\(failures.map(\.message))")
    }

    @Test func rulesCoverBothDimensionsWithSources() {
        #expect(Set(Self.model.rules.map(\.dimension)) == Set(Domain.Dimension.allCases))
        #expect(Self.model.rules.allSatisfy { !$0.sources.isEmpty && !$0.triggering.isEmpty && !$0.notTriggering.isEmpty })
    }

    /// German reports name and explain the rules in German: every shipped
    /// rule has a title and rationale of its own in German, not its English
    /// copied, with the same figures (sections, years, points) as its English.
    @Test(arguments: ScoringTests.model.rules.map(\.id))
    func everyRuleHasItsGermanTitleAndRationale(rule: String) throws {
        let found = try #require(Self.model.rules.first { $0.id == rule })
        let german = try #require(found.translations[.de], "\(rule) has no translations.de")
        #expect(!german.title.isEmpty && german.title != found.title)
        #expect(!german.rationale.isEmpty && german.rationale != found.rationale)
        func figures(_ text: String) -> Set<String> {
            Set(text.split { !$0.isNumber }.map(String.init))
        }
        #expect(figures(found.rationale).isSubset(of: figures(german.rationale)),
                "figures of the English missing in the German: \(figures(found.rationale).subtracting(figures(german.rationale)))")
    }

    /// A translation gives both texts, in a language sovscan writes.
    @Test func aTranslationWithoutItsRationaleIsRefusedAtItsLine() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        var text = try String(contentsOfFile: rules + "/rules.yaml", encoding: .utf8)
        let translation = try #require(text.range(of: "    translations:\n      de:\n"))
        text.replaceSubrange(translation, with: "    translations:\n      fr:\n        title: Le fournisseur\n      de:\n")
        let rationale = try #require(text.range(of: "        rationale: >-", range: translation.lowerBound..<text.endIndex))
        text.replaceSubrange(rationale, with: "        rationale_de: >-")
        try Data(text.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        let line = text[..<translation.lowerBound].filter { $0 == "\n" }.count + 1
        let result = Binary.run(["rules", "test", "--rules", rules])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(rules)/rules.yaml:\(line + 1):7: warning: unknown key 'translations.fr'"), "\(result.stderr)")
        #expect(result.stderr.contains("\(rules)/rules.yaml:\(line + 4):9: error: translation has no 'translations.de.rationale'"), "\(result.stderr)")
    }

    /// A language named with nothing under it is an error, not a rule shown in English unnoticed.
    @Test func anEmptyTranslationIsRefusedAtItsLine() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        var text = try String(contentsOfFile: rules + "/rules.yaml", encoding: .utf8)
        let start = try #require(text.range(of: "    translations:\n      de:\n"))
        let end = try #require(text.range(of: "    sources:\n", range: start.upperBound..<text.endIndex))
        text.replaceSubrange(start.upperBound..<end.lowerBound, with: "")
        try Data(text.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        let line = text[..<start.lowerBound].filter { $0 == "\n" }.count + 2
        let result = Binary.run(["rules", "test", "--rules", rules])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(rules)/rules.yaml:\(line):7: error: translations.de has no title and rationale"), "\(result.stderr)")
        // Texts that are there but say nothing.
        text.replaceSubrange(start.upperBound..<start.upperBound, with: "        title: \"\"\n        rationale: \" \"\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        let blank = Binary.run(["rules", "test", "--rules", rules])
        #expect(blank.status == 1)
        #expect(blank.stderr.contains("error: translations.de.title is empty") && blank.stderr.contains("error: translations.de.rationale is empty"),
                "\(blank.stderr)")
    }

    @Test func rulesTestCommandPassesAndListNamesEveryRule() {
        let test = Binary.run(["rules", "test"])
        #expect(test.status == 0, "\(test.stderr)")
        #expect(test.stdout.hasSuffix(", 0 failed\n"))
        let list = Binary.run(["rules", "list"])
        #expect(list.status == 0)
        for rule in Self.model.rules { #expect(list.stdout.contains(rule.id)) }
    }

    @Test(arguments: [["rules", "list"], ["rules", "test"], ["scan", "."]])
    func unknownProfileIsAUsageErrorNamingTheProfiles(command: [String]) {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system())])
        let result = Binary.run(command + ["--profile", "stricter"], in: work)
        #expect(result.status == 64)
        #expect(result.stderr == "sovscan: the rule set in '\(Fixture.rulesDirectory)' has no profile 'stricter' (its profiles are strict, exit-focused); did you mean 'strict'?\n")
        #expect(!result.stderr.contains("rules.yaml:"), "no position in a file is blamed")
    }

    @Test func brokenExampleFailsRulesTest() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        var text = try String(contentsOfFile: rules + "/rules.yaml", encoding: .utf8)
        // Swap the first rule's example lists: each now promises the opposite.
        text = text.replacingOccurrences(of: "triggering:", with: "TMP:").replacingOccurrences(of: "not_TMP:", with: "triggering:").replacingOccurrences(of: "TMP:", with: "not_triggering:")
        try Data(text.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        let result = Binary.run(["rules", "test", "--rules", rules])
        #expect(result.status == 1)
        #expect(result.stderr.contains("should trigger the rule but does not"))
        #expect(result.stderr.contains("\(rules)/rules.yaml:"))
    }

    /// A rule may not fire on few unknown answers: answering would raise a score.
    @Test func aRuleOnFewUnknownAnswersIsRefusedAtItsLine() throws {
        let rules = Fixture.directory()
        for file in RuleSet.files {
            try FileManager.default.copyItem(atPath: Fixture.rulesDirectory + "/" + file, toPath: rules + "/" + file)
        }
        let text = try String(contentsOfFile: rules + "/rules.yaml", encoding: .utf8)
        let edited = text.replacingOccurrences(of: "fact: unknown_answers\n      at_least: 4", with: "fact: unknown_answers\n      at_most: 4")
        #expect(edited != text)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: rules + "/rules.yaml"))
        let line = edited.components(separatedBy: "\n").firstIndex { $0.contains("at_most: 4") }! + 1
        let result = Binary.run(["rules", "test", "--rules", rules])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(rules)/rules.yaml:\(line):16: error: 'unknown_answers' takes at_least only"), "\(result.stderr)")
    }

    // MARK: Invariants

    /// A factor of a system, from best to worst; `unknown` is how it reads when not answered.
    struct Factor: Sendable, CustomStringConvertible {
        var name: String
        var steps: [@Sendable (inout System) -> Void]
        var unknown: (@Sendable (inout System) -> Void)?
        var description: String { name }
    }

    static let factors: [Factor] = [
        Factor(name: "telemetry", steps: [{ $0.telemetry = Telemetry.none }, { $0.telemetry = .optional }, { $0.telemetry = .mandatory }], unknown: { $0.telemetry = nil }),
        Factor(name: "export", steps: [{ $0.export = .full }, { $0.export = .partial }, { $0.export = ExportAbility.none }], unknown: { $0.export = nil }),
        Factor(name: "keys", steps: [{ $0.encryptionKeys = .customer }, { $0.encryptionKeys = .provider }], unknown: { $0.encryptionKeys = nil }),
        Factor(name: "substitutability", steps: [{ $0.substitutability = .easy }, { $0.substitutability = .medium }, { $0.substitutability = .hard }, { $0.substitutability = Substitutability.none }], unknown: { $0.substitutability = nil }),
        Factor(name: "personal", steps: [{ $0.data.personal = false }, { $0.data.personal = true }], unknown: { $0.data.personal = nil }),
        Factor(name: "special", steps: [{ $0.data.specialCategories = false }, { $0.data.specialCategories = true }], unknown: { $0.data.specialCategories = nil }),
        Factor(name: "classification", steps: [{ $0.data.classification = Classification.none }, { $0.data.classification = .vsNfD }, { $0.data.classification = .confidential }, { $0.data.classification = .secret }], unknown: nil),
        Factor(name: "exit plan", steps: [{ $0.contract?.exitPlan = true }, { $0.contract?.exitPlan = false }], unknown: { $0.contract?.exitPlan = nil }),
        Factor(name: "licence", steps: [{ $0.licence = "AGPL-3.0-or-later" }, { $0.licence = "proprietary" }], unknown: nil),
        Factor(name: "formats", steps: [{ $0.formats = ["odf"] }, { $0.formats = ["proprietary"] }], unknown: { $0.formats = nil }),
        Factor(name: "interfaces", steps: [{ $0.interfaces = ["imap"] }, { $0.interfaces = ["graph_api"] }], unknown: { $0.interfaces = nil }),
        Factor(name: "data location", steps: [{ $0.hosting.dataLocation = ["DE"] }, { $0.hosting.dataLocation = ["DE", "US"] }], unknown: { $0.hosting.dataLocation = nil }),
        Factor(name: "support access", steps: [{ $0.hosting.supportAccess = ["DE"] }, { $0.hosting.supportAccess = ["US"] }], unknown: { $0.hosting.supportAccess = nil }),
        Factor(name: "vendor", steps: [{ $0.vendor = "Nextcloud" }, { $0.vendor = "Proton" }, { $0.vendor = "Microsoft" }], unknown: { $0.vendor = "Softwarehaus Talgrund GmbH" }),
        Factor(name: "hosting provider", steps: [{ $0.hosting.provider = "STACKIT" }, { $0.hosting.provider = "Proton" }, { $0.hosting.provider = "Amazon Web Services" }], unknown: { $0.hosting.provider = "Rechenzentrum Irgendwo" }),
        Factor(name: "criticality", steps: [{ $0.criticality = .low }, { $0.criticality = .medium }, { $0.criticality = .high }, { $0.criticality = .critical }], unknown: nil),
        Factor(name: "notice", steps: [{ $0.contract?.noticeMonths = 3 }, { $0.contract?.noticeMonths = 12 }, { $0.contract?.noticeMonths = 24 }], unknown: nil),
        Factor(name: "term", steps: [{ $0.contract?.ends = Day(year: 2027, month: 1, day: 1) }, { $0.contract?.ends = Day(year: 2030, month: 1, day: 1) }], unknown: nil),
    ]

    /// A hosted system whose every factor is set by `choices` (an index per factor, wrapped).
    static func system(_ choices: [Int]) -> System {
        var system = System(id: "s", name: "S", function: "email", product: "P", vendor: "Nextcloud", deployment: .saas,
                            hosting: Hosting(provider: "STACKIT", dataLocation: ["DE"]), licence: "proprietary", criticality: .medium,
                            contract: Contract(ends: Day(year: 2027, month: 1, day: 1), noticeMonths: 3, exitPlan: true))
        for (factor, choice) in zip(factors, choices) {
            let options = factor.steps.count + (factor.unknown == nil ? 0 : 1)
            let pick = choice % options
            if pick < factor.steps.count { factor.steps[pick](&system) } else { factor.unknown!(&system) }
        }
        return system
    }

    static let choices = Gen.int(in: 0...11).array(of: factors.count)

    @Test func makingAnyFactorWorseNeverLowersAScore() async {
        await propertyCheck(input: Self.choices, Gen.int(in: 0..<Self.factors.count)) { choices, which in
            let factor = Self.factors[which]
            var system = Self.system(choices)
            for (step, nextStep) in zip(factor.steps, factor.steps.dropFirst()) {
                step(&system)
                let before = Self.score(system)
                nextStep(&system)
                let after = Self.score(system)
                for dimension in Domain.Dimension.allCases {
                    #expect(after[dimension]! >= before[dimension]!, "\(factor) made \(dimension) drop")
                }
            }
        }
    }

    @Test func unknownNeverScoresBelowTheBestKnownAnswer() async {
        await propertyCheck(input: Self.choices, Gen.int(in: 0..<Self.factors.count)) { choices, which in
            let factor = Self.factors[which]
            guard let unknown = factor.unknown else { return }
            var best = Self.system(choices)
            factor.steps[0](&best)
            var unanswered = best
            unknown(&unanswered)
            let bestScores = Self.score(best), unknownScores = Self.score(unanswered)
            for dimension in Domain.Dimension.allCases {
                #expect(unknownScores[dimension]! >= bestScores[dimension]!, "unknown \(factor) scores below its best answer in \(dimension)")
            }
        }
    }

    @Test func insideTheProvidersBlocScoresLowerJurisdictionRisk() async {
        await propertyCheck(input: Self.choices) { choices in
            var system = Self.system(choices)
            system.vendor = "SAP SE"
            system.hosting.provider = "STACKIT"
            system.operatorName = nil
            let inside = Self.score(system, country: "FR")[Domain.Dimension.jurisdiction]!
            let outside = Self.score(system, country: "US")[Domain.Dimension.jurisdiction]!
            #expect(inside < outside || outside == 100)
        }
    }

    @Test func scoresDoNotDependOnSystemOrderAndAreDeterministic() async {
        await propertyCheck(input: Self.choices, Self.choices, Self.choices) { a, b, c in
            var systems = [Self.system(a), Self.system(b), Self.system(c)]
            for (index, id) in ["a", "b", "c"].enumerated() { systems[index].id = id }
            systems[0].dependsOn = ["b"]
            systems[2].dependsOn = ["a"]
            let owner = Self.organisation()
            let scorer = OrganisationScorer(model: Self.model, organisations: [owner])
            let forward = scorer.assess(systems, of: owner, asOf: Self.asOf)
            let backward = scorer.assess(systems.reversed(), of: owner, asOf: Self.asOf)
            #expect(forward == Array(backward.reversed()))
            #expect(forward == scorer.assess(systems, of: owner, asOf: Self.asOf))
        }
    }

    @Test func aMemoThatForgetsChangesNoScore() async {
        await propertyCheck(input: Self.choices, Self.choices, Self.choices) { a, b, c in
            var systems = [Self.system(a), Self.system(b), Self.system(c), Self.system(a)]
            for (index, id) in ["a", "b", "c", "d"].enumerated() { systems[index].id = id }
            let owner = Self.organisation()
            let deriver = FactDeriver(ruleSet: Self.model.ruleSet, organisations: [owner])
            let roomy = OrganisationScorer(model: Self.model, deriver: deriver).assess(systems, of: owner, asOf: Self.asOf)
            let scorer = OrganisationScorer(model: Self.model, deriver: deriver)
            var tight = OrganisationScorer.Memo(capacity: 1)
            let parties = deriver.parties(namedBy: systems, of: owner, on: Self.asOf)
            let forgetful = scorer.assess(systems, of: owner, asOf: Self.asOf, parties: parties, memo: &tight)
                + scorer.assess(systems, of: owner, asOf: Self.asOf, parties: parties, memo: &tight)
            #expect(forgetful.map(\.scores) == (roomy + roomy).map(\.scores))
            // A number names one set of scores, however often the memo forgets.
            for first in forgetful {
                for second in forgetful where first.number == second.number {
                    #expect(first.scores == second.scores)
                }
            }
        }
    }

    @Test func acceptedFindingsAreShownNotCounted() throws {
        var system = Self.system(Array(repeating: 2, count: Self.factors.count))
        let owner = Self.organisation()
        let scorer = OrganisationScorer(model: Self.model, organisations: [owner])
        let before = scorer.assess([system], of: owner, asOf: Self.asOf)[0].scores[Domain.Dimension.jurisdiction]!
        let finding = try #require(before.findings.first)
        system.exceptions = [RiskException(rule: finding.rule.id, reason: "Übergang", owner: "CIO", expires: Day(year: 2027, month: 1, day: 1)!,
                                           location: Domain.SourceLocation(line: 1, column: 1))]
        let after = scorer.assess([system], of: owner, asOf: Self.asOf)[0].scores[Domain.Dimension.jurisdiction]!
        #expect(after.findings.first { $0.rule.id == finding.rule.id }?.accepted == true)
        #expect(after.score == max(0, min(100, before.findings.filter { !$0.accepted }.map(\.points).reduce(0, +) - finding.points)) || before.score == 100)
        system.exceptions[0].expires = Day(year: 2026, month: 1, day: 1)!
        let expired = scorer.assess([system], of: owner, asOf: Self.asOf)[0].scores[Domain.Dimension.jurisdiction]!
        #expect(expired.score == before.score, "an expired exception no longer applies")
        #expect(Self.model.checkExceptions(system.exceptions, asOf: Self.asOf, file: "f").map(\.code) == ["exception-expired"])
    }
}
