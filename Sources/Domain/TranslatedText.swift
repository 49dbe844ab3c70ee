/// A text of the rule set (a rule's title or rationale) in English and in
/// the languages the rule set translates it into. Encoded as its English,
/// so that JSON stays the same whatever `--lang` is.
public struct TranslatedText: Sendable, Equatable, Encodable {
    public var english: String
    public var translations: [Language: String]

    public init(_ english: String, translations: [Language: String] = [:]) {
        self.english = english
        self.translations = translations
    }

    /// The text in `language`, or its English where the rule set gives no translation.
    public func `in`(_ language: Language) -> String {
        translations[language] ?? english
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(english)
    }
}

/// A rule's title and rationale in one language other than English.
public struct RuleTranslation: Sendable, Equatable {
    public var title: String
    public var rationale: String

    public init(title: String, rationale: String) {
        self.title = title
        self.rationale = rationale
    }
}
