import Foundation
import Testing

/// `sovscan import --preset`: exports as ServiceNow, GLPI and CISO Assistant
/// write them (fixtures made by Python's csv module and openpyxl, in the
/// tools' own layouts: docs/import.md gives the sources), the values each
/// yields, the joins with their company and contract tables, and the
/// vendors.yaml a scan then reads.
@Suite(.enabled(if: ImportTests.python != nil, "python3 is not installed")) struct PresetTests {
    /// Runs `script` with Python in `directory`.
    static func python(_ script: String, in directory: String) throws {
        try WorkbookImportTests.python(script, in: directory)
    }

    /// A ServiceNow list export of Business Applications as CSV (field names
    /// as headers, display values as cells) and of Companies.
    static let serviceNow = #"""
        import csv
        apps = [
            ["number", "name", "vendor", "install_type", "business_criticality", "application_type", "operational_status",
             "contract_end_date", "data_classification", "short_description"],
            ["APM0001001", "E-Mail", "Microsoft Corporation", "Cloud", "1 - most critical", "SaaS", "Operational", "2027-06-30",
             "Confidential", "Exchange Online für das Ministerium"],
            ["APM0001002", "Gewerberegister", "Softwarehaus Süd GmbH", "On-Premises", "2 - somewhat critical", "COTS", "Operational",
             "2028-12-31", "Restricted", ""],
            ["APM0001003", "Bürgerportal", "Portalbau Nord AG", "Third Party Hosted", "3 - less critical", "COTS", "Operational", "",
             "Public", "Portal, \"Serviceportal\" genannt"],
            ["APM0001004", "Zeiterfassung", "Softwarehaus Süd GmbH", "On-Premises", "", "COTS", "Operational", "", "", ""],
        ]
        companies = [
            ["name", "parent", "country", "vendor", "manufacturer", "sys_id"],
            ["Microsoft Corporation", "", "United States", "true", "true", "1c59...a1"],
            ["Softwarehaus Süd GmbH", "Beispiel Holding AG", "Germany", "true", "false", "3f21...b2"],
            ["Beispiel Holding AG", "", "Switzerland", "false", "false", "7d0e...c3"],
            ["Portalbau Nord AG", "", "Deutschland", "true", "false", "9a44...d4"],
        ]
        for name, rows in [("cmdb_ci_business_app.csv", apps), ("core_company.csv", companies)]:
            with open(name, "w", newline="", encoding="utf-8-sig") as file:
                csv.writer(file).writerows(rows)
        """#

    @Test func serviceNowBusinessApplicationsWithTheirCompanies() throws {
        let work = Fixture.directory()
        try Self.python(Self.serviceNow, in: work)
        let result = Binary.run(["import", "cmdb_ci_business_app.csv", "core_company.csv", "--preset", "servicenow", "--organisation", "bmi",
                                 "--out", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["systems"] as? Int == 4 && summary["local_vendors"] as? Int == 3, "\(result.stdout)")
        let text = try String(contentsOfFile: work + "/inv/bmi.yaml", encoding: .utf8)
        for line in [
            "- id: \"apm0001001\"  # cmdb_ci_business_app.csv, line 2, column A 'number', made an id from 'APM0001001'",
            "deployment: \"saas\"  # column D 'install_type', mapped from 'Cloud'",
            "provider: \"Microsoft Corporation\"  # inferred: run by its vendor, as the input names no hosting provider",
            "criticality: \"critical\"  # column E 'business_criticality', mapped from '1 - most critical'",
            "classification: \"confidential\"", "classification: \"vs-nfd\"  # column I 'data_classification', mapped from 'Restricted'",
            "ends: \"2027-06-30\"", "deployment: \"hosted\"", "provider: \"Portalbau Nord AG\"",
            "notes: \"Portal, \\\"Serviceportal\\\" genannt\"",
            // No criticality: the preset's assumption, said so.
            "criticality: \"medium\"  # assumed by preset servicenow (the cell is empty); correct it if it is otherwise",
            "function: \"other\"  # assumed by preset servicenow; correct it if it is otherwise",
        ] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        // The companies the catalogue does not know, with their country and parent as ServiceNow has them.
        let vendors = try String(contentsOfFile: work + "/inv/vendors.yaml", encoding: .utf8)
        for line in ["name: \"Softwarehaus Süd GmbH\"", "country: \"DE\"", "parent: \"beispiel-holding\"", "name: \"Beispiel Holding AG\"",
                     "country: \"CH\"", "url: \"file:core_company.csv\"", "title: \"ServiceNow export core_company.csv, line 3\""] {
            #expect(vendors.contains(line), "\(line)\n\(vendors)")
        }
        #expect(!vendors.contains("Microsoft"), "\(vendors)")
        // A scan reads them: the Swiss parent's law reaches the German software house.
        #expect(Binary.run(["scan", "inv", "--quiet"], in: work).status == 0)
        let explained = Binary.run(["explain", "bmi/apm0001002"], in: work)
        #expect(explained.status == 0 && explained.stdout.contains("Beispiel Holding AG"), "\(explained.stdout)\(explained.stderr)")
    }

    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)"))
    func serviceNowAsAnExcelExportWithLabels() throws {
        let work = Fixture.directory()
        try Self.python("""
            import datetime, openpyxl
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "Page 1"
            sheet.append(["Number", "Name", "Vendor", "Install type", "Business criticality", "Contract end date"])
            sheet.append(["APM0002001", "Dokumentenablage", "Open Text Corporation", "Cloud", "2 - somewhat critical", datetime.date(2029, 3, 31)])
            book.save("business_applications.xlsx")
            """, in: work)
        let result = Binary.run(["import", "business_applications.xlsx", "--preset", "servicenow", "--organisation", "bmi", "--out", "inv",
                                 "--gaps", "fragen.xlsx"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        // The answers to ask for, as a workbook to send back, read by openpyxl.
        try Self.python("""
            import openpyxl, warnings
            warnings.simplefilter("error")
            sheet = openpyxl.load_workbook("fragen.xlsx")["answers to ask for"]
            header = [cell.value for cell in sheet[1]]
            assert header == ["level", "id", "name", "question", "systems", "lock_in_falls_by", "jurisdiction_falls_by", "systems_first"], header
            rows = list(sheet.iter_rows(min_row=2, values_only=True))
            assert any(row[0] == "organisation" and row[1] == "bmi" and isinstance(row[4], (int, float)) and row[4] >= 1 for row in rows), rows
            """, in: work)
        let text = try String(contentsOfFile: work + "/inv/bmi.yaml", encoding: .utf8)
        #expect(text.contains("- id: \"apm0002001\"  # business_applications.xlsx:Page 1!A2 'Number'"), "\(text)")
        #expect(text.contains("ends: \"2029-03-31\"") && text.contains("criticality: \"high\""), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: work + "/inv/vendors.yaml"))
    }

    /// GLPI's search export: UTF-8 with BOM, ';', every field quoted and
    /// followed by the delimiter, several values of a cell joined with `<br>`,
    /// durations with their unit.
    static let glpi = #"""
        def row(values):
            return "".join('"' + value.replace('"', "''") + '";' for value in values) + "\n"
        software = [
            ["Name", "Entity", "Publisher", "Category", "Contract - Start date", "Contract - Duration", "Contract - Notice", "Comments"],
            ["LibreOffice", "Root entity > Stadt Beispiel", "The Document Foundation", "Office", "", "", "", ""],
            ["Microsoft Office 2021", "Root entity > Stadt Beispiel", "Microsoft Corporation", "Office", "2022-01-01<br>2024-07-01",
             "36 months<br>36 months", "3 months<br>6 months", "Volumenlizenz"],
            ["Fachverfahren KFZ", "Root entity > Stadt Beispiel", "Kommunal-IT Nord GmbH", "", "2025-04-01", "24 months", "12 months", ""],
        ]
        suppliers = [
            ["Name", "Third party type", "Address", "Postal code", "City", "Country", "Website"],
            ["Kommunal-IT Nord GmbH", "Software house", "Hafenstraße 1", "20457", "Hamburg", "Deutschland", ""],
            ["The Document Foundation", "Foundation", "Kurfürstendamm 188", "10707", "Berlin", "Germany", ""],
        ]
        for name, rows in [("glpi-software.csv", software), ("glpi-suppliers.csv", suppliers)]:
            with open(name, "w", encoding="utf-8-sig", newline="") as file:
                file.write("".join(row(values) for values in rows))
        """#

    @Test func glpiSoftwareWithItsContractsAndSuppliers() throws {
        let work = Fixture.directory()
        try Self.python(Self.glpi, in: work)
        let result = Binary.run(["import", "glpi-software.csv", "glpi-suppliers.csv", "--preset", "glpi", "--organisation", "stadt",
                                 "--out", "inv", "--format", "json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let input = try #require((summary["inputs"] as? [[String: Any]])?.first)
        #expect(input["encoding"] as? String == "UTF-8 with BOM" && input["delimiter"] as? String == ";" && summary["systems"] as? Int == 3,
                "\(result.stdout)")
        let text = try String(contentsOfFile: work + "/inv/stadt.yaml", encoding: .utf8)
        for line in [
            "- id: \"libreoffice\"  # glpi-software.csv, line 2, column A 'Name', made an id from 'LibreOffice'",
            "vendor: \"The Document Foundation\"  # column C 'Publisher', given",
            "deployment: \"on_premises\"  # assumed by preset glpi; correct it if it is otherwise",
            // The contract that ends last: 2024-07-01 and 36 months, with its notice.
            "- id: \"microsoft-office-2021\"", "ends: \"2027-07-01\"", "notice_months: 6  # column G 'contract notice (of the contract that ends last)', read from '6 months'",
            "ends: \"2027-04-01\"", "notice_months: 12",
        ] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        let vendors = try String(contentsOfFile: work + "/inv/vendors.yaml", encoding: .utf8)
        #expect(vendors.contains("name: \"Kommunal-IT Nord GmbH\"") && vendors.contains("country: \"DE\""), "\(vendors)")
        #expect(Binary.run(["validate", "inv"], in: work).status == 0)
    }

    /// CISO Assistant's third-party workbook as its import template has it.
    static let cisoAssistant = #"""
        import datetime, openpyxl
        book = openpyxl.Workbook()
        entities = book.active
        entities.title = "Entities"
        entities.append(["ref_id", "name", "description", "mission", "country", "currency", "parent_entity_ref_id", "dependency",
                         "penetration", "maturity", "trust", "domain"])
        entities.append(["E-001", "Cloudhaus GmbH", "Hosting", "", "DE", "EUR", "E-002", 3, 2, 3, 3, "Global"])
        entities.append(["E-002", "Cloudhaus Holding Inc.", "", "", "US", "USD", "", 1, 1, 2, 2, "Global"])
        entities.append(["E-003", "Microsoft Corporation", "", "", "US", "USD", "", 4, 4, 3, 3, "Global"])
        solutions = book.create_sheet("Solutions")
        solutions.append(["ref_id", "name", "description", "provider_entity_ref_id", "criticality", "domain"])
        solutions.append(["S-01", "Bürgerkonto", "Login für Bürger", "E-001", 4, "Global"])
        # A row ends at its last cell with text: this one before its domain.
        solutions.append(["S-02", "Microsoft 365", "", "E-003", 3])
        solutions.append(["S-03", "Webhosting", "", "E-001", 0, "Global"])
        contracts = book.create_sheet("Contracts")
        contracts.append(["ref_id", "name", "description", "provider_entity_ref_id", "solution_ref_id", "status", "start_date", "end_date",
                          "annual_expense", "currency", "domain"])
        contracts.append(["C-1", "Rahmenvertrag", "", "E-001", "S-01\nS-03", "active", datetime.date(2024, 1, 1), datetime.date(2027, 12, 31),
                          12000.5, "EUR", "Global"])
        contracts.append(["C-2", "Alt", "", "E-001", "S-01", "terminated", datetime.date(2020, 1, 1), datetime.date(2030, 1, 1), 99999, "EUR", "Global"])
        contracts.append(["C-3", "EVB-IT Cloud", "", "E-003", "S-02", "active", datetime.date(2025, 1, 1), datetime.date(2028, 6, 30), 250000, "EUR", "Global"])
        contracts.append(["C-4", "Support", "", "E-003", "S-02", "active", datetime.date(2025, 1, 1), datetime.date(2026, 6, 30), 1000, "USD", "Global"])
        representatives = book.create_sheet("Representatives")
        representatives.append(["email", "first_name", "last_name", "description", "phone", "role", "provider_entity_ref_id"])
        representatives.append(["kontakt@cloudhaus.example", "Eva", "Beispiel", "", "", "Account", "E-001"])
        book.save("tprm.xlsx")
        """#

    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)"))
    func cisoAssistantThirdPartiesWithTheirContracts() throws {
        let work = Fixture.directory()
        try Self.python(Self.cisoAssistant, in: work)
        let result = Binary.run(["import", "tprm.xlsx", "--preset", "ciso-assistant", "--organisation", "lra", "--out", "inv", "--format", "json"],
                                in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // A workbook's sheets are inputs of their own, with no encoding or delimiter.
        let inputs = try #require(summary["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["path"] as? String } == ["tprm.xlsx:Solutions"] && inputs.allSatisfy { $0["kind"] as? String == "xlsx" && $0["encoding"] is NSNull },
                "\(inputs)")
        #expect(summary["systems"] as? Int == 3 && summary["local_vendors"] as? Int == 2, "\(result.stdout)")
        let text = try String(contentsOfFile: work + "/inv/lra.yaml", encoding: .utf8)
        for line in [
            "- id: \"s-01\"  # tprm.xlsx:Solutions!A2 'ref_id', made an id from 'S-01'",
            "vendor: \"Cloudhaus GmbH\"  # D2 'vendor (name of the entity provider_entity_ref_id names)', given",
            "criticality: \"critical\"", "criticality: \"high\"",
            // Unset (0) is the preset's assumption.
            "criticality: \"medium\"  # E4 'criticality', mapped from '0'",
            // The terminated contract is left out; the latest active one counts.
            "ends: \"2027-12-31\"", "annual_cost_eur: 12000.5",
            // Euros only: the USD support contract's expense is not added.
            "ends: \"2028-06-30\"", "annual_cost_eur: 250000",
            "deployment: \"saas\"  # assumed by preset ciso-assistant; correct it if it is otherwise",
        ] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        let vendors = try String(contentsOfFile: work + "/inv/vendors.yaml", encoding: .utf8)
        #expect(vendors.contains("name: \"Cloudhaus GmbH\"") && vendors.contains("parent: \"cloudhaus-holding\"")
                && vendors.contains("name: \"Cloudhaus Holding Inc.\"") && vendors.contains("title: \"CISO Assistant export tprm.xlsx, row 2\""),
                "\(vendors)")
        #expect(Binary.run(["scan", "inv", "--quiet"], in: work).status == 0)
        // The US parent's law reaches the German host.
        let explained = Binary.run(["explain", "lra/s-01"], in: work)
        #expect(explained.stdout.contains("Cloudhaus Holding Inc."), "\(explained.stdout)")
    }

    /// What a review found: exports that are not tidy are read as far as they
    /// can be, and what cannot be read is said at its cell.
    @Test func untidyGLPIExportsAreReadAndWhatCannotBeIsSaid() throws {
        let work = Fixture.directory()
        try Self.python(#"""
            def row(values):
                return "".join('"' + value + '";' for value in values) + "\n"
            rows = [
                ["Name", "Entity", "Publisher", "Contract - Start date", "Contract - Duration", "Contract - Notice"],
                ["Office", "Root entity > Amt A", "Microsoft Corporation", "2024-01-01", "12 mois", "3 mois"],
                ["Office", "Root entity > Amt B", "Microsoft Corporation", "2025-01-01<br>2026-01-01<br>2027-01-01", "2 ans<br>24 months", ""],
                ["Hilfsprogramm", "Root entity > Amt A", "", "", "", ""],
            ]
            with open("software.csv", "w", encoding="utf-8-sig", newline="") as file:
                file.write("".join(row(values) for values in rows))
            """#, in: work)
        let result = Binary.run(["import", "software.csv", "--preset", "glpi", "--organisation", "stadt", "--out", "inv"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: work + "/inv/stadt.yaml", encoding: .utf8)
        for line in ["ends: \"2025-01-01\"", "notice_months: 3", "- id: \"office-2\"", "ends: \"2028-01-01\"",
                     "vendor: \"unknown\"  # assumed by preset glpi (the cell is empty)"] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        for message in ["software.csv:3:1: warning: organisation 'stadt' has a system 'office' already (software.csv, line 2, column A 'Name', made an id from 'Office'); this row's is 'office-2'",
                        "software.csv:3:4: warning: the contract columns list 3 start dates and 2 durations"] {
            #expect(result.stderr.contains(message), "\(message)\n\(result.stderr)")
        }
    }

    @Test(.enabled(if: WorkbookImportTests.openpyxl, "openpyxl is not installed (pip install openpyxl)"))
    func aSolutionWhoseProviderIsNoEntityIsAnErrorAtItsCell() throws {
        let work = Fixture.directory()
        try Self.python(Self.cisoAssistant.replacingOccurrences(of: #"["S-03", "Webhosting", "", "E-001", 0, "Global"]"#,
                                                                with: #"["S-03", "Webhosting", "", "E-042", 0, "Global"]"#), in: work)
        let result = Binary.run(["import", "tprm.xlsx", "--preset", "ciso-assistant", "--organisation", "lra", "--out", "inv"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("tprm.xlsx:Solutions!D4: error: provider_entity_ref_id 'E-042' names no entity of the Entities sheet"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/inv"))
    }

    @Test func aPresetSaysWhatItReadsWhenAnInputIsNoneOfIts() throws {
        let work = Fixture.write(["other.csv": "Anwendung;Hersteller\nMail;Microsoft\n"])
        let result = Binary.run(["import", "other.csv", "--preset", "glpi", "--organisation", "stadt", "--out", "inv"], in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("other.csv: no header is what --preset glpi reads: a software export (Name, Publisher, contract columns)"),
                "\(result.stderr)")
        let noOrganisation = Binary.run(["import", "other.csv", "--preset", "glpi", "--out", "inv"], in: work)
        #expect(noOrganisation.status != 0 && noOrganisation.stderr.contains("--preset glpi needs --organisation ID"), "\(noOrganisation.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/inv"))
    }
}
