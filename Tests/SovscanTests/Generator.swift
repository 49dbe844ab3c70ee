/// A deterministic synthetic inventory for scale, crash and dedupe tests:
/// `organisations` organisation documents of `systems` systems each, in the
/// inventory format, without the shared benchmark generator.
enum SyntheticInventory {
    static func files(organisations: Int, systems: Int, seed: Int = 1) -> [String: String] {
        var files: [String: String] = [
            "organisations.yaml": "inventory: 1\norganisations:\n  - {id: land, name: Land, type: government, country: DE}\n  - {id: im, name: Innenministerium, type: ministry, parent: land, country: DE}\n",
        ]
        let vendors = [("Microsoft", "saas", "Exchange Online"), ("SAP SE", "on_premises", "SAP S/4HANA"),
                       ("Nextcloud", "hosted", "Nextcloud Hub"), ("Amazon Web Services", "public_cloud", "Amazon S3"),
                       ("Dataport", "hosted", "dPhoenix"), ("Open-Xchange", "on_premises", "OX App Suite")]
        let functions = ["email", "erp_finance", "collaboration", "storage", "specialist_procedure", "identity"]
        for organisation in 0..<organisations {
            var text = """
                inventory: 1
                organisation:
                  id: org-\(organisation)
                  name: "Kommune \(organisation) – Verwaltung"
                  type: municipality
                  parent: im
                  country: DE
                as_of: 2026-09-30
                systems:

                """
            for system in 0..<systems {
                let pick = (system * 7 + organisation * 3 + seed) % vendors.count
                let (vendor, deployment, product) = vendors[pick]
                text += """
                      - id: sys-\(system)
                        name: "\(product) \(system) <Fachverfahren & Co>"
                        function: \(functions[(system + seed) % functions.count])
                        product: \(product)
                        vendor: \(vendor)
                        deployment: \(deployment)

                    """
                if deployment != "on_premises" {
                    text += "    hosting: {provider: \(vendor), data_location: [\(pick % 2 == 0 ? "DE, IE" : "EU")]}\n"
                }
                text += """
                        licence: \(pick == 2 ? "AGPL-3.0-or-later" : "proprietary")
                        users: \(system * 13 % 5000)
                        criticality: \(["low", "medium", "high", "critical"][system % 4])
                        data: {personal: \(system % 3 == 0), classification: none}
                        formats: [odf, pdf]
                        interfaces: [rest]
                        export: partial
                        contract: {ends: 2028-0\(1 + system % 9)-15, notice_months: 6, annual_cost_eur: \(1000 + system)}
                        notes: "Geprüft am 1. März; Abhängigkeit bleibt"

                    """
            }
            files["org-\(organisation).yaml"] = text
        }
        return files
    }
}
