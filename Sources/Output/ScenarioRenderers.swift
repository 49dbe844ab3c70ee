import Domain
import Foundation
import Reporting
import Scenarios

extension CutoffScenario: Printable {
    public static let outputs = Outputs<CutoffScenario>([
        TextRenderer(.table) { scenario, context in ScenarioRenderer.page(scenario, context.wording).text },
        JSONRenderer(),
        TextRenderer(.csv) { scenario, _ in ScenarioRenderer.csv(scenario) },
        TextRenderer(.markdown) { scenario, context in ScenarioRenderer.page(scenario, context.wording).markdown },
        TextRenderer(.html) { scenario, context in ScenarioRenderer.page(scenario, context.wording).html },
    ])
}

/// `whatif cutoff` in every format: the verdicts, the groups, then the systems that fail.
enum ScenarioRenderer {
    static func heading(_ scenario: CutoffScenario, _ w: Wording) -> String {
        let cuts = scenario.cuts.map { cut in
            "\(cut.kind == "country" ? w.country(cut.id, named: cut.name) : cut.name) (\(kind(cut.kind, w)) \(cut.id))"
        }.joined(separator: ", ")
        return w.say("sovscan whatif cutoff: scan \(scenario.scan), as of \(w.date(scenario.asOf))", "sovscan whatif cutoff: Scan \(scenario.scan), Stichtag \(w.date(scenario.asOf))")
            + (scenario.under.map { w.say(", under \($0)", ", unterhalb von \($0)") } ?? "")
            + w.say(", cutting off \(cuts)", ", abgeschnitten: \(cuts)")
    }

    /// What a cut names: a company (`parent`), a country or a law.
    static func kind(_ kind: String, _ w: Wording) -> String {
        switch kind {
        case "parent": w.say("parent", "Konzern")
        case "country": w.say("country", "Land")
        case "law": w.say("law", "Gesetz")
        default: kind
        }
    }

    static func summary(_ scenario: CutoffScenario, _ w: Wording) -> [String] {
        let totals = scenario.totals
        let companies = scenario.companiesCutOff.isEmpty ? w.say("none", "keines") : scenario.companiesCutOff.joined(separator: ", ")
        return [
            w.say("Companies cut off among the scan's parties: ", "Abgeschnittene Unternehmen unter den Beteiligten des Scans: ") + companies,
            w.say("\(w.count(totals.affected)) of \(w.counted(totals.systems, .system)) \(totals.affected == 1 ? "fails" : "fail") "
                    + "(\(w.count(totals.criticalAffected)) high or critical), \(w.count(totals.usersAffected)) users summed over them; "
                    + "personal data with a party cut off in \(w.counted(totals.personalDataWithPartyCutOff, .system))",
                  "\(w.count(totals.affected)) von \(w.countedDative(totals.systems, .system)) \(totals.affected == 1 ? "fällt" : "fallen") aus "
                    + "(davon \(w.count(totals.criticalAffected)) hoch oder kritisch), \(w.count(totals.usersAffected)) Nutzer, summiert über sie; "
                    + "personenbezogene Daten bei abgeschnittenem Beteiligten: \(w.counted(totals.personalDataWithPartyCutOff, .system))"),
            w.say("Verdict: ", "Ergebnis: ") + totals.verdict.text(in: w.language),
        ]
    }

    static func groupTable(_ groups: [CutoffScenario.Group], level: ReportLevel, _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.level(level), w.say("systems", "Systeme"), w.say("fail", "Fallen aus"), w.say("high or critical", "Davon hoch oder kritisch"),
                                        w.say("users (sum)", "Nutzer (Summe)"),
                                        w.say("personal data with a party cut off", "Personenbez. Daten bei abgeschnittenem Beteiligten"),
                                        w.say("verdict", "Ergebnis")],
                               numeric: [1, 2, 3, 4, 5])
        for group in groups {
            table.rows.append([group.name, w.count(group.systems), w.count(group.affected), w.count(group.criticalAffected), w.count(group.usersAffected),
                               w.count(group.personalDataWithPartyCutOff), group.verdict.text(in: w.language)])
        }
        return table
    }

    static func systemTable(_ systems: [CutoffScenario.AffectedSystem], _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.say("system", "System"), w.say("name", "Name"), w.say("function", "Funktion"), w.say("criticality", "Kritikalität"),
                                        w.say("users", "Nutzer"), w.say("why it fails", "Grund des Ausfalls"), w.say("exit plan", "Ausstiegsplan"),
                                        w.say("substitutability", "Ersetzbarkeit"), w.say("alternatives", "Alternativen"), w.say("act by", "Kündigung bis"),
                                        w.say("contract ends", "Vertragsende")],
                               numeric: [4])
        let notStated = w.say("not stated", "nicht angegeben")
        for system in systems {
            let why = system.causes.isEmpty ? w.say("depends on ", "hängt ab von ") + system.through.joined(separator: " → ")
                : system.causes.map { $0.text(in: w.language) }.joined(separator: "; ")
            table.rows.append([
                "\(system.organisation)/\(system.system)", system.name, system.function, w.criticality(system.criticality),
                system.users.map { w.count($0) } ?? "-", why, system.exitPlan.map { $0 ? w.say("yes", "ja") : w.say("no", "nein") } ?? notStated,
                system.substitutability.map { w.substitutability($0) } ?? notStated, system.alternatives.isEmpty ? "-" : system.alternatives.joined(separator: ", "),
                system.actBy.map { w.date($0) } ?? "-", system.contractEnds.map { w.date($0) } ?? "-",
            ])
        }
        return table
    }

    private static func sections(_ scenario: CutoffScenario, _ w: Wording) -> [TablePage.Section] {
        [
            .init(heading: w.say("Per ministry", "Je Ministerium"), table: groupTable(scenario.ministries, level: .ministry, w)),
            .init(heading: w.say("Per organisation with a system that fails", "Je Organisation mit einem ausfallenden System"),
                  table: groupTable(scenario.organisations.filter { $0.affected > 0 }, level: .organisation, w)),
            .init(heading: w.say("Systems that fail", "Ausfallende Systeme"), table: systemTable(scenario.systems, w)),
        ]
    }

    static func page(_ scenario: CutoffScenario, _ w: Wording) -> TablePage {
        TablePage(title: heading(scenario, w), paragraphs: summary(scenario, w), sections: sections(scenario, w),
                  glossary: Glossary.cutoff(in: w.language), wording: w)
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
                system.dataWithPartyCutOff ? "true" : "false", system.causes.map { $0.text(in: .en) }.joined(separator: "; "),
                system.through.joined(separator: "; "),
                system.exitPlan.map { $0 ? "true" : "false" } ?? "", system.substitutability ?? "", system.alternatives.joined(separator: "; "),
                system.actBy ?? "", system.contractEnds ?? "",
            ])
        }
        return text
    }
}
