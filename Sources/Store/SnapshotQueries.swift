import Domain
import Foundation

/// One snapshot as `sovscan scans` lists it.
public struct ScanSummary: Sendable, Codable, Equatable {
    public struct Input: Sendable, Codable, Equatable {
        public var path: String
        public var sha256: String
    }

    public var id: Int64
    public var startedAt: String
    public var asOf: String
    public var organisations: Int
    public var systems: Int
    public var rulesetVersion: String
    public var inputs: [Input]

    enum CodingKeys: String, CodingKey {
        case id
        case startedAt = "started_at"
        case asOf = "as_of"
        case organisations, systems
        case rulesetVersion = "ruleset_version"
        case inputs
    }
}

extension SQLStore {
    /// Every snapshot, oldest first.
    public func scans() throws -> [ScanSummary] {
        try reading { db in
            let inputs = try db.rows("SELECT scan_id, path, sha256 FROM scan_input ORDER BY scan_id, position")
            var byScan: [Int64: [ScanSummary.Input]] = [:]
            for row in inputs {
                byScan[row["scan_id"], default: []].append(ScanSummary.Input(path: row["path"], sha256: row["sha256"]))
            }
            return try db.rows("SELECT id, started_at, as_of, organisations, systems, ruleset_version FROM scan ORDER BY id")
                .map { row in
                    ScanSummary(id: row["id"], startedAt: row["started_at"], asOf: row["as_of"], organisations: row["organisations"],
                                systems: row["systems"], rulesetVersion: row["ruleset_version"], inputs: byScan[row["id"]] ?? [])
                }
        }
    }
}

extension SQLStore {
    /// Per dimension, how many systems of a scan fall in each band, added
    /// up from the organisations' totals kept at scan time.
    public func bandCounts(scanID: Int64) throws -> [Domain.Dimension: [Band: Int]] {
        try reading { db in
            var counts: [Domain.Dimension: [Band: Int]] = [:]
            for dimension in [Domain.Dimension.lockIn, .jurisdiction] {
                // As a whole number on both engines (PostgreSQL sums bigints as numeric).
                let sums = Band.allCases.map { "CAST(coalesce(sum(\(dimension.rawValue)_\($0.rawValue)), 0) AS BIGINT)" }.joined(separator: ", ")
                let row = try db.row("SELECT \(sums) FROM organisation_score WHERE scan_id = ?", [scanID])!
                counts[dimension] = Dictionary(uniqueKeysWithValues: Band.allCases.enumerated().map { ($1, row[$0] as Int) })
            }
            return counts
        }
    }
}

extension SQLStore {
    /// The vendors of every scan's systems, as stored: a catalogue vendor's
    /// ultimate parent's id, an organisation's id, or the name as written.
    public func vendors() throws -> [(id: String, name: String)] {
        try reading { db in
            try db.rows("SELECT DISTINCT vendor, vendor_name FROM vendor_exposure ORDER BY vendor").map { ($0[0], $0[1]) }
        }
    }
}
