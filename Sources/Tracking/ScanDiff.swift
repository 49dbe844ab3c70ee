import Domain
import Foundation
import Inventory
import Scoring
import Store

/// What changed between the states of two scans, and why: systems added,
/// removed and changed (which fields), and for every score that moved, how
/// much of the move comes from the inventory and how much from the rule set.
/// Each side is the state of its scan (`AsOfJoin`): every organisation's
/// latest snapshot on or before the scan, so that an organisation the later
/// scan did not read is not re-scanned rather than removed. The rules' share
/// is found by scoring the earlier inventory again with the later rules.
public struct ScanDiff: Sendable, Encodable {
    /// One organisation of a side's state, and the snapshot its state comes from.
    public struct Coverage: Sendable, Encodable {
        public var organisation: String
        public var scan: Int64
        public var asOf: String

        enum CodingKeys: String, CodingKey {
            case organisation, scan
            case asOf = "as_of"
        }
    }

    public struct Side: Sendable, Encodable {
        public var scan: Int64
        public var asOf: String
        public var rulesetHash: String
        /// The organisations of the scan's state, by id.
        public var organisations: [Coverage]

        enum CodingKeys: String, CodingKey {
            case scan
            case asOf = "as_of"
            case rulesetHash = "ruleset_hash"
            case organisations
        }
    }

    public struct ChangedSystem: Sendable, Encodable {
        public var system: String
        public var fields: [String]
    }

    public struct Systems: Sendable, Encodable {
        public var added: [String]
        public var removed: [String]
        public var changed: [ChangedSystem]
    }

    public struct Change: Sendable, Encodable {
        public var system: String
        public var dimension: String
        public var before: Int?
        public var after: Int?
        public var beforeBand: Band?
        public var afterBand: Band?
        public var inventoryDelta: Int
        public var rulesDelta: Int
        public var findingsAdded: [String]
        public var findingsRemoved: [String]

        enum CodingKeys: String, CodingKey {
            case system, dimension, before, after
            case beforeBand = "before_band"
            case afterBand = "after_band"
            case inventoryDelta = "inventory_delta"
            case rulesDelta = "rules_delta"
            case findingsAdded = "findings_added"
            case findingsRemoved = "findings_removed"
        }
    }

    public var from: Side
    public var to: Side
    /// The organisations of the later state that the later scan did not
    /// read: their state stands as of an earlier snapshot.
    public var notRescanned: [Coverage]
    public var systems: Systems
    public var changes: [Change]

    enum CodingKeys: String, CodingKey {
        case from, to
        case notRescanned = "not_rescanned"
        case systems, changes
    }

    /// Changes that put a system into the high or critical band (new systems included).
    public var newHigh: [Change] {
        changes.filter { change in
            guard let after = change.afterBand, after.isHigh else { return false }
            guard let before = change.beforeBand else { return true }
            return after > before
        }
    }

    /// Changes where a score went up (a new system counts from 0).
    public var increases: [Change] {
        changes.filter { ($0.after ?? 0) > ($0.before ?? 0) }
    }
}

/// Why a diff cannot be made.
struct DiffError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

public enum ScanComparison {
    /// The scans an organisation's state comes from on each side of a diff
    /// (nil: the side's state has no snapshot of it).
    struct Sides: Hashable {
        var before: Int64?
        var after: Int64?
    }

    /// Compares the states of scans `earlier` and `later`. `model` loads the
    /// rule set with the profile given (the later scan's); to tell the rules'
    /// share of a change, it must be the rule set the later snapshot was
    /// scored with, unless both snapshots used the same.
    public static func diff(_ store: any SnapshotStore, from earlier: Int64, to later: Int64,
                            model: (_ profile: String?) throws -> ScoringModel) throws -> ScanDiff {
        let join = try AsOfJoin(store, through: max(earlier, later))
        let before = try join.state(ofScan: earlier), after = try join.state(ofScan: later)
        let differing = differingSnapshots(before: before, after: after)
        return try compare(store, from: earlier, to: later, states: (before, after),
                           organisations: try changed(differing, in: store), model: model)
    }

