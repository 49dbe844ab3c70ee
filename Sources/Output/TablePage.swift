import Reporting

/// A page of tables under a title, with paragraphs before them and a
/// glossary after: the scenarios in the terminal, in Markdown and in HTML,
/// and the system list in HTML (the report has its own template). Every
/// text is escaped for its format.
struct TablePage {
    struct Section {
        var heading: String?
        var table: HumanTable
    }

    var title: String
    var paragraphs: [String]
    var sections: [Section]
    var glossary: [GlossaryEntry]
    var wording: Wording

    /// For the terminal: aligned tables, "none" for an empty one, and a legend.
    var text: String {
        var text = title + "\n" + paragraphs.joined(separator: "\n") + "\n"
        for section in sections {
            text += "\n\(section.heading ?? ""):\n"
            text += section.table.rows.isEmpty ? wording.say("none", "keine") + "\n" : ReportRenderer.align([section.table.header] + section.table.rows, numeric: section.table.numeric)
        }
        return text + "\n" + wording.say("Legend", "Legende") + ":\n" + glossary.map { "  \($0.term): \($0.definition)\n" }.joined()
    }

    var markdown: String {
        let cell = ReportRenderer.markdownCell
        var text = "# \(cell(title))\n\n" + paragraphs.map { cell($0) + "\n\n" }.joined()
        for section in sections {
            text += "## \(section.heading ?? "")\n\n" + (section.table.rows.isEmpty ? wording.say("none", "keine") + "\n" : ReportRenderer.markdownTable(section.table)) + "\n"
        }
        return text + "## " + wording.say("Glossary", "Glossar") + "\n\n" + glossary.map { "- **\(cell($0.term))**: \(cell($0.definition))\n" }.joined()
    }

    /// A printable HTML page.
    var html: String {
        let escape = HTMLReport.xml
        var page = """
            <!DOCTYPE html>
            <html lang="\(wording.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(escape(title))</title>
            <style>body { font-family: system-ui, sans-serif; margin: 2rem; } table { border-collapse: collapse; font-size: .9rem; } \
            th, td { border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; } td.n { text-align: right; }</style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        page += paragraphs.map { "<p>\(escape($0))</p>\n" }.joined()
        for section in sections {
            if let heading = section.heading { page += "<h2>\(escape(heading))</h2>\n" }
            page += "<table><thead><tr>" + section.table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in section.table.rows {
                page += "<tr>" + row.enumerated().map { "<td\(section.table.numeric.contains($0) ? " class=\"n\"" : "")>\(escape($1))</td>" }.joined()
                    + "</tr>\n"
            }
            page += "</tbody></table>\n"
        }
        page += "<h2>\(wording.say("Glossary", "Glossar"))</h2>\n<dl>" + glossary.map { "<dt>\(escape($0.term))</dt><dd>\(escape($0.definition))</dd>" }.joined()
        return page + "</dl>\n</body>\n</html>\n"
    }
}
