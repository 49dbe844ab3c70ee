import Domain
import Foundation
import Reporting
import Mustache

/// The self-contained HTML report: a summary per group, a vendor dependency
/// chart, a jurisdiction exposure chart, a group-by-vendor heat map and the
/// exit windows. Charts are inline SVG with titles and text alternatives; no
/// script, font or image is loaded from anywhere. The template is mustache
/// and can be replaced (`report.mustache` in `--template-dir`); every
/// inventory string goes through mustache's HTML escaping or `xml(_:)`.
enum HTMLReport {
    /// A titled piece of inline SVG added to the report, such as the history section.
    struct Figure: Sendable {
        var title: String
        var svg: String
        var caption: String

        init(title: String, svg: String, caption: String) {
            self.title = title
            self.svg = svg
            self.caption = caption
        }
    }

    static func render(_ report: Report, templateDirectory: String? = nil, history: [Figure] = []) throws -> String {
        let source: String
        if let templateDirectory {
            let path = templateDirectory + "/report.mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ReportError(description: "no template at \(path); a template directory holds report.mustache")
            }
            source = text
        } else {
            source = defaultTemplate
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source)
        } catch {
            throw ReportError(description: "the template does not parse: \(error)")
        }
        var model = viewModel(report)
        model["history"] = history.map { ["title": $0.title, "svg": $0.svg, "caption": $0.caption] }
        model["hasHistory"] = !history.isEmpty
        return template.render(model)
    }

    /// Text for SVG markup, escaped.
    static func xml(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A label short enough for a chart; the full text stays in the element's title.
    static func label(_ text: String, limit: Int = 40) -> String {
        text.count <= limit ? xml(text) : xml(String(text.prefix(limit - 1))) + "…"
    }

    static let bandColours: [Band: String] = [.low: "#2e7d32", .medium: "#f9a825", .high: "#ef6c00", .critical: "#c62828"]

    /// A table as the template iterates it: header cells and rows of cells, each knowing whether it is a figure.
    static func tableModel(_ table: HumanTable) -> [String: Any] {
        [
            "header": table.header.enumerated().map { ["text": $1, "numeric": table.numeric.contains($0)] },
            "rows": table.rows.enumerated().map { rowIndex, row in
                ["cells": row.enumerated().map { column, cell -> [String: Any] in
                    let band = table.bands.indices.contains(rowIndex) ? table.bands[rowIndex][column] : nil
                    return ["text": cell, "numeric": table.numeric.contains(column), "band": band?.rawValue ?? "", "hasBand": band != nil]
                }]
            },
        ]
    }

    static func glossaryModel(_ level: ReportLevel, unansweredRecorded: Bool) -> [[String: String]] {
        Glossary.entries(for: level, unansweredRecorded: unansweredRecorded).map { ["term": $0.term, "definition": $0.definition] }
    }

    static func viewModel(_ report: Report) -> [String: Any] {
        let windows = report.exitWindows
        let groups = report.groups ?? []
        return [
            "scan": report.scan.id,
            "asOf": report.scan.asOfRange,
            "heading": ReportRenderer.heading(report),
            "totals": ReportRenderer.totalsLine(report.totals),
            "summary": tableModel(ReportTables.table(report)),
            "answerFirst": tableModel(ReportTables.answerFirstTable(groups, level: report.level)),
            "hasAnswerFirst": groups.contains { !$0.answerFirst.isEmpty },
            "answerFirstIntro": ReportTables.answerFirstIntro,
            "glossary": glossaryModel(report.level, unansweredRecorded: report.totals.unansweredRecorded),
            "hasGroups": !groups.isEmpty,
            "withinMonths": report.withinMonths,
            "jurisdictionChart": jurisdictionChart(groups),
            "heatMap": heatMap(groups),
            "groups": groups.map { group -> [String: Any] in
                [
                    "name": group.name,
                    "id": group.id,
                    "standalone": group.standalone,
                    "organisations": group.organisations,
                    "systems": group.systems,
                    "users": group.users,
                    "lockIn": ReportRenderer.number(group.lockIn.score),
                    "lockInBand": group.lockIn.band.rawValue,
                    "jurisdiction": ReportRenderer.number(group.jurisdiction.score),
                    "jurisdictionBand": group.jurisdiction.band.rawValue,
                    "hhi": String(format: "%.0f", group.hhi),
                    "vendorChart": vendorChart(group),
                    "findings": group.heaviestFindings.map { ["title": $0.title, "rule": $0.rule, "systems": $0.systems, "points": $0.points] },
                    "hasFindings": !group.heaviestFindings.isEmpty,
                ]
            },
            "exitWindows": windows.map {
                ["status": $0.status.rawValue, "actBy": $0.actBy, "system": "\($0.organisation)/\($0.system)", "name": $0.name,
                 "vendor": $0.vendor, "ends": $0.contractEnds, "urgency": $0.urgency, "lockIn": $0.lockIn, "criticality": $0.criticality]
            },
            "hasExitWindows": !windows.isEmpty,
            "exitWindowCounts": ReportRenderer.exitWindowCounts(report),
            "exitWindowOrder": ReportRenderer.exitWindowOrder,
            "exitWindowsShown": ReportRenderer.shownOf(report),
        ]
    }

    /// Horizontal bars: the group's top vendors by criticality-weighted share.
    static func vendorChart(_ group: Report.Group) -> String {
        let vendors = Array(group.vendors.prefix(8))
        let rowHeight = 22, labelWidth = 230, barWidth = 360
        let height = max(1, vendors.count) * rowHeight + 10
        let summary = vendors.map { "\($0.name) \(ReportRenderer.percent($0.share))" }.joined(separator: ", ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(labelWidth + barWidth + 70) \(height)\" width=\"100%\" aria-label=\"\(xml("Vendor shares of \(group.name): \(summary)"))\">"
        svg += "<title>\(xml("Vendor dependency of \(group.name)"))</title><desc>\(xml(summary))</desc>"
        for (index, vendor) in vendors.enumerated() {
            let y = 5 + index * rowHeight
            let width = Int((vendor.share * Double(barWidth)).rounded())
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"label\"><title>\(xml(vendor.name))</title>\(label(vendor.name, limit: 32))\(vendor.country.map { " (\(xml($0)))" } ?? "")</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(width)\" height=\"\(rowHeight - 6)\" fill=\"\(bandColours[Band(mean: vendor.jurisdiction)]!)\"><title>\(xml("\(vendor.name): \(vendor.systems) systems, \(ReportRenderer.percent(vendor.share)), jurisdiction \(ReportRenderer.number(vendor.jurisdiction))"))</title></rect>"
            svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 15)\" class=\"value\">\(ReportRenderer.percent(vendor.share))</text>"
        }
        return svg + "</svg>"
    }

    /// Stacked bars: each group's systems by jurisdiction band.
    static func jurisdictionChart(_ groups: [Report.Group]) -> String {
        let rowHeight = 24, labelWidth = 290, barWidth = 380
        let height = max(1, groups.count) * rowHeight + 34
        let summary = groups.map { g in
            "\(g.name): \(g.jurisdiction.bands.low) low, \(g.jurisdiction.bands.medium) medium, \(g.jurisdiction.bands.high) high, \(g.jurisdiction.bands.critical) critical"
        }.joined(separator: "; ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(labelWidth + barWidth + 20) \(height)\" width=\"100%\" aria-label=\"\(xml("Jurisdiction exposure by group. \(summary)"))\">"
        svg += "<title>Jurisdiction exposure: systems per band</title><desc>\(xml(summary))</desc>"
        for (index, group) in groups.enumerated() {
            let y = 5 + index * rowHeight
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\" class=\"label\"><title>\(xml(group.name))</title>\(label(group.name))</text>"
            var x = labelWidth
            let bands = group.jurisdiction.bands
            for band in Band.allCases where bands[band] > 0 {
                let count = bands[band]
                let width = max(1, Int((Double(count) / Double(max(1, group.systems)) * Double(barWidth)).rounded()))
                svg += "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(width)\" height=\"\(rowHeight - 6)\" fill=\"\(bandColours[band]!)\"><title>\(xml("\(group.name): \(count) systems \(band)"))</title></rect>"
                x += width
            }
        }
        let legendY = height - 12
        var x = labelWidth
        for band in Band.allCases {
            svg += "<rect x=\"\(x)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"\(bandColours[band]!)\"/><text x=\"\(x + 14)\" y=\"\(legendY)\" class=\"value\">\(band)</text>"
            x += 90
        }
        return svg + "</svg>"
    }

    /// Groups against the vendors with the most systems overall; darker is a larger share.
    static func heatMap(_ groups: [Report.Group]) -> String {
        var totals: [String: (name: String, systems: Int)] = [:]
        for group in groups {
            for vendor in group.vendors { totals[vendor.id, default: (vendor.name, 0)].systems += vendor.systems }
        }
        let columns = totals.sorted { ($1.value.systems, $0.key) < ($0.value.systems, $1.key) }.prefix(10).map { ($0.key, $0.value.name) }
        let cell = 44, labelWidth = 290, headerHeight = 150
        let width = labelWidth + columns.count * cell + 120
        let height = headerHeight + groups.count * 26 + 10
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-label=\"Heat map of vendor shares per group; the table below gives the same figures\">"
        svg += "<title>Vendor shares per group</title>"
        for (index, column) in columns.enumerated() {
            let x = labelWidth + index * cell + cell / 2
            svg += "<text transform=\"translate(\(x),\(headerHeight - 6)) rotate(-55)\" class=\"label\"><title>\(xml(column.1))</title>\(label(column.1, limit: 24))</text>"
        }
        for (row, group) in groups.enumerated() {
            let y = headerHeight + row * 26
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 17)\" text-anchor=\"end\" class=\"label\"><title>\(xml(group.name))</title>\(label(group.name))</text>"
            for (index, column) in columns.enumerated() {
                let share = group.vendors.first { $0.id == column.0 }?.share ?? 0
                let opacity = String(format: "%.2f", share == 0 ? 0.04 : 0.15 + 0.85 * share)
                svg += "<rect x=\"\(labelWidth + index * cell + 2)\" y=\"\(y + 2)\" width=\"\(cell - 4)\" height=\"22\" fill=\"#1a4f8b\" fill-opacity=\"\(opacity)\"><title>\(xml("\(group.name) – \(column.1): \(ReportRenderer.percent(share))"))</title></rect>"
            }
        }
        return svg + "</svg>"
    }

    static let defaultTemplate = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>sovscan report – scan {{scan}}, as of {{asOf}}</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
        th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        .band { display: inline-block; padding: 0 .45rem; border-radius: .6rem; color: #fff; font-size: .85rem; white-space: nowrap; }
        td.date { white-space: nowrap; }
        .status.missed, .status.expired { font-weight: 600; color: #c62828; }
        .low { background: #2e7d32; } .medium { background: #f9a825; color: #1b1b1b; } .high { background: #ef6c00; } .critical { background: #c62828; }
        svg .label { font-size: 12px; fill: #1b1b1b; } svg .value { font-size: 11px; fill: #444; }
        .meta { color: #555; } .group { break-inside: avoid; page-break-inside: avoid; }
        @media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { break-after: avoid; } .group, table, svg { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
        </style>
        </head>
        <body>
        <header>
        <h1>Dependence on IT vendors</h1>
        <p class="meta">{{heading}}. {{totals}}. Scores run from 0 (no risk found) to 100; bands: low &lt; 25 ≤ medium &lt; 50 ≤ high &lt; 75 ≤ critical.</p>
        </header>
        <main>
        <h2>Summary</h2>
        {{#summary}}<table>
        <thead><tr>{{#header}}<th{{#numeric}} class="n"{{/numeric}}>{{text}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="n"{{/numeric}}>{{#hasBand}}<span class="band {{band}}">{{text}}</span>{{/hasBand}}{{^hasBand}}{{text}}{{/hasBand}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>{{/summary}}
        {{#hasAnswerFirst}}<h2>Answer these first</h2>
        <p>{{answerFirstIntro}}.</p>
        {{#answerFirst}}<table>
        <thead><tr>{{#header}}<th{{#numeric}} class="n"{{/numeric}}>{{text}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="n"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>{{/answerFirst}}{{/hasAnswerFirst}}
        {{#hasGroups}}<h2>Jurisdiction exposure</h2>
        <figure>{{{jurisdictionChart}}}<figcaption>Systems of each group by jurisdiction band.</figcaption></figure>
        <h2>Vendors across groups</h2>
        <figure>{{{heatMap}}}<figcaption>Criticality-weighted share of each group's systems held by the vendors with the most systems overall (grouped by ultimate parent).</figcaption></figure>{{/hasGroups}}
        {{#hasHistory}}<h2>History</h2>
        <p>Each point is the state on that date: every organisation's latest snapshot with an as-of date on or before it.</p>
        {{#history}}<h3>{{title}}</h3><figure>{{{svg}}}<figcaption>{{caption}}</figcaption></figure>
        {{/history}}{{/hasHistory}}
        <h2>Exit windows</h2>
        <p>Contracts by notice deadline (end less notice period) as of {{asOf}}: {{exitWindowCounts}}{{exitWindowsShown}}. {{exitWindowOrder}}</p>
        {{#hasExitWindows}}<table>
        <thead><tr><th>Status</th><th>Act by</th><th>System</th><th>Vendor</th><th>Contract ends</th><th class="n">Urgency</th><th class="n">Lock-in</th><th>Criticality</th></tr></thead>
        <tbody>
        {{#exitWindows}}<tr><td><span class="status {{status}}">{{status}}</span></td><td class="date">{{actBy}}</td><td>{{name}} <span class="meta">({{system}})</span></td><td>{{vendor}}</td><td class="date">{{ends}}</td><td class="n">{{urgency}}</td><td class="n">{{lockIn}}</td><td>{{criticality}}</td></tr>
        {{/exitWindows}}
        </tbody>
        </table>{{/hasExitWindows}}
        {{^hasExitWindows}}<p>None.</p>{{/hasExitWindows}}
        {{#hasGroups}}<h2>Groups</h2>{{/hasGroups}}
        {{#groups}}<section class="group">
        <h3>{{name}}</h3>
        <p class="meta">{{systems}} systems in {{organisations}} organisations; vendor concentration (HHI) {{hhi}}.</p>
        <figure>{{{vendorChart}}}<figcaption>Vendor dependency: share of the group's systems, weighted by criticality; bar colour is the vendor's jurisdiction band.</figcaption></figure>
        {{#hasFindings}}<table><thead><tr><th>Heaviest findings</th><th class="n">Systems</th><th class="n">Points</th></tr></thead><tbody>
        {{#findings}}<tr><td>{{title}} <span class="meta">({{rule}})</span></td><td class="n">{{systems}}</td><td class="n">{{points}}</td></tr>
        {{/findings}}</tbody></table>{{/hasFindings}}
        </section>
        {{/groups}}
        <h2>Glossary</h2>
        <dl>{{#glossary}}<dt>{{term}}</dt><dd>{{definition}}</dd>{{/glossary}}</dl>
        </main>
        <footer><p class="meta">Made by sovscan from a local database; this file loads nothing from anywhere.</p></footer>
        </body>
        </html>

        """
}
