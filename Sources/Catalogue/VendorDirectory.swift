import Domain
import Foundation
import YAMLReading

/// The vendor catalogue as inventories use it: a name as people write it
/// (id, legal name or alias, in any case) leads to a vendor, and every vendor
/// to its ultimate parent.
public struct VendorDirectory: Sendable {
    public private(set) var vendors: [String: Vendor] = [:]
    /// Every id, name and alias as written, lower-cased: the names most
    /// inventories write, found without normalising them.
    private var byName: [String: String] = [:]
    /// Every id, name and alias in normal form (`VendorNameForms`).
    private var byNormalForm: [String: String] = [:]
    private let forms: VendorNameForms
    /// Where each entry of the rule set's catalogue is written, by vendor
    /// id, for messages that name it beside a local file's entry.
    private var catalogueEntries: [String: String] = [:]

    /// `countryNames` and `countryCodes`: the rule set's countries, for a
    /// country written after a vendor's name.
    init(entries: [(Vendor, [String: SourceLocation])], countryNames: some Sequence<String>, countryCodes: some Sequence<String>,
         log: inout DiagnosticLog) {
        forms = VendorNameForms(countryNames: countryNames, codes: countryCodes)
        for (vendor, locations) in entries {
            if vendors[vendor.id] != nil {
                log.error("duplicate-id", at: locations["id"] ?? SourceLocation(line: 1, column: 1), "vendor '\(vendor.id)' is listed twice")
                continue
            }
            vendors[vendor.id] = vendor
            catalogueEntries[vendor.id] = "\(log.file):\((locations["id"] ?? SourceLocation(line: 1, column: 1)).line)"
            let names = [(vendor.id, locations["id"]), (vendor.name, locations["name"])]
                + vendor.aliases.map { ($0, locations["alias:\($0.lowercased())"]) }
            for (name, location) in names {
                let key = Self.key(name)
                if let owner = byName[key], owner != vendor.id {
                    log.error("duplicate-alias", at: location ?? SourceLocation(line: 1, column: 1),
                              "'\(name)' already names vendor '\(owner)'; a name or alias may belong to one vendor only")
                    continue
                }
                byName[key] = vendor.id
                // An id is a slug: its words, no legal form taken off ("typo3-gmbh" is not "typo3").
                let normalForms = name == vendor.id ? [VendorNameForms.fold(name.replacingOccurrences(of: "-", with: " "))] : forms.keys(name)
                for form in normalForms {
                    if let owner = byNormalForm[form], owner != vendor.id {
                        log.error("duplicate-alias", at: location ?? SourceLocation(line: 1, column: 1),
                                  "'\(name)' reads as '\(form)' once case, punctuation, diacritics and legal form are set aside, as a name of vendor '\(owner)' does; a name may belong to one vendor only")
                    } else {
                        byNormalForm[form] = vendor.id
                    }
                }
            }
        }
        for (vendor, locations) in entries {
            for (index, earlier) in vendor.earlierParents.enumerated() where vendors[earlier.parent] == nil {
                log.error("reference", at: locations["earlier:\(index)"] ?? SourceLocation(line: 1, column: 1),
                          "earlier parent '\(earlier.parent)' is no vendor in this file\(Suggestion.didYouMean(earlier.parent, in: vendors.keys))")
            }
            guard let parent = vendor.parent else { continue }
            if vendors[parent] == nil {
                log.error("reference", at: locations["parent"] ?? SourceLocation(line: 1, column: 1),
                          "parent '\(parent)' is no vendor in this file\(Suggestion.didYouMean(parent, in: vendors.keys))")
                continue
            }
            var seen: Set<String> = [vendor.id]
            var current = parent
            while let next = vendors[current]?.parent {
                if !seen.insert(current).inserted || next == vendor.id {
                    log.error("parent-cycle", at: locations["parent"] ?? SourceLocation(line: 1, column: 1),
                              "the parents of vendor '\(vendor.id)' form a cycle")
                    break
                }
                current = next
            }
        }
    }

