import Domain

/// A value of one field of a system, in the few kinds the inventory format
/// has. Absent and empty stay apart (`.words(nil)` is not `.words([])`).
public enum FieldValue: Sendable, Hashable {
    case text(String?)
    case number(Int?)
    case amount(Double?)
    case flag(Bool?)
    /// A list of texts.
    case words([String]?)
    /// A list of records, each a fixed sequence of values (subprocessors, exceptions).
    case entries([[FieldValue]])
}

/// One field of a system as the inventory format names it. `System.fields`
/// is the one place where a field is declared for everything that handles
/// every field alike: the record hash, the stored columns, the diff's list
/// of changed fields, and the tests that hold read-back and the JSON Schema
/// to the same list.
public struct SystemField: Sendable {
    /// As the format writes it: `hosting.data_location`.
    public let name: String
    /// Its column in the `system` table; nil for a list of records, which
    /// has a table of its own.
    public let column: String?
    public let value: @Sendable (System) -> FieldValue

    /// `column` defaults to the name with `.` written `_`.
    init(_ name: String, column: String?? = .none, _ value: @escaping @Sendable (System) -> FieldValue) {
        self.name = name
        self.column = column ?? name.replacingOccurrences(of: ".", with: "_")
        self.value = value
    }
}

extension System {
    /// Every field the format gives a system, in the order records are
    /// hashed and columns stored. Positions in the file are not fields.
    public static let fields: [SystemField] = [
        SystemField("id", column: "system_id") { .text($0.id) },
        SystemField("name") { .text($0.name) },
        SystemField("function") { .text($0.function) },
        SystemField("product") { .text($0.product) },
        SystemField("vendor") { .text($0.vendor) },
        SystemField("operator") { .text($0.operatorName) },
        SystemField("deployment") { .text($0.deployment.rawValue) },
        SystemField("hosting.provider") { .text($0.hosting.provider) },
        SystemField("hosting.data_location") { .words($0.hosting.dataLocation) },
        SystemField("hosting.processing_location") { .words($0.hosting.processingLocation) },
        SystemField("hosting.support_access") { .words($0.hosting.supportAccess) },
        SystemField("subprocessors", column: .some(nil)) { system in
            .entries(system.subprocessors.map { [.text($0.name), .text($0.country)] })
        },
        SystemField("licence") { .text($0.licence) },
        SystemField("users") { .number($0.users) },
        SystemField("criticality") { .text($0.criticality.rawValue) },
        SystemField("data.personal") { .flag($0.data.personal) },
        SystemField("data.special_categories") { .flag($0.data.specialCategories) },
        SystemField("data.classification") { .text($0.data.classification?.rawValue) },
        SystemField("formats") { .words($0.formats) },
        SystemField("interfaces") { .words($0.interfaces) },
        SystemField("export") { .text($0.export?.rawValue) },
        SystemField("telemetry") { .text($0.telemetry?.rawValue) },
        SystemField("encryption_keys") { .text($0.encryptionKeys?.rawValue) },
        SystemField("depends_on") { .words($0.dependsOn) },
        SystemField("contract.ends") { .text($0.contract?.ends?.description) },
        SystemField("contract.notice_months") { .number($0.contract?.noticeMonths) },
        SystemField("contract.exit_plan") { .flag($0.contract?.exitPlan) },
        SystemField("contract.annual_cost_eur") { .amount($0.contract?.annualCostEUR) },
        SystemField("contract.governing_law") { .text($0.contract?.governingLaw) },
        SystemField("substitutability") { .text($0.substitutability?.rawValue) },
        SystemField("alternatives") { .words($0.alternatives) },
        SystemField("exceptions", column: .some(nil)) { system in
            .entries(system.exceptions.map { [.text($0.rule), .text($0.reason), .text($0.owner), .text($0.expires.description)] })
        },
        SystemField("notes") { .text($0.notes) },
    ]

    /// The fields stored as columns of the `system` table, in column order.
    public static let columnFields = fields.filter { $0.column != nil }

    /// The names of the fields whose values differ from `other`'s.
    public func changedFields(from other: System) -> [String] {
        Self.fields.filter { $0.value(self) != $0.value(other) }.map(\.name)
    }
}
