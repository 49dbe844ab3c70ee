import Domain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import CXML2
import CZlibCRC
import Synchronization
import ZIPFoundation

/// The sheets of an Office Open XML workbook (`.xlsx`, ECMA-376 Part 1),
/// read with ZIPFoundation; the small parts with Foundation's XML parser, a
/// sheet through libxml2's SAX interface: shared and inline strings,
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
            try unpack(entry, of: archive, path: path) { data.append($0) }
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
            let passes = SheetPasses(try UnpackedPart(entry, of: archive, path: path), shared: shared, path: path, sheet: name)
            // The header from the XML (a sheet no import reads costs no more); the rows after it from its cells.
            guard let header = try passes.header() else { continue }
            sheets.append(Sheet(name: "\(path):\(name)", header: header, cellReferences: true) { only, body throws(ImportProblem) in
                var first = true
                try passes.forEachRow(only: only) { row in
                    if first { first = false } else { body(row) }
                    return true
                }
            })
        }
        return sheets
    }

    /// Unpacks `entry` a piece at a time into `consume`, refusing a part
    /// that unpacks to more than `partLimit` as it is read, or whose CRC-32
    /// is not the one the archive gives (checked with zlib's).
    static func unpack(_ entry: Entry, of archive: Archive, path: String, into consume: (Data) throws -> Void) throws(ImportProblem) {
        var size = 0, checksum = crc32(0, nil, 0)
        do {
            _ = try archive.extract(entry, skipCRC32: true) { piece in
                size += piece.count
                if size > partLimit {
                    throw ImportProblem(description: "\(path): part \(entry.path) unpacks to more than \(partLimit >> 20) MB; no workbook of inventories is that large")
                }
                // An empty piece adds nothing (and zlib would take a missing buffer for a new start).
                if !piece.isEmpty {
                    checksum = piece.withUnsafeBytes { crc32(checksum, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count)) }
                }
                try consume(piece)
            }
        } catch let problem as ImportProblem {
            throw problem
        } catch {
            throw ImportProblem(description: "\(path): part \(entry.path) cannot be unpacked: \(error)")
        }
        guard checksum == uLong(entry.checksum) else {
            throw ImportProblem(description: "\(path): part \(entry.path) is damaged (its CRC-32 is not the one the archive records); save the workbook again")
        }
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
/// once its cells are read), so that its XML is parsed from disk rather
/// than held.
private final class UnpackedPart: Sendable {
    let file: String

