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
                let systems = try Row.fetchAll(db, sql: """
                    SELECT s.org_id, s.system_id, s.name, s.product, s.users, s.criticality, s.contract_ends, s.contract_notice_months,
                           a.id AS assessment, a.vendor, a.vendor_name, a.vendor_country, a.lock_in, a.lock_in_band,
                           a.jurisdiction, a.jurisdiction_band, a.unknown_answers, a.personal_data_abroad
                    FROM scan_system ss JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id
                    WHERE ss.scan_id = ? ORDER BY s.org_id, s.system_id
                    """, arguments: [scanID]).map {
                        SnapshotContents.System(
                            organisation: $0["org_id"], id: $0["system_id"], name: $0["name"], product: $0["product"], users: $0["users"],
                            criticality: $0["criticality"], vendor: $0["vendor"], vendorName: $0["vendor_name"], vendorCountry: $0["vendor_country"],
                            lockIn: $0["lock_in"], lockInBand: $0["lock_in_band"], jurisdiction: $0["jurisdiction"],
                            jurisdictionBand: $0["jurisdiction_band"], unknownAnswers: $0["unknown_answers"],
                            personalDataAbroad: $0["personal_data_abroad"], contractEnds: $0["contract_ends"],
                            noticeMonths: $0["contract_notice_months"], assessment: $0["assessment"])
                    }
                var findings: [Int64: [SnapshotContents.Finding]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT f.assessment_id, f.rule, f.dimension, f.points, f.accepted FROM assessment_finding f
                    WHERE f.assessment_id IN (SELECT DISTINCT assessment_id FROM scan_system WHERE scan_id = ?)
                    ORDER BY f.assessment_id, f.position
                    """, arguments: [scanID]) {
                    findings[row["assessment_id"], default: []].append(
                        SnapshotContents.Finding(rule: row["rule"], dimension: row["dimension"], points: row["points"], accepted: row["accepted"]))
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
