import Domain
import Foundation
import GRDB

/// Rows as one SHA-256, taken alike by the server (in SQL, `sql`) and here
/// (over rows in hand, `add`), so that the rows a server holds can be
/// compared with a scan's without being sent. Each row is its values in
/// column order, each written as its length in bytes, a colon and its text
/// (`-` for null; a blob as `\x` and lowercase hex, as PostgreSQL writes
/// bytea; a number of a `floating` column as the hex of its IEEE 754 bits,
/// as `float8send` gives them, since the two engines spell such numbers
/// differently), so that no value's text can pass for another's; a line per
/// row.
struct RowDigest {
    /// The positions of the columns of floating-point numbers.
    let floating: Set<Int>
    private var bytes: [UInt8] = []
    private var rows = 0

    init(floating: Set<Int> = []) {
        self.floating = floating
    }

    mutating func add(_ row: [DatabaseValue]) {
        if rows > 0 { bytes.append(UInt8(ascii: "\n")) }
        rows += 1
        append(row)
    }

    /// A row as the digest takes it: two rows are the same when these bytes
    /// are (Swift's `==` on strings would take canonically equivalent
    /// spellings for the same).
    func bytes(of row: [DatabaseValue]) -> [UInt8] {
        var digest = RowDigest(floating: floating)
        digest.append(row)
        return digest.bytes
    }

    private mutating func append(_ row: [DatabaseValue]) {
        for (index, value) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if floating.contains(index), let number = Double.fromDatabaseValue(value) {
                appendDecimal(16)
                bytes.append(UInt8(ascii: ":"))
                let bits = number.bitPattern
                for shift in stride(from: 60, through: 0, by: -4) { bytes.append(Self.hexDigits[Int((bits >> UInt64(shift)) & 0xF)]) }
                continue
            }
            switch value.storage {
            case .null: bytes.append(UInt8(ascii: "-"))
            case .int64(let number): add(text: String(number).utf8)
            case .double(let number): add(text: String(number).utf8)
            case .string(let string): add(text: string.utf8)
            case .blob(let data):
                appendDecimal(2 + 2 * data.count)
                bytes.append(contentsOf: ":\\x".utf8)
                for byte in data {
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                }
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func add(text: String.UTF8View) {
        appendDecimal(text.count)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: text)
    }

    private mutating func appendDecimal(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    /// The digest of the rows added, in lowercase hex.
    var hex: String {
        String(decoding: ContentHash(of: bytes).data.flatMap { [Self.hexDigits[Int($0 >> 4)], Self.hexDigits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// The same digest of `columns` (those `floating` of double precision)
    /// of the rows `source` (a table and its condition) selects, in `order`,
    /// as one value. Run with `bytea_output` set to hex (PostgreSQL's default).
    static func sql(columns: [String], floating: Set<String> = [], source: String, order: String) -> String {
        let values = columns.map { column in
            let text = floating.contains(column) ? "encode(float8send(\"\(column)\"), 'hex')" : "CAST(\"\(column)\" AS text)"
            return "CASE WHEN \"\(column)\" IS NULL THEN '-' ELSE octet_length(\(text)) || ':' || \(text) END"
        }
        return """
            SELECT encode(sha256(convert_to(coalesce(string_agg(\(values.joined(separator: " || ',' || ")), E'\\n' ORDER BY \(order)), ''), 'UTF8')), 'hex')
            FROM \(source)
            """
    }
}
