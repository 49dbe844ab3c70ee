import Domain
import Foundation
import YAMLReading

/// The lists an inventory is checked against, taken from the rule set in
/// `rules/`: country codes, SPDX licence ids, and the function taxonomy.
public struct ReferenceData: Sendable {
    /// ISO 3166-1 alpha-2 code → English short name.
    public var countries: [String: String]
    /// Lower-cased SPDX licence id → the id as SPDX spells it.
    var licences: [String: String]
    /// Lower-cased SPDX exception id → the id as SPDX spells it.
    var licenceExceptions: [String: String]
    /// The function ids of the taxonomy (`rules/functions.yaml`).
    public internal(set) var functions: Set<String>
    /// Lower-cased country name (the short name and the other names) → code.
    private var countryByName: [String: String]
    /// Licence ids SPDX does not mark as deprecated, in SPDX's order.
    private var currentLicences: [String]
    /// Synonym → the function id it suggests.
    private var functionBySynonym: [String: String]

    /// `otherCountryNames` and `functionSynonyms` (keyed by code and id) only
    /// make suggestions: a name or synonym is never accepted in their place.
    public init(countries: [String: String], otherCountryNames: [String: [String]],
                licences: [String], deprecatedLicences: Set<String>, licenceExceptions: [String],
                functions: Set<String>, functionSynonyms: [String: [String]]) {
        self.countries = countries
        self.licences = Dictionary(licences.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.licenceExceptions = Dictionary(licenceExceptions.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.functions = functions
        let names = countries.map { ($1, $0) } + otherCountryNames.flatMap { code, names in names.map { ($0, code) } }
        countryByName = Dictionary(names.map { ($0.lowercased(), $1) }, uniquingKeysWith: { first, _ in first })
        currentLicences = licences.filter { !deprecatedLicences.contains($0) }
        functionBySynonym = Dictionary(functionSynonyms.flatMap { id, synonyms in synonyms.map { ($0, id) } },
                                       uniquingKeysWith: { first, _ in first })
    }

    /// The ISO 3166-1 alpha-2 code of a country written as its code (in
    /// either case) or by a name the rule set knows ("Germany", "Deutschland", "USA").
    public func countryCode(_ written: String) -> String? {
        let text = written.trimmingCharacters(in: .whitespaces)
        if countries[text.uppercased()] != nil { return text.uppercased() }
        return countryByName[text.lowercased()]
    }

    /// Checks an ISO 3166-1 alpha-2 code (or `EU` where `allowEU`), reporting a
    /// helpful error when it is not one.
    func checkCountry(_ code: String, field: String, allowEU: Bool = false, at location: SourceLocation, log: inout DiagnosticLog) -> Bool {
        if countries[code] != nil || (allowEU && code == "EU") { return true }
        let expected = allowEU ? "an ISO 3166-1 alpha-2 country code or EU" : "an ISO 3166-1 alpha-2 country code"
        var hint = ""
        if countries[code.uppercased()] != nil || (allowEU && code.uppercased() == "EU") {
            hint = "; codes are upper-case: '\(code.uppercased())'"
        } else if code.lowercased() == "uk" {
            hint = "; the United Kingdom's code is 'GB'"
        } else if code.lowercased() == "el" {
            hint = "; Greece's code is 'GR'"
        } else if let byName = countryByName[code.lowercased()] {
            hint = "; did you mean '\(byName)'?"
        }
        log.error("country", at: location, "'\(field)' must be \(expected), not '\(code)'\(hint)")
        return false
    }

    /// Checks `proprietary` or an SPDX licence expression (`MIT`, `GPL-2.0-or-later`,
    /// `Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`, `LicenseRef-…`).
    func checkLicence(_ expression: String, at location: SourceLocation, log: inout DiagnosticLog) -> Bool {
        if expression == "proprietary" { return true }
        var parser = LicenceExpressionParser(text: expression, reference: self)
        if let problem = parser.validate() {
            log.error("licence", at: location, "'licence' must be 'proprietary' or an SPDX licence expression: \(problem)")
            return false
        }
        return true
    }

    /// `"; did you mean 'x'?"` for an unknown function: the function a common
    /// synonym stands for (`geo` → `gis`), else the nearest id.
    public func functionSuggestion(for word: String) -> String {
        if let id = functionBySynonym[word] { return "; did you mean '\(id)'?" }
        return Suggestion.didYouMean(word, in: functions)
    }

    /// `"; did you mean …?"` for an unknown licence id: a short name like `GPL`,
    /// `BSD` or `MPL` stands for a family, so every current id of that family
    /// (its versions and their -only/-or-later forms) is named; else the nearest id.
    func licenceSuggestion(for id: String) -> String {
        let prefix = id.lowercased() + "-"
        let family = currentLicences.filter { licence in
            licence.lowercased().hasPrefix(prefix) && Self.isVersion(licence.dropFirst(prefix.count).lowercased())
        }
        guard let last = family.last else { return Suggestion.didYouMean(id, in: licences.values) }
        let quoted = family.dropLast().map { "'\($0)'" }
        return quoted.isEmpty ? "; did you mean '\(last)'?" : "; did you mean \(quoted.joined(separator: ", ")) or '\(last)'?"
    }

    /// `2.0`, `1.1-only`, `3.0-or-later`, `3-clause`: what follows a family's name in its ids.
    private static func isVersion(_ text: String) -> Bool {
        var number = Substring(text)
        for suffix in ["-only", "-or-later", "-clause"] where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            break
        }
        return number.first?.isNumber == true && number.last?.isNumber == true && number.allSatisfy { $0.isNumber || $0 == "." }
    }
}

/// A recursive-descent check of SPDX license expressions (SPDX spec, annex D).
struct LicenceExpressionParser {
    private var tokens: [String]
    private var position = 0
    private let reference: ReferenceData

