import GRDB
import Inventory

/// Per organisation and vendor (ultimate parent): systems, users, the
/// criticality-weighted share, and the maximum and weighted scores, tallied
/// as the scan's systems are written, so that no pass over the snapshot is
/// needed at the end. An organisation whose systems were scored again at the
/// end of the scan is aggregated from the stored rows instead (a maximum
/// cannot be taken back).
struct VendorExposureTally {
    private struct Key: Hashable {
        var organisation: String
        var vendor: String
    }

    private struct Exposure {
        var vendorName: String
        var vendorCountry: String?
        var systems = 0
        var users = 0
        var weight = 0
        var lockInMax = 0
        var lockInWeighted = 0
        var jurisdictionMax = 0
        var jurisdictionWeighted = 0
    }

    private var exposures: [Key: Exposure] = [:]
    private var organisationWeights: [String: Int] = [:]
    private var revised: Set<String> = []

    mutating func add(_ system: System, organisationID: String, assessment: StoredAssessment) {
        let weight = Int(system.criticality.weight)
        organisationWeights[organisationID, default: 0] += weight
        let key = Key(organisation: organisationID, vendor: assessment.vendor)
        var exposure = exposures[key] ?? Exposure(vendorName: assessment.vendorName, vendorCountry: assessment.vendorCountry)
        // As SQL's max(): the greatest text, nulls ignored.
        if assessment.vendorName.utf8.lexicographicallyPrecedes(exposure.vendorName.utf8) == false {
            exposure.vendorName = assessment.vendorName
        }
        if let country = assessment.vendorCountry,
           exposure.vendorCountry.map({ $0.utf8.lexicographicallyPrecedes(country.utf8) }) ?? true {
            exposure.vendorCountry = country
        }
        exposure.systems += 1
        exposure.users += system.users ?? 0
        exposure.weight += weight
        exposure.lockInMax = max(exposure.lockInMax, assessment.lockIn)
        exposure.lockInWeighted += weight * assessment.lockIn
        exposure.jurisdictionMax = max(exposure.jurisdictionMax, assessment.jurisdiction)
        exposure.jurisdictionWeighted += weight * assessment.jurisdiction
        exposures[key] = exposure
    }

    /// A system of `organisationID` was scored again.
    mutating func revise(organisationID: String) {
        revised.insert(organisationID)
    }

    /// Writes the tally; the organisations with revised systems are aggregated by SQL.
    func write(_ db: Database, scanID: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO vendor_exposure (scan_id, org_id, vendor, vendor_name, vendor_country, systems, users, share,
                lock_in_max, lock_in_weighted, jurisdiction_max, jurisdiction_weighted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (key, exposure) in exposures where !revised.contains(key.organisation) {
            let total = Double(organisationWeights[key.organisation]!)
            let weight = Double(exposure.weight)
            try insert.execute(arguments: [
                scanID, key.organisation, key.vendor, exposure.vendorName, exposure.vendorCountry, exposure.systems, exposure.users,
                weight / total, exposure.lockInMax, Double(exposure.lockInWeighted) / weight,
                exposure.jurisdictionMax, Double(exposure.jurisdictionWeighted) / weight,
            ])
        }
        if !revised.isEmpty {
            try Self.aggregate(db, scanID: scanID, organisations: revised.sorted())
        }
    }

    /// The same figures from the stored rows of `organisations`.
    static func aggregate(_ db: Database, scanID: Int64, organisations: [String]) throws {
        try db.execute(sql: """
            INSERT INTO vendor_exposure (scan_id, org_id, vendor, vendor_name, vendor_country, systems, users, share,
                lock_in_max, lock_in_weighted, jurisdiction_max, jurisdiction_weighted)
            WITH scored AS (
                SELECT s.org_id, a.vendor, a.vendor_name, a.vendor_country, coalesce(s.users, 0) AS users,
                       CASE s.criticality WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END AS weight,
                       a.lock_in, a.jurisdiction
                FROM scan_system ss
                JOIN system s ON s.id = ss.record_id
                JOIN assessment a ON a.id = ss.assessment_id
                WHERE ss.scan_id = ?1 AND s.org_id IN (SELECT value FROM json_each(?2))
            ), totals AS (
                SELECT org_id, sum(weight) AS weight FROM scored GROUP BY org_id
            )
            SELECT ?1, scored.org_id, vendor, max(vendor_name), max(vendor_country), count(*), sum(users),
                   sum(scored.weight) * 1.0 / totals.weight,
                   max(lock_in), sum(scored.weight * lock_in) * 1.0 / sum(scored.weight),
                   max(jurisdiction), sum(scored.weight * jurisdiction) * 1.0 / sum(scored.weight)
            FROM scored JOIN totals ON totals.org_id = scored.org_id
            GROUP BY scored.org_id, vendor
            """, arguments: [scanID, JSONList.encode(organisations)])
    }
}
