/// The guard of a CSV cell against formula injection. A spreadsheet runs a
/// cell that starts with "=", "+", "-", "@", a tab or a carriage return as a
/// formula, so such a cell is written with a leading apostrophe (shown, not
/// run); so is one that already starts with an apostrophe before such a
/// character, so that reading takes exactly one apostrophe off.
public enum FormulaGuard {
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a cell needs the guard: it starts with a trigger, or with an apostrophe and a text that needs it.
    static func needsGuard(_ text: Substring) -> Bool {
        guard let first = text.first else { return false }
        return triggers.contains(first) || (first == "'" && needsGuard(text.dropFirst()))
    }

    public static func guarded(_ text: String) -> String {
        needsGuard(Substring(text)) ? "'" + text : text
    }

    /// The cell as it was before `guarded`.
    public static func unguarded(_ text: String) -> String {
        text.first == "'" && needsGuard(text.dropFirst()) ? String(text.dropFirst()) : text
    }
}
