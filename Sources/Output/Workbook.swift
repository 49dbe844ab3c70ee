import Domain
import Foundation
import Import
import Reporting
import ZIPFoundation

/// A workbook of our own writing (Office Open XML, ECMA-376 Part 1): sheets
/// of typed cells (text, numbers, dates, yes/no) with a bold, frozen header
/// row, column widths that fit, and drop-down lists where a column has a
/// closed set of values. Text is written as inline strings, so no cell is
/// ever a formula. Packed with ZIPFoundation.
struct Workbook {
    enum Cell {
        case text(String)
        case number(Double)
        /// A fraction (0.545) shown as per cent (54.50%).
        case share(Double)
        case date(Day)
        case flag(Bool)
        case empty
    }

    struct Sheet {
        var name: String
        var header: [String]
        var rows: [[Cell]]
        /// Column (from 0) → the values a cell may take, offered as a drop-down list.
        var choices: [Int: [String]] = [:]

        /// The columns whose cells hold a closed value that reads differently in German.
        static let wordedColumns: Set<String> = [
            "status", "next_exit_status", "criticality", "lock_in_band", "jurisdiction_band", "before_band", "after_band", "kind", "dimension", "level",
        ]

        /// The sheet of CSV keys as people read it in `w`'s language: in
        /// German, headings from `ColumnTitles` and bands, statuses,
        /// criticalities, a diff's kinds and dimensions, levels in German; in
        /// English, as the CSV writes them.
        func worded(_ w: Wording) -> Sheet {
            guard w.language == .de else { return self }
            var sheet = self
            sheet.header = header.map { ColumnTitles.german[$0] ?? $0 }
            for (column, key) in header.enumerated() where Self.wordedColumns.contains(key) {
                for row in sheet.rows.indices where sheet.rows[row].indices.contains(column) {
                    if case .text(let value) = sheet.rows[row][column] { sheet.rows[row][column] = .text(w.closedValue(value)) }
                }
            }
            return sheet
        }
    }

    var sheets: [Sheet]

    /// A sheet of sovscan's own CSV: numbers, ISO dates and true/false as
    /// typed cells, the rest as text (without the apostrophe that guards a
    /// CSV cell against formula injection: an inline string is no formula).
    static func sheet(csv text: String, name: String) -> Sheet {
        let rows = CSVTable.rows(of: text)
        let header = rows.first ?? []
        let shares = Set(header.indices.filter { shareColumns.contains(header[$0]) })
        return Sheet(name: name, header: header, rows: rows.dropFirst().map { row in
            row.enumerated().map { column, text in
                let cell = typed(text)
                guard shares.contains(column), case .number(let fraction) = cell else { return cell }
                return .share(fraction)
            }
        })
    }

    /// The CSV columns that hold a fraction of a whole (0–1).
    static let shareColumns: Set<String> = [
        "dependence", "share_of_systems", "share_of_critical", "share_of_cost", "share_of_personal_data", "top_vendor_share", "unknown_share",
    ]

    static func typed(_ text: String) -> Cell {
        if text.isEmpty { return .empty }
        if text == "true" || text == "false" { return .flag(text == "true") }
        if let day = Day(iso: text) { return .date(day) }
        // A number as CSV writes one, and nothing that only looks like one ("0012", an id).
        let isNumber = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") } && text.first != "." && text.last != "."
            && !(text.hasPrefix("0") && text.count > 1 && !text.hasPrefix("0.")) && !(text.hasPrefix("-0") && text.count > 2 && !text.hasPrefix("-0."))
        if isNumber, let number = Double(text) { return .number(number) }
        return .text(FormulaGuard.unguarded(text))
    }

    /// The glossary of a report as a sheet.
    static func glossary(_ entries: [GlossaryEntry], _ w: Wording) -> Sheet {
        Sheet(name: w.say("glossary", "Glossar"), header: [w.say("term", "Begriff"), w.say("definition", "Erklärung")],
              rows: entries.map { [.text($0.term), .text($0.definition)] })
    }

