import Foundation

/// How a vendor's name as an inventory writes it is compared with the
/// names of the catalogue (docs/rules-format.md, "Matching"): both are
/// reduced to the same normal form, setting aside case, spacing and
/// punctuation, diacritics (German umlauts as ae, oe, ue, ß as ss, æ and ø
/// as ae and oe), legal forms at the end ("Inc.", "GmbH & Co. KG", "AöR"),
/// a country after the name ("(Germany)", ", Deutschland") and "(formerly
/// …)". A trading name ("X LLC d/b/a Y") is looked up by either side.
struct VendorNameForms: Sendable {
    /// Lower-cased country names and codes, as a trailing country is recognised.
    private let countries: Set<String>

    /// Country names as words: a country after a name without a separator
    /// is one of these, never a code ("IT", "SE" are words and legal forms too).
    private let countryWords: Set<String>

    init(countryNames: some Sequence<String>, codes: some Sequence<String>) {
        let names = Set(countryNames.map { Self.fold($0) })
        countries = names.union(codes.map { Self.fold($0) })
        countryWords = Set(names.map { name in
            name.map { $0.isLetter || $0.isNumber ? String($0) : " " }.joined().split(separator: " ").joined(separator: " ")
        })
    }

    /// The legal forms set aside at the end of a name, as words after
    /// folding (punctuation gone): longest first, so that "gmbh and co kg"
    /// goes before "kg".
    static let legalForms: [[String]] = [
        "gmbh and co kgaa", "gmbh and co kg", "gmbh and co ohg", "ag and co kgaa", "ag and co kg", "se and co kgaa", "se and co kg",
        "anstalt des oeffentlichen rechts", "koerperschaft des oeffentlichen rechts",
        "incorporated", "corporation", "company", "limited", "l l c", "s p a", "s r l", "s a s", "s a r l", "s a", "b v", "n v", "a s", "e v",
        "inc", "corp", "co", "llc", "ltd", "plc", "gmbh", "ggmbh", "mbh", "ag", "se", "kg", "kgaa", "ohg", "ug", "aoer", "koer", "ev", "eg",
        "sa", "sas", "sarl", "spa", "srl", "bv", "nv", "ab", "publ", "as", "asa", "oy", "oyj", "aps", "lp", "llp", "pty",
    ].map { $0.split(separator: " ").map(String.init) }.sorted { $0.count > $1.count }

    /// The forms under which `name` is looked up: its normal form, and for a
    /// trading name each side's.
    func keys(_ name: String) -> [String] {
        let folded = Self.fold(name)
        let words = Set(folded.split(separator: " "))
        // Most names have none of these words: no search for them.
        if !words.isDisjoint(with: Self.markerWords) {
            for marker in [" d/b/a ", " dba ", " doing business as ", " trading as ", " t/a "] {
                if let range = Self.range(of: marker, in: folded) {
                    return [normalise(String(folded[..<range.lowerBound]), words: []), normalise(String(folded[range.upperBound...]), words: [])]
                        .filter { !$0.isEmpty }
                }
            }
        }
        let whole = normalise(folded, words: words)
        return whole.isEmpty ? [] : [whole]
    }

    /// Words of a trading name's marker, or of "(formerly …)", as a name's words hold them.
    private static let markerWords: Set<Substring> = ["d/b/a", "dba", "doing", "trading", "t/a"]
    private static let formerlyWords: Set<Substring> = ["formerly", "vormals", "ehemals", "frueher", "previously",
                                                        "(formerly", "(vormals", "(ehemals", "(frueher", "(previously"]

    /// The forms of a name with a country subsidiary's country taken off its
    /// end ("IBM Canada Limited" → "ibm", "Microsoft Deutschland GmbH" →
    /// "microsoft"): tried only when `keys` finds nothing, so that a company
    /// whose name holds a country ("Telekom Austria") is still matched whole.
    func withoutCountry(_ key: String) -> String? {
        var words = key.split(separator: " ").map(String.init)
        var stripped = false
        while words.count > 1 {
            guard let count = (1...min(3, words.count - 1)).reversed().first(where: { countryWords.contains(words.suffix($0).joined(separator: " ")) }) else {
                break
            }
            words.removeLast(count)
            stripped = true
            while let form = Self.legalForms.first(where: { words.count > $0.count && words.suffix($0.count).elementsEqual($0) }) {
                words.removeLast(form.count)
            }
        }
        return stripped ? words.joined(separator: " ") : nil
    }

