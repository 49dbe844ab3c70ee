/// A closed set of values written by name in an inventory (or a spreadsheet): the keys a
/// mapping may hold, or the choices a field allows (`deployment: saas`).
public protocol NamedCases: RawRepresentable, CaseIterable where RawValue == String {
    /// The value written `name`, if there is one.
    static func named(_ name: String) -> Self?
}

extension NamedCases {
    public static func named(_ name: String) -> Self? { Self(rawValue: name) }
}

