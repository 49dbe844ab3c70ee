import Domain
import Foundation
import Inventory
import Reporting
import Scanning
import Scoring
import Store
import Tracking

/// "What would this migration change?": a plan applied to a snapshot and
/// scored under one rule set on both sides, the snapshot as it is and as
/// the plan would leave it. Per system and per ministry it says what the
/// scores, the vendor concentration, the countries of control and the exit
/// windows do. Nothing is stored.
public struct PlanScenario: Sendable, Encodable {
    /// A country of control's share of a group's systems, before and after.
    public struct CountryShare: Sendable, Encodable {
        /// ISO 3166-1 alpha-2; nil for vendors whose country is unknown.
        public var country: String?
        public var name: String
        public var systemsBefore: Int
        public var systemsAfter: Int
        /// Of the group's systems, 0-1.
        public var shareBefore: Double
        public var shareAfter: Double

        enum CodingKeys: String, CodingKey {
            case country, name
            case systemsBefore = "systems_before"
            case systemsAfter = "systems_after"
            case shareBefore = "share_before"
            case shareAfter = "share_after"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(country, forKey: .country)
            try container.encode(name, forKey: .name)
            try container.encode(systemsBefore, forKey: .systemsBefore)
            try container.encode(systemsAfter, forKey: .systemsAfter)
            try container.encode(shareBefore, forKey: .shareBefore)
            try container.encode(shareAfter, forKey: .shareAfter)
        }
    }

    /// A ministry (or the whole snapshot) before and after.
    public struct Group: Sendable, Encodable {
        public var id: String
        public var name: String
        public var systemsBefore: Int
        public var systemsAfter: Int
        /// Criticality-weighted mean scores, as the reports give them; nil
        /// on a side where the group has no system.
        public var lockInBefore: Double?
        public var lockInAfter: Double?
        public var jurisdictionBefore: Double?
        public var jurisdictionAfter: Double?
        /// Vendor concentration (HHI, 0-10000); nil for the whole snapshot,
        /// whose vendors the reports do not add up across ministries, and
        /// on a side where the group has no system.
        public var hhiBefore: Double?
        public var hhiAfter: Double?
        /// The ultimate parent with the largest weighted share, as "Name (CC)".
        public var topVendorBefore: String?
        public var topVendorAfter: String?
        /// Every country of control of either side, largest share after first.
        public var countries: [CountryShare]
        /// Exit windows (within the months given) the plan opens, and those it closes.
        public var exitWindowsOpened: [Report.ExitWindow]
        public var exitWindowsClosed: [Report.ExitWindow]

        enum CodingKeys: String, CodingKey {
            case id, name
            case systemsBefore = "systems_before"
            case systemsAfter = "systems_after"
            case lockInBefore = "lock_in_before"
            case lockInAfter = "lock_in_after"
            case jurisdictionBefore = "jurisdiction_before"
            case jurisdictionAfter = "jurisdiction_after"
            case hhiBefore = "hhi_before"
            case hhiAfter = "hhi_after"
            case topVendorBefore = "top_vendor_before"
            case topVendorAfter = "top_vendor_after"
            case countries
            case exitWindowsOpened = "exit_windows_opened"
            case exitWindowsClosed = "exit_windows_closed"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(systemsBefore, forKey: .systemsBefore)
            try container.encode(systemsAfter, forKey: .systemsAfter)
            try container.encode(lockInBefore, forKey: .lockInBefore)
            try container.encode(lockInAfter, forKey: .lockInAfter)
            try container.encode(jurisdictionBefore, forKey: .jurisdictionBefore)
            try container.encode(jurisdictionAfter, forKey: .jurisdictionAfter)
            try container.encode(hhiBefore, forKey: .hhiBefore)
            try container.encode(hhiAfter, forKey: .hhiAfter)
            try container.encode(topVendorBefore, forKey: .topVendorBefore)
            try container.encode(topVendorAfter, forKey: .topVendorAfter)
            try container.encode(countries, forKey: .countries)
            try container.encode(exitWindowsOpened, forKey: .exitWindowsOpened)
            try container.encode(exitWindowsClosed, forKey: .exitWindowsClosed)
        }
    }

    /// A system the plan changes, adds or retires, or whose score moves.
    public struct SystemChange: Sendable, Encodable {
        /// `organisation/system`.
        public var system: String
        public var ministry: String
        public enum Change: String, Sendable, Encodable {
            /// The plan sets fields to other values.
            case changed
            case added, retired
            /// Its fields stay; its score or the rules that fire move with a
            /// system it is scored with.
            case rescored
        }