    /// The workbook's bytes (a ZIP archive).
    func bytes() throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", relations),
            ("xl/styles.xml", Self.styles),
        ]
        for (index, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(index + 1).xml", Self.worksheet(sheet))) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.epoch,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data ?? Data())
    }

    /// A fixed date for every part, so that the same workbook gives the same bytes.
    private static let epoch = Date(timeIntervalSince1970: 1_577_836_800)

    private var contentTypes: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """
    }

    private var workbook: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        \(sheets.enumerated().map { "<sheet name=\"\(Self.xml(Self.sheetName($1.name)))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())\
        </sheets></workbook>
        """
    }

    private var relations: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \(sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
        <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """
    }

    /// Style 0 plain, 1 the bold header, 2 a date (`dd.mm.yyyy`-like: built-in format 14), 3 per cent (built-in format 10, `0.00%`).
    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    static func worksheet(_ sheet: Sheet) -> String {
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
        // Widths that fit: the longest text of a column, within reason.
        var widths = sheet.header.map { Double($0.count) }
        widths += Array(repeating: 0, count: max(0, columns - widths.count))
        for row in sheet.rows {
            for (index, cell) in row.enumerated() {
                let length: Int
                switch cell {
                case .text(let text): length = text.split(whereSeparator: \.isNewline).map(\.count).max() ?? 0
                case .number(let number): length = Self.number(number).count
                case .share: length = 7
                case .date: length = 10
                case .flag: length = 5
                case .empty: length = 0
                }
                widths[index] = max(widths[index], Double(length))
            }
        }
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <cols>\(widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\(min(60, max(8, $1 + 2)))\" customWidth=\"1\"/>" }.joined())</cols>\
            <sheetData>
            """
        text += row(1, sheet.header.map { .text($0) }, style: 1)
        for (index, cells) in sheet.rows.enumerated() { text += row(index + 2, cells, style: 0) }
        text += "</sheetData>"
        let validations = sheet.choices.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty && $0.value.joined(separator: ",").count <= 255 }
        if !validations.isEmpty {
            text += "<dataValidations count=\"\(validations.count)\">" + validations.map { column, values in
                let letters = ColumnLetters.letters(column + 1)
                return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(letters)2:\(letters)1048576\">"
                    + "<formula1>\"\(xml(values.joined(separator: ",")))\"</formula1></dataValidation>"
            }.joined() + "</dataValidations>"
        }
        return text + "</worksheet>"
    }

    private static func row(_ rowNumber: Int, _ cells: [Cell], style: Int) -> String {
        var text = "<row r=\"\(rowNumber)\">"
        for (index, cell) in cells.enumerated() {
            let reference = "\(ColumnLetters.letters(index + 1))\(rowNumber)"
            let styled = style == 0 ? "" : " s=\"\(style)\""
            switch cell {
            case .text(let value) where !value.isEmpty:
                text += "<c r=\"\(reference)\" t=\"inlineStr\"\(styled)><is><t xml:space=\"preserve\">\(xml(value))</t></is></c>"
            case .number(let value): text += "<c r=\"\(reference)\"\(styled)><v>\(Self.number(value))</v></c>"
            case .share(let value): text += "<c r=\"\(reference)\" s=\"3\"><v>\(Self.number(value))</v></c>"
            case .date(let day): text += "<c r=\"\(reference)\" s=\"2\"><v>\(day.spreadsheetSerial)</v></c>"
            case .flag(let value): text += "<c r=\"\(reference)\" t=\"b\"\(styled)><v>\(value ? 1 : 0)</v></c>"
            case .text, .empty: continue
            }
        }
        return text + "</row>"
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Text as XML character data: markup escaped, and the characters XML 1.0 forbids left out.
    static func xml(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            // A carriage return as a reference: an XML reader turns a literal one into a line feed.
            case "\r": escaped += "&#13;"
            case "\t", "\n": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A sheet name as workbooks allow: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ name: String) -> String {
        String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }
}
