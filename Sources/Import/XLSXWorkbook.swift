import Domain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The sheets of an Office Open XML workbook (`.xlsx`, ECMA-376 Part 1),
/// read with ZIPFoundation and the XML parser: shared and inline strings,
/// numbers, booleans and formula results, each cell at its row and column.
/// A part larger than `partLimit` once unpacked is refused as it is read (a
/// "zip bomb" stops there), and empty rows cost nothing kept.
public enum XLSXWorkbook {
    /// No part of a workbook of inventories unpacks to more than this.
    public static let partLimit = 256 << 20

    public static func sheets(path: String) throws(ImportProblem) -> [Sheet] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ImportProblem(description: "\(path): not a workbook that can be read (not a ZIP archive: \(error))")
        }
        func part(_ name: String) throws(ImportProblem) -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if data.count > partLimit { throw ImportProblem(description: "\(path): part \(name) unpacks to more than \(partLimit >> 20) MB; no workbook of inventories is that large") }
                }
            } catch let problem as ImportProblem {
                throw problem
            } catch {
                throw ImportProblem(description: "\(path): part \(name) cannot be unpacked: \(error)")
            }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw ImportProblem(description: "\(path): not an .xlsx workbook (it has no xl/workbook.xml)")
        }
        func malformed(_ part: String) -> ImportProblem {
            ImportProblem(description: "\(path): part \(part) is not well-formed XML")
        }
        guard let listed = parsed(workbook, by: WorkbookSheets())?.sheets else { throw malformed("xl/workbook.xml") }
        var relations: [String: String] = [:], shared: [String] = []
        if let data = try part("xl/_rels/workbook.xml.rels") {
            guard let parsed = parsed(data, by: Relations()) else { throw malformed("xl/_rels/workbook.xml.rels") }
            relations = parsed.targets
        }
        if let data = try part("xl/sharedStrings.xml") {
            guard let parsed = parsed(data, by: SharedStrings()) else { throw malformed("xl/sharedStrings.xml") }
            shared = parsed.strings
        }
        var sheets: [Sheet] = [], read: Set<String> = []
        for (name, relation) in listed {
            guard var target = relations[relation] else {
                throw ImportProblem(description: "\(path): sheet '\(name)' names a part the workbook does not list (relation \(relation))")
            }
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            guard read.insert(target).inserted else {
                throw ImportProblem(description: "\(path): sheet '\(name)' is part \(target), which another sheet is too; a workbook names each sheet's part once")
            }
            guard let entry = archive[target] else {
                throw ImportProblem(description: "\(path): sheet '\(name)' has no part \(target) in the archive")
            }
            let part = try UnpackedPart(entry, of: archive, path: path)
            let sheet = "\(path):\(name)"
            // Hands each row to `body` until it returns false.
            let shared = shared
            let rows: @Sendable (_ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) -> Void = { body throws(ImportProblem) in
                // From a stream, so that the parser takes the part in pieces (given a
                // part of more than 10 MB at once, libxml2 refuses it).
                guard let stream = InputStream(fileAtPath: part.file) else { throw ImportProblem(description: "\(path): sheet '\(name)' cannot be read") }
                let failure: ImportProblem? = withoutActuallyEscaping(body) { body in
                    let parser = SheetParser(shared: shared, body: body)
                    let xml = XMLParser(stream: stream)
                    xml.shouldProcessNamespaces = true
                    xml.delegate = parser
                    let parsed = xml.parse()
                    if let problem = parser.problem { return ImportProblem(description: "\(path): sheet '\(name)': \(problem)") }
                    guard parsed || parser.stopped else {
                        return ImportProblem(description: "\(path): sheet '\(name)' is not well-formed XML (\(xml.parserError.map { "\($0)" } ?? "unknown error"))")
                    }
                    return nil
                }
                if let failure { throw failure }
            }
            var header: [Sheet.Cell]?
            try rows { row in
                header = row
                return false
            }
            guard let header else { continue }
            // A workbook's cells cost the same, wanted or not: every column is read.
            sheets.append(Sheet(name: sheet, header: header, cellReferences: true) { _, body throws(ImportProblem) in
                var first = true
                try rows { row in
                    if first { first = false } else { body(row) }
                    return true
                }
            })
        }
        return sheets
    }

    /// `delegate` once it has read `data`, from a stream with namespaces
    /// resolved; nil when the part is not well-formed XML.
    private static func parsed<Delegate: NSObject & XMLParserDelegate>(_ data: Data, by delegate: Delegate) -> Delegate? {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        return parser.parse() ? delegate : nil
    }
}

