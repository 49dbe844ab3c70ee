import Catalogue
import Domain
import YAMLReading

/// A condition over facts; there is no negation, so that a worse answer can
/// never make a rule stop firing.
public indirect enum Condition: Sendable, Hashable {
    case isOneOf(fact: Int, values: [String])
    case atLeast(fact: Int, value: Int)
    case atMost(fact: Int, value: Int)
    case contains(fact: Int, value: String)
    case notEmpty(fact: Int)
    case all([Condition])
    case any([Condition])

    public func holds(for facts: Facts) -> Bool {
        switch self {
        case .isOneOf(let fact, let values):
            if case .word(let word) = facts[fact] { return values.contains(word) }
            return false
        case .atLeast(let fact, let value):
            if case .number(let number?) = facts[fact] { return number >= value }
            return false
        case .atMost(let fact, let value):
            if case .number(let number?) = facts[fact] { return number <= value }
            return false
        case .contains(let fact, let value):
            if case .list(let items) = facts[fact] { return items.contains(value) }
            return false
        case .notEmpty(let fact):
            if case .list(let items) = facts[fact] { return !items.isEmpty }
            return false
        case .all(let conditions):
            return conditions.allSatisfy { $0.holds(for: facts) }
        case .any(let conditions):
            return conditions.contains { $0.holds(for: facts) }
        }
    }
}

/// One scoring rule: what it looks for, what it costs, and why. A class, so
/// that the findings of a hundred thousand systems share one copy.
public final class Rule: Sendable, Hashable {
    public let id: String
    public let dimension: Dimension
    public let title: String
    public let condition: Condition
    public let points: Int
    public let rationale: String
    /// The title and rationale in other languages (`translations:`); the
    /// shipped rules give German for every rule.
    public let translations: [Language: RuleTranslation]
    public let sources: [Source]
    public let triggering: [Node]
    public let notTriggering: [Node]
    public let location: SourceLocation

    init(id: String, dimension: Dimension, title: String, condition: Condition, points: Int, rationale: String,
         translations: [Language: RuleTranslation], sources: [Source], triggering: [Node], notTriggering: [Node], location: SourceLocation) {
        self.id = id
        self.dimension = dimension
        self.title = title
        self.condition = condition
        self.points = points
        self.rationale = rationale
        self.translations = translations
        self.sources = sources
        self.triggering = triggering
        self.notTriggering = notTriggering
        self.location = location
    }

    public static func == (lhs: Rule, rhs: Rule) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A named set of alternative points.
public struct Profile: Sendable {
    public var id: String
    public var description: String
    public var points: [String: Int]
}

enum RuleKey: String, FieldKey { case id, dimension, title, when, points, rationale, translations, source, sources, examples }
/// The languages a rule may be translated into: those of `--lang` but English, the rule's own.
enum TranslationLanguageKey: String, FieldKey { case de }
enum TranslationKey: String, FieldKey { case title, rationale }
enum ConditionKey: String, FieldKey {
    case fact, `is`, `in`, all, any, contains
    case atLeast = "at_least"
    case atMost = "at_most"
    case notEmpty = "not_empty"
}
enum ExamplesKey: String, FieldKey {
    case triggering
    case notTriggering = "not_triggering"
}
enum ProfileKey: String, FieldKey { case id, description, points }
enum RulesFileKey: String, FieldKey {
    case rules, profiles
    case scoringRules = "scoring_rules"
}

/// Reads `rules.yaml`, checking every condition against the fact vocabulary.
enum RulesFileReader {
    static func read(path: String, log: inout DiagnosticLog) -> (rules: [Rule], profiles: [Profile]) {
        guard let root = SingleDocument.read(path: path, log: &log) else { return ([], []) }
        var rules: [Rule] = [], profiles: [Profile] = []
        var profileNodes: [Node] = []
        root.readMapping(RulesFileKey.self, what: "rules file", required: [.rules, .scoringRules], log: &log) { key, value, log in
            switch key {
            case .rules:
                if let version = value.text("rules", log: &log), version != "1" {
                    log.error("version", at: value.location, "unsupported rule set format version '\(version)'; this sovscan reads version 1")
                }
            case .scoringRules:
                for item in value.list("scoring_rules", log: &log) ?? [] {
                    guard let rule = self.rule(item, log: &log) else { continue }
                    if rules.contains(where: { $0.id == rule.id }) {
                        log.error("duplicate-id", at: item.location, "rule '\(rule.id)' is listed twice")
                    } else {
                        rules.append(rule)
                    }
                }
            case .profiles:
                profileNodes = value.list("profiles", log: &log) ?? []
            }
        }
        for item in profileNodes {
            if let profile = self.profile(item, rules: rules, log: &log) { profiles.append(profile) }
        }
        return (rules, profiles)
    }

