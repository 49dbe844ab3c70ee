import Catalogue
import Domain
import Inventory
import Scanning
import Scoring
import Store
import YAMLReading

/// A plan applied to a snapshot's inventory: the inventory as it would be,
/// and what each step did. A step sees the inventory as the steps before it
/// left it. Every value is checked as the inventory's reader checks it;
/// what is wrong is an error at the plan's line and column.
public struct PlanApplication: Sendable {
    /// What one step did.
    public struct Outcome: Sendable, Encodable {
        public enum Action: String, Sendable, Encodable {
            case set, retire, add
        }

        public var line: Int
        public var action: Action
        /// The fields a `set` names, as the inventory writes them (`hosting.provider`).
        public var fields: [String]
        /// The systems it applies to, as `organisation/system`.
        public var systems: [String]
    }

    public var organisations: [Organisation]
    /// The systems of each organisation with an inventory, in their order.
    public var systems: [String: [System]]
    public var outcomes: [Outcome]
    /// The systems a step set or added, as `organisation/system`.
    public private(set) var written: Set<String> = []

    /// The inventory as items of a scan: each organisation's systems, then the organisation.
    public var items: [InventoryItem] {
        organisations.flatMap { organisation in
            (systems[organisation.id] ?? []).map { InventoryItem.system($0, organisationID: organisation.id) } + [.organisation(organisation)]
        }
    }

    /// The snapshot's inventory as it was, as a plan's starting point.
    public init(_ inventory: SnapshotInventory) {
        organisations = inventory.organisations
        systems = Dictionary(grouping: inventory.entries, by: \.organisation).mapValues { $0.map(\.system) }
        outcomes = []
    }

    /// Where values of a system that the plan does not write stand: no line
    /// of the plan. A problem found there is one the plan made (a deployment
    /// set that needs a hosting provider the system has not), and is
    /// reported at the step.
    static let unwritten = SourceLocation(line: 0, column: 0)

    /// Applies `plan`; nil after the errors in `log`. The systems it sets
    /// or adds are checked as a scan checks them (parties nothing knows,
    /// exceptions naming no rule, notice deadlines already past): warnings
    /// at the plan's lines.
    public static func apply(_ plan: Plan, to inventory: SnapshotInventory, model: ScoringModel, log: inout DiagnosticLog) -> PlanApplication? {
        var application = PlanApplication(inventory)
        var context = Context(ruleSet: model.ruleSet, organisations: inventory.organisations, scanID: inventory.scanID,
                              asOf: Day(iso: inventory.asOf))
        for step in plan.steps {
            application.apply(step, context: &context, log: &log)
        }
        guard !log.hasErrors else { return nil }
        application.checkDependencies(context: context, log: &log)
        guard !log.hasErrors else { return nil }
        application.written = Set(context.writtenBy.keys)
        application.checkWritten(plan: plan, pipeline: ScanPipeline(model: model, scanDate: inventory.scanDay),
                                 log: &log)
        return application
    }

    /// What the steps share: the reader of records, vendors as resolved,
    /// and where each system was last written or retired.
    struct Context {
        let ruleSet: RuleSet
        let reader: SingleRecordReader
        let deriver: FactDeriver
        let scanID: Int64
        /// The snapshot's as-of date.
        let asOf: Day?
        var resolved: [String: ResolvedParty] = [:]
        /// `organisation/system` → the step that set, added or retired it.
        var writtenBy: [String: SourceLocation] = [:]
        var retiredBy: [String: SourceLocation] = [:]

        init(ruleSet: RuleSet, organisations: [Organisation], scanID: Int64, asOf: Day?) {
            self.ruleSet = ruleSet
            reader = SingleRecordReader(reference: ruleSet.reference, strict: true)
            deriver = FactDeriver(ruleSet: ruleSet, organisations: organisations)
            self.scanID = scanID
            self.asOf = asOf
        }

        mutating func vendorChain(_ name: String) -> [String] {
            if let known = resolved[name] { return known.chain.map(\.id) }
            let party = deriver.party(name, on: asOf)
            resolved[name] = party
            return party.chain.map(\.id)
        }
    }

