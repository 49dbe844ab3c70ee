import Domain

/// What each column of sovscan's layout asks for, in the words of the
/// template's explanation sheet (`sovscan template --lang de|en`): for the
/// system owners who fill it in.
public enum ColumnGuide {
    /// What `column` asks for, in `language`.
    public static func explanation(of column: String, in language: Language) -> String {
        guard let texts = explanations[column] else { return "" }
        return language == .de ? texts.de : texts.en
    }

    /// The words of the sheet around the explanations.
    public static func word(_ word: Word, in language: Language) -> String {
        let texts: (en: String, de: String) = switch word {
        case .inventorySheet: ("inventory", "Inventar")
        case .columnsSheet: ("columns", "Spalten")
        case .column: ("column", "Spalte")
        case .required: ("required", "Pflicht")
        case .optional: ("optional", "optional")
        case .holds: ("holds", "Inhalt")
        case .values: ("values", "Werte")
        case .means: ("what to enter", "Was einzutragen ist")
        case .number: ("a number", "eine Zahl")
        case .date: ("a date", "ein Datum")
        case .flag: ("TRUE or FALSE", "WAHR oder FALSCH")
        case .text: ("text", "Text")
        case .list: ("a list, separated by ;", "eine Liste, getrennt durch ;")
        case .subprocessors: ("Name (CC); Name (CC)", "Name (Land); Name (Land)")
        case .exceptions: ("a line each: rule | owner | expires | reason", "je Zeile: Regel | Verantwortlich | gültig bis | Begründung")
        }
        return language == .de ? texts.de : texts.en
    }

    public enum Word {
        case inventorySheet, columnsSheet, column, required, optional, holds, values, means
        case number, date, flag, text, list, subprocessors, exceptions
    }