    /// The organisations whose snapshot is not the same in both states.
    static func differingSnapshots(before: [String: AsOfJoin.Snapshot], after: [String: AsOfJoin.Snapshot]) -> [String: Sides] {
        var differing: [String: Sides] = [:]
        for id in Set(before.keys).union(after.keys) where before[id]?.scan != after[id]?.scan {
            differing[id] = Sides(before: before[id]?.scan, after: after[id]?.scan)
        }
        return differing
    }

    /// Of the organisations given, those in one state only, and those with a
    /// system not in both their snapshots with the same record and
    /// assessment: all that a diff has to say is about these, and at a
    /// million systems the rest is most of them.
    static func changed(_ organisations: [String: Sides], in store: any SnapshotStore) throws -> [String: Sides] {
        var changed = organisations.filter { $0.value.before == nil || $0.value.after == nil }
        let inBoth = Dictionary(grouping: organisations.filter { $0.value.before != nil && $0.value.after != nil }, by: \.value)
        for (sides, group) in inBoth {
            let withChanges = try store.organisationsWithChanges(from: sides.before!, to: sides.after!)
            for (id, _) in group where withChanges.contains(id) { changed[id] = sides }
        }
        return changed
    }

    /// The diff of two states, reading the snapshots of `organisations` only.
    static func compare(_ store: any SnapshotStore, from earlier: Int64, to later: Int64,
                        states: (before: [String: AsOfJoin.Snapshot], after: [String: AsOfJoin.Snapshot]),
                        organisations: [String: Sides], model loadModel: (_ profile: String?) throws -> ScoringModel) throws -> ScanDiff {
        // Each scan once, with the organisations whose snapshot it holds on
        // either side; the two scans compared always, for their rule sets.
        var wanted = Dictionary(uniqueKeysWithValues: Set([earlier, later]).map { ($0, Set<String>()) })
        for (id, sides) in organisations {
            for scan in [sides.before, sides.after].compactMap({ $0 }) { wanted[scan, default: []].insert(id) }
        }
        var inventories: [Int64: SnapshotInventory] = [:]
        var entries: [Int64: [String: [SnapshotInventory.Entry]]] = [:]
        for (scan, ids) in wanted {
            let inventory = try store.inventory(scanID: scan, only: ids)
            inventories[scan] = inventory
            entries[scan] = Dictionary(grouping: inventory.entries, by: \.organisation)
        }
        let first = inventories[earlier]!, last = inventories[later]!
        let model = try loadModel(last.profile)

        let key = { (entry: SnapshotInventory.Entry) in "\(entry.organisation)/\(entry.system.id)" }
        var before: [String: SnapshotInventory.Entry] = [:], after: [String: SnapshotInventory.Entry] = [:]
        // The earlier inventory under the later rules: those of the
        // organisation's later snapshot, or of the later scan when the later
        // state has none. Without an entry here, both used the same rules.
        var rescored: [String: (lockIn: Int, jurisdiction: Int)] = [:]
        var scorers: [Int64: (scorer: OrganisationScorer, organisations: [String: Organisation])] = [:]
        for (id, sides) in organisations {
            let old = sides.before.flatMap { entries[$0]?[id] } ?? [], new = sides.after.flatMap { entries[$0]?[id] } ?? []
            for entry in old { before[key(entry)] = entry }
            for entry in new { after[key(entry)] = entry }
            guard let scan = sides.before, let was = inventories[scan], let target = inventories[sides.after ?? later],
                  was.rulesetHash != target.rulesetHash || was.profile != target.profile else { continue }
            guard model.ruleSet.contentHash == target.rulesetHash, model.profile == target.profile else {
                throw DiffError(description: "scan \(target.scanID) was scored with rule set \(target.rulesetHash.prefix(12))…\(target.profile.map { " (profile \($0))" } ?? "") and scan \(was.scanID) with another; to tell the rules' share of the change, give that rule set with --rules DIR (the rules now loaded are \(model.ruleSet.contentHash.prefix(12))…)")
            }
            let scoring = scorers[scan] ?? (OrganisationScorer(model: model, organisations: was.organisations),
                                            Dictionary(was.organisations.map { ($0.id, $0) }) { first, _ in first })
            scorers[scan] = scoring
            guard let organisation = scoring.organisations[id] else { continue }
            let fallback = Day(iso: was.asOf) ?? Day(year: 2000, month: 1, day: 1)!
            let assessments = scoring.scorer.assess(old.map(\.system), of: organisation, asOf: organisation.asOf ?? fallback)
            for (entry, assessment) in zip(old, assessments) {
                rescored[key(entry)] = (assessment.scores[.lockIn]!.score, assessment.scores[.jurisdiction]!.score)
            }
        }

        var systems = ScanDiff.Systems(added: [], removed: [], changed: [])
        var changes: [ScanDiff.Change] = []
        for id in Set(before.keys).union(after.keys).sorted() {
            let was = before[id], now = after[id]
            switch (was, now) {
            case (nil, _?): systems.added.append(id)
            case (_?, nil): systems.removed.append(id)
            case (let was?, let now?) where was.recordHash != now.recordHash:
                // The same fields under another hash: a record stored by an
                // earlier version of sovscan, whose encoding differed.
                let fields = now.system.changedFields(from: was.system)
                if !fields.isEmpty { systems.changed.append(.init(system: id, fields: fields)) }
            default: break
            }
            for dimension in ["lock_in", "jurisdiction"] {
                let score = { (entry: SnapshotInventory.Entry?) in entry.map { dimension == "lock_in" ? $0.lockIn : $0.jurisdiction } }
                let band = { (entry: SnapshotInventory.Entry?) in entry.map { dimension == "lock_in" ? $0.lockInBand : $0.jurisdictionBand } }
                let rulesOf = { (entry: SnapshotInventory.Entry?) in Set((entry?.rules ?? []).filter { $0.hasPrefix(dimension + ".") }) }
                let beforeScore = score(was), afterScore = score(now)
                let added = rulesOf(now).subtracting(rulesOf(was)).sorted(), removed = rulesOf(was).subtracting(rulesOf(now)).sorted()
                guard beforeScore != afterScore || !added.isEmpty || !removed.isEmpty else { continue }
                let middle: Int? = was == nil ? nil : (rescored[id].map { dimension == "lock_in" ? $0.lockIn : $0.jurisdiction } ?? beforeScore)
                let rulesDelta = (middle ?? 0) - (beforeScore ?? 0)
                let inventoryDelta = (afterScore ?? 0) - (middle ?? 0)
                changes.append(.init(system: id, dimension: dimension, before: beforeScore, after: afterScore, beforeBand: band(was),
                                     afterBand: band(now), inventoryDelta: inventoryDelta, rulesDelta: rulesDelta,
                                     findingsAdded: added, findingsRemoved: removed))
            }
        }
        let coverage = { (state: [String: AsOfJoin.Snapshot]) in
            state.sorted { $0.key < $1.key }.map { ScanDiff.Coverage(organisation: $0.key, scan: $0.value.scan, asOf: $0.value.asOf) }
        }
        let covered = coverage(states.after)
        return ScanDiff(from: .init(scan: earlier, asOf: first.asOf, rulesetHash: first.rulesetHash, organisations: coverage(states.before)),
                        to: .init(scan: later, asOf: last.asOf, rulesetHash: last.rulesetHash, organisations: covered),
                        notRescanned: covered.filter { $0.scan != later }, systems: systems, changes: changes)
    }
}
