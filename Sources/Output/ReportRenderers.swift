import Domain
import Foundation
import Import
import Reporting

/// The formats a report can be written in.

/// Renders a computed report; renderers never query.
enum ReportRenderer {
    /// The HTML page; with more than one state in the database, it shows how
    /// its groups moved, and it lists the riskiest systems of its scope.
    static func html(_ report: Report, in context: RenderContext) throws -> String {
        let figures = context.history.map { $0.series.count > 1 ? TrackingRenderer.figures($0, context.wording) : [] } ?? []
        return try HTMLReport.render(report, context.wording, templateDirectory: context.templateDirectory, history: figures,
                                     riskiest: context.riskiest)
    }

    // MARK: Terminal

    /// The report's heading line: scan, dates, level, scope and order.
    static func heading(_ report: Report, _ w: Wording) -> String {
        var text = w.say("scan \(report.scan.id), as of \(w.asOf(report.scan)), by \(w.level(report.level))",
                         "Scan \(report.scan.id), Stichtag \(w.asOf(report.scan)), je \(w.level(report.level))")
        text += report.under.map { w.say(", under \($0)", ", unterhalb von \($0)") } ?? ""
        return text + w.say(", ", "; ") + rowsShown(report.rows, noun: w.noun(report.level), w)
    }

    /// "the first 10 of 57 vendors by dependence", or "57 vendors by dependence".
    static func rowsShown(_ rows: Report.Rows, noun: Wording.Noun, _ w: Wording) -> String {
        let order = w.say("by \(rows.sort.rawValue)", "sortiert nach \(sortName(rows.sort, w))")
        guard let top = rows.top, top < rows.total else { return "\(w.counted(rows.total, noun))\(w.say(" ", ", "))\(order)" }
        let plural = w.language == .de ? noun.german.1 : noun.english.1
        return w.say("the first \(top) of \(w.count(rows.total)) \(plural) \(order)", "die ersten \(top) der \(w.count(rows.total)) \(plural), \(order)")
    }

    /// The German of an order (`--sort`).
    static func sortName(_ sort: ReportSort, _ w: Wording) -> String {
        switch sort {
        case .id: "Kennung"
        case .name: "Name"
        case .systems: "Anzahl der Systeme"
        case .critical: "Anzahl der Systeme hoch oder kritisch"
        case .users: "Nutzerzahl"
        case .cost: "Kosten"
        case .lockIn: "Lock-in"
        case .jurisdiction: "Rechtsraum"
        case .hhi: "HHI"
        case .dependence: "Abhängigkeit"
        case .personalData: "Anzahl der Systeme mit personenbezogenen Daten"
        case .risk: "Risiko"
        }
    }

    /// The scope's totals in one line.
    static func totalsLine(_ totals: Report.Totals, _ w: Wording) -> String {
        let personal = totals.personalData
        return w.say(
            "\(w.counted(totals.organisations, .organisation)), \(w.counted(totals.systems, .system)) "
                + "(\(w.count(totals.criticalSystems)) critical), \(w.count(totals.users)) users summed over the systems; "
                + "annual cost EUR \(ReportTables.spend(totals.spend, w)); personal data in \(w.counted(personal.systems, .system)), "
                + "outside the bloc \(ReportTables.personal(personal.outsideBloc, of: personal.systems, w)), "
                + "under a foreign law \(ReportTables.personal(personal.underForeignLaw, of: personal.systems, w))",
            "\(w.counted(totals.organisations, .organisation)), \(w.counted(totals.systems, .system)) "
                + "(davon \(w.count(totals.criticalSystems)) hoch oder kritisch), \(w.count(totals.users)) Nutzer, summiert über die Systeme; "
                + germanCost(totals.spend, w) + "; \(w.count(personal.systems)) \(personal.systems == 1 ? "System" : "Systeme") mit personenbezogenen Daten, davon "
                + (personal.outsideBloc.map { "\(w.count($0)) außerhalb des Blocks" } ?? "außerhalb des Blocks nicht erfasst") + " und "
                + (personal.underForeignLaw.map { "\(w.count($0)) unter fremdem Recht" } ?? "unter fremdem Recht nicht erfasst"))
    }

