import Domain
import Foundation
import Inventory
import Testing
import YAMLReading

/// Files are cut into segments of whole documents and parsed by several
/// workers; what a scan reads must not depend on it.
@Suite struct ParallelReadingTests {
    /// What a read yields, as comparable text: every item in order, every diagnostic, every file summary.
    static func transcript(_ files: [String], _ options: ReadOptions) -> [String] {
        var lines: [String] = []
        let reading = InventoryScan.read(files: files, reference: Fixture.ruleSet.reference, options: options) { item in
            switch item {
            case .system(let system, let organisationID):
                lines.append("system \(organisationID)/\(system.id) at \(system.location) \(system.contentDescription)")
            case .organisation(let organisation):
                lines.append("organisation \(organisation.id) \(organisation.file):\(organisation.location)")
            }
        }
        lines += reading.diagnostics.map { "\($0.file):\($0.location): \($0.severity) \($0.code): \($0.message)" }
        lines += reading.files.map { "file \($0.path) \($0.sha256) \($0.bytes) \($0.organisations) \($0.systems)" }
        lines.append("totals \(reading.organisations) \(reading.systems)")
        return lines
    }

    static var whole: ReadOptions { ReadOptions(workers: 1, segmentBytes: .max) }

    /// A multi-document file with directives, comments, CRLF lines, a
    /// document with errors, and a last line without a newline.
    static let mixedFile: String = {
        var text = "# Inventories of the Land\n"
        let documents = SyntheticInventory.files(organisations: 6, systems: 4).sorted { $0.key < $1.key }.map(\.value)
        for (index, document) in documents.enumerated() {
            if index == 2 { text += "%YAML 1.2\n# the next one\n" }
            text += "---\n" + document
            if index == 3 { text += "  - id: broken\n    name: Broken\n    criticality: extreme\n" }
        }
        text += "---\r\ninventory: 1\r\norganisations:\r\n  - {id: extra, name: Extra, type: agency, country: AT}"
        return text
    }()

    @Test(arguments: [1, 100, 5000])
    func segmentsAndWorkersChangeNothing(segmentBytes: Int) throws {
        let directory = Fixture.write(["mixed.yaml": Self.mixedFile])
        let files = try InputFiles.expand([directory, Fixture.root + "/inventories/example"])
        let expected = Self.transcript(files, Self.whole)
        #expect(expected.contains { $0.contains("criticality") && $0.contains("error") })
        for workers in [1, 2, 5] {
            #expect(Self.transcript(files, ReadOptions(workers: workers, segmentBytes: segmentBytes)) == expected)
        }
    }

    @Test func aSyntaxErrorStopsTheFileAsInOnePiece() {
        var text = ""
        for index in 0..<5 {
            text += "---\ninventory: 1\norganisations:\n  - {id: org-\(index), name: Org, type: agency, country: DE}\n"
            if index == 1 { text += "  - [unclosed\n" }
        }
        let files = [Fixture.write(["a.yaml": text]) + "/a.yaml"]
        let expected = Self.transcript(files, Self.whole)
        #expect(expected.contains { $0.contains("yaml-syntax") })
        #expect(!expected.contains { $0.contains("organisation org-4") })
        #expect(Self.transcript(files, ReadOptions(workers: 3, segmentBytes: 1)) == expected)
    }

    @Test func anUnclosedQuoteBeforeAMarkerReadsAsInOnePiece() {
        let text = "inventory: 1\norganisations:\n  - {id: a, name: \"A, type: agency, country: DE}\n"
            + "%YAML 1.1\n---\ninventory: 1\norganisations:\n  - {id: b, name: B, type: agency, country: DE}\n"
        let files = [Fixture.write(["a.yaml": text]) + "/a.yaml"]
        let expected = Self.transcript(files, Self.whole)
        #expect(expected.contains { $0.contains("found unexpected document indicator") })
        #expect(Self.transcript(files, ReadOptions(workers: 2, segmentBytes: 1)) == expected)
    }

