import Domain
import Foundation
import Reporting
import Scenarios

extension PlanScenario: Printable {
    public static let outputs = Outputs<PlanScenario>([
        TextRenderer(.table) { scenario, context in PlanRenderer.page(scenario, context.wording).text },
        JSONRenderer(),
        TextRenderer(.csv) { scenario, _ in PlanRenderer.csv(scenario) },
        TextRenderer(.markdown) { scenario, context in PlanRenderer.page(scenario, context.wording).markdown },
        TextRenderer(.html) { scenario, context in PlanRenderer.page(scenario, context.wording).html },
    ])
}

/// `whatif plan` in every format: what the steps did, the whole snapshot,
/// the ministries concerned, their countries of control, the systems and
/// the exit windows.
enum PlanRenderer {
    static func heading(_ scenario: PlanScenario, _ w: Wording) -> String {
        w.say("sovscan whatif plan: \(scenario.plan) (\(scenario.file)), on scan \(scenario.scan) as of \(w.date(scenario.asOf))",
              "sovscan whatif plan: \(scenario.plan) (\(scenario.file)), auf Scan \(scenario.scan), Stichtag \(w.date(scenario.asOf))")
    }

    /// "46.2 → 31.0", or the one value when it stays.
    static func move(_ before: String, _ after: String) -> String {
        before == after ? before : "\(before) → \(after)"
    }

    /// A group's mean score; "-" on a side where it has no system.
    static func score(_ value: Double?, _ w: Wording) -> String {
        value.map { w.decimal($0) } ?? "-"
    }

    static func change(_ change: PlanScenario.SystemChange.Change, _ w: Wording) -> String {
        switch change {
        case .changed: w.say("changed", "geändert")
        case .added: w.say("added", "hinzugefügt")
        case .retired: w.say("retired", "stillgelegt")
        case .rescored: w.say("rescored", "neu bewertet")
        }
    }

    static func summary(_ scenario: PlanScenario, _ w: Wording) -> [String] {
        var lines: [String] = []
        if scenario.rulesetHash != scenario.snapshotRulesetHash {
            let snapshot = scenario.snapshotRulesetHash.prefix(12), loaded = scenario.rulesetHash.prefix(12)
            lines.append(w.say("The snapshot was scored with rule set \(snapshot)…; both sides are scored with the rules now loaded (\(loaded)…), so its own figures differ from its report.",
                               "Der Datenstand wurde mit dem Regelwerk \(snapshot)… bewertet; beide Seiten sind mit den jetzt geladenen Regeln (\(loaded)…) bewertet, daher weichen seine Zahlen von seinem Bericht ab."))
        }
        lines.append(w.say("Steps: ", "Schritte: ") + scenario.steps.map { step in
            let systems = w.counted(step.systems.count, .system)
            switch step.action {
            case .set: return w.say("line \(step.line) sets \(step.fields.joined(separator: ", ")) on \(systems)",
                                    "Zeile \(step.line) setzt \(step.fields.joined(separator: ", ")) bei \(w.countedDative(step.systems.count, .system))")
            case .add: return w.say("line \(step.line) adds \(step.systems.joined(separator: ", "))", "Zeile \(step.line) fügt \(step.systems.joined(separator: ", ")) hinzu")
            case .retire: return w.say("line \(step.line) retires \(systems)", "Zeile \(step.line) legt \(systems) still")
            }
        }.joined(separator: "; "))
        let totals = scenario.totals
        let counts = [PlanScenario.SystemChange.Change.changed, .added, .retired, .rescored].compactMap { change -> String? in
            let count = scenario.systems.count { $0.change == change }
            return count == 0 ? nil : "\(w.count(count)) \(self.change(change, w))"
        }
        let systems = move(w.count(totals.systemsBefore), w.count(totals.systemsAfter))
        lines.append(w.say("All organisations: \(systems) systems", "Alle Organisationen: \(systems) Systeme")
            + (counts.isEmpty ? w.say(", none changed", ", keines geändert") : " (\(counts.joined(separator: ", ")))")
            + "; \(w.dimension(.lockIn)) \(move(score(totals.lockInBefore, w), score(totals.lockInAfter, w)))"
            + ", \(w.dimension(.jurisdiction)) \(move(score(totals.jurisdictionBefore, w), score(totals.jurisdictionAfter, w)))")
        return lines
    }

