import ArgumentParser
import Catalogue
import Domain
import Foundation
import Output
import Reporting
import Scoring

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the scoring rules, or run their examples.",
        subcommands: [List.self, Test.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every rule with its dimension, points and title.")

        @OptionGroup var scoring: ScoringOptions

        @Option(help: "How to print the rules.")
        var format: Format<RuleListing> = .standard

        @OptionGroup var language: LanguageOption

        func run() throws {
            try Printer.print(RuleListing(model: try scoring.loadModel()), as: format, in: RenderContext(language: language.language))
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every rule's examples; exit 1 when one does not do what it says.")

        @OptionGroup var scoring: ScoringOptions

        func run() throws {
            let model = try scoring.loadModel()
            let (examples, failures) = ExampleRunner(model: model).run()
            for failure in failures { Terminal.standardError(failure.description) }
            Terminal.standardOutput("\(plural(examples, "example")) of \(plural(model.rules.count, "rule")): \(examples - failures.count) passed, \(failures.count) failed\n")
            if !failures.isEmpty { throw Failure.reported }
        }
    }
}
