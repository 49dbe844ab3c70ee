import Domain

/// What each figure of a report counts, in the words every format shows
/// (a legend in a table, a glossary in Markdown and HTML), so that a figure
/// is never quoted for something it does not count.
public struct GlossaryEntry: Sendable, Encodable, Equatable {
    public var term: String
    public var definition: String
}

public enum Glossary {
    /// The entries of the figures a report at `level` shows, in `language`;
    /// `unansweredRecorded` is false for a scan stored before the unanswered
    /// points were kept.
    public static func entries(for level: ReportLevel, unansweredRecorded: Bool, in language: Language) -> [GlossaryEntry] {
        let terms = figures(of: level)
        let shown = unansweredRecorded ? terms : terms.compactMap { $0 == .unanswered ? .unansweredNotRecorded : $0 == .answerFirst ? nil : $0 }
        return shown.map { $0.entry(in: language) }
    }

    /// What the figures of `whatif cutoff` count, in `language`.
    public static func cutoff(in language: Language) -> [GlossaryEntry] {
        [Term.cutOff, .fail, .functionsStopped, .critical, .personalCutOff, .actBy].map { $0.entry(in: language) }
    }

    /// What the figures of `whatif plan` count, in `language`.
    public static func plan(in language: Language) -> [GlossaryEntry] {
        [Term.beforeAfter, .change, .lockIn, .jurisdiction, .findingsAddedRemoved, .hhi, .topVendor, .countryShares, .exitWindowsOpenedClosed]
            .map { $0.entry(in: language) }
    }

    private static func figures(of level: ReportLevel) -> [Term] {
        switch level {
        case .ministry, .organisation:
            [.lockIn, .jurisdiction, .unanswered, .critical, .cost, .topVendor, .hhi, .personalOutside, .personalForeignLaw, .unknown, .answerFirst, .exitWindows]
        case .vendor:
            [.dependence, .country, .laws, .shareOfSystems, .shareOfCritical, .critical, .ministries, .cost, .lockIn, .jurisdiction, .unanswered, .exitWindows]
        case .country:
            [.dependence, .country, .laws, .shareOfSystems, .shareOfCritical, .critical, .cost, .personalOutside, .personalForeignLaw, .exitWindows]
        case .system:
            [.risk, .lockIn, .jurisdiction, .unanswered, .heaviest, .cost]
        }
    }

    /// A term of the glossary, whatever the language: entries are told apart
    /// by it, never by their text.
    private enum Term {
        case lockIn, jurisdiction, critical, cost, personalOutside, personalForeignLaw, unknown, hhi, topVendor
        case dependence, shareOfSystems, shareOfCritical, ministries, laws, country, risk, heaviest, exitWindows
        case unanswered, unansweredNotRecorded, answerFirst
        case cutOff, fail, functionsStopped, personalCutOff, actBy
        case beforeAfter, change, findingsAddedRemoved, countryShares, exitWindowsOpenedClosed

        func entry(in language: Language) -> GlossaryEntry {
            let text = language == .de ? texts.de : texts.en
            return GlossaryEntry(term: text.term, definition: text.definition)
        }

        typealias Text = (term: String, definition: String)

