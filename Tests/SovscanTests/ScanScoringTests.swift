import Foundation
import GRDB
import Testing

/// Scores stored with each snapshot, vendor aggregates, and `sovscan explain`.
@Suite struct ScanScoringTests {
    private func query<T: DatabaseValueConvertible>(_ database: String, _ sql: String) throws -> T? {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: database, configuration: configuration).read { try T.fetchOne($0, sql: sql) }
    }

    static let microsoftMail = Fixture.system(id: "mail", [
        "vendor": "Microsoft", "hosting": "{provider: Microsoft, data_location: [IE, US], support_access: [US]}",
        "data": "{personal: true}", "telemetry": "mandatory", "encryption_keys": "provider", "export": "partial",
    ])

    @Test func everySystemOfAScanIsScoredAndExplained() throws {
        let work = Fixture.write(["inv/a.yaml": Fixture.inventory(systems: Self.microsoftMail + Fixture.system(id: "files", [
            "vendor": "Nextcloud", "deployment": "on_premises", "licence": "AGPL-3.0-or-later", "hosting": "{data_location: [DE]}",
            "formats": "[odf]", "interfaces": "[webdav]", "export": "full", "telemetry": "none", "encryption_keys": "customer",
            "substitutability": "easy", "contract": "{ends: 2027-03-31, notice_months: 3, exit_plan: true}",
            "data": "{personal: false, special_categories: false}",
        ]))])
        let scan = Binary.run(["scan", "inv"], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("  jurisdiction: "))
        let db = work + "/sovscan.db"
        #expect(try query(db, "SELECT count(*) FROM scan_system WHERE assessment_id IS NULL") as Int? == 0)
        #expect(try query(db, "SELECT count(*) FROM ruleset_rule") as Int? ?? 0 > 0)
        #expect(try query(db, "SELECT round(sum(share), 6) FROM vendor_exposure WHERE scan_id = 1 AND org_id = 'testamt'") as Double? == 1)
        #expect(try query(db, "SELECT vendor || '/' || vendor_country FROM vendor_exposure WHERE vendor = 'microsoft'") as String? == "microsoft/US")
        let hhi: Double? = try query(db, "SELECT hhi FROM organisation_concentration WHERE org_id = 'testamt'")
        #expect(hhi == 5000, "two vendors, equal criticality")

        let explained = Binary.run(["explain", "testamt/mail", "--format", "json"], in: work)
        #expect(explained.status == 0, "\(explained.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(explained.stdout.utf8)) as? [String: Any])
        #expect(json["organisation"] as? String == "testamt")
        #expect(json["system"] as? String == "mail")
        let scores = try #require(json["scores"] as? [String: [String: Any]])
        let jurisdiction = try #require(scores["jurisdiction"])
        #expect((jurisdiction["score"] as? Int ?? 0) >= 75, "a US SaaS mailbox with personal data is critical")
        #expect(jurisdiction["band"] as? String == "critical")
        let findings = try #require(jurisdiction["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { ($0["sources"] as? [[String: Any]])?.isEmpty == false && ($0["rationale"] as? String)?.isEmpty == false })
        #expect(findings.map { $0["points"] as? Int ?? 0 }.reduce(0, +) >= jurisdiction["score"] as? Int ?? 0)

        let safe = Binary.run(["explain", "testamt/files", "--format", "json"], in: work)
        let safeScores = try #require((try JSONSerialization.jsonObject(with: Data(safe.stdout.utf8)) as? [String: Any])?["scores"] as? [String: [String: Any]])
        #expect(safeScores["jurisdiction"]?["score"] as? Int == 0)
        #expect(safeScores["lock_in"]?["score"] as? Int == 0)

        let text = Binary.run(["explain", "testamt/mail"], in: work)
        #expect(text.stdout.hasPrefix("""
            testamt/mail: E-Mail, scan 1
            vendor: Microsoft, matched to Microsoft Corporation (US: CLOUD Act, Executive Order 12333, FISA Section 702)
            operator: the hosting provider
            hosting provider: Microsoft, matched to Microsoft Corporation (US: CLOUD Act, Executive Order 12333, FISA Section 702)

            """), "\(text.stdout)")
        let typo = Binary.run(["explain", "testamt/mial"], in: work)
        #expect(typo.status == 1)
        #expect(typo.stderr == "sovscan: scan 1 has no system 'testamt/mial'; did you mean 'testamt/mail'?\n")
        let organisationTypo = Binary.run(["explain", "testam/mail"], in: work)
        #expect(organisationTypo.status == 1)
        #expect(organisationTypo.stderr == "sovscan: scan 1 has no system 'testam/mail'; it has no organisation 'testam' with systems; did you mean 'testamt'?\n")
        #expect(Binary.run(["explain", "mail"], in: work).status == 64)
    }

    @Test func unmatchedVendorIsAWarningWithItsPosition() {
        let work = Fixture.write(["a.yaml": Fixture.inventory(systems: Fixture.system(["vendor": "Mircosoft"]))])
        let result = Binary.run(["scan", "a.yaml"], in: work)
        #expect(result.status == 0)
        #expect(result.stderr.contains("a.yaml:13:13: warning: 'Mircosoft' (vendor) is in neither the vendor catalogue nor this scan's organisations, so it is scored as unknown jurisdiction; did you mean 'microsoft'?"))
    }

    @Test func providersDeclaredInAnyFileScoreTheSame() throws {
        let provider = "inventory: 1\norganisations:\n  - {id: kdz, name: Kommunales Datenzentrum, type: it_service_provider, country: DE}\n"
        let system = Fixture.system(["vendor": "Open-Xchange", "deployment": "hosted", "operator": "kdz", "hosting": "{provider: Kommunales Datenzentrum, data_location: [DE]}"])
        var scores: [String] = []
        for (first, second) in [("a.yaml", "z.yaml"), ("z.yaml", "a.yaml")] {
            let work = Fixture.write([first: provider, second: Fixture.inventory(systems: system)])
            let scan = Binary.run(["scan", "."], in: work)
            #expect(scan.status == 0)
            #expect(!scan.stderr.contains("unknown jurisdiction"), "the provider is an organisation of the scan: \(scan.stderr)")
            scores.append(Binary.run(["explain", "testamt/mail", "--format", "json"], in: work).stdout)
        }
        #expect(scores[0] == scores[1])
    }
}
