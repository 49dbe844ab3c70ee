import Domain
import Inventory
import YAMLReading

/// A planned change as data (docs/scenarios.md): steps that select systems
/// of a snapshot and set fields on them or retire them, or add systems. It
/// is read and checked like an inventory: every problem is an error at its
/// line and column, an unknown key too (an ignored key would change what
/// the plan does).
public struct Plan: Sendable {
    /// A value of the plan with where it is written.
    public struct Located: Sendable, Hashable {
        public var value: String
        public var location: SourceLocation
    }

    /// Which systems a step applies to: every criterion given holds, and a
    /// criterion with several values holds when any of them does.
    public struct Selection: Sendable {
        public enum Criterion: String, FieldKey, Sendable {
            /// An organisation and every organisation below it.
            case under
            /// A system id.
            case id
            /// A vendor, or a company it owns: resolved through the catalogue
            /// as the scoring resolves vendors, else compared as written.
            case vendor
            case product, function, criticality, deployment
        }

        public var criteria: [(criterion: Criterion, values: [Located])]
        public var location: SourceLocation
    }

    public enum Action: Sendable {
        /// Fields to set, as a mapping in the inventory's own format: a key
        /// given replaces the field (in `hosting`, `data` and `contract`,
        /// the key of the field), and `null` clears it.
        case set(Node)
        case retire
        /// A system record as an inventory holds it, for the organisation named.
        case add(to: Located, system: Node)
    }

    public struct Step: Sendable {
        public var location: SourceLocation
        public var selection: Selection?
        public var action: Action
    }

    /// The plan's title, for the reports.
    public var title: String
    public var file: String
    public var steps: [Step]
}

enum PlanKey: String, FieldKey {
    case plan, steps
}

enum StepKey: String, FieldKey {
    case select, set, retire, add, to
}

extension Plan {
    /// Reads the plan at `path`; nil after the errors in `log`. The values a
    /// step sets or adds are checked when the plan is applied, against the
    /// systems it selects (`PlanApplication`).
    public static func read(path: String, log: inout DiagnosticLog) -> Plan? {
        guard let root = SingleDocument.read(path: path, log: &log) else { return nil }
        var title: String?, steps: [Step] = []
        let isMapping = root.readMapping(PlanKey.self, what: "plan", required: [.plan, .steps], strict: true, log: &log) { key, value, log in
            switch key {
            case .plan: title = value.text("plan", log: &log)
            case .steps:
                let items = value.list("steps", log: &log) ?? []
                if items.isEmpty, value.items != nil { log.error("empty", at: value.location, "'steps' lists no step; a plan needs at least one") }
                steps = items.compactMap { step($0, log: &log) }
            }
        }
        guard isMapping, let title, !log.hasErrors else { return nil }
        return Plan(title: title, file: path, steps: steps)
    }

    private static func step(_ node: Node, log: inout DiagnosticLog) -> Step? {
        var selection: Selection?, set: Node?, retire: Bool?, add: Node?, target: Located?
        var seen: [StepKey] = []
        let isMapping = node.readMapping(StepKey.self, what: "step", strict: true, log: &log) { key, value, log in
            seen.append(key)
            switch key {
            case .select: selection = self.selection(value, log: &log)
            case .set:
                if value.kind == .mapping {
                    checkFields(value, log: &log)
                    set = value
                } else {
                    log.error("type", at: value.location, "'set' must be a mapping of the fields to set (as a system in an inventory writes them), not \(value.kindDescription)")
                }
            case .retire:
                retire = value.bool("retire", log: &log)
                if retire == false { log.error("value", at: value.location, "'retire: false' does nothing; leave the step out, or write 'retire: true'") }
            case .add:
                if value.kind == .mapping {
                    add = value
                } else {
                    log.error("type", at: value.location, "'add' must be a system record (a mapping, as in an inventory's 'systems:'), not \(value.kindDescription)")
                }
            case .to: target = value.text("to", log: &log).map { Located(value: $0, location: value.location) }
            }
        }
        guard isMapping else { return nil }
        let actions = seen.filter { [.set, .retire, .add].contains($0) }
        guard actions.count == 1 else {
            log.error(actions.isEmpty ? "missing-field" : "conflict", at: node.location, actions.isEmpty
                ? "a step must say what it does: 'set' (fields of the systems it selects), 'retire: true' or 'add' (a new system, with 'to')"
                : "a step does one thing; this one has \(actions.map { "'\($0.rawValue)'" }.joined(separator: " and ")): write them as separate steps")
            return nil
        }
        switch actions[0] {
        case .add:
            if seen.contains(.select) { log.error("conflict", at: node.location, "a step that adds a system selects none; remove 'select', and name the organisation with 'to'") }
            guard seen.contains(.to) else {
                log.error("missing-field", at: node.location, "a step that adds a system names its organisation with 'to: ORGANISATION-ID'")
                return nil
            }
            guard let add, let target else { return nil }
            return Step(location: node.location, selection: nil, action: .add(to: target, system: add))
        default:
            if seen.contains(.to) { log.error("conflict", at: node.location, "'to' goes with 'add'; a step that sets or retires applies to the systems it selects") }
            guard seen.contains(.select) else {
                log.error("missing-field", at: node.location, "a step that sets or retires names the systems with 'select' (by under, id, vendor, product, function, criticality or deployment)")
                return nil
            }
            guard let selection else { return nil }
            if let set { return Step(location: node.location, selection: selection, action: .set(set)) }
            return retire == true ? Step(location: node.location, selection: selection, action: .retire) : nil
        }
    }

