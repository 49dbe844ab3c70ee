import Foundation
import GRDB

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

extension SnapshotDatabase {
    /// Every snapshot, oldest first.
    public func scans() throws -> [ScanSummary] {
        try reading { db in
            let inputs = try Row.fetchAll(db, sql: "SELECT scan_id, path, sha256 FROM scan_input ORDER BY scan_id, position")
            var byScan: [Int64: [ScanSummary.Input]] = [:]
            for row in inputs {
                byScan[row["scan_id"], default: []].append(ScanSummary.Input(path: row["path"], sha256: row["sha256"]))
            }
            return try Row.fetchAll(db, sql: "SELECT id, started_at, as_of, organisations, systems, ruleset_version FROM scan ORDER BY id")
                .map { row in
                    ScanSummary(id: row["id"], startedAt: row["started_at"], asOf: row["as_of"], organisations: row["organisations"],
                                systems: row["systems"], rulesetVersion: row["ruleset_version"], inputs: byScan[row["id"]] ?? [])
                }
        }
    }
}

extension SnapshotDatabase {
    /// One line per dimension: how many systems of a scan fall in each band.
    public func bandSummary(scanID: Int64) throws -> [String] {
        try writer.read { db in
            // One pass over the snapshot counts both dimensions.
            var counts: [String: [String: Int]] = ["lock-in": [:], "jurisdiction": [:]]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.lock_in_band, a.jurisdiction_band, count(*)
                FROM scan_system ss JOIN assessment a ON a.id = ss.assessment_id
                WHERE ss.scan_id = ? GROUP BY a.lock_in_band, a.jurisdiction_band
                """, arguments: [scanID])
            while let row = try rows.next() {
                let systems: Int = row[2]
                counts["lock-in"]![row[0], default: 0] += systems
                counts["jurisdiction"]![row[1], default: 0] += systems
            }
            return ["lock-in", "jurisdiction"].map { label in
                let parts = ["low", "medium", "high", "critical"].map { "\(counts[label]![$0] ?? 0) \($0)" }
                return "  \(label): \(parts.joined(separator: ", "))"
            }
        }
    }
}
