import Catalogue
import Domain
import Inventory
import YAMLReading

/// A rule example that did not do what it promises.
public struct ExampleFailure: Sendable, CustomStringConvertible {
    public var rule: String
    public var location: SourceLocation
    public var file: String
    public var message: String

    public var description: String { "\(file):\(location.line):\(location.column): error: rule '\(rule)': \(message)" }
}

/// Runs every rule's examples: the triggering ones must fire the rule, the
/// others must not. The examples are laid over a baseline system that no
/// shipped rule flags.
public struct ExampleRunner: Sendable {
    static let baseline = """
        organisation: {id: example-org, name: Example, type: municipality, country: DE}
        as_of: 2026-09-30
        system:
          id: example
          name: Example
          function: other
          product: Nextcloud Hub
          vendor: Nextcloud
          deployment: on_premises
          licence: AGPL-3.0-or-later
          users: 100
          criticality: medium
          data: {personal: false, special_categories: false, classification: none}
          hosting: {data_location: [DE]}
          formats: [odf, pdf_a]
          interfaces: [webdav, caldav]
          export: full
          telemetry: none
          encryption_keys: customer
          substitutability: easy
          contract: {ends: 2027-03-31, notice_months: 3, exit_plan: true}
        """

    let model: ScoringModel

    public init(model: ScoringModel) {
        self.model = model
    }

    public func run() -> (examples: Int, failures: [ExampleFailure]) {
        var baselineLog = DiagnosticLog(file: "baseline")
        guard let baseline = SingleDocument.read(text: Self.baseline, name: "baseline", log: &baselineLog),
              case .mapping(let parts) = baseline.content else {
            return (0, [ExampleFailure(rule: "-", location: SourceLocation(line: 1, column: 1), file: "baseline", message: "the example baseline does not parse")])
        }
        let part = { (key: String) in parts.first { $0.key == key }!.value }
        var failures: [ExampleFailure] = []
        var count = 0
        let file = model.ruleSet.directory + "/rules.yaml"
        for rule in model.rules {
            for (examples, expected) in [(rule.triggering, true), (rule.notTriggering, false)] {
                for example in examples {
                    count += 1
                    let outcome = evaluate(example, rule: rule, organisation: part("organisation"), system: part("system"), asOf: part("as_of"), file: file)
                    switch outcome {
                    case .failure(let message):
                        failures.append(ExampleFailure(rule: rule.id, location: example.location, file: file, message: message))
                    case .fired(let fired, let facts):
                        if fired != expected {
                            let shown = facts.description
                            failures.append(ExampleFailure(rule: rule.id, location: example.location, file: file,
                                                           message: expected ? "this example should trigger the rule but does not (facts: \(shown))" : "this example should not trigger the rule but does"))
                        }
                    }
                }
            }
        }
        return (count, failures)
    }

    enum Outcome {
        case fired(Bool, facts: Facts)
        case failure(String)
    }

    private func evaluate(_ example: Node, rule: Rule, organisation: Node, system: Node, asOf: Node, file: String) -> Outcome {
        guard case .mapping(let entries) = example.content else { return .failure("an example must be a mapping with 'system:'") }
        var log = DiagnosticLog(file: file)
        let given = { (key: String) in entries.first { $0.key == key }?.value }
        for entry in entries where !["system", "organisation", "others", "as_of"].contains(entry.key) {
            return .failure("unknown key '\(entry.key)' in an example (system, organisation, others, as_of)")
        }
        let reader = SingleRecordReader(reference: model.ruleSet.reference)
        let day = (given("as_of") ?? asOf).day("as_of", log: &log) ?? Day(year: 2026, month: 9, day: 30)!
        guard let owner = reader.organisation(Self.overlay(organisation, with: given("organisation")), asOf: day, file: file, log: &log),
              let subject = reader.system(Self.overlay(system, with: given("system")), log: &log) else {
            return .failure("the example is not a valid system: \(log.diagnostics.map(\.message).joined(separator: "; "))")
        }
        var systems = [subject]
        for other in given("others")?.list("others", log: &log) ?? [] {
            guard let sibling = reader.system(Self.overlay(system, with: other), log: &log) else {
                return .failure("an example's 'others' entry is not a valid system: \(log.diagnostics.map(\.message).joined(separator: "; "))")
            }
            systems.append(sibling)
        }
        if log.hasErrors {
            return .failure("the example is not a valid system: \(log.diagnostics.filter { $0.severity == .error }.map(\.message).joined(separator: "; "))")
        }
        let assessment = OrganisationScorer(model: model, organisations: [owner]).assess(systems, of: owner, asOf: day)[0]
        let fired = assessment.scores[rule.dimension]?.findings.contains { $0.rule.id == rule.id } ?? false
        return .fired(fired, facts: assessment.facts)
    }

    /// The baseline mapping with the given keys replaced.
    static func overlay(_ base: Node, with overrides: Node?) -> Node {
        guard let overrides, case .mapping(let given) = overrides.content, case .mapping(let entries) = base.content else {
            return overrides ?? base
        }
        let replaced = Set(given.map(\.key))
        var result = base
        result.content = .mapping(entries.filter { !replaced.contains($0.key) } + given)
        result.location = overrides.location
        return result
    }
}