    init(text: String, reference: ReferenceData) {
        self.reference = reference
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character == "(" || character == ")" {
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(character))
            } else if character == " " || character == "\t" {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        self.tokens = tokens
    }

    /// nil when valid, else what is wrong.
    mutating func validate() -> String? {
        if tokens.isEmpty { return "it is empty" }
        if let problem = orExpression() { return problem }
        if position < tokens.count { return "unexpected '\(tokens[position])'" }
        return nil
    }

    private mutating func orExpression() -> String? {
        if let problem = andExpression() { return problem }
        while position < tokens.count, tokens[position].uppercased() == "OR" {
            position += 1
            if let problem = andExpression() { return problem }
        }
        return nil
    }

    private mutating func andExpression() -> String? {
        if let problem = withExpression() { return problem }
        while position < tokens.count, tokens[position].uppercased() == "AND" {
            position += 1
            if let problem = withExpression() { return problem }
        }
        return nil
    }

    private mutating func withExpression() -> String? {
        if let problem = primary() { return problem }
        if position < tokens.count, tokens[position].uppercased() == "WITH" {
            position += 1
            guard position < tokens.count else { return "'WITH' needs an exception id after it" }
            let exception = tokens[position]
            position += 1
            if reference.licenceExceptions[exception.lowercased()] == nil {
                return "'\(exception)' is not an SPDX licence exception id\(Suggestion.didYouMean(exception, in: reference.licenceExceptions.values))"
            }
        }
        return nil
    }

    private mutating func primary() -> String? {
        guard position < tokens.count else { return "an operator must be followed by a licence id" }
        let token = tokens[position]
        position += 1
        if token == "(" {
            if let problem = orExpression() { return problem }
            guard position < tokens.count, tokens[position] == ")" else { return "a '(' is not closed" }
            position += 1
            return nil
        }
        if ["AND", "OR", "WITH", ")"].contains(token.uppercased()) { return "unexpected '\(token)'" }
        if token.hasPrefix("LicenseRef-") || token.hasPrefix("DocumentRef-") { return nil }
        let id = token.hasSuffix("+") ? String(token.dropLast()) : token
        if reference.licences[id.lowercased()] == nil {
            return "'\(token)' is not an SPDX licence id\(reference.licenceSuggestion(for: id))"
        }
        return nil
    }
}
