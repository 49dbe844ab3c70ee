import Domain

/// A stored rule's title and rationale in every language the scan's rule
/// set gave them, so that a report in German names the rules as the scan's
/// rule set did. A scan stored before translations were kept (schema v9)
/// has English only, and its reports show that.
struct StoredRuleTexts {
    var title: TranslatedText
    var rationale: TranslatedText

    /// Every rule of a stored rule set (`ruleset_hash`, with `/profile` when one was chosen), by id.
    static func read(_ db: any SQLConnection, rulesetKey: String) throws -> [String: StoredRuleTexts] {
        var texts: [String: StoredRuleTexts] = [:]
        for row in try db.rows("SELECT rule, title, rationale FROM ruleset_rule WHERE ruleset_hash = ?", [rulesetKey]) {
            texts[row["rule"]] = StoredRuleTexts(title: TranslatedText(row["title"]), rationale: TranslatedText(row["rationale"]))
        }
        // An earlier migration that reads a scan's totals runs before the table exists.
        guard try db.hasTable("ruleset_rule_translation") else { return texts }
        for row in try db.rows("SELECT rule, language, title, rationale FROM ruleset_rule_translation WHERE ruleset_hash = ?",
                                    [rulesetKey]) {
            guard let language = Language(rawValue: row["language"]), texts[row["rule"]] != nil else { continue }
            texts[row["rule"]]?.title.translations[language] = row["title"]
            texts[row["rule"]]?.rationale.translations[language] = row["rationale"]
        }
        return texts
    }
}
