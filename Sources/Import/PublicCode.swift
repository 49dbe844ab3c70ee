import Domain
import Inventory
import YAMLReading

/// A `publiccode.yml` (the metadata standard for public software, versions
/// 0.2 to 0.4 and the 0.7 draft) as one system: the software's name, its
/// owner as vendor, its licence, who maintains it (a contractor is the
/// operator, the latest `until` the contract's end), its proprietary
/// dependencies and its repository as notes. What the file cannot say (the
/// criticality, how it is run) is written as assumed, and named so.
public enum PublicCode {
    /// Whether a file is a publiccode.yml: by its name, or by its first key.
    public static func isPublicCode(path: String, text: String?) -> Bool {
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
        return name == "publiccode.yml" || name == "publiccode.yaml" || (text?.hasPrefix("publiccodeYmlVersion:") ?? false)
    }

    /// publiccode.yml categories → the function taxonomy of `rules/functions.yaml`.
    static let functions: [String: String] = [
        "email-management": "email", "office": "office", "collaboration": "collaboration", "instant-messaging": "messaging",
        "video-conferencing": "video_conferencing", "document-management": "document_management", "archiving": "archiving",
        "identity-management": "identity", "geographic-information-systems": "gis", "content-management": "web_cms",
        "website-builder": "web_cms", "project-management": "project_management", "accounting": "erp_finance", "financial-reporting": "erp_finance",
        "hr": "hr", "procurement": "e_procurement", "e-commerce": "payment", "payment-gateway": "payment", "crm": "crm",
        "data-analytics": "analytics", "business-intelligence": "analytics", "help-desk": "ticketing", "it-development": "development",
        "digital-citizenship": "citizen_services", "e-signature": "citizen_services",
    ]

    /// The system a publiccode.yml describes, with where each value came
    /// from; nil after the errors in `log`.
    public static func system(path: String, reference: ReferenceData, log: inout DiagnosticLog) -> (System, [String: String])? {
        guard let root = SingleDocument.read(path: path, log: &log) else { return nil }
        func node(_ keys: [String]) -> Node? {
            var node: Node? = root
            for key in keys {
                var found: Node?
                _ = node?.forEachEntry { name, _, value in if name == key { found = value } }
                node = found
            }
            return node
        }
        func value(_ keys: String...) -> Node? { node(keys) }
        func text(_ keys: String...) -> String? { node(keys).flatMap { $0.isNull ? nil : $0.scalar?.value } }
        let version = text("publiccodeYmlVersion") ?? ""
        if !["0.2", "0.3", "0.4", "0.7"].contains(where: { version == $0 || version.hasPrefix($0 + ".") }) {
            log.warning("version", at: value("publiccodeYmlVersion")?.location ?? root.location,
                        "publiccodeYmlVersion '\(version)' is not one sovscan knows (0.2 to 0.4, the 0.7 draft); the keys it shares with them are read")
        }
        guard let name = text("name") else {
            log.error("missing-field", at: root.location, "the publiccode.yml has no 'name'")
            return nil
        }
        var provenance: [String: String] = [:]
        func given(_ field: String, _ key: String) { provenance[field] = "\(path): \(key), given" }
        let owner = text("legal", "mainCopyrightOwner") ?? text("legal", "repoOwner")
        guard let vendor = owner else {
            log.error("missing-field", at: value("legal")?.location ?? root.location,
                      "the publiccode.yml names no owner (legal.mainCopyrightOwner or legal.repoOwner), which sovscan takes as the vendor")
            return nil
        }
        provenance["vendor"] = "\(path): legal.\(text("legal", "mainCopyrightOwner") != nil ? "mainCopyrightOwner" : "repoOwner"), given"
        given("name", "name")
        given("product", "name")
        var licence = "proprietary"
        if let license = text("legal", "license") {
            licence = license
            given("licence", "legal.license")
        } else {
            log.error("missing-field", at: value("legal")?.location ?? root.location, "the publiccode.yml has no legal.license")
        }
        // Maintenance: a contractor runs it; its latest 'until' ends the contract.
        var operatorName: String?, ends: Day?
        let maintenance = text("maintenance", "type") ?? "none"
        if maintenance == "contract" {
            var contractors: [(name: String, until: Day?)] = []
            for item in value("maintenance", "contractors")?.items ?? [] {
                var contractor: String?, until: Day?
                _ = item.forEachEntry { key, _, value in
                    if key == "name" { contractor = value.scalar?.value }
                    if key == "until" { until = value.scalar.flatMap { Day(iso: $0.value) } }
                }
                if let contractor { contractors.append((contractor, until)) }
            }
            operatorName = contractors.first?.name
            ends = contractors.compactMap(\.until).max()
            if operatorName != nil { provenance["operator"] = "\(path): maintenance.contractors, given" }
            if ends != nil { provenance["contract.ends"] = "\(path): maintenance.contractors.until (the latest), given" }
        }
        var function = "other"
        let categories = (value("categories")?.items ?? []).compactMap { $0.scalar?.value }
        if let category = categories.first(where: { functions[$0] != nil }) {
            function = functions[category]!
            provenance["function"] = "\(path): categories '\(category)', inferred"
        } else {
            provenance["function"] = "missing: no category of \(path) names a function; set it"
        }
        provenance["deployment"] = "missing: assumed on_premises; set how it is run"
        provenance["criticality"] = "missing: assumed medium; set it"
        var notes = ["maintenance: \(maintenance)"]
        if let url = text("url") { notes.append("source repository: \(url)") }
        let proprietary = (value("dependsOn", "proprietary")?.items ?? []).compactMap { item -> String? in
            var dependency: String?
            _ = item.forEachEntry { key, _, value in if key == "name" { dependency = value.scalar?.value } }
            return dependency
        }
        if !proprietary.isEmpty { notes.append("depends on proprietary: \(proprietary.joined(separator: ", "))") }
        provenance["notes"] = "\(path): maintenance.type, url, dependsOn.proprietary"
        let id = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }).split(separator: "-").joined(separator: "-")
        provenance["id"] = "\(path): name, as an id"
        let system = System(
            id: id.isEmpty ? "software" : id, name: name, function: function, product: name, vendor: vendor, operatorName: operatorName,
            deployment: .onPremises, licence: licence, criticality: .medium,
            contract: ends.map { Contract(ends: $0) }, notes: notes.joined(separator: "; "), location: root.location)
        // Checked as the inventory's reader checks a system (the licence an SPDX expression, the function known).
        guard !log.hasErrors, let checked = SingleRecordReader(reference: reference, strict: true).system(system.node(at: root.location), log: &log) else {
            return nil
        }
        return (checked, provenance)
    }
}
