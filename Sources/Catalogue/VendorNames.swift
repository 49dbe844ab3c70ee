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
        for marker in [" d/b/a ", " dba ", " doing business as ", " trading as ", " t/a "] {
            if let range = folded.range(of: marker) {
                return [normalise(String(folded[..<range.lowerBound])), normalise(String(folded[range.upperBound...]))].filter { !$0.isEmpty }
            }
        }
        let whole = normalise(folded)
        return whole.isEmpty ? [] : [whole]
    }

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

    /// Lower case, German transliteration, other diacritics removed, white space single.
    static func fold(_ name: String) -> String {
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
        text = text.folding(options: [.diacriticInsensitive], locale: nil)
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The normal form of a folded name.
    private func normalise(_ folded: String) -> String {
        var text = folded
        // "(formerly X)", "(vormals X)": what a vendor was called is not its name.
        for word in ["formerly", "vormals", "ehemals", "frueher", "previously"] {
            while let open = text.range(of: "(" + word), let close = text[open.upperBound...].firstIndex(of: ")") {
                text.removeSubrange(open.lowerBound...close)
            }
            if let range = text.range(of: ", " + word + " ") ?? text.range(of: " " + word + " ") {
                text.removeSubrange(range.lowerBound...)
            }
        }
        text = text.trimmingCharacters(in: .whitespaces)
        // A country after the name: "(Germany)", ", Deutschland", " - DE".
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("), countries.contains(text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)) {
            text = String(text[..<open])
        } else if let separator = [", ", " - ", " – "].compactMap({ text.range(of: $0, options: .backwards) }).max(by: { $0.lowerBound < $1.lowerBound }),
                  countries.contains(String(text[separator.upperBound...])) {
            text = String(text[..<separator.lowerBound])
        }
        // Words: letters and digits; "&" reads as "and".
        var words: [String] = []
        var word = ""
        for character in text {
            if character.isLetter || character.isNumber {
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