    /// Where `needle` stands in `text` (the first, or the last), compared
    /// byte by byte: names are short, and the string searches of the
    /// standard library and of Foundation took most of the time the rule
    /// set took to load, 2000 names at each start.
    static func range(of needle: String, in text: String, last: Bool = false) -> Range<String.Index>? {
        let bytes = Array(needle.utf8), view = text.utf8
        guard !bytes.isEmpty, view.count >= bytes.count else { return nil }
        var found: Range<String.Index>?
        var start = view.startIndex
        while let end = view.index(start, offsetBy: bytes.count, limitedBy: view.endIndex) {
            if view[start..<end].elementsEqual(bytes) {
                found = start..<end
                if !last { return found }
            }
            start = view.index(after: start)
        }
        return found
    }

    /// Lower case, German transliteration, other diacritics removed, white space single.
    static func fold(_ name: String) -> String {
        // Most names are ASCII: lower case and single spaces byte by byte.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(name.utf8.count)
            for byte in name.utf8 {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    if let last = bytes.last, last != 0x20 { bytes.append(0x20) }
                } else {
                    bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
                }
            }
            if bytes.last == 0x20 { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = ""
        for character in name.lowercased() {
            switch character {
            case "ä": text += "ae"
            case "ö": text += "oe"
            case "ü": text += "ue"
            case "ß": text += "ss"
            // Letters no diacritic folding takes apart.
            case "æ": text += "ae"
            case "ø", "œ": text += "oe"
            case "ł": text += "l"
            case "đ": text += "d"
            case "þ": text += "th"
            default: text.append(character)
            }
        }
        // Most names are ASCII: Foundation's folding is for the others only.
        if !text.utf8.allSatisfy({ $0 < 0x80 }) { text = text.folding(options: [.diacriticInsensitive], locale: nil) }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The normal form of a folded name; `words`, its words when known
    /// (empty: unknown, so every form is looked for).
    private func normalise(_ folded: String, words known: Set<Substring>) -> String {
        var text = folded
        // "(formerly X)", "(vormals X)": what a vendor was called is not its name.
        for word in ["formerly", "vormals", "ehemals", "frueher", "previously"]
        where (known.isEmpty || !known.isDisjoint(with: Self.formerlyWords)) && Self.range(of: word, in: text) != nil {
            while let open = Self.range(of: "(" + word, in: text), let close = text[open.upperBound...].firstIndex(of: ")") {
                text.removeSubrange(open.lowerBound...close)
            }
            if let range = Self.range(of: ", " + word + " ", in: text) ?? Self.range(of: " " + word + " ", in: text) {
                text.removeSubrange(range.lowerBound...)
            }
        }
        while text.last == " " { text.removeLast() }
        while text.first == " " { text.removeFirst() }
        // A country after the name: "(Germany)", ", Deutschland", " - DE".
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("),
           countries.contains(String(text[text.index(after: open)..<text.index(before: text.endIndex)]).split(separator: " ").joined(separator: " ")) {
            text = String(text[..<open])
        } else if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "-") || $0 >= 0x80 }),
                  let separator = [", ", " - ", " – "].compactMap({ Self.range(of: $0, in: text, last: true) }).max(by: { $0.lowerBound < $1.lowerBound }),
                  countries.contains(String(text[separator.upperBound...])) {
            text = String(text[..<separator.lowerBound])
        }
        // Words: letters and digits; "&" reads as "and".
        var words: [String] = []
        var word = ""
        for character in text {
            // The text is folded: an ASCII letter is lower case.
            if character.asciiValue.map({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) ?? (character.isLetter || character.isNumber) {
                word.append(character)
                continue
            }
            if !word.isEmpty { words.append(word) }
            word = ""
            if character == "&" || character == "+" { words.append("and") }
        }
        if !word.isEmpty { words.append(word) }
        // Legal forms at the end, as long as a name is left.
        var stripped = true
        while stripped {
            stripped = false
            for form in Self.legalForms where words.count > form.count && words.suffix(form.count).elementsEqual(form) {
                words.removeLast(form.count)
                // "GmbH &" of "X GmbH & Co. KG" written without its "Co. KG".
                if words.last == "and", words.count > 1 { words.removeLast() }
                stripped = true
                break
            }
        }
        return words.joined(separator: " ")
    }
}
