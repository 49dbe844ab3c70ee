import Foundation
import GRDB
import Testing

/// Exit windows with a status: missed, expired and upcoming at their
/// boundaries, their order, their counts, the warnings of `validate` and
/// `scan` at the contract's line, and the same windows of the scope at every
/// level of report.
@Suite struct ExitWindowTests {
    /// An organisation document as of 2026-06-01.
    static func document(_ organisation: String, systems: String) -> String {
        "inventory: 1\norganisation: {id: \(organisation), name: \(organisation), type: agency, parent: mi, country: DE}\nas_of: 2026-06-01\nsystems:\n" + systems
    }

    static func system(_ id: String, criticality: String, contract: String, vendor: String = "Microsoft") -> String {
        Fixture.system(id: id, ["vendor": vendor, "criticality": criticality, "contract": contract])
    }

    /// As of 2026-06-01 with --within 18 (up to 2027-12-01): each system's
    /// deadline and status is in its comment.
    static let land: [String: String] = [
        "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
        "amt.yaml": document("amt", systems:
            // 2026-12-31 less 7 months: 2026-05-31, the day before as_of: missed.
            system("d-before", criticality: "low", contract: "{ends: 2026-12-31, notice_months: 7}")
            // 2026-06-01, on as_of: upcoming (it can still be given that day).
            + system("d-on", criticality: "low", contract: "{ends: 2026-12-01, notice_months: 6}")
            // 2026-06-02, the day after: upcoming.
            + system("d-after", criticality: "critical", contract: "{ends: 2026-12-02, notice_months: 6}", vendor: "SAP SE")
            // Ended 2026-05-31, the day before as_of: expired.
            + system("e-before", criticality: "medium", contract: "{ends: 2026-05-31}")
            // Ends on as_of with no notice period: still running, deadline on as_of: upcoming.
            + system("e-on", criticality: "high", contract: "{ends: 2026-06-01}")
            // Ends on as_of, notice by 2026-03-01: still running, deadline passed: missed.
            + system("e-on-notice", criticality: "medium", contract: "{ends: 2026-06-01, notice_months: 3}", vendor: "SAP SE")
            // Ends the day after as_of, notice by 2026-05-02: missed.
            + system("e-after", criticality: "high", contract: "{ends: 2026-06-02, notice_months: 1}")
            // Deadline on the last day of the 18 months: upcoming.
            + system("h-last", criticality: "low", contract: "{ends: 2028-03-01, notice_months: 3}")
            // A day later: not listed (upcoming with --within 60).
            + system("h-past", criticality: "low", contract: "{ends: 2028-03-02, notice_months: 3}")),
        "stadt.yaml": document("stadt", systems:
            // Ended long ago: expired, after every missed one whatever its deadline.
            system("old", criticality: "low", contract: "{ends: 2020-01-31}", vendor: "SAP SE")
            // A month away, low: before the critical one nine months away.
            + system("soon-low", criticality: "low", contract: "{ends: 2026-07-01}")
            + system("later-critical", criticality: "critical", contract: "{ends: 2027-03-01}", vendor: "SAP SE")
            + system("no-contract", criticality: "high", contract: "{notice_months: 3}")),
    ]

