import Domain
import Foundation
import Reporting
import Tracking

/// Renders histories and diffs; like the report renderers, they never query.
enum TrackingRenderer {

    // MARK: History

    static func table(_ history: History, _ w: Wording) -> String {
        let lockIn = w.say("lock-in (0–100)", "Lock-in (0–100)"), jurisdiction = w.say("jurisdiction (0–100)", "Rechtsraum (0–100)")
        let asOf = w.say("as of", "Stichtag"), systems = w.say("systems", "Systeme")
        var rows = [[asOf, w.say("scans", "Scan-Nr."), systems, lockIn, jurisdiction]]
        for point in history.series {
            rows.append([w.date(point.asOf), point.scans.map(String.init).joined(separator: w.say(",", ", ")), w.count(point.systems),
                         w.decimal(point.lockIn), w.decimal(point.jurisdiction)])
        }
        var text = w.say("Scores by as-of date (each organisation's latest snapshot on or before the date)",
                         "Punktwerte je Stichtag (je Organisation der letzte Datenstand am oder vor diesem Tag)") + "\n"
        text += align(rows, numeric: [2, 3, 4])
        for group in history.groups {
            text += "\n\(group.name)\n"
            var groupRows = [[asOf, systems, lockIn, jurisdiction]]
            for point in group.series {
                groupRows.append([w.date(point.asOf), w.count(point.systems), w.decimal(point.lockIn), w.decimal(point.jurisdiction)])
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
                              ReportRenderer.number(point.lockIn), ReportRenderer.number(point.jurisdiction)].map(ReportRenderer.csvCell).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The history's trend charts as figures for the HTML report.
    static func figures(_ history: History, _ w: Wording) -> [HTMLReport.Figure] {
        [(Domain.Dimension.lockIn, \History.Point.lockIn), (.jurisdiction, \History.Point.jurisdiction)].map { dimension, value in
            let title = w.dimension(dimension).capitalisedFirst
            return HTMLReport.Figure(title: title, svg: trendChart(history, title: title, value: value, w),
                                     caption: w.say("\(title) score (criticality-weighted mean, 0–100) of each group by as-of date.",
                                                    "\(title)-Wert (nach Kritikalität gewichtetes Mittel, 0–100) jeder Gruppe nach Stichtag."))
        }
    }

    /// A self-contained page with a trend line per group and dimension, and the figures as a table.
    static func html(_ history: History, _ w: Wording) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="\(w.language.rawValue)"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(w.say("sovscan history", "sovscan-Verlauf"))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}
            th:first-child,td:first-child{text-align:left}svg text{font-size:11px}
            @media print{body{margin:0}}</style></head><body>
            <h1>\(w.say("Dependence over time", "Abhängigkeit im Zeitverlauf"))</h1>
            <p>\(w.say("Each point is the state on that date: every organisation's latest snapshot with an as-of date on or before it.",
                        "Jeder Punkt zeigt den Stand an diesem Tag: je Organisation den letzten Datenstand mit Stichtag am oder vor diesem Tag."))</p>

            """
        for figure in figures(history, w) {
            page += "<h2>\(figure.title)</h2>" + figure.svg
        }
        page += "<h2>\(w.say("Figures", "Zahlen"))</h2><table><thead><tr><th>\(w.say("Group", "Gruppe"))</th><th>\(w.say("As of", "Stichtag"))</th>"
            + "<th>\(w.say("Systems", "Systeme"))</th><th>\(w.say("Lock-in (0–100)", "Lock-in (0–100)"))</th>"
            + "<th>\(w.say("Jurisdiction (0–100)", "Rechtsraum (0–100)"))</th></tr></thead><tbody>"
        let all = History.GroupSeries(id: "all", name: w.say("All", "Alle"), series: history.series)
        for group in [all] + history.groups {
            for point in group.series {
                page += "<tr><td>\(HTMLReport.xml(group.name))</td><td>\(w.date(point.asOf))</td><td>\(w.count(point.systems))</td>"
                    + "<td>\(w.decimal(point.lockIn))</td><td>\(w.decimal(point.jurisdiction))</td></tr>"
            }
        }
        return page + "</tbody></table></body></html>\n"
    }

    static let palette = ["#1a4f8b", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]

    /// Trend lines of the history's groups for one dimension, as inline SVG.
    static func trendChart(_ history: History, title: String, value: KeyPath<History.Point, Double>, _ w: Wording) -> String {
        let dates = history.series.map(\.asOf)
        let width = 760, height = 250, left = 50, top = 10, plotWidth = 460, plotHeight = 200
        func x(_ date: String) -> Int {
            guard dates.count > 1, let index = dates.firstIndex(of: date) else { return left + plotWidth / 2 }
            return left + index * plotWidth / (dates.count - 1)
        }
        func y(_ score: Double) -> Int { top + plotHeight - Int(score / 100 * Double(plotHeight)) }
        let summary = history.groups.map { group in
            "\(group.name): " + group.series.map { "\(w.date($0.asOf)) \(w.decimal($0[keyPath: value]))" }.joined(separator: ", ")
        }.joined(separator: "; ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" style=\"max-width:100%;height:auto\" font-size=\"11\" aria-label=\"\(HTMLReport.xml(w.say("\(title) by date. \(summary)", "\(title) nach Stichtag. \(summary)")))\">"
        svg += "<title>\(HTMLReport.xml(w.say("\(title) by as-of date", "\(title) nach Stichtag")))</title><desc>\(HTMLReport.xml(summary))</desc>"
        for score in [0, 25, 50, 75, 100] {
            svg += "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(y(Double(score)))\" y2=\"\(y(Double(score)))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(Double(score)) + 4)\" text-anchor=\"end\">\(score)</text>"
        }
        for date in dates { svg += "<text x=\"\(x(date))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(w.date(date))</text>" }
        for (index, group) in history.groups.enumerated() {
            let colour = palette[index % palette.count]
            let points = group.series.map { "\(x($0.asOf)),\(y($0[keyPath: value]))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(HTMLReport.xml(group.name))</title></polyline>"
            for point in group.series {
                svg += "<circle cx=\"\(x(point.asOf))\" cy=\"\(y(point[keyPath: value]))\" r=\"3\" fill=\"\(colour)\"><title>\(HTMLReport.xml("\(group.name), \(w.date(point.asOf)): \(w.decimal(point[keyPath: value]))"))</title></circle>"
            }
            svg += "<rect x=\"\(left + plotWidth + 14)\" y=\"\(top + index * 16)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + plotWidth + 28)\" y=\"\(top + index * 16 + 9)\"><title>\(HTMLReport.xml(group.name))</title>\(HTMLReport.label(group.name, limit: 34))</text>"
        }
        return svg + "</svg>"
    }

    // MARK: Diff

    static func table(_ diff: ScanDiff, _ w: Wording) -> String {
        var text = scans(diff, w) + ", " + rulesetLine(diff, w) + "\n"
        text += w.say("organisations with an inventory", "Organisationen mit Inventar") + ": \(states(diff, w))\n"
        for organisation in diff.notRescanned { text += "  \(notRescanned(organisation, w))\n" }
        text += w.say("systems", "Systeme") + ": " + systemCounts(diff.systems, w) + "\n"
        for id in diff.systems.added { text += "  + \(id)\n" }
        for id in diff.systems.removed { text += "  - \(id)\n" }
        for changed in diff.systems.changed { text += "  ~ \(changed.system): \(changed.fields.joined(separator: ", "))\n" }
        guard !diff.changes.isEmpty else { return text + "\n" + w.say("no score changed", "kein Punktwert hat sich geändert") + "\n" }
        text += "\n"
        var rows = [changeHeader(w)]
        for change in diff.changes {
            let findings = change.findingsAdded.map { "+" + $0 } + change.findingsRemoved.map { w.say("-", "−") + $0 }
            rows.append([change.system, dimension(change.dimension, w), change.before.map(String.init) ?? "–", change.after.map(String.init) ?? "–",
                         signed(change.inventoryDelta), signed(change.rulesDelta), findings.joined(separator: " ")])
        }
        return text + align(rows, numeric: [2, 3, 4, 5])
    }

    /// "scan 1 (as of 2026-03-31) → scan 2 (as of 2026-06-30)".
    static func scans(_ diff: ScanDiff, _ w: Wording) -> String {
        w.say("scan \(diff.from.scan) (as of \(w.date(diff.from.asOf))) → scan \(diff.to.scan) (as of \(w.date(diff.to.asOf)))",
              "Scan \(diff.from.scan) (Stichtag \(w.date(diff.from.asOf))) → Scan \(diff.to.scan) (Stichtag \(w.date(diff.to.asOf)))")
    }

    static func rulesetLine(_ diff: ScanDiff, _ w: Wording) -> String {
        diff.from.rulesetHash == diff.to.rulesetHash ? w.say("same rule set", "unverändertes Regelwerk") : w.say("rule set changed", "geändertes Regelwerk")
    }

    static func systemCounts(_ systems: ScanDiff.Systems, _ w: Wording) -> String {
        w.say("\(w.count(systems.added.count)) added, \(w.count(systems.removed.count)) removed, \(w.count(systems.changed.count)) changed",
              "\(w.count(systems.added.count)) hinzugekommen, \(w.count(systems.removed.count)) entfallen, \(w.count(systems.changed.count)) geändert")
    }

    static func changeHeader(_ w: Wording) -> [String] {
        [w.say("system", "System"), w.say("dimension", "Dimension"), w.say("before", "Vorher"), w.say("after", "Nachher"),
         w.say("inventory", "Davon durch Inventar"), w.say("rules", "Davon durch Regeln"), w.say("findings", "Befunde (+ neu, − entfallen)")]
    }

    /// A stored dimension name (`lock_in`, `jurisdiction`) in the language.
    static func dimension(_ stored: String, _ w: Wording) -> String {
        Domain.Dimension(rawValue: stored).map { w.dimension($0) } ?? stored
    }

    /// How many organisations each side's state has, and how many of the later state's the later scan did not read.
    static func states(_ diff: ScanDiff, _ w: Wording) -> String {
        w.say("\(w.count(diff.from.organisations.count)) as of scan \(diff.from.scan), \(w.count(diff.to.organisations.count)) as of scan \(diff.to.scan)",
              "\(w.count(diff.from.organisations.count)) in Scan \(diff.from.scan), \(w.count(diff.to.organisations.count)) in Scan \(diff.to.scan)")
            + (diff.notRescanned.isEmpty ? "" : w.say(" (\(diff.notRescanned.count) not re-scanned)", " (\(diff.notRescanned.count) nicht erneut gescannt)"))
    }

    static func notRescanned(_ organisation: ScanDiff.Coverage, _ w: Wording) -> String {
        w.say("\(organisation.organisation): not re-scanned since \(w.date(organisation.asOf)) (scan \(organisation.scan))",
              "\(organisation.organisation): seit \(w.date(organisation.asOf)) nicht erneut gescannt (Scan \(organisation.scan))")
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
    static func html(_ diff: ScanDiff, _ w: Wording) -> String {
        let x = HTMLReport.xml
        var page = """
            <!DOCTYPE html>
            <html lang="\(w.language.rawValue)"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(w.say("sovscan diff", "sovscan-Vergleich")): \(x(scans(diff, w)))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}
            td.n{text-align:right}@media print{body{margin:0}}</style></head><body>

