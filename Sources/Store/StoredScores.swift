import Domain
import Foundation
import Inventory

/// A finding as stored with a snapshot.
public struct StoredFinding: Sendable, Hashable {
    public var rule: String
    public var dimension: String
    public var points: Int
    public var accepted: Bool

    public init(rule: String, dimension: String, points: Int, accepted: Bool) {
        self.rule = rule
        self.dimension = dimension
        self.points = points
        self.accepted = accepted
    }
}

/// The findings of an assessment, with their normalised bytes and content
/// hash, made once for every stored assessment that has them (assessments
/// that differ only in their vendor share their findings).
public struct StoredFindingList: Sendable, Hashable {
    public let findings: [StoredFinding]
    /// The list as a normalised record holds it (see `NormalisedRecord.add(_:_:)`).
    let normalised: [UInt8]
    /// The content hash by which a list is stored once (`finding_list.hash`);
    /// nil for a list that is tallied and never stored.
    let hash: ContentHash?

    /// `forStorage` false: a list only tallied (an import's scan), which
    /// needs no hash.
    public init(_ findings: [StoredFinding], forStorage: Bool = true) {
        self.findings = findings
        var list = NormalisedRecord()
        list.add(findings)
        normalised = list.bytes
        guard forStorage else {
            hash = nil
            return
        }
        var record = NormalisedRecord()
        record.add("findings/2")
        record.append(normalised: normalised)
        hash = record.sha256
    }
}

/// A system's scores as stored with a snapshot, with the vendor (ultimate
/// parent) they are grouped under. Identical assessments are stored once.
public struct StoredAssessment: Sendable, Hashable {
    public let vendor: String
    public let vendorName: String
    public let vendorCountry: String?
    public let lockIn: Int
    public let lockInBand: Band
    public let jurisdiction: Int
    public let jurisdictionBand: Band
    public let unknownAnswers: Int
    public let personalData: PersonalDataExposure
    /// How much of the scores open questions make up, and each question's share.
    public let unknownPoints: UnknownPoints
    let findingList: StoredFindingList
    public var findings: [StoredFinding] { findingList.findings }
    /// A number the scan gives each distinct assessment, by which the writer
    /// remembers what it stored; nil when there is none.
    public var number: Int?
    /// The content hash by which it is stored once, taken where it is made
    /// (the reading side of a scan) rather than on the writer's thread; nil
    /// for an assessment that is tallied and never stored.
    private(set) var hash: ContentHash?

    public init(vendor: String, vendorName: String, vendorCountry: String?, lockIn: Int, lockInBand: Band,
                jurisdiction: Int, jurisdictionBand: Band, unknownAnswers: Int, personalData: PersonalDataExposure, unknownPoints: UnknownPoints,
                findings: StoredFindingList, forStorage: Bool = true) {
        self.vendor = vendor
        self.vendorName = vendorName
        self.vendorCountry = vendorCountry
        self.lockIn = lockIn
        self.lockInBand = lockInBand
        self.jurisdiction = jurisdiction
        self.jurisdictionBand = jurisdictionBand
        self.unknownAnswers = unknownAnswers
        self.personalData = personalData
        self.unknownPoints = unknownPoints
        findingList = findings
        hash = forStorage ? contentHash : nil
    }

    private var contentHash: ContentHash {
        var record = NormalisedRecord()
        record.add("assessment/4")
        record.add(vendor)
        record.add(vendorName)
        record.add(vendorCountry)
        record.add(lockIn)
        record.add(lockInBand.rawValue)
        record.add(jurisdiction)
        record.add(jurisdictionBand.rawValue)
        record.add(unknownAnswers)
        record.add(personalData.held)
        record.add(personalData.outsideBloc)
        record.add(personalData.underForeignLaw)
        record.add(unknownPoints.lockIn)
        record.add(unknownPoints.jurisdiction)
        record.add(unknownPoints.questions) { record, question in
            record.add(question.question)
            record.add(question.lockIn)
            record.add(question.jurisdiction)
        }
        record.append(normalised: findingList.normalised)
        return record.sha256
    }
}

