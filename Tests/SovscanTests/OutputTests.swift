import Foundation
import SwiftCSV
import Testing

/// Every command prints through one closed list of formats: `--format`
/// accepts exactly what the command can print, as the command line is
/// parsed, and its help lists those and no other.
@Suite struct OutputTests {
    static let formats: [(command: [String], values: String)] = [
        (["validate"], "text, json; default: text"),
        (["scan"], "text, json; default: text"),
        (["scans"], "text, json; default: text"),
        (["report"], "table, json, csv, xlsx, markdown, html, pdf; default: table"),
        (["explain"], "text, json; default: text"),
        (["history"], "table, json, csv, xlsx, html; default: table"),
        (["diff"], "table, json, csv, xlsx, html; default: table"),
        (["rules", "list"], "text, json; default: text"),
    ]

    /// Every level of a report in every format its help offers: a file, never a crash.
    @Test func everyLevelInEveryFormat() throws {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example", "--quiet"], in: work).status == 0)
        let formats = ["table", "json", "csv", "xlsx", "markdown", "html"] + (ReportTests.chromium != nil ? ["pdf"] : [])
        for level in ["ministry", "organisation", "vendor", "country", "system"] {
            for format in formats {
                let result = Binary.run(["report", "--level", level, "--top", "5", "--format", format, "--output", "r.\(format)"], in: work)
                #expect(result.status == 0, "\(level) as \(format): \(result.stderr.prefix(300))")
                #expect(((try? FileManager.default.attributesOfItem(atPath: work + "/r.\(format)")[.size] as? Int) ?? 0) > 0, "\(level) as \(format)")
            }
        }
    }

    @Test func helpListsExactlyTheFormatsEachCommandPrints() {
        for (command, values) in Self.formats {
            let help = Binary.run(command + ["--help"])
            #expect(help.status == 0)
            let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("(values: \(values))"), "\(command): \(flat)")
        }
        let history = Binary.run(["history", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(history.contains("(values: ministry, organisation, vendor; default: ministry)"), "history has no system level")
    }

    @Test func aFormatACommandCannotPrintIsAUsageErrorNamingTheOnesItCan() {
        let cases: [([String], String)] = [
            (["diff", "--format", "markdown"], "Please provide one of 'table', 'json', 'csv', 'xlsx' or 'html'"),
            (["scans", "--format", "csv"], "Please provide one of 'text' and 'json'"),
            (["explain", "a/b", "--format", "html"], "Please provide one of 'text' and 'json'"),
            (["history", "--level", "system"], "Please provide one of 'ministry', 'organisation' or 'vendor'"),
        ]
        let work = Fixture.write([:])
        for (arguments, message) in cases {
            let run = Binary.run(arguments, in: work)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    /// Scans both versions of the example; returns the directory.
    static func twoScans() -> String {
        let work = Fixture.write([:])
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example-2025"], in: work).status == 0)
        #expect(Binary.run(["scan", Fixture.root + "/inventories/example"], in: work).status == 0)
        return work
    }

    @Test func diffAsCSVHasARowPerSystemChangeAndPerScoreChange() throws {
        let work = Self.twoScans()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["diff", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let systems = try #require(json["systems"] as? [String: [Any]])
        let changes = try #require(json["changes"] as? [[String: Any]])
        let csv = Binary.run(["diff", "--format", "csv"], in: work)
        #expect(csv.status == 0)
        #expect(csv.stdout.hasSuffix("\r\n"))
        let table = try CSV<Named>(string: csv.stdout)
        #expect(table.header.first == "kind")
        let kinds = table.rows.map { $0["kind"] ?? "" }
        #expect(kinds.filter { $0 == "added" }.count == systems["added"]?.count)
        #expect(kinds.filter { $0 == "removed" }.count == systems["removed"]?.count)
        #expect(kinds.filter { $0 == "changed" }.count == systems["changed"]?.count)
        #expect(kinds.filter { $0 == "score" }.count == changes.count)
        let first = try #require(changes.first)
        let row = try #require(table.rows.first { $0["kind"] == "score" })
        #expect(row["system"] == first["system"] as? String)
        #expect(row["inventory_delta"] == (first["inventory_delta"] as? Int).map(String.init))
    }

    @Test func diffAsHTMLIsOnePageThatListsEveryChange() throws {
        let work = Self.twoScans()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Binary.run(["diff", "--format", "json"], in: work).stdout.utf8)) as? [String: Any])
        let added = try #require((json["systems"] as? [String: Any])?["added"] as? [String])
        let html = Binary.run(["diff", "--format", "html", "--output", "diff.html"], in: work)
        #expect(html.status == 0)
        let page = try String(contentsOfFile: work + "/diff.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("default-src 'none'"), "no request leaves the page")
        for id in added { #expect(page.contains("<li>added: \(id)</li>")) }
        #expect(!page.contains("<script"))
        let attributes = try FileManager.default.attributesOfItem(atPath: work + "/diff.html")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
