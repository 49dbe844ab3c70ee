import Domain
import Foundation
import Reporting

/// The rows of a report as people read them, the same in the terminal,
/// Markdown and HTML: a header, cells of text, which columns are figures,
/// and the band of each score cell.
struct HumanTable {
    var header: [String]
    var rows: [[String]] = []
    var numeric: Set<Int>
    /// Per row, the band of the cells that show a score.
    var bands: [[Int: Band]] = []
}

enum ReportTables {
    /// The report's rows at its level.
    static func table(_ report: Report, _ w: Wording) -> HumanTable {
        if let vendors = report.vendors { return vendorTable(vendors, w) }
        if let countries = report.countries { return countryTable(countries, w) }
        return groupTable(report.groups ?? [], level: report.level, w)
    }

    static func groupTable(_ groups: [Report.Group], level: ReportLevel, _ w: Wording) -> HumanTable {
        var table = HumanTable(
            header: [w.level(level), w.say("orgs", "Org."), w.say("systems", "Systeme"), w.say("critical", "Hoch oder kritisch"),
                     w.say("users (sum)", "Nutzer (Summe)"), w.say("annual cost EUR", "Jahreskosten EUR"),
                     w.say("lock-in (0–100)", "Lock-in (0–100)"), w.say("jurisdiction (0–100)", "Rechtsraum (0–100)"),
                     w.say("top vendor", "Größter Anbieter"), w.say("HHI (0–10,000)", "HHI (0–10.000)"),
                     w.say("personal data outside bloc", "Personenbez. Daten außerhalb des Blocks"),
                     w.say("personal data under foreign law", "Personenbez. Daten unter fremdem Recht"),
                     w.say("unknown answers", "Anteil offener Angaben")],
            numeric: [1, 2, 3, 4, 5, 9, 12])
        for group in groups {
            let top = group.vendors.first.map { "\($0.name) (\(w.percent($0.share)))" } ?? "-"
            table.rows.append([
                group.name + (group.standalone ? " *" : ""), w.count(group.organisations), w.count(group.systems), w.count(group.criticalSystems),
                w.count(group.users), spend(group.spend, w), score(group.lockIn, w), score(group.jurisdiction, w), top,
                w.count(Int(group.hhi.rounded())),
                personal(group.personalData.outsideBloc, of: group.personalData.systems, w),
                personal(group.personalData.underForeignLaw, of: group.personalData.systems, w), w.percent(group.unknownShare),
            ])
            table.bands.append([6: group.lockIn.band, 7: group.jurisdiction.band])
        }
        return table
    }

    static func vendorTable(_ vendors: [VendorDependence], _ w: Wording) -> HumanTable {
        var table = HumanTable(
            header: [w.say("vendor (ultimate parent)", "Anbieter (Konzernmutter)"), w.say("country", "Sitzland"), w.say("laws", "Gesetze"),
                     w.say("dependence", "Abhängigkeit"), w.say("systems", "Systeme"), w.say("share", "Anteil an Systemen"), w.say("critical", "Hoch oder kritisch"),
                     w.say("share of critical", "Anteil hoch oder kritisch"), w.say("orgs", "Org."), w.say("ministries", "Ministerien"),
                     w.say("users (sum)", "Nutzer (Summe)"), w.say("annual cost EUR", "Jahreskosten EUR"),
                     w.say("lock-in (0–100)", "Lock-in (0–100)"), w.say("jurisdiction (0–100)", "Rechtsraum (0–100)")],
            numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        for vendor in vendors {
            table.rows.append([
                vendor.name, vendor.country ?? w.unknown, shortLaws(vendor.laws), w.percent(vendor.dependence),
                w.count(vendor.systems), w.percent(vendor.shareOfSystems), w.count(vendor.criticalSystems),
                w.percent(vendor.shareOfCritical), w.count(vendor.organisations), w.count(vendor.ministries), w.count(vendor.users),
                spend(vendor.spend, w), w.decimal(vendor.lockIn) + unanswered(vendor.lockInUnknownPoints, w),
                w.decimal(vendor.jurisdiction) + unanswered(vendor.jurisdictionUnknownPoints, w),
            ])
            table.bands.append([12: Band(mean: vendor.lockIn), 13: Band(mean: vendor.jurisdiction)])
        }
        return table
    }

    static func countryTable(_ countries: [CountryDependence], _ w: Wording) -> HumanTable {
        var table = HumanTable(
            header: [w.say("country of control", "Sitzland der Konzernmutter"), w.say("bloc", "Block"), w.say("laws", "Gesetze"),
                     w.say("dependence", "Abhängigkeit"), w.say("systems", "Systeme"), w.say("share", "Anteil an Systemen"), w.say("critical", "Hoch oder kritisch"),
                     w.say("share of critical", "Anteil hoch oder kritisch"), w.say("annual cost EUR", "Jahreskosten EUR"),
                     w.say("share of cost", "Anteil an Kosten"), w.say("personal data", "Systeme mit personenbez. Daten"),
                     w.say("share of personal data", "Anteil an personenbez. Daten"), w.say("parents", "Konzernmütter")],
            numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11])
        for country in countries {
            let more = country.parents.count - 3
            let parents = country.parents.prefix(3).map(\.name).joined(separator: ", ")
                + (more > 0 ? w.say(", +\(more) more", ", +\(more) weitere") : "")
            table.rows.append([
                country.country.map { "\(w.country($0, named: country.name)) (\($0))" } ?? w.unknown,
                country.bloc.map { w.bloc($0) } ?? "-", shortLaws(country.laws),
                w.percent(country.dependence), w.count(country.systems), w.percent(country.shareOfSystems),
                w.count(country.criticalSystems), w.percent(country.shareOfCritical), spend(country.spend, w),
                w.percent(country.shareOfSpend), w.count(country.personalData.systems),
                w.percent(country.shareOfPersonalData), parents,
            ])
            table.bands.append([:])
        }
        return table
    }

