import Catalogue
import Domain
import Foundation
import Scoring
import Store

/// Scored items as the store keeps them, each distinct assessment of a
/// vendor converted once; for a tally that stores nothing (`forStorage`
/// false), without the content hashes only the store needs.
struct StoredAssessments {
    let forStorage: Bool

    private struct Key: Hashable {
        var assessment: Int
        var vendor: String
        var unknownAnswers: Int
        var personalData: PersonalDataExposure
        var unknownPoints: UnknownPoints
    }

    /// The assessments converted lately (one converted again is stored once all the same).
    private var converted = NumberedMemo<Key, StoredAssessment>()
    /// The findings of the scores made lately, by the scores' number: the
    /// assessments of several vendors share them.
    private var findingLists = NumberedMemo<Int, StoredFindingList>()

    init(forStorage: Bool = true) {
        self.forStorage = forStorage
    }

    mutating func item(_ item: ScoredItem) -> ScanItem {
        switch item {
        case .organisation(let organisation):
            return .organisation(organisation)
        case .system(let system, let organisationID, let assessment, let vendor):
            return .system(SystemRecord(system, organisationID: organisationID), assessment: stored(assessment, vendor: vendor, writtenAs: system.vendor))
        case .revised(let system, let organisationID, let assessment, let vendor):
            return .revised(SystemRecord(system, organisationID: organisationID), assessment: stored(assessment, vendor: vendor, writtenAs: system.vendor))
        case .parties(let parties):
            return .parties(parties.sorted { $0.key < $1.key }.map { name, party in
                let company = { (link: ResolvedParty.Link) in
                    StoredParty.Company(name: link.name, country: link.country, since: link.since?.description, localFile: link.localFile)
                }
                return StoredParty(name: name, chain: party.chain.map(company), investor: party.investor.map(company))
            })
        }
    }

    mutating func stored(_ assessment: Assessment, vendor: ResolvedParty, writtenAs name: String) -> StoredAssessment {
        let key = Key(assessment: assessment.number, vendor: vendor.id ?? name, unknownAnswers: assessment.unknownAnswers,
                      personalData: assessment.personalData, unknownPoints: assessment.unknownPoints)
        guard assessment.number >= 0 else {
            return StoredAssessment(assessment, vendor: vendor, writtenAs: name,
                                    findings: StoredFindingList(StoredAssessment.findings(of: assessment), forStorage: forStorage), forStorage: forStorage)
        }
        let forStorage = forStorage
        let findings = findingLists.value(for: assessment.number) {
            StoredFindingList(StoredAssessment.findings(of: assessment), forStorage: forStorage)
        }.value
        let convert = { StoredAssessment(assessment, vendor: vendor, writtenAs: name, findings: findings, forStorage: forStorage) }
        var (number, result) = converted.value(for: key, make: convert)
        result.number = number
        return result
    }
}

extension StoredAssessment {
    static func findings(of assessment: Assessment) -> [StoredFinding] {
        (assessment.scores[.lockIn]!.findings + assessment.scores[.jurisdiction]!.findings).map {
            StoredFinding(rule: $0.rule.id, dimension: $0.rule.dimension.rawValue, points: $0.points, accepted: $0.accepted)
        }
    }

    init(_ assessment: Assessment, vendor: ResolvedParty, writtenAs name: String, findings: StoredFindingList, forStorage: Bool = true) {
        let lockIn = assessment.scores[.lockIn]!, jurisdiction = assessment.scores[.jurisdiction]!
        self.init(
            vendor: vendor.id ?? name, vendorName: vendor.name ?? name, vendorCountry: vendor.country,
            lockIn: lockIn.score, lockInBand: lockIn.band, jurisdiction: jurisdiction.score, jurisdictionBand: jurisdiction.band,
            unknownAnswers: assessment.unknownAnswers, personalData: assessment.personalData, unknownPoints: assessment.unknownPoints,
            findings: findings, forStorage: forStorage)
    }
}

/// Sources as the JSON the database keeps: `[{"title", "url", "date"}]`.
enum SourceList {
    static func json(_ sources: [Source]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(sources)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
