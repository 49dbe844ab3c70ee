import Foundation
import GRDB

/// Everything a report needs of one snapshot: its organisations, and each
/// system with its scores, in inventory-id order.
public struct SnapshotContents: Sendable {
    public struct Organisation: Sendable {
        public var id: String
        public var name: String
        public var type: String
        public var parent: String?
        public var country: String
        public var asOf: String?
    }

    public struct System: Sendable {
        public var organisation: String
        public var id: String
        public var name: String
        public var product: String
        public var users: Int?
        public var criticality: String
        public var vendor: String
        public var vendorName: String
        public var vendorCountry: String?
        public var lockIn: Int
        public var lockInBand: String
        public var jurisdiction: Int
        public var jurisdictionBand: String
        public var unknownAnswers: Int
        public var personalDataAbroad: Bool
        public var contractEnds: String?
        public var noticeMonths: Int?
        public var assessment: Int64
    }

    public struct Finding: Sendable {
        public var rule: String
        public var dimension: String
        public var points: Int
        public var accepted: Bool
    }

    public var scanID: Int64
    public var asOf: String
    public var organisations: [Organisation]
    public var systems: [System]
    /// The findings of each assessment of the scan.
    public var findings: [Int64: [Finding]]
    /// Rule titles by id, as stored with the scan.
    public var ruleTitles: [String: String]

    public init(scanID: Int64, asOf: String, organisations: [Organisation], systems: [System],
                findings: [Int64: [Finding]], ruleTitles: [String: String]) {
        self.scanID = scanID
        self.asOf = asOf
        self.organisations = organisations
        self.systems = systems
        self.findings = findings
        self.ruleTitles = ruleTitles
    }
}

extension SnapshotDatabase {
    /// The contents of `scanID` (the latest when nil).
    /// The organisations of a scan, without its systems.
    public func organisations(scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try writer.read { db in try Self.organisations(db, scanID: scanID) }
    }

    private static func organisations(_ db: Database, scanID: Int64) throws -> [SnapshotContents.Organisation] {
        try Row.fetchAll(db, sql: """
            SELECT o.org_id, o.name, o.type, o.parent, o.country, o.as_of
            FROM scan_organisation so JOIN organisation o ON o.id = so.record_id
            WHERE so.scan_id = ? ORDER BY o.org_id
            """, arguments: [scanID]).map {
                SnapshotContents.Organisation(id: $0["org_id"], name: $0["name"], type: $0["type"], parent: $0["parent"],
                                              country: $0["country"], asOf: $0["as_of"])
            }
    }

    public func contents(scanID requested: Int64?) throws -> SnapshotContents {
        do {
            return try writer.read { db in
                guard let scanID = try requested ?? Int64.fetchOne(db, sql: "SELECT max(id) FROM scan") else {
                    throw StoreError.noScans(path)
                }
                guard let scan = try Row.fetchOne(db, sql: "SELECT as_of, ruleset_hash, profile FROM scan WHERE id = ?", arguments: [scanID]) else {
                    throw StoreError("there is no scan \(scanID); `sovscan scans` lists them")
                }
                let organisations = try Self.organisations(db, scanID: scanID)
                // Read through cursors, by column position: copying every row
                // first, and finding columns by name (case-insensitively) in
                // each, cost more than the report itself.
                var systems: [SnapshotContents.System] = []
                let systemRows = try Row.fetchCursor(db, sql: """
                    SELECT s.org_id, s.system_id, s.name, s.product, s.users, s.criticality, s.contract_ends, s.contract_notice_months,
                           a.id, a.vendor, a.vendor_name, a.vendor_country, a.lock_in, a.lock_in_band,
                           a.jurisdiction, a.jurisdiction_band, a.unknown_answers, a.personal_data_abroad
                    FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
                    WHERE ss.scan_id = ? ORDER BY s.org_id, s.system_id
                    """, arguments: [scanID])
                while let row = try systemRows.next() {
                    systems.append(SnapshotContents.System(
                        organisation: row[0], id: row[1], name: row[2], product: row[3], users: row[4],
                        criticality: row[5], vendor: row[9], vendorName: row[10], vendorCountry: row[11],
                        lockIn: row[12], lockInBand: row[13], jurisdiction: row[14],
                        jurisdictionBand: row[15], unknownAnswers: row[16],
                        personalDataAbroad: row[17], contractEnds: row[6],
                        noticeMonths: row[7], assessment: row[8]))
                }
                var findings: [Int64: [SnapshotContents.Finding]] = [:]
                let findingRows = try Row.fetchCursor(db, sql: """
                    SELECT f.assessment_id, f.rule, f.dimension, f.points, f.accepted FROM assessment_finding f
                    WHERE f.assessment_id IN (SELECT DISTINCT assessment_id FROM scan_system WHERE scan_id = ?)
                    ORDER BY f.assessment_id, f.position
                    """, arguments: [scanID])
                while let row = try findingRows.next() {
                    findings[row[0], default: []].append(
                        SnapshotContents.Finding(rule: row[1], dimension: row[2], points: row[3], accepted: row[4]))
                }
                let rulesetKey = (scan["ruleset_hash"] as String) + ((scan["profile"] as String?).map { "/" + $0 } ?? "")
                var titles: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT rule, title FROM ruleset_rule WHERE ruleset_hash = ?", arguments: [rulesetKey]) {
                    titles[row["rule"]] = row["title"]
                }
                return SnapshotContents(scanID: scanID, asOf: scan["as_of"], organisations: organisations, systems: systems,
                                        findings: findings, ruleTitles: titles)
            }
        } catch {
            throw Self.describe(error, path: path)
        }
    }
}
