import Store

/// The as-of join that `history` and `diff` share: which snapshot of each
/// organisation makes up the state on a date.
///
/// A snapshot is an organisation whose inventory a scan read (one only
/// declared in a list of organisations is none), dated by the inventory's
/// `as_of` or, when it gives none, by the scan's as-of date. The state on a
/// date is, for each organisation, its latest snapshot dated on or before
/// the date; of two on the same date, the later scan's. The state of a scan
/// is the state on its as-of date as the scans up to it (by id) tell it, so
/// that a later scan never changes what an earlier one's state was.
public struct AsOfJoin: Sendable {
    /// One organisation's inventory as one scan read it.
    public struct Snapshot: Sendable {
        public var scan: Int64
        public var asOf: String
    }

    /// One scan's organisations as it stored them (inventories and declarations).
    public struct Scan: Sendable {
        public var id: Int64
        public var asOf: String
        public var organisations: [SnapshotContents.Organisation]
    }

    /// The scans joined, oldest first.
    public let scans: [Scan]
    /// Each organisation's snapshots, oldest scan first.
    private let snapshots: [String: [Snapshot]]

    /// The join over every scan of `store`, or over those up to `last`.
    public init(_ store: any SnapshotStore, through last: Int64? = nil) throws {
        let summaries = try store.scans().filter { $0.id <= last ?? .max }
        let scans = try summaries.map { Scan(id: $0.id, asOf: $0.asOf, organisations: try store.organisations(scanID: $0.id)) }
        var snapshots: [String: [Snapshot]] = [:]
        for scan in scans {
            for organisation in scan.organisations where organisation.hasInventory {
                snapshots[organisation.id, default: []].append(Snapshot(scan: scan.id, asOf: organisation.asOf ?? scan.asOf))
            }
        }
        self.scans = scans
        self.snapshots = snapshots
    }

    /// The organisations with a snapshot.
    public var organisations: Dictionary<String, [Snapshot]>.Keys { snapshots.keys }

    /// Every date a snapshot has, in order.
    public var dates: [String] {
        Set(snapshots.values.flatMap { $0.map(\.asOf) }).sorted()
    }

    /// Each organisation's latest snapshot on or before `date` (of two on
    /// that date, the later scan's), from the scans up to `last` when given.
    public func state(on date: String, through last: Int64? = nil) -> [String: Snapshot] {
        var state: [String: Snapshot] = [:]
        for (id, list) in snapshots {
            let candidates = list.filter { $0.asOf <= date && $0.scan <= last ?? .max }
            if let latest = candidates.max(by: { ($0.asOf, $0.scan) < ($1.asOf, $1.scan) }) { state[id] = latest }
        }
        return state
    }

    /// The state of scan `id`: the state on its as-of date, from the scans up to it.
    public func state(ofScan id: Int64) throws -> [String: Snapshot] {
        guard let scan = scans.first(where: { $0.id == id }) else { throw StoreError.noScan(id) }
        return state(on: scan.asOf, through: id)
    }
}