    private mutating func apply(_ step: Plan.Step, context: inout Context, log: inout DiagnosticLog) {
        switch step.action {
        case .add(let target, let node):
            guard let index = organisations.firstIndex(where: { $0.id == target.value }) else {
                log.error("reference", at: target.location, "'to' names '\(target.value)', which is no organisation of scan \(context.scanID)\(Suggestion.didYouMean(target.value, in: organisations.map(\.id)))")
                return
            }
            guard let system = context.reader.system(node, log: &log) else { return }
            let key = "\(target.value)/\(system.id)"
            if systems[target.value, default: []].contains(where: { $0.id == system.id }) {
                log.error("duplicate-id", at: system.fieldLocations["id"] ?? node.location,
                          "organisation '\(target.value)' already has a system '\(system.id)'; give the new one another id, or change that one with 'set'")
                return
            }
            if !organisations[index].hasInventory {
                // A declared organisation gets an inventory, dated as the snapshot.
                organisations[index].hasInventory = true
                organisations[index].asOf = organisations[index].asOf ?? context.asOf
            }
            systems[target.value, default: []].append(system)
            context.writtenBy[key] = step.location
            context.retiredBy[key] = nil
            outcomes.append(Outcome(line: step.location.line, action: .add, fields: [], systems: [key]))
        case .set(let patch):
            guard let selection = step.selection, let chosen = select(selection, context: &context, log: &log) else { return }
            var fields: [String] = []
            _ = patch.forEachEntry { key, _, value in
                if value.kind == .mapping, Plan.nestedFields[key] != nil {
                    _ = value.forEachEntry { inner, _, _ in fields.append("\(key).\(inner)") }
                } else {
                    fields.append(key)
                }
            }
            var reported: Set<Diagnostic> = []
            for (organisation, index) in chosen {
                let system = systems[organisation]![index]
                let merged = Self.merged(system.node(at: Self.unwritten), with: patch)
                var systemLog = DiagnosticLog(file: log.file)
                let read = context.reader.system(merged, log: &systemLog)
                report(systemLog, of: "\(organisation)/\(system.id)", at: step, into: &log, reported: &reported)
                guard var changed = read else { continue }
                changed.location = system.location
                systems[organisation]![index] = changed
                context.writtenBy["\(organisation)/\(system.id)"] = step.location
            }
            outcomes.append(Outcome(line: step.location.line, action: .set, fields: fields, systems: chosen.map { "\($0.organisation)/\(systems[$0.organisation]![$0.index].id)" }))
        case .retire:
            guard let selection = step.selection, let chosen = select(selection, context: &context, log: &log) else { return }
            let keys = chosen.map { "\($0.organisation)/\(systems[$0.organisation]![$0.index].id)" }
            for (organisation, indices) in Dictionary(grouping: chosen, by: \.organisation) {
                let gone = Set(indices.map(\.index))
                systems[organisation] = systems[organisation]!.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
            }
            for key in keys {
                context.retiredBy[key] = step.location
                context.writtenBy[key] = nil
            }
            outcomes.append(Outcome(line: step.location.line, action: .retire, fields: [], systems: keys))
        }
    }

    /// The diagnostics of reading a system the step changed: those at the
    /// plan's lines once, those at values the plan did not write (errors
    /// only: a warning there is the inventory's own) at the step, naming the system.
    private func report(_ systemLog: DiagnosticLog, of system: String, at step: Plan.Step, into log: inout DiagnosticLog,
                        reported: inout Set<Diagnostic>) {
        for diagnostic in systemLog.diagnostics {
            if diagnostic.location == Self.unwritten {
                guard diagnostic.severity == .error else { continue }
                log.error(diagnostic.code, at: step.location, "setting these fields on '\(system)' leaves it invalid: \(diagnostic.message)")
            } else if reported.insert(diagnostic).inserted {
                if diagnostic.severity == .error {
                    log.error(diagnostic.code, at: diagnostic.location, diagnostic.message)
                } else {
                    log.warning(diagnostic.code, at: diagnostic.location, diagnostic.message)
                }
            }
        }
    }

    /// `base` with the entries of `patch`: a key given replaces the entry,
    /// a mapping given for a mapping (`hosting`, `data`, `contract`) merges
    /// into it key by key.
    static func merged(_ base: Node, with patch: Node) -> Node {
        guard case .mapping(var entries) = base.content, case .mapping(let changes) = patch.content else { return patch }
        for change in changes {
            guard let index = entries.firstIndex(where: { $0.key == change.key }) else {
                entries.append(change)
                continue
            }
            if entries[index].value.kind == .mapping, change.value.kind == .mapping {
                entries[index].value = merged(entries[index].value, with: change.value)
            } else {
                entries[index] = change
            }
        }
        return Node(.mapping(entries), at: base.location)
    }

    /// The systems a selection picks, as (organisation, index); nil after an
    /// error: a value that matches no system at all (with a suggestion), or
    /// criteria that together pick none.
    private func select(_ selection: Plan.Selection, context: inout Context, log: inout DiagnosticLog) -> [(organisation: String, index: Int)]? {
        let all = organisations.flatMap { organisation in (systems[organisation.id] ?? []).indices.map { (organisation.id, $0) } }
        var valid = true
        var tests: [(String, System) -> Bool] = []
        for (criterion, values) in selection.criteria {
            var matches: [(String, System) -> Bool] = []
            for item in values {
                guard let test = matcher(criterion, item, context: &context, log: &log) else {
                    valid = false
                    continue
                }
                if !all.contains(where: { test($0.0, systems[$0.0]![$0.1]) }) {
                    valid = false
                    log.error("selects-nothing", at: item.location, "no system of scan \(context.scanID) has \(criterion.rawValue) '\(item.value)'\(hint(criterion, item.value, context: context))")
                }
                matches.append(test)
            }
            tests.append { organisation, system in matches.contains { $0(organisation, system) } }
        }
        guard valid else { return nil }
        let chosen = all.filter { organisation, index in tests.allSatisfy { $0(organisation, systems[organisation]![index]) } }
        if chosen.isEmpty {
            log.error("selects-nothing", at: selection.location,
                      "no system meets every criterion of this selection (each alone selects some); a step must apply to at least one system")
            return nil
        }
        return chosen
    }

