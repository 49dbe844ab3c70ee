import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct Sovscan: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sovscan",
        abstract: "Measure how dependent a public administration is on its IT vendors.",
        discussion: """
            sovscan reads inventories of IT systems (YAML, see docs/inventory.md), records each scan \
            as a dated snapshot in SQLite, and scores lock-in and data-jurisdiction risk with the \
            declarative rules in rules/. It works offline and sends nothing anywhere.

            Exit status: 0 success (warnings allowed), 1 invalid input, 64 usage error.
            """,
        version: version,
        subcommands: [Validate.self, Scan.self, Scans.self, ReportCommand.self, Explain.self, HistoryCommand.self, DiffCommand.self, RulesCommand.self, Schema.self]
    )

    static func main() {
        // The database and reports describe a government's IT: whatever
        // sovscan creates is readable by its owner only.
        umask(0o077)
        main(nil)
    }
}
