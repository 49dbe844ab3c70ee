import Domain
import Foundation

/// Why an input cannot be imported at all (as opposed to a bad cell, which
/// is a diagnostic at its place).
public struct ImportProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// A table to import: rows of cells with where each is, from a CSV file
/// or a workbook's sheet, read anew on each pass so that no more than a
/// row is held at a time.
public struct Sheet: Sendable {
    /// One cell: its text, and its line (a sheet's row) and column (from 1).
    public struct Cell: Sendable {
        public var text: String
        public var location: SourceLocation
    }

    /// Reads the rows; with `only`, a pass needs the text of that column only,
    /// and a reader may leave the others empty (a CSV's row ends after it).
    public typealias Rows = @Sendable (_ only: Int?, _ body: ([Cell]) -> Void) throws(ImportProblem) -> Void

    /// As messages name it: the file, or the workbook and the sheet (`Anwendungen.xlsx:Systeme`).
    public var name: String
    /// The header: the first row with text.
    public var header: [Cell]
    /// Whether a place is a spreadsheet cell (`Systeme!F17`) rather than a line and column.
    public var cellReferences: Bool
    /// Reads the rows after the header, rows with no text at all left out.
    public var rows: Rows

    /// Whether a cell's UTF-8 holds more than white space (as
    /// `Character.isWhitespace` has it), read without making a text of it.
    static func hasText(_ utf8: some Collection<UInt8>) -> Bool {
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return !String(decoding: utf8, as: UTF8.self).allSatisfy(\.isWhitespace) }
        return utf8.contains { !($0 == 0x20 || (0x09...0x0D).contains($0)) }
    }
}

extension Sheet {
    /// The sheet of a reader that hands `body` every row with text, the
    /// header first, until `body` returns false; nil when it has no such row.
    init?(name: String, cellReferences: Bool,
          reading: @escaping @Sendable (_ only: Int?, _ body: ([Cell]) -> Bool) throws(ImportProblem) -> Void) throws(ImportProblem) {
        var header: [Cell]?
        try reading(nil) { row in
            header = row
            return false
        }
        guard let header else { return nil }
        self.init(name: name, header: header, cellReferences: cellReferences) { only, body throws(ImportProblem) in
            var first = true
            try reading(only) { row in
                if first { first = false } else { body(row) }
                return true
            }
        }
    }
}

