import Domain
import YAMLReading

/// The role of an organisation in the hierarchy of a public administration.
public enum OrganisationType: String, NamedCases, Sendable, Codable {
    case government, ministry, agency, municipality, county
    case itServiceProvider = "it_service_provider"
    case other
}

/// An organisation: a ministry, agency, municipality, or IT service provider.
public struct Organisation: Sendable, Hashable {
    public var id: String
    public var name: String
    public var type: OrganisationType
    public var parent: String?
    public var country: String
    /// The date the inventory describes; nil for a declaration in an
    /// `organisations:` document, which has no systems.
    public var asOf: Day?
    /// Whether this comes from an organisation document (with systems) rather
    /// than a declaration.
    public var hasInventory: Bool
    public var file: String
    public var location: SourceLocation
    var parentLocation: SourceLocation?

    public init(id: String, name: String, type: OrganisationType, parent: String?, country: String,
                asOf: Day?, hasInventory: Bool, file: String, location: SourceLocation,
                parentLocation: SourceLocation? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.parent = parent
        self.country = country
        self.asOf = asOf
        self.hasInventory = hasInventory
        self.file = file
        self.location = location
        self.parentLocation = parentLocation
    }
}

public enum Deployment: String, NamedCases, Sendable, Codable {
    case onPremises = "on_premises"
    case hosted
    case privateCloud = "private_cloud"
    case publicCloud = "public_cloud"
    case saas

    private static let names = NameTable<Self>()
    public static func named(_ name: String) -> Self? { names.value(named: name) }
}

public enum Classification: String, NamedCases, Sendable, Codable {
    case none
    case vsNfD = "vs-nfd"
    case confidential, secret
}

public enum ExportAbility: String, NamedCases, Sendable, Codable {
    case full, partial, none, unknown
}

public enum Telemetry: String, NamedCases, Sendable, Codable {
    case none, optional, mandatory, unknown
}

public enum KeyHolder: String, NamedCases, Sendable, Codable {
    case customer, provider, unknown
}

/// How hard a system is to replace: the four levels of the DORA register of information.
public enum Substitutability: String, NamedCases, Sendable, Codable {
    case easy, medium, hard, none, unknown
}

/// Where data is held or processed: a country, or anywhere in the EU/EEA.
public typealias Place = String

/// Whose infrastructure holds the data, and where.
public struct Hosting: Sendable, Hashable {
    public var provider: String?
    public var dataLocation: [Place]?
    public var processingLocation: [Place]?
    public var supportAccess: [String]?

    public init(provider: String? = nil, dataLocation: [Place]? = nil, processingLocation: [Place]? = nil, supportAccess: [String]? = nil) {
        self.provider = provider
        self.dataLocation = dataLocation
        self.processingLocation = processingLocation
        self.supportAccess = supportAccess
    }
}

/// A further provider with access to the data.
public struct Subprocessor: Sendable, Hashable {
    public var name: String
    public var country: String?

    public init(name: String, country: String?) {
        self.name = name
        self.country = country
    }
}

/// What the system's data is: personal, special categories, classified.
public struct DataProfile: Sendable, Hashable {
    public var personal: Bool?
    public var specialCategories: Bool?
    public var classification: Classification?

    public init(personal: Bool? = nil, specialCategories: Bool? = nil, classification: Classification? = nil) {
        self.personal = personal
        self.specialCategories = specialCategories
        self.classification = classification
    }

    /// Whether the system holds personal data, as far as the inventory says:
    /// as written, or yes when it states special categories (GDPR Art. 9
    /// data are personal data); nil (unknown) when neither says.
    public var holdsPersonalData: Bool? {
        personal ?? (specialCategories == true ? true : nil)
    }

    /// Whether the system holds special categories of personal data: as
    /// written, or no when it states that it holds no personal data at all;
    /// nil (unknown) when neither says.
    public var holdsSpecialCategories: Bool? {
        specialCategories ?? (personal == false ? false : nil)
    }
}

/// The current contract.
public struct Contract: Sendable, Hashable {
    public var ends: Day?
    public var noticeMonths: Int?
    public var exitPlan: Bool?
    public var annualCostEUR: Double?
    public var governingLaw: String?

    public init(ends: Day? = nil, noticeMonths: Int? = nil, exitPlan: Bool? = nil, annualCostEUR: Double? = nil, governingLaw: String? = nil) {
        self.ends = ends
        self.noticeMonths = noticeMonths
        self.exitPlan = exitPlan
        self.annualCostEUR = annualCostEUR
        self.governingLaw = governingLaw
    }
}