    private static func selection(_ node: Node, log: inout DiagnosticLog) -> Selection? {
        var criteria: [(criterion: Selection.Criterion, values: [Located])] = []
        _ = node.forEachEntry { key, _, value in
            // A criterion without a value would select more than the step meant.
            if value.isNull, Selection.Criterion.named(key) != nil {
                log.error("value", at: value.location, "'select.\(key)' names no value; give one or a list, or leave the criterion out")
            }
        }
        let isMapping = node.readMapping(Selection.Criterion.self, what: "select", prefix: "select.", strict: true, log: &log) { key, value, log in
            // One value, or a list of values any of which may hold.
            let items = value.kind == .scalar ? [value] : value.list("select.\(key.rawValue)", log: &log) ?? []
            let values = items.compactMap { item in
                item.text("select.\(key.rawValue)", log: &log).map { Located(value: $0, location: item.location) }
            }
            func check<Value: NamedCases>(_ type: Value.Type, _ noun: String) {
                let names = Value.allCases.map(\.rawValue)
                for item in values where Value.named(item.value) == nil {
                    log.error("value", at: item.location, "'\(item.value)' is no \(noun) (one of \(names.joined(separator: ", ")))\(Suggestion.didYouMean(item.value, in: names))")
                }
            }
            switch key {
            case .criticality: check(Criticality.self, "criticality")
            case .deployment: check(Deployment.self, "deployment")
            default: break
            }
            if values.isEmpty {
                // Left out, it would select more than the step meant.
                log.error("value", at: value.location, "'select.\(key.rawValue)' names no value; give one or a list, or leave the criterion out")
            } else {
                criteria.append((key, values))
            }
        }
        guard isMapping else { return nil }
        guard !criteria.isEmpty else {
            log.error("missing-field", at: node.location, "'select' names no criterion; select by under, id, vendor, product, function, criticality or deployment")
            return nil
        }
        return Selection(criteria: criteria, location: node.location)
    }

    /// The fields of a system written as a mapping of their own (`hosting`,
    /// `data`, `contract`), with the keys inside, as the inventory names them.
    static let nestedFields: [String: [String]] = {
        var nested: [String: [String]] = [:]
        for field in System.fields {
            let path = field.name.split(separator: ".", maxSplits: 1).map(String.init)
            if path.count == 2 { nested[path[0], default: []].append(path[1]) }
        }
        return nested
    }()

    /// A key given twice in `set` (or in its `hosting`, `data`, `contract`)
    /// is an error, as is the id: a system with another id is another
    /// system. Unknown keys are the reader's to report, as in an inventory.
    private static func checkFields(_ node: Node, log: inout DiagnosticLog) {
        func checkDuplicates(_ mapping: Node, prefix: String) {
            var seen: [String: SourceLocation] = [:]
            _ = mapping.forEachEntry { key, keyLocation, value in
                if let first = seen[key] {
                    log.error("duplicate-key", at: keyLocation, "duplicate key '\(prefix)\(key)' (first given at line \(first.line)); a key may appear once in a mapping")
                }
                seen[key] = seen[key] ?? keyLocation
                if prefix.isEmpty, key == "id" {
                    log.error("value", at: keyLocation, "a plan does not change a system's id: retire the system and add one with the new id")
                }
                if prefix.isEmpty, nestedFields[key] != nil, value.kind == .mapping {
                    checkDuplicates(value, prefix: key + ".")
                }
            }
        }
        checkDuplicates(node, prefix: "")
    }
}
