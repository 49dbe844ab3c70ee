import Domain
import Foundation
import Reporting
import Scenarios

extension PlanScenario: Printable {
    public static let outputs = Outputs<PlanScenario>([
        TextRenderer(.table) { scenario, _ in PlanRenderer.page(scenario).text },
        JSONRenderer(),
        TextRenderer(.csv) { scenario, _ in PlanRenderer.csv(scenario) },
        TextRenderer(.markdown) { scenario, _ in PlanRenderer.page(scenario).markdown },
        TextRenderer(.html) { scenario, _ in PlanRenderer.page(scenario).html },
    ])
}

/// `whatif plan` in every format: what the steps did, the whole snapshot,
/// the ministries concerned, their countries of control, the systems and
/// the exit windows.
enum PlanRenderer {
    static func heading(_ scenario: PlanScenario) -> String {
        "sovscan whatif plan: \(scenario.plan) (\(scenario.file)), on scan \(scenario.scan) as of \(scenario.asOf)"
    }

    /// "46.2 → 31.0", or the one value when it stays.
    static func move(_ before: String, _ after: String) -> String {
        before == after ? before : "\(before) → \(after)"
    }

    /// A group's mean score; "-" on a side where it has no system.
    static func score(_ value: Double?) -> String {
        value.map { Wording.english.decimal($0) } ?? "-"
    }

    static func summary(_ scenario: PlanScenario) -> [String] {
        var lines: [String] = []
        if scenario.rulesetHash != scenario.snapshotRulesetHash {
            lines.append("The snapshot was scored with rule set \(scenario.snapshotRulesetHash.prefix(12))…; both sides are scored with the rules now loaded (\(scenario.rulesetHash.prefix(12))…), so its own figures differ from its report.")
        }
        lines.append("Steps: " + scenario.steps.map { step in
            let systems = "\(Wording.english.count(step.systems.count)) system\(step.systems.count == 1 ? "" : "s")"
            switch step.action {
            case .set: return "line \(step.line) sets \(step.fields.joined(separator: ", ")) on \(systems)"
            case .add: return "line \(step.line) adds \(step.systems.joined(separator: ", "))"
            case .retire: return "line \(step.line) retires \(systems)"
            }
        }.joined(separator: "; "))
        let totals = scenario.totals
        let counts = [PlanScenario.SystemChange.Change.changed, .added, .retired, .rescored].compactMap { change -> String? in
            let count = scenario.systems.count { $0.change == change }
            return count == 0 ? nil : "\(Wording.english.count(count)) \(change.rawValue)"
        }
        lines.append("All organisations: \(move(Wording.english.count(totals.systemsBefore), Wording.english.count(totals.systemsAfter))) systems"
            + (counts.isEmpty ? ", none changed" : " (\(counts.joined(separator: ", ")))")
            + "; lock-in \(move(score(totals.lockInBefore), score(totals.lockInAfter)))"
            + ", jurisdiction \(move(score(totals.jurisdictionBefore), score(totals.jurisdictionAfter)))")
        return lines
    }

    static func ministryTable(_ groups: [PlanScenario.Group]) -> HumanTable {
        var table = HumanTable(header: ["ministry", "systems", "lock-in", "jurisdiction", "HHI", "top vendor"], numeric: [1, 2, 3, 4])
        for group in groups {
            table.rows.append([
                group.name, move(Wording.english.count(group.systemsBefore), Wording.english.count(group.systemsAfter)),
                move(score(group.lockInBefore), score(group.lockInAfter)),
                move(score(group.jurisdictionBefore), score(group.jurisdictionAfter)),
                move(group.hhiBefore.map { String(format: "%.0f", $0) } ?? "-", group.hhiAfter.map { String(format: "%.0f", $0) } ?? "-"),
                move(group.topVendorBefore ?? "-", group.topVendorAfter ?? "-"),
            ])
        }
        return table
    }