/// An accepted risk: the named rule's finding is shown as accepted instead of
/// counted, until it expires.
public struct RiskException: Sendable, Hashable {
    public var rule: String
    public var reason: String
    public var owner: String
    public var expires: Day
    public var location: SourceLocation

    public init(rule: String, reason: String, owner: String, expires: Day, location: SourceLocation) {
        self.rule = rule
        self.reason = reason
        self.owner = owner
        self.expires = expires
        self.location = location
    }
}

/// Where each field of a record was written, by its dotted path (`hosting.provider`).
public struct FieldLocations: Sendable, Hashable {
    private var entries: [(field: String, location: SourceLocation)] = []
    /// Where each target of `depends_on` is written, in their order.
    private(set) var dependencies: [SourceLocation] = []

    public init() {}

    /// Room for a system's fields, so that recording them allocates once.
    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    public mutating func record(_ field: String, _ location: SourceLocation) {
        entries.append((field, location))
    }

    mutating func recordDependency(at location: SourceLocation) {
        dependencies.append(location)
    }

    public subscript(field: String) -> SourceLocation? {
        entries.first { $0.field == field }?.location
    }

    public static func == (lhs: FieldLocations, rhs: FieldLocations) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.field == $1.field && $0.location == $1.location }
            && lhs.dependencies == rhs.dependencies
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.field)
            hasher.combine(entry.location)
        }
        hasher.combine(dependencies)
    }
}

/// One IT service or application an organisation depends on, as its inventory
/// describes it. Absent optional answers stay nil: unknown is never read as
/// the good answer.
public struct System: Sendable, Hashable {
    /// The fields, shared by every copy: a system passes through reading,
    /// scoring and the writer's thread, and a copy of the fields would retain
    /// each of its texts and lists at every step. The properties lend their
    /// field (`_read`, inlined where they are read), so that reading
    /// `hosting.provider` retains no other text of `hosting`; a change (tests
    /// make them) replaces the storage.
    @usableFromInline var storage: Storage

    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    @usableFromInline
    struct Fields: Sendable, Hashable {
        @usableFromInline var id: String
        @usableFromInline var name: String
        @usableFromInline var function: String
        @usableFromInline var product: String
        @usableFromInline var vendor: String
        @usableFromInline var operatorName: String?
        @usableFromInline var deployment: Deployment
        @usableFromInline var hosting: Hosting
        @usableFromInline var subprocessors: [Subprocessor]
        @usableFromInline var licence: String
        @usableFromInline var users: Int?
        @usableFromInline var criticality: Criticality
        @usableFromInline var data: DataProfile
        @usableFromInline var formats: [String]?
        @usableFromInline var interfaces: [String]?
        @usableFromInline var export: ExportAbility?
        @usableFromInline var telemetry: Telemetry?
        @usableFromInline var encryptionKeys: KeyHolder?
        @usableFromInline var dependsOn: [String]
        @usableFromInline var contract: Contract?
        @usableFromInline var substitutability: Substitutability?
        @usableFromInline var alternatives: [String]
        @usableFromInline var exceptions: [RiskException]
        @usableFromInline var notes: String?
        @usableFromInline var location: SourceLocation
        @usableFromInline var fieldLocations: FieldLocations
    }

    private mutating func change(_ body: (inout Fields) -> Void) {
        var fields = storage.fields
        body(&fields)
        storage = Storage(fields)
    }

