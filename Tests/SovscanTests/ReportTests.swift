import Foundation
import SwiftCSV
import Testing

/// `sovscan report`: aggregates, conservation, order invariance, escaping, formats.
@Suite struct ReportTests {
    static let hostile = "<script>alert('x')</script> \"Q\" & =cmd|' /C calc'!A0"
    static let formula = "=cmd|' /C calc'!A0"

    /// A ministry with a municipality and an agency, and an organisation with no ministry above it.
    static let land: [String: String] = [
        "organisations.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n",
        "a.yaml": Fixture.inventory(systems:
            Fixture.system(id: "a1", ["users": "300", "criticality": "high", "contract": "{ends: 2027-12-31, notice_months: 6, exit_plan: false}"])
            + Fixture.system(id: "a2", ["vendor": "Nextcloud", "deployment": "on_premises", "hosting": "{data_location: [DE]}", "licence": "AGPL-3.0-or-later",
                                        "users": "50", "criticality": "low", "contract": "{ends: 2026-12-31, notice_months: 3}"]),
            organisation: "organisation: {id: stadt, name: Stadt, type: municipality, parent: mi, country: DE}\n"),
        "b.yaml": Fixture.inventory(systems:
            Fixture.system(id: "b1", ["vendor": "SAP SE", "deployment": "on_premises", "hosting": "{data_location: [DE]}", "users": "1000", "criticality": "critical",
                                      "contract": "{ends: 2031-01-01, notice_months: 12}"]),
            organisation: "organisation: {id: amt, name: Amt, type: agency, parent: mi, country: DE}\n"),
        "c.yaml": Fixture.inventory(systems: Fixture.system(id: "c1", ["name": "\"\(formula)\"", "users": "7", "criticality": "medium"]),
                                    organisation: "organisation: {id: frei, name: \"\(hostile.replacingOccurrences(of: "\"", with: "\\\""))\", type: other, country: DE}\n"),
    ]

    private func scores(_ work: String, _ system: String) throws -> (lockIn: Double, jurisdiction: Double) {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["explain", system, "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let scores = try #require(json["scores"] as? [String: [String: Any]])
        return (Double(scores["lock_in"]!["score"] as! Int), Double(scores["jurisdiction"]!["score"] as! Int))
    }

    private func report(_ work: String, _ arguments: [String] = []) throws -> [String: Any] {
        let result = Binary.run(["report", "--format", "json"] + arguments, in: work)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func ministryAggregatesMatchAHandComputation() throws {
        let work = Fixture.write(Self.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let json = try report(work)
        #expect(json["level"] as? String == "ministry")
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.map { $0["id"] as? String } == ["frei", "mi"])
        let ministry = groups[1]
        #expect(ministry["organisations"] as? Int == 3, "the ministry, the municipality and the agency")
        #expect(ministry["systems"] as? Int == 3)
        #expect(ministry["users"] as? Int == 1350)
        #expect(ministry["standalone"] as? Bool == false)
        #expect(groups[0]["standalone"] as? Bool == true)

        // Criticality-weighted means: a1 high (3), a2 low (1), b1 critical (4).
        let a1 = try scores(work, "stadt/a1"), a2 = try scores(work, "stadt/a2"), b1 = try scores(work, "amt/b1")
        let lockIn = ((3 * a1.lockIn + 1 * a2.lockIn + 4 * b1.lockIn) / 8 * 10).rounded() / 10
        let jurisdiction = ((3 * a1.jurisdiction + 1 * a2.jurisdiction + 4 * b1.jurisdiction) / 8 * 10).rounded() / 10
        let lockInSummary = try #require(ministry["lock_in"] as? [String: Any])
        #expect(lockInSummary["score"] as? Double == lockIn)
        #expect((ministry["jurisdiction"] as? [String: Any])?["score"] as? Double == jurisdiction)
        let bands = try #require(lockInSummary["bands"] as? [String: Int])
        #expect(bands.values.reduce(0, +) == 3)

        // Shares 3/8 (Microsoft), 1/8 (Nextcloud), 4/8 (SAP): HHI (9 + 1 + 16) / 64 * 10000.
        let vendors = try #require(ministry["vendors"] as? [[String: Any]])
        #expect(vendors.map { $0["id"] as? String } == ["sap", "microsoft", "nextcloud"])
        #expect(vendors.map { $0["share"] as? Double } == [0.5, 0.375, 0.125])
        #expect(vendors[0]["country"] as? String == "DE")
        #expect(ministry["hhi"] as? Double == 4062.5)

        // Exit windows from 2026-09-30 over 18 months: a1 (act by 2027-06-30), a2 (2026-09-30); b1 is later.
        let windows = try #require(ministry["exit_windows"] as? [[String: Any]])
        #expect(Set(windows.map { $0["system"] as? String }) == ["a1", "a2"])
        #expect(windows.first { $0["system"] as? String == "a1" }?["act_by"] as? String == "2027-06-30")
        let narrow = try report(work, ["--within", "3"])
        let narrowWindows = ((narrow["groups"] as? [[String: Any]])?[1]["exit_windows"] as? [[String: Any]]) ?? []
        #expect(narrowWindows.map { $0["system"] as? String } == ["a2"])
    }

    @Test(arguments: ["-5", "1.5", "601", "soon"])
    func monthsAheadMustBeAWholeNumberInRange(within: String) {
        let result = Binary.run(["report", "--within", within, "--db", "none.db"], in: Fixture.directory())
        #expect(result.status == 64)
        #expect(result.stderr.contains("The value '\(within)' is invalid for '--within <months>': the months must be a whole number from 0 to 600"),
                "\(result.stderr)")
    }

    @Test func groupTotalsAddUpAtEveryLevel() throws {
        let work = Fixture.write(Self.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        for (level, rowsKey) in [("ministry", "groups"), ("organisation", "groups"), ("vendor", "vendors"), ("country", "countries"),
                                 ("system", "systems")] {
            let json = try report(work, ["--level", level])
            let groups = try #require(json[rowsKey] as? [[String: Any]])
            let totals = try #require(json["totals"] as? [String: Any])
            #expect(level == "system" ? groups.count == 4 : groups.map { $0["systems"] as? Int ?? 0 }.reduce(0, +) == 4, "\(level)")
            if level != "country" {
                #expect(groups.map { $0["users"] as? Int ?? 0 }.reduce(0, +) == totals["users"] as? Int, "\(level)")
            }
            #expect(totals["systems"] as? Int == 4)
            let bands = try #require((totals["lock_in"] as? [String: Any])?["bands"] as? [String: Int])
            #expect(bands.values.reduce(0, +) == 4)
        }
        let under = try report(work, ["--under", "mi"])
        #expect((under["groups"] as? [[String: Any]])?.map { $0["id"] as? String } == ["mi"])
        let missing = Binary.run(["report", "--under", "mj"], in: work)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("has no organisation 'mj'; did you mean 'mi'?"))
    }

    @Test func reorderingFilesAndMovingDocumentsChangesNoNumber() throws {
        let first = Fixture.write(Self.land)
        var merged = Self.land.sorted { $0.key > $1.key }.map { "---\n" + $0.value }.joined()
        merged += ""
        let second = Fixture.write(["all/one.yaml": merged])
        #expect(Binary.run(["scan", "."], in: first).status == 0)
        #expect(Binary.run(["scan", "all"], in: second).status == 0)
        for level in ["ministry", "organisation", "vendor", "system"] {
            var one = try report(first, ["--level", level]), two = try report(second, ["--level", level])
            one["scan"] = nil
            two["scan"] = nil
            #expect(NSDictionary(dictionary: one).isEqual(to: two), "\(level)")
        }
    }

    @Test func hostileStringsAreEscapedInEveryFormat() throws {
        let work = Fixture.write(Self.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let html = Binary.run(["report", "--format", "html", "--level", "organisation"], in: work).stdout
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;Q&quot; &amp; =cmd|&#39; /C calc&#39;!A0"))
        let markdown = Binary.run(["report", "--format", "markdown"], in: work).stdout
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("&lt;script&gt;"))
        #expect(markdown.contains("=cmd\\|' /C calc"), "a | in inventory text cannot break a table")
        let csv = Binary.run(["report", "--format", "csv", "--level", "organisation"], in: work).stdout
        let parsed = try CSV<Named>(string: csv)
        let frei = try #require(parsed.rows.first { $0["group"] == "frei" })
        #expect(frei["name"] == Self.hostile, "text kept as written")
        let systems = try CSV<Named>(string: Binary.run(["report", "--format", "csv", "--level", "system"], in: work).stdout)
        let c1 = try #require(systems.rows.first { $0["organisation"] == "frei" && $0["system"] == "c1" })
        #expect(c1["name"] == "'" + Self.formula, "a leading = is neutralised, the text kept")
    }

    @Test func csvReadsBackAsTheJSONSays() throws {
        let work = Fixture.write(Self.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        let json = try report(work, ["--level", "organisation"])
        let csv = try CSV<Named>(string: Binary.run(["report", "--format", "csv", "--level", "organisation"], in: work).stdout)
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(csv.rows.count == groups.count)
        for (row, group) in zip(csv.rows, groups) {
            #expect(row["group"] == group["id"] as? String)
            #expect(Int(row["systems"] ?? "") == group["systems"] as? Int)
            #expect(Double(row["lock_in"] ?? "") == (group["lock_in"] as? [String: Any])?["score"] as? Double)
            #expect(Int(row["exit_windows"] ?? "") == group["exit_window_count"] as? Int)
        }
    }

    @Test func outputFileIsOwnerOnlyAndTableIsPlainInAPipe() throws {
        let work = Fixture.write(Self.land)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        #expect(Binary.run(["report", "--format", "html", "--output", "r.html"], in: work).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: work + "/r.html")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let html = try String(contentsOfFile: work + "/r.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") && !html.contains("src=\""), "nothing is loaded from anywhere")
        #expect(html.contains("<svg role=\"img\""))
        let table = Binary.run(["report"], in: work)
        #expect(!table.stdout.contains("\u{1B}["), "no colour in a pipe")
        #expect(table.stdout.contains("Exit windows"))
        try Data("<h1>{{#groups}}{{name}};{{/groups}}</h1>\n".utf8).write(to: URL(fileURLWithPath: work + "/report.mustache"))
        let custom = Binary.run(["report", "--format", "html", "--level", "organisation", "--template-dir", work], in: work)
        #expect(custom.status == 0)
        #expect(custom.stdout == "<h1>Amt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;Q&quot; &amp; =cmd|&#39; /C calc&#39;!A0;Stadt;</h1>\n",
                "a replaced template still escapes inventory text")
        let badTemplate = Binary.run(["report", "--format", "html", "--template-dir", "/nonexistent"], in: work)
        #expect(badTemplate.status == 1)
        #expect(badTemplate.stderr.contains("no template at /nonexistent/report.mustache"))
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium with `arguments`; what it printed (its log through a file, so that neither stream blocks the other).
    static func headless(_ chromium: String, _ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let log = Fixture.directory() + "/chromium.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (text, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    /// The report, and the pages of the scenarios, render without an error
    /// and without reaching for anything outside the file.
    @Test(.enabled(if: chromium != nil, "Chromium is not installed"))
    func htmlOpensInChromiumWithoutErrorsOrRequests() throws {
        let chromium = try #require(Self.chromium)
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example"], in: work).status == 0)
        let pages: [String: [String]] = [
            "report": ["report"],
            "cutoff": ["whatif", "cutoff", "--parent", "Microsoft"],
            "plan": ["whatif", "plan", Fixture.root + "/inventories/plans/exchange-online-to-ox.yaml"],
        ]
        for (name, command) in pages {
            #expect(Binary.run(command + ["--format", "html", "--output", "\(name).html"], in: work).status == 0)
            let log = try Self.headless(chromium, ["--enable-logging=stderr", "--v=0", "--screenshot=\(work)/\(name).png", "--window-size=1280,2400",
                                                   "file://\(work)/\(name).html"]).stderr
            #expect(FileManager.default.fileExists(atPath: work + "/\(name).png"), "\(name)")
            for sign in ["Uncaught", "Refused to", "net::ERR", "Failed to load resource"] {
                #expect(!log.contains(sign), "\(sign) in Chromium's log of \(name).html")
            }
        }
    }
}

/// The report's charts as a browser lays them out: no label runs out of its
/// chart, and no two labels of a chart read the same for different names.
@Suite struct ChartLayoutTests {
    /// Measures every chart label and wide table in Chromium: the report
    /// without its content policy, with a script that notes what runs out
    /// of its chart, and a table that needs scrolling on a 1400-pixel page.
    static let probe = """
        <script>
        const problems = [];
        for (const svg of document.querySelectorAll('svg')) {
          const box = svg.getBoundingClientRect();
          const seen = new Map();
          for (const text of svg.querySelectorAll('text')) {
            const rect = text.getBoundingClientRect();
            const shown = Array.from(text.childNodes).filter(n => n.nodeName !== 'title').map(n => n.textContent).join(' ');
            if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5 || rect.top < box.top - 0.5 || rect.bottom > box.bottom + 0.5) {
              problems.push('clipped: ' + shown);
            }
            const title = text.querySelector('title');
            if (title) {
              if (seen.has(shown) && seen.get(shown) !== title.textContent) problems.push('ambiguous: ' + shown);
              seen.set(shown, title.textContent);
            }
          }
        }
        for (const wide of document.querySelectorAll('.wide')) {
          if (wide.scrollWidth > wide.clientWidth + 1) problems.push('a table wider than the page: ' + wide.scrollWidth + ' > ' + wide.clientWidth + ' px');
        }
        document.body.setAttribute('data-problems', JSON.stringify(problems));
        document.body.setAttribute('data-charts', String(document.querySelectorAll('svg').length));
        </script>
        """

    @Test(.enabled(if: ReportTests.chromium != nil, "Chromium is not installed"), arguments: ["en", "de"])
    func noChartLabelIsClippedOrAmbiguousAt1400Pixels(language: String) throws {
        let chromium = try #require(ReportTests.chromium)
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example"], in: work).status == 0)
        for level in ["ministry", "organisation"] {
            let html = Binary.run(["report", "--level", level, "--format", "html", "--lang", language], in: work).stdout
            #expect(html.contains("<html lang=\"\(language)\">"))
            let probed = html.replacingOccurrences(of: #"<meta http-equiv="Content-Security-Policy""#, with: "<meta name=\"policy-removed-for-the-probe\"")
                .replacingOccurrences(of: "</body>", with: Self.probe + "</body>")
            try probed.write(toFile: work + "/\(level).html", atomically: true, encoding: .utf8)
            let dom = try ReportTests.headless(chromium, ["--window-size=1400,3000", "--dump-dom", "file://\(work)/\(level).html"]).stdout
            #expect(dom.contains("data-problems=\"[]\""), "\(level): \(dom.components(separatedBy: "data-problems=").dropFirst().first?.prefix(600) ?? "no probe result")")
            #expect(!dom.contains("data-charts=\"0\"") && dom.contains("data-charts="), "\(level): the charts were not measured")
            // The heat map's figures exist as a table too; an unknown vendor is hatched, not in a band's colour.
            #expect(html.contains("<table class=\"figures\">") && html.contains("(%)</th>"))
        }
        let html = Binary.run(["report", "--level", "organisation", "--format", "html", "--lang", language], in: work).stdout
        #expect(html.contains("url(#unknown)"), "an organisation of the example has a vendor nothing knows")
    }
}

/// The HTML report lists the riskiest systems of its scope, as `--level system` orders them.
@Suite struct RiskiestSystemsTests {
    @Test func theRiskiestSystemsAreTheFirstOfTheSystemLevel() throws {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        for scope in [[String](), ["--under", "bl-im"]] {
            let listed = Binary.run(["report", "--level", "system", "--top", "10", "--format", "json"] + scope, in: work)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
            let systems = try #require(json["systems"] as? [[String: Any]])
            #expect(systems.count == 10)
            let html = Binary.run(["report", "--format", "html"] + scope, in: work).stdout
            let section = try #require(html.components(separatedBy: "<h2>The riskiest systems</h2>").dropFirst().first?.components(separatedBy: "</table>").first)
            // The same systems in the same order.
            var rest = Substring(section)
            for system in systems {
                let name = "(\(system["organisation"] as? String ?? "")/\(system["system"] as? String ?? ""))"
                let found = try #require(rest.range(of: name), "\(name) in order")
                rest = rest[found.upperBound...]
            }
            #expect(section.components(separatedBy: "<tr>").count - 2 == 10)
        }
    }
}

/// `report --format pdf`: the HTML printed on A4 by headless Chromium, with
/// a running header and page numbers on every page; without Chromium, one line.
@Suite struct PrintedReportTests {
    static let pdftotext = ["/usr/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What every page and the whole of a printed report say, in each language.
    struct Printed: Sendable, CustomTestStringConvertible {
        var language: String
        var scope: String
        var scan: String
        var page: @Sendable (Int, Int) -> String
        var sections: [String]
        var testDescription: String { language }
    }

    static let languages = [
        Printed(language: "en", scope: "Dependence on IT vendors – by ministry", scan: "scan 1, as of 2026-09-30", page: { "page \($0) of \($1)" },
                sections: ["Summary", "Jurisdiction exposure", "Lock-in", "Vendors across groups", "Exit windows", "Glossary"]),
        Printed(language: "de", scope: "Abhängigkeit von IT-Anbietern – nach Ministerium", scan: "Scan 1, Stichtag 30.09.2026", page: { "Seite \($0) von \($1)" },
                sections: ["Übersicht", "Rechtsraum-Stufen je Gruppe", "Lock-in-Stufen je Gruppe", "Anbieteranteile im Gruppenvergleich", "Ausstiegsfenster", "Glossar"]),
    ]

    @Test(.enabled(if: ReportTests.chromium != nil && pdftotext != nil, "Chromium or pdftotext (poppler-utils) is not installed"), arguments: languages)
    func everyPrintedPageSaysWhatItIsAndWhichPage(expected: Printed) throws {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example"], in: work).status == 0)
        let printed = Binary.run(["report", "--format", "pdf", "--output", "report.pdf", "--lang", expected.language], in: work)
        #expect(printed.status == 0, "\(printed.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: work + "/report.pdf"))
        #expect(bytes.starts(with: Array("%PDF".utf8)))
        #expect((try FileManager.default.attributesOfItem(atPath: work + "/report.pdf")[.posixPermissions] as? Int) == 0o600)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.pdftotext))
        process.arguments = [work + "/report.pdf", "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // pdftotext ends each page with a form feed.
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: true).filter { !$0.allSatisfy(\.isWhitespace) }
        #expect(pages.count >= 3, "\(pages.count) pages")
        for (index, page) in pages.enumerated() {
            #expect(page.contains(expected.scope) && page.contains(expected.scan)
                    && page.contains(expected.page(index + 1, pages.count)), "page \(index + 1): \(page.prefix(300))")
        }
        for section in expected.sections {
            #expect(text.contains(section), "\(section)")
        }
    }

    @Test func withoutChromiumAPDFIsRefusedInALine() throws {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let refused = Binary.run(["report", "--format", "pdf", "--output", "report.pdf"], in: work, environment: ["PATH": "/nonexistent", "SOVSCAN_CHROMIUM": ""])
        #expect(refused.status == 1 && refused.stderr.contains("Chromium, which is not installed"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/report.pdf"))
    }
}

/// Typical cross-site scripting payloads as organisation, system and vendor
/// names: none may reach a report as markup.
@Suite struct XSSCorpusTests {
    static let payloads = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "\"><script>alert(1)</script>",
        "'><img src=x onerror=alert(1)>", "<iframe src=javascript:alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
        "</title><script>alert(1)</script>", "</style><script>alert(1)</script>", "{{7*7}}", "{{{payload}}}",
        "<math><mi xlink:href=\"javascript:alert(1)\">", "<body onload=alert(1)>", "&lt;script&gt;", "<!--", "]]><script>alert(1)</script>",
        "<details open ontoggle=alert(1)>", "\u{202E}evil", "<scr<script>ipt>alert(1)</script>",
    ]

    @Test func noPayloadReachesTheHTMLAsMarkup() throws {
        var files: [String: String] = ["m.yaml": "inventory: 1\norganisations:\n  - {id: mi, name: Ministerium, type: ministry, country: DE}\n"]
        for (index, payload) in Self.payloads.enumerated() {
            let quoted = "\"" + payload.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            files["o\(index).yaml"] = Fixture.inventory(
                systems: Fixture.system(["name": quoted, "vendor": quoted, "hosting": "{provider: \(quoted), data_location: [DE]}",
                                         "contract": "{ends: 2027-06-30, notice_months: 3}"]),
                organisation: "organisation: {id: o\(index), name: \(quoted), type: agency, parent: mi, country: DE}\n")
        }
        let work = Fixture.write(files)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        #expect(Binary.run(["scan", "."], in: work).status == 0)
        for level in ["ministry", "organisation", "vendor", "system"] {
            let html = Binary.run(["report", "--format", "html", "--level", level], in: work).stdout
            for marker in ["<script", "<img", "<svg/", "<iframe", "<a href", "<math", "<body onload", "<details", "<!--", "<scr<"] {
                #expect(!html.contains(marker), "\(marker) at level \(level)")
            }
            #expect(html.contains("{{7*7}}"), "template syntax in inventory text is shown, not evaluated")
            #expect(!html.contains("=\"javascript"), "no script URL in an attribute")
        }
        let history = Binary.run(["history", "--format", "html", "--level", "organisation"], in: work).stdout
        #expect(!history.contains("<script") && !history.contains("<img"))
        let markdown = Binary.run(["report", "--format", "markdown", "--level", "organisation"], in: work).stdout
        #expect(!markdown.contains("<script") && !markdown.contains("<img"))
    }
}
