/// The keys a mapping may hold: an enum whose raw values are the keys as written.
public protocol FieldKey: RawRepresentable, CaseIterable, Equatable where RawValue == String {}

/// A value read from inventory text by the type its field declares, never by
/// YAML 1.1 guessing: `NO` is a country code, `yes` a word, `0012` text.
extension Node {
    /// Whether this is a null: an empty plain value, `~` or `null`.
    public var isNull: Bool {
        guard case .scalar(let scalar) = content, scalar.isPlain else { return false }
        switch scalar.value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// Visits the entries of a mapping by key. Unknown keys are warnings with
    /// a suggestion, repeated keys errors, missing `required` keys errors.
    /// Returns false (after an error) when the node is not a mapping.
    @inlinable @discardableResult
    public func readMapping<Key: FieldKey>(
        _ keys: Key.Type, what: String, prefix: String = "", required: [Key] = [],
        log: inout DiagnosticLog, _ visit: (Key, Node, inout DiagnosticLog) -> Void
    ) -> Bool {
        guard case .mapping(let entries) = content else {
            log.error("type", at: location, "\(what) must be a mapping (key: value pairs), not \(kindDescription)")
            return false
        }
        var seen: [(key: Key, location: SourceLocation)] = []
        var given: [Key] = []
        seen.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = Key(rawValue: entry.key) else {
                let suggestion = Suggestion.didYouMean(entry.key, in: Key.allCases.map(\.rawValue))
                log.warning("unknown-key", at: entry.keyLocation,
                            "unknown key '\(prefix)\(entry.key)' in \(what)\(suggestion.isEmpty ? "; it is ignored" : suggestion)")
                continue
            }
            if let first = seen.first(where: { $0.key == key }) {
                log.error("duplicate-key", at: entry.keyLocation,
                          "duplicate key '\(prefix)\(entry.key)' (first given at line \(first.location.line)); a key may appear once in a mapping")
                continue
            }
            seen.append((key, entry.keyLocation))
            if entry.value.isNull { continue }
            given.append(key)
            visit(key, entry.value, &log)
        }
        for key in required where !given.contains(key) {
            log.error("missing-field", at: location, "\(what) has no '\(prefix)\(key.rawValue)', which is required")
        }
        return true
    }

    /// The text of a scalar; nil for null or (after an error) for a list or mapping.
    public func text(_ field: String, log: inout DiagnosticLog) -> String? {
        switch content {
        case .scalar(let scalar):
            return isNull ? nil : scalar.value
        case .mapping, .sequence:
            log.error("type", at: location, "'\(field)' must be a single value, not \(kindDescription)")
            return nil
        }
    }

    /// A slug `[a-z0-9][a-z0-9._-]*`.
    public func slug(_ field: String, log: inout DiagnosticLog) -> String? {
        guard let value = text(field, log: &log) else { return nil }
        guard Self.isSlug(value) else {
            log.error("slug", at: location, "'\(field)' must be a slug (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit), not '\(value)'\(Self.slugHint(value))")
            return nil
        }
        return value
    }

    public static func isSlug(_ value: String) -> Bool {
        var first = true
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                break
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                if first { return false }
            default:
                return false
            }
            first = false
        }
        return !first
    }

    private static func slugHint(_ value: String) -> String {
        var hint = ""
        for character in value.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber || ".-_".contains(character) {
                hint.append(character)
            } else if character == " " {
                hint.append("-")
            }
        }
        while let first = hint.first, ".-_".contains(first) { hint.removeFirst() }
        return hint.isEmpty || hint == value ? "" : "; for example '\(hint)'"
    }

    /// A whole number in decimal within `range`.
    public func integer(_ field: String, in range: ClosedRange<Int>, log: inout DiagnosticLog) -> Int? {
        guard let value = text(field, log: &log) else { return nil }
        guard let number = Int(value) else {
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            log.error("type", at: location, "'\(field)' must be a whole number written in decimal digits, not '\(shown)'")
            return nil
        }
        guard range.contains(number) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            log.error("range", at: location, "'\(field)' must be \(bound), not \(number)")
            return nil
        }
        return number
    }

    /// A finite decimal number, not negative.
    public func amount(_ field: String, log: inout DiagnosticLog) -> Double? {
        guard let value = text(field, log: &log) else { return nil }
        let isDecimal = !value.isEmpty && value.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e")
                || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+")
        }
        guard isDecimal, let number = Double(value) else {
            log.error("type", at: location, "'\(field)' must be a number written in decimal (e.g. 380000 or 1250.50), not '\(value)'")
            return nil
        }
        guard number.isFinite else {
            log.error("range", at: location, "'\(field)' is too large to be a real amount: '\(value)'")
            return nil
        }
        guard number >= 0 else {
            log.error("range", at: location, "'\(field)' must not be negative, not \(value)")
            return nil
        }
        return number
    }

    /// `true` or `false`; YAML 1.1's `yes`/`no`/`on`/`off` are refused, not guessed.
    public func bool(_ field: String, log: inout DiagnosticLog) -> Bool? {
        guard let value = text(field, log: &log) else { return nil }
        switch value {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            log.error("type", at: location, "'\(field)' must be true or false, not '\(value)'")
            return nil
        }
    }

    /// A date `YYYY-MM-DD` that exists.
    public func day(_ field: String, log: inout DiagnosticLog) -> Day? {
        guard let value = text(field, log: &log) else { return nil }
        guard let day = Day(iso: value) else {
            if Day.looksLikeDate(value) {
                log.error("date", at: location, "'\(field)' is \(value), a date that does not exist")
            } else {
                log.error("date", at: location, "'\(field)' must be a date written YYYY-MM-DD (e.g. 2027-12-31), not '\(value)'")
            }
            return nil
        }
        return day
    }

    /// One of an enum's values, exactly as written in the format.
    @inlinable
    public func choice<Value: RawRepresentable & CaseIterable>(
        _ field: String, _ type: Value.Type, log: inout DiagnosticLog
    ) -> Value? where Value.RawValue == String {
        guard let value = text(field, log: &log) else { return nil }
        if let choice = Value(rawValue: value) { return choice }
        let allowed = Value.allCases.map(\.rawValue)
        let suggestion = Suggestion.nearest(to: value, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
        log.error("enum", at: location, "'\(field)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'\(suggestion)")
        return nil
    }

    /// The items of a list; nil (after an error) when the node is not a list.
    public func list(_ field: String, log: inout DiagnosticLog) -> [Node]? {
        switch content {
        case .sequence(let items):
            return items
        case .scalar where isNull:
            return []
        case .scalar(let scalar):
            log.error("type", at: location, "'\(field)' must be a list, e.g. [\(scalar.value)], not a single value")
            return nil
        case .mapping:
            log.error("type", at: location, "'\(field)' must be a list, not a mapping")
            return nil
        }
    }

    /// A list of texts, each checked by `check` (which reports its own errors).
    public func texts(_ field: String, log: inout DiagnosticLog, check: (String, Node, inout DiagnosticLog) -> Bool = { _, _, _ in true }) -> [String] {
        guard let items = list(field, log: &log) else { return [] }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            if let value = item.text(field, log: &log), check(value, item, &log) {
                result.append(value)
            }
        }
        return result
    }
}
