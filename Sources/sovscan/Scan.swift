import ArgumentParser
import Foundation
import Inventory
import Store

/// Where the snapshot database is: `--db`, else `$SOVSCAN_DB`, else `./sovscan.db`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The snapshot database (default: $SOVSCAN_DB, else ./sovscan.db).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait while another sovscan writes to the database.", valueName: "seconds"))
    var busyTimeout: Double = SnapshotDatabase.defaultBusyTimeout

    var path: String {
        db ?? ProcessInfo.processInfo.environment["SOVSCAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "sovscan.db"
    }

    func open() throws -> SnapshotDatabase {
        do {
            return try SnapshotDatabase(path: path, busyTimeout: busyTimeout)
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate inventories and record them as a dated snapshot.",
        discussion: """
            Validates exactly as `validate` does; on any error nothing is written. Otherwise the \
            scan is stored in one transaction: its inputs with their SHA-256, organisations, \
            systems and warnings. Unchanged records are stored once and referenced.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Output on stdout: text or json.")
    var format: OutputFormat = .text

    struct Report: Encodable {
        struct Snapshot: Encodable {
            var id: Int64
            var organisations: Int
            var systems: Int
        }

        var scan: Snapshot?
        var diagnostics: [DiagnosticJSON]
    }

    func run() throws {
        let ruleSet = try input.loadRuleSet()
        let files = try input.inputFiles()
        let store = try database.open()
        let context = ScanContext(toolVersion: Sovscan.version, rulesetName: ruleSet.name,
                                  rulesetVersion: ruleSet.version, rulesetHash: ruleSet.contentHash)
        let recorded: RecordedScan
        do {
            recorded = try store.record(context: context) { yield in
                InventoryScan.read(files: files, reference: ruleSet.reference, yield)
            }
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        let reading = recorded.reading
        DiagnosticPrinter.printToStandardError(reading.diagnostics)
        switch format {
        case .json:
            try JSONOutput.print(Report(
                scan: recorded.scanID.map { Report.Snapshot(id: $0, organisations: reading.organisations, systems: reading.systems) },
                diagnostics: reading.diagnostics.map(DiagnosticJSON.init)))
        case .text:
            if let scanID = recorded.scanID {
                let problems = DiagnosticPrinter.summaryLine(reading.diagnostics).map { ", \($0)" } ?? ""
                Terminal.standardOutput("scan \(scanID): \(plural(reading.organisations, "organisation")), \(plural(reading.systems, "system")) from \(plural(files.count, "file"))\(problems), stored in \(store.path)\n")
            }
        }
        if recorded.scanID == nil {
            Terminal.standardError("sovscan: the inventory is invalid (\(DiagnosticPrinter.summaryLine(reading.diagnostics) ?? "errors")); nothing was stored")
            throw ExitCode(1)
        }
    }
}

struct Scans: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the snapshots in the database, oldest first.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Output on stdout: text or json.")
    var format: OutputFormat = .text

    struct Report: Encodable {
        var scans: [ScanSummary]
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: database.path) else {
            Terminal.standardError("sovscan: no database at \(database.path); run 'sovscan scan' first, or name one with --db")
            throw ExitCode(1)
        }
        let scans: [ScanSummary]
        do {
            scans = try database.open().scans()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        switch format {
        case .json:
            try JSONOutput.print(Report(scans: scans))
        case .text:
            var rows = [["scan", "started at (UTC)", "as of", "organisations", "systems", "rules", "inputs"]]
            for scan in scans {
                rows.append([String(scan.id), String(scan.startedAt.prefix(19)).replacingOccurrences(of: "T", with: " "), scan.asOf,
                             String(scan.organisations), String(scan.systems), scan.rulesetVersion, String(scan.inputs.count)])
            }
            Terminal.standardOutput(TextTable.render(rows, numericColumns: [0, 3, 4, 6]))
        }
    }
}

/// Aligned columns for the terminal.
enum TextTable {
    static func render(_ rows: [[String]], numericColumns: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return numericColumns.contains(index) ? padding + cell : cell + padding
            }
            text += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        return text
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