        public var change: Change
        /// The fields whose values the plan changes.
        public var fields: [String]
        public var lockInBefore: Int?
        public var lockInAfter: Int?
        public var lockInBandBefore: Band?
        public var lockInBandAfter: Band?
        public var jurisdictionBefore: Int?
        public var jurisdictionAfter: Int?
        public var jurisdictionBandBefore: Band?
        public var jurisdictionBandAfter: Band?
        /// Rules that fire after and not before, and the reverse (both dimensions).
        public var findingsAdded: [String]
        public var findingsRemoved: [String]
        public var contractEndsBefore: String?
        public var contractEndsAfter: String?
        /// The last day to give notice: the contract's end less its notice period.
        public var actByBefore: String?
        public var actByAfter: String?

        enum CodingKeys: String, CodingKey {
            case system, ministry, change, fields
            case lockInBefore = "lock_in_before"
            case lockInAfter = "lock_in_after"
            case lockInBandBefore = "lock_in_band_before"
            case lockInBandAfter = "lock_in_band_after"
            case jurisdictionBefore = "jurisdiction_before"
            case jurisdictionAfter = "jurisdiction_after"
            case jurisdictionBandBefore = "jurisdiction_band_before"
            case jurisdictionBandAfter = "jurisdiction_band_after"
            case findingsAdded = "findings_added"
            case findingsRemoved = "findings_removed"
            case contractEndsBefore = "contract_ends_before"
            case contractEndsAfter = "contract_ends_after"
            case actByBefore = "act_by_before"
            case actByAfter = "act_by_after"
        }

        /// Absent answers are `null`, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(system, forKey: .system)
            try container.encode(ministry, forKey: .ministry)
            try container.encode(change, forKey: .change)
            try container.encode(fields, forKey: .fields)
            try container.encode(lockInBefore, forKey: .lockInBefore)
            try container.encode(lockInAfter, forKey: .lockInAfter)
            try container.encode(lockInBandBefore, forKey: .lockInBandBefore)
            try container.encode(lockInBandAfter, forKey: .lockInBandAfter)
            try container.encode(jurisdictionBefore, forKey: .jurisdictionBefore)
            try container.encode(jurisdictionAfter, forKey: .jurisdictionAfter)
            try container.encode(jurisdictionBandBefore, forKey: .jurisdictionBandBefore)
            try container.encode(jurisdictionBandAfter, forKey: .jurisdictionBandAfter)
            try container.encode(findingsAdded, forKey: .findingsAdded)
            try container.encode(findingsRemoved, forKey: .findingsRemoved)
            try container.encode(contractEndsBefore, forKey: .contractEndsBefore)
            try container.encode(contractEndsAfter, forKey: .contractEndsAfter)
            try container.encode(actByBefore, forKey: .actByBefore)
            try container.encode(actByAfter, forKey: .actByAfter)
        }
    }

    /// The plan's title and file.
    public var plan: String
    public var file: String
    public var scan: Int64
    public var asOf: String
    /// The rule set both sides are scored with.
    public var rulesetHash: String
    /// The rule set the snapshot was scored with; when it differs, the
    /// snapshot's own figures are scored again, so that the plan's effect is
    /// all that differs.
    public var snapshotRulesetHash: String
    public var profile: String?
    public var withinMonths: Int
    public var steps: [PlanApplication.Outcome]
    public var totals: Group
    /// The ministries with a system in `systems`, by id.
    public var ministries: [Group]
    /// By ministry, then system.
    public var systems: [SystemChange]

    enum CodingKeys: String, CodingKey {
        case plan, file, scan
        case asOf = "as_of"
        case rulesetHash = "ruleset_hash"
        case snapshotRulesetHash = "snapshot_ruleset_hash"
        case profile
        case withinMonths = "within_months"
        case steps, totals, ministries, systems
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(file, forKey: .file)
        try container.encode(scan, forKey: .scan)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(rulesetHash, forKey: .rulesetHash)
        try container.encode(snapshotRulesetHash, forKey: .snapshotRulesetHash)
        try container.encode(profile, forKey: .profile)
        try container.encode(withinMonths, forKey: .withinMonths)
        try container.encode(steps, forKey: .steps)
        try container.encode(totals, forKey: .totals)
        try container.encode(ministries, forKey: .ministries)
        try container.encode(systems, forKey: .systems)
    }
}

