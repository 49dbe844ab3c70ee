import Domain
import Foundation
import Reporting

extension SystemListing: Printable {
    public static let outputs = Outputs<SystemListing>([
        SystemListRenderer(.table), SystemListRenderer(.json), SystemListRenderer(.csv), SystemListRenderer(.markdown),
        SystemListRenderer(.html),
        // Whole documents: every row at once (`--top` keeps a long list short).
        BinaryRenderer(.xlsx) { listing, context in
            let csv = String(decoding: try SystemListRenderer(.csv).render(listing, in: context), as: UTF8.self)
            let w = context.wording
            return try Workbook(sheets: [Workbook.sheet(csv: csv, name: w.say("systems", "Systeme")).worded(w)]).bytes()
        },
        BinaryRenderer(.pdf) { listing, context in
            try HeadlessChromium.pdf(html: String(decoding: try SystemListRenderer(.html).render(listing, in: context), as: UTF8.self))
        },
    ])
}

/// Writes a list of systems. CSV, JSON and Markdown stream: each row is
/// written as the store reads it, so a million systems list in flat memory.
/// The aligned table and HTML need every row before the first (for widths,
/// and a page is one document): for long lists, `--top` keeps them short.
struct SystemListRenderer: Renderer {
    let format: OutputFormat

    init(_ format: OutputFormat) {
        self.format = format
    }

    func render(_ model: SystemListing, in context: RenderContext) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let sink = OutputSink { bytes += $0 }
        try write(model, in: context, to: sink)
        try sink.flush()
        return bytes
    }

    func write(_ listing: SystemListing, in context: RenderContext, to sink: OutputSink) throws {
        let w = context.wording
        let scan = listing.heading.scan
        let heading = w.say("sovscan systems: scan \(scan.id), as of \(w.asOf(scan))", "sovscan-Systeme: Scan \(scan.id), Stichtag \(w.asOf(scan))")
            + (listing.heading.under.map { w.say(", under \($0)", ", unterhalb von \($0)") } ?? "") + w.say(", ", "; ")
            + ReportRenderer.rowsShown(listing.heading.rows, noun: .system, w)
        let unansweredRecorded = listing.heading.totals.unansweredRecorded
        switch format {
        case .csv:
            try sink.write(ReportRenderer.csvLine(Self.csvHeader))
            try listing.forEachRow { try sink.write(ReportRenderer.csvLine(Self.csvCells($0))) }
        case .json:
            try writeJSON(listing, to: sink)
        case .markdown:
            try sink.write("# \(ReportRenderer.markdownCell(heading))\n\n")
            try sink.write(ReportRenderer.markdownTable(ReportTables.systemHeader(w)))
            try listing.forEachRow { try sink.write(ReportRenderer.markdownRow(ReportTables.systemCells($0, w))) }
            try sink.write(ReportRenderer.markdownGlossary(.system, unansweredRecorded: unansweredRecorded, w))
        case .html:
            var table = ReportTables.systemHeader(w)
            try listing.forEachRow { table.rows.append(ReportTables.systemCells($0, w)) }
            try sink.write(TablePage(title: heading, paragraphs: [ReportRenderer.totalsLine(listing.heading.totals, w)], sections: [.init(table: table)],
                                     glossary: Glossary.entries(for: .system, unansweredRecorded: unansweredRecorded, in: w.language), wording: w).html)
        default:
            var table = ReportTables.systemHeader(w)
            try listing.forEachRow { row in
                table.rows.append(ReportTables.systemCells(row, w))
                table.bands.append([8: row.lockIn.band, 9: row.jurisdiction.band])
            }
            try sink.write(heading + "\n" + ReportRenderer.totalsLine(listing.heading.totals, w) + "\n\n")
            try sink.write(ReportRenderer.align([table.header] + table.rows, numeric: table.numeric) { row, column, cell in
                guard row > 0, let band = table.bands[row - 1][column] else { return cell }
                return ReportRenderer.paint(cell, band: band, colour: context.colour)
            })
            try sink.write("\n" + ReportRenderer.legend(.system, unansweredRecorded: unansweredRecorded, w))
        }
    }

    static let csvHeader = [
        "organisation", "organisation_name", "ministry", "ministry_name", "system", "name", "function", "vendor", "vendor_name",
        "vendor_country", "criticality", "users", "risk", "lock_in", "lock_in_band", "jurisdiction", "jurisdiction_band",
        "heaviest_finding", "heaviest_finding_points", "annual_cost_eur", "lock_in_unknown_points", "jurisdiction_unknown_points",
    ]

    static func csvCells(_ row: SystemRow) -> [String] {
        [row.organisation, row.organisationName, row.ministry, row.ministryName, row.system, row.name, row.function, row.vendor,
         row.vendorName, row.vendorCountry ?? "", row.criticality, row.users.map(String.init) ?? "", String(row.risk),
         String(row.lockIn.score), row.lockIn.band.rawValue, String(row.jurisdiction.score), row.jurisdiction.band.rawValue,
         row.heaviestFinding?.rule ?? "", row.heaviestFinding.map { String($0.points) } ?? "",
         row.annualCostEUR.map { String(format: "%.2f", $0) } ?? "", row.lockIn.unknownPoints.map(String.init) ?? "",
         row.jurisdiction.unknownPoints.map(String.init) ?? ""]
    }

    /// The heading's keys sorted, then `systems` last, so that the rows stream.
    private func writeJSON(_ listing: SystemListing, to sink: OutputSink) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var heading = String(decoding: try encoder.encode(listing.heading), as: UTF8.self)
        heading.removeLast()  // the closing brace
        while heading.last?.isWhitespace == true { heading.removeLast() }
        try sink.write(heading + ",\n  \"systems\" : [")
        var first = true
        try listing.forEachRow { row in
            let text = String(decoding: try encoder.encode(row), as: UTF8.self).replacingOccurrences(of: "\n", with: "\n    ")
            try sink.write((first ? "\n    " : ",\n    ") + text)
            first = false
        }
        try sink.write(first ? "]\n}\n" : "\n  ]\n}\n")
    }
}
