import Domain
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

    /// `countryNames`: the names and codes of the rule set's countries, for
    /// a country written after a vendor's name.
    init(entries: [(Vendor, [String: SourceLocation])], countryNames: some Sequence<String>, log: inout DiagnosticLog) {
        forms = VendorNameForms(countryNames: countryNames)
        for (vendor, locations) in entries {
            if vendors[vendor.id] != nil {
                log.error("duplicate-id", at: locations["id"] ?? SourceLocation(line: 1, column: 1), "vendor '\(vendor.id)' is listed twice")
                continue
            }
            vendors[vendor.id] = vendor
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

    /// The vendor a name as written in an inventory stands for: by id, name
    /// or alias, as written or in normal form (docs/rules-format.md).
    public func vendor(named name: String) -> Vendor? {
        if let id = byName[Self.key(name)] { return vendors[id] }
        return forms.keys(name).lazy.compactMap { self.byNormalForm[$0] }.first.flatMap { vendors[$0] }
    }

    /// The top of a vendor's ownership chain.
    public func ultimateParent(of vendor: Vendor) -> Vendor {
        ownershipChain(of: vendor).last!
    }

    /// The vendor and the companies that own it, up to its ultimate parent:
    /// parent links of control `ownership`; a financial investor ends the
    /// chain (`financialController(ofTop:)`).
    public func ownershipChain(of vendor: Vendor) -> [Vendor] {
        var chain = [vendor]
        while let parent = chain.last!.parent, chain.last!.control == .ownership, let next = vendors[parent], chain.count <= vendors.count {
            chain.append(next)
        }
        return chain
    }

    /// The financial investor that controls an ultimate parent (the last of
    /// an `ownershipChain`), with the investor's own ownership chain; nil
    /// when there is none.
    public func financialController(ofTop top: Vendor) -> [Vendor]? {
        guard top.control == .financial, let investor = top.parent.flatMap({ vendors[$0] }) else { return nil }
        return ownershipChain(of: investor)
    }

    /// The names a did-you-mean suggestion chooses from.
    public var knownNames: [String] {
        vendors.values.flatMap { [$0.id, $0.name] + $0.aliases }
    }
}