/// A rule of the rule set as stored, so that a snapshot explains itself
/// even after the rule set has changed.
public struct StoredRule: Sendable {
    public var id: String
    public var dimension: String
    public var title: String
    public var points: Int
    public var rationale: String
    public var translations: [Language: RuleTranslation]
    /// JSON: `[{"title", "url", "date"}]`.
    public var sources: String

    public init(id: String, dimension: String, title: String, points: Int, rationale: String,
                translations: [Language: RuleTranslation] = [:], sources: String) {
        self.id = id
        self.dimension = dimension
        self.title = title
        self.points = points
        self.rationale = rationale
        self.translations = translations
        self.sources = sources
    }
}

/// A country of the rule set as stored, so that a snapshot's reports name
/// the country of control and the laws reaching it as the scan saw them.
public struct StoredCountry: Sendable {
    public struct Law: Sendable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var code: String
    public var name: String
    /// The bloc it belongs to (`eu_eea`), nil when it stands alone.
    public var bloc: String?
    /// The laws reaching data held by companies under this country's jurisdiction.
    public var laws: [Law]

    public init(code: String, name: String, bloc: String?, laws: [Law]) {
        self.code = code
        self.name = name
        self.bloc = bloc
        self.laws = laws
    }
}

/// What the reading side of a scan hands to the store.
public enum ScanItem: Sendable {
    case system(SystemRecord, assessment: StoredAssessment)
    case organisation(Organisation)
    /// A system scored again once every organisation of the scan was known
    /// (its operator or hosting provider is an organisation declared later).
    case revised(SystemRecord, assessment: StoredAssessment)
    /// The parties the scan's systems name, as they resolved once every
    /// organisation was known: the last item of a scan.
    case parties([StoredParty])
}

/// A vendor, operator or hosting provider as a scan resolved the name its
/// systems write, kept so that `explain` shows whose law reaches it.
public struct StoredParty: Sendable, Hashable, Codable {
    /// A company of the party's chain, under its country's law.
    public struct Company: Sendable, Hashable, Codable {
        public var name: String
        public var country: String
        /// The day it took control of the company before it in the chain
        /// (`YYYY-MM-DD`), when the link is dated.
        public var since: String?
        /// The local vendors file and line its entry comes from; nil for the
        /// rule set's catalogue.
        public var localFile: String?

        public init(name: String, country: String, since: String? = nil, localFile: String? = nil) {
            self.name = name
            self.country = country
            self.since = since
            self.localFile = localFile
        }

        enum CodingKeys: String, CodingKey {
            case name, country, since
            case localFile = "local_file"
        }
    }

    /// The name as the inventory writes it.
    public var name: String
    /// The company named and the companies that own it, up to the ultimate
    /// parent; empty when nothing matched the name.
    public var chain: [Company]
    /// The financial investor controlling the ultimate parent, with its owners.
    public var investor: [Company]

    public init(name: String, chain: [Company], investor: [Company]) {
        self.name = name
        self.chain = chain
        self.investor = investor
    }
}

/// A system as a record of its organisation, with its content hash, taken
/// where the record is made rather than on the writer's thread.
public struct SystemRecord: Sendable {
    public let system: System
    public let organisationID: String
    let hash: ContentHash

    public init(_ system: System, organisationID: String) {
        self.system = system
        self.organisationID = organisationID
        hash = system.contentHash(organisationID: organisationID)
    }
}

extension NormalisedRecord {
    /// Findings, in their order: a list of rule, dimension, points and 1 or 0 for accepted.
    mutating func add(_ findings: [StoredFinding]) {
        add(findings) { record, finding in
            record.add(finding.rule)
            record.add(finding.dimension)
            record.add(finding.points)
            record.add(finding.accepted)
        }
    }
}

extension Band {
    /// A band as stored by name; one no version wrote is the band of its score.
    init(stored name: String, score: Int) {
        self = Band(rawValue: name) ?? Band(score: score)
    }
}