    static func rule(_ node: Node, log: inout DiagnosticLog) -> Rule? {
        var id: String?, dimension: Dimension?, title: String?, condition: Condition?, points: Int?, rationale: String?
        var sources: [Source] = [], triggering: [Node] = [], notTriggering: [Node] = []
        var translations: [Language: RuleTranslation] = [:]
        var examplesLocation = node.location
        node.readMapping(RuleKey.self, what: "rule", required: [.id, .dimension, .title, .when, .points, .rationale, .examples], log: &log) { key, value, log in
            switch key {
            case .id: id = value.text("id", log: &log)
            case .dimension: dimension = value.choice("dimension", Dimension.self, log: &log)
            case .title: title = value.text("title", log: &log)
            case .when: condition = self.condition(value, log: &log)
            case .points: points = value.integer("points", in: 0...100, log: &log)
            case .rationale: rationale = value.text("rationale", log: &log)
            case .translations: translations = self.translations(value, log: &log)
            case .source, .sources: sources += self.sources(key.rawValue, value, log: &log)
            case .examples:
                examplesLocation = value.location
                value.readMapping(ExamplesKey.self, what: "examples", prefix: "examples.", required: [.triggering, .notTriggering], log: &log) { key, value, log in
                    switch key {
                    case .triggering: triggering = value.list("examples.triggering", log: &log) ?? []
                    case .notTriggering: notTriggering = value.list("examples.not_triggering", log: &log) ?? []
                    }
                }
            }
        }
        guard let id, let dimension, let title, let condition, let points, let rationale else { return nil }
        if !id.hasPrefix(dimension.rawValue + ".") || !Node.isSlug(id) {
            log.error("rule-id", at: node.location, "rule id '\(id)' must be '\(dimension.rawValue).' followed by a slug, e.g. '\(dimension.rawValue).vendor-foreign'")
        }
        if sources.isEmpty { log.error("source", at: node.location, "rule '\(id)' has no source; every rule needs at least one") }
        if triggering.isEmpty || notTriggering.isEmpty {
            log.error("examples", at: examplesLocation, "rule '\(id)' needs at least one triggering and one not_triggering example")
        }
        return Rule(id: id, dimension: dimension, title: title, condition: condition, points: points, rationale: rationale,
                    translations: translations, sources: sources, triggering: triggering, notTriggering: notTriggering, location: node.location)
    }

    /// `translations: {de: {title, rationale}}`: both texts in each language given.
    static func translations(_ node: Node, log: inout DiagnosticLog) -> [Language: RuleTranslation] {
        var result: [Language: RuleTranslation] = [:]
        // A language named with nothing under it gives neither text.
        _ = node.forEachEntry { name, location, value in
            if TranslationLanguageKey.named(name) != nil, value.isNull {
                log.error("missing-field", at: location, "translations.\(name) has no title and rationale; give both, or leave the language out")
            }
        }
        node.readMapping(TranslationLanguageKey.self, what: "translations", prefix: "translations.", log: &log) { language, value, log in
            var title: String?, rationale: String?
            let prefix = "translations.\(language.rawValue)."
            value.readMapping(TranslationKey.self, what: "translation", prefix: prefix, required: [.title, .rationale], log: &log) { key, value, log in
                switch key {
                case .title: title = value.text(prefix + "title", log: &log)
                case .rationale: rationale = value.text(prefix + "rationale", log: &log)
                }
            }
            for (text, key) in [(title, "title"), (rationale, "rationale")] where text?.allSatisfy(\.isWhitespace) == true {
                log.error("missing-field", at: value.location, "\(prefix)\(key) is empty; give the text, or leave the language out")
            }
            if let title, let rationale, !title.allSatisfy(\.isWhitespace), !rationale.allSatisfy(\.isWhitespace),
               let code = Language(rawValue: language.rawValue) {
                result[code] = RuleTranslation(title: title, rationale: rationale)
            }
        }
        return result
    }

    static func sources(_ key: String, _ node: Node, log: inout DiagnosticLog) -> [Source] {
        var result: [Source] = []
        let items = key == "source" ? [node] : (node.list("sources", log: &log) ?? [])
        for item in items {
            var title: String?, url: String?, date: Day?
            item.readMapping(SourceFieldKey.self, what: "source", prefix: "\(key).", required: [.title, .url, .date], log: &log) { key, value, log in
                switch key {
                case .title: title = value.text("title", log: &log)
                case .url: url = value.text("url", log: &log)
                case .date: date = value.day("date", log: &log)
                }
            }
            if let title, let url, let date { result.append(Source(title: title, url: url, date: date)) }
        }
        return result
    }

