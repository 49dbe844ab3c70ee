import Domain
import Foundation
import Import

extension InventorySheet: Printable {
    public static let outputs = Outputs<InventorySheet>([
        TextRenderer(.csv) { sheet, _ in ([sheet.header] + sheet.rows).map(ReportRenderer.csvLine).joined() },
        BinaryRenderer(.xlsx) { sheet, _ in try ImportRenderer.workbook(sheet).bytes() },
    ])
}

extension ImportSummary: Printable {
    public static let outputs = Outputs<ImportSummary>([
        TextRenderer(.table) { summary, context in ImportRenderer.table(summary, context.wording) },
        JSONRenderer(),
        TextRenderer(.csv) { summary, _ in ImportRenderer.gapsCSV(summary) },
        BinaryRenderer(.xlsx) { summary, context in
            let w = context.wording
            let sheet = Workbook.sheet(csv: ImportRenderer.gapsCSV(summary), name: w.say("answers to ask for", "Nachzufragende Angaben")).worded(w)
            return try Workbook(sheets: [sheet]).bytes()
        },
    ])
}

/// `sovscan import`: what was read and written, what was assumed, and the answers to ask for first.
enum ImportRenderer {
    /// An inventory as a workbook: its sheet with typed cells and drop-down
    /// lists, and a sheet that explains each column.
    static func workbook(_ sheet: InventorySheet) -> Workbook {
        let kinds = sheet.header.map(InventoryColumns.kind(of:))
        let rows = sheet.rows.map { row in
            zip(row, kinds).map { text, kind -> Workbook.Cell in
                guard !text.isEmpty else { return .empty }
                switch kind {
                case .number: return Double(text).map { .number($0) } ?? .text(text)
                case .date: return Day(iso: text).map { .date($0) } ?? .text(text)
                case .flag: return text == "true" ? .flag(true) : text == "false" ? .flag(false) : .text(text)
                // Guarded as in a CSV, so that a text that starts with an apostrophe reads back the same from either.
                case .text: return .text(FormulaGuard.guarded(text))
                }
            }
        }
        var choices: [Int: [String]] = [:]
        for (index, column) in sheet.header.enumerated() { choices[index] = InventoryColumns.choices(of: column) }
        let language = sheet.language
        func word(_ word: ColumnGuide.Word) -> String { ColumnGuide.word(word, in: language) }
        let explanation = sheet.header.map { column -> [Workbook.Cell] in
            let kind: ColumnGuide.Word
            switch InventoryColumns.kind(of: column) {
            case .number: kind = .number
            case .date: kind = .date
            case .flag: kind = .flag
            case .text: kind = column == "subprocessors" ? .subprocessors : column == "exceptions" ? .exceptions
                : ["hosting.data_location", "hosting.processing_location", "hosting.support_access", "formats", "interfaces", "depends_on", "alternatives"].contains(column)
                    ? .list : .text
            }
            return [.text(column), .text(word(InventoryColumns.isRequired(column) ? .required : .optional)), .text(word(kind)),
                    .text(InventoryColumns.choices(of: column)?.joined(separator: ", ") ?? ""), .text(ColumnGuide.explanation(of: column, in: language))]
        }
        return Workbook(sheets: [
            .init(name: word(.inventorySheet), header: sheet.header, rows: rows, choices: choices),
            .init(name: word(.columnsSheet), header: [word(.column), "", word(.holds), word(.values), word(.means)], rows: explanation),
        ])
    }

    static func table(_ summary: ImportSummary, _ w: Wording) -> String {
        let counts = "\(w.counted(summary.systems, .system)) \(w.say("of", "aus")) \(w.countedDative(summary.organisations, .organisation))"
        var text = w.say("imported \(counts) into \(summary.out)", "\(counts) importiert nach \(summary.out)") + "\n"
        for input in summary.inputs {
            let read = switch input.kind {
            case .xlsx: w.say("a workbook's sheet", "Tabellenblatt einer Arbeitsmappe")
            case .publicCode: "publiccode.yml"
            case .csv: w.say("\(input.encoding ?? ""), delimited by '\(input.delimiter ?? "")'", "\(input.encoding ?? ""), getrennt durch '\(input.delimiter ?? "")'")
            }
            text += "  \(input.path): \(w.counted(input.rows, .row)), \(read)\n"
        }
        if summary.localVendors > 0 {
            let companies = "\(w.count(summary.localVendors)) \(summary.localVendors == 1 ? w.say("company", "Unternehmen") : w.say("companies", "Unternehmen"))"
            text += "\n" + w.say("wrote vendors.yaml: \(companies) the systems name that the catalogue does not know, with the country and parent the export gives (scan and validate read it from \(summary.out))",
                                 "vendors.yaml geschrieben: \(companies), die die Systeme nennen und der Katalog nicht kennt, mit Land und Muttergesellschaft aus dem Export (scan und validate lesen die Datei aus \(summary.out))") + "\n"
        }
        if !summary.assumed.isEmpty {
            text += "\n" + w.say("Declared with assumed defaults (no input gives them; check and correct them in organisations.yaml or the organisation's file):",
                                 "Mit angenommenen Vorgaben angelegt (keine Eingabe nennt sie; in organisations.yaml oder der Datei der Organisation prüfen und berichtigen):") + "\n"
            for assumed in summary.assumed { text += "  \(assumed.organisation): \(assumed.text(in: w.language))\n" }
        }
        let organisations = summary.gaps.filter { $0.level == "organisation" }
        guard !organisations.isEmpty else { return text + "\n" + w.say("No key answer is missing.", "Keine Kernangabe fehlt.") + "\n" }
        text += "\n" + w.say("Answer these first (the fields to ask the system owners for; what the best answer would take off each organisation's mean scores):",
                             "Zuerst zu beantworten (die bei den Systemverantwortlichen zu erfragenden Felder; was die bestmögliche Antwort von den mittleren Punktwerten jeder Organisation abziehen würde):") + "\n"
        var rows = [[w.say("organisation", "Organisation"), w.say("answer", "Angabe"), w.say("systems", "Systeme ohne Angabe"),
                     w.say("lock-in falls by", "Mögliche Senkung Lock-in"), w.say("jurisdiction falls by", "Mögliche Senkung Rechtsraum"),
                     w.say("systems it moves most", "Systeme mit der größten Wirkung")]]
        for gap in organisations {
            rows.append([gap.name, gap.question, w.count(gap.systems), w.decimal(gap.lockInFallsBy), w.decimal(gap.jurisdictionFallsBy),
                         gap.systemsFirst.joined(separator: ", ")])
        }
        return text + ReportRenderer.align(rows, numeric: [2, 3, 4])
    }

    /// The gap report as a sheet to send back: a row per group and question.
    static func gapsCSV(_ summary: ImportSummary) -> String {
        var text = ReportRenderer.csvLine(["level", "id", "name", "question", "systems", "lock_in_falls_by", "jurisdiction_falls_by", "systems_first"])
        for gap in summary.gaps {
            text += ReportRenderer.csvLine([gap.level, gap.id, gap.name, gap.question, String(gap.systems), ReportRenderer.number(gap.lockInFallsBy),
                                            ReportRenderer.number(gap.jurisdictionFallsBy), gap.systemsFirst.joined(separator: "; ")])
        }
        return text
    }
}