/// A CSV file as spreadsheets write them: the encoding and delimiter as
/// found, and its rows of cells (each with where it starts) read a piece of
/// the file at a time, never the whole file.
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

    /// A cell longer than this is an error: no inventory value is that long,
    /// and a file of one huge cell must not hold the import up.
    public static let cellLimit = 65_536
    /// How much of the file is read at a time.
    static let pieceSize = 1 << 20

    /// Opens `path`: the encoding from its byte-order mark, else UTF-8 when
    /// the bytes are valid UTF-8, else Windows-1252; the delimiter (`,`, `;`
    /// or tab) from the header line.
    public static func open(path: String) throws(ImportProblem) -> CSVTable {
        let encoding = try detectEncoding(path: path)
        var table = CSVTable(path: path, encoding: encoding, delimiter: ",")
        // The delimiter: whichever of , ; tab the header line (outside quotes) has most of.
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        try table.forEachPiece { piece in
            for byte in piece {
                if byte == UInt8(ascii: "\"") { quoted.toggle() }
                if !quoted, byte == 0x0A || byte == 0x0D { return false }
                if !quoted, counts[byte] != nil { counts[byte]! += 1 }
            }
            return true
        }
        let delimiter = [",", ";", "\t"].map { UInt8(ascii: Unicode.Scalar($0)!) }.max { counts[$0]! < counts[$1]! }!
        table.delimiter = Character(Unicode.Scalar(delimiter))
        return table
    }

    /// The table as a sheet named by the file; nil when it has no row with text.
    public func sheet() throws(ImportProblem) -> Sheet? {
        try Sheet(name: path, cellReferences: false) { [self] only, body throws(ImportProblem) in try forEachRow(only: only, body) }
    }

    /// The rows of CSV text held in memory (sovscan's own CSV), as texts.
    public static func rows(of text: String) -> [[String]] {
        var rows: [[String]] = []
        var parser = Parser(delimiter: UInt8(ascii: ","), path: "", cellLimit: .max)
        try? parser.parse(Array(text.utf8)[...]) { rows.append($0.map(\.text)); return true }
        try? parser.finish { rows.append($0.map(\.text)); return true }
        return rows
    }

    /// Calls `body` with each row with text, the header first, until it
    /// returns false; with `only`, each row has the text of that column only.
    func forEachRow(only: Int? = nil, _ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) {
        var parser = Parser(delimiter: UInt8(ascii: delimiter.unicodeScalars.first!), path: path, cellLimit: Self.cellLimit)
        parser.only = only
        var going = true
        try forEachPiece { piece throws(ImportProblem) in
            try parser.parse(piece) { row in
                going = body(row)
                return going
            }
            return going
        }
        if going { try parser.finish(body) }
    }

    /// Calls `body` with the file's bytes as read, a piece at a time (an
    /// empty piece at the end), until it returns false.
    private static func forEachRawPiece(path: String, _ body: (Data) throws(ImportProblem) -> Bool) throws(ImportProblem) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportProblem(description: "\(path): cannot be read") }
        defer { try? handle.close() }
        while true {
            let data: Data
            do {
                data = try handle.read(upToCount: pieceSize) ?? Data()
            } catch {
                throw ImportProblem(description: "\(path): cannot be read: \(error.localizedDescription)")
            }
            guard try body(data), !data.isEmpty else { return }
        }
    }

    /// Calls `body` with the file's text as UTF-8, a piece at a time, until it returns false.
    private func forEachPiece(_ body: (ArraySlice<UInt8>) throws(ImportProblem) -> Bool) throws(ImportProblem) {
        var carried: [UInt8] = []
        var first = true
        try Self.forEachRawPiece(path: path) { data throws(ImportProblem) in
            var bytes = carried + data
            carried = []
            let atEnd = data.isEmpty
            if first {
                first = false
                bytes.removeFirst(encoding.byteOrderMark.count)
            }
            let piece: [UInt8]
            switch encoding {
            case .utf8, .utf8WithBOM:
                piece = bytes
            case .windows1252:
                piece = Self.utf8(windows1252: bytes)
            case .utf16LittleEndian, .utf16BigEndian:
                // Whole units, and a surrogate pair never split.
                var end = bytes.count - bytes.count % 2
                if !atEnd, end >= 2 {
                    let last = encoding == .utf16LittleEndian ? UInt16(bytes[end - 2]) | UInt16(bytes[end - 1]) << 8
                        : UInt16(bytes[end - 2]) << 8 | UInt16(bytes[end - 1])
                    if UTF16.isLeadSurrogate(last) { end -= 2 }
                }
                carried = Array(bytes[end...])
                var units: [UInt16] = []
                units.reserveCapacity(end / 2)
                var index = 0
                while index + 1 < end {
                    units.append(encoding == .utf16LittleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                                    : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                    index += 2
                }
                piece = Array(String(decoding: units, as: UTF16.self).utf8)
            }
            if atEnd && piece.isEmpty { return false }
            return try body(piece[...])
        }
    }

    /// Windows-1252 as UTF-8: Latin-1 with typographic characters in 0x80–0x9F.
    static func utf8(windows1252 bytes: [UInt8]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                text.append(byte)
            } else if (0x80...0x9F).contains(byte) {
                text.append(contentsOf: windows1252High[Int(byte - 0x80)].utf8)
            } else {
                text.append(0xC0 | byte >> 6)
                text.append(0x80 | byte & 0x3F)
            }
        }
        return text
    }

    private static let windows1252High = ["€", "\u{81}", "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", "\u{8D}", "Ž", "\u{8F}",
                                          "\u{90}", "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", "\u{9D}", "ž", "Ÿ"]

    /// The encoding of `path`: by its byte-order mark, else UTF-8 when every
    /// piece is valid UTF-8, else Windows-1252.
    static func detectEncoding(path: String) throws(ImportProblem) -> Encoding {
        var carried: [UInt8] = []
        var first = true
        var found = Encoding.utf8
        try forEachRawPiece(path: path) { data in
            var bytes = carried + data
            if first {
                first = false
                for (mark, encoding) in [([UInt8]([0xEF, 0xBB, 0xBF]), Encoding.utf8WithBOM), ([0xFF, 0xFE], .utf16LittleEndian), ([0xFE, 0xFF], .utf16BigEndian)]
                where bytes.starts(with: mark) {
                    found = encoding
                    return false
                }
            }
            if data.isEmpty {
                found = String(validating: bytes, as: UTF8.self) == nil ? .windows1252 : .utf8
                return false
            }
            // A character split between pieces is checked with the next.
            var end = bytes.count
            var back = 0
            while back < 3, end > 0, bytes[end - 1] & 0xC0 == 0x80 {
                end -= 1
                back += 1
            }
            if end > 0, bytes[end - 1] >= 0xC0 { end -= 1 } else { end = bytes.count }
            carried = Array(bytes[end...])
            bytes.removeLast(bytes.count - end)
            if String(validating: bytes, as: UTF8.self) == nil {
                found = .windows1252
                return false
            }
            return true
        }
        return found
    }
}

extension CSVTable.Encoding {
    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: []
        case .utf8WithBOM: [0xEF, 0xBB, 0xBF]
        case .utf16LittleEndian: [0xFF, 0xFE]
        case .utf16BigEndian: [0xFE, 0xFF]
        case .windows1252: []
        }
    }
}

/// CSV as RFC 4180 has it and spreadsheets write it, over UTF-8 handed
/// over in pieces: quoted cells with delimiters, quotes (`""`) and line
/// breaks (LF, CRLF or a lone CR); each cell with the line it starts on.
private struct Parser {
    let delimiter: UInt8
    let path: String
    let cellLimit: Int
    /// The one column (from 0) whose text is wanted, if not all.
    var only: Int?
    private var row: [Sheet.Cell] = []
    /// Whether a cell of the row has text (not only white space).
    private var rowHasText = false
    private var cell: [UInt8] = []
    /// Characters in the cell: bytes that start one.
    private var cellLength = 0
    private var line = 1, column = 1, cellLine = 1
    private var inQuotes = false, wasQuoted = false
    /// A quote in a quoted cell, or a CR, at the end of a piece: what it
    /// means depends on the next byte.
    private var pendingQuote = false, pendingCR = false

