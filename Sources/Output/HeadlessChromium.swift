import Foundation

/// Prints an HTML page to PDF with a Chromium installed on this machine,
/// headless, with a profile of its own that is thrown away, and with what
/// Chromium would otherwise reach for over the network switched off; the
/// page itself loads nothing (its content policy forbids it). Used for
/// `--format pdf`; without Chromium, that format is refused in one line.
public enum HeadlessChromium {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The Chromium to print with: `SOVSCAN_CHROMIUM`, else `chromium`,
    /// `chromium-browser` or `google-chrome` on the PATH.
    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let chosen = environment["SOVSCAN_CHROMIUM"], !chosen.isEmpty { return chosen }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// The PDF of `html` (A4, as its print stylesheet lays it out).
    public static func pdf(html: String) throws(Problem) -> [UInt8] {
        guard let chromium = executable() else {
            throw Problem(description: "--format pdf prints the HTML report with Chromium, which is not installed (apt-get install chromium, or name it in SOVSCAN_CHROMIUM); or write --format html and print it from a browser")
        }
        var template = Array((NSTemporaryDirectory() + "/sovscan-pdf-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw Problem(description: "no room to print the PDF: \(String(cString: strerror(errno)))") }
        let directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = directory + "/report.html", output = directory + "/report.pdf"
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: page))
        } catch {
            throw Problem(description: "no room to print the PDF: \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = (getuid() == 0 ? ["--no-sandbox"] : []) + [
            "--headless", "--disable-gpu", "--user-data-dir=\(directory)/profile", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-domain-reliability",
            "--disable-breakpad", "--disable-extensions", "--metrics-recording-only", "--no-pdf-header-footer",
            "--print-to-pdf=\(output)", "file://\(page)",
        ]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Problem(description: "\(chromium) cannot be started: \(error.localizedDescription)")
        }
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let bytes = FileManager.default.contents(atPath: output), bytes.starts(with: Array("%PDF".utf8)) else {
            let reason = log.split(separator: "\n").last { $0.lowercased().contains("error") }.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw Problem(description: "\(chromium) did not print the PDF: \(reason)")
        }
        return Array(bytes)
    }
}
