import Domain
import Foundation

/// Why a system scores what it scores in one snapshot: every dimension with
/// its score and band, and every finding with the rule's rationale and sources
/// as they were when the scan ran.
public struct Explanation: Sendable {
    public struct Finding: Sendable {
        public var rule: String
        public var title: TranslatedText
        public var points: Int
        public var accepted: Bool
        public var rationale: TranslatedText
        /// JSON `[{"title", "url", "date"}]`, as stored.
        public var sources: String
    }

    public struct Score: Sendable {
        public var score: Int
        public var band: Band
        public var findings: [Finding]
        /// Of the score, the points open questions make up; nil for a scan
        /// stored before sovscan recorded it (schema v7).
        public var unknownPoints: Int?
    }

    /// A vendor, operator or hosting provider of the system, and whose law reaches it.
    public struct Party: Sendable {
        /// A company of its chain, with the access laws of its country
        /// (none when that is the organisation's own).
        public struct Company: Sendable {
            public var name: String
            public var country: String
            public var laws: [String]
            /// The day it took control of the company before it, when dated.
            public var since: String?
            /// The local vendors file and line its entry comes from; nil for the rule set's catalogue.
            public var localFile: String?
        }

        /// Whom the party is when the inventory names none.
        public enum Implied: String, Sendable {
            case organisationItself = "the organisation itself (on premises)"
            case hostingProvider = "the hosting provider"
            case notStated = "not stated"
        }

        public var role: PartyRole
        /// The name the inventory writes; nil when it names none.
        public var name: String?
        /// Whom the party is when the inventory names none; nil when it names one.
        public var implied: Implied?
        /// The company named and its owners up to the ultimate parent; empty
        /// when nothing matched the name.
        public var chain: [Company]
        /// The financial investor controlling the ultimate parent, with its owners.
        public var investor: [Company]
    }

    public var scanID: Int64
    public var organisation: String
    public var system: String
    public var name: String
    public var vendor: String
    public var vendorCountry: String?
    /// The system's parties as the scan resolved them; nil for a scan stored
    /// before sovscan kept them (schema v8).
    public var parties: [Party]?
    public var scores: [String: Score]
    /// The questions the system leaves open that move a score, each with
    /// what its best answer alone would take off (none before schema v7).
    public var openQuestions: [UnknownPoints.Question]
}

extension SQLStore {
    /// The latest scan's id, or nil when there is none.
    public func latestScanID() throws -> Int64? {
        try reading { db in try db.value("SELECT max(id) FROM scan") }
    }

    /// The explanation of `organisation/system` in `scanID`; a StoreError that
    /// suggests the nearest id when there is no such system.
    public func explain(organisation: String, system: String, scanID: Int64) throws -> Explanation {
        try reading { db in
            guard let scan = try db.row("SELECT ruleset_hash, profile FROM scan WHERE id = ?", [scanID]) else {
                throw StoreError.noScan(scanID)
            }
            // From the system's (org_id, system_id) index to the scan's row,
            // not through every row of the scan (SQLite's CROSS JOIN keeps that order).
            guard let row = try db.row("""
                SELECT s.name, a.id AS assessment, a.vendor_name, a.vendor_country, a.lock_in, a.lock_in_band, a.jurisdiction, a.jurisdiction_band,
                       a.lock_in_unknown_points, a.jurisdiction_unknown_points, s.vendor, s.operator, s.hosting_provider, s.deployment
                FROM system s CROSS JOIN scan_system ss JOIN assessment a ON a.id = ss.assessment_id
                WHERE ss.scan_id = ? AND ss.record_id = s.id AND s.org_id = ? AND s.system_id = ?
                """, [scanID, organisation, system]) else {
                throw StoreError("scan \(scanID) has no system '\(organisation)/\(system)'\(try Self.suggestion(db, scanID: scanID, organisation: organisation, system: system))")
            }
            let rulesetKey = (scan["ruleset_hash"] as String) + ((scan["profile"] as String?).map { "/" + $0 } ?? "")
            let texts = try StoredRuleTexts.read(db, rulesetKey: rulesetKey)
            var sources: [String: String] = [:]
            for rule in try db.rows("SELECT rule, sources FROM ruleset_rule WHERE ruleset_hash = ?", [rulesetKey]) {
                sources[rule["rule"]] = rule["sources"]
            }
            var scores: [String: Explanation.Score] = [
                "lock_in": .init(score: row["lock_in"], band: Band(stored: row["lock_in_band"], score: row["lock_in"]), findings: [],
                                 unknownPoints: row["lock_in_unknown_points"]),
                "jurisdiction": .init(score: row["jurisdiction"], band: Band(stored: row["jurisdiction_band"], score: row["jurisdiction"]),
                                      findings: [], unknownPoints: row["jurisdiction_unknown_points"]),
            ]
            for finding in try db.rows("SELECT * FROM assessment_finding WHERE assessment_id = ? ORDER BY position",
                                            [row["assessment"] as Int64]) {
                let id: String = finding["rule"]
                scores[finding["dimension"], default: .init(score: 0, band: .low, findings: [], unknownPoints: nil)].findings.append(.init(
                    rule: id, title: texts[id]?.title ?? TranslatedText(id), points: finding["points"], accepted: finding["accepted"],
                    rationale: texts[id]?.rationale ?? TranslatedText(""), sources: sources[id] ?? "[]"))
            }
            let questions = try db.rows("""
                SELECT question, lock_in_points, jurisdiction_points FROM assessment_question WHERE assessment_id = ?
                """, [row["assessment"] as Int64]).map {
                    UnknownPoints.Question(question: $0[0], lockIn: $0[1], jurisdiction: $0[2])
                }
            let parties = try Self.parties(db, scanID: scanID, rulesetHash: scan["ruleset_hash"], organisation: organisation, system: row)
            return Explanation(scanID: scanID, organisation: organisation, system: system, name: row["name"],
                               vendor: row["vendor_name"], vendorCountry: row["vendor_country"], parties: parties, scores: scores,
                               openQuestions: questions.sorted { ($1.lockIn + $1.jurisdiction, $0.question) < ($0.lockIn + $0.jurisdiction, $1.question) })
        }
    }

