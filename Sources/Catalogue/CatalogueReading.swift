import Domain
import YAMLReading

enum SourceKey: String, FieldKey { case title, url, date }
enum BlocKey: String, FieldKey { case id, name, source, sources }
enum LawKey: String, FieldKey { case id, name, country, summary, source, sources }
enum AdequacyKey: String, FieldKey { case decision, date, scope, note, source, sources }
enum CountryKey: String, FieldKey {
    case code, name, bloc, adequacy, laws, source, sources
    case otherNames = "other_names"
}
enum VendorKey: String, FieldKey {
    case id, name, aliases, country, parent, since, control, lei, source, sources
    case earlierParents = "earlier_parents"
}
enum EarlierParentKey: String, FieldKey { case parent, since, until }
enum FunctionKey: String, FieldKey { case id, name, description, synonyms }

/// Typed readers for the entries of the rule set's catalogues.
enum CatalogueReading {
    /// A source: a web page, or (`records`, in a local vendors file) also a
    /// record of the administration's own, as `file:` and its name
    /// (`file:companies.csv`, a CMDB export an import read).
    static func source(_ node: Node, field: String, records: Bool = false, log: inout DiagnosticLog) -> Source? {
        var title: String?, url: String?, date: Day?
        node.readMapping(SourceKey.self, what: "source", prefix: "\(field).", required: [.title, .url, .date], log: &log) { key, value, log in
            switch key {
            case .title: title = value.text("\(field).title", log: &log)
            case .url:
                url = value.text("\(field).url", log: &log)
                if let link = url, !(link.hasPrefix("https://") || link.hasPrefix("http://") || (records && link.hasPrefix("file:") && link.count > 5)) {
                    log.error("source", at: value.location, "'\(field).url' must be a web address starting with https://\(records ? " (or file: and the name of a record of your own)" : ""), not '\(link)'")
                }
            case .date: date = value.day("\(field).date", log: &log)
            }
        }
        guard let title, let url, let date else { return nil }
        return Source(title: title, url: url, date: date)
    }

    /// `source:` (one) or `sources:` (a list); a fact needs at least one.
    static func sources(_ key: String, _ node: Node, into sources: inout [Source], records: Bool = false, log: inout DiagnosticLog) {
        if key == "source" {
            if let one = source(node, field: "source", records: records, log: &log) { sources.append(one) }
        } else {
            for item in node.list("sources", log: &log) ?? [] {
                if let one = source(item, field: "sources", records: records, log: &log) { sources.append(one) }
            }
        }
    }

    static func requireSource(_ sources: [Source], what: String, at location: SourceLocation, log: inout DiagnosticLog) {
        if sources.isEmpty {
            log.error("source", at: location, "\(what) has no 'source'; every fact in the rule set needs a source with title, url and date")
        }
    }

