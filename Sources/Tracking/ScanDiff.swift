import Domain
import Foundation
import Inventory
import Scoring
import Store

/// What changed between two snapshots, and why: systems added, removed and
/// changed (which fields), and for every score that moved, how much of the
/// move comes from the inventory and how much from the rule set. The rules'
/// share is found by scoring the earlier inventory again with the later rules.
public struct ScanDiff: Sendable, Encodable {
    public struct Side: Sendable, Encodable {
        public var scan: Int64
        public var asOf: String
        public var rulesetHash: String

        enum CodingKeys: String, CodingKey {
            case scan
            case asOf = "as_of"
            case rulesetHash = "ruleset_hash"
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
    public var systems: Systems
    public var changes: [Change]

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
    /// Compares two snapshots. `model` must be the rule set the later scan
    /// was scored with (same content hash), unless both scans used the same.
    public static func diff(from old: SnapshotInventory, to new: SnapshotInventory, model: ScoringModel) throws -> ScanDiff {
        let sameRules = old.rulesetHash == new.rulesetHash && old.profile == new.profile
        if !sameRules, model.ruleSet.contentHash != new.rulesetHash || model.profile != new.profile {
            throw DiffError(description: "scan \(new.scanID) was scored with rule set \(new.rulesetHash.prefix(12))…\(new.profile.map { " (profile \($0))" } ?? "") and scan \(old.scanID) with another; to tell the rules' share of the change, give that rule set with --rules DIR (the rules now loaded are \(model.ruleSet.contentHash.prefix(12))…)")
        }
        let key = { (entry: SnapshotInventory.Entry) in "\(entry.organisation)/\(entry.system.id)" }
        let before = Dictionary(uniqueKeysWithValues: old.entries.map { (key($0), $0) })
        let after = Dictionary(uniqueKeysWithValues: new.entries.map { (key($0), $0) })

        // The earlier inventory under the later rules.
        var rescored: [String: (lockIn: Int, jurisdiction: Int)] = [:]
        if !sameRules {
            let scorer = OrganisationScorer(model: model, organisations: old.organisations)
            let organisations = Dictionary(uniqueKeysWithValues: old.organisations.map { ($0.id, $0) })
            let byOrganisation = Dictionary(grouping: old.entries, by: \.organisation)
            let fallback = Day(iso: old.asOf) ?? Day(year: 2000, month: 1, day: 1)!
            for (id, entries) in byOrganisation {
                guard let organisation = organisations[id] else { continue }
                let assessments = scorer.assess(entries.map(\.system), of: organisation, asOf: organisation.asOf ?? fallback)
                for (entry, assessment) in zip(entries, assessments) {
                    rescored[key(entry)] = (assessment.scores[.lockIn]!.score, assessment.scores[.jurisdiction]!.score)
                }
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
                let middle: Int? = was == nil ? nil : (sameRules ? beforeScore : rescored[id].map { dimension == "lock_in" ? $0.lockIn : $0.jurisdiction })
                let rulesDelta = (middle ?? 0) - (beforeScore ?? 0)
                let inventoryDelta = (afterScore ?? 0) - (middle ?? 0)
                changes.append(.init(system: id, dimension: dimension, before: beforeScore, after: afterScore, beforeBand: band(was),
                                     afterBand: band(now), inventoryDelta: inventoryDelta, rulesDelta: rulesDelta,
                                     findingsAdded: added, findingsRemoved: removed))
            }
        }
        return ScanDiff(from: .init(scan: old.scanID, asOf: old.asOf, rulesetHash: old.rulesetHash),
                        to: .init(scan: new.scanID, asOf: new.asOf, rulesetHash: new.rulesetHash),
                        systems: systems, changes: changes)
    }
}
