import Domain
import YAMLReading

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
    /// For a list of records: the keys of a record, in the order of its values.
    public let recordKeys: [String]

    /// `column` defaults to the name with `.` written `_`.
    init(_ name: String, column: String?? = .none, recordKeys: [String] = [], _ value: @escaping @Sendable (System) -> FieldValue) {
        self.name = name
        self.column = column ?? name.replacingOccurrences(of: ".", with: "_")
        self.recordKeys = recordKeys
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
        SystemField("subprocessors", column: .some(nil), recordKeys: SubprocessorKey.allCases.map(\.rawValue)) { system in
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
        SystemField("exceptions", column: .some(nil), recordKeys: ExceptionKey.allCases.map(\.rawValue)) { system in
            .entries(system.exceptions.map { [.text($0.rule), .text($0.reason), .text($0.owner), .text($0.expires.description)] })
        },
        SystemField("notes") { .text($0.notes) },
    ]

    /// Whether a field holds a list of texts (`formats`, `hosting.data_location`).
    public static func isList(_ field: SystemField) -> Bool {
        if case .words = field.value(bare) { return true }
        return false
    }

    /// Whether a list field may be absent, which is not empty (`formats`;
    /// not `depends_on`, where none is an empty list).
    public static func isOptionalList(_ field: SystemField) -> Bool {
        if case .words(nil) = field.value(bare) { return true }
        return false
    }

    /// A system with every optional answer left out, to tell fields by their values.
    private static let bare = System(id: "x", name: "x", function: "x", product: "x", vendor: "x", deployment: .onPremises,
                                     licence: "x", criticality: .low)

    /// The fields stored as columns of the `system` table, in column order.
    public static let columnFields = fields.filter { $0.column != nil }

    /// The names of the fields whose values differ from `other`'s.
    public func changedFields(from other: System) -> [String] {
        Self.fields.filter { $0.value(self) != $0.value(other) }.map(\.name)
    }
}

extension System {
    /// The system as the mapping an inventory file would hold for it, every
    /// value placed at `location`: a stored record in the form a plan edits
    /// and the inventory's reader checks (`SingleRecordReader`). Absent
    /// answers are left out, so that they stay absent when read back.
    public func node(at location: SourceLocation) -> Node {
        var entries: [Node.Entry] = []
        func scalar(_ text: String, plain: Bool) -> Node {
            Node(.scalar(Scalar(value: text, isPlain: plain)), at: location)
        }
        func node(_ value: FieldValue, recordKeys: [String]) -> Node? {
            switch value {
            case .text(let text): return text.map { scalar($0, plain: false) }
            case .number(let number): return number.map { scalar(String($0), plain: true) }
            case .amount(let amount): return amount.map { scalar(String($0), plain: true) }
            case .flag(let flag): return flag.map { scalar($0 ? "true" : "false", plain: true) }
            case .words(let words): return words.map { Node(.sequence($0.map { scalar($0, plain: false) }), at: location) }
            case .entries(let records):
                guard !records.isEmpty else { return nil }
                return Node(.sequence(records.map { values in
                    Node(.mapping(zip(recordKeys, values).compactMap { key, value in
                        node(value, recordKeys: []).map { Node.Entry(key: key, keyLocation: location, value: $0) }
                    }), at: location)
                }), at: location)
            }
        }
        // A nested field's entries, by the index of their parent's entry, made a mapping at the end.
        var nested: [(index: Int, entries: [Node.Entry])] = []
        for (field, path) in zip(Self.fields, Self.fieldPaths) {
            guard let value = node(field.value(self), recordKeys: field.recordKeys) else { continue }
            guard let key = path.key else {
                entries.append(Node.Entry(key: field.name, keyLocation: location, value: value))
                continue
            }
            let entry = Node.Entry(key: key, keyLocation: location, value: value)
            if let group = nested.firstIndex(where: { entries[$0.index].key == path.parent }) {
                nested[group].entries.append(entry)
            } else {
                nested.append((entries.count, [entry]))
                entries.append(Node.Entry(key: path.parent, keyLocation: location, value: Node(.mapping([]), at: location)))
            }
        }
        for (index, children) in nested { entries[index].value = Node(.mapping(children), at: location) }
        return Node(.mapping(entries), at: location)
    }

    /// Each field's name as parent and key (`hosting.provider`: `hosting`, `provider`); no key for a top-level field.
    static let fieldPaths: [(parent: String, key: String?)] = fields.map { field in
        let path = field.name.split(separator: ".", maxSplits: 1).map(String.init)
        return path.count == 2 ? (path[0], path[1]) : (field.name, nil)
    }
}