    @Test func segmentsCoverTheFileAndStartAtDocumentMarkers() throws {
        let path = Fixture.write(["a.yaml": Self.mixedFile]) + "/a.yaml"
        var segments: [FileSegment] = []
        var observed = 0
        let outcome = DocumentSegments.split(path: path, targetBytes: 1, observeChunk: { observed += $0.count }) { segments.append($0) }
        let bytes = Array(Self.mixedFile.utf8)
        guard case .split(let size) = outcome else {
            Issue.record("the file was not split: \(outcome)")
            return
        }
        #expect(size == bytes.count && observed == bytes.count)
        #expect(segments.first?.bytes.lowerBound == 0 && segments.last?.bytes.upperBound == bytes.count)
        for (previous, next) in zip(segments, segments.dropFirst()) {
            #expect(previous.bytes.upperBound == next.bytes.lowerBound)
            let lineStart = bytes[..<next.bytes.lowerBound].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            #expect(next.firstLine == lineStart)
            let head = String(decoding: bytes[next.bytes.lowerBound...].prefix(9), as: UTF8.self)
            #expect(head.hasPrefix("---") || head.hasPrefix("%YAML 1.2"), "segment starts with \(head)")
        }
        // The comment before the first marker stays in the first segment; the
        // directive goes with the document it introduces.
        #expect(segments.count == 9)
    }

    @Test func filesThatAreNotUTF8AreReadWhole() {
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("inventory: 1\n---\ninventory: 1\n".data(using: .utf16LittleEndian)!)
        let directory = Fixture.directory()
        #expect(FileManager.default.createFile(atPath: directory + "/a.yaml", contents: utf16))
        let outcome = DocumentSegments.split(path: directory + "/a.yaml", targetBytes: 1, observeChunk: { _ in }) { _ in }
        guard case .unsplittable = outcome else {
            Issue.record("a UTF-16 file was split: \(outcome)")
            return
        }
        let reading = InventoryScan.read(files: [directory + "/a.yaml"], reference: Fixture.ruleSet.reference,
                                         options: ReadOptions(workers: 2, segmentBytes: 1))
        #expect(reading.diagnostics.map(\.code) == ["encoding"])
    }
}

extension System {
    /// Every field, so that two reads can be compared.
    var contentDescription: String {
        "\(self)"
    }
}

/// The progress line: shown only after a moment, throttled, with rate and time left.
@Suite struct ProgressLineTests {
    final class Recorder: @unchecked Sendable {
        var clock: TimeInterval = 100
        var written: [String] = []
    }

    @Test func appearsAfterAMomentAndTellsRateAndTimeLeft() {
        let recorder = Recorder()
        let line = ProgressLine(totalBytes: 10_000_000, now: { recorder.clock }) { recorder.written.append($0) }
        recorder.clock += 0.2
        line.update(ReadProgress(filesDone: 1, files: 10, bytesDone: 1_000_000, systems: 1500))
        #expect(recorder.written.isEmpty)
        recorder.clock += 0.8 // one second in, 2 MB read
        line.update(ReadProgress(filesDone: 2, files: 10, bytesDone: 2_000_000, systems: 123_456))
        #expect(recorder.written == ["\rreading: 2/10 files, 123,456 systems, 2.0 MB/s, about 4 s left\u{1B}[K"])
        recorder.clock += 0.05
        line.update(ReadProgress(filesDone: 3, files: 10, bytesDone: 3_000_000, systems: 130_000))
        #expect(recorder.written.count == 1, "redrawn at most every \(ProgressLine.interval) s")
        recorder.clock += 100
        line.update(ReadProgress(filesDone: 3, files: 10, bytesDone: 3_000_000, systems: 130_000))
        #expect(recorder.written.last == "\rreading: 3/10 files, 130,000 systems, 0.0 MB/s, about 3 min 56 s left\u{1B}[K")
        line.finish()
        #expect(recorder.written.last == "\r\u{1B}[K")
    }

    @Test func aQuickReadLeavesNoTrace() {
        let recorder = Recorder()
        let line = ProgressLine(totalBytes: 100, now: { recorder.clock }) { recorder.written.append($0) }
        line.update(ReadProgress(filesDone: 1, files: 1, bytesDone: 100, systems: 3))
        line.finish()
        #expect(recorder.written.isEmpty)
    }

    @Test func noProgressInPipesAndJobsMustBePositive() {
        let directory = Fixture.write(SyntheticInventory.files(organisations: 3, systems: 5))
        let scan = Binary.run(["scan", directory, "--db", directory + "/s.db", "--jobs", "3"])
        #expect(scan.status == 0)
        #expect(!scan.stderr.contains("reading:") && !scan.stderr.contains("\r"))
        let quiet = Binary.run(["validate", directory, "-q", "-j", "1"])
        #expect(quiet.status == 0)
        let invalid = Binary.run(["validate", directory, "--jobs", "0"])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.contains("--jobs must be at least 1"))
    }
}