            """
        page += "<h1>\(w.say("What changed", "Was sich geändert hat")): \(x(scans(diff, w)))</h1>"
        page += "<p>" + (diff.from.rulesetHash == diff.to.rulesetHash ? w.say("Same rule set.", "Unverändertes Regelwerk.")
            : w.say("The rule set changed: each score change is split into the inventory's share and the rules' share.",
                    "Das Regelwerk hat sich geändert: jede Änderung eines Punktwerts ist in den Anteil des Inventars und den Anteil der Regeln aufgeteilt.")) + "</p>"
        page += "<h2>\(w.say("Organisations", "Organisationen"))</h2><p>"
        page += w.say("Each side is the state of its scan: every organisation's latest snapshot on or before it. Organisations with an inventory: ",
                      "Beide Vergleichsstände umfassen je Organisation den letzten Datenstand am oder vor dem Stichtag des jeweiligen Scans. Organisationen mit Inventar: ")
        page += "\(x(states(diff, w))).</p>"
        if !diff.notRescanned.isEmpty {
            page += "<ul>" + diff.notRescanned.map { "<li>\(x(notRescanned($0, w)))</li>" }.joined() + "</ul>"
        }
        let systems = diff.systems
        page += "<h2>\(w.say("Systems", "Systeme"))</h2><p>\(x(systemCounts(systems, w))).</p><ul>"
        for id in systems.added { page += "<li>\(w.say("added", "hinzugekommen")): \(x(id))</li>" }
        for id in systems.removed { page += "<li>\(w.say("removed", "entfallen")): \(x(id))</li>" }
        for changed in systems.changed { page += "<li>\(w.say("changed", "geändert")): \(x(changed.system)) (\(x(changed.fields.joined(separator: ", "))))</li>" }
        page += "</ul><h2>\(w.say("Score changes", "Änderungen der Punktwerte"))</h2>"
        guard !diff.changes.isEmpty else { return page + "<p>\(w.say("No score changed.", "Kein Punktwert hat sich geändert."))</p></body></html>\n" }
        page += "<table><thead><tr>" + changeHeader(w).map { "<th>\(x($0.capitalisedFirst))</th>" }.joined() + "</tr></thead><tbody>"
        for change in diff.changes {
            let before = change.before.map { "\($0) \(change.beforeBand.map(w.band) ?? "")" } ?? "–"
            let after = change.after.map { "\($0) \(change.afterBand.map(w.band) ?? "")" } ?? "–"
            let findings = change.findingsAdded.map { "+" + $0 } + change.findingsRemoved.map { "−" + $0 }
            page += "<tr><td>\(x(change.system))</td><td>\(x(dimension(change.dimension, w)))</td><td class=\"n\">\(x(before))</td><td class=\"n\">\(x(after))</td>"
            page += "<td class=\"n\">\(signed(change.inventoryDelta))</td><td class=\"n\">\(signed(change.rulesDelta))</td><td>\(x(findings.joined(separator: " ")))</td></tr>"
        }
        return page + "</tbody></table></body></html>\n"
    }

    static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }

    static func align(_ rows: [[String]], numeric: Set<Int>) -> String {
        ReportRenderer.align(rows, numeric: numeric)
    }
}
