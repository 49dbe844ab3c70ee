/// The Legal Entity Identifier of ISO 17442: 20 characters, letters and
/// digits, the last two check digits of ISO 7064 MOD 97-10 (the number the
/// characters make, letters counted A = 10 … Z = 35, leaves 1 divided by 97).
enum LegalEntityIdentifier {
    /// What is wrong with `text` as an LEI; nil when it is one.
    static func problem(_ text: String) -> String? {
        let characters = Array(text.utf8)
        guard characters.count == 20 else { return "must be 20 characters (ISO 17442), not \(characters.count)" }
        var remainder = 0
        for character in characters {
            let value: Int
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(character - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(character - UInt8(ascii: "A")) + 10
            default: return "must be upper-case letters and digits (ISO 17442), not '\(text)'"
            }
            remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97
        }
        return remainder == 1 ? nil : "'\(text)' fails the ISO 17442 check digits (ISO 7064 MOD 97-10); check it against the GLEIF record"
    }
}
