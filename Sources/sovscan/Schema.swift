import ArgumentParser
import Domain
import Foundation
import Inventory

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON Schema (draft 2020-12) of the inventory format.",
        discussion: """
            Save it and point the YAML language server at it, so that editors complete and \
            check fields while you type: put `# yaml-language-server: $schema=sovscan-inventory.schema.json` \
            on the first line of an inventory.
            """
    )

    @OptionGroup var ruleSet: RuleSetOptions

    func run() throws {
        let ruleSet = try ruleSet.load()
        Terminal.standardOutput(InventorySchema.json(reference: ruleSet.reference) + "\n")
    }
}
