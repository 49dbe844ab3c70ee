import Domain
import Foundation
import Reporting

/// The words and the number and date forms of one language, for what
/// sovscan writes for people to read (`--lang`). Every phrase is written
/// with its English and German side by side (`say`), so that neither can be
/// added without the other. JSON and CSV do not use it: their keys stay
/// English and their values ISO.
public struct Wording: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    /// For what sovscan writes in English whatever the language: its error
    /// messages (the count of errors and warnings in a failure).
    public static let english = Wording(language: .en)

    /// A phrase in the language: its English or its German.
    public func say(_ english: String, _ german: String) -> String {
        language == .de ? german : english
    }

    // MARK: Numbers and dates

    /// A whole number with its thousands grouped: 1,397,425 or 1.397.425.
    public func count(_ value: Int) -> String {
        language.count(value)
    }

    /// A count with its noun, singular for one: "1 organisation", "2.474 Systeme".
    public func counted(_ value: Int, _ noun: Noun) -> String {
        let (singular, plural) = language == .de ? noun.german : noun.english
        return "\(count(value)) \(value == 1 ? singular : plural)"
    }

    /// A count with its noun as it follows a German preposition that takes
    /// the dative ("von 276 Systemen", "innerhalb von 18 Monaten"); in English as `counted`.
    public func countedDative(_ value: Int, _ noun: Noun) -> String {
        guard language == .de else { return counted(value, noun) }
        return "\(count(value)) \(value == 1 ? noun.german.0 : noun.germanDative)"
    }

    /// A figure with one decimal (or `digits`): 46.2 or 46,2.
    public func decimal(_ value: Double, digits: Int = 1) -> String {
        let text = String(format: "%.\(digits)f", value)
        return language == .de ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A share as per cent with one decimal: 46.2% or 46,2 %.
    public func percent(_ share: Double) -> String {
        language == .de ? decimal(share * 100) + "\u{A0}%" : decimal(share * 100) + "%"
    }

    /// An ISO date as the language writes it: 2026-09-30 or 30.09.2026.
    public func date(_ iso: String) -> String {
        guard language == .de, let day = Day(iso: iso) else { return iso }
        return String(format: "%02d.%02d.%04d", day.day, day.month, day.year)
    }

    /// A scan's as-of date, or the range of its organisations' dates.
    func asOf(_ scan: Report.ScanReference) -> String {
        scan.asOfEarliest.map { "\(date($0)) \(say("to", "bis")) \(date(scan.asOf))" } ?? date(scan.asOf)
    }


    // MARK: Closed values

    public func band(_ band: Band) -> String {
        switch band {
        case .low: say("low", "niedrig")
        case .medium: say("medium", "mittel")
        case .high: say("high", "hoch")
        case .critical: say("critical", "kritisch")
        }
    }

    /// A criticality as the inventory states it (low … critical), in the language.
    public func criticality(_ value: String) -> String {
        Band(rawValue: value).map(band) ?? value
    }

    public func status(_ status: ExitStatus) -> String {
        switch status {
        case .missed: say("missed", "verpasst")
        case .expired: say("expired", "abgelaufen")
        case .upcoming: say("upcoming", "bevorstehend")
        }
    }

    /// A band, an exit window's status, a criticality, a dimension, a level
    /// or a diff row's kind as the CSV writes it, in the language.
    public func closedValue(_ value: String) -> String {
        if let band = Band(rawValue: value) { return self.band(band) }
        if let status = ExitStatus(rawValue: value) { return self.status(status) }
        if let dimension = Domain.Dimension(rawValue: value) { return self.dimension(dimension) }
        if let level = ReportLevel(rawValue: value) { return self.level(level) }
        return switch value {
        case "score": say("score", "Punktwert")
        case "added": say("added", "hinzugekommen")
        case "removed": say("removed", "entfallen")
        case "changed": say("changed", "geändert")
        case "not_rescanned": say("not re-scanned", "nicht erneut gescannt")
        default: value
        }
    }

    /// A system's substitutability as the inventory states it (easy … none, unknown), in the language.
    public func substitutability(_ value: String) -> String {
        switch value {
        case "easy": say("easy", "leicht")
        case "medium": say("medium", "mit Aufwand")
        case "hard": say("hard", "schwer")
        case "none": say("none", "nicht ersetzbar")
        case "unknown": unknown
        default: value
        }
    }

    /// What a report's rows are at a level, as a column heading.
    func level(_ level: ReportLevel) -> String {
        switch level {
        case .ministry: say("ministry", "Ministerium")
        case .organisation: say("organisation", "Organisation")
        case .vendor: say("vendor", "Anbieter")
        case .country: say("country", "Land")
        case .system: say("system", "System")
        }
    }

    /// The noun of a report's rows at a level.
    func noun(_ level: ReportLevel) -> Noun {
        switch level {
        case .ministry: .ministry
        case .organisation: .organisation
        case .vendor: .vendor
        case .country: .country
        case .system: .system
        }
    }

    public func dimension(_ dimension: Domain.Dimension) -> String {
        dimension == .lockIn ? say("lock-in", "Lock-in") : say("jurisdiction", "Rechtsraum")
    }

    /// A country by its ISO code: the rule set's English name, or the German
    /// one from Foundation's locale data (ICU; "China, Festland" is
    /// said as "China").
    public func country(_ code: String, named english: String) -> String {
        guard language == .de, let name = Locale(identifier: "de").localizedString(forRegionCode: code) else { return english }
        return String(name.prefix { $0 != "," })
    }

    /// A bloc of countries by its id in the rule set (`eu_eea`): in German by its German short name.
    public func bloc(_ id: String) -> String {
        language == .de && id == "eu_eea" ? "EU/EWR" : id
    }

    /// A country of control nothing says.
    public var unknown: String { say("unknown", "unbekannt") }

    /// "(34 unanswered)", "(34 offen)" beside a score.
    func unanswered(_ points: String) -> String {
        say("(\(points) unanswered)", "(\(points) offen)")
    }

    /// "12 of 40".
    func of(_ part: Int, _ whole: Int) -> String {
        say("\(count(part)) of \(count(whole))", "\(count(part)) von \(count(whole))")
    }

    /// A noun in the singular and plural of each language, and in German
    /// also its dative plural ("von 276 Systemen").
    public struct Noun: Sendable {
        public var english: (String, String)
        public var german: (String, String)
        public var germanDative: String

        public static let organisation = Noun(english: ("organisation", "organisations"), german: ("Organisation", "Organisationen"), germanDative: "Organisationen")
        public static let ministry = Noun(english: ("ministry", "ministries"), german: ("Ministerium", "Ministerien"), germanDative: "Ministerien")
        public static let vendor = Noun(english: ("vendor", "vendors"), german: ("Anbieter", "Anbieter"), germanDative: "Anbietern")
        public static let country = Noun(english: ("country", "countries"), german: ("Land", "Länder"), germanDative: "Ländern")
        public static let system = Noun(english: ("system", "systems"), german: ("System", "Systeme"), germanDative: "Systemen")
        public static let row = Noun(english: ("row", "rows"), german: ("Zeile", "Zeilen"), germanDative: "Zeilen")
        public static let point = Noun(english: ("point", "points"), german: ("Punkt", "Punkte"), germanDative: "Punkten")
        public static let file = Noun(english: ("file", "files"), german: ("Datei", "Dateien"), germanDative: "Dateien")
        public static let error = Noun(english: ("error", "errors"), german: ("Fehler", "Fehler"), germanDative: "Fehlern")
        public static let warning = Noun(english: ("warning", "warnings"), german: ("Warnung", "Warnungen"), germanDative: "Warnungen")
        public static let month = Noun(english: ("month", "months"), german: ("Monat", "Monate"), germanDative: "Monaten")
    }
}

extension RenderContext {
    public var wording: Wording { Wording(language: language) }
}

extension String {
    /// The text with its first letter in capitals, for a heading: "lock-in" → "Lock-in".
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