    private static func key(_ name: String) -> String {
        let lower = name.lowercased()
        // Most names are written with single spaces; fold runs of white space only when there are any.
        var previousWasSpace = true
        var needsFolding = false
        for character in lower.unicodeScalars {
            let isSpace = character.properties.isWhitespace
            if isSpace, previousWasSpace || character != " " { needsFolding = true; break }
            previousWasSpace = isSpace
        }
        if !needsFolding, !previousWasSpace || lower.isEmpty { return lower }
        return lower.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Lays the entries of a local vendors file over the catalogue: an entry
    /// adds a vendor, or replaces the catalogue's entry of its id (keeping
    /// its aliases), and each of its names stands for it. Where it
    /// contradicts the catalogue (another country or parent for the same
    /// id, a name the catalogue gives another vendor), the local entry is
    /// used and a warning names both places. `log` is the local file's.
    mutating func overlay(_ entries: [(Vendor, [String: SourceLocation])], log: inout DiagnosticLog) {
        var localNames: [String: String] = [:]
        for (vendor, locations) in entries {
            var vendor = vendor
            let at = locations["id"] ?? SourceLocation(line: 1, column: 1)
            vendor.localFile = "\(log.file):\(at.line)"
            if let known = vendors[vendor.id], let place = catalogueEntries[vendor.id] {
                let was = Self.facts(known), now = Self.facts(vendor)
                if was != now {
                    log.warning("contradicts-catalogue", at: at,
                                "vendor '\(vendor.id)' is \(now) here but \(was) in \(place); this file's entry is used")
                }
                vendor.aliases += known.aliases.filter { !vendor.aliases.contains($0) }
            }
            vendors[vendor.id] = vendor
            let names = [(vendor.id, at), (vendor.name, locations["name"] ?? at)]
                + vendor.aliases.map { ($0, locations["alias:\($0.lowercased())"] ?? at) }
            for (name, location) in names {
                let normalForms = name == vendor.id ? [VendorNameForms.fold(name.replacingOccurrences(of: "-", with: " "))] : forms.keys(name)
                for key in [Self.key(name)] + normalForms {
                    if let other = localNames[key], other != vendor.id {
                        log.error("duplicate-alias", at: location, "'\(name)' already names vendor '\(other)' in this file; a name may belong to one vendor only")
                        continue
                    }
                    localNames[key] = vendor.id
                    let owner = key == Self.key(name) ? byName[key] : byNormalForm[key]
                    if let owner, owner != vendor.id, let place = catalogueEntries[owner] {
                        log.warning("contradicts-catalogue", at: location,
                                    "'\(name)' names vendor '\(owner)' in \(place); here it names '\(vendor.id)', which is used")
                    }
                    if key == Self.key(name) { byName[key] = vendor.id } else { byNormalForm[key] = vendor.id }
                }
            }
        }
        for (vendor, locations) in entries {
            for parent in [vendor.parent].compactMap({ $0 }) + vendor.earlierParents.map(\.parent) where vendors[parent] == nil {
                log.error("reference", at: locations["parent"] ?? locations["id"] ?? SourceLocation(line: 1, column: 1),
                          "parent '\(parent)' is no vendor of this file or the catalogue\(Suggestion.didYouMean(parent, in: vendors.keys))")
            }
            if ownershipChain(of: vendors[vendor.id]!).count > vendors.count {
                log.error("parent-cycle", at: locations["parent"] ?? SourceLocation(line: 1, column: 1), "the parents of vendor '\(vendor.id)' form a cycle")
            }
        }
    }

    /// The facts of an entry that a contradiction is about: "Name (CC), parent p since D".
    private static func facts(_ vendor: Vendor) -> String {
        "\(vendor.name) (\(vendor.country))" + (vendor.parent.map { ", parent '\($0)'" } ?? ", no parent") + (vendor.since.map { " since \($0)" } ?? "")
    }

    /// The vendor a name as written in an inventory stands for: by id, name
    /// or alias, as written or in normal form (docs/rules-format.md).
    public func vendor(named name: String) -> Vendor? {
        if let id = byName[Self.key(name)] { return vendors[id] }
        let keys = forms.keys(name)
        if let id = keys.lazy.compactMap({ self.byNormalForm[$0] }).first { return vendors[id] }
        // A country subsidiary: "IBM Canada Limited" is IBM's.
        return keys.lazy.compactMap { self.forms.withoutCountry($0).flatMap { self.byNormalForm[$0] } }.first.flatMap { vendors[$0] }
    }

    /// The top of a vendor's ownership chain on `day` (today's when nil).
    public func ultimateParent(of vendor: Vendor, on day: Day? = nil) -> Vendor {
        ownershipChain(of: vendor, on: day).last!.vendor
    }

    /// The vendor and the companies that own it on `day` (today's when nil),
    /// up to its ultimate parent, each with the day its owner took control
    /// of the one before: parent links of control `ownership`; a financial
    /// investor ends the chain (`financialController(ofTop:on:)`).
    public func ownershipChain(of vendor: Vendor, on day: Day? = nil) -> [(vendor: Vendor, since: Day?)] {
        var chain: [(vendor: Vendor, since: Day?)] = [(vendor, nil)]
        while let link = chain.last!.vendor.parent(on: day), link.control == .ownership, let next = vendors[link.id], chain.count <= vendors.count {
            chain.append((next, link.since))
        }
        return chain
    }

    /// The financial investor that controls an ultimate parent (the last of
    /// an `ownershipChain`) on `day`, with the investor's own ownership
    /// chain; nil when there is none.
    public func financialController(ofTop top: Vendor, on day: Day? = nil) -> [(vendor: Vendor, since: Day?)]? {
        guard let link = top.parent(on: day), link.control == .financial, let investor = vendors[link.id] else { return nil }
        var chain = ownershipChain(of: investor, on: day)
        chain[0].since = link.since
        return chain
    }

    /// An id for a vendor the catalogue lacks, from its name in normal form
    /// ("Softwarehaus Talgrund GmbH" → "softwarehaus-talgrund").
    public func suggestedID(for name: String) -> String {
        let words = (forms.keys(name).first ?? VendorNameForms.fold(name)).unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) ? Character(scalar) : " "
        }
        let id = String(words).split(separator: " ").joined(separator: "-")
        return id.isEmpty ? "vendor" : id
    }

    /// The names a did-you-mean suggestion chooses from.
    public var knownNames: [String] {
        vendors.values.flatMap { [$0.id, $0.name] + $0.aliases }
    }
}
