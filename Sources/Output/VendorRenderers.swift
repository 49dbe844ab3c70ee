import Foundation
import VendorViews

extension VendorList: Printable {
    public static let outputs = Outputs<VendorList>([
        TextRenderer(.table) { list, _ in VendorRenderer.table(list) },
        JSONRenderer(),
        TextRenderer(.csv) { list, _ in VendorRenderer.csv(list) },
    ])
}

extension VendorDetail: Printable {
    public static let outputs = Outputs<VendorDetail>([
        TextRenderer(.text) { detail, _ in VendorRenderer.text(detail) },
        JSONRenderer(),
    ])
}

extension UnresolvedNames: Printable {
    public static let outputs = Outputs<UnresolvedNames>([
        TextRenderer(.table) { names, _ in VendorRenderer.table(names) },
        JSONRenderer(),
        TextRenderer(.csv) { names, _ in VendorRenderer.csv(names) },
    ])
}

/// `sovscan vendors`: the catalogue's vendors, one vendor, and the names nothing resolves.
enum VendorRenderer {
    static func table(_ list: VendorList) -> String {
        var rows = [["id", "name", "country", "parent", "ultimate parent", "LEI"]]
        for vendor in list.vendors {
            let parent = vendor.parent.map { "\($0)\(vendor.control == "financial" ? " (financial)" : "")\(vendor.since.map { " since \($0)" } ?? "")" } ?? "-"
            rows.append([vendor.id, vendor.name + (vendor.localFile.map { " [from \($0)]" } ?? ""), vendor.country, parent,
                         vendor.ultimateParent == vendor.id ? "-" : "\(vendor.ultimateParent) (\(vendor.countryOfControl))", vendor.lei ?? "-"])
        }
        let scope = list.country.map { " of \($0)" } ?? ""
        return "\(list.vendors.count) vendors\(scope) in \(list.ruleSet)\(list.localVendors.map { " with \($0)" } ?? "")\n\n"
            + ReportRenderer.align(rows, numeric: [])
    }

    static func csv(_ list: VendorList) -> String {
        var text = ReportRenderer.csvLine(["id", "name", "country", "parent", "since", "control", "ultimate_parent", "country_of_control", "lei",
                                           "aliases", "local_file"])
        for vendor in list.vendors {
            text += ReportRenderer.csvLine([vendor.id, vendor.name, vendor.country, vendor.parent ?? "", vendor.since ?? "", vendor.control ?? "",
                                            vendor.ultimateParent, vendor.countryOfControl, vendor.lei ?? "", vendor.aliases.joined(separator: "; "),
                                            vendor.localFile ?? ""])
        }
        return text
    }

    /// The vendor, its chain with dates and laws, its sources, and the systems that use it.
    static func text(_ detail: VendorDetail) -> String {
        var text = "\(detail.name) (\(detail.id))" + (detail.asked.lowercased() == detail.name.lowercased() ? "" : ", as '\(detail.asked)' is read") + "\n"
        if !detail.aliases.isEmpty { text += "aliases: \(detail.aliases.joined(separator: ", "))\n" }
        if let lei = detail.lei { text += "LEI: \(lei)\n" }
        text += "country of control: \(detail.countryOfControl)" + (detail.laws.isEmpty ? "; no access law of the rule set reaches its chain" : "; reached by \(detail.laws.joined(separator: "; "))") + "\n"
        text += "\nchain of owners today:\n"
        for (index, company) in detail.chain.enumerated() {
            text += "  " + (index == 0 ? "" : "owned by ") + "\(company.name) (\(company.country))"
                + (company.since.map { " since \($0)" } ?? "") + (company.localFile.map { " [from \($0)]" } ?? "") + "\n"
        }
        for earlier in detail.earlierParents {
            text += "  earlier: owned by \(earlier.name)" + (earlier.since.map { " from \($0)" } ?? "") + " until \(earlier.until)\n"
        }
        for (index, company) in detail.investor.enumerated() {
            text += "  " + (index == 0 ? "controlled by the financial investor " : "owned by ") + "\(company.name) (\(company.country))"
                + (company.since.map { " since \($0)" } ?? "") + "\n"
        }
        text += "\nsources:\n"
        for company in detail.chain + detail.investor {
            for source in company.sources { text += "  \(company.id): \(source.title), \(source.url) (\(source.date))\n" }
        }
        if let uses = detail.usedBy, let scan = detail.scan {
            text += "\nsystems of scan \(scan) that name it or a company it owns: \(uses.count)\n"
            for use in uses {
                text += "  \(use.organisation)/\(use.system) (\(use.criticality)): \(use.roles.joined(separator: ", ")) '\(use.writtenAs)'\n"
            }
        }
        return text
    }

    static func table(_ names: UnresolvedNames) -> String {
        var text = "\(names.names.count) names in \(names.source) that neither the vendor catalogue nor the organisations resolve; "
            + "\(Wording.english.count(names.systemsAffected)) of \(Wording.english.count(names.systems)) systems name at least one\n"
        guard !names.names.isEmpty else { return text }
        var rows = [["name", "systems", "high or critical", "weight", "as", "first at", "did you mean"]]
        for name in names.names {
            rows.append([name.name, Wording.english.count(name.systems), Wording.english.count(name.criticalSystems), Wording.english.count(name.weight),
                         name.roles.joined(separator: ", "), name.firstAt, name.suggestions.isEmpty ? "-" : name.suggestions.joined(separator: ", ")])
        }
        text += "\n" + ReportRenderer.align(rows, numeric: [1, 2, 3])
        text += "\nFor a local vendors file (vendors.yaml beside the inventories, or --vendors FILE), each to fill in:\n\nrules: 1\nvendors:\n"
        return text + names.names.map(\.stanza).joined()
    }

    static func csv(_ names: UnresolvedNames) -> String {
        var text = ReportRenderer.csvLine(["name", "systems", "critical_systems", "weight", "roles", "first_at", "suggestions"])
        for name in names.names {
            text += ReportRenderer.csvLine([name.name, String(name.systems), String(name.criticalSystems), String(name.weight),
                                            name.roles.joined(separator: "; "), name.firstAt, name.suggestions.joined(separator: "; ")])
        }
        return text
    }
}
