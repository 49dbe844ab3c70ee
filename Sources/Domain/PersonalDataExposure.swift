/// Where a system's personal data stands, as the two figures reports count
/// of it: one by where the data is, one by who holds it. A system may count
/// in both, in either or in neither.
public struct PersonalDataExposure: Sendable, Hashable {
    /// The system holds personal data (`data.personal` is true).
    public var held: Bool
    /// Personal data stored or processed outside the organisation's bloc:
    /// a `hosting.data_location` or `hosting.processing_location` outside it.
    public var outsideBloc: Bool
    /// Personal data held by a party under a foreign access law: the
    /// operator's or hosting provider's ultimate parent (the parties that
    /// hold the data; the organisation itself for a system it runs) sits in a
    /// country other than the organisation's with a law in the rule set that
    /// reaches data its companies hold (the CLOUD Act for a US parent). The
    /// maker of software run on premises holds no data.
    public var underForeignLaw: Bool

    public init(held: Bool, outsideBloc: Bool, underForeignLaw: Bool) {
        self.held = held
        self.outsideBloc = held && outsideBloc
        self.underForeignLaw = held && underForeignLaw
    }

    /// Counted in either figure.
    public var isAbroad: Bool { outsideBloc || underForeignLaw }

    public static let none = PersonalDataExposure(held: false, outsideBloc: false, underForeignLaw: false)
}
