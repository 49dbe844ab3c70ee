import Domain
import Foundation
import Import
import Reporting

/// The formats a report can be written in.

/// Renders a computed report; renderers never query.
enum ReportRenderer {
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// The HTML page; with more than one state in the database, it shows how
    /// its groups moved, and it lists the riskiest systems of its scope.
    static func html(_ report: Report, in context: RenderContext) throws -> String {
        let figures = context.history.map { $0.series.count > 1 ? TrackingRenderer.figures($0) : [] } ?? []
        return try HTMLReport.render(report, templateDirectory: context.templateDirectory, history: figures, riskiest: context.riskiest)
    }

    // MARK: Terminal

    /// The report's heading line: scan, dates, level, scope and order.
    static func heading(_ report: Report) -> String {
        var text = "scan \(report.scan.id), as of \(report.scan.asOfRange), by \(report.level.rawValue)"
        text += report.under.map { ", under \($0)" } ?? ""
        return text + ", " + rowsShown(report.rows, noun: rowNoun(report.level))
    }

    /// "the 10 first of 57 vendors by dependence", or "57 vendors by dependence".
    static func rowsShown(_ rows: Report.Rows, noun: (singular: String, plural: String)) -> String {
        let order = "by \(rows.sort.rawValue)"
        guard let top = rows.top, top < rows.total else { return "\(ReportTables.counted(rows.total, noun.singular, noun.plural)) \(order)" }
        return "the first \(top) of \(ReportTables.count(rows.total)) \(noun.plural) \(order)"
    }

    static func rowNoun(_ level: ReportLevel) -> (singular: String, plural: String) {
        switch level {
        case .ministry: ("ministry", "ministries")
        case .organisation: ("organisation", "organisations")
        case .vendor: ("vendor", "vendors")
        case .country: ("country", "countries")
        case .system: ("system", "systems")
        }
    }

    /// The scope's totals in one line.
    static func totalsLine(_ totals: Report.Totals) -> String {
        "\(ReportTables.counted(totals.organisations, "organisation", "organisations")), \(ReportTables.counted(totals.systems, "system", "systems")) "
            + "(\(ReportTables.count(totals.criticalSystems)) critical), \(ReportTables.count(totals.users)) users summed over the systems; "
            + "annual cost EUR \(ReportTables.spend(totals.spend)); personal data in \(ReportTables.counted(totals.personalData.systems, "system", "systems")), "
            + "outside the bloc \(ReportTables.personal(totals.personalData.outsideBloc, of: totals.personalData.systems)), "
            + "under a foreign law \(ReportTables.personal(totals.personalData.underForeignLaw, of: totals.personalData.systems))"
    }

    /// Aligned columns; bands in colour when `colour` (a terminal, and no `NO_COLOR`).
    static func table(_ report: Report, colour: Bool) -> String {
        var text = "sovscan report: " + heading(report) + "\n" + totalsLine(report.totals) + "\n\n"
        let table = ReportTables.table(report)
        text += align([table.header] + table.rows, numeric: table.numeric) { row, column, cell in
            guard row > 0, let band = table.bands[row - 1][column] else { return cell }
            return paint(cell, band: band, colour: colour)
        }
        if report.groups?.contains(where: \.standalone) == true {
            text += "* reports to no \(report.level.rawValue) in this scan: shown on its own\n"
        }
        let answerFirst = ReportTables.answerFirstTable(report.groups ?? [], level: report.level)
        if !answerFirst.rows.isEmpty {
            text += "\nAnswer these first: " + ReportTables.answerFirstIntro + "\n"
            text += align([answerFirst.header] + answerFirst.rows, numeric: answerFirst.numeric)
        }
        text += "\n" + legend(report.level, unansweredRecorded: report.totals.unansweredRecorded)
        let windows = report.exitWindows
        text += "\nExit windows as of \(report.scan.asOf): \(exitWindowCounts(report))\(shownOf(report))\n\(exitWindowOrder)\n"
        if windows.isEmpty {
            text += "none\n"
        } else {
            var rows = [["status", "act by", "system", "vendor", "contract ends", "urgency", "lock-in", "criticality"]]
            for window in windows {
                rows.append([window.status.rawValue, window.actBy, "\(window.organisation)/\(window.system)", window.vendor, window.contractEnds,
                             String(window.urgency), String(window.lockIn), window.criticality])
            }
            text += align(rows, numeric: [5, 6])
        }
        return text
    }

