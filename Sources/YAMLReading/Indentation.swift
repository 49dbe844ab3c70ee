/// What is probably wrong with the indentation of the line where libyaml
/// stopped, worked out from the lines before it: the levels a line may start
/// at are those of the keys and list items above that are still open.
struct IndentationLevels {
    private struct Level {
        var column: Int
        var isListItem: Bool
    }

    /// Open levels, outermost first.
    private var levels: [Level] = []
    /// The level of the line just read when it opens a block (`key:` or `-` with nothing after it).
    private var openingColumn: Int?

    /// Takes in one line above the one libyaml stopped at.
    mutating func read(_ line: ArraySlice<UInt8>) {
        // A new document starts with no open levels, as the parallel reader starts it.
        if line.starts(with: "---".utf8) || line.starts(with: "...".utf8) {
            self = IndentationLevels()
            return
        }
        guard let shape = LineShape(line) else { return }
        levels.removeAll { $0.column > shape.indent || ($0.column == shape.indent && $0.isListItem == shape.isListItem) }
        levels.append(Level(column: shape.indent, isListItem: shape.isListItem))
        if shape.isListItem, shape.contentIndent < line.count {
            levels.append(Level(column: shape.contentIndent, isListItem: false))
        }
        openingColumn = shape.opensBlock ? shape.contentIndent : nil
    }

    /// Why `line` probably does not fit, said as a parenthesised hint to
    /// libyaml's `problem` at `problemColumn` (1-based) of that line.
    func hint(for line: ArraySlice<UInt8>, problem: String, problemColumn: Int) -> String {
        let unclear = "(check the indentation of this line and the one above)"
        guard let shape = LineShape(line) else { return unclear }
        let fits = levels.contains { $0.column == shape.indent && (shape.isListItem || !$0.isListItem) }
            || (openingColumn.map { shape.indent > $0 } ?? false)
        if fits {
            if problem == "mapping values are not allowed in this context", let colon = shape.keyColon, problemColumn > colon + 1 {
                return "(probably a ': ' inside a value; put the value in quotes)"
            }
            return unclear
        }
        let siblings = levels.filter { $0.isListItem == shape.isListItem }
        // The nearest open level, the innermost on a tie.
        guard let nearest = siblings.reversed().min(by: { abs($0.column - shape.indent) < abs($1.column - shape.indent) }) else {
            return unclear
        }
        let spaces = shape.indent == 1 ? "1 space" : "\(shape.indent) spaces"
        if shape.isListItem {
            return "(probably wrong indentation: this list item is indented \(spaces), the items above it \(nearest.column))"
        }
        let key = shape.key.map { "'\($0)'" } ?? "this line"
        return "(probably wrong indentation: \(key) is indented \(spaces), its siblings \(nearest.column))"
    }

    /// The 1-based column of the first tab in the line's indentation, if there is one.
    static func tabColumn(in line: ArraySlice<UInt8>) -> Int? {
        let indentation = line.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        return indentation.firstIndex(of: UInt8(ascii: "\t")).map { $0 - line.startIndex + 1 }
    }
}

/// The parts of a block-style line that indentation is about.
private struct LineShape {
    /// Spaces before the content (or before the `-` of a list item).
    var indent: Int
    var isListItem: Bool
    /// Where the content after a list item's `- ` starts; `indent` for other lines.
    var contentIndent: Int
    /// The key of `key: value`, and the 0-based column of its colon.
    var key: String?
    var keyColon: Int?
    var opensBlock: Bool

    /// nil for a blank or comment line.
    init?(_ line: ArraySlice<UInt8>) {
        let bytes = Array(line)
        let space = UInt8(ascii: " ")
        let indent = bytes.prefix { $0 == space }.count
        guard indent < bytes.count, bytes[indent] != UInt8(ascii: "#") else { return nil }
        let isListItem = bytes[indent] == UInt8(ascii: "-") && (indent + 1 == bytes.count || bytes[indent + 1] == space)
        let contentIndent = isListItem ? indent + 1 + bytes[(indent + 1)...].prefix { $0 == space }.count : indent
        let colon = bytes.indices.dropFirst(contentIndent).first {
            bytes[$0] == UInt8(ascii: ":") && ($0 + 1 == bytes.count || bytes[$0 + 1] == space)
        }
        let rest = colon.map { bytes[($0 + 1)...] } ?? (isListItem ? bytes[contentIndent...] : [])
        let value = rest.drop { $0 == space }
        self.indent = indent
        self.isListItem = isListItem
        self.contentIndent = contentIndent
        keyColon = colon
        key = colon.map { String(decoding: bytes[contentIndent..<$0], as: UTF8.self) }
        opensBlock = (colon != nil || isListItem) && (value.isEmpty || value.first == UInt8(ascii: "#"))
    }
}
