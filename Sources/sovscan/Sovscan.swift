import ArgumentParser
import Domain
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

            Exit status: 0 success (warnings allowed), 1 invalid input or a database that cannot be used, \
            2 a `diff --fail-on` condition met, 64 usage error, 130 interrupted (Ctrl-C or SIGTERM; a scan \
            stores nothing).
            """,
        version: version,
        subcommands: [Validate.self, Scan.self, Scans.self, Copy.self, AccessCommand.self, ReportCommand.self, Explain.self, HistoryCommand.self, DiffCommand.self, WhatIfCommand.self, VendorsCommand.self, ImportCommand.self, ExportCommand.self, TemplateCommand.self, RulesCommand.self, Schema.self]
    )

    static func main() {
        // The database and reports describe a government's IT: whatever
        // sovscan creates is readable by its owner only.
        umask(0o077)
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "help", let error = unknownCommand(in: arguments.dropFirst()) { exit(withError: error) }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let failure as Failure {
            if let message = failure.message { Terminal.standardError("sovscan: \(message)") }
            Glibc.exit(failure.status)
        } catch where exitCode(for: error) != .failure {
            // The parser's own: help asked for (0), a usage error (64).
            exit(withError: error)
        } catch {
            Terminal.standardError("sovscan: \(error)")
            Glibc.exit(1)
        }
    }

    /// The error for the first of the names after `sovscan help` that is no
    /// command (the parser would show the help of the last command it knows,
    /// with status 0).
    static func unknownCommand(in names: ArraySlice<String>) -> ValidationError? {
        var command: any ParsableCommand.Type = Sovscan.self
        var path = ["sovscan"]
        for name in names where !name.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard let subcommand = subcommands.first(where: { $0._commandName == name }) else {
                let known = subcommands.map { $0._commandName }
                let listing = known.isEmpty ? "'\(path.joined(separator: " "))' has no subcommands" : "the commands are \(known.joined(separator: ", "))"
                return ValidationError("unknown command '\((path + [name]).joined(separator: " "))' (\(listing))\(Suggestion.didYouMean(name, in: known))")
            }
            command = subcommand
            path.append(name)
        }
        return nil
    }
}
