import Domain
import Foundation

/// Why an input cannot be imported at all (as opposed to a bad cell, which
/// is a diagnostic at its place).
public struct ImportProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Rows of cells with where each is, from a CSV file or a workbook's sheet.
public struct Sheet: Sendable {
    /// One cell: its text, and its line (a sheet's row) and column (from 1).
    public struct Cell: Sendable {
        public var text: String
        public var location: SourceLocation
    }

    /// As messages name it: the file, or the workbook and the sheet (`Anwendungen.xlsx:Systeme`).
    public var name: String
    /// Every row, the header first; rows with no text at all are left out.
    public var rows: [[Cell]]
    /// Whether a place is a spreadsheet cell (`Systeme!F17`) rather than a line and column.
    public var cellReferences: Bool
}

/// A table read from a CSV file, as spreadsheets write them: the encoding
/// and delimiter as found, and the rows of cells, each with where it starts.
public struct CSVTable: Sendable {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8WithBOM = "UTF-8 with BOM"
        case utf16LittleEndian = "UTF-16 LE with BOM"
        case utf16BigEndian = "UTF-16 BE with BOM"
        /// What German Excel writes when asked for "CSV (Trennzeichen-getrennt)".
        case windows1252 = "Windows-1252"
    }

    public var path: String
    public var encoding: Encoding
    public var delimiter: Character
    /// Every row, the header first; rows with no text at all are left out.
    public var rows: [[Sheet.Cell]]

    /// The rows as a sheet named by the file.
    public var sheet: Sheet { Sheet(name: path, rows: rows, cellReferences: false) }

    /// A cell longer than this is an error: no inventory value is that long,
    /// and a file of one huge cell must not hold the import up.
    public static let cellLimit = 65_536

    /// Reads and parses `path`: the encoding from its byte-order mark, else
    /// UTF-8 when the bytes are valid UTF-8, else Windows-1252; the
    /// delimiter (`,`, `;` or tab) from the header line.
    public static func read(path: String) throws(ImportProblem) -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportProblem(description: "\(path): cannot be read")
        }
        let (text, encoding) = decode(Array(data))
        return try parse(text, path: path, encoding: encoding)
    }

    /// The rows of CSV text held in memory (sovscan's own CSV), as texts.
    public static func rows(of text: String) -> [[String]] {
        ((try? parse(text, path: "", encoding: .utf8, cellLimit: .max))?.rows ?? []).map { $0.map(\.text) }
    }

    static func decode(_ bytes: [UInt8]) -> (String, Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8WithBOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                units.append(little ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8 : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return (String(decoding: units, as: UTF16.self), little ? .utf16LittleEndian : .utf16BigEndian)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        // Windows-1252: Latin-1 with typographic characters in 0x80–0x9F.
        let high: [Character] = ["€", "\u{81}", "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", "\u{8D}", "Ž", "\u{8F}",
                                 "\u{90}", "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", "\u{9D}", "ž", "Ÿ"]
        var text = ""
        text.reserveCapacity(bytes.count)
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                text.append(high[Int(byte - 0x80)])
            } else {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return (text, .windows1252)
    }

    static func parse(_ text: String, path: String, encoding: Encoding, cellLimit: Int = CSVTable.cellLimit) throws(ImportProblem) -> CSVTable {
        let scalars = Array(text.unicodeScalars)
        // The delimiter: whichever of , ; tab the header line (outside quotes) has most of.
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted, scalar == "\n" || scalar == "\r" { break }
            if !quoted, counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let delimiter = [",", ";", "\t"].map { Unicode.Scalar($0)! }.max { counts[$0]! < counts[$1]! }!
        var rows: [[Sheet.Cell]] = []
        var row: [Sheet.Cell] = []
        var cell = String.UnicodeScalarView(), cellLength = 0
        var line = 1, column = 1, cellLine = 1
        var index = 0
        var inQuotes = false, wasQuoted = false
        func finishCell() {
            row.append(Sheet.Cell(text: String(cell), location: SourceLocation(line: cellLine, column: column)))
            cell = String.UnicodeScalarView()
            cellLength = 0
            column += 1
            wasQuoted = false
        }
        func finishRow() {
            if row.contains(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.append(row) }
            row = []
            column = 1
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        cell.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    // A line break inside a quoted cell: LF, CRLF, or a lone CR.
                    if scalar == "\n" || (scalar == "\r" && (index >= scalars.count || scalars[index] != "\n")) { line += 1 }
                    cell.append(scalar)
                    cellLength += 1
                }
            } else if scalar == "\"", cell.isEmpty, !wasQuoted {
                inQuotes = true
                wasQuoted = true
            } else if scalar == delimiter {
                finishCell()
                cellLine = line
            } else if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                finishCell()
                finishRow()
                line += 1
                cellLine = line
            } else {
                cell.append(scalar)
                cellLength += 1
            }
            if cellLength > cellLimit {
                throw ImportProblem(description: "\(path):\(cellLine):\(column): a cell of more than \(cellLimit) characters; no inventory value is that long (a quote left open?)")
            }
        }
        if inQuotes {
            throw ImportProblem(description: "\(path):\(cellLine):\(column): a quoted cell is not closed before the end of the file")
        }
        if !cell.isEmpty || !row.isEmpty {
            finishCell()
            finishRow()
        }
        return CSVTable(path: path, encoding: encoding, delimiter: Character(delimiter), rows: rows)
    }
}