        /// The entry in English and German, side by side.
        private var texts: (en: Text, de: Text) {
            switch self {
            case .lockIn: (
                en: ("lock-in", "how hard the systems are to leave: 0 (no risk found) to 100, from the lock-in rules that fired (formats, export, interfaces, contract, substitutability, coupling); for a group, the mean over its systems weighted by criticality (low 1, medium 2, high 3, critical 4). Bands: low < 25 ≤ medium < 50 ≤ high < 75 ≤ critical"),
                de: ("Lock-in", "wie schwer der Ausstieg aus den Systemen fällt: 0 (kein Risiko festgestellt) bis 100, aus den ausgelösten Lock-in-Regeln (Formate, Export, Schnittstellen, Vertrag, Ersetzbarkeit, Kopplung); für eine Gruppe der nach Kritikalität gewichtete Mittelwert über ihre Systeme (niedrig 1, mittel 2, hoch 3, kritisch 4). Stufen: niedrig < 25 ≤ mittel < 50 ≤ hoch < 75 ≤ kritisch"))
            case .jurisdiction: (
                en: ("jurisdiction", "how far the systems' data is within reach of foreign law: 0 to 100, from the jurisdiction rules that fired (the parties' countries of control, data and processing locations, support access, keys, telemetry); weighted and banded as lock-in"),
                de: ("Rechtsraum", "wie weit die Daten der Systeme im Zugriffsbereich fremden Rechts liegen: 0 bis 100, aus den ausgelösten Rechtsraum-Regeln (Sitzländer der Konzernmütter der Beteiligten, Speicher- und Verarbeitungsorte der Daten, Supportzugriff, Schlüssel, Telemetrie); gewichtet und in Stufen eingeteilt wie Lock-in"))
            case .critical: (
                en: ("critical systems", "systems of criticality high or critical"),
                de: ("hoch oder kritisch", "Systeme der Kritikalität hoch oder kritisch"))
            case .cost: (
                en: ("annual cost", "the sum of contract.annual_cost_eur in euros over the systems that state it; \"of N\" says how many systems state a cost, so that a sum over few is not read as the whole"),
                de: ("Jahreskosten", "Summe von contract.annual_cost_eur in Euro über die Systeme mit dieser Angabe; „von N“ nennt die Zahl der Systeme mit Kostenangabe, damit eine Summe über wenige Systeme nicht als Gesamtbetrag gelesen wird"))
            case .personalOutside: (
                en: ("personal data outside bloc", "of the systems holding personal data (data.personal true), those whose data is stored or processed outside the organisation's bloc (hosting.data_location or hosting.processing_location); by where the data lies"),
                de: ("personenbezogene Daten außerhalb des Blocks", "von den Systemen mit personenbezogenen Daten (data.personal true) diejenigen, deren Daten außerhalb des Blocks der Organisation (für Organisationen in der EU: außerhalb von EU/EWR) gespeichert oder verarbeitet werden (hosting.data_location oder hosting.processing_location); maßgeblich ist, wo die Daten liegen"))
            case .personalForeignLaw: (
                en: ("personal data under foreign law", "of the systems holding personal data, those whose operator or hosting provider (the parties holding the data; the organisation itself on premises) has its ultimate parent in another country with an access law in the rule set (the CLOUD Act and FISA 702 for the United States); by who holds the data, wherever it lies"),
                de: ("personenbezogene Daten unter fremdem Recht", "von den Systemen mit personenbezogenen Daten diejenigen, deren Betreiber oder Hosting-Anbieter (die Beteiligten, die die Daten halten; bei Betrieb im eigenen Haus die Organisation selbst) von einer Konzernmutter in einem anderen Land kontrolliert wird, für das der Regelwerk ein Zugriffsgesetz enthält (für die Vereinigten Staaten CLOUD Act und FISA Section 702); maßgeblich ist, wer die Daten hält, gleich wo sie liegen"))
            case .unknown: (
                en: ("unknown answers", "the share of the nine key answers per system (export, telemetry, encryption keys, substitutability, data location, data.personal, exit plan, the vendor's and the hosting provider's country) that the inventory leaves unanswered"),
                de: ("Anteil offener Angaben", "Anteil der neun Kernangaben je System (Export, Telemetrie, Verschlüsselungsschlüssel, Ersetzbarkeit, Speicherort der Daten, data.personal, Ausstiegsplan, Land des Anbieters und des Hosting-Anbieters), die das Inventar unbeantwortet lässt"))
            case .hhi: (
                en: ("HHI", "Herfindahl-Hirschman index of the group's criticality-weighted vendor shares, 10000 × the sum of the squared shares: 10000 when one vendor has every system; 10000/HHI is the number of equal vendors that would give the same concentration"),
                de: ("HHI", "Herfindahl-Hirschman-Index der nach Kritikalität gewichteten Anbieteranteile der Gruppe, 10.000 × Summe der quadrierten Anteile: 10.000, wenn ein Anbieter alle Systeme stellt; 10.000/HHI ist die Zahl gleich großer Anbieter, die dieselbe Konzentration ergäben"))
            case .topVendor: (
                en: ("top vendor", "the ultimate parent with the largest criticality-weighted share of the group's systems"),
                de: ("größter Anbieter", "die Konzernmutter mit dem größten nach Kritikalität gewichteten Anteil an den Systemen der Gruppe"))
            case .dependence: (
                en: ("dependence", "the criticality-weighted share of all systems in scope: the vendor's (or country's) systems' weights over the weights of every system in scope; rows are ranked by it"),
                de: ("Abhängigkeit", "der nach Kritikalität gewichtete Anteil an allen Systemen im Betrachtungsbereich: die Gewichte der Systeme des Anbieters (oder Landes) im Verhältnis zu den Gewichten aller Systeme im Betrachtungsbereich; die Zeilen sind danach geordnet"))
            case .shareOfSystems: (
                en: ("share of systems", "systems of the vendor (or country) over all systems in scope, unweighted"),
                de: ("Anteil an Systemen", "Systeme des Anbieters (oder Landes) im Verhältnis zu allen Systemen im Betrachtungsbereich, ungewichtet"))
            case .shareOfCritical: (
                en: ("share of critical", "high and critical systems of the vendor (or country) over all high and critical systems in scope"),
                de: ("Anteil hoch oder kritisch", "als hoch oder kritisch eingestufte Systeme des Anbieters (oder Landes) im Verhältnis zu allen als hoch oder kritisch eingestuften Systemen im Betrachtungsbereich"))
            case .ministries: (
                en: ("ministries", "ministry-level groups with at least one system of the vendor (an organisation that reports to no ministry counts as one)"),
                de: ("Ministerien", "Gruppen auf Ministeriumsebene mit mindestens einem System des Anbieters (eine Organisation, die keinem Ministerium nachgeordnet ist, zählt als eigene Gruppe)"))
            case .laws: (
                en: ("laws", "the access laws in the rule set that reach data held by companies controlled from that country"),
                de: ("Gesetze", "die Zugriffsgesetze des Regelwerks, die Daten in der Hand von Unternehmen erfassen, die von diesem Land aus kontrolliert werden"))
            case .country: (
                en: ("country of control", "the country of the vendor's ultimate parent as the rule set's catalogue gives it; \"unknown\" for vendors the catalogue does not know"),
                de: ("Sitzland der Konzernmutter", "das Land der Konzernmutter des Anbieters laut Katalog des Regelwerks; „unbekannt“ für Anbieter, die der Katalog nicht kennt"))
            case .risk: (
                en: ("risk", "criticality weight (low 1 … critical 4) times the higher of the system's two scores, 0 to 400; the list is ranked by it"),
                de: ("Risiko", "Kritikalitätsgewicht (niedrig 1 … kritisch 4) multipliziert mit dem höheren der beiden Punktwerte des Systems, 0 bis 400; die Liste ist danach geordnet"))
            case .heaviest: (
                en: ("heaviest finding", "the rule that adds the most points to the system's scores, with its points"),
                de: ("schwerwiegendster Befund", "die Regel, die den Punktwerten des Systems die meisten Punkte hinzufügt, mit ihren Punkten"))
            case .exitWindows: (
                en: ("exit windows", "contracts by their notice deadline (contract end less notice period; the last day to give notice is \"act by\") on the as-of date: missed (the deadline passed, the contract still runs), expired (the contract ended, the system is still listed), upcoming (the deadline within the months asked for); urgency is lock-in times criticality weight"),
                de: ("Ausstiegsfenster", "Verträge nach ihrem letzten Kündigungstag (Vertragsende abzüglich Kündigungsfrist; in der Spalte „Kündigung bis“) zum Stichtag: verpasst (der letzte Kündigungstag ist verstrichen, der Vertrag läuft weiter), abgelaufen (der Vertrag ist beendet, das System ist noch aufgeführt), bevorstehend (der letzte Kündigungstag liegt innerhalb der vorgegebenen Zahl von Monaten); die Dringlichkeit ist Lock-in mal Kritikalitätsgewicht"))
            case .unanswered: (
                en: ("unanswered", "\"(N unanswered)\" beside a score: how many of its points come from questions the inventory leaves open (an unknown answer scores like a bad one): the score less the score it would have with every open question answered at best; for a group, the criticality-weighted mean of these points"),
                de: ("offen", "„(N offen)“ neben einem Punktwert: wie viele seiner Punkte auf Fragen zurückgehen, die das Inventar offenlässt (eine unbekannte Antwort wird wie eine ungünstige bewertet): der Punktwert abzüglich des Punktwerts, der sich ergäbe, wenn jede offene Frage bestmöglich beantwortet wäre; für eine Gruppe der nach Kritikalität gewichtete Mittelwert dieser Punkte"))
            case .unansweredNotRecorded: (
                en: ("unanswered", "not recorded for this scan: it was stored before sovscan kept how many points of each score come from questions the inventory leaves open (schema v7); scan the inventories again to see them"),
                de: ("offen", "für diesen Scan nicht erfasst: Er wurde gespeichert, bevor sovscan festhielt, wie viele Punkte jedes Punktwerts auf Fragen zurückgehen, die das Inventar offenlässt (Schema v7); zur Anzeige sind die Inventare erneut zu scannen"))
            case .answerFirst: (
                en: ("answer these first", "per group, the open questions (the inventory field to fill in; for vendor, operator and hosting.provider often a name that the vendor catalogue or the scan's organisations know, rather than an empty field) whose best answer would lower its criticality-weighted mean scores most, by how much each mean would fall, with how many systems leave it open and the systems it moves most"),
                de: ("zuerst zu beantworten", "je Gruppe die offenen Fragen (das auszufüllende Inventarfeld; bei vendor, operator und hosting.provider ist oft kein leeres Feld zu füllen, sondern ein Name einzutragen, den der Anbieterkatalog oder die Organisationen des Scans kennen), deren bestmögliche Beantwortung die nach Kritikalität gewichteten mittleren Punktwerte der Gruppe am stärksten senken würde, mit dem Betrag, um den jeder Mittelwert sänke, der Zahl der Systeme, die die Frage offenlassen, und den Systemen, die sie am stärksten bewegt"))
            case .cutOff: (
                en: ("cut off", "a company named (--parent, with every company it owns), every company of a country (--country), or every company a law reaches through its country (--law) stops serving; a party is cut off when any company of its chain (the company named and its owners up to the ultimate parent) is"),
                de: ("abgeschnitten", "Einstellung der Leistungen eines benannten Unternehmens (--parent, mit allen Unternehmen in seinem Besitz), aller Unternehmen eines Landes (--country) oder aller Unternehmen, die ein Gesetz über ihr Land erfasst (--law); ein Beteiligter ist abgeschnitten, wenn ein Unternehmen seiner Kette (das genannte Unternehmen und seine Eigentümer bis zur Konzernmutter) abgeschnitten ist"))
            case .fail: (
                en: ("fail", "a system fails directly when its vendor, operator (the hosting provider when none is stated off premises), hosting provider or a listed subprocessor is cut off, and through depends_on when a system of its organisation that it depends on fails"),
                de: ("fällt aus", "ein System fällt unmittelbar aus, wenn sein Anbieter, Betreiber (außerhalb des eigenen Hauses der Hosting-Anbieter, wenn keiner angegeben ist), Hosting-Anbieter oder ein aufgeführter Unterauftragsverarbeiter abgeschnitten ist, und mittelbar über depends_on, wenn ein System seiner Organisation ausfällt, von dem es abhängt"))
            case .functionsStopped: (
                en: ("functions stopped", "the functions an organisation has systems for and loses every one of (no system of that function is left there); for a ministry, those that stop in at least one of its organisations; critical when a high or critical system is among those lost"),
                de: ("ausgefallene Funktionen", "die Funktionen, für die eine Organisation Systeme hat und deren Systeme sie sämtlich verliert (dort bleibt kein System dieser Funktion übrig); für ein Ministerium die Funktionen, die in mindestens einer seiner Organisationen ausfallen; kritisch, wenn unter den verlorenen Systemen eines der Kritikalität hoch oder kritisch ist"))
            case .personalCutOff: (
                en: ("personal data with a party cut off", "failing systems holding personal data (data.personal true) whose operator, hosting provider or a subprocessor, the parties holding the data, is cut off"),
                de: ("personenbezogene Daten bei abgeschnittenem Beteiligten", "ausfallende Systeme mit personenbezogenen Daten (data.personal true), deren Betreiber, Hosting-Anbieter oder ein Unterauftragsverarbeiter (die Beteiligten, die die Daten halten) abgeschnitten ist"))
            case .actBy: (
                en: ("act by", "the last day to give notice on the contract: contract.ends less contract.notice_months; read beside 'cut off tomorrow' to see the gap"),
                de: ("Kündigung bis", "der letzte Tag, an dem der Vertrag gekündigt werden kann: contract.ends abzüglich contract.notice_months; neben der Annahme „ab morgen abgeschnitten“ gelesen, zeigt er die Lücke"))
            case .beforeAfter: (
                en: ("before, after", "the snapshot as stored and as the plan would leave it, both scored under the rule set now loaded (so that the plan's effect is all that differs); nothing of it is stored"),
                de: ("vorher, nachher", "der Datenstand wie gespeichert und wie ihn der Plan hinterließe, beide nach dem jetzt geladenen Regelwerk bewertet (damit sich allein die Wirkung des Plans unterscheidet); davon wird nichts gespeichert"))
            case .change: (
                en: ("change", "changed (the plan sets fields to other values), added, retired, or rescored (its fields stay, its score moves with a system it is scored with)"),
                de: ("Änderung", "geändert (der Plan setzt Felder auf andere Werte), hinzugefügt, stillgelegt oder neu bewertet (die Felder bleiben, der Punktwert verschiebt sich mit einem System, mit dem es gemeinsam bewertet wird)"))
            case .findingsAddedRemoved: (
                en: ("findings added, removed", "the rules that fire on the system after the plan and not before, and the reverse"),
                de: ("hinzugekommene, entfallene Befunde", "die Regeln, die nach dem Plan, nicht aber vorher beim System greifen, und umgekehrt"))
            case .countryShares: (
                en: ("country shares", "the systems whose vendor's ultimate parent is controlled from a country, over all systems of the ministry (or of the snapshot), unweighted; \"unknown\" for vendors the catalogue does not know"),
                de: ("Länderanteile", "die Systeme, deren Anbieter über seine Konzernmutter von einem Land aus kontrolliert wird, im Verhältnis zu allen Systemen des Ministeriums (oder des Datenstands), ungewichtet; „unbekannt“ für Anbieter, die der Katalog nicht kennt"))
            case .exitWindowsOpenedClosed: (
                en: ("exit windows opened, closed", "contracts whose last day to give notice (act by: contract end less notice period) falls within the months asked for, or has passed while the contract runs, after the plan and not before, and the reverse"),
                de: ("Ausstiegsfenster geöffnet, geschlossen", "Verträge, deren letzter Kündigungstag (Kündigung bis: Vertragsende abzüglich Kündigungsfrist) nach dem Plan, nicht aber vorher innerhalb der vorgegebenen Zahl von Monaten liegt oder bei laufendem Vertrag verstrichen ist, und umgekehrt"))
            }
        }
    }
}