    static func ministryTable(_ groups: [PlanScenario.Group], _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.level(.ministry), w.say("systems", "Systeme"), w.say("lock-in (0–100)", "Lock-in (0–100)"),
                                        w.say("jurisdiction (0–100)", "Rechtsraum (0–100)"), w.say("HHI (0–10,000)", "HHI (0–10.000)"),
                                        w.say("top vendor", "Größter Anbieter")],
                               numeric: [1, 2, 3, 4])
        func hhi(_ value: Double?) -> String { value.map { w.count(Int($0.rounded())) } ?? "-" }
        for group in groups {
            table.rows.append([
                group.name, move(w.count(group.systemsBefore), w.count(group.systemsAfter)),
                move(score(group.lockInBefore, w), score(group.lockInAfter, w)),
                move(score(group.jurisdictionBefore, w), score(group.jurisdictionAfter, w)),
                move(hhi(group.hhiBefore), hhi(group.hhiAfter)),
                move(group.topVendorBefore ?? "-", group.topVendorAfter ?? "-"),
            ])
        }
        return table
    }

    /// The countries whose share moves, per ministry and for all organisations.
    static func countryTable(_ scenario: PlanScenario, _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.say("scope", "Bereich"), w.say("country of control", "Sitzland der Konzernmutter"), w.say("systems", "Systeme"),
                                        w.say("share of systems", "Anteil an Systemen")],
                               numeric: [2, 3])
        let scopes = scenario.ministries.map { ($0, $0.name) } + [(scenario.totals, w.say("all organisations", "alle Organisationen"))]
        for (group, name) in scopes {
            for country in group.countries where country.systemsBefore != country.systemsAfter || country.shareBefore != country.shareAfter {
                table.rows.append([name, country.country.map { "\(w.country($0, named: country.name)) (\($0))" } ?? w.unknown,
                                   move(w.count(country.systemsBefore), w.count(country.systemsAfter)),
                                   move(w.percent(country.shareBefore), w.percent(country.shareAfter))])
            }
        }
        return table
    }

    static func systemTable(_ systems: [PlanScenario.SystemChange], _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.say("system", "System"), w.say("change", "Änderung"), w.say("fields", "Felder"),
                                        w.say("lock-in (0–100)", "Lock-in (0–100)"), w.say("jurisdiction (0–100)", "Rechtsraum (0–100)"),
                                        w.say("findings added", "Hinzugekommene Befunde"), w.say("findings removed", "Entfallene Befunde"),
                                        w.say("act by", "Kündigung bis")],
                               numeric: [])
        func score(_ value: Int?, _ band: Band?) -> String {
            value.map { "\($0) \(band.map { w.band($0) } ?? "")" } ?? "-"
        }
        for system in systems {
            table.rows.append([
                system.system, change(system.change, w), system.fields.isEmpty ? "-" : system.fields.joined(separator: ", "),
                move(score(system.lockInBefore, system.lockInBandBefore), score(system.lockInAfter, system.lockInBandAfter)),
                move(score(system.jurisdictionBefore, system.jurisdictionBandBefore), score(system.jurisdictionAfter, system.jurisdictionBandAfter)),
                system.findingsAdded.isEmpty ? "-" : system.findingsAdded.joined(separator: ", "),
                system.findingsRemoved.isEmpty ? "-" : system.findingsRemoved.joined(separator: ", "),
                move(system.actByBefore.map { w.date($0) } ?? "-", system.actByAfter.map { w.date($0) } ?? "-"),
            ])
        }
        return table
    }

    static func exitTable(_ scenario: PlanScenario, _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.level(.ministry), w.say("opened or closed", "Geöffnet oder geschlossen"), w.say("system", "System"),
                                        w.say("status", "Status"), w.say("act by", "Kündigung bis"), w.say("contract ends", "Vertragsende"),
                                        w.say("vendor", "Anbieter")],
                               numeric: [])
        for group in scenario.ministries {
            for (what, windows) in [(w.say("opened", "geöffnet"), group.exitWindowsOpened), (w.say("closed", "geschlossen"), group.exitWindowsClosed)] {
                for window in windows {
                    table.rows.append([group.name, what, "\(window.organisation)/\(window.system)", w.status(window.status), w.date(window.actBy),
                                       w.date(window.contractEnds), window.vendor])
                }
            }
        }
        return table
    }

    private static func sections(_ scenario: PlanScenario, _ w: Wording) -> [TablePage.Section] {
        let months = w.countedDative(scenario.withinMonths, .month)
        return [
            .init(heading: w.say("Ministries concerned", "Betroffene Ministerien"), table: ministryTable(scenario.ministries, w)),
            .init(heading: w.say("Countries of control whose share moves", "Sitzländer der Konzernmütter, deren Anteil sich verschiebt"), table: countryTable(scenario, w)),
            .init(heading: w.say("Systems", "Systeme"), table: systemTable(scenario.systems, w)),
            .init(heading: w.say("Exit windows within \(months) the plan opens or closes", "Ausstiegsfenster innerhalb von \(months), die der Plan öffnet oder schließt"),
                  table: exitTable(scenario, w)),
        ]
    }

    static func page(_ scenario: PlanScenario, _ w: Wording) -> TablePage {
        TablePage(title: heading(scenario, w), paragraphs: summary(scenario, w), sections: sections(scenario, w),
                  glossary: Glossary.plan(in: w.language), wording: w)
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
