import Domain
import Foundation
import GRDB
import SwiftCSV
import Testing

/// `sovscan import` and `export`: spreadsheets as administrations write them
/// (German Excel's Windows-1252 with ";", UTF-16, quoted line breaks), a
/// mapping of their columns, every bad cell at once, the round trip of the
/// example, and the answers to ask for first.
@Suite struct ImportTests {
    /// The python3 of PATH, as `.ci/run` installs openpyxl for it.
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Writes `text` in `encoding` with Python's codecs (a writer that is not ours).
    static func write(_ text: String, encoding: String, to path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = ["-c", "import sys; open(sys.argv[1], 'wb').write(sys.stdin.read().encode(sys.argv[2]))", path, encoding]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func hashes(_ database: String) throws -> (systems: [Data], organisations: [Data]) {
        try DatabaseQueue(path: database).read { db in
            (try Data.fetchAll(db, sql: "SELECT s.hash FROM scan_system ss JOIN system s ON s.id = ss.record_id WHERE ss.scan_id = 1 ORDER BY 1"),
             try Data.fetchAll(db, sql: "SELECT o.hash FROM scan_organisation so JOIN organisation o ON o.id = so.record_id WHERE so.scan_id = 1 ORDER BY 1"))
        }
    }

    @Test func theExampleSurvivesExportImportAndScan() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let export = Binary.run(["export", "--output", "example.csv"], in: work)
        #expect(export.status == 0, "\(export.stderr)")
        let imported = Binary.run(["import", "example.csv", "--out", "back"], in: work)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported 276 systems of 22 organisations into back\n"), "\(imported.stdout)")
        #expect(Binary.run(["validate", "back"], in: work).status == 0)
        #expect(Binary.run(["scan", "back", "--db", "back.db", "--quiet"], in: work).status == 0)
        let original = try Self.hashes(work + "/sovscan.db"), again = try Self.hashes(work + "/back.db")
        #expect(original.systems == again.systems && original.organisations == again.organisations)
        // Every value says where it came from.
        let file = try String(contentsOfFile: work + "/back/bl-km-zentrale.yaml", encoding: .utf8)
        #expect(file.contains("  - id: \"mail\"  # example.csv, line ") && file.contains("criticality: \"critical\"  # column "), "\(file.prefix(600))")
    }

    /// German Excel: Windows-1252, ";", German headers, "Hoch", "Ja", 30.06.2029 and 236.000,50 through a mapping.
    static let mapping = """
        import: 1
        columns:
          organisation: {value: amt}
          organisation_name: {value: Stadtamt Süd}
          organisation_type: {value: municipality}
          id: Kennung
          name: Anwendung
          function: {column: Aufgabe, values: {E-Mail: email, Fachverfahren: specialist_procedure}}
          product: Produkt
          vendor: Hersteller
          deployment: {column: Betrieb, values: {"SaaS (Cloud)": saas, Eigenbetrieb: on_premises, Rechenzentrum: hosted}}
          hosting.provider: Betreiber
          hosting.data_location: Datenstandort
          licence: {column: Lizenz, default: proprietary}
          criticality: {column: Kritikalität, values: {Sehr hoch: critical}}
          data.personal: Personenbezug
          contract.ends: {column: Vertragsende, date: dd.MM.yyyy}
          contract.annual_cost_eur: Kosten
          users: Nutzer

        """

    static let sheet = """
        Kennung;Anwendung;Aufgabe;Produkt;Hersteller;Betrieb;Betreiber;Datenstandort;Lizenz;Kritikalität;Personenbezug;Vertragsende;Kosten;Nutzer
        mail;E-Mail;E-Mail;Exchange Online;Microsoft Deutschland GmbH;SaaS (Cloud);Microsoft;DE;;Hoch;Ja;30.06.2029;236.000,50;1.520
        fach;"Gewerbe-
        register";Fachverfahren;Gewerbe21;Softwarehaus Süd GmbH;Eigenbetrieb;;DE;;Sehr hoch;Nein;;;

        ;;;;;;;;;;;;;
        """

