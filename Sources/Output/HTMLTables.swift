import Reporting

/// A plain printable page of tables, every text escaped: the system list
/// and the scenarios (the report has its own template).
enum HTMLTables {
    struct Section {
        var heading: String?
        var table: HumanTable
    }

    static func page(title: String, paragraphs: [String], sections: [Section], glossary: [GlossaryEntry]) -> String {
        let escape = HTMLReport.xml
        var page = """
            <!DOCTYPE html>
            <html lang="en">
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
        page += "<h2>Glossary</h2>\n<dl>" + glossary.map { "<dt>\(escape($0.term))</dt><dd>\(escape($0.definition))</dd>" }.joined()
        return page + "</dl>\n</body>\n</html>\n"
    }
}
