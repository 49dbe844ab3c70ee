/// A position in a source file, 1-based, as editors and compilers print it.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// How bad a diagnostic is: errors make the input invalid, warnings do not.
public enum Severity: String, Sendable, Codable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One finding about an input file, pinned to the line and column it concerns.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    public var severity: Severity
    /// A stable, machine-readable name of the problem, e.g. `unknown-key`.
    public var code: String
    public var message: String
    /// Whether the place is a spreadsheet's cell (`file` names the workbook
    /// and sheet, the line is the row): written `Anwendungen.xlsx:Systeme!F17`.
    public var isCell: Bool

    public init(file: String, location: SourceLocation, severity: Severity, code: String, message: String, isCell: Bool = false) {
        self.file = file
        self.location = location
        self.severity = severity
        self.code = code
        self.message = message
        self.isCell = isCell
    }

    /// gcc style, which editors and CI annotate: `path:LINE:COL: error: message`;
    /// a spreadsheet's cell as `book.xlsx:Sheet!F17: error: message`.
    public var description: String {
        guard isCell else { return "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)" }
        return "\(file)!\(ColumnLetters.letters(location.column))\(location.line): \(severity.rawValue): \(message)"
    }

    /// Sorts by file, then position, then errors before warnings, then text.
    public static func ordered(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        return lhs.message < rhs.message
    }
}

/// Collects the diagnostics of one file while it is read.
public struct DiagnosticLog: Sendable {
    public let file: String
    /// Whether places are a spreadsheet's cells (`Diagnostic.isCell`).
    public let cells: Bool
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String, cells: Bool = false) {
        self.file = file
        self.cells = cells
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func append(_ other: DiagnosticLog) {
        diagnostics.append(contentsOf: other.diagnostics)
    }

    public mutating func error(_ code: String, at location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .error, code: code, message: message, isCell: cells))
    }

    public mutating func warning(_ code: String, at location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .warning, code: code, message: message, isCell: cells))
    }
}
