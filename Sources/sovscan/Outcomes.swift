import Domain
import Output

/// What `validate` found: a summary line, or one JSON document.
struct ValidationOutcome: Encodable, Printable {
    let diagnostics: [Diagnostic]
    let organisations: Int
    let systems: Int
    let files: Int

    enum CodingKeys: String, CodingKey {
        case diagnostics, organisations, systems
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(diagnostics.map(DiagnosticJSON.init), forKey: .diagnostics)
        try container.encode(organisations, forKey: .organisations)
        try container.encode(systems, forKey: .systems)
    }

    static let outputs = Outputs<ValidationOutcome>([
        TextRenderer(.text) { outcome, _ in
            let valid = !outcome.diagnostics.contains { $0.severity == .error }
            let problems = DiagnosticPrinter.summaryLine(outcome.diagnostics).map { ", \($0)" } ?? ""
            return "\(valid ? "valid" : "invalid"): \(plural(outcome.files, "file")), \(plural(outcome.organisations, "organisation")), \(plural(outcome.systems, "system"))\(problems)\n"
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
        TextRenderer(.text) { outcome, _ in
            guard let scan = outcome.scan else { return "" }
            let problems = DiagnosticPrinter.summaryLine(outcome.diagnostics).map { ", \($0)" } ?? ""
            let unchanged = scan.unchangedSince.map { ", inputs and rules unchanged since scan \($0)" } ?? ""
            var text = "scan \(scan.id): \(plural(scan.organisations, "organisation")), \(plural(scan.systems, "system")) from \(plural(outcome.files, "file"))\(problems)\(unchanged), stored in \(outcome.store)\n"
            for dimension in [Dimension.lockIn, .jurisdiction] {
                let bands = Band.allCases.map { "\(outcome.bands[dimension]?[$0] ?? 0) \($0)" }.joined(separator: ", ")
                text += "  \(dimension.rawValue.replacingOccurrences(of: "_", with: "-")): \(bands)\n"
            }
            return text
        },
        JSONRenderer(),
    ])
}
