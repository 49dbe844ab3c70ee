import Domain
import Foundation
import Reporting
import Tracking

/// Renders histories and diffs; like the report renderers, they never query.
enum TrackingRenderer {

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    // MARK: History

    static func table(_ history: History) -> String {
        var rows = [["as of", "scans", "systems", "lock-in", "jurisdiction"]]
        for point in history.series {
            rows.append([point.asOf, point.scans.map(String.init).joined(separator: ","), String(point.systems),
                         number(point.lockIn), number(point.jurisdiction)])
        }
        var text = "Scores by as-of date (each organisation's latest snapshot on or before the date)\n"
        text += align(rows, numeric: [2, 3, 4])
        for group in history.groups {
            text += "\n\(group.name)\n"
            var groupRows = [["as of", "systems", "lock-in", "jurisdiction"]]
            for point in group.series {
                groupRows.append([point.asOf, String(point.systems), number(point.lockIn), number(point.jurisdiction)])
            }
            text += align(groupRows, numeric: [1, 2, 3])
        }
        return text
    }

    /// RFC 4180, a row per group and date (group `all` is the whole scope).
    static func csv(_ history: History) -> String {
        var lines = ["group,name,as_of,scans,systems,lock_in,jurisdiction"]
        let all = History.GroupSeries(id: "all", name: "all", series: history.series)
        for group in [all] + history.groups {
            for point in group.series {
                lines.append([group.id, group.name, point.asOf, point.scans.map(String.init).joined(separator: " "), String(point.systems),
                              number(point.lockIn), number(point.jurisdiction) ].map(ReportRenderer.csvCell).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A self-contained page with a trend line per group and dimension.
    /// The history's trend charts as figures for the HTML report.
    static func figures(_ history: History) -> [HTMLReport.Figure] {
        [("Lock-in", \History.Point.lockIn), ("Jurisdiction", \History.Point.jurisdiction)].map { title, value in
            HTMLReport.Figure(title: title, svg: trendChart(history, title: title, value: value),
                              caption: "\(title) score (criticality-weighted mean) of each group by as-of date.")
        }
    }

    static func html(_ history: History) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>sovscan history</title>
            <style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}
            th:first-child,td:first-child{text-align:left}svg text{font-size:11px}
            @media print{body{margin:0}}</style></head><body>
            <h1>Dependence over time</h1>
            <p>Each point is the state on that date: every organisation's latest snapshot with an as-of date on or before it.</p>

            """
        for (title, value) in [("Lock-in", \History.Point.lockIn), ("Jurisdiction", \History.Point.jurisdiction)] {
            page += "<h2>\(title)</h2>" + trendChart(history, title: title, value: value)
        }
        page += "<h2>Figures</h2><table><thead><tr><th>Group</th><th>As of</th><th>Systems</th><th>Lock-in</th><th>Jurisdiction</th></tr></thead><tbody>"
        let all = History.GroupSeries(id: "all", name: "All", series: history.series)
        for group in [all] + history.groups {
            for point in group.series {
                page += "<tr><td>\(HTMLReport.xml(group.name))</td><td>\(point.asOf)</td><td>\(point.systems)</td><td>\(number(point.lockIn))</td><td>\(number(point.jurisdiction))</td></tr>"
            }
        }
        return page + "</tbody></table></body></html>\n"
    }

    static let palette = ["#1a4f8b", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]

    /// Trend lines of the history's groups for one dimension, as inline SVG.
    static func trendChart(_ history: History, title: String, value: KeyPath<History.Point, Double>) -> String {
        let dates = history.series.map(\.asOf)
        let width = 760, height = 250, left = 50, top = 10, plotWidth = 460, plotHeight = 200
        func x(_ date: String) -> Int {
            guard dates.count > 1, let index = dates.firstIndex(of: date) else { return left + plotWidth / 2 }
            return left + index * plotWidth / (dates.count - 1)
        }
        func y(_ score: Double) -> Int { top + plotHeight - Int(score / 100 * Double(plotHeight)) }
        let summary = history.groups.map { group in
            "\(group.name): " + group.series.map { "\($0.asOf) \(number($0[keyPath: value]))" }.joined(separator: ", ")
        }.joined(separator: "; ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" style=\"max-width:100%;height:auto\" font-size=\"11\" aria-label=\"\(HTMLReport.xml("\(title) by date. \(summary)"))\">"
        svg += "<title>\(title) by as-of date</title><desc>\(HTMLReport.xml(summary))</desc>"
        for score in [0, 25, 50, 75, 100] {
            svg += "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(y(Double(score)))\" y2=\"\(y(Double(score)))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(Double(score)) + 4)\" text-anchor=\"end\">\(score)</text>"
        }
        for date in dates { svg += "<text x=\"\(x(date))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(date)</text>" }
        for (index, group) in history.groups.enumerated() {
            let colour = palette[index % palette.count]
            let points = group.series.map { "\(x($0.asOf)),\(y($0[keyPath: value]))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(HTMLReport.xml(group.name))</title></polyline>"
            for point in group.series {
                svg += "<circle cx=\"\(x(point.asOf))\" cy=\"\(y(point[keyPath: value]))\" r=\"3\" fill=\"\(colour)\"><title>\(HTMLReport.xml("\(group.name), \(point.asOf): \(number(point[keyPath: value]))"))</title></circle>"
            }
            svg += "<rect x=\"\(left + plotWidth + 14)\" y=\"\(top + index * 16)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + plotWidth + 28)\" y=\"\(top + index * 16 + 9)\"><title>\(HTMLReport.xml(group.name))</title>\(HTMLReport.label(group.name, limit: 34))</text>"
        }
        return svg + "</svg>"
    }

    // MARK: Diff

    static func table(_ diff: ScanDiff) -> String {
        var text = "scan \(diff.from.scan) (as of \(diff.from.asOf)) → scan \(diff.to.scan) (as of \(diff.to.asOf))"
        text += diff.from.rulesetHash == diff.to.rulesetHash ? ", same rule set\n" : ", rule set changed\n"
        text += "organisations with an inventory: \(states(diff))\n"
        for organisation in diff.notRescanned { text += "  \(notRescanned(organisation))\n" }
        text += "systems: \(diff.systems.added.count) added, \(diff.systems.removed.count) removed, \(diff.systems.changed.count) changed\n"
        for id in diff.systems.added { text += "  + \(id)\n" }
        for id in diff.systems.removed { text += "  - \(id)\n" }
        for changed in diff.systems.changed { text += "  ~ \(changed.system): \(changed.fields.joined(separator: ", "))\n" }
        guard !diff.changes.isEmpty else { return text + "\nno score changed\n" }
        text += "\n"
        var rows = [["system", "dimension", "before", "after", "inventory", "rules", "findings"]]
        for change in diff.changes {
            let findings = change.findingsAdded.map { "+" + $0 } + change.findingsRemoved.map { "-" + $0 }
            rows.append([change.system, change.dimension, change.before.map(String.init) ?? "–", change.after.map(String.init) ?? "–",
                         signed(change.inventoryDelta), signed(change.rulesDelta), findings.joined(separator: " ")])
        }
        return text + align(rows, numeric: [2, 3, 4, 5])
    }

    /// How many organisations each side's state has, and how many of the later state's the later scan did not read.
    static func states(_ diff: ScanDiff) -> String {
        "\(diff.from.organisations.count) as of scan \(diff.from.scan), \(diff.to.organisations.count) as of scan \(diff.to.scan)"
            + (diff.notRescanned.isEmpty ? "" : " (\(diff.notRescanned.count) not re-scanned)")
    }

    static func notRescanned(_ organisation: ScanDiff.Coverage) -> String {
        "\(organisation.organisation): not re-scanned since \(organisation.asOf) (scan \(organisation.scan))"
    }

    /// RFC 4180: a row per organisation not re-scanned, a row per system
    /// added, removed or changed, then a row per score change; every row
    /// names its organisation.
    static func csv(_ diff: ScanDiff) -> String {
        var lines = ["kind,system,fields,dimension,before,after,before_band,after_band,inventory_delta,rules_delta,findings_added,findings_removed,organisation,since"]
        func row(_ cells: [String]) { lines.append(cells.map(ReportRenderer.csvCell).joined(separator: ",")) }
        func organisation(_ system: String) -> String { String(system.prefix { $0 != "/" }) }
        for coverage in diff.notRescanned { row(["not_rescanned"] + Array(repeating: "", count: 11) + [coverage.organisation, coverage.asOf]) }
        for id in diff.systems.added { row(["added", id] + Array(repeating: "", count: 10) + [organisation(id), ""]) }
        for id in diff.systems.removed { row(["removed", id] + Array(repeating: "", count: 10) + [organisation(id), ""]) }
        for changed in diff.systems.changed {
            row(["changed", changed.system, changed.fields.joined(separator: " ")] + Array(repeating: "", count: 9) + [organisation(changed.system), ""])
        }
        for change in diff.changes {
            row(["score", change.system, "", change.dimension, change.before.map(String.init) ?? "", change.after.map(String.init) ?? "",
                 change.beforeBand?.rawValue ?? "", change.afterBand?.rawValue ?? "", String(change.inventoryDelta), String(change.rulesDelta),
                 change.findingsAdded.joined(separator: " "), change.findingsRemoved.joined(separator: " "), organisation(change.system), ""])
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A self-contained page: what changed between the two scans, and each score change with its causes.
    static func html(_ diff: ScanDiff) -> String {
        let x = HTMLReport.xml
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>sovscan diff: scan \(diff.from.scan) to scan \(diff.to.scan)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}
            td.n{text-align:right}@media print{body{margin:0}}</style></head><body>

            """
        page += "<h1>What changed: scan \(diff.from.scan) (as of \(x(diff.from.asOf))) to scan \(diff.to.scan) (as of \(x(diff.to.asOf)))</h1>"
        page += "<p>\(diff.from.rulesetHash == diff.to.rulesetHash ? "Same rule set." : "The rule set changed: each score change is split into the inventory's share and the rules' share.")</p>"
        page += "<h2>Organisations</h2><p>Each side is the state of its scan: every organisation's latest snapshot on or before it. "
        page += "Organisations with an inventory: \(states(diff)).</p>"
        if !diff.notRescanned.isEmpty {
            page += "<ul>" + diff.notRescanned.map { "<li>\(x(notRescanned($0)))</li>" }.joined() + "</ul>"
        }
        let systems = diff.systems
        page += "<h2>Systems</h2><p>\(systems.added.count) added, \(systems.removed.count) removed, \(systems.changed.count) changed.</p><ul>"
        for id in systems.added { page += "<li>added: \(x(id))</li>" }
        for id in systems.removed { page += "<li>removed: \(x(id))</li>" }
        for changed in systems.changed { page += "<li>changed: \(x(changed.system)) (\(x(changed.fields.joined(separator: ", "))))</li>" }
        page += "</ul><h2>Score changes</h2>"
        guard !diff.changes.isEmpty else { return page + "<p>No score changed.</p></body></html>\n" }
        page += "<table><thead><tr><th>System</th><th>Dimension</th><th>Before</th><th>After</th><th>Inventory</th><th>Rules</th><th>Findings</th></tr></thead><tbody>"
        for change in diff.changes {
            let before = change.before.map { "\($0) \(change.beforeBand?.rawValue ?? "")" } ?? "–"
            let after = change.after.map { "\($0) \(change.afterBand?.rawValue ?? "")" } ?? "–"
            let findings = change.findingsAdded.map { "+" + $0 } + change.findingsRemoved.map { "−" + $0 }
            page += "<tr><td>\(x(change.system))</td><td>\(x(change.dimension))</td><td class=\"n\">\(x(before))</td><td class=\"n\">\(x(after))</td>"
            page += "<td class=\"n\">\(signed(change.inventoryDelta))</td><td class=\"n\">\(signed(change.rulesDelta))</td><td>\(x(findings.joined(separator: " ")))</td></tr>"
        }
        return page + "</tbody></table></body></html>\n"
    }

    static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }

    static func align(_ rows: [[String]], numeric: Set<Int>) -> String {
        ReportRenderer.align(rows, numeric: numeric)
    }
}
