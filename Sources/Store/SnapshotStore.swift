import Domain
import Inventory

/// A store of dated snapshots: everything the stages after scoring ask of
/// one. `SnapshotDatabase` (SQLite, one file) is the store there is; a
/// second backend (a PostgreSQL server shared by many agencies) implements
/// the same requirements, keeps the same migrations and returns the same
/// values, so that every report, history, diff and explanation reads alike
/// from either. Nothing outside a store writes SQL.
public protocol SnapshotStore: Sendable {
    /// Where the store is, as the user named it (for messages).
    var path: String { get }

    // MARK: Writing

    /// Records one scan in one transaction: `read` reads and scores the
    /// inventories on a thread of its own and hands every item over. When
    /// the input has errors, `interrupted` turns true, or anything fails,
    /// nothing is stored.
    func record(context: ScanContext, interrupted: () -> Bool,
                read: @escaping @Sendable (_ yield: (ScanItem) -> Void) -> ScanReading) throws -> RecordedScan

    // MARK: Snapshots

    /// Every snapshot, oldest first, with its inputs.
    func scans() throws -> [ScanSummary]
    /// The ids of every snapshot, oldest first.
    func scanIDs() throws -> [Int64]
    func latestScanID() throws -> Int64?
    /// The vendors of every snapshot's systems, as stored (id and name).
    func vendors() throws -> [(id: String, name: String)]
    /// Per dimension, how many systems of a snapshot fall in each band.
    func bandCounts(scanID: Int64) throws -> [Domain.Dimension: [Band: Int]]

    // MARK: Reports and history

    /// The totals kept at scan time for `scanID` (the latest when nil).
    func totals(scanID: Int64?) throws -> SnapshotTotals
    /// A snapshot's exit windows on `asOf` up to `horizon`: the counts of
    /// each organisation, and the contracts a report may list, at least the
    /// `first` of each organisation (all when nil).
    func exitWindows(scanID: Int64, asOf: Day, horizon: Day, first: Int?) throws -> ExitWindowTally
    /// The systems of the given records, as reports list them.
    func systems(scanID: Int64, records: [Int64]) throws -> [SnapshotContents.System]
    func organisations(scanID: Int64) throws -> [SnapshotContents.Organisation]
    /// A snapshot's organisations and systems with their findings, whole.
    func contents(scanID: Int64?) throws -> SnapshotContents
    /// The systems of a snapshot in `order`, of `organisations` only when
    /// given, at most `limit`, one at a time with their heaviest counted
    /// finding (the most points, then the first rule by id; nil when no
    /// finding counts).
    func listSystems(scanID: Int64, organisations: [String]?, order: SystemOrder, limit: Int?,
                     _ visit: (SnapshotContents.System, SnapshotContents.Finding?) throws -> Void) throws

    // MARK: Explain and diff

    func explain(organisation: String, system: String, scanID: Int64) throws -> Explanation
    /// A snapshot's inventory as typed records, of `only` those organisations when given.
    func inventory(scanID: Int64, only: Set<String>?) throws -> SnapshotInventory
    /// The organisations with a system not in both snapshots with the same record and assessment.
    func organisationsWithChanges(from earlier: Int64, to later: Int64) throws -> Set<String>
}

extension SnapshotStore {
    /// A snapshot's whole inventory as typed records.
    public func inventory(scanID: Int64) throws -> SnapshotInventory {
        try inventory(scanID: scanID, only: nil)
    }
}

/// A store whose snapshots are in an SQL database: every read of
/// `SnapshotStore` is answered by the same queries (in SnapshotContents,
/// SnapshotTotals, SnapshotInventory, SnapshotQueries and Explanation),
/// whichever engine runs them.
public protocol SQLStore: SnapshotStore {
    /// Runs `body` in a read-only transaction that sees one state of the
    /// database; what fails is said in words for the user.
    func reading<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}

extension SnapshotDatabase: SQLStore {}
