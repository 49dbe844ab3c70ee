import ArgumentParser
import Foundation
import PostgresStore
import Store

struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Who may read and write which organisations of a PostgreSQL store, enforced by the server (row-level security).",
        discussion: """
            A role granted an organisation reads it and every organisation below it, through every command and \
            through plain SQL, and with --write scans them; the database's owner (the Land) reads everything. \
            Run by the database's owner; the roles are the server's (createuser). See docs/postgres.md.
            """,
        subcommands: [Grant.self, Revoke.self, List.self]
    )

    /// The store, which must be a PostgreSQL server.
    static func server(_ database: DatabaseOptions) throws -> SharedDatabase {
        guard SharedDatabase.names(database.path) else {
            throw Failure.invalid("sovscan access applies to a PostgreSQL store (--db postgres://…); who may read a file is set by the file's permissions")
        }
        return try SharedDatabase(url: database.path, busyTimeout: database.busyTimeout)
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a role read an organisation and everything below it (and scan them, with --write).")

        @Argument(help: "The server's role (a login role: createuser).")
        var role: String

        @Option(help: ArgumentHelp("The organisation whose subtree the role may read.", valueName: "org"))
        var under: String

        @Flag(help: "Let the role also scan (write snapshots of) those organisations.")
        var write = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try AccessCommand.server(database).grant(role, under: under, write: write)
            print("\(role) \(write ? "reads and writes" : "reads") the organisations under \(under)")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take back a role's grant of an organisation, or all of its grants.")

        @Argument(help: "The server's role.")
        var role: String

        @Option(help: ArgumentHelp("The organisation of the grant to take back (default: every grant of the role).", valueName: "org"))
        var under: String?

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try AccessCommand.server(database).revoke(role, under: under)
            print("\(role) \(under.map { "no longer reads the organisations under \($0)" } ?? "reads no organisation any more")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every grant: role, organisation, and whether it may write.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let grants = try AccessCommand.server(database).grants()
            guard !grants.isEmpty else { return print("no role has a grant; the database's owner reads and writes everything") }
            let width = max(4, grants.map(\.role.count).max() ?? 0)
            let under = max(15, grants.map(\.organisation.count).max() ?? 0)
            print("role".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + "under and below".padding(toLength: under, withPad: " ", startingAt: 0) + "  may")
            for grant in grants {
                print(grant.role.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                      + grant.organisation.padding(toLength: under, withPad: " ", startingAt: 0) + "  " + (grant.canWrite ? "read, write" : "read"))
            }
        }
    }
}
