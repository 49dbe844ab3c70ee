/// A spreadsheet's column letters: 1 is A, 26 Z, 27 AA, up to XFD (16,384),
/// the last column a workbook has.
public enum ColumnLetters {
    public static let lastColumn = 16_384

    /// The letters of column `number` (from 1).
    public static func letters(_ number: Int) -> String {
        var number = number, text = ""
        while number > 0 {
            text = String(UnicodeScalar(UInt8(65 + (number - 1) % 26))) + text
            number = (number - 1) / 26
        }
        return text
    }

    /// The column of upper-case letters ("AB" → 28); nil for anything else or past XFD.
    public static func number(_ letters: some StringProtocol) -> Int? {
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        var number = 0
        for scalar in letters.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { return nil }
            number = number * 26 + Int(scalar.value) - 64
        }
        return number <= lastColumn ? number : nil
    }
}