    static func condition(_ node: Node, log: inout DiagnosticLog) -> Condition? {
        var fact: String?, factLocation = node.location
        var test: (ConditionKey, Node)?
        var combined: Condition?
        let isMapping = node.readMapping(ConditionKey.self, what: "condition", log: &log) { key, value, log in
            switch key {
            case .fact:
                fact = value.text("fact", log: &log)
                factLocation = value.location
            case .all, .any:
                let parts = (value.list(key.rawValue, log: &log) ?? []).compactMap { self.condition($0, log: &log) }
                combined = key == .all ? .all(parts) : .any(parts)
            default:
                if test != nil {
                    log.error("condition", at: value.location, "a condition tests one thing; split it with 'all:'")
                }
                test = (key, value)
            }
        }
        guard isMapping else { return nil }
        if let combined {
            if fact != nil || test != nil { log.error("condition", at: node.location, "a condition is either 'all:'/'any:' or a 'fact:' test, not both") }
            return combined
        }
        guard let fact else {
            log.error("condition", at: node.location, "a condition needs 'fact:' with a test (is, in, at_least, at_most, contains, not_empty), or 'all:'/'any:'")
            return nil
        }
        guard let (kind, allowed) = FactVocabulary.facts[fact] else {
            log.error("fact", at: factLocation, "unknown fact '\(fact)'\(Suggestion.didYouMean(fact, in: FactVocabulary.facts.keys)); see docs/rules-format.md for the facts")
            return nil
        }
        let slot = FactVocabulary.index(of: fact)!
        guard let (operation, value) = test else {
            log.error("condition", at: node.location, "the condition on '\(fact)' needs a test: is, in, at_least, at_most, contains or not_empty")
            return nil
        }
        func words(_ node: Node, _ field: String) -> [String] {
            let values = node.texts(field, log: &log)
            for word in values where !allowed.isEmpty && !allowed.contains(word) {
                log.error("fact-value", at: node.location, "'\(word)' is not a value of '\(fact)' (\(allowed.joined(separator: ", ")))\(Suggestion.didYouMean(word, in: allowed))")
            }
            return values
        }
        switch (operation, kind) {
        case (.is, .word):
            guard let word = value.text("is", log: &log) else { return nil }
            if !allowed.isEmpty, !allowed.contains(word) {
                log.error("fact-value", at: value.location, "'\(word)' is not a value of '\(fact)' (\(allowed.joined(separator: ", ")))\(Suggestion.didYouMean(word, in: allowed))")
            }
            return .isOneOf(fact: slot, values: [word])
        case (.in, .word):
            return .isOneOf(fact: slot, values: words(value, "in"))
        case (.atLeast, .number):
            return value.integer("at_least", in: Int.min...Int.max, log: &log).map { .atLeast(fact: slot, value: $0) }
        case (.atMost, .number):
            // Answering a question lowers the count: a rule on few unknown
            // answers would fire because answers were given.
            if fact == "unknown_answers" {
                log.error("condition", at: value.location,
                          "'unknown_answers' takes at_least only: a condition says what is bad, and fewer unknown answers never is")
                return nil
            }
            return value.integer("at_most", in: Int.min...Int.max, log: &log).map { .atMost(fact: slot, value: $0) }
        case (.contains, .list):
            return value.text("contains", log: &log).map { .contains(fact: slot, value: $0) }
        case (.notEmpty, .list):
            guard value.bool("not_empty", log: &log) == true else {
                log.error("condition", at: value.location, "'not_empty' takes true")
                return nil
            }
            return .notEmpty(fact: slot)
        default:
            log.error("condition", at: value.location, "'\(operation.rawValue)' does not apply to '\(fact)', which is a \(kind)")
            return nil
        }
    }

    static func profile(_ node: Node, rules: [Rule], log: inout DiagnosticLog) -> Profile? {
        var id: String?, description = "", points: [String: Int] = [:]
        node.readMapping(ProfileKey.self, what: "profile", required: [.id, .points], log: &log) { key, value, log in
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .description: description = value.text("description", log: &log) ?? ""
            case .points:
                guard case .mapping(let entries) = value.content else {
                    log.error("type", at: value.location, "'points' must map rule ids to points")
                    return
                }
                for entry in entries {
                    if !rules.contains(where: { $0.id == entry.key }) {
                        log.error("reference", at: entry.keyLocation, "profile names rule '\(entry.key)', which does not exist\(Suggestion.didYouMean(entry.key, in: rules.map(\.id)))")
                    }
                    points[entry.key] = entry.value.integer("points", in: 0...100, log: &log)
                }
            }
        }
        guard let id else { return nil }
        return Profile(id: id, description: description, points: points)
    }
}

enum SourceFieldKey: String, FieldKey { case title, url, date }
