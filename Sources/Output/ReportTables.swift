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
    static func table(_ report: Report) -> HumanTable {
        if let vendors = report.vendors { return vendorTable(vendors) }
        if let countries = report.countries { return countryTable(countries) }
        return groupTable(report.groups ?? [], level: report.level)
    }

    static func groupTable(_ groups: [Report.Group], level: ReportLevel) -> HumanTable {
        var table = HumanTable(
            header: [level.rawValue, "orgs", "systems", "critical", "users", "annual cost EUR", "lock-in", "jurisdiction", "top vendor", "HHI",
                     "personal data outside bloc", "personal data under foreign law", "unknown"],
            numeric: [1, 2, 3, 4, 5, 9, 12])
        for group in groups {
            let top = group.vendors.first.map { "\($0.name) (\(ReportRenderer.percent($0.share)))" } ?? "-"
            table.rows.append([
                group.name + (group.standalone ? " *" : ""), count(group.organisations), count(group.systems), count(group.criticalSystems),
                count(group.users), spend(group.spend), score(group.lockIn), score(group.jurisdiction), top, String(format: "%.0f", group.hhi),
                personal(group.personalData.outsideBloc, of: group.personalData.systems),
                personal(group.personalData.underForeignLaw, of: group.personalData.systems), ReportRenderer.percent(group.unknownShare),
            ])
            table.bands.append([6: group.lockIn.band, 7: group.jurisdiction.band])
        }
        return table
    }

    static func vendorTable(_ vendors: [VendorDependence]) -> HumanTable {
        var table = HumanTable(
            header: ["vendor (ultimate parent)", "country", "laws", "dependence", "systems", "share", "critical", "share of critical",
                     "orgs", "ministries", "users", "annual cost EUR", "lock-in", "jurisdiction"],
            numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        for vendor in vendors {
            table.rows.append([
                vendor.name, vendor.country ?? "unknown", shortLaws(vendor.laws), ReportRenderer.percent(vendor.dependence),
                count(vendor.systems), ReportRenderer.percent(vendor.shareOfSystems), count(vendor.criticalSystems),
                ReportRenderer.percent(vendor.shareOfCritical), count(vendor.organisations), count(vendor.ministries), count(vendor.users),
                spend(vendor.spend), ReportRenderer.number(vendor.lockIn) + unanswered(vendor.lockInUnknownPoints.map(ReportRenderer.number)),
                ReportRenderer.number(vendor.jurisdiction) + unanswered(vendor.jurisdictionUnknownPoints.map(ReportRenderer.number)),
            ])
            table.bands.append([12: Band(mean: vendor.lockIn), 13: Band(mean: vendor.jurisdiction)])
        }
        return table
    }

    static func countryTable(_ countries: [CountryDependence]) -> HumanTable {
        var table = HumanTable(
            header: ["country of control", "bloc", "laws", "dependence", "systems", "share", "critical", "share of critical",
                     "annual cost EUR", "share of cost", "personal data", "share of personal data", "parents"],
            numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11])
        for country in countries {
            let parents = country.parents.prefix(3).map(\.name).joined(separator: ", ") + (country.parents.count > 3 ? ", +\(country.parents.count - 3) more" : "")
            table.rows.append([
                country.country.map { "\(country.name) (\($0))" } ?? country.name, country.bloc ?? "-", shortLaws(country.laws),
                ReportRenderer.percent(country.dependence), count(country.systems), ReportRenderer.percent(country.shareOfSystems),
                count(country.criticalSystems), ReportRenderer.percent(country.shareOfCritical), spend(country.spend),
                ReportRenderer.percent(country.shareOfSpend), count(country.personalData.systems),
                ReportRenderer.percent(country.shareOfPersonalData), parents,
            ])
            table.bands.append([:])
        }
        return table
    }

    static func systemHeader() -> HumanTable {
        HumanTable(header: ["risk", "system", "name", "organisation", "ministry", "vendor", "function", "criticality", "lock-in",
                            "jurisdiction", "heaviest finding"],
                   numeric: [0])
    }

    static func systemCells(_ row: SystemRow) -> [String] {
        [String(row.risk), "\(row.organisation)/\(row.system)", row.name, row.organisationName, row.ministryName,
         row.vendorName + (row.vendorCountry.map { " (\($0))" } ?? ""), row.function, row.criticality,
         "\(row.lockIn.score) \(row.lockIn.band)" + unanswered(row.lockIn.unknownPoints.map(String.init)),
         "\(row.jurisdiction.score) \(row.jurisdiction.band)" + unanswered(row.jurisdiction.unknownPoints.map(String.init)),
         row.heaviestFinding.map { "\($0.title) (\($0.points) points)" } ?? "-"]
    }

    /// A count with its noun, singular for one: "1 organisation", "2,474 systems".
    static func counted(_ value: Int, _ singular: String, _ plural: String) -> String {
        "\(count(value)) \(value == 1 ? singular : plural)"
    }

    /// A whole number with thousands separated by commas.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// "1,234,500 (41 of 82)": the stated cost and how many systems state it; "-" when none does.
    static func spend(_ spend: Report.Spend) -> String {
        guard spend.systemsStating > 0 else { return "- (0 of \(count(spend.systems)))" }
        return "\(count(Int(spend.euros.rounded()))) (\(count(spend.systemsStating)) of \(count(spend.systems)))"
    }

    /// "12 of 40": systems counted of those holding personal data; "not recorded" for scans stored before sovscan recorded it.
    static func personal(_ part: Int?, of whole: Int) -> String {
        part.map { "\(count($0)) of \(count(whole))" } ?? "not recorded"
    }

    static func score(_ summary: Report.DimensionSummary) -> String {
        "\(ReportRenderer.number(summary.score)) \(summary.band)" + unanswered(summary.unknownPoints.map(ReportRenderer.number))
    }

    /// " (34 unanswered)": how much of a score open questions make up; nothing when none or not recorded.
    static func unanswered(_ points: String?) -> String {
        guard let points, points != "0", points != "0.0" else { return "" }
        return " (\(points) unanswered)"
    }

    /// The questions each group should answer first, a row per group and question.
    static func answerFirstTable(_ groups: [Report.Group], level: ReportLevel) -> HumanTable {
        var table = HumanTable(header: [level.rawValue, "answer", "systems", "lock-in falls by", "jurisdiction falls by", "systems it moves most"],
                               numeric: [2, 3, 4])
        for group in groups {
            for question in group.answerFirst {
                table.rows.append([group.name, question.question, count(question.systems), ReportRenderer.number(question.lockIn),
                                   ReportRenderer.number(question.jurisdiction), question.systemsFirst.joined(separator: ", ")])
                table.bands.append([:])
            }
        }
        return table
    }

    /// What the answer-first table lists, for every format.
    static let answerFirstIntro = "The questions the inventory leaves open whose best answer would lower each group's "
        + "criticality-weighted mean scores most (unknown answers score like bad ones until answered)"

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
