import Domain
import Inventory

/// The data answers a scan reads as unknown because the inventory leaves
/// them out: `data.personal` (unless `data.special_categories: true`
/// implies it) and `data.special_categories` (unless `data.personal: false`
/// rules it out). The scoring treats them as unknown, never as no
/// (docs/inventory.md); `validate` and `scan` say how many systems that
/// concerns and where the first one is.
struct UnstatedData {
    private var counts: [UnstatedAnswer.Field: Int] = [:]
    /// Per field, the first system that leaves it out; its file is known
    /// once its organisation's document ends.
    private var first: [UnstatedAnswer.Field: (system: String, location: SourceLocation, file: String?)] = [:]

    mutating func add(_ system: System) {
        if system.data.holdsPersonalData == nil { count(.personal, system) }
        if system.data.holdsSpecialCategories == nil { count(.specialCategories, system) }
    }

    private mutating func count(_ field: UnstatedAnswer.Field, _ system: System) {
        counts[field, default: 0] += 1
        if first[field] == nil { first[field] = (system.id, system.location, nil) }
    }

    /// The systems just read belong to this organisation's document.
    mutating func close(_ organisation: Organisation) {
        for (field, entry) in first where entry.file == nil {
            first[field]!.file = organisation.file
        }
    }

    /// The fields left out, in the order of `UnstatedAnswer.Field`.
    var answers: [UnstatedAnswer] {
        UnstatedAnswer.Field.allCases.compactMap { field in
            guard let count = counts[field], let entry = first[field], let file = entry.file else { return nil }
            return UnstatedAnswer(field: field, systems: count, file: file, system: entry.system, location: entry.location)
        }
    }
}
