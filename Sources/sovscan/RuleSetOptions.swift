import ArgumentParser
import Catalogue
import Domain
import Foundation
import Output
import Reporting
import Scoring

/// Where the rule set is: `--rules`, else `$SOVSCAN_RULES`, else the shipped `rules/`.
struct RuleSetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The rule set directory (default: $SOVSCAN_RULES, else the rules/ shipped with sovscan).", valueName: "dir"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp(
        "A local vendors file in the catalogue's format, laid over the rule set's vendors (default for scan and validate: vendors.yaml in a directory named).",
        valueName: "file"))
    var vendors: String?

    /// The directory given, else the shipped one; exit 1 when there is none.
    func directory() throws -> String {
        if let directory = rules ?? RuleSet.defaultDirectory(environment: ProcessInfo.processInfo.environment) { return directory }
        throw Failure.invalid("""
            no rule set found: there is no rules/ or share/sovscan/rules above \(CommandLine.arguments[0]); \
            install sovscan with its rules (Scripts/install PREFIX, see README.md), or give one with --rules DIR or $SOVSCAN_RULES
            """)
    }

    /// The rule set's catalogues, with the local vendors file of `--vendors`
    /// (else `found`, one beside the inventories) laid over them; or exit 1
    /// after printing what is wrong with them.
    func load(localVendors found: String? = nil) throws -> RuleSet {
        let directory = try directory()
        let (ruleSet, diagnostics) = RuleSet.load(directory: directory)
        DiagnosticPrinter.printToStandardError(diagnostics)
        guard let ruleSet else {
            throw Failure.invalid("the rule set in '\(directory)' is invalid (see above); fix it or choose another with --rules DIR")
        }
        guard let local = vendors ?? found else { return ruleSet }
        let (combined, localDiagnostics) = ruleSet.withLocalVendors(local)
        DiagnosticPrinter.printToStandardError(localDiagnostics)
        guard let combined else {
            throw Failure.invalid("the local vendors file '\(local)' is invalid (see above)")
        }
        return combined
    }

    /// The scoring model with `profile`, or exit 1 after printing what is
    /// wrong with the rules, 64 when the rule set has no such profile.
    func loadModel(profile: String?, localVendors found: String? = nil) throws -> ScoringModel {
        let directory = try directory()
        let (model, diagnostics) = ScoringModel.load(ruleSet: try load(localVendors: found))
        DiagnosticPrinter.printToStandardError(diagnostics)
        guard let model else {
            throw Failure.invalid("the scoring rules in '\(directory)/rules.yaml' cannot be used (see above)")
        }
        guard let profile else { return model }
        guard let chosen = model.choosing(profile: profile) else {
            let names = model.profiles.map(\.id)
            let listing = names.isEmpty ? "it has none" : "its profiles are \(names.joined(separator: ", "))"
            throw Failure.usage("the rule set in '\(directory)' has no profile '\(profile)' (\(listing))\(Suggestion.didYouMean(profile, in: names))")
        }
        return chosen
    }
}

/// The options of every command that scores: the rule set and its profile.
struct ScoringOptions: ParsableArguments {
    @OptionGroup var ruleSet: RuleSetOptions

    @Option(name: .long, help: ArgumentHelp("A named profile of alternative points from the rule set (see `sovscan rules list`).", valueName: "name"))
    var profile: String?

    func loadModel() throws -> ScoringModel {
        try ruleSet.loadModel(profile: profile)
    }
}
