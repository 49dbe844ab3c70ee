/// What each figure of a report counts, in the words every format shows
/// (a legend in a table, a glossary in Markdown and HTML), so that a figure
/// is never quoted for something it does not count.
public struct GlossaryEntry: Sendable, Encodable, Equatable {
    public var term: String
    public var definition: String
}

public enum Glossary {
    static let lockIn = GlossaryEntry(
        term: "lock-in", definition: "how hard the systems are to leave: 0 (no risk found) to 100, from the lock-in rules that fired (formats, export, interfaces, contract, substitutability, coupling); for a group, the mean over its systems weighted by criticality (low 1, medium 2, high 3, critical 4). Bands: low < 25 ≤ medium < 50 ≤ high < 75 ≤ critical")
    static let jurisdiction = GlossaryEntry(
        term: "jurisdiction", definition: "how far the systems' data is within reach of foreign law: 0 to 100, from the jurisdiction rules that fired (the parties' countries of control, data and processing locations, support access, keys, telemetry); weighted and banded as lock-in")
    static let critical = GlossaryEntry(term: "critical systems", definition: "systems of criticality high or critical")
    static let cost = GlossaryEntry(
        term: "annual cost", definition: "the sum of contract.annual_cost_eur in euros over the systems that state it; \"of N\" says how many systems state a cost, so that a sum over few is not read as the whole")
    static let personalOutside = GlossaryEntry(
        term: "personal data outside bloc", definition: "of the systems holding personal data (data.personal true), those whose data is stored or processed outside the organisation's bloc (hosting.data_location or hosting.processing_location); by where the data lies")
    static let personalForeignLaw = GlossaryEntry(
        term: "personal data under foreign law", definition: "of the systems holding personal data, those whose operator or hosting provider (the parties holding the data; the organisation itself on premises) has its ultimate parent in another country with an access law in the rule set (the CLOUD Act and FISA 702 for the United States); by who holds the data, wherever it lies")
    static let unknown = GlossaryEntry(
        term: "unknown answers", definition: "the share of the nine key answers per system (export, telemetry, encryption keys, substitutability, data location, data.personal, exit plan, the vendor's and the hosting provider's country) that the inventory leaves unanswered")
    static let hhi = GlossaryEntry(
        term: "HHI", definition: "Herfindahl-Hirschman index of the group's criticality-weighted vendor shares, 10000 × the sum of the squared shares: 10000 when one vendor has every system; 10000/HHI is the number of equal vendors that would give the same concentration")
    static let topVendor = GlossaryEntry(term: "top vendor", definition: "the ultimate parent with the largest criticality-weighted share of the group's systems")
    static let dependence = GlossaryEntry(
        term: "dependence", definition: "the criticality-weighted share of all systems in scope: the vendor's (or country's) systems' weights over the weights of every system in scope; rows are ranked by it")
    static let shareOfSystems = GlossaryEntry(term: "share of systems", definition: "systems of the vendor (or country) over all systems in scope, unweighted")
    static let shareOfCritical = GlossaryEntry(term: "share of critical", definition: "high and critical systems of the vendor (or country) over all high and critical systems in scope")
    static let ministries = GlossaryEntry(
        term: "ministries", definition: "ministry-level groups with at least one system of the vendor (an organisation that reports to no ministry counts as one)")
    static let laws = GlossaryEntry(term: "laws", definition: "the access laws in the rule set that reach data held by companies controlled from that country")
    static let country = GlossaryEntry(
        term: "country of control", definition: "the country of the vendor's ultimate parent as the rule set's catalogue gives it; \"unknown\" for vendors the catalogue does not know")
    static let risk = GlossaryEntry(
        term: "risk", definition: "criticality weight (low 1 … critical 4) times the higher of the system's two scores, 0 to 400; the list is ranked by it")
    static let heaviest = GlossaryEntry(term: "heaviest finding", definition: "the rule that adds the most points to the system's scores, with its points")
    static let exitWindows = GlossaryEntry(
        term: "exit windows", definition: "contracts by their notice deadline (contract end less notice period; the last day to give notice is \"act by\") on the as-of date: missed (the deadline passed, the contract still runs), expired (the contract ended, the system is still listed), upcoming (the deadline within the months asked for); urgency is lock-in times criticality weight")
    static let unanswered = GlossaryEntry(
        term: "unanswered", definition: "\"(N unanswered)\" beside a score: how many of its points come from questions the inventory leaves open (an unknown answer scores like a bad one): the score less the score it would have with every open question answered at best; for a group, the criticality-weighted mean of these points")
    static let answerFirst = GlossaryEntry(
        term: "answer these first", definition: "per group, the open questions (the inventory field to fill in; for vendor, operator and hosting.provider often a name that the vendor catalogue or the scan's organisations know, rather than an empty field) whose best answer would lower its criticality-weighted mean scores most, by how much each mean would fall, with how many systems leave it open and the systems it moves most")