    /// What the figures of a level count, one line each.
    static func legend(_ level: ReportLevel, unansweredRecorded: Bool) -> String {
        "Legend:\n" + Glossary.entries(for: level, unansweredRecorded: unansweredRecorded).map { "  \($0.term): \($0.definition)\n" }.joined()
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
    static func exitWindowCounts(_ report: Report) -> String {
        let counts = report.exitWindowCounts
        return "\(counts.missed) missed, \(counts.expired) expired, \(counts.upcoming) upcoming within "
            + ReportTables.counted(report.withinMonths, "month", "months")
    }

    /// How exit windows are listed, and what their urgency is.
    static let exitWindowOrder = "Missed (notice deadline passed, contract still running) and expired (contract ended) come first, "
        + "then upcoming, each by deadline; urgency is lock-in times criticality weight."

    /// When the report lists fewer exit windows than it found: which ones, and how to see them all.
    static func shownOf(_ report: Report) -> String {
        let shown = report.exitWindows.count, found = report.exitWindowCount
        guard shown < found else { return "" }
        guard shown > 0 else { return "; none listed (--exit-windows all lists every one)" }
        return "; the first \(shown) of \(found) listed (--exit-windows all lists every one)"
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
    /// cells), the exit windows, and the glossary, a sheet each.
    static func workbook(_ report: Report) -> Workbook {
        let level = report.vendors != nil ? "vendors" : report.countries != nil ? "countries" : report.level == .organisation ? "organisations" : "ministries"
        let windows = Workbook.Sheet(
            name: "exit windows",
            header: ["status", "organisation", "system", "name", "vendor", "contract_ends", "notice_months", "act_by", "lock_in", "criticality", "urgency"],
            rows: report.exitWindows.map { window in
                [.text(window.status.rawValue), .text(window.organisation), .text(window.system), .text(window.name), .text(window.vendor),
                 Day(iso: window.contractEnds).map { .date($0) } ?? .text(window.contractEnds), .number(Double(window.noticeMonths)),
                 Day(iso: window.actBy).map { .date($0) } ?? .text(window.actBy), .number(Double(window.lockIn)), .text(window.criticality),
                 .number(Double(window.urgency))]
            })
        return Workbook(sheets: [Workbook.sheet(csv: csv(report), name: level), windows,
                                 Workbook.glossary(Glossary.entries(for: report.level, unansweredRecorded: report.totals.unansweredRecorded))])
    }

    static func csvText(_ rows: [[String]]) -> String {
        rows.map(csvLine).joined()
    }

    static func csvLine(_ row: [String]) -> String {
        row.map(csvCell).joined(separator: ",") + "\r\n"
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
    static func markdown(_ report: Report) -> String {
        var text = "# sovscan report: scan \(report.scan.id), as of \(report.scan.asOfRange)\n\n"
        text += markdownCell(heading(report)) + ".\n\n" + markdownCell(totalsLine(report.totals)) + ".\n\n"
        text += markdownTable(ReportTables.table(report))
        let answerFirst = ReportTables.answerFirstTable(report.groups ?? [], level: report.level)
        if !answerFirst.rows.isEmpty {
            text += "\n## Answer these first\n\n" + markdownCell(ReportTables.answerFirstIntro) + ".\n\n" + markdownTable(answerFirst)
        }
        for group in report.groups ?? [] where !group.vendors.isEmpty {
            text += "\n## \(markdownCell(group.name))\n\n| vendor | country | systems | share | lock-in | jurisdiction |\n|---|---|---:|---:|---:|---:|\n"
            for vendor in group.vendors.prefix(10) {
                text += "| \(markdownCell(vendor.name)) | \(vendor.country ?? "unknown") | \(vendor.systems) | \(percent(vendor.share)) | \(number(vendor.lockIn)) | \(number(vendor.jurisdiction)) |\n"
            }
            if !group.heaviestFindings.isEmpty {
                text += "\nHeaviest findings: " + group.heaviestFindings.map { "\(markdownCell($0.title)) (\($0.systems) systems, \($0.points) points)" }.joined(separator: "; ") + "\n"
            }
        }
        let windows = report.exitWindows
        text += "\n## Exit windows\n\nAs of \(report.scan.asOf): \(exitWindowCounts(report))\(shownOf(report)). \(exitWindowOrder)\n\n"
        if windows.isEmpty {
            text += "None.\n"
        } else {
            text += "| status | act by | system | vendor | contract ends | urgency | lock-in | criticality |\n|---|---|---|---|---|---:|---:|---|\n"
            for window in windows {
                text += "| \(window.status.rawValue) | \(window.actBy) | \(markdownCell(window.organisation + "/" + window.system)) \(markdownCell(window.name)) "
                text += "| \(markdownCell(window.vendor)) | \(window.contractEnds) | \(window.urgency) | \(window.lockIn) | \(window.criticality) |\n"
            }
        }
        return text + markdownGlossary(report.level, unansweredRecorded: report.totals.unansweredRecorded)
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

    static func markdownGlossary(_ level: ReportLevel, unansweredRecorded: Bool) -> String {
        "\n## Glossary\n\n" + Glossary.entries(for: level, unansweredRecorded: unansweredRecorded).map { "- **\(markdownCell($0.term))**: \(markdownCell($0.definition))\n" }.joined()
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
