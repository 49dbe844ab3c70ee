import Domain
import Inventory
import Output

/// What `validate` found: a summary line, or one JSON document.
struct ValidationOutcome: Encodable, Printable {
    let diagnostics: [Diagnostic]
    let organisations: Int
    let systems: Int
    let files: Int
    /// The data answers left out, which the scoring reads as unknown.
    let unstated: [UnstatedAnswer]

    enum CodingKeys: String, CodingKey {
        case diagnostics, organisations, systems, unstated
    }

    /// An answer left out, as JSON: the field, how many systems, the first.
    private struct UnstatedJSON: Encodable {
        let field: String
        let systems: Int
        let read_as = "unknown"
        let first: First

        struct First: Encodable {
            let file: String
            let line: Int
            let column: Int
            let system: String
        }

        init(_ answer: UnstatedAnswer) {
            field = answer.field.rawValue
            systems = answer.systems
            first = First(file: answer.file, line: answer.location.line, column: answer.location.column, system: answer.system)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(diagnostics.map(DiagnosticJSON.init), forKey: .diagnostics)
        try container.encode(organisations, forKey: .organisations)
        try container.encode(systems, forKey: .systems)
        try container.encode(unstated.map(UnstatedJSON.init), forKey: .unstated)
    }

    /// What the scoring assumed for an answer left out, and what to write instead.
    static func line(_ answer: UnstatedAnswer, of systems: Int, _ w: Wording) -> String {
        let field = answer.field.rawValue, first = "\(answer.file):\(answer.location) \(answer.system)"
        let meaning = switch answer.field {
        case .personal: w.say("scored as unknown, like personal data where a rule asks",
                              "als unbekannt bewertet, also wie personenbezogene Daten, wo eine Regel danach fragt")
        case .specialCategories: w.say("scored as unknown, like special categories where a rule asks (data.personal: false implies none)",
                                       "als unbekannt bewertet, also wie besondere Kategorien, wo eine Regel danach fragt (data.personal: false schließt sie aus)")
        }
        return w.say("assumed: \(field) not stated for \(answer.systems) of \(w.counted(systems, .system)) (first: \(first)): \(meaning); state true or false",
                     "angenommen: \(field) fehlt bei \(answer.systems) von \(w.countedDative(systems, .system)) "
                        + "(zuerst: \(first)): \(meaning); true oder false angeben") + "\n"
    }

    static let outputs = Outputs<ValidationOutcome>([
        TextRenderer(.text) { outcome, context in
            let w = context.wording
            let valid = !outcome.diagnostics.contains { $0.severity == .error }
            let problems = DiagnosticPrinter.summaryLine(outcome.diagnostics, w).map { ", \($0)" } ?? ""
            let verdict = valid ? w.say("valid", "gültig") : w.say("invalid", "ungültig")
            let summary = "\(verdict): \(w.counted(outcome.files, .file)), \(w.counted(outcome.organisations, .organisation)), "
                + "\(w.counted(outcome.systems, .system))\(problems)\n"
            return summary + outcome.unstated.map { line($0, of: outcome.systems, w) }.joined()
        },
        JSONRenderer(),
    ])
}

/// What `scan` stored: the snapshot with its bands, or (invalid input) nothing but the diagnostics.
struct ScanOutcome: Encodable, Printable {
    struct Snapshot: Encodable {
        var id: Int64
        var organisations: Int
        var systems: Int
        var unchangedSince: Int64?

        enum CodingKeys: String, CodingKey {
            case id, organisations, systems
            case unchangedSince = "unchanged_since"
        }
    }

    let scan: Snapshot?
    let diagnostics: [Diagnostic]
    let files: Int
    /// Where it is stored.
    let store: String
    /// Per dimension, the snapshot's systems per band.
    let bands: [Dimension: [Band: Int]]

    enum CodingKeys: String, CodingKey {
        case scan, diagnostics
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(scan, forKey: .scan)
        try container.encode(diagnostics.map(DiagnosticJSON.init), forKey: .diagnostics)
    }

    static let outputs = Outputs<ScanOutcome>([
        TextRenderer(.text) { outcome, context in
            guard let scan = outcome.scan else { return "" }
            let w = context.wording
            let problems = DiagnosticPrinter.summaryLine(outcome.diagnostics, w).map { ", \($0)" } ?? ""
            let unchanged = scan.unchangedSince.map { w.say(", inputs and rules unchanged since scan \($0)", ", Eingaben und Regeln unverändert seit Scan \($0)") } ?? ""
            let counts = "\(w.counted(scan.organisations, .organisation)), \(w.counted(scan.systems, .system))"
            var text = w.say("scan \(scan.id): \(counts) from \(w.counted(outcome.files, .file))\(problems)\(unchanged), stored in \(outcome.store)",
                             "Scan \(scan.id): \(counts) aus \(w.countedDative(outcome.files, .file))\(problems)\(unchanged), gespeichert in \(outcome.store)") + "\n"
            for dimension in [Dimension.lockIn, .jurisdiction] {
                let bands = Band.allCases.map { "\(w.count(outcome.bands[dimension]?[$0] ?? 0)) \(w.band($0))" }.joined(separator: ", ")
                text += "  \(w.dimension(dimension)): \(bands)\n"
            }
            return text
        },
        JSONRenderer(),
    ])
}