    init(_ entry: Entry, of archive: Archive, path: String) throws(ImportProblem) {
        var template = Array((NSTemporaryDirectory() + "/sovscan-sheet-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw ImportProblem(description: "\(path): no room to unpack a sheet: \(String(cString: strerror(errno)))") }
        file = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try XLSXWorkbook.unpack(entry, of: archive, path: path) { piece in try handle.write(contentsOf: piece) }
        do {
            try handle.close()
        } catch {
            throw ImportProblem(description: "\(path): part \(entry.path) cannot be unpacked: \(error)")
        }
    }

    deinit {
        unlink(file)
    }
}

/// The passes over a sheet's rows: its header read from the XML (stopping
/// there), and the rows of the first pass after it converted once into
/// `SheetCells`, which every pass then reads. A sheet that no pass reads is
/// never read past its header.
private final class SheetPasses: Sendable {
    private enum State {
        case xml(UnpackedPart)
        case cells(SheetCells)
    }

    private let state: Mutex<State>
    private let shared: [String]
    private let path: String, sheet: String

    init(_ part: UnpackedPart, shared: [String], path: String, sheet: String) {
        state = Mutex(.xml(part))
        self.shared = shared
        self.path = path
        self.sheet = sheet
    }

    /// The first row with text; nil when the sheet has none.
    func header() throws(ImportProblem) -> [Sheet.Cell]? {
        guard case .xml(let part) = state.withLock({ $0 }) else { preconditionFailure("the header is read before the rows") }
        var header: [Sheet.Cell]?
        let reader = SheetReader(shared: shared) { line, values in
            header = values.enumerated().map { Sheet.Cell(text: $1.text(shared: self.shared), location: SourceLocation(line: line, column: $0 + 1)) }
            return false
        }
        try check(reader.read(file: part.file))
        return header
    }

    func forEachRow(only: Int?, _ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) {
        let cells = try state.withLock { state throws(ImportProblem) -> SheetCells in
            switch state {
            case .cells(let cells): return cells
            case .xml(let part):
                let cells = try SheetCells(part, shared: shared) { reading throws(ImportProblem) in try check(reading) }
                state = .cells(cells)
                return cells
            }
        }
        try cells.forEachRow(only: only, body)
    }

    private func check(_ reading: SheetReading) throws(ImportProblem) {
        switch reading {
        case .read: break
        case .unreadable: throw ImportProblem(description: "\(path): sheet '\(sheet)' cannot be read")
        case .wrong(let problem): throw ImportProblem(description: "\(path): sheet '\(sheet)': \(problem)")
        case .malformed(let error): throw ImportProblem(description: "\(path): sheet '\(sheet)' is not well-formed XML (\(error))")
        }
    }
}

/// A sheet's rows with text, as its XML gives them, read once and kept as
/// plain cells in a private file (owner-only, removed with the sheet): each
/// pass over the rows reads cells rather than parsing the XML again, and no
/// more than a piece of the file is held at a time.
///
/// A row is its number, how many columns it spans and how many of its
/// cells have a value (each 32-bit, little-endian), then those cells, each
/// its column and either its length and UTF-8, or (the high bit set) the
/// index of its shared string: a string a workbook shares takes no more
/// room here than in the workbook.
private final class SheetCells: Sendable {
    let file: String
    let shared: [String]
    private static let sharedBit = 1 << 31

    init(_ part: UnpackedPart, shared: [String], check: (SheetReading) throws(ImportProblem) -> Void) throws(ImportProblem) {
        self.shared = shared
        var template = Array((NSTemporaryDirectory() + "/sovscan-cells-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw ImportProblem(description: "no room to read a sheet: \(String(cString: strerror(errno)))") }
        file = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var buffer: [UInt8] = [], failure: (any Error)?
        buffer.reserveCapacity(CSVTable.pieceSize + 4096)
        func flush() {
            guard failure == nil else { return }
            do { try output.write(contentsOf: buffer) } catch { failure = error }
            buffer.removeAll(keepingCapacity: true)
        }
        func append(_ number: Int) {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: number).littleEndian) { buffer.append(contentsOf: $0) }
        }
        let reader = SheetReader(shared: shared) { line, values in
            append(line)
            append(values.count)
            append(values.count { !$0.isEmpty })
            for (index, value) in values.enumerated() {
                switch value {
                case .empty: continue
                case .text(let text):
                    append(index + 1)
                    append(text.utf8.count)
                    buffer.append(contentsOf: text.utf8)
                case .shared(let string):
                    append(index + 1)
                    append(Self.sharedBit | string)
                }
                if buffer.count >= CSVTable.pieceSize { flush() }
            }
            return failure == nil
        }
        let reading = reader.read(file: part.file)
        flush()
        do {
            try output.close()
        } catch {
            failure = failure ?? error
        }
        try check(reading)
        if let failure { throw ImportProblem(description: "no room to read a sheet: \(failure)") }
    }

    deinit {
        unlink(file)
    }

    /// Hands `body` each row until it returns false; with `only`, the text
    /// of that column only (the others left empty).
    func forEachRow(only: Int?, _ body: ([Sheet.Cell]) -> Bool) throws(ImportProblem) {
        guard let input = FileHandle(forReadingAtPath: file) else { throw ImportProblem(description: "\(file) cannot be read") }
        defer { try? input.close() }
        var bytes: [UInt8] = [], position = 0, ended = false
        /// Whether `count` more bytes are at hand, reading on as needed.
        func available(_ count: Int) throws(ImportProblem) -> Bool {
            while bytes.count - position < count, !ended {
                let piece: Data
                do {
                    piece = try input.read(upToCount: CSVTable.pieceSize) ?? Data()
                } catch {
                    throw ImportProblem(description: "\(file) cannot be read: \(error)")
                }
                bytes.removeFirst(position)
                position = 0
                bytes.append(contentsOf: piece)
                ended = piece.isEmpty
            }
            return bytes.count - position >= count
        }
        func number() -> Int {
            let value = Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16 | Int(bytes[position + 3]) << 24
            position += 4
            return value
        }
        let damaged = ImportProblem(description: "\(file), the cells read from a sheet, is damaged")
        while try available(1) {
            guard try available(12) else { throw damaged }
            let line = number(), span = number(), cells = number()
            guard span >= 1, cells <= span else { throw damaged }
            var row = (0..<span).map { Sheet.Cell(text: "", location: SourceLocation(line: line, column: $0 + 1)) }
            for _ in 0..<cells {
                guard try available(8) else { throw damaged }
                let column = number(), length = number()
                guard (1...span).contains(column) else { throw damaged }
                let wanted = only.map { $0 == column - 1 } ?? true
                if length & Self.sharedBit != 0 {
                    guard shared.indices.contains(length & ~Self.sharedBit) else { throw damaged }
                    if wanted { row[column - 1].text = shared[length & ~Self.sharedBit] }
                } else {
                    guard try available(length) else { throw damaged }
                    if wanted { row[column - 1].text = String(decoding: bytes[position..<position + length], as: UTF8.self) }
                    position += length
                }
            }
            if !body(row) { return }
        }
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

/// How reading a sheet ended.
private enum SheetReading {
    case read
    case unreadable
    /// A cell that names no cell, or a shared string there is not.
    case wrong(String)
    /// libxml2's message.
    case malformed(String)
}

/// A worksheet's cells, as dense rows from column A (empty cells filled
/// in) no wider than the header (the first row with text: a cell beyond it
/// has no column to go to), each handed over as it ends; rows without text
/// are left out. A cell that names no cell of a sheet, or a shared string
/// there is not, stops the reading. Read through libxml2's SAX interface
/// from the file a piece at a time: a sheet of a hundred thousand rows
/// costs no object per element.
private final class SheetReader {
    /// A cell's value as the sheet gives it: text, or a shared string by its index.
    enum Value {
        case empty
        case text(String)
        case shared(Int)

        var isEmpty: Bool {
            if case .empty = self { true } else { false }
        }

        func text(shared strings: [String]) -> String {
            switch self {
            case .empty: ""
            case .text(let text): text
            case .shared(let index): strings[index]
            }
        }
    }

    /// What a cell's `t` attribute says its value is.
    private enum CellType {
        /// `s`: the index of a shared string.
        case shared
        /// `b`: 1 or 0.
        case boolean
        /// `e`: an error (`#DIV/0!`), read as no value.
        case error
        /// A number, an inline string (`inlineStr`), a formula's text (`str`) or a date (`d`): the text as it is.
        case text
    }

    let shared: [String]
    /// Each row with a value: its number, and its values by column from 1 (the first at index 0).
    let body: (_ line: Int, _ values: ArraySlice<Value>) -> Bool
    private var problem: String?
    private var stopped = false
    /// The row's values, by column from 1 (index 0 unused).
    private var row: [Value] = [.empty], rowHasText = false
    private var rowNumber = 0, nextRow = 1, width = ColumnLetters.lastColumn, hasHeader = false
    private var cellColumn = 0, cellType = CellType.text, value: [UInt8] = [], inValue = false, nextColumn = 1

    init(shared: [String], body: @escaping (_ line: Int, _ values: ArraySlice<Value>) -> Bool) {
        self.shared = shared
        self.body = body
    }

    func read(file: String) -> SheetReading {
        guard let input = FileHandle(forReadingAtPath: file) else { return .unreadable }
        defer { try? input.close() }
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, name, _, _, _, _, count, _, attributes in
            SheetReader.from(context).start(name, count: Int(count), attributes)
        }
        handler.endElementNs = { context, name, _, _ in
            SheetReader.from(context).end(name)
        }
        handler.characters = { context, text, length in
            SheetReader.from(context).characters(text, Int(length))
        }
        handler.cdataBlock = handler.characters
        guard let parser = xmlCreatePushParserCtxt(&handler, Unmanaged.passUnretained(self).toOpaque(), nil, 0, nil) else { return .unreadable }
        defer { xmlFreeParserCtxt(parser) }
        // No network, no external entities or DTDs.
        xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue))
        while !stopped {
            let piece: Data
            do {
                piece = try input.read(upToCount: CSVTable.pieceSize) ?? Data()
            } catch {
                return .unreadable
            }
            let status = piece.withUnsafeBytes { bytes in
                xmlParseChunk(parser, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), piece.isEmpty ? 1 : 0)
            }
            if let problem { return .wrong(problem) }
            if status != 0, !stopped {
                let error = xmlCtxtGetLastError(parser).map { String(cString: $0.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines) }
                return .malformed("line \(xmlSAX2GetLineNumber(parser)): \(error ?? "error \(status)")")
            }
            if piece.isEmpty { break }
        }
        return .read
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> SheetReader {
        Unmanaged<SheetReader>.fromOpaque(context!).takeUnretainedValue()
    }

    private func stop(_ message: String) {
        problem = problem ?? message
        stopped = true
    }

    /// Whether the element name is `literal`.
    private static func named(_ name: UnsafePointer<xmlChar>?, _ literal: StaticString) -> Bool {
        guard let name else { return false }
        return strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self),
                      UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// The value of the unprefixed attribute `literal`, from libxml2's list
    /// of (name, prefix, URI, value, end) per attribute.
    private static func attribute(_ literal: StaticString, count: Int,
                                  _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> UnsafeBufferPointer<UInt8>? {
        guard let attributes else { return nil }
        for index in 0..<count {
            let base = index * 5
            guard attributes[base + 1] == nil, named(attributes[base], literal), let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// A cell reference's column ("AB17" → 28), nil when it names no cell.
    private static func column(of reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0, index = 0
        while index < reference.count, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(reference[index]) {
            column = column * 26 + Int(reference[index] - UInt8(ascii: "A")) + 1
            index += 1
            if column > ColumnLetters.lastColumn { return nil }
        }
        guard column > 0, reference[index...].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return column
    }

    private func start(_ name: UnsafePointer<xmlChar>?, count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard !stopped else { return }
        if Self.named(name, "c") {
            if let reference = Self.attribute("r", count: count, attributes) {
                guard let column = Self.column(of: reference) else {
                    return stop("cell '\(String(decoding: reference, as: UTF8.self))' is no cell of a sheet (A1 to XFD1048576)")
                }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            nextColumn = cellColumn + 1
            cellType = switch Self.attribute("t", count: count, attributes).map(Array.init) {
            case [UInt8(ascii: "s")]: .shared
            case [UInt8(ascii: "b")]: .boolean
            case [UInt8(ascii: "e")]: .error
            default: .text
            }
            value.removeAll(keepingCapacity: true)
        } else if Self.named(name, "v") || Self.named(name, "t") {
            inValue = true
        } else if Self.named(name, "row") {
            let reference = Self.attribute("r", count: count, attributes).map { String(decoding: $0, as: UTF8.self) }
            guard let number = reference.map({ Int($0) }) ?? nextRow, (1...1_048_576).contains(number) else {
                return stop("row '\(reference ?? "")' is no row of a sheet (1 to 1048576)")
            }
            rowNumber = number
            nextRow = rowNumber + 1
            row.removeAll(keepingCapacity: true)
            row.append(.empty)
            rowHasText = false
            nextColumn = 1
        }
    }

    /// Digits as a number; nil for anything else.
    private static func number(_ digits: [UInt8]) -> Int? {
        guard !digits.isEmpty, digits.count < 10 else { return nil }
        var number = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            number = number * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return number
    }

    private func characters(_ text: UnsafePointer<xmlChar>?, _ length: Int) {
        guard inValue, !stopped, let text else { return }
        value.append(contentsOf: UnsafeBufferPointer(start: text, count: length))
    }

    private func end(_ name: UnsafePointer<xmlChar>?) {
        guard !stopped else { return }
        if Self.named(name, "v") || Self.named(name, "t") {
            inValue = false
        } else if Self.named(name, "c") {
            guard cellColumn <= width else { return }
            let cell: Value
            switch cellType {
            case .shared:
                guard let index = Self.number(value), shared.indices.contains(index) else {
                    return stop("cell \(ColumnLetters.letters(cellColumn))\(rowNumber) names shared string \(String(decoding: value, as: UTF8.self)), which the workbook does not have")
                }
                guard !shared[index].isEmpty else { return }
                cell = .shared(index)
                if !rowHasText { rowHasText = Sheet.hasText(shared[index].utf8) }
            case .boolean:
                cell = .text(value == [UInt8(ascii: "1")] ? "true" : "false")
                rowHasText = true
            case .error: return
            case .text:
                guard !value.isEmpty else { return }
                cell = .text(String(decoding: value, as: UTF8.self))
                if !rowHasText { rowHasText = Sheet.hasText(value) }
            }
            while row.count <= cellColumn { row.append(.empty) }
            row[cellColumn] = cell
        } else if Self.named(name, "row") {
            guard rowHasText else { return }
            let last = row.count - 1
            if !hasHeader {
                hasHeader = true
                width = last
            }
            if !body(rowNumber, row[1...last]) {
                stopped = true
            }
        }
    }
}