    static func bloc(_ node: Node, log: inout DiagnosticLog) -> Bloc? {
        var id: String?, name: String?, sources: [Source] = []
        node.readMapping(BlocKey.self, what: "bloc", required: [.id, .name], log: &log) { key, value, log in
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .source, .sources: Self.sources(key.rawValue, value, into: &sources, log: &log)
            }
        }
        guard let id, let name else { return nil }
        requireSource(sources, what: "bloc '\(id)'", at: node.location, log: &log)
        return Bloc(id: id, name: name, sources: sources)
    }

    static func law(_ node: Node, log: inout DiagnosticLog) -> (Law, countryLocation: SourceLocation)? {
        var id: String?, name: String?, country: String?, summary: String?, sources: [Source] = []
        var countryLocation = node.location
        node.readMapping(LawKey.self, what: "law", required: [.id, .name, .country, .summary], log: &log) { key, value, log in
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .country:
                country = value.text("country", log: &log)
                countryLocation = value.location
            case .summary: summary = value.text("summary", log: &log)
            case .source, .sources: Self.sources(key.rawValue, value, into: &sources, log: &log)
            }
        }
        guard let id, let name, let country, let summary else { return nil }
        requireSource(sources, what: "law '\(id)'", at: node.location, log: &log)
        return (Law(id: id, name: name, country: country, summary: summary, sources: sources), countryLocation)
    }

    static func adequacy(_ node: Node, log: inout DiagnosticLog) -> Adequacy? {
        var decision: String?, date: Day?, scope: Adequacy.Scope?, note: String?, sources: [Source] = []
        node.readMapping(AdequacyKey.self, what: "adequacy", prefix: "adequacy.", required: [.decision, .date, .scope], log: &log) { key, value, log in
            switch key {
            case .decision: decision = value.text("adequacy.decision", log: &log)
            case .date: date = value.day("adequacy.date", log: &log)
            case .scope: scope = value.choice("adequacy.scope", Adequacy.Scope.self, log: &log)
            case .note: note = value.text("adequacy.note", log: &log)
            case .source, .sources: Self.sources(key.rawValue, value, into: &sources, log: &log)
            }
        }
        guard let decision, let date, let scope else { return nil }
        requireSource(sources, what: "adequacy decision '\(decision)'", at: node.location, log: &log)
        return Adequacy(decision: decision, date: date, scope: scope, note: note, sources: sources)
    }

    struct CountryEntry {
        var country: Country
        var blocLocation: SourceLocation?
        var lawLocations: [SourceLocation]
    }

    static func country(_ node: Node, log: inout DiagnosticLog) -> CountryEntry? {
        var code: String?, name: String?, otherNames: [String] = [], bloc: String?, adequacy: Adequacy?, laws: [String] = [], sources: [Source] = []
        var blocLocation: SourceLocation?, lawLocations: [SourceLocation] = []
        node.readMapping(CountryKey.self, what: "country", required: [.code, .name], log: &log) { key, value, log in
            switch key {
            case .code:
                code = value.text("code", log: &log)
                if let text = code, text.utf8.count != 2 || !text.utf8.allSatisfy({ (65...90).contains($0) }) {
                    log.error("country", at: value.location, "'code' must be two upper-case letters (ISO 3166-1 alpha-2), not '\(text)'")
                    code = nil
                }
            case .name: name = value.text("name", log: &log)
            case .otherNames: otherNames = value.texts("other_names", log: &log)
            case .bloc:
                bloc = value.slug("bloc", log: &log)
                blocLocation = value.location
            case .adequacy: adequacy = Self.adequacy(value, log: &log)
            case .laws:
                for item in value.list("laws", log: &log) ?? [] {
                    if let law = item.slug("laws", log: &log) {
                        laws.append(law)
                        lawLocations.append(item.location)
                    }
                }
            case .source, .sources: Self.sources(key.rawValue, value, into: &sources, log: &log)
            }
        }
        guard let code, let name else { return nil }
        if bloc != nil {
            requireSource(sources, what: "country '\(code)' (its bloc membership)", at: node.location, log: &log)
        }
        return CountryEntry(country: Country(code: code, name: name, otherNames: otherNames, bloc: bloc, adequacy: adequacy, laws: laws, sources: sources),
                            blocLocation: blocLocation, lawLocations: lawLocations)
    }

    /// A vendor entry; `local`: of a local vendors file, whose sources may be records of its own.
    static func vendor(_ node: Node, local: Bool = false, log: inout DiagnosticLog) -> (Vendor, locations: [String: SourceLocation])? {
        var id: String?, name: String?, aliases: [String] = [], country: String?, parent: String?, since: Day?, control = Vendor.Control.ownership
        var earlierParents: [Vendor.EarlierParent] = [], lei: String?, sources: [Source] = []
        var locations: [String: SourceLocation] = [:]
        node.readMapping(VendorKey.self, what: "vendor", required: [.id, .name, .country], log: &log) { key, value, log in
            locations[key.rawValue] = value.location
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .aliases:
                for item in value.list("aliases", log: &log) ?? [] {
                    if let alias = item.text("aliases", log: &log) {
                        aliases.append(alias)
                        locations["alias:\(alias.lowercased())"] = item.location
                    }
                }
            case .country: country = value.text("country", log: &log)
            case .parent: parent = value.slug("parent", log: &log)
            case .since: since = value.day("since", log: &log)
            case .earlierParents:
                for (index, item) in (value.list("earlier_parents", log: &log) ?? []).enumerated() {
                    var earlier: String?, from: Day?, until: Day?
                    item.readMapping(EarlierParentKey.self, what: "earlier parent", prefix: "earlier_parents.", required: [.parent, .until], log: &log) { key, value, log in
                        switch key {
                        case .parent:
                            earlier = value.slug("earlier_parents.parent", log: &log)
                            locations["earlier:\(index)"] = value.location
                        case .since: from = value.day("earlier_parents.since", log: &log)
                        case .until: until = value.day("earlier_parents.until", log: &log)
                        }
                    }
                    guard let earlier, let until else { continue }
                    if let from, from > until {
                        log.error("date", at: item.location, "an earlier parent's 'since' (\(from)) comes after its 'until' (\(until))")
                    }
                    earlierParents.append(Vendor.EarlierParent(parent: earlier, since: from, until: until))
                }
            case .control: control = value.choice("control", Vendor.Control.self, log: &log) ?? control
            case .lei:
                if let text = value.text("lei", log: &log) {
                    if let problem = LegalEntityIdentifier.problem(text) {
                        log.error("lei", at: value.location, "'lei' \(problem)")
                    } else {
                        lei = text
                    }
                }
            case .source, .sources: Self.sources(key.rawValue, value, into: &sources, records: local, log: &log)
            }
        }
        guard let id, let name, let country else { return nil }
        requireSource(sources, what: "vendor '\(id)'", at: node.location, log: &log)
        if parent == nil {
            for key in ["control", "since"] {
                if let location = locations[key] {
                    log.error("\(key)-without-parent", at: location, "'\(key)' says \(key == "since" ? "since when the parent controls the vendor" : "what the link to the parent is"), but vendor '\(id)' names no parent")
                }
            }
        }
        if let since, let latest = earlierParents.map(\.until).max(), latest > since {
            log.error("date", at: locations["earlier_parents"] ?? node.location,
                      "an earlier parent of vendor '\(id)' runs until \(latest), after its current parent's 'since' (\(since))")
        }
        return (Vendor(id: id, name: name, aliases: aliases, country: country, parent: parent, since: since, earlierParents: earlierParents,
                       control: control, lei: lei, sources: sources), locations)
    }

    static func function(_ node: Node, log: inout DiagnosticLog) -> SystemFunction? {
        var id: String?, name: String?, description: String?, synonyms: [String] = []
        node.readMapping(FunctionKey.self, what: "function", required: [.id, .name, .description], log: &log) { key, value, log in
            switch key {
            case .id: id = value.slug("id", log: &log)
            case .name: name = value.text("name", log: &log)
            case .description: description = value.text("description", log: &log)
            case .synonyms:
                for item in value.list("synonyms", log: &log) ?? [] {
                    if let synonym = item.slug("synonyms", log: &log) { synonyms.append(synonym) }
                }
            }
        }
        guard let id, let name, let description else { return nil }
        return SystemFunction(id: id, name: name, description: description, synonyms: synonyms)
    }
}
