import Domain
import Foundation
import Reporting
import Scoring
import Store
import Tracking

// The closed list: every model a command prints, with the formats it offers.

extension Report: Printable {
    public static let outputs = Outputs<Report>([
        TextRenderer(.table) { report, context in ReportRenderer.table(report, colour: context.colour) },
        JSONRenderer(),
        TextRenderer(.csv) { report, _ in ReportRenderer.csv(report) },
        BinaryRenderer(.xlsx) { report, _ in try ReportRenderer.workbook(report).bytes() },
        TextRenderer(.markdown) { report, _ in ReportRenderer.markdown(report) },
        TextRenderer(.html) { report, context in try ReportRenderer.html(report, in: context) },
        BinaryRenderer(.pdf) { report, context in try HeadlessChromium.pdf(html: ReportRenderer.html(report, in: context)) },
    ])
}

extension History: Printable {
    public static let outputs = Outputs<History>([
        TextRenderer(.table) { history, _ in TrackingRenderer.table(history) },
        JSONRenderer(),
        TextRenderer(.csv) { history, _ in TrackingRenderer.csv(history) },
        BinaryRenderer(.xlsx) { history, _ in try Workbook(sheets: [Workbook.sheet(csv: TrackingRenderer.csv(history), name: "history")]).bytes() },
        TextRenderer(.html) { history, _ in TrackingRenderer.html(history) },
    ])
}

extension ScanDiff: Printable {
    public static let outputs = Outputs<ScanDiff>([
        TextRenderer(.table) { diff, _ in TrackingRenderer.table(diff) },
        JSONRenderer(),
        TextRenderer(.csv) { diff, _ in TrackingRenderer.csv(diff) },
        BinaryRenderer(.xlsx) { diff, _ in try Workbook(sheets: [Workbook.sheet(csv: TrackingRenderer.csv(diff), name: "changes")]).bytes() },
        TextRenderer(.html) { diff, _ in TrackingRenderer.html(diff) },
    ])
}

extension Explanation: Printable {
    public static let outputs = Outputs<Explanation>([
        TextRenderer(.text) { explanation, _ in ExplanationRenderer.text(explanation) },
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
        TextRenderer(.text) { list, _ in ScanListRenderer.text(list) },
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
        TextRenderer(.text) { listing, _ in RuleListingRenderer.text(listing) },
        RuleListingRenderer.JSON(),
    ])
}