    private func matcher(_ criterion: Plan.Selection.Criterion, _ item: Plan.Located, context: inout Context,
                         log: inout DiagnosticLog) -> ((String, System) -> Bool)? {
        let value = item.value
        switch criterion {
        case .under:
            guard organisations.contains(where: { $0.id == value }) else {
                log.error("reference", at: item.location, "'\(value)' is no organisation of scan \(context.scanID)\(Suggestion.didYouMean(value, in: organisations.map(\.id)))")
                return nil
            }
            let subtree = self.subtree(of: value)
            return { organisation, _ in subtree.contains(organisation) }
        case .id: return { _, system in system.id == value }
        case .vendor:
            if let vendor = context.ruleSet.vendors.vendor(named: value) {
                var chains: [String: Bool] = [:]
                for system in systems.values.joined() where chains[system.vendor] == nil {
                    chains[system.vendor] = context.vendorChain(system.vendor).contains(vendor.id)
                }
                return { _, system in chains[system.vendor] ?? false }
            }
            let lowered = value.lowercased()
            return { _, system in system.vendor.lowercased() == lowered }
        case .product:
            let lowered = value.lowercased()
            return { _, system in system.product.lowercased() == lowered }
        case .function:
            guard context.ruleSet.reference.functions.contains(value) || systems.values.joined().contains(where: { $0.function == value }) else {
                log.error("value", at: item.location, "'\(value)' is no function of the taxonomy\(context.ruleSet.reference.functionSuggestion(for: value)); see rules/functions.yaml")
                return nil
            }
            return { _, system in system.function == value }
        case .criticality: return { _, system in system.criticality.rawValue == value }
        case .deployment: return { _, system in system.deployment.rawValue == value }
        }
    }

    /// A suggestion for a value no system has: the nearest value the systems have.
    private func hint(_ criterion: Plan.Selection.Criterion, _ value: String, context: Context) -> String {
        let present: Set<String>
        switch criterion {
        case .id: present = Set(systems.values.joined().map(\.id))
        case .vendor: present = Set(systems.values.joined().map(\.vendor)).union(context.ruleSet.vendors.knownNames)
        case .product: present = Set(systems.values.joined().map(\.product))
        case .function: present = Set(systems.values.joined().map(\.function))
        case .under, .criticality, .deployment: return ""
        }
        return Suggestion.didYouMean(value, in: present)
    }

    /// An organisation and every organisation below it.
    private func subtree(of root: String) -> Set<String> {
        let children = Dictionary(grouping: organisations.filter { $0.parent != nil }, by: { $0.parent! })
        var found: Set<String> = [root], queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where found.insert(child.id).inserted { queue.append(child.id) }
        }
        return found
    }

    /// The checks of a scan on the systems the plan sets or adds, as if its
    /// file were the plan: what they say of a value the plan writes is a
    /// warning at that value, once; what they say of the rest is the
    /// inventory's own and was said when it was scanned.
    private func checkWritten(plan: Plan, pipeline: ScanPipeline, log: inout DiagnosticLog) {
        var items = organisations.map { organisation in
            var declared = organisation
            declared.hasInventory = false
            return InventoryItem.organisation(declared)
        }
        for organisation in organisations {
            let mine = (systems[organisation.id] ?? []).filter { written.contains("\(organisation.id)/\($0.id)") }
            guard !mine.isEmpty else { continue }
            var inPlan = organisation
            inPlan.file = plan.file
            items += mine.map { InventoryItem.system($0, organisationID: organisation.id) } + [.organisation(inPlan)]
        }
        var reported: Set<Diagnostic> = []
        for diagnostic in pipeline.check(items) where diagnostic.location != Self.unwritten && reported.insert(diagnostic).inserted {
            log.warning(diagnostic.code, at: diagnostic.location, diagnostic.message)
        }
    }

    /// Every `depends_on` still names a system of its organisation: a step
    /// that retires a system others depend on, or sets a `depends_on` to a
    /// system there is not, is an error at that step.
    private func checkDependencies(context: Context, log: inout DiagnosticLog) {
        for (organisation, members) in systems.sorted(by: { $0.key < $1.key }) {
            let ids = Set(members.map(\.id))
            for system in members {
                let key = "\(organisation)/\(system.id)"
                if system.dependsOn.contains(system.id), let step = context.writtenBy[key] {
                    log.error("depends-on", at: step, "'\(key)' would depend on itself (depends_on)")
                }
                for target in system.dependsOn where !ids.contains(target) {
                    if let retiring = context.retiredBy["\(organisation)/\(target)"] {
                        log.error("depends-on", at: retiring, "this step retires '\(organisation)/\(target)', on which '\(key)' depends (depends_on); retire '\(system.id)' too, or set its depends_on")
                    } else {
                        log.error("depends-on", at: context.writtenBy[key] ?? Self.unwritten,
                                  "'\(key)' would depend on '\(target)', which is no system of '\(organisation)'\(Suggestion.didYouMean(target, in: ids))")
                    }
                }
            }
        }
    }
}
