import Foundation
import Testing

/// `--lang de|en`: what people read in German (headings, bands, numbers,
/// dates, rule titles), while JSON and CSV keep English keys and ISO values.
@Suite struct LanguageTests {
    static let scanned: String = {
        let work = Fixture.write([:])
        let scan = Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work)
        precondition(scan.status == 0, scan.stderr)
        return work
    }()

    private func run(_ arguments: [String], environment: [String: String] = [:]) -> Binary.Result {
        let result = Binary.run(arguments, in: Self.scanned, environment: environment)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result
    }

    /// What a Python script prints.
    static func printed(byPython script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ImportTests.python))
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script)")
        return text
    }

    private func json(_ arguments: [String]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run(arguments + ["--format", "json"]).stdout.utf8)) as? [String: Any])
    }

    @Test func theMinistrySummaryInGerman() throws {
        let report = try json(["report"])
        let totals = try #require(report["totals"] as? [String: Any])
        let users = try #require(totals["users"] as? Int)
        let first = try #require((report["groups"] as? [[String: Any]])?.first)
        let lockIn = try #require((first["lock_in"] as? [String: Any])?["score"] as? Double)

        let table = run(["report", "--lang", "de"]).stdout
        #expect(table.hasPrefix("sovscan-Bericht: Scan 1, Stichtag 30.09.2026, je Ministerium; 4 Ministerien, sortiert nach Kennung\n"))
        // German digit grouping and decimal comma, German band names.
        #expect(table.contains("\(German.count(users)) Nutzer, summiert über die Systeme"))
        #expect(table.contains(String(format: "%.1f", lockIn).replacingOccurrences(of: ".", with: ",") + " mittel"))
        for heading in ["Ministerium", "Systeme", "Nutzer (Summe)", "Jahreskosten EUR", "Lock-in (0–100)", "Rechtsraum (0–100)", "HHI (0–10.000)",
                        "Legende:", "Zuerst zu beantworten: die im Inventar", "Ausstiegsfenster zum Stichtag 30.09.2026", "bevorstehend", "Kündigung bis",
                        "(davon 211 hoch oder kritisch)", "Jahreskosten 45.129.020 EUR (Angabe für 177 von 276 Systemen)"] {
            #expect(table.contains(heading), "\(heading)")
        }
        for english in ["Legend:", "users summed", " medium", " high ", "upcoming", "act by", "as of"] {
            #expect(!table.contains(english), "English '\(english)' in the German table")
        }
        // Dates are German wherever they are shown, never ISO.
        #expect(table.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) == nil)

        let markdown = run(["report", "--lang", "de", "--format", "markdown"]).stdout
        for heading in ["# sovscan-Bericht: Scan 1, Stichtag 30.09.2026", "## Zuerst zu beantworten", "## Ausstiegsfenster", "## Glossar", "Schwerwiegendste Befunde:\n\n- "] {
            #expect(markdown.contains(heading), "\(heading)")
        }
    }

    /// The language follows LC_ALL, then LANG; `--lang` overrides both.
    @Test func theLanguageComesFromTheEnvironmentUnlessAsked() {
        let german = run(["report"], environment: ["LANG": "de_DE.UTF-8"]).stdout
        #expect(german.hasPrefix("sovscan-Bericht: "))
        #expect(run(["report"], environment: ["LANG": "en_GB.UTF-8", "LC_ALL": "de_AT.UTF-8"]).stdout.hasPrefix("sovscan-Bericht: "))
        #expect(run(["report", "--lang", "en"], environment: ["LANG": "de_DE.UTF-8"]).stdout.hasPrefix("sovscan report: "))
        #expect(run(["report"]).stdout.hasPrefix("sovscan report: "))
        let refused = Binary.run(["report", "--lang", "fr"], in: Self.scanned)
        #expect(refused.status == 64 && refused.stderr.contains("'fr'"), "\(refused.stderr)")
    }

    /// Rule titles come from the scan's rule set in German: the heaviest
    /// findings name each rule as `translations.de.title` says.
    @Test func rulesAreNamedInGerman() throws {
        let germanTitles = ScoringTests.model.rules.reduce(into: [String: String]()) { $0[$1.id] = $1.translations[.de]?.title }
        let report = try json(["report"])
        let findings = try #require((report["groups"] as? [[String: Any]])?.flatMap { $0["heaviest_findings"] as? [[String: Any]] ?? [] })
        #expect(!findings.isEmpty)
        let html = run(["report", "--lang", "de", "--format", "html"]).stdout
        for finding in findings {
            let rule = try #require(finding["rule"] as? String)
            let title = try #require(germanTitles[rule])
            #expect(html.contains(German.escaped(title)), "\(rule): \(title)")
            // JSON stays English, whatever the language.
            #expect(finding["title"] as? String == ScoringTests.model.rules.first { $0.id == rule }?.title)
        }
        let systems = run(["report", "--level", "system", "--top", "5", "--lang", "de"]).stdout
        #expect(systems.hasPrefix("sovscan-Systeme: Scan 1, Stichtag 30.09.2026; die ersten 5 der 276 Systeme, sortiert nach Risiko\n"))
        #expect(germanTitles.values.contains { systems.contains($0) }, "the heaviest finding of a system in German")
        #expect(systems.contains(" – 15 Punkte"))
    }

    /// `explain` in German: the parties, the bands and every rule's title and rationale as the rule set translates them.
    @Test func explainInGerman() throws {
        let json = try json(["explain", "bl-fm-zentrale/entra"])
        let scores = try #require(json["scores"] as? [String: [String: Any]])
        let rules = scores.values.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        #expect(!rules.isEmpty)
        let text = run(["explain", "bl-fm-zentrale/entra", "--lang", "de"]).stdout
        #expect(text.contains("\nAnbieter: Microsoft, zugeordnet zu Microsoft Corporation (US: ") && text.contains("\nBetreiber: der Hosting-Anbieter\n"))
        #expect(text.contains("\nLock-in: ") && text.contains("\nRechtsraum: ") && text.contains("          Quelle: "))
        for rule in rules {
            let german = try #require(ScoringTests.model.rules.first { $0.id == rule }?.translations[.de])
            #expect(text.contains("\(rule): \(german.title)\n          \(german.rationale)\n"), "\(rule)")
        }
    }

    /// The summaries of `validate` and `scan` in German: counts with their German nouns, bands in German.
    @Test func validateAndScanSayWhatTheyDidInGerman() {
        let example = Fixture.root + "/inventories/example"
        let validated = run(["validate", example, "--lang", "de"]).stdout
        #expect(validated.hasPrefix("gültig: 18 Dateien, 22 Organisationen, 276 Systeme, 0 Fehler und 5 Warnungen\n"), "\(validated)")
        #expect(validated.contains("\nangenommen: data.personal fehlt bei 114 von 276 Systemen (zuerst: "), "\(validated)")
        let scanned = run(["scan", example, "--db", "de.db", "--lang", "de"]).stdout
        #expect(scanned.hasPrefix("Scan 1: 22 Organisationen, 276 Systeme aus 18 Dateien, 0 Fehler und 5 Warnungen, gespeichert in de.db\n  Lock-in: "),
                "\(scanned)")
        #expect(scanned.contains(" niedrig, ") && scanned.contains(" kritisch\n  Rechtsraum: "))
    }

    /// `whatif` in German: verdicts, headings and values; its JSON as in English.
    @Test func scenariosInGerman() {
        let cutoff = run(["whatif", "cutoff", "--parent", "Microsoft", "--lang", "de"]).stdout
        #expect(cutoff.hasPrefix("sovscan whatif cutoff: Scan 1, Stichtag 30.09.2026, abgeschnitten: Microsoft Corporation (Konzern microsoft)\n"), "\(cutoff)")
        for text in ["\nErgebnis: ", " Funktionen fallen aus, ", "\nJe Ministerium:\n", "\nAusfallende Systeme:\n", "Grund des Ausfalls", "Anbieter: Microsoft Corporation",
                     "\nLegende:\n  abgeschnitten: "] {
            #expect(cutoff.contains(text), "\(text)")
        }
        let country = run(["whatif", "cutoff", "--country", "US", "--lang", "de"]).stdout
        #expect(country.contains(", abgeschnitten: Vereinigte Staaten (Land US)\n"), "\(country.prefix(200))")
        // Substitutability as German words, never the inventory's English values.
        #expect(country.contains("  schwer  ") && !country.contains("  hard  ") && !country.contains("  medium  "))
        #expect(run(["whatif", "cutoff", "--parent", "Microsoft", "--format", "json", "--lang", "de"]).stdout
                == run(["whatif", "cutoff", "--parent", "Microsoft", "--format", "json", "--lang", "en"]).stdout)
        let plan = Fixture.root + "/inventories/plans/exchange-online-to-ox.yaml"
        let planned = run(["whatif", "plan", plan, "--lang", "de"]).stdout
        for text in ["auf Scan 1, Stichtag 30.09.2026\n", "\nSchritte: Zeile 6 setzt ", "\nBetroffene Ministerien:\n", " geändert ", "\nalle Organisationen ",
                     " hoch → 6 niedrig"] {
            #expect(planned.contains(text), "\(text)")
        }
        let markdown = run(["whatif", "plan", plan, "--lang", "de", "--format", "markdown"]).stdout
        #expect(markdown.contains("\n## Glossar\n") && markdown.contains("\n## Ausstiegsfenster innerhalb von 18 Monaten, die der Plan öffnet oder schließt\n"))
    }

    /// The listings in German: snapshots, rules (with their German titles), a vendor's chain, and an import's summary.
    @Test func listingsAndTheImportInGerman() throws {
        let scans = run(["scans", "--lang", "de"]).stdout
        #expect(scans.hasPrefix("Scan  Beginn (UTC)") && scans.contains("  30.09.2026  "), "\(scans)")
        let rules = run(["rules", "list", "--lang", "de"]).stdout
        for rule in ScoringTests.model.rules {
            #expect(rules.contains(try #require(rule.translations[.de]?.title)), "\(rule.id)")
        }
        let vendor = run(["vendors", "show", "VMware", "--lang", "de"]).stdout
        #expect(vendor.contains("\nEigentümerkette heute:\n") && vendor.contains("im Besitz von Broadcom Inc. (US) seit 22.11.2023"), "\(vendor)")
        let exported = run(["export", "--format", "csv", "--output", "bestand.csv"])
        #expect(exported.status == 0)
        let imported = run(["import", "bestand.csv", "--out", "eingelesen", "--lang", "de"]).stdout
        #expect(imported.hasPrefix("276 Systeme aus 22 Organisationen importiert nach eingelesen\n  bestand.csv: 281 Zeilen, UTF-8, getrennt durch ','\n"),
                "\(imported)")
        #expect(imported.contains("\nZuerst zu beantworten (die bei den Systemverantwortlichen zu erfragenden Felder;"))
        let organisation = Fixture.write(["a.csv": "organisation,id,name,function,product,vendor,deployment,licence,criticality\n"
                                                   + "amt,mail,Mail,email,P,Microsoft,on_premises,proprietary,low\n"])
        let declared = Binary.run(["import", "a.csv", "--out", "inv", "--lang", "de"], in: organisation)
        #expect(declared.stdout.contains("\nMit angenommenen Vorgaben angelegt (") && declared.stdout.contains("  amt: Typ other, Land DE, die Kennung als Name\n"),
                "\(declared.stdout)\(declared.stderr)")
    }

    /// JSON and CSV are for machines: the same bytes in either language.
    @Test func jsonAndCSVDoNotChangeWithTheLanguage() {
        for format in ["json", "csv"] {
            for level in ["ministry", "vendor", "country"] {
                let english = run(["report", "--level", level, "--format", format, "--lang", "en"]).stdout
                #expect(run(["report", "--level", level, "--format", format, "--lang", "de"]).stdout == english, "\(level) \(format)")
            }
            #expect(run(["history", "--format", format, "--lang", "de"]).stdout == run(["history", "--format", format, "--lang", "en"]).stdout)
        }
        for command in [["explain", "bl-fm-zentrale/entra"], ["vendors", "unresolved", "--scan", "1"], ["scans"], ["rules", "list"]] {
            #expect(run(command + ["--format", "json", "--lang", "de"]).stdout == run(command + ["--format", "json", "--lang", "en"]).stdout, "\(command)")
        }
    }

    /// Excel's CSV: `;` in German, `,` in English, UTF-8 with a byte-order
    /// mark in both; `--lang` chooses over the locale.
    @Test func theExcelDialectFollowsTheLanguage() {
        for (language, locale, delimiter) in [("de", "en_GB.UTF-8", ";"), ("en", "de_DE.UTF-8", ",")] {
            let bytes = Array(run(["report", "--format", "csv", "--csv-dialect", "excel", "--lang", language], environment: ["LANG": locale]).stdout.utf8)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(language)")
            let header = String(decoding: bytes.dropFirst(3).prefix { $0 != 0x0D }, as: UTF8.self)
            #expect(header.hasPrefix("group\(delimiter)name\(delimiter)standalone\(delimiter)"), "\(language): \(header)")
        }
    }

    /// `template` and `export` choose Excel's separator by their own `--lang` too.
    @Test func theSpreadsheetCommandsFollowTheirLanguage() {
        for command in [["template"], ["export"]] {
            let german = run(command + ["--format", "csv", "--csv-dialect", "excel", "--lang", "de"], environment: ["LANG": "en_GB.UTF-8"]).stdout
            #expect(german.hasPrefix("\u{FEFF}organisation;"), "\(command): \(german.prefix(40))")
            let english = run(command + ["--format", "csv", "--csv-dialect", "excel", "--lang", "en"], environment: ["LANG": "de_DE.UTF-8"]).stdout
            #expect(english.hasPrefix("\u{FEFF}organisation,"), "\(command): \(english.prefix(40))")
        }
    }

    /// A template of one's own (`--template-dir`) gets the figures as before,
    /// whatever the language, and the language's forms beside them.
    @Test func aTemplateOfOnesOwnKeepsItsKeys() throws {
        let directory = Self.scanned + "/vorlage"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "{{#groups}}{{hhi}};{{/groups}}|{{#exitWindows}}{{actBy}} {{actByShown}} {{status}} {{statusName}} {{urgency}};{{/exitWindows}}"
            .write(toFile: directory + "/report.mustache", atomically: true, encoding: .utf8)
        let report = try json(["report", "--exit-windows", "1"])
        let hhi = try #require((report["groups"] as? [[String: Any]])?.map { String(format: "%.0f", $0["hhi"] as? Double ?? -1) })
        let window = try #require((report["exit_windows"] as? [[String: Any]])?.first)
        let actBy = try #require(window["act_by"] as? String)
        let page = run(["report", "--format", "html", "--template-dir", directory, "--lang", "de", "--exit-windows", "1"]).stdout
        let german = actBy.split(separator: "-").reversed().joined(separator: ".")
        #expect(page == hhi.map { "\($0);" }.joined() + "|\(actBy) \(german) upcoming bevorstehend \(window["urgency"] as? Int ?? -1);", "\(page)")
    }

    @Test func historyAndDiffInGerman() {
        let history = run(["history", "--lang", "de"]).stdout
        #expect(history.hasPrefix("Punktwerte je Stichtag"))
        #expect(history.contains("30.09.2026") && history.contains("Rechtsraum (0–100)"))
        let page = run(["history", "--lang", "de", "--format", "html"]).stdout
        #expect(page.contains("<html lang=\"de\">") && page.contains("<h1>Abhängigkeit im Zeitverlauf</h1>"))
        let diff = run(["diff", "1", "1", "--lang", "de"]).stdout
        #expect(diff.hasPrefix("Scan 1 (Stichtag 30.09.2026) → Scan 1 (Stichtag 30.09.2026), unverändertes Regelwerk\n"), "\(diff)")
        #expect(diff.contains("Systeme: 0 hinzugekommen, 0 entfallen, 0 geändert") && diff.contains("kein Punktwert hat sich geändert"))
    }

    /// A German workbook, read by openpyxl: German sheet names and headings,
    /// bands in German, and the figures as typed cells equal to the JSON's.
    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)"))
    func theGermanWorkbookThroughOpenpyxl() throws {
        let path = Self.scanned + "/bericht.xlsx"
        _ = run(["report", "--format", "xlsx", "--lang", "de", "--output", path])
        let read = try Self.printed(byPython: """
            import json, openpyxl
            book = openpyxl.load_workbook("\(path)")
            sheet = book["Ministerien"]
            rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
            types = [type(value).__name__ for value in rows[1]]
            print(json.dumps({"sheets": book.sheetnames, "header": rows[0], "first": [str(v) for v in rows[1]], "types": types,
                              "formats": [cell.number_format for cell in sheet[2]],
                              "glossary": [[c.value for c in r] for r in book["Glossar"].iter_rows()][0]}))
            """)
        let workbook = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: Any])
        #expect(workbook["sheets"] as? [String] == ["Ministerien", "Ausstiegsfenster", "Glossar"])
        let header = try #require(workbook["header"] as? [String])
        #expect(Array(header.prefix(3)) == ["Gruppe", "Name", "Einzeln ausgewiesen"])
        #expect(header.contains("Lock-in (0–100)") && header.contains("Lock-in-Stufe") && header.contains("Rechtsraum-Stufe"))
        #expect(workbook["glossary"] as? [String] == ["Begriff", "Erklärung"])
        let first = try #require(workbook["first"] as? [String]), types = try #require(workbook["types"] as? [String])
        let report = try json(["report"])
        let group = try #require((report["groups"] as? [[String: Any]])?.first)
        let lockIn = try #require(group["lock_in"] as? [String: Any])
        let column = try #require(header.firstIndex(of: "Lock-in (0–100)"))
        #expect(types[column] == "float" && Double(first[column]) == lockIn["score"] as? Double)
        #expect(first[try #require(header.firstIndex(of: "Lock-in-Stufe"))] == "mittel")
        #expect(types[try #require(header.firstIndex(of: "Systeme"))] == "int")
        // A share is a fraction shown as per cent, so that Excel sums and sorts it as a number.
        let formats = try #require(workbook["formats"] as? [String])
        let share = try #require(header.firstIndex(of: "Anteil offener Angaben"))
        #expect(formats[share] == "0.00%" && types[share] == "float")
        // As the CSV gives it: to four places.
        #expect(abs((Double(first[share]) ?? -1) - (try #require(group["unknown_share"] as? Double))) < 0.00005)
    }
}

/// The German forms the tests expect, written out here rather than taken from the code under test.
enum German {
    static func count(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "." }
            text.append(digit)
        }
        return text
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