/// Works a plan out: the snapshot's inventory and the inventory the plan
/// leaves are scanned into a database held in memory, under the rules
/// given, and compared with the machinery of reports and `diff`.
public enum PlanBuilder {
    public static func build(_ plan: Plan, application: PlanApplication, snapshot: SnapshotInventory, model: ScoringModel,
                             profile: String?, withinMonths: Int, toolVersion: String) throws -> PlanScenario {
        let scratch = try SnapshotDatabase(inMemoryNamed: "the plan's scratch database")
        // As the snapshot was scored: an inventory without as_of as of the
        // day of its scan, the snapshot as of its own date.
        let asOf = Day(iso: snapshot.asOf) ?? snapshot.scanDay
        let pipeline = ScanPipeline(model: model, scanDate: snapshot.scanDay)
        func record(_ items: [InventoryItem]) throws -> Int64 {
            let recorded = try pipeline.scan(items: items, into: scratch, toolVersion: toolVersion, profile: profile, asOf: asOf)
            guard let scanID = recorded.scanID else {
                let problems = recorded.reading.diagnostics.filter { $0.severity == .error }.map(\.message)
                throw ReportError(description: "the inventory the plan leaves cannot be scored: \(problems.joined(separator: "; "))")
            }
            return scanID
        }
        let comparison = try PlanComparison(scratch: scratch, before: try record(PlanApplication(snapshot).items),
                                            after: try record(application.items), asOf: asOf, withinMonths: withinMonths)
        let systems = try comparison.systemChanges()
        return PlanScenario(plan: plan.title, file: plan.file, scan: snapshot.scanID, asOf: snapshot.asOf, rulesetHash: model.ruleSet.contentHash,
                            snapshotRulesetHash: snapshot.rulesetHash, profile: profile, withinMonths: withinMonths, steps: application.outcomes,
                            totals: try comparison.totals(),
                            ministries: try Set(systems.map(\.ministry)).sorted().map(comparison.ministry), systems: systems)
    }
}

/// The two scans of a plan in the scratch database, compared.
private struct PlanComparison {
    let scratch: SnapshotDatabase
    let before: Int64, after: Int64
    let withinMonths: Int
    let tree: OrganisationTree
    /// Per side, the totals kept at scan time and every exit window up to the horizon.
    let sides: [Int64: (totals: SnapshotTotals, exits: ExitWindowTally)]
    /// Per side, the ministry report (with every exit window).
    private(set) var ministryReports: [Int64: Report] = [:]

    init(scratch: SnapshotDatabase, before: Int64, after: Int64, asOf: Day, withinMonths: Int) throws {
        self.scratch = scratch
        self.before = before
        self.after = after
        self.withinMonths = withinMonths
        tree = try OrganisationTree(scratch.organisations(scanID: after), scanID: after, under: nil)
        sides = try Dictionary(uniqueKeysWithValues: [before, after].map { scan in
            (scan, (totals: try scratch.totals(scanID: scan),
                    exits: try scratch.exitWindows(scanID: scan, asOf: asOf, horizon: asOf.adding(months: withinMonths), first: nil)))
        })
        ministryReports = try Dictionary(uniqueKeysWithValues: [before, after].map { ($0, try report($0, .ministry, under: nil)) })
    }

    /// A report of one side, from the totals read once.
    func report(_ scan: Int64, _ level: ReportLevel, under: String?) throws -> Report {
        let side = sides[scan]!
        return try ReportBuilder(level: level, under: under, withinMonths: withinMonths, exitWindowLimit: nil)
            // The exit windows are the ministries'; the country views need none.
            .build(side.totals, exits: { _, _, _ in level == .country ? ExitWindowTally() : side.exits },
                   systems: { try scratch.systems(scanID: scan, records: $0) })
    }

    /// The systems that differ, compared as `diff` compares two states: by
    /// record (the fields that differ), scores and the rules that fire. Only
    /// those whose record or assessment one side lacks are read.
    func systemChanges() throws -> [PlanScenario.SystemChange] {
        let entries = { (scan: Int64, other: Int64) in
            try Dictionary(scratch.inventory(scanID: scan, differingFrom: other).entries.map { ("\($0.organisation)/\($0.system.id)", $0) }) { first, _ in first }
        }
        let was = try entries(before, after), now = try entries(after, before)
        var systems: [PlanScenario.SystemChange] = []
        for key in Set(was.keys).union(now.keys) {
            let old = was[key], new = now[key]
            let findingsBefore = Set(old?.rules ?? []), findingsAfter = Set(new?.rules ?? [])
            let change: PlanScenario.SystemChange.Change, fields: [String]
            switch (old, new) {
            case (nil, _): (change, fields) = (.added, [])
            case (_, nil): (change, fields) = (.retired, [])
            case (let old?, let new?) where old.recordHash != new.recordHash: (change, fields) = (.changed, new.system.changedFields(from: old.system))
            case (let old?, let new?) where old.lockIn != new.lockIn || old.jurisdiction != new.jurisdiction || findingsBefore != findingsAfter:
                (change, fields) = (.rescored, [])
            default: continue
            }
            let actBy = { (contract: Contract?) in contract?.ends.map { $0.adding(months: -(contract?.noticeMonths ?? 0)).description } }
            systems.append(.init(
                system: key, ministry: tree.group(of: String(key.prefix { $0 != "/" }), level: .ministry).id, change: change, fields: fields,
                lockInBefore: old?.lockIn, lockInAfter: new?.lockIn, lockInBandBefore: old?.lockInBand, lockInBandAfter: new?.lockInBand,
                jurisdictionBefore: old?.jurisdiction, jurisdictionAfter: new?.jurisdiction,
                jurisdictionBandBefore: old?.jurisdictionBand, jurisdictionBandAfter: new?.jurisdictionBand,
                findingsAdded: findingsAfter.subtracting(findingsBefore).sorted(), findingsRemoved: findingsBefore.subtracting(findingsAfter).sorted(),
                contractEndsBefore: old?.system.contract?.ends?.description, contractEndsAfter: new?.system.contract?.ends?.description,
                actByBefore: actBy(old?.system.contract), actByAfter: actBy(new?.system.contract)))
        }
        return systems.sorted { ($0.ministry, $0.system) < ($1.ministry, $1.system) }
    }