    /// The countries whose share moves, per ministry and for all organisations.
    static func countryTable(_ scenario: PlanScenario) -> HumanTable {
        var table = HumanTable(header: ["scope", "country of control", "systems", "share of systems"], numeric: [2, 3])
        for group in scenario.ministries + [scenario.totals] {
            for country in group.countries where country.systemsBefore != country.systemsAfter || country.shareBefore != country.shareAfter {
                table.rows.append([group.name, country.country.map { "\(country.name) (\($0))" } ?? country.name,
                                   move(Wording.english.count(country.systemsBefore), Wording.english.count(country.systemsAfter)),
                                   move(share(country.shareBefore), share(country.shareAfter))])
            }
        }
        return table
    }

    static func share(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func systemTable(_ systems: [PlanScenario.SystemChange]) -> HumanTable {
        var table = HumanTable(header: ["system", "change", "fields", "lock-in", "jurisdiction", "findings added", "findings removed", "act by"],
                               numeric: [])
        func score(_ value: Int?, _ band: Band?) -> String {
            value.map { "\($0) \(band.map { "\($0)" } ?? "")" } ?? "-"
        }
        for system in systems {
            table.rows.append([
                system.system, system.change.rawValue, system.fields.isEmpty ? "-" : system.fields.joined(separator: ", "),
                move(score(system.lockInBefore, system.lockInBandBefore), score(system.lockInAfter, system.lockInBandAfter)),
                move(score(system.jurisdictionBefore, system.jurisdictionBandBefore), score(system.jurisdictionAfter, system.jurisdictionBandAfter)),
                system.findingsAdded.isEmpty ? "-" : system.findingsAdded.joined(separator: ", "),
                system.findingsRemoved.isEmpty ? "-" : system.findingsRemoved.joined(separator: ", "),
                move(system.actByBefore ?? "-", system.actByAfter ?? "-"),
            ])
        }
        return table
    }

    static func exitTable(_ scenario: PlanScenario) -> HumanTable {
        var table = HumanTable(header: ["ministry", "opened or closed", "system", "status", "act by", "contract ends", "vendor"], numeric: [])
        for group in scenario.ministries {
            for (what, windows) in [("opened", group.exitWindowsOpened), ("closed", group.exitWindowsClosed)] {
                for window in windows {
                    table.rows.append([group.name, what, "\(window.organisation)/\(window.system)", window.status.rawValue, window.actBy,
                                       window.contractEnds, window.vendor])
                }
            }
        }
        return table
    }

    private static func sections(_ scenario: PlanScenario) -> [TablePage.Section] {
        [
            .init(heading: "Ministries concerned", table: ministryTable(scenario.ministries)),
            .init(heading: "Countries of control whose share moves", table: countryTable(scenario)),
            .init(heading: "Systems", table: systemTable(scenario.systems)),
            .init(heading: "Exit windows within \(scenario.withinMonths) months the plan opens or closes", table: exitTable(scenario)),
        ]
    }

    static func page(_ scenario: PlanScenario) -> TablePage {
        TablePage(title: heading(scenario), paragraphs: summary(scenario), sections: sections(scenario), glossary: Glossary.plan(in: .en))
    }

    /// One row per system, with before and after in columns of their own.
    static func csv(_ scenario: PlanScenario) -> String {
        var text = ReportRenderer.csvLine([
            "ministry", "system", "change", "fields", "lock_in_before", "lock_in_after", "lock_in_band_before", "lock_in_band_after",
            "jurisdiction_before", "jurisdiction_after", "jurisdiction_band_before", "jurisdiction_band_after", "findings_added",
            "findings_removed", "contract_ends_before", "contract_ends_after", "act_by_before", "act_by_after",
        ])
        let number = { (value: Int?) in value.map(String.init) ?? "" }
        let band = { (value: Band?) in value.map { "\($0)" } ?? "" }
        for system in scenario.systems {
            text += ReportRenderer.csvLine([
                system.ministry, system.system, system.change.rawValue, system.fields.joined(separator: "; "),
                number(system.lockInBefore), number(system.lockInAfter), band(system.lockInBandBefore), band(system.lockInBandAfter),
                number(system.jurisdictionBefore), number(system.jurisdictionAfter), band(system.jurisdictionBandBefore),
                band(system.jurisdictionBandAfter), system.findingsAdded.joined(separator: "; "), system.findingsRemoved.joined(separator: "; "),
                system.contractEndsBefore ?? "", system.contractEndsAfter ?? "", system.actByBefore ?? "", system.actByAfter ?? "",
            ])
        }
        return text
    }
}