    init(delimiter: UInt8, path: String, cellLimit: Int) {
        self.delimiter = delimiter
        self.path = path
        self.cellLimit = cellLimit
    }

    private static let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// Parses `bytes`, handing each finished row with text to `body` until it returns false.
    mutating func parse(_ bytes: ArraySlice<UInt8>, _ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) {
        try bytes.withUnsafeBufferPointer { (bytes) throws(ImportProblem) in
            var index = bytes.startIndex
            while index < bytes.endIndex {
                // The text of a cell up to the next byte that may end it is taken as one run.
                let run = ordinaryRun(bytes, from: index)
                if run > index {
                    appendRun(bytes[index..<run])
                    index = run
                } else {
                    if !step(bytes[index], body) { return }
                    index += 1
                }
                if cellLength > cellLimit {
                    throw ImportProblem(description: "\(path):\(cellLine):\(column): a cell of more than \(cellLimit) characters; no inventory value is that long (a quote left open?)")
                }
            }
        }
    }

    /// The end of the run of bytes from `start` that are a cell's text
    /// whatever comes before them: none of quote, delimiter, CR or LF (in
    /// quotes, none of quote, CR or LF); `start` itself when a byte there
    /// needs a decision, or one is pending.
    private func ordinaryRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard !pendingQuote, !pendingCR else { return start }
        var end = start
        if inQuotes {
            while end < bytes.endIndex, bytes[end] != Self.quote, bytes[end] != Self.cr, bytes[end] != Self.lf { end += 1 }
        } else {
            while end < bytes.endIndex, bytes[end] != Self.quote, bytes[end] != delimiter, bytes[end] != Self.cr, bytes[end] != Self.lf { end += 1 }
        }
        return end
    }

    private mutating func appendRun(_ run: Slice<UnsafeBufferPointer<UInt8>>) {
        cell.append(contentsOf: run)
        for byte in run where byte & 0xC0 != 0x80 { cellLength += 1 }
    }

    /// One byte that may end a cell or a row, or follows a pending quote or
    /// CR; false when `body` wants no more rows.
    private mutating func step(_ byte: UInt8, _ body: ([Sheet.Cell]) -> Bool) -> Bool {
        if pendingQuote {
            pendingQuote = false
            if byte == Self.quote {
                append(byte)
                return true
            }
            inQuotes = false
        }
        if pendingCR {
            pendingCR = false
            if byte == Self.lf {
                if inQuotes { append(byte) }
                return true
            }
        }
        if inQuotes {
            if byte == Self.quote {
                pendingQuote = true
            } else {
                // A line break inside a quoted cell: LF, CRLF, or a lone CR.
                if byte == Self.lf { line += 1 }
                if byte == Self.cr {
                    line += 1
                    pendingCR = true
                }
                append(byte)
            }
        } else if byte == Self.quote, cell.isEmpty, !wasQuoted {
            inQuotes = true
            wasQuoted = true
        } else if byte == delimiter {
            finishCell()
            cellLine = line
        } else if byte == Self.cr || byte == Self.lf {
            pendingCR = byte == Self.cr
            finishCell()
            let going = finishRow(body)
            line += 1
            cellLine = line
            return going
        } else {
            append(byte)
        }
        return true
    }

    /// Ends the text: the last row, when the file does not end with a line break.
    mutating func finish(_ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) {
        if pendingQuote {
            pendingQuote = false
            inQuotes = false
        }
        if inQuotes {
            throw ImportProblem(description: "\(path):\(cellLine):\(column): a quoted cell is not closed before the end of the file")
        }
        if !cell.isEmpty || !row.isEmpty {
            finishCell()
            _ = finishRow(body)
        }
    }

    private mutating func append(_ byte: UInt8) {
        cell.append(byte)
        if byte & 0xC0 != 0x80 { cellLength += 1 }
    }

    private mutating func finishCell() {
        let wanted = only.map { $0 == column - 1 } ?? true
        let text = wanted ? String(decoding: cell, as: UTF8.self) : ""
        if !rowHasText { rowHasText = Sheet.hasText(cell) }
        // A pass that wants one column gets the row up to it.
        if only.map({ column - 1 <= $0 }) ?? true {
            row.append(Sheet.Cell(text: text, location: SourceLocation(line: cellLine, column: column)))
        }
        cell.removeAll(keepingCapacity: true)
        cellLength = 0
        column += 1
        wasQuoted = false
    }

    private mutating func finishRow(_ body: ([Sheet.Cell]) -> Bool) -> Bool {
        defer {
            row.removeAll(keepingCapacity: true)
            column = 1
            rowHasText = false
        }
        guard rowHasText else { return true }
        return body(row)
    }
}