    @Test(.enabled(if: python != nil, "python3 is not installed")) func germanExcelThroughAMapping() throws {
        let work = Fixture.write(["mapping.yaml": Self.mapping])
        // Rows end in CRLF, a line break inside a cell is LF, as Excel writes them.
        try Self.write(Self.sheet.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "Gewerbe-\r\n", with: "Gewerbe-\n"),
                       encoding: "cp1252", to: work + "/Anwendungen.csv")
        let result = Binary.run(["import", "Anwendungen.csv", "--map", "mapping.yaml", "--out", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let input = try #require((summary["inputs"] as? [[String: Any]])?.first)
        #expect(input["kind"] as? String == "csv" && input["encoding"] as? String == "Windows-1252" && input["delimiter"] as? String == ";"
                && input["rows"] as? Int == 2)
        let text = try String(contentsOfFile: work + "/inv/amt.yaml", encoding: .utf8)
        #expect(text.contains("name: \"Stadtamt Süd\""))
        #expect(text.contains("- id: \"mail\"  # Anwendungen.csv, line 2, column A 'Kennung', given"), "\(text)")
        #expect(text.contains("criticality: \"high\"  # column J 'Kritikalität', read from 'Hoch'"), "\(text)")
        #expect(text.contains("deployment: \"saas\"  # column F 'Betrieb', mapped from 'SaaS (Cloud)'"))
        // After a cell that spans lines, a value names its line too.
        #expect(text.contains("function: \"specialist_procedure\"  # line 4, column C 'Aufgabe', mapped from 'Fachverfahren'"), "\(text)")
        #expect(text.contains("ends: \"2029-06-30\""))
        #expect(text.contains("annual_cost_eur: 236000.5") && text.contains("users: 1520"))
        #expect(text.contains("personal: true") && text.contains("name: \"Gewerbe-\\nregister\""))
        #expect(text.contains("licence: \"proprietary\"  # default of mapping.yaml"))
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    @Test func everyBadCellIsReportedAtOnceAndNothingIsWritten() throws {
        let work = Fixture.write(["bad.csv": """
            organisation,id,name,function,product,vendor,deployment,licence,criticality,contract.ends,users
            amt,mail,E-Mail,email,Exchange Online,Microsoft,saas,proprietary,Hochh,2027-02-30,viele
            amt,x,X,emial,X,Y,on_premises,proprietary,low,,
            amt,x,Nochmal,email,X,Y,on_premises,proprietary,low,,
            Amt B,y,Y,email,X,Y,on_premises,proprietary,low,,

            """])
        let result = Binary.run(["import", "bad.csv", "--out", "out"], in: work)
        #expect(result.status == 1)
        for message in [
            "bad.csv:2:9: error: 'Hochh' is not a criticality value; did you mean 'hoch' (high)?",
            "bad.csv:2:10: error: 'contract.ends' is 2027-02-30, a date that does not exist",
            "bad.csv:2:11: error: 'users' must be a whole number",
            "bad.csv:2:1: error: system has no 'hosting.provider', which is required for deployment 'saas'",
            "bad.csv:4:2: error: organisation 'amt' has a system 'x' already (bad.csv, line 3, column B 'id', given)",
            "bad.csv:5:1: error: 'organisation' must be an organisation id",
        ] {
            #expect(result.stderr.contains(message), "\(message)\n\(result.stderr)")
        }
        // The bad criticality is reported once, not again as missing.
        #expect(!result.stderr.contains("system has no 'criticality'"), "\(result.stderr)")
        #expect(result.stderr.contains("bad.csv:3:4: warning: unknown function 'emial'; did you mean 'email'?"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/out"))
    }

    @Test func aMappingWithMistakesIsRefusedAtItsLines() {
        let work = Fixture.write([
            "m.yaml": "import: 1\ncolumns:\n  vendr: Hersteller\n  criticality: {column: K, values: {Hoch: hihg}}\n  contract.ends: {column: E, date: tt.mm.jjjj}\n",
            "a.csv": "a,b\n1,2\n",
        ])
        let result = Binary.run(["import", "a.csv", "--map", "m.yaml", "--out", "out"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("m.yaml:3:3: error: 'vendr' is no column of an inventory (docs/import.md lists them); did you mean 'vendor'?"), "\(result.stderr)")
        #expect(result.stderr.contains("m.yaml:4:43: error: 'hihg' is no value of 'criticality'"), "\(result.stderr)")
        #expect(result.stderr.contains("m.yaml:5:36: error: 'tt.mm.jjjj' is no date format"), "\(result.stderr)")
        let layout = Binary.run(["import", "a.csv", "--out", "out"], in: work)
        #expect(layout.status == 1 && layout.stderr.contains("the header row is not sovscan's layout"), "\(layout.stderr)")
    }

    @Test(.enabled(if: python != nil, "python3 is not installed")) func utf16AndAssumedOrganisations() throws {
        let work = Fixture.directory()
        try Self.write("id,name,function,product,vendor,deployment,licence,criticality\r\nmail,E-Mail,email,Open-Xchange,Open-Xchange,on_premises,GPL-2.0-only,high\r\n",
                       encoding: "utf-16", to: work + "/systems.csv")
        let result = Binary.run(["import", "systems.csv", "--organisation", "amt-nord", "--map", Fixture.write(["m.yaml": """
            import: 1
            columns: {id: id, name: name, function: function, product: product, vendor: vendor, deployment: deployment, licence: licence, criticality: criticality}

            """]) + "/m.yaml", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("UTF-16 LE with BOM"), "\(result.stdout)")
        #expect(result.stdout.contains("amt-nord: type other, country DE, the id as its name"), "\(result.stdout)")
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    /// What the gap report says answering takes off is what a re-scan with the answers gives.
    @Test func theGapReportsEstimatesMatchARescanWithTheAnswers() throws {
        let header = "organisation,organisation_type,organisation_country,as_of,id,name,function,product,vendor,deployment,licence,criticality,export,telemetry\n"
        // Two organisations whose rows alternate: each is tallied apart.
        let rows = ["amt,agency,DE,2026-09-30,a,A,email,OX,Open-Xchange,on_premises,GPL-2.0-only,high,,none",
                    "nord,agency,DE,2026-09-30,m,M,email,Exchange Server,Microsoft,on_premises,proprietary,critical,,",
                    "amt,agency,DE,2026-09-30,b,B,office,LibreOffice,The Document Foundation,on_premises,MPL-2.0,medium,,none",
                    "nord,agency,DE,2026-09-30,o,O,office,Microsoft Office,Microsoft,on_premises,proprietary,medium,,"]
        let work = Fixture.write(["s.csv": header + rows.joined(separator: "\n") + "\n"])
        let result = Binary.run(["import", "s.csv", "--out", "inv", "--gaps", "gaps.csv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let gaps = try CSV<Named>(url: URL(fileURLWithPath: work + "/gaps.csv"))
        func estimate(_ organisation: String) throws -> Double {
            let export = try #require(gaps.rows.first { $0["level"] == "organisation" && $0["id"] == organisation && $0["question"] == "export" })
            return try #require(Double(export["lock_in_falls_by"] ?? ""))
        }
        #expect(try estimate("amt") > 0 && estimate("nord") > 0)
        #expect(Binary.run(["scan", "inv", "--db", "before.db", "--quiet"], in: work).status == 0)
        let answered = Fixture.write(["s.csv": header + rows.map { $0.replacingOccurrences(of: ",,", with: ",full,") }.joined(separator: "\n") + "\n"])
        #expect(Binary.run(["import", "s.csv", "--out", "inv"], in: answered).status == 0)
        #expect(Binary.run(["scan", "inv", "--db", "after.db", "--quiet"], in: answered).status == 0)
        func lockIn(_ directory: String, _ database: String, _ organisation: String) throws -> Double {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(
                ["report", "--db", database, "--level", "organisation", "--format", "json"], in: directory).stdout.utf8)) as? [String: Any])
            let group = try #require((report["groups"] as? [[String: Any]])?.first { $0["id"] as? String == organisation })
            return try #require((group["lock_in"] as? [String: Any])?["score"] as? Double)
        }
        for organisation in ["amt", "nord"] {
            let before = try lockIn(work, "before.db", organisation), after = try lockIn(answered, "after.db", organisation)
            let fallsBy = try estimate(organisation)
            #expect(abs((before - after) - fallsBy) < 0.051, "\(organisation): before \(before), after \(after), estimate \(fallsBy)")
        }
    }
}

/// Workbooks: written by openpyxl (a writer that is not ours), read cell by
/// cell with dates and numbers as a workbook stores them; hostile ones
/// refused with a clear message.
@Suite struct WorkbookImportTests {
    static let python = ImportTests.python
    static let openpyxl: Bool = {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import openpyxl"]
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static func python(_ script: String, in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script)")
    }

    static let mapping = """
        import: 1
        sheet: Systeme
        columns:
          organisation: Behörde
          id: Kennung
          name: Anwendung
          function: Aufgabe
          product: Produkt
          vendor: Hersteller
          deployment: {column: Betrieb, values: {Eigenbetrieb: on_premises}}
          licence: Lizenz
          criticality: Kritikalität
          data.personal: Personenbezug
          contract.ends: Vertragsende
          users: Nutzer

        """

    @Test(.enabled(if: openpyxl, "openpyxl is not installed (pip install openpyxl)")) func aWorkbookOfOpenpyxlThroughAMapping() throws {
        let work = Fixture.write(["m.yaml": Self.mapping])
        try Self.python("""
            import datetime, openpyxl
            book = openpyxl.Workbook()
            book.active.title = "Hinweise"
            book.active["A1"] = "Bitte ausfüllen"
            sheet = book.create_sheet("Systeme")
            sheet.append(["Behörde", "Kennung", "Anwendung", "Aufgabe", "Produkt", "Hersteller", "Betrieb", "Lizenz", "Kritikalität", "Personenbezug", "Vertragsende", "Nutzer"])
            sheet.append(["amt", "mail", "E-Mail", "email", "OX App Suite", "Open-Xchange", "Eigenbetrieb", "GPL-2.0-only", "hoch", True, datetime.date(2029, 6, 30), 1520])
            sheet.append([])
            sheet.append(["amt", "gis", "Geodaten", "gis", "QGIS", "QGIS", "Eigenbetrieb", "GPL-2.0-or-later", "Hochh", False, None, 12])
            book.save("Anwendungen.xlsx")
            """, in: work)
        let bad = Binary.run(["import", "Anwendungen.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("Anwendungen.xlsx:Systeme!I4: error: 'Hochh' is not a criticality value; did you mean 'hoch' (high)?"), "\(bad.stderr)")
        try Self.python("""
            import openpyxl
            book = openpyxl.load_workbook("Anwendungen.xlsx")
            book["Systeme"]["I4"] = "mittel"
            book.save("Anwendungen.xlsx")
            """, in: work)
        let result = Binary.run(["import", "Anwendungen.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: work + "/inv/amt.yaml", encoding: .utf8)
        #expect(text.contains("- id: \"mail\"  # Anwendungen.xlsx:Systeme!B2 'Kennung', given"), "\(text)")
        #expect(text.contains("ends: \"2029-06-30\"  # K2 'Vertragsende', given, a spreadsheet's date number"), "\(text)")
        #expect(text.contains("personal: true") && text.contains("personal: false") && text.contains("users: 1520"))
        #expect(text.contains("criticality: \"medium\""))
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    @Test(.enabled(if: python != nil, "python3 is not installed")) func hostileWorkbooksAreRefusedOrCostNothing() throws {
        let work = Fixture.write(["m.yaml": Self.mapping, "not-a-zip.xlsx": "PK\u{3}\u{4} this is not a zip archive"])
        let broken = Binary.run(["import", "not-a-zip.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(broken.status == 1 && broken.stderr.contains("not-a-zip.xlsx: not a workbook that can be read"), "\(broken.stderr)")
        // A sheet that unpacks to more than the limit: refused as it is read.
        try Self.python("""
            import zipfile
            with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Systeme" r:id="rId1"/></sheets></workbook>')
                archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                    chunk = b" " * (1 << 20)
                    for _ in range(300):
                        part.write(chunk)
            # A million empty rows and one header.
            with zipfile.ZipFile("empty.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Systeme" r:id="rId1"/></sheets></workbook>')
                archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>Kennung</t></is></c></row>' + "".join(f'<row r="{n}"/>' for n in range(2, 1000002))
                archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + rows + "</sheetData></worksheet>")
            # A sheet whose bytes changed after it was archived: its CRC-32 no longer matches.
            with zipfile.ZipFile("damaged.xlsx", "w", zipfile.ZIP_STORED) as archive:
                archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Systeme" r:id="rId1"/></sheets></workbook>')
                archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                archive.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Kennung</t></is></c></row></sheetData></worksheet>')
            damaged = open("damaged.xlsx", "rb").read().replace(b"Kennung", b"Kennunx", 1)
            open("damaged.xlsx", "wb").write(damaged)
            """, in: work)
        let damaged = Binary.run(["import", "damaged.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(damaged.status == 1 && damaged.stderr.contains("damaged.xlsx: part xl/worksheets/sheet1.xml is damaged (its CRC-32 is not the one the archive records)"),
                "\(damaged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(work)/inv"))
        let bomb = Binary.run(["import", "bomb.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(bomb.status == 1 && bomb.stderr.contains("unpacks to more than 256 MB"), "\(bomb.stderr)")
        let started = Date()
        let empty = Binary.run(["import", "empty.xlsx", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(empty.status == 1 && empty.stderr.contains("Systeme!A1: error: the header row has no column"), "\(empty.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
    }
}

/// `export --format xlsx` and `template`: read back by openpyxl, and imported again.
@Suite struct WorkbookExportTests {
    /// LibreOffice (`soffice --headless`), as `.ci/run` installs it.
    static let soffice: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/soffice" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The example exported as CSV, opened by LibreOffice Calc and saved as
    /// a workbook (LibreOffice makes its own cells of it: shared strings,
    /// dates and numbers typed, its own styles), imports to the same records.
    @Test(.enabled(if: soffice != nil, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"))
    func theExampleThroughLibreOffice() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        #expect(Binary.run(["export", "--output", "example.csv"], in: work).status == 0)
        // Comma-separated, double-quoted, UTF-8 (76): LibreOffice's CSV filter options.
        let converted = Binary.run(["--headless", "-env:UserInstallation=file://\(work)/profile", "--infilter=CSV:44,34,76,1",
                                    "--convert-to", "xlsx", "--outdir", work, "example.csv"], in: work, executable: try #require(Self.soffice))
        #expect(FileManager.default.fileExists(atPath: work + "/example.xlsx"), "\(converted.stdout)\(converted.stderr)")
        let imported = Binary.run(["import", "example.xlsx", "--out", "back"], in: work)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(Binary.run(["scan", "back", "--db", "back.db", "--quiet"], in: work).status == 0)
        let original = try ImportTests.hashes(work + "/sovscan.db"), again = try ImportTests.hashes(work + "/back.db")
        #expect(original.systems == again.systems && original.organisations == again.organisations)
    }

    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)")) func theExampleAsAWorkbookAndBack() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        #expect(Binary.run(["export", "--format", "xlsx", "--output", "example.xlsx"], in: work).status == 0)
        #expect(Binary.run(["template", "--format", "xlsx", "--output", "template.xlsx"], in: work).status == 0)
        try WorkbookImportTests.python("""
            import datetime, openpyxl, sys, warnings
            warnings.simplefilter("error")
            book = openpyxl.load_workbook("example.xlsx")
            assert book.sheetnames == ["inventory", "columns"], book.sheetnames
            sheet = book["inventory"]
            assert sheet.freeze_panes == "A2", sheet.freeze_panes
            header = [cell.value for cell in sheet[1]]
            assert header[:7] == ["organisation", "organisation_name", "organisation_type", "organisation_parent", "organisation_country", "as_of", "id"], header
            assert all(cell.font.b for cell in sheet[1])
            rows = list(sheet.iter_rows(min_row=2, values_only=True))
            assert len(rows) == 281, len(rows)
            row = next(r for r in rows if r[0] == "bl-km-zentrale" and r[6] == "mail")
            column = {name: index for index, name in enumerate(header)}
            assert row[column["as_of"]] == datetime.datetime(2026, 9, 30), row[column["as_of"]]
            assert row[column["users"]] == 520 and row[column["data.personal"]] is True, row
            assert row[column["contract.ends"]] == datetime.datetime(2029, 6, 30)
            lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in sheet.data_validations.dataValidation}
            criticality = openpyxl.utils.get_column_letter(column["criticality"] + 1)
            assert lists[criticality] == '"low,medium,high,critical"', lists
            template = openpyxl.load_workbook("template.xlsx")
            assert [c.value for c in template["inventory"][2]][:7] == ["stadt-beispiel", "Stadtverwaltung Beispiel", "municipality", None, "DE", datetime.datetime(2026, 9, 30), "mail"]
            """, in: work)
        #expect(Binary.run(["import", "example.xlsx", "--out", "back"], in: work).status == 0)
        #expect(Binary.run(["scan", "back", "--db", "back.db", "--quiet"], in: work).status == 0)
        let original = try ImportTests.hashes(work + "/sovscan.db"), again = try ImportTests.hashes(work + "/back.db")
        #expect(original.systems == again.systems && original.organisations == again.organisations)
        #expect(Binary.run(["import", "template.xlsx", "--out", "from-template"], in: work).status == 0)
        #expect(Binary.run(["validate", "from-template"], in: work).status == 0)
    }

    /// The template for German system owners: its sheets and every column's
    /// explanation in German (and in English with --lang en), the header the
    /// import reads either way.
    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)")) func theTemplateInGermanAndEnglish() throws {
        let work = Fixture.directory()
        #expect(Binary.run(["template", "--format", "xlsx", "--output", "vorlage.xlsx"], in: work, environment: ["LANG": "de_DE.UTF-8", "LC_ALL": ""]).status == 0)
        #expect(Binary.run(["template", "--format", "xlsx", "--lang", "en", "--output", "template.xlsx"], in: work,
                            environment: ["LANG": "de_DE.UTF-8"]).status == 0)
        try WorkbookImportTests.python("""
            import openpyxl, warnings
            warnings.simplefilter("error")
            for name, sheets, vendor in [("vorlage.xlsx", ["Inventar", "Spalten"], "Hersteller oder Lizenzgeber der Software."),
                                         ("template.xlsx", ["inventory", "columns"], "Who makes or licenses the software.")]:
                book = openpyxl.load_workbook(name)
                assert book.sheetnames == sheets, book.sheetnames
                header = [cell.value for cell in book[sheets[0]][1]]
                assert header[:2] == ["organisation", "organisation_name"], header
                rows = {row[0]: row for row in book[sheets[1]].iter_rows(min_row=2, values_only=True)}
                assert set(rows) == set(header), set(header) ^ set(rows)
                assert all(row[4] for row in rows.values()), [key for key, row in rows.items() if not row[4]]
                assert rows["vendor"][4] == vendor, rows["vendor"]
            """, in: work)
        #expect(Binary.run(["import", "vorlage.xlsx", "--out", "inv"], in: work).status == 0)
    }
}

/// A publiccode.yml as one system of the organisation that uses it.
@Suite struct PublicCodeImportTests {
    static let file = """
        publiccodeYmlVersion: "0.4"
        name: Gewerbeportal
        url: "https://gitlab.opencode.de/example/gewerbeportal"
        categories: [digital-citizenship]
        legal:
          license: EUPL-1.2
          mainCopyrightOwner: Stadt Beispiel
        maintenance:
          type: contract
          contractors:
            - {name: Dataport, until: "2027-12-31"}
            - {name: Dataport, until: "2028-06-30"}
        dependsOn:
          proprietary:
            - name: Oracle Database

        """

    @Test func aPubliccodeYmlBecomesASystemWithWhatItCannotSayNamed() throws {
        let work = Fixture.write(["publiccode.yml": Self.file])
        let result = Binary.run(["import", "publiccode.yml", "--organisation", "stadt-beispiel", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: work + "/inv/stadt-beispiel.yaml", encoding: .utf8)
        for line in ["vendor: \"Stadt Beispiel\"  # publiccode.yml: legal.mainCopyrightOwner, given", "operator: \"Dataport\"",
                     "licence: \"EUPL-1.2\"", "ends: \"2028-06-30\"", "function: \"citizen_services\"  # publiccode.yml: categories 'digital-citizenship', inferred",
                     "criticality: \"medium\"  # missing: assumed medium; set it", "depends on proprietary: Oracle Database",
                     "source repository: https://gitlab.opencode.de/example/gewerbeportal"] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
        let noOrganisation = Binary.run(["import", "publiccode.yml", "--out", "other"], in: work)
        #expect(noOrganisation.status == 64 && noOrganisation.stderr.contains("--organisation ID"), "\(noOrganisation.stderr)")
        let bad = Fixture.write(["publiccode.yml": "publiccodeYmlVersion: \"0.4\"\nname: X\nlegal: {license: GPL, mainCopyrightOwner: Y}\n"])
        let refused = Binary.run(["import", "publiccode.yml", "--organisation", "amt", "--out", "inv"], in: bad)
        #expect(refused.status == 1 && refused.stderr.contains("'licence' must be 'proprietary' or an SPDX licence expression"), "\(refused.stderr)")
    }
}

/// Reports as spreadsheets: `--format xlsx` read back by openpyxl, and CSV in the dialect Excel opens right.
@Suite struct SpreadsheetReportTests {
    static let example: String = {
        let work = Fixture.directory()
        _ = Binary.run(["scan", Fixture.root + "/inventories/example-2025", "--quiet"], in: work)
        _ = Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work)
        return work
    }()

    @Test func csvForGermanExcel() throws {
        let german = Binary.run(["report", "--format", "csv", "--csv-dialect", "excel"], in: Self.example, environment: ["LANG": "de_DE.UTF-8", "LC_ALL": ""])
        #expect(german.status == 0)
        #expect(german.stdout.hasPrefix("\u{FEFF}group;name;standalone;"), "\(german.stdout.prefix(80))")
        #expect(german.stdout.contains("bl-fm;Finanzministerium des Freistaats Beispielland;false;4;"))
        #expect(german.stdout.contains(";46,2;medium;"), "\(german.stdout.prefix(400))")
        let english = Binary.run(["report", "--format", "csv", "--csv-dialect", "excel"], in: Self.example, environment: ["LANG": "en_GB.UTF-8", "LC_ALL": ""])
        #expect(english.stdout.hasPrefix("\u{FEFF}group,name,standalone,") && english.stdout.contains(",46.2,medium,"))
        let plain = Binary.run(["report", "--format", "csv"], in: Self.example)
        #expect(plain.stdout.hasPrefix("group,name,"))
    }

    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)")) func reportHistoryAndDiffAsWorkbooks() throws {
        let work = Self.example
        for (command, file) in [(["report"], "report.xlsx"), (["history"], "history.xlsx"), (["diff"], "diff.xlsx")] {
            let result = Binary.run(command + ["--format", "xlsx", "--output", file], in: work)
            #expect(result.status == 0, "\(command) \(result.stderr)")
        }
        try WorkbookImportTests.python("""
            import datetime, openpyxl, warnings
            warnings.simplefilter("error")
            report = openpyxl.load_workbook("report.xlsx")
            assert report.sheetnames == ["ministries", "exit windows", "glossary"], report.sheetnames
            sheet = report["ministries"]
            assert sheet.freeze_panes == "A2"
            row = [c.value for c in sheet[2]]
            assert row[0] == "bl-fm" and row[2] is False and row[4] == 52 and isinstance(row[9], float), row
            windows = report["exit windows"]
            assert isinstance(windows["F2"].value, datetime.datetime), windows["F2"].value
            assert report["glossary"]["A2"].value == "lock-in"
            history = openpyxl.load_workbook("history.xlsx")["history"]
            assert history.max_row > 2
            changes = openpyxl.load_workbook("diff.xlsx")["changes"]
            assert changes.max_row > 10
            """, in: work)
    }
}

/// What a review found: values that must survive export and import, inputs
/// that share an organisation, and workbooks that must be refused in a line.
@Suite struct ImportEdgeTests {
    static let tricky = Fixture.inventory(systems: Fixture.system(id: "mail", [
        "product": "\"'=quoted\"", "alternatives": "[\"Open-Xchange, Inc.\", openDesk]", "notes": "\"a\\r\\nb; -1\"",
        "contract": "{ends: 2027-06-30, annual_cost_eur: 1.125}", "subprocessors": "[{name: \"Amazon Web Services, Inc.\", country: US}]",
        "name": "\"3.14\"",
    ]))

    @Test(arguments: ["csv", "xlsx"]) func trickyValuesSurviveExportAndImport(format: String) throws {
        let work = Fixture.write(["inv/amt.yaml": Self.tricky])
        #expect(Binary.run(["scan", "inv", "--quiet"], in: work).status == 0)
        #expect(Binary.run(["export", "--format", format, "--output", "sheet.\(format)"], in: work).status == 0)
        let imported = Binary.run(["import", "sheet.\(format)", "--out", "back"], in: work)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(Binary.run(["scan", "back", "--db", "back.db", "--quiet"], in: work).status == 0)
        let original = try ImportTests.hashes(work + "/sovscan.db"), again = try ImportTests.hashes(work + "/back.db")
        let written = (try? String(contentsOfFile: work + "/back/amt.yaml", encoding: .utf8)) ?? ""
        #expect(original.systems == again.systems, "\(written)")
        // German Excel's dialect leaves a text that looks like a number as it is.
        let excel = Binary.run(["export", "--format", "csv", "--csv-dialect", "excel"], in: work, environment: ["LANG": "de_DE.UTF-8", "LC_ALL": ""])
        #expect(excel.stdout.contains(";3.14;") && excel.stdout.contains(";1,125;"), "\(excel.stdout)")
    }

    @Test func inputsThatShareAnOrganisationAreOneOrganisation() throws {
        let header = "organisation,organisation_name,id,name,function,product,vendor,deployment,licence,criticality\n"
        let work = Fixture.write([
            "a.csv": header + "amt,Amt,mail,Mail,email,P,Microsoft,on_premises,proprietary,low\n",
            "b.csv": header + "amt,,files,Files,storage,P,Nextcloud,on_premises,AGPL-3.0-or-later,low\n",
            "c.csv": header + "amt,Amt Nord,x,X,email,P,Microsoft,on_premises,proprietary,low\n",
        ])
        let both = Binary.run(["import", "a.csv", "b.csv", "--out", "inv"], in: work)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
        let conflict = Binary.run(["import", "a.csv", "c.csv", "--out", "other"], in: work)
        #expect(conflict.status == 1 && conflict.stderr.contains("c.csv:2:2: error: organisation 'amt' has organisation_name 'Amt' at a.csv, line 2; here 'Amt Nord'"),
                "\(conflict.stderr)")
    }

    /// Where an import writes: into an empty directory as it is (its mode
    /// kept, the working directory itself too), never over names it uses itself.
    @Test func theDirectoryWrittenInto() throws {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality\n"
        let work = Fixture.write(["a.csv": header + "amt,mail,Mail,email,P,Microsoft,on_premises,proprietary,low\n",
                                  "v.csv": header + "vendors,mail,Mail,email,P,Microsoft,on_premises,proprietary,low\n"])
        try FileManager.default.createDirectory(atPath: work + "/here", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o750])
        let here = Binary.run(["import", "../a.csv", "--out", "."], in: work + "/here")
        #expect(here.status == 0, "\(here.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/here") == ["amt.yaml"])
        #expect((try FileManager.default.attributesOfItem(atPath: work + "/here")[.posixPermissions] as? Int) == 0o750)
        // An input error leaves no directory it created, nor its parents.
        let reserved = Binary.run(["import", "v.csv", "--out", "new/nested/inv"], in: work)
        #expect(reserved.status == 1 && reserved.stderr.contains("v.csv:2:1: error: 'vendors' cannot be an organisation's id"), "\(reserved.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/new"))
        // The questions cannot be written: nor is the inventory.
        let gaps = Binary.run(["import", "a.csv", "--out", "inv", "--gaps", "nodir/gaps.csv"], in: work)
        #expect(gaps.status != 0 && !FileManager.default.fileExists(atPath: work + "/inv"), "\(gaps.stderr)")
        #expect(Binary.run(["import", "a.csv", "--out", "inv"], in: work).status == 0)
    }

    /// An organisation is complete at its last row, wherever its rows are: in
    /// between, in another file, or after a row that names a system before it.
    @Test func rowsOfAnOrganisationNeedNotBeTogether() throws {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality,depends_on\n"
        let work = Fixture.write([
            "a.csv": header + """
                amt,portal,Portal,citizen_services,P,Microsoft,on_premises,proprietary,low,idm
                nord,mail,Mail,email,P,Microsoft,on_premises,proprietary,low,
                amt,mail,Mail,email,P,Microsoft,on_premises,proprietary,low,
                nord,files,Files,storage,P,Nextcloud,on_premises,AGPL-3.0-or-later,low,mail

                """,
            "b.csv": header + "amt,idm,IdM,identity,P,Microsoft,on_premises,proprietary,high,\n",
        ])
        let result = Binary.run(["import", "a.csv", "b.csv", "--out", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["systems"] as? Int == 5 && summary["organisations"] as? Int == 2, "\(result.stdout)")
        let amt = try String(contentsOfFile: work + "/inv/amt.yaml", encoding: .utf8)
        #expect(["id: \"portal\"", "id: \"mail\"", "id: \"idm\""].allSatisfy { amt.contains($0) }, "\(amt)")
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
        let scan = Binary.run(["scan", "inv", "--quiet"], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
    }

    /// The survey runs beside the reading, which holds at most a few
    /// thousand rows until it ends: an organisation named again after
    /// that many rows is complete only at its last row all the same.
    @Test func anOrganisationNamedAgainFarBelowIsCompleteAtItsLastRow() throws {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality\n"
        func row(_ organisation: String, _ number: Int) -> String {
            "\(organisation),s-\(number),System \(number),email,P,Microsoft,on_premises,proprietary,low\n"
        }
        var text = header + row("a", 1)
        for number in 2...10_000 { text += row("b", number) }
        for number in 10_001...19_999 { text += row("c", number) }
        text += row("a", 20_000)
        let work = Fixture.write(["long.csv": text])
        let result = Binary.run(["import", "long.csv", "--out", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["systems"] as? Int == 20_000 && summary["organisations"] as? Int == 3, "\(result.stdout)")
        for (organisation, count) in [("a", 2), ("b", 9_999), ("c", 9_999)] {
            let file = try String(contentsOfFile: "\(work)/inv/\(organisation).yaml", encoding: .utf8)
            #expect(file.components(separatedBy: "\n  - id: ").count - 1 == count, "\(organisation)")
        }
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    /// A list cell's items lose the spaces around them, and a space that
    /// carries a combining mark goes with its mark, as white space.
    @Test func listItemsAreTrimmedAsCharacters() throws {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality,formats\n"
        let work = Fixture.write(["lists.csv": header + "amt,mail,Mail,email,P,Microsoft,on_premises,proprietary,low,ODF;  PDF; \u{301}DOCX ;\u{A0}TXT\n"])
        let result = Binary.run(["import", "lists.csv", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let file = try String(contentsOfFile: "\(work)/inv/amt.yaml", encoding: .utf8)
        #expect(file.contains("formats: [\"ODF\", \"PDF\", \"DOCX\", \"TXT\"]"), "\(file)")
    }

    /// A mapping that lets the vendor run what no column names a hosting
    /// provider for: the provider is inferred beside the hosting fields a
    /// row does give, in the one `hosting` group, and only where it is due.
    @Test func aProviderInferredFromTheVendorJoinsTheHostingGiven() throws {
        let header = "org,id,name,function,product,vendor,deployment,licence,criticality,where,host\n"
        let work = Fixture.write([
            "s.csv": header
                + "amt,mail,Mail,email,Exchange Online,Microsoft,saas,proprietary,high,IE;NL,\n"
                + "amt,files,Files,file_sharing,Nextcloud,Nextcloud GmbH,hosted,AGPL-3.0-only,low,DE,IONOS SE\n"
                + "amt,erp,ERP,erp_finance,SAP,SAP SE,on_premises,proprietary,high,,\n"
                + "amt,crm,CRM,crm,Dynamics,Microsoft,saas,proprietary,low,,\n",
            "m.yaml": """
                import: 1
                hosting_by_vendor: true
                columns: {organisation: org, id: id, name: name, function: function, product: product, vendor: vendor, deployment: deployment,
                          licence: licence, criticality: criticality, hosting.data_location: where, hosting.provider: host}

                """,
        ])
        let result = Binary.run(["import", "s.csv", "--map", "m.yaml", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let file = try String(contentsOfFile: "\(work)/inv/amt.yaml", encoding: .utf8)
        let systems = file.components(separatedBy: "\n  - id: ").dropFirst()
        #expect(systems.count == 4, "\(file)")
        let byID = Dictionary(uniqueKeysWithValues: systems.map { (String($0.dropFirst().prefix { $0 != "\"" }), $0) })
        #expect(byID["mail"]?.contains("provider: \"Microsoft\"  # inferred: run by its vendor") == true, "\(file)")
        #expect(byID["mail"]?.contains("data_location: [\"IE\", \"NL\"]") == true, "\(file)")
        #expect(byID["files"]?.contains("provider: \"IONOS SE\"") == true && byID["files"]?.contains("inferred") == false, "\(file)")
        #expect(byID["erp"]?.contains("hosting") == false, "\(file)")
        #expect(byID["crm"]?.contains("provider: \"Microsoft\"  # inferred: run by its vendor") == true, "\(file)")
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    /// A number cell holding a word YAML reads as null is refused at its
    /// cell, not dropped; an exceptions cell of "[]" holds no exception.
    @Test func aNullWordInANumberCellIsRefusedAndAnEmptyListOfExceptionsIsNone() throws {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality,users,exceptions\n"
        let bad = Fixture.write(["s.csv": header + "amt,mail,Mail,email,P,V,on_premises,proprietary,low,~,\n"])
        let refused = Binary.run(["import", "s.csv", "--out", "inv"], in: bad)
        #expect(refused.status == 1 && refused.stderr.contains("s.csv:2:10: error:"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bad + "/inv"))
        let empty = Fixture.write(["s.csv": header + "amt,mail,Mail,email,P,V,on_premises,proprietary,low,12,[]\n"])
        let result = Binary.run(["import", "s.csv", "--out", "inv"], in: empty)
        #expect(result.status == 0 && !result.stderr.contains("error"), "\(result.stderr)")
        let file = try String(contentsOfFile: "\(empty)/inv/amt.yaml", encoding: .utf8)
        #expect(file.contains("users: 12") && !file.contains("exceptions"), "\(file)")
    }

    /// A table the survey cannot read stops the import, though the reading
    /// of the table before it has begun: nothing is written.
    @Test func aTableTheSurveyCannotReadStopsTheImport() {
        let header = "organisation,id,name,function,product,vendor,deployment,licence,criticality\n"
        let work = Fixture.write([
            "a.csv": header + (1...300).map { "amt,mail-\($0),Mail,email,P,Microsoft,on_premises,proprietary,low\n" }.joined(),
            "b.csv": header + "amt,\"files,Files,storage,P,Nextcloud,on_premises,AGPL-3.0-or-later,low\n",
        ])
        let result = Binary.run(["import", "a.csv", "b.csv", "--out", "inv"], in: work)
        #expect(result.status == 1 && result.stderr.contains("b.csv:2:2: a quoted cell is not closed before the end of the file"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(work)/inv"))
    }

    @Test(.enabled(if: ImportTests.python != nil, "python3 is not installed")) func malformedWorkbooksAreRefusedInALine() throws {
        let work = Fixture.directory()
        try WorkbookImportTests.python("""
            import zipfile
            def book(name, cells):
                with zipfile.ZipFile(name, "w") as archive:
                    archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
                    archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                    archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\\"1\\">" + cells + "</row></sheetData></worksheet>")
            book("empty-reference.xlsx", '<c r=""><v>1</v></c>')
            book("shared-index.xlsx", '<c r="A1" t="s"><v>-1</v></c>')
            book("beyond-xfd.xlsx", '<c r="ZZZZZ1"><v>1</v></c>')
            """, in: work)
        for (file, message) in [("empty-reference.xlsx", "cell '' is no cell of a sheet"), ("shared-index.xlsx", "names shared string -1"),
                                ("beyond-xfd.xlsx", "cell 'ZZZZZ1' is no cell of a sheet")] {
            let result = Binary.run(["import", file, "--out", "inv"], in: work)
            #expect(result.status == 1 && result.stderr.contains(message), "\(file): \(result.stderr)")
        }
    }
}

/// Workbooks as Excel writes them: a formula's text (`t="str"`), a string
/// shared by many cells, and sheets no import reads past their header,
/// broken further down or not.
@Suite struct ExcelWorkbookTests {
    @Test(.enabled(if: ImportTests.python != nil, "python3 is not installed")) func formulasSharedStringsAndSheetsNotRead() throws {
        let work = Fixture.directory()
        try WorkbookImportTests.python("""
            import zipfile
            header = ["organisation", "id", "name", "function", "product", "vendor", "deployment", "licence", "criticality"]
            def inline(ref, text):
                return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
            letters = lambda n: "" if n == 0 else letters((n - 1) // 26) + chr(65 + (n - 1) % 26)
            row1 = "".join(inline(f"{letters(i + 1)}1", h) for i, h in enumerate(header))
            # E2 a shared string, F2 a formula's text; after the header's width, a megabyte shared by 2,000 cells.
            cells = [inline("A2", "amt"), inline("B2", "mail"), inline("C2", "Mail"), inline("D2", "email"), '<c r="E2" t="s"><v>0</v></c>',
                     '<c r="F2" t="str"><f>LEFT("Microsoft Corporation",9)</f><v>Microsoft</v></c>', inline("G2", "on_premises"),
                     inline("H2", "proprietary"), inline("I2", "low")]
            cells += [f'<c r="{letters(10 + n)}2" t="s"><v>1</v></c>' for n in range(2000)]
            sheets = {
                "Systeme": '<sheetData><row r="1">' + row1 + '</row><row r="2">' + "".join(cells) + "</row></sheetData>",
                "Hilfstabelle": '<sheetData><row r="1">' + inline("A1", "Kurzname") + '</row><row r="2"><c r="A2" t="str"><f>LEFT(B2,4)</f><v>Micr</v></c></row></sheetData>',
                "Notizen": '<sheetData><row r="1">' + inline("A1", "Notiz") + '</row><row r="2">' + inline("A2", "a &amp b") + "</row></sheetData>",
            }
            with zipfile.ZipFile("excel.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets>' + "".join(
                    f'<sheet name="{name}" r:id="rId{n}"/>' for n, name in enumerate(sheets, 1)) + "</sheets></workbook>")
                archive.writestr("xl/_rels/workbook.xml.rels", "<Relationships>" + "".join(
                    f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1)) + "</Relationships>")
                archive.writestr("xl/sharedStrings.xml", "<sst><si><t>Exchange Server</t></si><si><t>" + "x" * 1_000_000 + "</t></si></sst>")
                for n, xml in enumerate(sheets.values(), 1):
                    archive.writestr(f"xl/worksheets/sheet{n}.xml", "<worksheet>" + xml + "</worksheet>")
            """, in: work)
        let started = Date()
        let imported = Binary.run(["import", "excel.xlsx", "--out", "inv"], in: work)
        #expect(imported.status == 0, "\(imported.stderr)")
        // A megabyte shared by 2,000 cells is not copied 2,000 times (it took 9 s and 2 GB when it was).
        #expect(Date().timeIntervalSince(started) < 5)
        let written = (try? String(contentsOfFile: work + "/inv/amt.yaml", encoding: .utf8)) ?? ""
        #expect(written.contains("product: \"Exchange Server\"") && written.contains("vendor: \"Microsoft\""), "\(written)")
    }
}

/// A workbook's date numbers: known days, and every day of four centuries there and back.
@Suite struct SpreadsheetDateTests {
    @Test func knownDaysAndTheRoundTrip() throws {
        #expect(Day(year: 1970, month: 1, day: 1)!.spreadsheetSerial == 25_569)
        #expect(Day(year: 2029, month: 6, day: 30)!.spreadsheetSerial == 47_299)
        #expect(Day(year: 2000, month: 2, day: 29)!.spreadsheetSerial == 36_585)
        #expect(Day(spreadsheetSerial: 2)?.description == "1900-01-01")
        #expect(Day(spreadsheetSerial: 1) == nil && Day(spreadsheetSerial: 2_958_466) == nil)
        for serial in stride(from: 2, through: 2_958_465, by: 7) {
            let day = try #require(Day(spreadsheetSerial: serial))
            #expect(day.spreadsheetSerial == serial)
        }
    }
}
