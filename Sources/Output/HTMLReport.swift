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

    static func render(_ report: Report, _ w: Wording, templateDirectory: String? = nil, history: [Figure] = [], riskiest: [SystemRow] = []) throws -> String {
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
        var model = viewModel(report, w)
        model["history"] = history.map { ["title": $0.title, "svg": $0.svg, "caption": $0.caption] }
        model["hasHistory"] = !history.isEmpty
        model["riskiest"] = riskiest.map { row -> [String: Any] in
            ["system": "\(row.organisation)/\(row.system)", "name": row.name, "group": row.ministryName, "vendor": row.vendorName,
             "country": row.vendorCountry ?? "unknown", "countryShown": row.vendorCountry ?? w.unknown, "criticality": row.criticality,
             "criticalityShown": w.criticality(row.criticality), "risk": row.risk, "riskShown": w.count(row.risk),
             "lockIn": row.lockIn.score, "lockInBand": row.lockIn.band.rawValue, "lockInBandName": w.band(row.lockIn.band),
             "jurisdiction": row.jurisdiction.score, "jurisdictionBand": row.jurisdiction.band.rawValue,
             "jurisdictionBandName": w.band(row.jurisdiction.band),
             "finding": row.heaviestFinding.map { ReportTables.finding($0.title, points: $0.points, w) } ?? ""]
        }
        model["hasRiskiest"] = !riskiest.isEmpty
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

    /// Text inside a CSS string of the page's stylesheet: quotes and
    /// backslashes escaped, `<` written as a CSS escape so that no text ends
    /// the style element, line breaks and other control characters left out.
    static func cssString(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "<": result += "\\3C "
            default:
                if scalar.value >= 0x20 && scalar.value != 0x7F { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A label short enough for a chart; the full text stays in the element's title.
    static func label(_ text: String, limit: Int = 40) -> String {
        text.count <= limit ? xml(text) : xml(String(text.prefix(limit - 1))) + "…"
    }

    /// The widest a character of a chart's 12 px label is taken to be: wide
    /// enough for capitals and for the fonts a browser may choose.
    static let characterWidth = 7.4

    /// A label of at most two lines that fit `width` pixels, broken at spaces;
    /// what does not fit ends in "…" (the full text is in the element's title
    /// and in the table of the same figures).
    static func lines(_ text: String, width: Int) -> [String] {
        let fits = max(4, Int(Double(width) / characterWidth))
        guard text.count > fits else { return [text] }
        var first = "", rest = Substring(text)
        for word in text.split(separator: " ") {
            let candidate = first.isEmpty ? String(word) : first + " " + word
            guard candidate.count <= fits else { break }
            first = candidate
            rest = rest.dropFirst(min(rest.count, word.count + (rest.first == " " ? 1 : 0)))
            while rest.first == " " { rest = rest.dropFirst() }
        }
        if first.isEmpty {
            first = String(text.prefix(fits))
            rest = text.dropFirst(fits)
        }
        let second = rest.count <= fits ? String(rest) : String(rest.prefix(fits - 1)) + "…"
        return second.isEmpty ? [first] : [first, second]
    }

    /// A chart label as SVG text: right-aligned at `x`, centred on `y`, in
    /// one or two lines, its full text as its title.
    static func textLabel(_ text: String, suffix: String = "", x: Int, y: Int, width: Int) -> String {
        let parts = lines(text + suffix, width: width)
        let top = parts.count == 1 ? y + 4 : y - 3
        var svg = "<text x=\"\(x)\" y=\"\(top)\" text-anchor=\"end\" class=\"label\"><title>\(xml(text))</title>"
        for (index, part) in parts.enumerated() {
            svg += index == 0 ? xml(part) : "<tspan x=\"\(x)\" dy=\"13\">\(xml(part))</tspan>"
        }
        return svg + "</text>"
    }

    /// The hatching of a vendor whose country of control nothing says: no band's colour.
    static let unknownPattern = """
        <defs><pattern id="unknown" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="6" height="6" fill="#e0e0e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#757575" stroke-width="2"/></pattern></defs>
        """

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

    static func viewModel(_ report: Report, _ w: Wording) -> [String: Any] {
        let windows = report.exitWindows
        let groups = report.groups ?? []
        let scope = w.say("Dependence on IT vendors – by \(w.level(report.level))", "Abhängigkeit von IT-Anbietern – nach \(w.level(report.level))")
            + (report.under.map { w.say(" under \($0)", " unterhalb von \($0)") } ?? "")
        return [
            "lang": w.language.rawValue,
            "t": labels(w),
            "scan": report.scan.id,
            "asOf": w.asOf(report.scan),
            "heading": ReportRenderer.heading(report, w),
            // The running header of a printed page, as CSS strings.
            "printScope": cssString(scope),
            "printScan": cssString(w.say("scan \(report.scan.id), as of \(w.asOf(report.scan))", "Scan \(report.scan.id), Stichtag \(w.asOf(report.scan))")),
            "totals": ReportRenderer.totalsLine(report.totals, w),
            "summary": tableModel(ReportTables.table(report, w)),
            "hasStandalone": report.groups?.contains(where: \.standalone) == true,
            "standaloneNote": ReportRenderer.standalone(report.level, w),
            "answerFirst": tableModel(ReportTables.answerFirstTable(groups, level: report.level, w)),
            "hasAnswerFirst": groups.contains { !$0.answerFirst.isEmpty },
            "answerFirstIntro": ReportTables.answerFirstIntro(w),
            "glossary": Glossary.entries(for: report.level, unansweredRecorded: report.totals.unansweredRecorded, in: w.language)
                .map { ["term": $0.term, "definition": $0.definition] },
            "hasGroups": !groups.isEmpty,
            "withinMonths": report.withinMonths,
            "jurisdictionChart": bandChart(groups, dimension: .jurisdiction, w),
            "lockInChart": bandChart(groups, dimension: .lockIn, w),
            "heatMap": heatMap(groups, w),
            "heatMapTable": heatMapTable(groups, w),
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
                    "meta": w.say("\(w.counted(group.systems, .system)) in \(w.counted(group.organisations, .organisation)); vendor concentration (HHI, 0–10,000) \(w.count(Int(group.hhi.rounded())))",
                                  "\(w.counted(group.systems, .system)) in \(w.countedDative(group.organisations, .organisation)); Anbieterkonzentration (HHI, 0–10.000) \(w.count(Int(group.hhi.rounded())))"),
                    "vendorChart": vendorChart(group, w),
                    "findings": group.heaviestFindings.map {
                        ["title": $0.title.in(w.language), "rule": $0.rule, "systems": $0.systems, "systemsShown": w.count($0.systems), "points": $0.points,
                         "pointsShown": w.count($0.points)]
                    },
                    "hasFindings": !group.heaviestFindings.isEmpty,
                ]
            },
            "exitWindows": windows.map {
                ["status": $0.status.rawValue, "statusName": w.status($0.status), "actBy": $0.actBy, "actByShown": w.date($0.actBy),
                 "system": "\($0.organisation)/\($0.system)", "name": $0.name, "vendor": $0.vendor, "ends": $0.contractEnds, "endsShown": w.date($0.contractEnds),
                 "urgency": $0.urgency, "urgencyShown": w.count($0.urgency), "lockIn": $0.lockIn, "lockInShown": w.count($0.lockIn),
                 "criticality": $0.criticality, "criticalityShown": w.criticality($0.criticality)]
            },
            "hasExitWindows": !windows.isEmpty,
            "exitWindowCounts": ReportRenderer.exitWindowCounts(report, w),
            "exitWindowOrder": ReportRenderer.exitWindowOrder(w),
            "exitWindowsShown": ReportRenderer.shownOf(report, w),
        ]
    }

    /// The template's own words, as `{{t.name}}`.
    static func labels(_ w: Wording) -> [String: String] {
        let exitHeader = ReportRenderer.exitWindowHeader(w)
        return [
            "title": w.say("sovscan report", "sovscan-Bericht"),
            "scanAsOf": w.say("scan", "Scan"),
            "heading": w.say("Dependence on IT vendors", "Abhängigkeit von IT-Anbietern"),
            "scale": w.say("Scores run from 0 (no risk found) to 100; bands: low < 25 ≤ medium < 50 ≤ high < 75 ≤ critical.",
                           "Die Werte reichen von 0 (kein Risiko festgestellt) bis 100; Stufen: niedrig < 25 ≤ mittel < 50 ≤ hoch < 75 ≤ kritisch."),
            "summary": w.say("Summary", "Übersicht"),
            "answerFirst": w.say("Answer these first", "Zuerst zu beantworten"),
            "riskiest": w.say("The riskiest systems", "Die Systeme mit dem höchsten Risiko"),
            "riskiestIntro": w.say("The systems of the scope with the highest risk: the higher of the two scores times the criticality weight (0 to 400), as sovscan report --level system lists every system.",
                                   "Die Systeme des Betrachtungsbereichs mit dem höchsten Risiko: der höhere der beiden Werte mal das Kritikalitätsgewicht (0 bis 400); sovscan report --level system listet alle Systeme."),
            "system": w.say("System", "System"),
            "ministry": w.say("Ministry", "Ministerium"),
            "vendor": w.say("Vendor", "Anbieter"),
            "criticality": w.say("Criticality", "Kritikalität"),
            "risk": w.say("Risk (0–400)", "Risiko (0–400)"),
            "lockIn": w.say("Lock-in (0–100)", "Lock-in (0–100)"),
            "jurisdiction": w.say("Jurisdiction (0–100)", "Rechtsraum (0–100)"),
            "heaviestFinding": w.say("Heaviest finding", "Schwerwiegendster Befund"),
            "jurisdictionExposure": w.say("Jurisdiction exposure", "Rechtsraum-Stufen je Gruppe"),
            "jurisdictionCaption": w.say("Number of systems of each group by jurisdiction band.", "Anzahl der Systeme jeder Gruppe nach Rechtsraum-Stufe."),
            "lockInHeading": w.say("Lock-in", "Lock-in-Stufen je Gruppe"),
            "lockInCaption": w.say("Number of systems of each group by lock-in band.", "Anzahl der Systeme jeder Gruppe nach Lock-in-Stufe."),
            "vendorsAcross": w.say("Vendors across groups", "Anbieteranteile im Gruppenvergleich"),
            "heatMapCaption": w.say("Criticality-weighted share of each group's systems, in per cent, held by the vendors with the most systems overall (grouped by ultimate parent).",
                                    "Nach Kritikalität gewichteter Anteil der Systeme jeder Gruppe in Prozent, den die Anbieter mit den meisten Systemen insgesamt halten (zusammengefasst nach Konzernmutter)."),
            "history": w.say("History", "Verlauf"),
            "historyIntro": w.say("Each point is the state on that date: every organisation's latest snapshot with an as-of date on or before it.",
                                  "Jeder Punkt zeigt den Stand an diesem Tag: je Organisation den letzten Datenstand mit Stichtag am oder vor diesem Tag."),
            "exitWindows": w.say("Exit windows", "Ausstiegsfenster"),
            "exitWindowsIntro": w.say("Contracts by notice deadline (end less notice period) as of", "Verträge nach ihrem letzten Kündigungstag (Vertragsende abzüglich Kündigungsfrist), zum Stichtag"),
            "status": exitHeader[0].capitalisedFirst, "actBy": exitHeader[1].capitalisedFirst, "contractEnds": exitHeader[4].capitalisedFirst,
            "urgency": exitHeader[5].capitalisedFirst,
            "none": w.say("None.", "Keine."),
            "groups": w.say("Groups", "Gruppen"),
            "vendorCaption": w.say("Vendor dependency: share of the group's systems in per cent, weighted by criticality, for its eight largest vendors and any other under high or critical jurisdiction; bar colour is the vendor's jurisdiction band, hatched where its country of control is unknown.",
                                   "Anbieterabhängigkeit: Anteil an den Systemen der Gruppe in Prozent, gewichtet nach Kritikalität, für die acht größten Anbieter und jeden weiteren mit hoher oder kritischer Rechtsraum-Stufe; die Balkenfarbe zeigt die Rechtsraum-Stufe des Anbieters; schraffiert, wenn das Sitzland der Konzernmutter unbekannt ist."),
            "findings": w.say("Heaviest findings", "Schwerwiegendste Befunde"),
            "findingSystems": w.say("Systems", "Systeme"),
            "findingPoints": w.say("Points (sum over its systems)", "Punkte (Summe über die Systeme)"),
            "glossary": w.say("Glossary", "Glossar"),
            "footer": w.say("Made by sovscan from a local database; this file loads nothing from anywhere.",
                            "Erstellt von sovscan aus einer lokalen Datenbank; diese Datei lädt nichts von außerhalb."),
            "page": w.say("page", "Seite"),
            "of": w.say("of", "von"),
        ]
    }

    /// The vendors a group's chart shows: the eight with the largest shares,
    /// and any other whose jurisdiction score is high or critical (a
    /// vendor under foreign law is never left out for being small).
    static func chartedVendors(_ group: Report.Group) -> [Report.VendorShare] {
        Array(group.vendors.prefix(8)) + group.vendors.dropFirst(8).filter { Band(mean: $0.jurisdiction) >= .high }
    }

    /// Horizontal bars: the group's vendors by criticality-weighted share,
    /// coloured by the vendor's jurisdiction band (hatched where unknown).
    static func vendorChart(_ group: Report.Group, _ w: Wording) -> String {
        let vendors = chartedVendors(group)
        let rowHeight = 30, labelWidth = 300, barWidth = 330
        let height = max(1, vendors.count) * rowHeight + 10
        let summary = vendors.map { "\($0.name) \(w.percent($0.share))" }.joined(separator: ", ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(labelWidth + barWidth + 70) \(height)\" width=\"100%\" aria-label=\"\(xml(w.say("Vendor shares of \(group.name): \(summary)", "Anbieteranteile – \(group.name): \(summary)")))\">"
        svg += "<title>\(xml(w.say("Vendor dependency of \(group.name)", "Anbieterabhängigkeit – \(group.name)")))</title><desc>\(xml(summary))</desc>" + unknownPattern
        for (index, vendor) in vendors.enumerated() {
            let y = 5 + index * rowHeight
            let width = Int((vendor.share * Double(barWidth)).rounded())
            svg += textLabel(vendor.name, suffix: vendor.country.map { " (\($0))" } ?? "", x: labelWidth - 6, y: y + rowHeight / 2 - 2, width: labelWidth - 12)
            let fill = vendor.country == nil ? "url(#unknown)" : bandColours[Band(mean: vendor.jurisdiction)]!
            let jurisdiction = vendor.country == nil ? w.unknown : w.decimal(vendor.jurisdiction)
            let title = "\(vendor.name): \(w.counted(vendor.systems, .system)), \(w.percent(vendor.share)), \(w.dimension(.jurisdiction)) \(jurisdiction)"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(width)\" height=\"\(rowHeight - 12)\" fill=\"\(fill)\"><title>\(xml(title))</title></rect>"
            svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + rowHeight / 2 + 2)\" class=\"value\">\(xml(w.percent(vendor.share)))</text>"
        }
        return svg + "</svg>"
    }

    /// Stacked bars: each group's systems by band of one dimension, each
    /// segment with its count where it has room.
    static func bandChart(_ groups: [Report.Group], dimension: Domain.Dimension, _ w: Wording) -> String {
        let rowHeight = 30, labelWidth = 300, barWidth = 380
        let height = max(1, groups.count) * rowHeight + 34
        let name = w.dimension(dimension).capitalisedFirst
        func bands(_ group: Report.Group) -> Report.BandCounts { dimension == .lockIn ? group.lockIn.bands : group.jurisdiction.bands }
        let summary = groups.map { group -> String in
            let counts = bands(group)
            return "\(group.name): " + Band.allCases.map { "\(w.count(counts[$0])) \(w.band($0))" }.joined(separator: ", ")
        }.joined(separator: "; ")
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(labelWidth + barWidth + 20) \(height)\" width=\"100%\" aria-label=\"\(xml(w.say("\(name) by group, systems per band. \(summary)", "\(name) nach Gruppe, Systeme je Stufe. \(summary)")))\">"
        svg += "<title>\(xml(w.say("\(name): systems per band", "\(name): Systeme je Stufe")))</title><desc>\(xml(summary))</desc>"
        for (index, group) in groups.enumerated() {
            let y = 5 + index * rowHeight
            svg += textLabel(group.name, x: labelWidth - 6, y: y + rowHeight / 2 - 2, width: labelWidth - 12)
            var x = labelWidth
            let counts = bands(group)
            for band in Band.allCases where counts[band] > 0 {
                let count = counts[band]
                let width = max(1, Int((Double(count) / Double(max(1, group.systems)) * Double(barWidth)).rounded()))
                svg += "<rect x=\"\(x)\" y=\"\(y + 5)\" width=\"\(width)\" height=\"\(rowHeight - 12)\" fill=\"\(bandColours[band]!)\"><title>\(xml("\(group.name): \(w.counted(count, .system)) \(w.band(band))"))</title></rect>"
                if Double(String(count).count) * characterWidth + 4 <= Double(width) {
                    svg += "<text x=\"\(x + width / 2)\" y=\"\(y + rowHeight / 2 + 2)\" text-anchor=\"middle\" class=\"count \(band)\">\(count)</text>"
                }
                x += width
            }
        }
        let legendY = height - 12
        var x = labelWidth
        for band in Band.allCases {
            svg += "<rect x=\"\(x)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"\(bandColours[band]!)\"/><text x=\"\(x + 14)\" y=\"\(legendY)\" class=\"value\">\(w.band(band))</text>"
            x += 90
        }
        return svg + "</svg>"
    }

    /// The vendors of the heat map: the ten with the most systems over all groups.
    static func heatMapVendors(_ groups: [Report.Group]) -> [(id: String, name: String)] {
        var totals: [String: (name: String, systems: Int)] = [:]
        for group in groups {
            for vendor in group.vendors { totals[vendor.id, default: (vendor.name, 0)].systems += vendor.systems }
        }
        return totals.sorted { ($1.value.systems, $0.key) < ($0.value.systems, $1.key) }.prefix(10).map { ($0.key, $0.value.name) }
    }

    /// Groups against the vendors with the most systems overall: each cell
    /// with its share printed, darker for a larger one, and a scale.
    static func heatMap(_ groups: [Report.Group], _ w: Wording) -> String {
        let columns = heatMapVendors(groups)
        let cell = 48, labelWidth = 300, headerHeight = 150, rowHeight = 30
        let width = labelWidth + max(columns.count, 5) * cell + 130
        let height = headerHeight + groups.count * rowHeight + 50
        var svg = "<svg role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-label=\"\(xml(w.say("Heat map of vendor shares per group; the table after it gives the same figures", "Wärmebild der Anbieteranteile je Gruppe; die Tabelle danach enthält dieselben Zahlen")))\">"
        svg += "<title>\(xml(w.say("Vendor shares per group", "Anbieteranteile je Gruppe")))</title>"
        for (index, column) in columns.enumerated() {
            let x = labelWidth + index * cell + cell / 2
            svg += "<text transform=\"translate(\(x),\(headerHeight - 6)) rotate(-55)\" class=\"label\"><title>\(xml(column.name))</title>\(label(column.name, limit: 22))</text>"
        }
        func opacity(_ share: Double) -> Double { share == 0 ? 0.04 : 0.15 + 0.85 * share }
        for (row, group) in groups.enumerated() {
            let y = headerHeight + row * rowHeight
            svg += textLabel(group.name, x: labelWidth - 6, y: y + rowHeight / 2 - 1, width: labelWidth - 12)
            for (index, column) in columns.enumerated() {
                let share = group.vendors.first { $0.id == column.id }?.share ?? 0
                let x = labelWidth + index * cell
                svg += "<rect x=\"\(x + 2)\" y=\"\(y + 2)\" width=\"\(cell - 4)\" height=\"\(rowHeight - 4)\" fill=\"#1a4f8b\" fill-opacity=\"\(String(format: "%.2f", opacity(share)))\"><title>\(xml("\(group.name) – \(column.name): \(w.percent(share))"))</title></rect>"
                if share > 0 {
                    svg += "<text x=\"\(x + cell / 2)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\" class=\"\(opacity(share) > 0.55 ? "cell dark" : "cell")\">\(String(format: "%.0f", share * 100))</text>"
                }
            }
        }
        // The scale: what a cell's shade means, in per cent of the group's weighted systems.
        let scaleY = headerHeight + groups.count * rowHeight + 14
        svg += "<text x=\"\(labelWidth - 6)\" y=\"\(scaleY + 13)\" text-anchor=\"end\" class=\"value\">\(w.say("share in %", "Anteil in %"))</text>"
        for (index, share) in [0.0, 0.25, 0.5, 0.75, 1.0].enumerated() {
            let x = labelWidth + index * cell
            svg += "<rect x=\"\(x + 2)\" y=\"\(scaleY)\" width=\"\(cell - 4)\" height=\"18\" fill=\"#1a4f8b\" fill-opacity=\"\(String(format: "%.2f", opacity(share)))\"/>"
            svg += "<text x=\"\(x + cell / 2)\" y=\"\(scaleY + 13)\" text-anchor=\"middle\" class=\"\(opacity(share) > 0.55 ? "cell dark" : "cell")\">\(Int(share * 100))</text>"
        }
        return svg + "</svg>"
    }

    /// The heat map's figures as a table: a row per group, a column per vendor, shares in per cent.
    static func heatMapTable(_ groups: [Report.Group], _ w: Wording) -> [String: Any] {
        let columns = heatMapVendors(groups)
        return [
            "header": [["text": w.say("Group", "Gruppe"), "numeric": false]] + columns.map { ["text": "\($0.name) (%)", "numeric": true] },
            "rows": groups.map { group in
                ["cells": [["text": group.name, "numeric": false]] + columns.map { column -> [String: Any] in
                    let share = group.vendors.first { $0.id == column.id }?.share ?? 0
                    return ["text": w.decimal(share * 100), "numeric": true]
                }]
            },
        ]
    }

    static let defaultTemplate = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>{{t.title}} – {{printScan}}</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 86rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
        th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        .band { display: inline-block; padding: 0 .45rem; border-radius: .5rem; color: #fff; font-size: .85rem; }
        td.date { white-space: nowrap; }
        .status.missed, .status.expired { font-weight: 600; color: #c62828; }
        .low { background: #2e7d32; } .medium { background: #f9a825; color: #1b1b1b; } .high { background: #ef6c00; } .critical { background: #c62828; }
        svg .label { font-size: 12px; fill: #1b1b1b; } svg .value { font-size: 11px; fill: #444; }
        svg .cell { font-size: 11px; fill: #1b1b1b; font-variant-numeric: tabular-nums; } svg .cell.dark { fill: #fff; }
        svg .count { font-size: 11px; fill: #fff; } svg .count.medium { fill: #1b1b1b; }
        table.figures { font-size: .85rem; }
        .meta { color: #555; } .group { break-inside: avoid; page-break-inside: avoid; }
        .wide { overflow-x: auto; }
        @page { size: A4; margin: 20mm 12mm 16mm 12mm;
          @top-left { content: "{{{printScope}}}"; font: 7.5pt system-ui, sans-serif; color: #555; }
          @top-right { content: "{{{printScan}}}"; font: 7.5pt system-ui, sans-serif; color: #555; }
          @bottom-right { content: "{{t.page}} " counter(page) " {{t.of}} " counter(pages); font: 7.5pt system-ui, sans-serif; color: #555; } }
        @media print {
          body { margin: 0; max-width: none; font-size: 9pt; } .wide { overflow: visible; }
          table { font-size: 7.5pt; } th, td { padding: .15rem .3rem; } .band { font-size: 7pt; padding: 0 .3rem; }
          main > h2 { break-before: page; } main > h2:first-child { break-before: auto; } h2, h3 { break-after: avoid; }
          .group, tr, svg, figure { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
        </style>
        </head>
        <body>
        <header>
        <h1>{{t.heading}}</h1>
        <p class="meta">{{heading}}. {{totals}}. {{t.scale}}</p>
        </header>
        <main>
        <h2>{{t.summary}}</h2>
        {{#summary}}<div class="wide"><table>
        <thead><tr>{{#header}}<th{{#numeric}} class="n"{{/numeric}}>{{text}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="n"{{/numeric}}>{{#hasBand}}<span class="band {{band}}">{{text}}</span>{{/hasBand}}{{^hasBand}}{{text}}{{/hasBand}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table></div>{{/summary}}
        {{#hasStandalone}}<p class="meta">* {{standaloneNote}}</p>{{/hasStandalone}}
        {{#hasAnswerFirst}}<h2>{{t.answerFirst}}</h2>
        <p>{{answerFirstIntro}}.</p>
        {{#answerFirst}}<table>
        <thead><tr>{{#header}}<th{{#numeric}} class="n"{{/numeric}}>{{text}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="n"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>{{/answerFirst}}{{/hasAnswerFirst}}
        {{#hasRiskiest}}<h2>{{t.riskiest}}</h2>
        <p>{{t.riskiestIntro}}</p>
        <div class="wide"><table>
        <thead><tr><th>{{t.system}}</th><th>{{t.ministry}}</th><th>{{t.vendor}}</th><th>{{t.criticality}}</th><th class="n">{{t.risk}}</th><th>{{t.lockIn}}</th><th>{{t.jurisdiction}}</th><th>{{t.heaviestFinding}}</th></tr></thead>
        <tbody>
        {{#riskiest}}<tr><td>{{name}} <span class="meta">({{system}})</span></td><td>{{group}}</td><td>{{vendor}} <span class="meta">({{countryShown}})</span></td><td>{{criticalityShown}}</td><td class="n">{{riskShown}}</td><td><span class="band {{lockInBand}}">{{lockIn}} {{lockInBandName}}</span></td><td><span class="band {{jurisdictionBand}}">{{jurisdiction}} {{jurisdictionBandName}}</span></td><td>{{finding}}</td></tr>
        {{/riskiest}}
        </tbody>
        </table></div>{{/hasRiskiest}}
        {{#hasGroups}}<h2>{{t.jurisdictionExposure}}</h2>
        <figure>{{{jurisdictionChart}}}<figcaption>{{t.jurisdictionCaption}}</figcaption></figure>
        <h2>{{t.lockInHeading}}</h2>
        <figure>{{{lockInChart}}}<figcaption>{{t.lockInCaption}}</figcaption></figure>
        <h2>{{t.vendorsAcross}}</h2>
        <figure>{{{heatMap}}}<figcaption>{{t.heatMapCaption}}</figcaption></figure>
        {{#heatMapTable}}<table class="figures">
        <thead><tr>{{#header}}<th{{#numeric}} class="n"{{/numeric}}>{{text}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="n"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>{{/heatMapTable}}{{/hasGroups}}
        {{#hasHistory}}<h2>{{t.history}}</h2>
        <p>{{t.historyIntro}}</p>
        {{#history}}<h3>{{title}}</h3><figure>{{{svg}}}<figcaption>{{caption}}</figcaption></figure>
        {{/history}}{{/hasHistory}}
        <h2>{{t.exitWindows}}</h2>
        <p>{{t.exitWindowsIntro}} {{asOf}}: {{exitWindowCounts}}{{exitWindowsShown}}. {{exitWindowOrder}}</p>
        {{#hasExitWindows}}<table>
        <thead><tr><th>{{t.status}}</th><th>{{t.actBy}}</th><th>{{t.system}}</th><th>{{t.vendor}}</th><th>{{t.contractEnds}}</th><th class="n">{{t.urgency}}</th><th class="n">{{t.lockIn}}</th><th>{{t.criticality}}</th></tr></thead>
        <tbody>
        {{#exitWindows}}<tr><td><span class="status {{status}}">{{statusName}}</span></td><td class="date">{{actByShown}}</td><td>{{name}} <span class="meta">({{system}})</span></td><td>{{vendor}}</td><td class="date">{{endsShown}}</td><td class="n">{{urgencyShown}}</td><td class="n">{{lockInShown}}</td><td>{{criticalityShown}}</td></tr>
        {{/exitWindows}}
        </tbody>
        </table>{{/hasExitWindows}}
        {{^hasExitWindows}}<p>{{t.none}}</p>{{/hasExitWindows}}
        {{#hasGroups}}<h2>{{t.groups}}</h2>{{/hasGroups}}
        {{#groups}}<section class="group">
        <h3>{{name}}</h3>
        <p class="meta">{{meta}}.</p>
        <figure>{{{vendorChart}}}<figcaption>{{t.vendorCaption}}</figcaption></figure>
        {{#hasFindings}}<table><thead><tr><th>{{t.findings}}</th><th class="n">{{t.findingSystems}}</th><th class="n">{{t.findingPoints}}</th></tr></thead><tbody>
        {{#findings}}<tr><td>{{title}} <span class="meta">({{rule}})</span></td><td class="n">{{systemsShown}}</td><td class="n">{{pointsShown}}</td></tr>
        {{/findings}}</tbody></table>{{/hasFindings}}
        </section>
        {{/groups}}
        <h2>{{t.glossary}}</h2>
        <dl>{{#glossary}}<dt>{{term}}</dt><dd>{{definition}}</dd>{{/glossary}}</dl>
        </main>
        <footer><p class="meta">{{t.footer}}</p></footer>
        </body>
        </html>

        """
}