    /// "Jahreskosten 45.129.020 EUR (Angabe für 177 von 276 Systemen)".
    static func germanCost(_ spend: Report.Spend, _ w: Wording) -> String {
        let stating = "Angabe für \(w.count(spend.systemsStating)) von \(w.countedDative(spend.systems, .system))"
        guard spend.systemsStating > 0 else { return "Jahreskosten: keine Angabe (\(stating))" }
        return "Jahreskosten \(w.count(Int(spend.euros.rounded()))) EUR (\(stating))"
    }

    /// Aligned columns; bands in colour when `colour` (a terminal, and no `NO_COLOR`).
    static func table(_ report: Report, in context: RenderContext) -> String {
        let w = context.wording
        var text = w.say("sovscan report: ", "sovscan-Bericht: ") + heading(report, w) + "\n" + totalsLine(report.totals, w) + "\n\n"
        let table = ReportTables.table(report, w)
        text += align([table.header] + table.rows, numeric: table.numeric) { row, column, cell in
            guard row > 0, let band = table.bands[row - 1][column] else { return cell }
            return paint(cell, band: band, colour: context.colour)
        }
        if report.groups?.contains(where: \.standalone) == true {
            text += "* " + standalone(report.level, w) + "\n"
        }
        let answerFirst = ReportTables.answerFirstTable(report.groups ?? [], level: report.level, w)
        if !answerFirst.rows.isEmpty {
            let intro = ReportTables.answerFirstIntro(w)
            text += "\n" + w.say("Answer these first: " + intro, "Zuerst zu beantworten: " + intro.prefix(1).lowercased() + intro.dropFirst()) + "\n"
            text += align([answerFirst.header] + answerFirst.rows, numeric: answerFirst.numeric)
        }
        text += "\n" + legend(report.level, unansweredRecorded: report.totals.unansweredRecorded, w)
        let windows = report.exitWindows
        text += "\n" + w.say("Exit windows as of", "Ausstiegsfenster zum Stichtag") + " \(w.date(report.scan.asOf)): \(exitWindowCounts(report, w))\(shownOf(report, w))\n"
        text += exitWindowOrder(w) + "\n"
        if windows.isEmpty {
            text += w.say("none", "keine") + "\n"
        } else {
            var rows = [exitWindowHeader(w)]
            for window in windows {
                rows.append([w.status(window.status), w.date(window.actBy), "\(window.organisation)/\(window.system)", window.vendor,
                             w.date(window.contractEnds), w.count(window.urgency), w.count(window.lockIn), w.criticality(window.criticality)])
            }
            text += align(rows, numeric: [5, 6])
        }
        return text
    }

    /// "reports to no ministry in this scan: shown on its own", beside a row marked *.
    static func standalone(_ level: ReportLevel, _ w: Wording) -> String {
        w.say("reports to no \(w.level(level)) in this scan: shown on its own",
              "in diesem Scan keiner übergeordneten Einheit der Ebene „\(w.level(level))“ zugeordnet: einzeln ausgewiesen")
    }

    static func exitWindowHeader(_ w: Wording) -> [String] {
        [w.say("status", "Status"), w.say("act by", "Kündigung bis"), w.say("system", "System"), w.say("vendor", "Anbieter"),
         w.say("contract ends", "Vertragsende"), w.say("urgency (0–400)", "Dringlichkeit (0–400)"), w.say("lock-in (0–100)", "Lock-in (0–100)"),
         w.say("criticality", "Kritikalität")]
    }

    /// What the figures of a level count, one line each.
    static func legend(_ level: ReportLevel, unansweredRecorded: Bool, _ w: Wording) -> String {
        w.say("Legend", "Legende") + ":\n"
            + Glossary.entries(for: level, unansweredRecorded: unansweredRecorded, in: w.language).map { "  \($0.term): \($0.definition)\n" }.joined()
    }

