import Foundation

/// The orders a report's rows can be listed in (`--sort`). Figures sort
/// largest first, names and ids alphabetically; ties go by id.
public enum ReportSort: String, CaseIterable, Sendable, Encodable {
    /// Criticality-weighted share of the systems in scope (vendor, country).
    case dependence
    /// Criticality weight times the higher of the two scores (system).
    case risk
    case systems
    /// Systems of criticality high or critical.
    case critical
    case users
    /// Annual cost where stated.
    case cost
    case lockIn = "lock-in"
    case jurisdiction
    /// Herfindahl-Hirschman index of vendor concentration (ministry, organisation).
    case hhi
    /// Systems holding personal data (country).
    case personalData = "personal-data"
    case name
    case id

    /// The orders a level offers; the first is its default.
    public static func offered(at level: ReportLevel) -> [ReportSort] {
        switch level {
        case .ministry, .organisation: [.id, .name, .systems, .critical, .users, .cost, .lockIn, .jurisdiction, .hhi]
        case .vendor: [.dependence, .systems, .critical, .users, .cost, .lockIn, .jurisdiction, .name, .id]
        case .country: [.dependence, .systems, .critical, .cost, .personalData, .name, .id]
        case .system: [.risk, .lockIn, .jurisdiction, .critical, .users, .cost, .name, .id]
        }
    }

    /// The order of a level when `--sort` is not given.
    public static func standard(at level: ReportLevel) -> ReportSort {
        offered(at: level)[0]
    }
}

/// Orders rows by a key, largest first for figures, then by id.
struct RowOrder<Row> {
    let figure: ((Row) -> Double)?
    let text: ((Row) -> String)?
    let id: (Row) -> String

    static func figure(_ figure: @escaping (Row) -> Double, id: @escaping (Row) -> String) -> RowOrder {
        RowOrder(figure: figure, text: nil, id: id)
    }

    static func text(_ text: @escaping (Row) -> String, id: @escaping (Row) -> String) -> RowOrder {
        RowOrder(figure: nil, text: text, id: id)
    }

    func sorted(_ rows: [Row]) -> [Row] {
        rows.sorted { left, right in
            if let figure {
                let (a, b) = (figure(left), figure(right))
                if a != b { return a > b }
            } else if let text {
                let (a, b) = (text(left), text(right))
                let order = a.compare(b, options: [.caseInsensitive, .diacriticInsensitive, .numeric])
                if order != .orderedSame { return order == .orderedAscending }
            }
            return id(left) < id(right)
        }
    }
}

extension ReportBuilder {
    func order(_ groups: [Report.Group]) -> [Report.Group] {
        let order: RowOrder<Report.Group> = switch sort {
        case .name: .text(\.name, id: \.id)
        case .systems: .figure({ Double($0.systems) }, id: \.id)
        case .critical: .figure({ Double($0.criticalSystems) }, id: \.id)
        case .users: .figure({ Double($0.users) }, id: \.id)
        case .cost: .figure(\.spend.euros, id: \.id)
        case .lockIn: .figure(\.lockIn.score, id: \.id)
        case .jurisdiction: .figure(\.jurisdiction.score, id: \.id)
        case .hhi: .figure(\.hhi, id: \.id)
        default: .text(\.id, id: \.id)
        }
        return order.sorted(groups)
    }

    func order(_ vendors: [VendorDependence]) -> [VendorDependence] {
        let order: RowOrder<VendorDependence> = switch sort {
        case .systems: .figure({ Double($0.systems) }, id: \.parent)
        case .critical: .figure({ Double($0.criticalSystems) }, id: \.parent)
        case .users: .figure({ Double($0.users) }, id: \.parent)
        case .cost: .figure(\.spend.euros, id: \.parent)
        case .lockIn: .figure(\.lockIn, id: \.parent)
        case .jurisdiction: .figure(\.jurisdiction, id: \.parent)
        case .name: .text(\.name, id: \.parent)
        case .id: .text(\.parent, id: \.parent)
        default: .figure(\.dependence, id: \.parent)
        }
        return order.sorted(vendors)
    }

    func order(_ countries: [CountryDependence]) -> [CountryDependence] {
        // Vendors of no known country sort last by code.
        let code: (CountryDependence) -> String = { $0.country ?? "~" }
        let order: RowOrder<CountryDependence> = switch sort {
        case .systems: .figure({ Double($0.systems) }, id: code)
        case .critical: .figure({ Double($0.criticalSystems) }, id: code)
        case .cost: .figure(\.spend.euros, id: code)
        case .personalData: .figure({ Double($0.personalData.systems) }, id: code)
        case .name: .text(\.name, id: code)
        case .id: .text(code, id: code)
        default: .figure(\.dependence, id: code)
        }
        return order.sorted(countries)
    }
}
