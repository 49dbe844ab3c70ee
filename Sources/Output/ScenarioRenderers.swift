import Foundation
import Reporting
import Scenarios

extension CutoffScenario: Printable {
    public static let outputs = Outputs<CutoffScenario>([
        TextRenderer(.table) { scenario, _ in ScenarioRenderer.page(scenario).text },
        JSONRenderer(),
        TextRenderer(.csv) { scenario, _ in ScenarioRenderer.csv(scenario) },
        TextRenderer(.markdown) { scenario, _ in ScenarioRenderer.page(scenario).markdown },
        TextRenderer(.html) { scenario, _ in ScenarioRenderer.page(scenario).html },
    ])
}

/// `whatif cutoff` in every format: the verdicts, the groups, then the systems that fail.
enum ScenarioRenderer {
    static func heading(_ scenario: CutoffScenario) -> String {
        "sovscan whatif cutoff: scan \(scenario.scan), as of \(scenario.asOf)" + (scenario.under.map { ", under \($0)" } ?? "")
            + ", cutting off " + scenario.cuts.map { "\($0.name) (\($0.kind) \($0.id))" }.joined(separator: ", ")
    }

    static func summary(_ scenario: CutoffScenario) -> [String] {
        let totals = scenario.totals
        return [
            "Companies cut off among the scan's parties: " + (scenario.companiesCutOff.isEmpty ? "none" : scenario.companiesCutOff.joined(separator: ", ")),
            "\(Wording.english.count(totals.affected)) of \(Wording.english.counted(totals.systems, .system)) \(totals.affected == 1 ? "fails" : "fail") "
                + "(\(Wording.english.count(totals.criticalAffected)) high or critical), \(Wording.english.count(totals.usersAffected)) users summed over them; "
                + "personal data with a party cut off in \(Wording.english.counted(totals.personalDataWithPartyCutOff, .system))",
            "Verdict: \(totals.verdict)",
        ]
    }

    static func groupTable(_ groups: [CutoffScenario.Group], noun: String) -> HumanTable {
        var table = HumanTable(header: [noun, "systems", "fail", "high or critical", "users", "personal data with a party cut off", "verdict"],
                               numeric: [1, 2, 3, 4, 5])
        for group in groups {
            table.rows.append([group.name, Wording.english.count(group.systems), Wording.english.count(group.affected),
                               Wording.english.count(group.criticalAffected), Wording.english.count(group.usersAffected),
                               Wording.english.count(group.personalDataWithPartyCutOff), group.verdict])
        }
        return table
    }

    static func systemTable(_ systems: [CutoffScenario.AffectedSystem]) -> HumanTable {
        var table = HumanTable(header: ["system", "name", "function", "criticality", "users", "why it fails", "exit plan", "substitutability",
                                        "alternatives", "act by", "contract ends"], numeric: [4])
        for system in systems {
            let why = system.causes.isEmpty ? "depends on " + system.through.joined(separator: " → ") : system.causes.joined(separator: "; ")
            table.rows.append([
                "\(system.organisation)/\(system.system)", system.name, system.function, system.criticality, system.users.map { Wording.english.count($0) } ?? "-",
                why, system.exitPlan.map { $0 ? "yes" : "no" } ?? "not stated", system.substitutability ?? "not stated",
                system.alternatives.isEmpty ? "-" : system.alternatives.joined(separator: ", "), system.actBy ?? "-", system.contractEnds ?? "-",
            ])
        }
        return table
    }

    private static func sections(_ scenario: CutoffScenario) -> [TablePage.Section] {
        [
            .init(heading: "Per ministry", table: groupTable(scenario.ministries, noun: "ministry")),
            .init(heading: "Per organisation with a system that fails", table: groupTable(scenario.organisations.filter { $0.affected > 0 }, noun: "organisation")),
            .init(heading: "Systems that fail", table: systemTable(scenario.systems)),
        ]
    }

    static func page(_ scenario: CutoffScenario) -> TablePage {
        TablePage(title: heading(scenario), paragraphs: summary(scenario), sections: sections(scenario), glossary: Glossary.cutoff(in: .en))
    }

    /// One row per system that fails, with its organisation's and ministry's ids.
    static func csv(_ scenario: CutoffScenario) -> String {
        var text = ReportRenderer.csvLine([
            "ministry", "organisation", "system", "name", "function", "criticality", "users", "personal_data", "data_with_party_cut_off",
            "causes", "through", "exit_plan", "substitutability", "alternatives", "act_by", "contract_ends",
        ])
        for system in scenario.systems {
            text += ReportRenderer.csvLine([
                system.ministry, system.organisation, system.system, system.name, system.function, system.criticality,
                system.users.map(String.init) ?? "", system.personalData.map { $0 ? "true" : "false" } ?? "",
                system.dataWithPartyCutOff ? "true" : "false", system.causes.joined(separator: "; "), system.through.joined(separator: "; "),
                system.exitPlan.map { $0 ? "true" : "false" } ?? "", system.substitutability ?? "", system.alternatives.joined(separator: "; "),
                system.actBy ?? "", system.contractEnds ?? "",
            ])
        }
        return text
    }
}