    /// What the figures of `whatif cutoff` count.
    public static let cutoff = [
        GlossaryEntry(term: "cut off", definition: "a company named (--parent, with every company it owns), every company of a country (--country), or every company a law reaches through its country (--law) stops serving; a party is cut off when any company of its chain (the company named and its owners up to the ultimate parent) is"),
        GlossaryEntry(term: "fail", definition: "a system fails directly when its vendor, operator (the hosting provider when none is stated off premises), hosting provider or a listed subprocessor is cut off, and through depends_on when a system of its organisation that it depends on fails"),
        GlossaryEntry(term: "functions stopped", definition: "the functions an organisation has systems for and loses every one of (no system of that function is left there); for a ministry, those that stop in at least one of its organisations; critical when a high or critical system is among those lost"),
        critical,
        GlossaryEntry(term: "personal data with a party cut off", definition: "failing systems holding personal data (data.personal true) whose operator, hosting provider or a subprocessor, the parties holding the data, is cut off"),
        GlossaryEntry(term: "act by", definition: "the last day to give notice on the contract: contract.ends less contract.notice_months; read beside 'cut off tomorrow' to see the gap"),
    ]

    /// What the figures of `whatif plan` count.
    public static let plan = [
        GlossaryEntry(term: "before, after", definition: "the snapshot as stored and as the plan would leave it, both scored under the rule set now loaded (so that the plan's effect is all that differs); nothing of it is stored"),
        GlossaryEntry(term: "change", definition: "changed (the plan sets fields to other values), added, retired, or rescored (its fields stay, its score moves with a system it is scored with)"),
        lockIn, jurisdiction,
        GlossaryEntry(term: "findings added, removed", definition: "the rules that fire on the system after the plan and not before, and the reverse"),
        hhi, topVendor,
        GlossaryEntry(term: "country shares", definition: "the systems whose vendor's ultimate parent is controlled from a country, over all systems of the ministry (or of the snapshot), unweighted; \"unknown\" for vendors the catalogue does not know"),
        GlossaryEntry(term: "exit windows opened, closed", definition: "contracts whose last day to give notice (act by: contract end less notice period) falls within the months asked for, or has passed while the contract runs, after the plan and not before, and the reverse"),
    ]

    static let unansweredNotRecorded = GlossaryEntry(
        term: "unanswered", definition: "not recorded for this scan: it was stored before sovscan kept how many points of each score come from questions the inventory leaves open (schema v7); scan the inventories again to see them")

    /// The entries of the figures a report at `level` shows; `unansweredRecorded`
    /// is false for a scan stored before the unanswered points were kept.
    public static func entries(for level: ReportLevel, unansweredRecorded: Bool) -> [GlossaryEntry] {
        let entries = figures(of: level)
        guard !unansweredRecorded else { return entries }
        return entries.compactMap { $0 == unanswered ? unansweredNotRecorded : $0 == answerFirst ? nil : $0 }
    }

    private static func figures(of level: ReportLevel) -> [GlossaryEntry] {
        switch level {
        case .ministry, .organisation:
            [lockIn, jurisdiction, unanswered, critical, cost, topVendor, hhi, personalOutside, personalForeignLaw, unknown, answerFirst, exitWindows]
        case .vendor:
            [dependence, country, laws, shareOfSystems, shareOfCritical, critical, ministries, cost, lockIn, jurisdiction, unanswered, exitWindows]
        case .country:
            [dependence, country, laws, shareOfSystems, shareOfCritical, critical, cost, personalOutside, personalForeignLaw, exitWindows]
        case .system:
            [risk, lockIn, jurisdiction, unanswered, heaviest, cost]
        }
    }
}