    /// Every column of sovscan's layout, in English and German.
    static let explanations: [String: (en: String, de: String)] = [
        "organisation": ("The id of the organisation that runs the system (lower-case letters, digits, '.', '_', '-').",
                         "Kennung der Organisation, die das System betreibt (Kleinbuchstaben, Ziffern, '.', '_', '-')."),
        "organisation_name": ("The organisation's name.", "Name der Organisation."),
        "organisation_type": ("Its place in the hierarchy: government, ministry, agency, county, municipality, it_service_provider or other.",
                              "Stellung in der Verwaltung: government, ministry, agency, county, municipality, it_service_provider oder other."),
        "organisation_parent": ("The id of the organisation above it (a ministry's agency names the ministry).",
                                "Kennung der übergeordneten Organisation (eine Behörde nennt ihr Ministerium)."),
        "organisation_country": ("The organisation's country (ISO code, DE).", "Land der Organisation (ISO-Code, DE)."),
        "as_of": ("The day the inventory describes.", "Stichtag des Inventars."),
        "id": ("A short id of the system, unique in its organisation.", "Kurze Kennung des Systems, eindeutig in der Organisation."),
        "name": ("The system's name as people call it.", "Name des Systems, wie es im Haus heißt."),
        "function": ("What it is for: email, office, identity, specialist_procedure, … (see the drop-down).",
                     "Wofür es dient: email, office, identity, specialist_procedure, … (siehe Auswahlliste)."),
        "product": ("The product as sold (Exchange Online, OX App Suite).", "Das Produkt, wie es verkauft wird (Exchange Online, OX App Suite)."),
        "vendor": ("Who makes or licenses the software.", "Hersteller oder Lizenzgeber der Software."),
        "operator": ("Who runs it, if not the organisation itself on premises or the hosting provider.",
                     "Wer es betreibt, wenn nicht die Organisation selbst im eigenen Haus oder der Hosting-Anbieter."),
        "deployment": ("How it is run: on_premises, hosted, private_cloud, public_cloud or saas.",
                       "Betriebsform: on_premises, hosted, private_cloud, public_cloud oder saas."),
        "hosting.provider": ("Whose infrastructure holds the data (required unless on_premises).",
                             "Auf wessen Infrastruktur die Daten liegen (Pflicht außer bei on_premises)."),
        "hosting.data_location": ("Where the data is stored: country codes or EU.", "Wo die Daten gespeichert sind: Ländercodes oder EU."),
        "hosting.processing_location": ("Where the data is processed: country codes or EU.", "Wo die Daten verarbeitet werden: Ländercodes oder EU."),
        "hosting.support_access": ("Where staff with access to the data sit: country codes.",
                                   "Wo Personal mit Zugriff auf die Daten sitzt: Ländercodes."),
        "subprocessors": ("Further providers with access to the data, with their country.",
                          "Weitere Dienstleister mit Zugriff auf die Daten, mit ihrem Land."),
        "licence": ("proprietary, or the open-source licence (SPDX, e.g. GPL-2.0-only).",
                    "proprietary, oder die Open-Source-Lizenz (SPDX, z. B. GPL-2.0-only)."),
        "users": ("How many people use it.", "Wie viele Personen es nutzen."),
        "criticality": ("What its failure would mean: low, medium, high or critical (niedrig, mittel, hoch, kritisch).",
                        "Was ein Ausfall bedeutete: low, medium, high oder critical (niedrig, mittel, hoch, kritisch)."),
        "data.personal": ("Whether it holds personal data.", "Ob es personenbezogene Daten enthält."),
        "data.special_categories": ("Whether it holds special categories of personal data (Art. 9 GDPR: health, religion, …).",
                                    "Ob es besondere Kategorien personenbezogener Daten enthält (Art. 9 DSGVO: Gesundheit, Religion, …)."),
        "data.classification": ("The highest classification of its data: none, vs-nfd, confidential or secret.",
                                "Höchster Geheimhaltungsgrad der Daten: none, vs-nfd, confidential oder secret."),
        "formats": ("The formats its data is kept in (odf, ooxml, pdf, proprietary, …).",
                    "Formate, in denen die Daten vorliegen (odf, ooxml, pdf, proprietary, …)."),
        "interfaces": ("Its interfaces (imap, smtp, caldav, rest, …).", "Seine Schnittstellen (imap, smtp, caldav, rest, …)."),
        "export": ("Whether all data can be exported in a usable form: full, partial, none or unknown.",
                   "Ob sich alle Daten brauchbar exportieren lassen: full, partial, none oder unknown."),
        "telemetry": ("Diagnostic data sent to the vendor: none, optional, mandatory or unknown.",
                      "Diagnosedaten an den Hersteller: none, optional, mandatory oder unknown."),
        "encryption_keys": ("Who holds the keys to the data at rest: customer, provider or unknown.",
                            "Wer die Schlüssel der gespeicherten Daten hält: customer, provider oder unknown."),
        "depends_on": ("The ids of systems of the same organisation it cannot run without.",
                       "Kennungen der Systeme derselben Organisation, ohne die es nicht läuft."),
        "contract.ends": ("The day the contract ends.", "Tag, an dem der Vertrag endet."),
        "contract.notice_months": ("The notice period in months.", "Kündigungsfrist in Monaten."),
        "contract.exit_plan": ("Whether there is a written plan for leaving.", "Ob es einen schriftlichen Ausstiegsplan gibt."),
        "contract.annual_cost_eur": ("What it costs a year, in euros.", "Jährliche Kosten in Euro."),
        "contract.governing_law": ("The country whose law governs the contract.", "Land, dessen Recht für den Vertrag gilt."),
        "substitutability": ("How hard it is to replace: easy, medium, hard, none (not at all) or unknown.",
                             "Wie schwer es zu ersetzen ist: easy, medium, hard, none (gar nicht) oder unknown."),
        "alternatives": ("Products that could replace it.", "Produkte, die es ersetzen könnten."),
        "exceptions": ("Findings accepted on purpose: rule, who accepted it, until when, why.",
                       "Bewusst hingenommene Befunde: Regel, wer sie hinnimmt, bis wann, warum."),
        "notes": ("Anything else.", "Sonstiges."),
    ]
}
