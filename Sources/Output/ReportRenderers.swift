import Domain
import Foundation
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

    // MARK: Terminal

    /// Aligned columns; bands in colour when `colour` (a terminal, and no `NO_COLOR`).
    static func table(_ report: Report, colour: Bool) -> String {
        func paint(_ text: String, band: Band) -> String {
            guard colour else { return text }
            let code = switch band {
            case .low: "32"
            case .medium: "33"
            case .high: "31"
            case .critical: "1;31"
            }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        var text = "sovscan report: scan \(report.scan.id), as of \(report.scan.asOf), by \(report.level.rawValue)"
        text += report.under.map { ", under \($0)" } ?? ""
        text += "\n\(report.totals.organisations) organisations, \(report.totals.systems) systems, \(report.totals.users) users\n\n"
        let header = ["group", "orgs", "systems", "users", "lock-in", "jurisdiction", "top vendor", "HHI", "personal abroad", "unknown"]
        var rows: [[String]] = [header]
        var bands: [[Band]] = [[]]
        for group in report.groups {
            let top = group.vendors.first.map { "\($0.name) (\(percent($0.share)))" } ?? "-"
            rows.append([
                group.name + (group.standalone ? " *" : ""), String(group.organisations), String(group.systems), String(group.users),
                "\(number(group.lockIn.score)) \(group.lockIn.band)", "\(number(group.jurisdiction.score)) \(group.jurisdiction.band)",
                top, String(format: "%.0f", group.hhi), percent(group.personalDataAbroadShare), percent(group.unknownShare),
            ])
            bands.append([group.lockIn.band, group.jurisdiction.band])
        }
        text += align(rows, numeric: [1, 2, 3, 7, 8, 9]) { row, column, cell in
            guard row > 0, column == 4 || column == 5 else { return cell }
            return paint(cell, band: bands[row][column - 4])
        }
        if report.groups.contains(where: \.standalone) {
            text += "* reports to no \(report.level.rawValue) in this scan: shown on its own\n"
        }
        let windows = report.exitWindows
        text += "\nExit windows: notice deadlines within \(report.withinMonths) months of \(report.scan.asOf), by lock-in times criticality\(shownOf(report))\n"
        if windows.isEmpty {
            text += "none\n"
        } else {
            var rows = [["act by", "system", "vendor", "contract ends", "lock-in", "criticality"]]
            for window in windows {
                rows.append([window.actBy, "\(window.organisation)/\(window.system)", window.vendor, window.contractEnds, String(window.lockIn), window.criticality])
            }
            text += align(rows, numeric: [4])
        }
        return text
    }

    /// When the report lists fewer exit windows than it found: which ones, and how to see them all.
    static func shownOf(_ report: Report) -> String {
        let shown = report.exitWindows.count, found = report.exitWindowCount
        guard shown < found else { return "" }
        return "; the \(shown) most pressing of \(found) (--exit-windows all lists every one)"
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

    /// RFC 4180, a row per group; a cell a spreadsheet would run as a formula
    /// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
    /// leading apostrophe, so that it is shown, not run.
    static func csv(_ report: Report) -> String {
        var rows = [[
            "group", "name", "standalone", "organisations", "systems", "users", "lock_in", "lock_in_band", "jurisdiction",
            "jurisdiction_band", "top_vendor", "top_vendor_country", "top_vendor_share", "hhi", "personal_data_abroad_share",
            "unknown_share", "exit_windows", "next_act_by", "next_exit_system",
        ]]
        for group in report.groups {
            let top = group.vendors.first
            let next = group.nextExitWindow
            rows.append([
                group.id, group.name, group.standalone ? "true" : "false", String(group.organisations), String(group.systems),
                String(group.users), number(group.lockIn.score), group.lockIn.band.rawValue, number(group.jurisdiction.score),
                group.jurisdiction.band.rawValue, top?.name ?? "", top?.country ?? "", top.map { String(format: "%.4f", $0.share) } ?? "",
                String(format: "%.1f", group.hhi), String(format: "%.4f", group.personalDataAbroadShare),
                String(format: "%.4f", group.unknownShare), String(group.exitWindowCount), next?.actBy ?? "",
                next.map { "\($0.organisation)/\($0.system)" } ?? "",
            ])
        }
        return rows.map { $0.map(csvCell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One RFC 4180 cell, neutralised when a spreadsheet would run it as a formula.
    static func csvCell(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            cell = "'" + cell
        }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    // MARK: Markdown

    /// GitHub- and GitLab-flavoured tables; inventory text is escaped so that
    /// it can neither break a table nor inject HTML.
    static func markdown(_ report: Report) -> String {
        var text = "# sovscan report: scan \(report.scan.id), as of \(report.scan.asOf)\n\n"
        text += "By \(report.level.rawValue)\(report.under.map { ", under \(markdownCell($0))" } ?? ""): "
        text += "\(report.totals.organisations) organisations, \(report.totals.systems) systems, \(report.totals.users) users.\n\n"
        text += "| group | organisations | systems | users | lock-in | jurisdiction | top vendor | HHI | personal data abroad | unknown |\n"
        text += "|---|---:|---:|---:|---|---|---|---:|---:|---:|\n"
        for group in report.groups {
            let top = group.vendors.first.map { "\(markdownCell($0.name)) (\(percent($0.share)))" } ?? "–"
            text += "| \(markdownCell(group.name))\(group.standalone ? " (on its own)" : "") | \(group.organisations) | \(group.systems) | \(group.users) "
            text += "| \(number(group.lockIn.score)) \(group.lockIn.band) | \(number(group.jurisdiction.score)) \(group.jurisdiction.band) "
            text += "| \(top) | \(String(format: "%.0f", group.hhi)) | \(percent(group.personalDataAbroadShare)) | \(percent(group.unknownShare)) |\n"
        }
        for group in report.groups where !group.vendors.isEmpty {
            text += "\n## \(markdownCell(group.name))\n\n| vendor | country | systems | share | lock-in | jurisdiction |\n|---|---|---:|---:|---:|---:|\n"
            for vendor in group.vendors.prefix(10) {
                text += "| \(markdownCell(vendor.name)) | \(vendor.country ?? "unknown") | \(vendor.systems) | \(percent(vendor.share)) | \(number(vendor.lockIn)) | \(number(vendor.jurisdiction)) |\n"
            }
            if !group.heaviestFindings.isEmpty {
                text += "\nHeaviest findings: " + group.heaviestFindings.map { "\(markdownCell($0.title)) (\($0.systems) systems, \($0.points) points)" }.joined(separator: "; ") + "\n"
            }
        }
        let windows = report.exitWindows
        text += "\n## Exit windows\n\nNotice deadlines within \(report.withinMonths) months of \(report.scan.asOf), by lock-in times criticality\(shownOf(report)).\n\n"
        if windows.isEmpty {
            text += "None.\n"
        } else {
            text += "| act by | system | vendor | contract ends | lock-in | criticality |\n|---|---|---|---|---:|---|\n"
            for window in windows {
                text += "| \(window.actBy) | \(markdownCell(window.organisation + "/" + window.system)) \(markdownCell(window.name)) | \(markdownCell(window.vendor)) | \(window.contractEnds) | \(window.lockIn) | \(window.criticality) |\n"
            }
        }
        return text
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
