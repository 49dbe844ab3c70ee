import Domain
import Foundation
import VendorViews

extension VendorList: Printable {
    public static let outputs = Outputs<VendorList>([
        TextRenderer(.table) { list, context in VendorRenderer.table(list, context.wording) },
        JSONRenderer(),
        TextRenderer(.csv) { list, _ in VendorRenderer.csv(list) },
    ])
}

extension VendorDetail: Printable {
    public static let outputs = Outputs<VendorDetail>([
        TextRenderer(.text) { detail, context in VendorRenderer.text(detail, context.wording) },
        JSONRenderer(),
    ])
}

extension UnresolvedNames: Printable {
    public static let outputs = Outputs<UnresolvedNames>([
        TextRenderer(.table) { names, context in VendorRenderer.table(names, context.wording) },
        JSONRenderer(),
        TextRenderer(.csv) { names, _ in VendorRenderer.csv(names) },
    ])
}

/// `sovscan vendors`: the catalogue's vendors, one vendor, and the names nothing resolves.
enum VendorRenderer {
    static func table(_ list: VendorList, _ w: Wording) -> String {
        var rows = [[w.say("id", "Kennung"), w.say("name", "Name"), w.say("country", "Land"), w.say("parent", "Muttergesellschaft"),
                     w.say("ultimate parent", "Konzernmutter"), "LEI"]]
        for vendor in list.vendors {
            let parent = vendor.parent.map {
                "\($0)\(vendor.control == "financial" ? w.say(" (financial)", " (Finanzinvestor)") : "")\(vendor.since.map { w.say(" since \(w.date($0))", " seit \(w.date($0))") } ?? "")"
            } ?? "-"
            rows.append([vendor.id, vendor.name + (vendor.localFile.map { w.say(" [from \($0)]", " [aus \($0)]") } ?? ""), vendor.country, parent,
                         vendor.ultimateParent == vendor.id ? "-" : "\(vendor.ultimateParent) (\(vendor.countryOfControl))", vendor.lei ?? "-"])
        }
        let scope = list.country.map { w.say(" of \($0)", " aus \($0)") } ?? ""
        let local = list.localVendors.map { w.say(" with \($0)", " mit \($0)") } ?? ""
        return w.say("\(list.vendors.count) vendors\(scope) in \(list.ruleSet)\(local)", "\(list.vendors.count) Anbieter\(scope) in \(list.ruleSet)\(local)") + "\n\n"
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
    static func text(_ detail: VendorDetail, _ w: Wording) -> String {
        let since = { (day: String?) in day.map { w.say(" since \(w.date($0))", " seit \(w.date($0))") } ?? "" }
        let from = { (file: String?) in file.map { w.say(" [from \($0)]", " [aus \($0)]") } ?? "" }
        var text = "\(detail.name) (\(detail.id))"
            + (detail.asked.lowercased() == detail.name.lowercased() ? "" : w.say(", as '\(detail.asked)' is read", ", so wird '\(detail.asked)' gelesen")) + "\n"
        if !detail.aliases.isEmpty { text += w.say("aliases", "Aliasnamen") + ": \(detail.aliases.joined(separator: ", "))\n" }
        if let lei = detail.lei { text += "LEI: \(lei)\n" }
        text += w.say("country of control", "Sitzland der Konzernmutter") + ": \(detail.countryOfControl)"
            + (detail.laws.isEmpty ? w.say("; no access law of the rule set reaches its chain", "; kein Zugriffsgesetz des Regelwerks erfasst seine Kette")
                : w.say("; reached by ", "; erfasst von ") + detail.laws.joined(separator: "; ")) + "\n"
        text += "\n" + w.say("chain of owners today:", "Eigentümerkette heute:") + "\n"
        for (index, company) in detail.chain.enumerated() {
            text += "  " + (index == 0 ? "" : w.say("owned by ", "im Besitz von ")) + "\(company.name) (\(company.country))" + since(company.since) + from(company.localFile) + "\n"
        }
        for earlier in detail.earlierParents {
            text += "  " + w.say("earlier: owned by \(earlier.name)", "früher: im Besitz von \(earlier.name)")
                + (earlier.since.map { w.say(" from \(w.date($0))", " vom \(w.date($0))") } ?? "") + w.say(" until \(w.date(earlier.until))", " bis \(w.date(earlier.until))") + "\n"
        }
        for (index, company) in detail.investor.enumerated() {
            text += "  " + (index == 0 ? w.say("controlled by the financial investor ", "kontrolliert vom Finanzinvestor ") : w.say("owned by ", "im Besitz von "))
                + "\(company.name) (\(company.country))" + since(company.since) + "\n"
        }
        text += "\n" + w.say("sources:", "Quellen:") + "\n"
        for company in detail.chain + detail.investor {
            for source in company.sources { text += "  \(company.id): \(source.title), \(source.url) (\(w.date(source.date.description)))\n" }
        }
        if let uses = detail.usedBy, let scan = detail.scan {
            text += "\n" + w.say("systems of scan \(scan) that name it or a company it owns: \(uses.count)",
                                 "Systeme von Scan \(scan), die es oder ein Unternehmen in seinem Besitz nennen: \(uses.count)") + "\n"
            for use in uses {
                text += "  \(use.organisation)/\(use.system) (\(w.criticality(use.criticality))): \(roles(use.roles, w)) '\(use.writtenAs)'\n"
            }
        }
        return text
    }

    static func table(_ names: UnresolvedNames, _ w: Wording) -> String {
        let source = names.scan.map { w.say("scan \($0)", "Scan \($0)") } ?? names.source
        var text = w.say("\(names.names.count) names in \(source) that neither the vendor catalogue nor the organisations resolve; "
                            + "\(w.count(names.systemsAffected)) of \(w.count(names.systems)) systems name at least one",
                         "\(names.names.count) Namen in \(source), die weder der Anbieterkatalog noch die Organisationen auflösen; "
                            + "\(w.count(names.systemsAffected)) von \(w.countedDative(names.systems, .system)) \(names.systemsAffected == 1 ? "nennt" : "nennen") mindestens einen") + "\n"
        guard !names.names.isEmpty else { return text }
        var rows = [[w.say("name", "Name"), w.say("systems", "Systeme"), w.say("high or critical", "Hoch oder kritisch"), w.say("weight", "Gewicht"),
                     w.say("as", "Als"), w.say("first at", "Zuerst in"), w.say("did you mean", "Gemeint?")]]
        for name in names.names {
            rows.append([name.name, w.count(name.systems), w.count(name.criticalSystems), w.count(name.weight),
                         roles(name.roles, w), name.firstAt, name.suggestions.isEmpty ? "-" : name.suggestions.joined(separator: ", ")])
        }
        text += "\n" + ReportRenderer.align(rows, numeric: [1, 2, 3])
        text += "\n" + w.say("For a local vendors file (vendors.yaml beside the inventories, or --vendors FILE), each to fill in:",
                             "Für eine lokale Anbieterdatei (vendors.yaml neben den Inventaren, oder --vendors DATEI), jeweils auszufüllen:")
            + "\n\nrules: 1\nvendors:\n"
        return text + names.names.map(\.stanza).joined()
    }

    /// The parties' roles as the language names them ("vendor", "Anbieter").
    static func roles(_ roles: [String], _ w: Wording) -> String {
        roles.map { PartyRole(rawValue: $0)?.name(in: w.language) ?? $0 }.joined(separator: ", ")
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