    static func systemHeader(_ w: Wording) -> HumanTable {
        HumanTable(header: [w.say("risk (0–400)", "Risiko (0–400)"), w.say("system", "System"), w.say("name", "Name"),
                            w.say("organisation", "Organisation"), w.say("ministry", "Ministerium"), w.say("vendor", "Anbieter"),
                            w.say("function", "Funktion"), w.say("criticality", "Kritikalität"), w.say("lock-in (0–100)", "Lock-in (0–100)"),
                            w.say("jurisdiction (0–100)", "Rechtsraum (0–100)"), w.say("heaviest finding", "Schwerwiegendster Befund")],
                   numeric: [0])
    }

    static func systemCells(_ row: SystemRow, _ w: Wording) -> [String] {
        [w.count(row.risk), "\(row.organisation)/\(row.system)", row.name, row.organisationName, row.ministryName,
         row.vendorName + (row.vendorCountry.map { " (\($0))" } ?? ""), row.function, w.criticality(row.criticality),
         "\(row.lockIn.score) \(w.band(row.lockIn.band))" + unanswered(row.lockIn.unknownPoints, w),
         "\(row.jurisdiction.score) \(w.band(row.jurisdiction.band))" + unanswered(row.jurisdiction.unknownPoints, w),
         row.heaviestFinding.map { finding($0.title, points: $0.points, w) } ?? "-"]
    }

    /// "Vendor cannot export (14 points)": a rule that fired and what it adds.
    static func finding(_ title: TranslatedText, points: Int, _ w: Wording) -> String {
        w.say("\(title.in(w.language)) (\(w.counted(points, .point)))", "\(title.in(w.language)) – \(w.counted(points, .point))")
    }

    /// "1,234,500 (41 of 82)": the stated cost and how many systems state it; "-" when none does.
    static func spend(_ spend: Report.Spend, _ w: Wording) -> String {
        guard spend.systemsStating > 0 else { return "- (\(w.of(0, spend.systems)))" }
        return "\(w.count(Int(spend.euros.rounded()))) (\(w.of(spend.systemsStating, spend.systems)))"
    }

    /// "12 of 40": systems counted of those holding personal data; "not recorded" for scans stored before sovscan recorded it.
    static func personal(_ part: Int?, of whole: Int, _ w: Wording) -> String {
        part.map { w.of($0, whole) } ?? w.say("not recorded", "nicht erfasst")
    }

    static func score(_ summary: Report.DimensionSummary, _ w: Wording) -> String {
        "\(w.decimal(summary.score)) \(w.band(summary.band))" + unanswered(summary.unknownPoints, w)
    }

    /// " (34.0 unanswered)": how much of a score open questions make up; nothing when none or not recorded.
    static func unanswered(_ points: Double?, _ w: Wording) -> String {
        guard let points, w.decimal(points) != w.decimal(0) else { return "" }
        return " " + w.unanswered(w.decimal(points))
    }

    /// " (34 unanswered)" for a system's whole points.
    static func unanswered(_ points: Int?, _ w: Wording) -> String {
        guard let points, points != 0 else { return "" }
        return " " + w.unanswered(w.count(points))
    }

    /// The questions each group should answer first, a row per group and question.
    static func answerFirstTable(_ groups: [Report.Group], level: ReportLevel, _ w: Wording) -> HumanTable {
        var table = HumanTable(header: [w.level(level), w.say("answer", "Angabe"), w.say("systems", "Systeme ohne Angabe"),
                                        w.say("lock-in falls by", "Mögliche Senkung Lock-in"), w.say("jurisdiction falls by", "Mögliche Senkung Rechtsraum"),
                                        w.say("systems it moves most", "Systeme mit der größten Wirkung")],
                               numeric: [2, 3, 4])
        for group in groups {
            for question in group.answerFirst {
                table.rows.append([group.name, question.question, w.count(question.systems), w.decimal(question.lockIn),
                                   w.decimal(question.jurisdiction), question.systemsFirst.joined(separator: ", ")])
                table.bands.append([:])
            }
        }
        return table
    }

    /// What the answer-first table lists, for every format.
    static func answerFirstIntro(_ w: Wording) -> String {
        w.say("The questions the inventory leaves open whose best answer would lower each group's "
              + "criticality-weighted mean scores most (unknown answers score like bad ones until answered)",
              "Die im Inventar offenen Angaben, deren bestmögliche Beantwortung die nach Kritikalität gewichteten "
              + "mittleren Punktwerte der Gruppe am stärksten senken würde (unbekannte Angaben zählen wie ungünstige, bis sie beantwortet sind)")
    }

    /// Law names up to their first comma outside parentheses ("CLOUD Act";
    /// "Cybersecurity Law of the PRC (2016, amended 2025)"), for a table cell.
    static func shortLaws(_ laws: [String]) -> String {
        laws.isEmpty ? "-" : laws.map(shortLaw).joined(separator: "; ")
    }

    static func shortLaw(_ name: String) -> String {
        var depth = 0
        for index in name.indices {
            switch name[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "," where depth == 0: return String(name[..<index])
            default: break
            }
        }
        return name
    }
}