    /// A ministry on both sides.
    func ministry(_ id: String) throws -> PlanScenario.Group {
        let old = ministryReports[before]!.groups?.first { $0.id == id }, new = ministryReports[after]!.groups?.first { $0.id == id }
        let top = { (group: Report.Group?) in group?.vendors.first.map { "\($0.name)\($0.country.map { " (\($0))" } ?? "")" } }
        let exits = windows(old?.exitWindows ?? [], new?.exitWindows ?? [])
        return .init(id: id, name: tree.name(of: id), systemsBefore: old?.systems ?? 0, systemsAfter: new?.systems ?? 0,
                     lockInBefore: old?.lockIn.score, lockInAfter: new?.lockIn.score,
                     jurisdictionBefore: old?.jurisdiction.score, jurisdictionAfter: new?.jurisdiction.score,
                     hhiBefore: old?.hhi, hhiAfter: new?.hhi, topVendorBefore: top(old), topVendorAfter: top(new),
                     countries: try countries(under: id), exitWindowsOpened: exits.opened, exitWindowsClosed: exits.closed)
    }

    /// Every organisation on both sides.
    func totals() throws -> PlanScenario.Group {
        let old = ministryReports[before]!, new = ministryReports[after]!
        let exits = windows(old.exitWindows, new.exitWindows)
        let score = { (totals: Report.Totals, dimension: KeyPath<Report.Totals, Report.DimensionSummary>) in
            totals.systems == 0 ? nil : totals[keyPath: dimension].score
        }
        return .init(id: "all", name: "all organisations", systemsBefore: old.totals.systems, systemsAfter: new.totals.systems,
                     lockInBefore: score(old.totals, \.lockIn), lockInAfter: score(new.totals, \.lockIn),
                     jurisdictionBefore: score(old.totals, \.jurisdiction), jurisdictionAfter: score(new.totals, \.jurisdiction),
                     hhiBefore: nil, hhiAfter: nil, topVendorBefore: nil, topVendorAfter: nil,
                     countries: try countries(under: nil), exitWindowsOpened: exits.opened, exitWindowsClosed: exits.closed)
    }

    /// The countries of control of either side under `under` (all when nil),
    /// largest share after first.
    func countries(under: String?) throws -> [PlanScenario.CountryShare] {
        var shares: [String: PlanScenario.CountryShare] = [:]
        for country in try report(before, .country, under: under).countries ?? [] {
            shares[country.country ?? ""] = .init(country: country.country, name: country.name, systemsBefore: country.systems, systemsAfter: 0,
                                                  shareBefore: country.shareOfSystems, shareAfter: 0)
        }
        for country in try report(after, .country, under: under).countries ?? [] {
            shares[country.country ?? "", default: .init(country: country.country, name: country.name, systemsBefore: 0, systemsAfter: 0,
                                                         shareBefore: 0, shareAfter: 0)].systemsAfter = country.systems
            shares[country.country ?? ""]!.shareAfter = country.shareOfSystems
        }
        return shares.values.sorted { ($1.shareAfter, $1.shareBefore, $0.name) < ($0.shareAfter, $0.shareBefore, $1.name) }
    }

    /// The exit windows on one side only: opened by the plan, and closed by it.
    func windows(_ old: [Report.ExitWindow], _ new: [Report.ExitWindow]) -> (opened: [Report.ExitWindow], closed: [Report.ExitWindow]) {
        let key = { (window: Report.ExitWindow) in "\(window.organisation)/\(window.system) \(window.actBy) \(window.status.rawValue)" }
        let oldKeys = Set(old.map(key)), newKeys = Set(new.map(key))
        return (new.filter { !oldKeys.contains(key($0)) }, old.filter { !newKeys.contains(key($0)) })
    }
}
