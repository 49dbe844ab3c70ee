import Import

/// sovscan's CSV (RFC 4180) in the dialect Excel opens right: UTF-8 with a
/// byte-order mark (else Excel reads it as the system's code page and
/// garbles umlauts), and the delimiter of the user's list separator (`;` in
/// German Excel, else everything lands in one column). The cells, and their
/// guard against formula injection, stay as they are; where the delimiter
/// is ";", decimal numbers take a decimal comma.
public enum ExcelCSV {
    public static func convert(_ text: String, delimiter: Character) -> [UInt8] {
        var out = "\u{FEFF}"
        let rows = CSVTable.rows(of: text)
        // Where ";" separates, "," is the decimal mark: 46.2 is written 46,2, as German Excel reads a number;
        // in the columns whose every value is a number (a text "3.14" stays as it is).
        let width = rows.map(\.count).max() ?? 0
        let header = rows.first ?? []
        let numeric = delimiter != ";" ? [] : Set((0..<width).filter { column in
            // A column the inventory layout holds text in (a name, a product) is text, whatever it looks like.
            if column < header.count, InventoryColumns.all.contains(header[column]), InventoryColumns.kind(of: header[column]) == .text { return false }
            let values = rows.dropFirst().compactMap { column < $0.count && !$0[column].isEmpty ? $0[column] : nil }
            return !values.isEmpty && values.allSatisfy { isDecimal($0) || $0.allSatisfy { $0.isASCII && $0.isNumber } || ($0.hasPrefix("-") && $0.dropFirst().allSatisfy(\.isNumber)) }
        })
        for (number, row) in rows.enumerated() {
            out += row.enumerated().map { column, cell in
                let cell = number > 0 && numeric.contains(column) && isDecimal(cell) ? cell.replacingOccurrences(of: ".", with: ",") : cell
                return cell.contains { $0 == delimiter || $0 == "\"" || $0.isNewline }
                    ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: String(delimiter)) + "\r\n"
        }
        return Array(out.utf8)
    }

    /// "46.2", "-0.5", "21894600.00": digits, one point, digits.
    static func isDecimal(_ cell: String) -> Bool {
        let digits = cell.hasPrefix("-") ? cell.dropFirst() : Substring(cell)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
