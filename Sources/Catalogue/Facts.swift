import Domain
import YAMLReading

/// Where a fact can be checked, and when it was true.
public struct Source: Sendable, Hashable, Codable {
    public var title: String
    public var url: String
    public var date: Day

    public init(title: String, url: String, date: Day) {
        self.title = title
        self.url = url
        self.date = date
    }
}

/// A legal bloc of countries whose data protection law is one (the EU/EEA).
public struct Bloc: Sendable, Hashable {
    public var id: String
    public var name: String
    public var sources: [Source]
}

/// A law that reaches data held abroad or by providers under its jurisdiction.
public struct Law: Sendable, Hashable {
    public var id: String
    public var name: String
    public var country: String
    public var summary: String
    public var sources: [Source]
}

/// An EU adequacy decision under GDPR Art. 45.
public struct Adequacy: Sendable, Hashable {
    public enum Scope: String, NamedCases, Sendable {
        case full
        case certifiedOnly = "certified_only"
        case commercialOnly = "commercial_only"
    }

    public var decision: String
    public var date: Day
    public var scope: Scope
    public var note: String?
    public var sources: [Source]
}

/// What the rule set says of a country.
public struct Country: Sendable, Hashable {
    public var code: String
    public var name: String
    /// Names in German and common English ones (`Deutschland`, `USA`), for suggesting the code.
    public var otherNames: [String]
    /// The legal bloc; nil when the country stands alone.
    public var bloc: String?
    public var adequacy: Adequacy?
    public var laws: [String]
    public var sources: [Source]

    /// The bloc a country is judged in: its bloc, or itself.
    public var jurisdiction: String { bloc ?? code }
}

/// A vendor or provider: who it is, where it sits, and who owns it.
public struct Vendor: Sendable, Hashable {
    /// What the link to the parent is.
    public enum Control: String, NamedCases, Sendable {
        /// The parent owns the vendor as part of its group: the vendor's
        /// ultimate parent is the parent's.
        case ownership
        /// A fund, private-equity or family investor controls the vendor:
        /// recorded, and a rule may score it, but the vendor stays the top of
        /// its own group.
        case financial
    }

    /// A parent the vendor had before its current one, and when.
    public struct EarlierParent: Sendable, Hashable {
        public var parent: String
        /// The day that parent took control, when known.
        public var since: Day?
        /// The last day under that parent.
        public var until: Day
    }

    public var id: String
    public var name: String
    public var aliases: [String]
    public var country: String
    /// The direct parent's vendor id.
    public var parent: String?
    /// The day the parent took control (an acquisition's closing); nil when
    /// the link is not dated. Before it, the vendor had the earlier parent
    /// whose time covers the day, or none.
    public var since: Day?
    public var earlierParents: [EarlierParent]
    public var control: Control
    /// The Legal Entity Identifier (ISO 17442), where a source gives one.
    public var lei: String?
    public var sources: [Source]
    /// Where the entry is written, when it comes from a local vendors file
    /// rather than the rule set ("vendors.yaml:12"); facts of a local file
    /// are named by it wherever they are shown.
    public var localFile: String?

    /// The direct parent on `day` (today's when nil), with what the link is.
    public func parent(on day: Day?) -> (id: String, control: Control, since: Day?)? {
        if let parent, since.map({ day == nil || $0 <= day! }) ?? true { return (parent, control, since) }
        guard let day else { return nil }
        return earlierParents.first { ($0.since.map { $0 <= day } ?? true) && day <= $0.until }.map { ($0.parent, .ownership, $0.since) }
    }
}

/// One function of the taxonomy (`email`, `identity`, …).
public struct SystemFunction: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    /// Common other words for it (`geo`, `geodata`), for suggesting the id.
    public var synonyms: [String]
}
