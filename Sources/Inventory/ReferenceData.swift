import Domain
import YAMLReading

/// The lists an inventory is checked against, taken from the rule set in
/// `rules/`: country codes, SPDX licence ids, and the function taxonomy.
public struct ReferenceData: Sendable {
    /// ISO 3166-1 alpha-2 code → English short name.
    public var countries: [String: String]
    /// Lower-cased SPDX licence id → the id as SPDX spells it.
    public var licences: [String: String]
    /// Lower-cased SPDX exception id → the id as SPDX spells it.
    public var licenceExceptions: [String: String]
    public var functions: Set<String>
    private var countryByName: [String: String]

    public init(countries: [String: String], licences: [String], licenceExceptions: [String], functions: Set<String>) {
        self.countries = countries
        self.licences = Dictionary(licences.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.licenceExceptions = Dictionary(licenceExceptions.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.functions = functions
        countryByName = Dictionary(countries.map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks an ISO 3166-1 alpha-2 code (or `EU` where `allowEU`), reporting a
    /// helpful error when it is not one.
    public func checkCountry(_ code: String, field: String, allowEU: Bool = false, at location: SourceLocation, log: inout DiagnosticLog) -> Bool {
        if countries[code] != nil || (allowEU && code == "EU") { return true }
        let expected = allowEU ? "an ISO 3166-1 alpha-2 country code or EU" : "an ISO 3166-1 alpha-2 country code"
        var hint = ""
        if countries[code.uppercased()] != nil || (allowEU && code.uppercased() == "EU") {
            hint = "; codes are upper-case: '\(code.uppercased())'"
        } else if let byName = countryByName[code.lowercased()] {
            hint = "; did you mean '\(byName)'?"
        } else if code.lowercased() == "uk" {
            hint = "; the United Kingdom's code is 'GB'"
        } else if code.lowercased() == "el" {
            hint = "; Greece's code is 'GR'"
        }
        log.error("country", at: location, "'\(field)' must be \(expected), not '\(code)'\(hint)")
        return false
    }

    /// Checks `proprietary` or an SPDX licence expression (`MIT`, `GPL-2.0-or-later`,
    /// `Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`, `LicenseRef-…`).
    public func checkLicence(_ expression: String, at location: SourceLocation, log: inout DiagnosticLog) -> Bool {
        if expression == "proprietary" { return true }
        var parser = LicenceExpressionParser(text: expression, reference: self)
        if let problem = parser.validate() {
            log.error("licence", at: location, "'licence' must be 'proprietary' or an SPDX licence expression: \(problem)")
            return false
        }
        return true
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
            return "'\(token)' is not an SPDX licence id\(Suggestion.didYouMean(id, in: reference.licences.values))"
        }
        return nil
    }
}
