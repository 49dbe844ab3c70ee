import Foundation
import Testing

/// A binary outside the build tree finds the rule set `Scripts/install`
/// puts beside it, and says what to do when there is none.
@Suite struct InstallTests {
    /// Copies the built binary to `directory/bin`, and the rules to
    /// `directory/share/sovscan/rules` when `withRules`.
    static func install(withRules: Bool) throws -> String {
        let prefix = Fixture.directory()
        let manager = FileManager.default
        try manager.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try manager.copyItem(atPath: Binary.path, toPath: prefix + "/bin/sovscan")
        if withRules {
            try manager.createDirectory(atPath: prefix + "/share/sovscan", withIntermediateDirectories: true)
            try manager.copyItem(atPath: Fixture.rulesDirectory, toPath: prefix + "/share/sovscan/rules")
        }
        return prefix
    }

    @Test func anInstalledBinaryFindsItsRules() throws {
        let prefix = try Self.install(withRules: true)
        let directory = Fixture.write(["inventory.yaml": Fixture.inventory(systems: Fixture.system())])
        let run = Binary.run(["scan", "inventory.yaml"], in: directory, environment: ["SOVSCAN_RULES": ""], executable: prefix + "/bin/sovscan")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("scan 1: 1 organisation, 1 system"))
    }

    @Test func aBinaryWithoutRulesSaysHowToGetThem() throws {
        let prefix = try Self.install(withRules: false)
        let run = Binary.run(["rules", "list"], in: prefix, environment: ["SOVSCAN_RULES": ""], executable: prefix + "/bin/sovscan")
        #expect(run.status == 1)
        #expect(run.stderr.contains("sovscan: no rule set found"))
        #expect(run.stderr.contains("Scripts/install PREFIX"))
        #expect(run.stderr.contains("--rules DIR"))
        #expect(!run.stderr.contains("ruleset.yaml:1:1"))
    }
}

/// `--verbose` says what each stage did and how long it took, on stderr only.
@Suite struct VerboseTests {
    @Test func verboseLogsEachStageWithCountsOnStandardError() {
        let directory = Fixture.write(["inventory.yaml": Fixture.inventory(systems: Fixture.system())])
        let scan = Binary.run(["scan", "--verbose", "--format", "json", "inventory.yaml"], in: directory)
        #expect(scan.status == 0)
        #expect(scan.stderr.contains("rule set: "))
        #expect(scan.stderr.contains("read, scored and stored: 1 file, 1 organisation, 1 system, 0 diagnostics, snapshot 1 in "))
        #expect(scan.stdout.hasPrefix("{"), "stdout stays JSON")
        let quiet = Binary.run(["validate", "inventory.yaml"], in: directory)
        #expect(!quiet.stderr.contains("rule set: "))
        let verbose = Binary.run(["validate", "-v", "inventory.yaml"], in: directory)
        #expect(verbose.stderr.contains("read and checked: 1 file, 1 organisation, 1 system, 0 diagnostics in "))
    }
}