    public static func == (lhs: System, rhs: System) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }

    public var id: String {
        @inlinable _read { yield storage.fields.id }
        set { change { $0.id = newValue } }
    }
    public var name: String {
        @inlinable _read { yield storage.fields.name }
        set { change { $0.name = newValue } }
    }
    public var function: String {
        @inlinable _read { yield storage.fields.function }
        set { change { $0.function = newValue } }
    }
    public var product: String {
        @inlinable _read { yield storage.fields.product }
        set { change { $0.product = newValue } }
    }
    public var vendor: String {
        @inlinable _read { yield storage.fields.vendor }
        set { change { $0.vendor = newValue } }
    }
    public var operatorName: String? {
        @inlinable _read { yield storage.fields.operatorName }
        set { change { $0.operatorName = newValue } }
    }
    public var deployment: Deployment {
        @inlinable _read { yield storage.fields.deployment }
        set { change { $0.deployment = newValue } }
    }
    public var hosting: Hosting {
        @inlinable _read { yield storage.fields.hosting }
        set { change { $0.hosting = newValue } }
    }
    public var subprocessors: [Subprocessor] {
        @inlinable _read { yield storage.fields.subprocessors }
        set { change { $0.subprocessors = newValue } }
    }
    public var licence: String {
        @inlinable _read { yield storage.fields.licence }
        set { change { $0.licence = newValue } }
    }
    public var users: Int? {
        @inlinable _read { yield storage.fields.users }
        set { change { $0.users = newValue } }
    }
    public var criticality: Criticality {
        @inlinable _read { yield storage.fields.criticality }
        set { change { $0.criticality = newValue } }
    }
    public var data: DataProfile {
        @inlinable _read { yield storage.fields.data }
        set { change { $0.data = newValue } }
    }
    public var formats: [String]? {
        @inlinable _read { yield storage.fields.formats }
        set { change { $0.formats = newValue } }
    }
    public var interfaces: [String]? {
        @inlinable _read { yield storage.fields.interfaces }
        set { change { $0.interfaces = newValue } }
    }
    public var export: ExportAbility? {
        @inlinable _read { yield storage.fields.export }
        set { change { $0.export = newValue } }
    }
    public var telemetry: Telemetry? {
        @inlinable _read { yield storage.fields.telemetry }
        set { change { $0.telemetry = newValue } }
    }
    public var encryptionKeys: KeyHolder? {
        @inlinable _read { yield storage.fields.encryptionKeys }
        set { change { $0.encryptionKeys = newValue } }
    }
    public var dependsOn: [String] {
        @inlinable _read { yield storage.fields.dependsOn }
        set { change { $0.dependsOn = newValue } }
    }
    public var contract: Contract? {
        @inlinable _read { yield storage.fields.contract }
        set { change { $0.contract = newValue } }
    }
    public var substitutability: Substitutability? {
        @inlinable _read { yield storage.fields.substitutability }
        set { change { $0.substitutability = newValue } }
    }
    public var alternatives: [String] {
        @inlinable _read { yield storage.fields.alternatives }
        set { change { $0.alternatives = newValue } }
    }
    public var exceptions: [RiskException] {
        @inlinable _read { yield storage.fields.exceptions }
        set { change { $0.exceptions = newValue } }
    }
    public var notes: String? {
        @inlinable _read { yield storage.fields.notes }
        set { change { $0.notes = newValue } }
    }
    /// Where the system's mapping starts.
    public var location: SourceLocation {
        @inlinable _read { yield storage.fields.location }
        set { change { $0.location = newValue } }
    }
    public var fieldLocations: FieldLocations {
        @inlinable _read { yield storage.fields.fieldLocations }
        set { change { $0.fieldLocations = newValue } }
    }

    public init(id: String, name: String, function: String, product: String, vendor: String,
                operatorName: String? = nil, deployment: Deployment, hosting: Hosting = Hosting(),
                subprocessors: [Subprocessor] = [], licence: String, users: Int? = nil,
                criticality: Criticality, data: DataProfile = DataProfile(), formats: [String]? = nil,
                interfaces: [String]? = nil, export: ExportAbility? = nil, telemetry: Telemetry? = nil,
                encryptionKeys: KeyHolder? = nil, dependsOn: [String] = [], contract: Contract? = nil,
                substitutability: Substitutability? = nil, alternatives: [String] = [],
                exceptions: [RiskException] = [], notes: String? = nil,
                location: SourceLocation = SourceLocation(line: 1, column: 1),
                fieldLocations: FieldLocations = FieldLocations()) {
        storage = Storage(Fields(
            id: id,
            name: name,
            function: function,
            product: product,
            vendor: vendor,
            operatorName: operatorName,
            deployment: deployment,
            hosting: hosting,
            subprocessors: subprocessors,
            licence: licence,
            users: users,
            criticality: criticality,
            data: data,
            formats: formats,
            interfaces: interfaces,
            export: export,
            telemetry: telemetry,
            encryptionKeys: encryptionKeys,
            dependsOn: dependsOn,
            contract: contract,
            substitutability: substitutability,
            alternatives: alternatives,
            exceptions: exceptions,
            notes: notes,
            location: location,
            fieldLocations: fieldLocations))
    }
}