    static func paint(_ text: String, band: Band, colour: Bool) -> String {
        guard colour else { return text }
        let code = switch band {
        case .low: "32"
        case .medium: "33"
        case .high: "31"
        case .critical: "1;31"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The report's exit windows counted by status: "1 missed, 0 expired, 4 upcoming within 18 months".
    static func exitWindowCounts(_ report: Report, _ w: Wording) -> String {
        let counts = report.exitWindowCounts
        return w.say("\(w.count(counts.missed)) missed, \(w.count(counts.expired)) expired, \(w.count(counts.upcoming)) upcoming within ",
                     "\(w.count(counts.missed)) verpasst, \(w.count(counts.expired)) abgelaufen, \(w.count(counts.upcoming)) bevorstehend innerhalb von ")
            + w.countedDative(report.withinMonths, .month)
    }

    /// How exit windows are listed, and what their urgency is.
    static func exitWindowOrder(_ w: Wording) -> String {
        w.say("Missed (notice deadline passed, contract still running) and expired (contract ended) come first, "
              + "then upcoming, each by deadline; urgency is lock-in times criticality weight.",
              "Zuerst verpasste (letzter Kündigungstag verstrichen, Vertrag läuft weiter) und abgelaufene (Vertrag beendet), "
              + "dann bevorstehende, jeweils nach dem letzten Kündigungstag; die Dringlichkeit ist Lock-in mal Kritikalitätsgewicht.")
    }

    /// When the report lists fewer exit windows than it found: which ones, and how to see them all.
    static func shownOf(_ report: Report, _ w: Wording) -> String {
        let shown = report.exitWindows.count, found = report.exitWindowCount
        guard shown < found else { return "" }
        let all = w.say("--exit-windows all lists every one", "--exit-windows all listet alle")
        guard shown > 0 else { return w.say("; none listed (\(all))", "; keines aufgeführt (\(all))") }
        return w.say("; the first \(shown) of \(found) listed (\(all))", "; die ersten \(shown) von \(found) aufgeführt (\(all))")
    }

    /// Aligned columns, numbers to the right; `decorate` may colour a cell (row, column, text) after it is measured.
    static func align(_ rows: [[String]], numeric: Set<Int>, decorate: (Int, Int, String) -> String = { _, _, cell in cell }) -> String {
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var text = ""
        for (rowIndex, row) in rows.enumerated() {
            let cells = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let shown = decorate(rowIndex, index, cell)
                return numeric.contains(index) ? padding + shown : shown + padding
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        return text
    }

    // MARK: CSV

    /// RFC 4180, a row per group, vendor or country, with stable English
    /// column names and plain figures (shares 0-1, euros with cents); a cell
    /// a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return) gets a leading apostrophe, so that it
    /// is shown, not run.
    static func csv(_ report: Report) -> String {
        var rows: [[String]]
        if let vendors = report.vendors {
            rows = [["parent", "name", "country", "laws", "dependence", "systems", "share_of_systems", "critical_systems", "share_of_critical",
                     "organisations", "ministries", "users", "annual_cost_eur", "systems_stating_cost", "personal_data_systems",
                     "personal_data_outside_bloc", "personal_data_under_foreign_law", "lock_in", "jurisdiction",
                     "lock_in_unknown_points", "jurisdiction_unknown_points"]]
            for vendor in vendors {
                rows.append([vendor.parent, vendor.name, vendor.country ?? "", vendor.laws.joined(separator: "; "), share(vendor.dependence),
                             String(vendor.systems), share(vendor.shareOfSystems), String(vendor.criticalSystems), share(vendor.shareOfCritical),
                             String(vendor.organisations), String(vendor.ministries), String(vendor.users), euros(vendor.spend),
                             String(vendor.spend.systemsStating)] + personalCells(vendor.personalData)
                             + [number(vendor.lockIn), number(vendor.jurisdiction), vendor.lockInUnknownPoints.map(number) ?? "",
                                vendor.jurisdictionUnknownPoints.map(number) ?? ""])
            }
        } else if let countries = report.countries {
            rows = [["country", "name", "bloc", "laws", "dependence", "systems", "share_of_systems", "critical_systems", "share_of_critical",
                     "annual_cost_eur", "systems_stating_cost", "share_of_cost", "personal_data_systems", "personal_data_outside_bloc",
                     "personal_data_under_foreign_law", "share_of_personal_data", "parents"]]
            for country in countries {
                rows.append([country.country ?? "", country.name, country.bloc ?? "", country.laws.joined(separator: "; "),
                             share(country.dependence), String(country.systems), share(country.shareOfSystems), String(country.criticalSystems),
                             share(country.shareOfCritical), euros(country.spend), String(country.spend.systemsStating),
                             share(country.shareOfSpend)] + personalCells(country.personalData)
                             + [share(country.shareOfPersonalData), country.parents.map(\.parent).joined(separator: " ")])
            }
        } else {
            rows = [[
                "group", "name", "standalone", "organisations", "systems", "critical_systems", "users", "annual_cost_eur", "systems_stating_cost",
                "lock_in", "lock_in_band", "jurisdiction", "jurisdiction_band", "top_vendor", "top_vendor_country", "top_vendor_share", "hhi",
                "personal_data_systems", "personal_data_outside_bloc", "personal_data_under_foreign_law", "unknown_share",
                "exit_windows", "next_act_by", "next_exit_system", "next_exit_status",
                "exit_windows_missed", "exit_windows_expired", "exit_windows_upcoming",
                "lock_in_unknown_points", "jurisdiction_unknown_points", "answer_first",
            ]]
            for group in report.groups ?? [] {
                let top = group.vendors.first
                let next = group.nextExitWindow
                rows.append([
                    group.id, group.name, group.standalone ? "true" : "false", String(group.organisations), String(group.systems),
                    String(group.criticalSystems), String(group.users), euros(group.spend), String(group.spend.systemsStating),
                    number(group.lockIn.score), group.lockIn.band.rawValue, number(group.jurisdiction.score), group.jurisdiction.band.rawValue,
                    top?.name ?? "", top?.country ?? "", top.map { share($0.share) } ?? "", String(format: "%.1f", group.hhi),
                ] + personalCells(group.personalData) + [
                    share(group.unknownShare), String(group.exitWindowCount), next?.actBy ?? "", next.map { "\($0.organisation)/\($0.system)" } ?? "",
                    next?.status.rawValue ?? "", String(group.exitWindowCounts.missed), String(group.exitWindowCounts.expired),
                    String(group.exitWindowCounts.upcoming), group.lockIn.unknownPoints.map(number) ?? "",
                    group.jurisdiction.unknownPoints.map(number) ?? "", group.answerFirst.map(\.question).joined(separator: "; "),
                ])
            }
        }
        return csvText(rows)
    }

    /// The report as a workbook: its rows as the CSV gives them (typed
    /// cells), the exit windows, and the glossary, a sheet each; in German,
    /// with German sheet names, headings and closed values.
    static func workbook(_ report: Report, _ w: Wording) -> Workbook {
        let level = report.vendors != nil ? w.say("vendors", "Anbieter") : report.countries != nil ? w.say("countries", "Länder")
            : report.level == .organisation ? w.say("organisations", "Organisationen") : w.say("ministries", "Ministerien")
        let windows = Workbook.Sheet(
            name: w.say("exit windows", "Ausstiegsfenster"),
            header: ["status", "organisation", "system", "name", "vendor", "contract_ends", "notice_months", "act_by", "lock_in", "criticality", "urgency"],
            rows: report.exitWindows.map { window in
                [.text(window.status.rawValue), .text(window.organisation), .text(window.system), .text(window.name), .text(window.vendor),
                 Day(iso: window.contractEnds).map { .date($0) } ?? .text(window.contractEnds), .number(Double(window.noticeMonths)),
                 Day(iso: window.actBy).map { .date($0) } ?? .text(window.actBy), .number(Double(window.lockIn)), .text(window.criticality),
                 .number(Double(window.urgency))]
            })
        let glossary = Glossary.entries(for: report.level, unansweredRecorded: report.totals.unansweredRecorded, in: w.language)
        return Workbook(sheets: [Workbook.sheet(csv: csv(report), name: level).worded(w), windows.worded(w), Workbook.glossary(glossary, w)])
    }

    static func csvText(_ rows: [[String]]) -> String {
        rows.map(csvLine).joined()
    }

    static func csvLine(_ row: [String]) -> String {
        row.map(csvCell).joined(separator: ",") + "\r\n"
    }

    /// A figure with one decimal, as CSV writes it.
    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    static func share(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    static func euros(_ spend: Report.Spend) -> String {
        spend.systemsStating == 0 ? "" : String(format: "%.2f", spend.euros)
    }

    static func personalCells(_ personal: Report.PersonalData) -> [String] {
        [String(personal.systems), personal.outsideBloc.map(String.init) ?? "", personal.underForeignLaw.map(String.init) ?? ""]
    }

    /// One RFC 4180 cell, neutralised when a spreadsheet would run it as a formula.
    static func csvCell(_ value: String) -> String {
        var cell = FormulaGuard.guarded(value)
        // "\r\n" is one Character: a line break of any kind is quoted.
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) {
            cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    // MARK: Markdown

    /// GitHub- and GitLab-flavoured tables; inventory text is escaped so that
    /// it can neither break a table nor inject HTML.
    static func markdown(_ report: Report, _ w: Wording) -> String {
        var text = "# " + w.say("sovscan report: scan \(report.scan.id), as of \(w.asOf(report.scan))",
                                "sovscan-Bericht: Scan \(report.scan.id), Stichtag \(w.asOf(report.scan))") + "\n\n"
        text += markdownCell(heading(report, w)) + ".\n\n" + markdownCell(totalsLine(report.totals, w)) + ".\n\n"
        text += markdownTable(ReportTables.table(report, w))
        if report.groups?.contains(where: \.standalone) == true {
            text += "\n\\* " + markdownCell(standalone(report.level, w)) + "\n"
        }
        let answerFirst = ReportTables.answerFirstTable(report.groups ?? [], level: report.level, w)
        if !answerFirst.rows.isEmpty {
            text += "\n## " + w.say("Answer these first", "Zuerst zu beantworten") + "\n\n" + markdownCell(ReportTables.answerFirstIntro(w)) + ".\n\n"
                + markdownTable(answerFirst)
        }
        for group in report.groups ?? [] where !group.vendors.isEmpty {
            var vendors = HumanTable(header: [w.say("vendor", "Anbieter"), w.say("country", "Land"), w.say("systems", "Systeme"),
                                              w.say("weighted share", "Anteil (gewichtet)"), w.say("lock-in (0–100)", "Lock-in (0–100)"),
                                              w.say("jurisdiction (0–100)", "Rechtsraum (0–100)")],
                                     numeric: [2, 3, 4, 5])
            for vendor in group.vendors.prefix(10) {
                vendors.rows.append([vendor.name, vendor.country ?? w.unknown, w.count(vendor.systems), w.percent(vendor.share),
                                     w.decimal(vendor.lockIn), w.decimal(vendor.jurisdiction)])
            }
            text += "\n## \(markdownCell(group.name))\n\n" + markdownTable(vendors)
            if !group.heaviestFindings.isEmpty {
                text += "\n" + w.say("Heaviest findings", "Schwerwiegendste Befunde") + ":\n\n"
                    + group.heaviestFindings.map { finding in
                        "- " + markdownCell(finding.title.in(w.language)) + " (" + w.counted(finding.systems, .system) + ", "
                            + w.say("\(w.count(finding.points)) points summed over them", "zusammen \(w.counted(finding.points, .point))") + ")\n"
                    }.joined()
            }
        }
        let windows = report.exitWindows
        text += "\n## " + w.say("Exit windows", "Ausstiegsfenster") + "\n\n" + w.say("As of", "Zum Stichtag") + " \(w.date(report.scan.asOf)): "
            + "\(exitWindowCounts(report, w))\(markdownCell(shownOf(report, w))). \(exitWindowOrder(w))\n\n"
        if windows.isEmpty {
            text += w.say("None.", "Keine.") + "\n"
        } else {
            var table = HumanTable(header: exitWindowHeader(w), numeric: [5, 6])
            for window in windows {
                table.rows.append([w.status(window.status), w.date(window.actBy), "\(window.name) (\(window.organisation)/\(window.system))", window.vendor,
                                   w.date(window.contractEnds), w.count(window.urgency), w.count(window.lockIn), w.criticality(window.criticality)])
            }
            text += markdownTable(table)
        }
        return text + markdownGlossary(report.level, unansweredRecorded: report.totals.unansweredRecorded, w)
    }

    static func markdownTable(_ table: HumanTable) -> String {
        var text = "| " + table.header.map(markdownCell).joined(separator: " | ") + " |\n"
        text += "|" + table.header.indices.map { table.numeric.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in table.rows { text += markdownRow(row) }
        return text
    }

    static func markdownRow(_ cells: [String]) -> String {
        "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n"
    }

    static func markdownGlossary(_ level: ReportLevel, unansweredRecorded: Bool, _ w: Wording) -> String {
        "\n## " + w.say("Glossary", "Glossar") + "\n\n"
            + Glossary.entries(for: level, unansweredRecorded: unansweredRecorded, in: w.language)
                .map { "- **\(markdownCell($0.term))**: \(markdownCell($0.definition))\n" }.joined()
    }

    static func markdownCell(_ value: String) -> String {
        var text = ""
        for character in value {
            switch character {
            case "|": text += "\\|"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "&": text += "&amp;"
            case "\\", "`", "*", "_", "[", "]": text += "\\\(character)"
            case "\n", "\r": text += " "
            default: text.append(character)
            }
        }
        return text
    }
}