    private func report(_ work: String, _ arguments: [String]) throws -> [String: Any] {
        let result = Binary.run(["report", "--format", "json"] + arguments, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func windows(_ group: [String: Any]) -> [[String: Any]] {
        group["exit_windows"] as? [[String: Any]] ?? []
    }

    private func scanned() -> String {
        let work = Fixture.write(Self.land)
        let scan = Binary.run(["scan", "."], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
        return work
    }

    @Test func statusesAtTheirBoundariesAndTheirOrder() throws {
        let work = scanned()
        let json = try report(work, ["--exit-windows", "all"])
        let ministry = try #require((json["groups"] as? [[String: Any]])?.first)
        let listed = windows(ministry)
        let statuses = Dictionary(uniqueKeysWithValues: listed.map { ($0["system"] as! String, $0["status"] as! String) })
        #expect(statuses == [
            "d-before": "missed", "d-on": "upcoming", "d-after": "upcoming",
            "e-before": "expired", "e-on": "upcoming", "e-on-notice": "missed", "e-after": "missed",
            "h-last": "upcoming", "old": "expired", "soon-low": "upcoming", "later-critical": "upcoming",
        ])
        let urgency = Dictionary(uniqueKeysWithValues: listed.map { ($0["system"] as! String, $0["urgency"] as! Int) })
        // d-on and e-on share their deadline: the more urgent comes first.
        try #require(urgency["e-on"]! > urgency["d-on"]!)
        #expect(urgency["later-critical"]! > urgency["soon-low"]!, "the order below is by deadline, not by urgency")
        #expect(listed.map { $0["system"] as! String } == [
            "e-on-notice", "e-after", "d-before",  // missed, by deadline: 2026-03-01, 2026-05-02, 2026-05-31
            "old", "e-before",  // expired: 2020-01-31, 2026-05-31
            "e-on", "d-on", "d-after", "soon-low", "later-critical", "h-last",  // upcoming
        ])
        #expect(listed.map { $0["act_by"] as! String } == [
            "2026-03-01", "2026-05-02", "2026-05-31", "2020-01-31", "2026-05-31",
            "2026-06-01", "2026-06-01", "2026-06-02", "2026-07-01", "2027-03-01", "2027-12-01",
        ])
        let first = try #require(listed.first)
        #expect(first["organisation"] as? String == "amt" && first["contract_ends"] as? String == "2026-06-01" && first["notice_months"] as? Int == 3)
        #expect(first["lock_in"] as? Int ?? 0 > 0 && first["criticality"] as? String == "medium")
        #expect(urgency["e-on-notice"] == 2 * (first["lock_in"] as? Int ?? 0), "urgency is lock-in times the criticality weight")
        #expect((ministry["next_exit_window"] as? [String: Any])?["system"] as? String == "e-on-notice")

        // A wider window takes in h-past; missed and expired are listed whatever --within says.
        let wide = try #require((try report(work, ["--within", "60", "--exit-windows", "all"])["groups"] as? [[String: Any]])?.first)
        #expect(windows(wide).last?["system"] as? String == "h-past")
        let none = try #require((try report(work, ["--within", "0", "--exit-windows", "all"])["groups"] as? [[String: Any]])?.first)
        #expect(windows(none).map { $0["system"] as! String } == ["e-on-notice", "e-after", "d-before", "old", "e-before", "e-on", "d-on"])
    }

    @Test func countsPerStatus() throws {
        let work = scanned()
        let json = try report(work, ["--exit-windows", "2"])
        let ministry = try #require((json["groups"] as? [[String: Any]])?.first)
        #expect(ministry["exit_window_counts"] as? [String: Int] == ["missed": 3, "expired": 2, "upcoming": 6])
        #expect(ministry["exit_window_count"] as? Int == 11)
        #expect(windows(ministry).map { $0["system"] as! String } == ["e-on-notice", "e-after"], "the limit keeps the first")
        let narrow = try #require((try report(work, ["--within", "0"])["groups"] as? [[String: Any]])?.first)
        #expect(narrow["exit_window_counts"] as? [String: Int] == ["missed": 3, "expired": 2, "upcoming": 2])

        let table = Binary.run(["report", "--exit-windows", "2"], in: work).stdout
        let section = try #require(table.components(separatedBy: "\nExit windows as of ").last)
        #expect(section == """
            2026-06-01: 3 missed, 2 expired, 6 upcoming within 18 months; the first 2 of 11 listed (--exit-windows all lists every one)
            Missed (notice deadline passed, contract still running) and expired (contract ended) come first, then upcoming, each by deadline; urgency is lock-in times criticality weight.
            status  act by      system           vendor                 contract ends  urgency (0–400)  lock-in (0–100)  criticality
            missed  2026-03-01  amt/e-on-notice  SAP SE                 2026-06-01     \(pad(2 * (windows(ministry)[0]["lock_in"] as! Int), 15))  \(pad(windows(ministry)[0]["lock_in"] as! Int, 15))  medium
            missed  2026-05-02  amt/e-after      Microsoft Corporation  2026-06-02     \(pad(3 * (windows(ministry)[1]["lock_in"] as! Int), 15))  \(pad(windows(ministry)[1]["lock_in"] as! Int, 15))  high

            """)
        let organisations = try #require(try report(work, ["--level", "organisation", "--exit-windows", "0"])["groups"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: organisations.map { ($0["id"] as! String, $0["exit_window_counts"] as! [String: Int]) })
        #expect(counts == ["amt": ["missed": 3, "expired": 1, "upcoming": 4], "stadt": ["missed": 0, "expired": 1, "upcoming": 2]])

        let csv = Binary.run(["report", "--format", "csv"], in: work).stdout
        #expect(csv.contains(",11,2026-03-01,amt/e-on-notice,missed,3,2,6,"), "\(csv)")
        let markdown = Binary.run(["report", "--format", "markdown", "--exit-windows", "1"], in: work).stdout
        #expect(markdown.contains("As of 2026-06-01: 3 missed, 2 expired, 6 upcoming within 18 months; the first 1 of 11 listed"))
        #expect(markdown.contains("| missed | 2026-03-01 | E-Mail (amt/e-on-notice) | SAP SE | 2026-06-01 |"))
        let html = Binary.run(["report", "--format", "html", "--exit-windows", "1"], in: work).stdout
        #expect(html.contains("as of 2026-06-01: 3 missed, 2 expired, 6 upcoming within 18 months; the first 1 of 11 listed"))
        #expect(html.contains("<td><span class=\"status missed\">missed</span></td><td class=\"date\">2026-03-01</td>"))
    }

    private func pad(_ number: Int, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - String(number).count)) + String(number)
    }

    /// Every level reads the stored exit set, and lists the first windows of
    /// its whole scope: the lists are the same at every level, and the same
    /// as a report made from every system gives (ReportTotalsTests); the
    /// groups' counts add up to the scope's.
    @Test func everyLevelListsTheSameWindowsOfTheScope() throws {
        let work = scanned()
        for arguments in [["--exit-windows", "all"], ["--exit-windows", "3"], ["--within", "60", "--exit-windows", "all"], ["--within", "0"]] {
            var sections: [String: String] = [:]
            var listed: [String: [String]] = [:]
            let expected = arguments.contains("60") ? 12 : arguments.contains("0") ? 7 : 11
            for level in ["ministry", "organisation", "vendor", "country"] {
                let table = Binary.run(["report", "--level", level] + arguments, in: work)
                #expect(table.status == 0, "\(table.stderr)")
                sections[level] = table.stdout.components(separatedBy: "\nExit windows as of ").last?.components(separatedBy: "\nLegend:").first
                let json = try report(work, ["--level", level] + arguments)
                listed[level] = windows(json).map { "\($0["organisation"]!)/\($0["system"]!) \($0["status"]!) \($0["act_by"]!) \($0["urgency"]!)" }
                #expect(json["exit_window_count"] as? Int == expected, "\(level) \(arguments)")
                if let groups = json["groups"] as? [[String: Any]] {
                    #expect(groups.map { $0["exit_window_count"] as! Int }.reduce(0, +) == expected, "\(level) \(arguments)")
                }
            }
            #expect(Set(sections.values).count == 1, "\(arguments): \(sections)")
            #expect(sections["ministry"]?.contains("amt/e-on-notice") == true)
            #expect(Set(listed.values).count == 1, "\(arguments): \(listed)")
        }
    }

    /// docs/schema.md's query 25 lists the missed and expired windows the
    /// report lists, in its order, with the same deadlines and urgencies.
    @Test func schemaQueryListsTheMissedAndExpiredWindows() throws {
        let work = scanned()
        let rows = try DatabaseQueue(path: work + "/sovscan.db").read { try Row.fetchAll($0, sql: Fixture.schemaQuery("25.")) }
        let queried = rows.map { row -> String in
            let actBy: Int = row["act_by"]
            let day = String(format: "%04d-%02d-%02d", actBy / 10000, actBy / 100 % 100, actBy % 100)
            return "\(row["org_id"] as String)/\(row["system_id"] as String) \(row["status"] as String) \(day) \(row["urgency"] as Int)"
        }
        let listed = windows(try report(work, ["--within", "0", "--exit-windows", "all"]))
            .filter { $0["status"] as? String != "upcoming" }
            .map { "\($0["organisation"]!)/\($0["system"]!) \($0["status"]!) \($0["act_by"]!) \($0["urgency"]!)" }
        #expect(queried.count == 5)
        #expect(queried == listed)
    }

    /// The warnings of a contract whose notice deadline has passed, or that
    /// has ended, at the `ends:` value; none on as_of itself.
    static let contracts = """
        inventory: 1
        organisation: {id: amt, name: Amt, type: agency, country: DE}
        as_of: 2026-06-01
        systems:
          - id: fibu
            name: Finanzbuchhaltung
            function: erp_finance
            product: SAP S/4HANA
            vendor: SAP SE
            deployment: on_premises
            licence: proprietary
            criticality: high
            contract:
              notice_months: 6
              ends: 2026-09-30
          - {id: mail, name: E-Mail, function: email, product: Exchange, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: medium, contract: {ends: 2026-05-31}}
          - {id: dms, name: DMS, function: document_management, product: DMS, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: low, contract: {ends: 2026-12-01, notice_months: 6}}
          - {id: wiki, name: Wiki, function: collaboration, product: Wiki, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: low, contract: {ends: 2026-06-01}}
          - {id: crm, name: CRM, function: other, product: CRM, vendor: Microsoft, deployment: on_premises, licence: proprietary, criticality: low, contract: {ends: 2026-06-30, notice_months: 1}}

        """

    static let expectedWarnings = """
        a.yaml:15:13: warning: notice deadline 2026-03-30 (ends 2026-09-30 less 6 months) passed before as_of 2026-06-01: record the renewal or the new contract end
        a.yaml:16:170: warning: the contract ended on 2026-05-31, before as_of 2026-06-01, and the system is still listed: record the new contract's end, or remove the system if it was retired
        a.yaml:19:158: warning: notice deadline 2026-05-30 (ends 2026-06-30 less 1 month) passed before as_of 2026-06-01: record the renewal or the new contract end

        """

    @Test func validateAndScanWarnAtTheContractsEnd() throws {
        let work = Fixture.write(["a.yaml": Self.contracts])
        let validate = Binary.run(["validate", "a.yaml"], in: work)
        #expect(validate.status == 0)
        #expect(validate.stderr == Self.expectedWarnings)
        #expect(validate.stdout.hasPrefix("valid: 1 file, 1 organisation, 5 systems, 0 errors and 3 warnings\nassumed: "))
        let scan = Binary.run(["scan", "a.yaml"], in: work)
        #expect(scan.status == 0)
        #expect(scan.stderr == Self.expectedWarnings)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["validate", "a.yaml", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { "\($0["line"]!):\($0["column"]!) \($0["code"]!) \($0["severity"]!)" }
                == ["15:13 notice-deadline-passed warning", "16:170 contract-ended warning", "19:158 notice-deadline-passed warning"])
        // The scan keeps them with the snapshot.
        let stored = try DatabaseQueue(path: work + "/sovscan.db").read { db in
            try String.fetchAll(db, sql: "SELECT line || ':' || \"column\" || ' ' || code FROM scan_diagnostic ORDER BY position")
        }
        #expect(stored == ["15:13 notice-deadline-passed", "16:170 contract-ended", "19:158 notice-deadline-passed"])
    }

    @Test func withoutAsOfTheScanDateDecides() {
        let text = Self.contracts.replacingOccurrences(of: "as_of: 2026-06-01\n", with: "")
            .replacingOccurrences(of: "ends: 2026-05-31", with: "ends: 2001-05-31")
        let result = Binary.run(["validate", "a.yaml"], in: Fixture.write(["a.yaml": text]))
        #expect(result.status == 0)
        let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("a.yaml:15:170: warning: the contract ended on 2001-05-31, before the scan date ") }
        #expect(line?.hasSuffix(" (the inventory gives no as_of), and the system is still listed: record the new contract's end, or remove the system if it was retired") == true,
                "\(result.stderr)")
    }
}