/// A sheet's part unpacked into a file of its own (owner-only, removed
/// with the last sheet that reads it), so that each pass over its rows
/// reads it from disk rather than holding it.
private final class UnpackedPart: Sendable {
    let file: String

    init(_ entry: Entry, of archive: Archive, path: String) throws(ImportProblem) {
        var template = Array((NSTemporaryDirectory() + "/sovscan-sheet-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw ImportProblem(description: "\(path): no room to unpack a sheet: \(String(cString: strerror(errno)))") }
        file = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var size = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { piece in
                size += piece.count
                if size > XLSXWorkbook.partLimit {
                    throw ImportProblem(description: "\(path): part \(entry.path) unpacks to more than \(XLSXWorkbook.partLimit >> 20) MB; no workbook of inventories is that large")
                }
                try handle.write(contentsOf: piece)
            }
            try handle.close()
        } catch let problem as ImportProblem {
            throw problem
        } catch {
            throw ImportProblem(description: "\(path): part \(entry.path) cannot be unpacked: \(error)")
        }
    }

    deinit {
        unlink(file)
    }
}

/// `xl/workbook.xml`: the sheets in order, with their relation ids.
private final class WorkbookSheets: NSObject, XMLParserDelegate {
    var sheets: [(name: String, relation: String)] = []

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard element == "sheet", let name = attributes["name"] else { return }
        // The relation id is in the officeDocument relationships namespace (r:id).
        if let relation = attributes.first(where: { $0.key == "id" || $0.key.hasSuffix(":id") })?.value {
            sheets.append((name, relation))
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relation id → part.
private final class Relations: NSObject, XMLParserDelegate {
    var targets: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

/// `xl/sharedStrings.xml`: each `si` is the text of its `t` elements (rich text runs joined).
private final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = "", inText = false, inPhonetic = false

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch element {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, !inPhonetic { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}

/// A worksheet's cells, as dense rows from column A (empty cells filled
/// in) no wider than the header (the first row with text: a cell beyond it
/// has no column to go to), each handed over as it ends; rows without text
/// are left out. A cell that names no cell of a sheet, or a shared string
/// there is not, stops the reading.
private final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    let body: ([Sheet.Cell]) -> Bool
    private(set) var problem: String?
    private(set) var stopped = false
    private var row: [Int: String] = [:], rowNumber = 0, nextRow = 1, width = ColumnLetters.lastColumn, hasHeader = false
    private var cellColumn = 0, cellType = "", value = "", inValue = false, nextColumn = 1

    init(shared: [String], body: @escaping ([Sheet.Cell]) -> Bool) {
        self.shared = shared
        self.body = body
    }
    private func stop(_ parser: XMLParser, _ message: String) {
        problem = problem ?? message
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch element {
        case "row":
            guard let number = attributes["r"].map({ Int($0) }) ?? nextRow, (1...1_048_576).contains(number) else {
                return stop(parser, "row '\(attributes["r"] ?? "")' is no row of a sheet (1 to 1048576)")
            }
            rowNumber = number
            nextRow = rowNumber + 1
            row = [:]
            nextColumn = 1
        case "c":
            if let reference = attributes["r"] {
                let letters = reference.prefix { $0.isLetter }
                guard let column = ColumnLetters.number(letters), reference.dropFirst(letters.count).allSatisfy(\.isNumber) else {
                    return stop(parser, "cell '\(reference)' is no cell of a sheet (A1 to XFD1048576)")
                }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            nextColumn = cellColumn + 1
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "v", "t": inValue = false
        case "c":
            let text: String
            switch cellType {
            case "s":
                guard let index = Int(value), shared.indices.contains(index) else {
                    return stop(parser, "cell \(ColumnLetters.letters(cellColumn))\(rowNumber) names shared string \(value), which the workbook does not have")
                }
                text = shared[index]
            case "b": text = value == "1" ? "true" : "false"
            case "e": text = ""
            default: text = value
            }
            if !text.isEmpty, cellColumn <= width { row[cellColumn] = text }
        case "row":
            guard let last = row.keys.max(), row.values.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { return }
            if !hasHeader {
                hasHeader = true
                width = last
            }
            if !body((1...last).map({ Sheet.Cell(text: row[$0] ?? "", location: SourceLocation(line: rowNumber, column: $0)) })) {
                stopped = true
                parser.abortParsing()
            }
        default: break
        }
    }
}
