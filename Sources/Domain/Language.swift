/// The language of what sovscan writes for people to read (`--lang`).
/// JSON and CSV keys stay English whatever it is.
public enum Language: String, CaseIterable, Sendable {
    case de, en

    /// As the environment asks: `LC_ALL`, else `LANG`, German when it starts
    /// with `de` (`de_DE.UTF-8`), else English.
    public static func of(environment: [String: String]) -> Language {
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        return locale.hasPrefix("de") ? .de : .en
    }

    /// A whole number with its thousands grouped as the language writes
    /// them: 1,397,425 or 1.397.425.
    public func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        let separator: Character = self == .de ? "." : ","
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(separator) }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
