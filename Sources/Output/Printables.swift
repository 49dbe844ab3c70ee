import Domain
import Foundation
import Reporting
import Scoring
import Store
import Tracking

// The closed list: every model a command prints, with the formats it offers.

extension Report: Printable {
    public static let outputs = Outputs<Report>([
        TextRenderer(.table) { report, context in ReportRenderer.table(report, in: context) },
        JSONRenderer(),
        TextRenderer(.csv) { report, _ in ReportRenderer.csv(report) },
        BinaryRenderer(.xlsx) { report, context in try ReportRenderer.workbook(report, context.wording).bytes() },
        TextRenderer(.markdown) { report, context in ReportRenderer.markdown(report, context.wording) },
        TextRenderer(.html) { report, context in try ReportRenderer.html(report, in: context) },
        BinaryRenderer(.pdf) { report, context in try HeadlessChromium.pdf(html: ReportRenderer.html(report, in: context)) },
    ])
}

extension History: Printable {
    public static let outputs = Outputs<History>([
        TextRenderer(.table) { history, context in TrackingRenderer.table(history, context.wording) },
        JSONRenderer(),
        TextRenderer(.csv) { history, _ in TrackingRenderer.csv(history) },
        BinaryRenderer(.xlsx) { history, context in
            let w = context.wording
            return try Workbook(sheets: [Workbook.sheet(csv: TrackingRenderer.csv(history), name: w.say("history", "Verlauf")).worded(w)]).bytes()
        },
        TextRenderer(.html) { history, context in TrackingRenderer.html(history, context.wording) },
    ])
}

extension ScanDiff: Printable {
    public static let outputs = Outputs<ScanDiff>([
        TextRenderer(.table) { diff, context in TrackingRenderer.table(diff, context.wording) },
        JSONRenderer(),
        TextRenderer(.csv) { diff, _ in TrackingRenderer.csv(diff) },
        BinaryRenderer(.xlsx) { diff, context in
            let w = context.wording
            return try Workbook(sheets: [Workbook.sheet(csv: TrackingRenderer.csv(diff), name: w.say("changes", "Änderungen")).worded(w)]).bytes()
        },
        TextRenderer(.html) { diff, context in TrackingRenderer.html(diff, context.wording) },
    ])
}

extension Explanation: Printable {
    public static let outputs = Outputs<Explanation>([
        TextRenderer(.text) { explanation, context in ExplanationRenderer.text(explanation, context.wording) },
        ExplanationRenderer.JSON(),
    ])
}

/// The snapshots of a store, oldest first, as `sovscan scans` lists them.
public struct ScanList: Sendable, Encodable, Printable {
    public var scans: [ScanSummary]

    public init(scans: [ScanSummary]) {
        self.scans = scans
    }

    public static let outputs = Outputs<ScanList>([
        TextRenderer(.text) { list, context in ScanListRenderer.text(list, context.wording) },
        JSONRenderer(),
    ])
}

/// The rules of a scoring model, as `sovscan rules list` lists them.
public struct RuleListing: Sendable, Printable {
    public var model: ScoringModel

    public init(model: ScoringModel) {
        self.model = model
    }

    public static let outputs = Outputs<RuleListing>([
        TextRenderer(.text) { listing, context in RuleListingRenderer.text(listing, context.wording) },
        RuleListingRenderer.JSON(),
    ])
}
