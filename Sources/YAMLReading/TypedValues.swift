import Domain

/// The keys a mapping may hold: an enum whose raw values are the keys as written.
public protocol FieldKey: NamedCases, Equatable {}

/// A located YAML value, as the typed readers below read it: a `Node`, or a
/// value read straight from libyaml's events or written for a spreadsheet's
/// row (`RecordedValue`).
public protocol YAMLValue {
    var location: SourceLocation { get }
    var kind: ValueKind { get }
    /// The scalar; nil for a list or a mapping.
    var scalar: Scalar? { get }
    /// The items of a list; nil when this is no list.
    var items: [Self]? { get }
    /// Visits the entries of a mapping in order; false when this is no mapping.
    func forEachEntry(_ visit: (_ key: String, _ keyLocation: SourceLocation, _ value: Self) -> Void) -> Bool
    /// Whether this is a null: an empty plain value, `~` or `null`.
    var isNull: Bool { get }
}

/// What a value is: a scalar, a mapping or a list.
public enum ValueKind: Sendable {
    case scalar, mapping, sequence

    /// What a message calls this kind of value.
    public var description: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping (key: value pairs)"
        case .sequence: "a list"
        }
    }
}

/// A value read from inventory text by the type its field declares, never by
/// YAML 1.1 guessing: `NO` is a country code, `yes` a word, `0012` text.
extension YAMLValue {
    /// What a message calls this kind of value: "a mapping", "a list", "a single value".
    @inlinable
    public var kindDescription: String { kind.description }

    /// Whether this is a null: an empty plain value, `~` or `null`.
    @inlinable
    public var isNull: Bool {
        // Nulls are at most four bytes: most values are told apart without a comparison.
        guard let scalar, scalar.isPlain, scalar.value.utf8.count <= 4 else { return false }
        switch scalar.value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// Visits the entries of a mapping by key. Unknown keys are warnings with
    /// a suggestion (errors when `strict`, as in a plan, where an ignored key
    /// would change what it does), repeated keys errors, missing `required`
    /// keys errors. Returns false (after an error) when the node is not a mapping.
    @inlinable @discardableResult
    public func readMapping<Key: FieldKey>(
        _ keys: Key.Type, what: String, prefix: String = "", required: [Key] = [], strict: Bool = false,
        log: inout DiagnosticLog, _ visit: (Key, Self, inout DiagnosticLog) -> Void
    ) -> Bool {
        // Room for the keys of any inventory mapping (a system has 25), so that this allocates once.
        var seen: [(key: Key, location: SourceLocation, isGiven: Bool)] = []
        seen.reserveCapacity(32)
        let isMapping = forEachEntry { name, keyLocation, value in
            guard let key = Key.named(name) else {
                let suggestion = Suggestion.didYouMean(name, in: Key.allCases.map(\.rawValue))
                if strict {
                    log.error("unknown-key", at: keyLocation, "unknown key '\(prefix)\(name)' in \(what)"
                        + (suggestion.isEmpty ? "; the keys are \(Key.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))" : suggestion))
                } else {
                    log.warning("unknown-key", at: keyLocation,
                                "unknown key '\(prefix)\(name)' in \(what)\(suggestion.isEmpty ? "; it is ignored" : suggestion)")
                }
                return
            }
            if let first = seen.first(where: { $0.key == key }) {
                log.error("duplicate-key", at: keyLocation,
                          "duplicate key '\(prefix)\(name)' (first given at line \(first.location.line)); a key may appear once in a mapping")
                return
            }
            let isGiven = !value.isNull
            seen.append((key, keyLocation, isGiven))
            if isGiven { visit(key, value, &log) }
        }
        guard isMapping else {
            log.error("type", at: location, "\(what) must be a mapping (key: value pairs), not \(kindDescription)")
            return false
        }
        for key in required where !seen.contains(where: { $0.key == key && $0.isGiven }) {
            log.error("missing-field", at: location, "\(what) has no '\(prefix)\(key.rawValue)', which is required")
        }
        return true
    }

    /// The text of a scalar; nil for null or (after an error) for a list or mapping.
    @inlinable
    public func text(_ field: String, log: inout DiagnosticLog) -> String? {
        guard let scalar else {
            log.error("type", at: location, "'\(field)' must be a single value, not \(kindDescription)")
            return nil
        }
        return isNull ? nil : scalar.value
    }

    /// A slug `[a-z0-9][a-z0-9._-]*`.
    @inlinable
    public func slug(_ field: String, log: inout DiagnosticLog) -> String? {
        guard let value = text(field, log: &log) else { return nil }
        guard Self.isSlug(value) else {
            log.error("slug", at: location, "'\(field)' must be a slug (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit), not '\(value)'\(Self.slugHint(value))")
            return nil
        }
        return value
    }

    @inlinable
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

    @usableFromInline
    static func slugHint(_ value: String) -> String {
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
    @inlinable
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
    @inlinable
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
        // Ten billion euros a year is more than any one system costs; sums of
        // cents over a million such systems still fit in 64 bits.
        guard number.isFinite, number <= 10_000_000_000 else {
            log.error("range", at: location, "'\(field)' is too large to be a real amount (at most 10000000000): '\(value)'")
            return nil
        }
        guard number >= 0 else {
            log.error("range", at: location, "'\(field)' must not be negative, not \(value)")
            return nil
        }
        return number
    }

    /// `true` or `false`; YAML 1.1's `yes`/`no`/`on`/`off` are refused, not guessed.
    @inlinable
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
    @inlinable
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
    public func choice<Value: NamedCases>(_ field: String, _ type: Value.Type, log: inout DiagnosticLog) -> Value? {
        guard let value = text(field, log: &log) else { return nil }
        if let choice = Value.named(value) { return choice }
        let allowed = Value.allCases.map(\.rawValue)
        let suggestion = Suggestion.nearest(to: value, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
        log.error("enum", at: location, "'\(field)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'\(suggestion)")
        return nil
    }

    /// The items of a list; nil (after an error) when the node is not a list.
    @inlinable
    public func list(_ field: String, log: inout DiagnosticLog) -> [Self]? {
        if let items { return items }
        guard let scalar else {
            log.error("type", at: location, "'\(field)' must be a list, not a mapping")
            return nil
        }
        if isNull { return [] }
        log.error("type", at: location, "'\(field)' must be a list, e.g. [\(scalar.value)], not a single value")
        return nil
    }

    /// A list of texts, each checked by `check` (which reports its own errors).
    @inlinable
    public func texts(_ field: String, log: inout DiagnosticLog, check: (String, Self, inout DiagnosticLog) -> Bool = { _, _, _ in true }) -> [String] {
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
