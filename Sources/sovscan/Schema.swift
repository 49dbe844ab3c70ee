import ArgumentParser
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

    @Option(name: .long, help: ArgumentHelp("The rule set directory (for the lists of countries, functions and licences).", valueName: "dir"))
    var rules: String?

    func run() throws {
        let options = try InputOptions.parse(["-"] + (rules.map { ["--rules", $0] } ?? []))
        let ruleSet = try options.loadRuleSet()
        Terminal.standardOutput(InventorySchema.json(reference: ruleSet.reference) + "\n")
    }
}
