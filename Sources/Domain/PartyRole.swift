/// A party of a system: who makes it, who runs it, whose infrastructure
/// holds its data, or a processor its inventory lists.
public enum PartyRole: String, Sendable {
    case vendor, `operator`
    case hostingProvider = "hosting provider"
    case subprocessor

    /// "hosting provider", "Hosting-Anbieter".
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (_, .en): rawValue
        case (.vendor, .de): "Anbieter"
        case (.operator, .de): "Betreiber"
        case (.hostingProvider, .de): "Hosting-Anbieter"
        case (.subprocessor, .de): "Unterauftragsverarbeiter"
        }
    }
}