    /// The vendor, operator and hosting provider of a system's row, as the
    /// scan resolved them, with the laws of each company's country; nil for
    /// a scan stored before v8.
    private static func parties(_ db: any SQLConnection, scanID: Int64, rulesetHash: String, organisation: String, system row: StoredRow) throws -> [Explanation.Party]? {
        let resolved = try db.rows("SELECT name, chain, investor FROM scan_party WHERE scan_id = ?", [scanID])
        guard !resolved.isEmpty else { return nil }
        let home: String? = try db.value("""
            SELECT o.country FROM scan_organisation so JOIN organisation o ON o.id = so.record_id WHERE so.scan_id = ? AND o.org_id = ?
            """, [scanID, organisation])
        var laws: [String: [String]] = [:]
        for law in try db.rows("SELECT country, name FROM ruleset_country_law WHERE ruleset_hash = ? ORDER BY country, name",
                                    [rulesetHash]) {
            laws[law[0], default: []].append(law[1])
        }
        let decoder = JSONDecoder()
        var byName: [String: (chain: [StoredParty.Company], investor: [StoredParty.Company])] = [:]
        for party in resolved {
            byName[party[0]] = (try decoder.decode([StoredParty.Company].self, from: Data((party[1] as String).utf8)),
                                try decoder.decode([StoredParty.Company].self, from: Data((party[2] as String).utf8)))
        }
        func companies(_ list: [StoredParty.Company]) -> [Explanation.Party.Company] {
            list.map { .init(name: $0.name, country: $0.country, laws: $0.country == home ? [] : laws[$0.country] ?? [], since: $0.since,
                             localFile: $0.localFile) }
        }
        func party(_ role: PartyRole, _ name: String?, implied: Explanation.Party.Implied?) -> Explanation.Party {
            let found = name.flatMap { byName[$0] }
            return Explanation.Party(role: role, name: name, implied: name == nil ? implied : nil,
                                     chain: companies(found?.chain ?? []), investor: companies(found?.investor ?? []))
        }
        let onPremises = (row["deployment"] as String) == "on_premises"
        return [
            party(.vendor, row["vendor"], implied: nil),
            party(.operator, row["operator"], implied: onPremises ? .organisationItself : .hostingProvider),
            party(.hostingProvider, row["hosting_provider"], implied: onPremises ? .organisationItself : .notStated),
        ]
    }

    /// A did-you-mean for a system the scan does not have: among the
    /// organisation's systems when the organisation is in the scan, else among
    /// the scan's organisations.
    private static func suggestion(_ db: any SQLConnection, scanID: Int64, organisation: String, system: String) throws -> String {
        let systems: [String] = try db.values("""
            SELECT s.system_id FROM system s CROSS JOIN scan_system ss
            WHERE ss.scan_id = ? AND ss.record_id = s.id AND s.org_id = ?
            """, [scanID, organisation])
        if !systems.isEmpty {
            return Suggestion.didYouMean("\(organisation)/\(system)", in: systems.map { "\(organisation)/\($0)" })
        }
        let organisations: [String] = try db.values("""
            SELECT o.org_id FROM scan_organisation so JOIN organisation o ON o.id = so.record_id WHERE so.scan_id = ?
            """, [scanID])
        return "; it has no organisation '\(organisation)' with systems\(Suggestion.didYouMean(organisation, in: organisations))"
    }
}
