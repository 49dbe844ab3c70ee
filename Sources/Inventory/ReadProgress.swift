import Foundation

/// How far a scan's reading has come.
public struct ReadProgress: Sendable {
    var filesDone: Int
    public var files: Int
    var bytesDone: Int
    public var systems: Int

    public init(filesDone: Int, files: Int, bytesDone: Int, systems: Int) {
        self.filesDone = filesDone
        self.files = files
        self.bytesDone = bytesDone
        self.systems = systems
    }
}

/// One line, rewritten in place, that tells how far a long read has come:
/// files and systems done, rate and time left. It appears once the read has
/// run for `delay` seconds and is redrawn at most every `interval` seconds.
public final class ProgressLine: @unchecked Sendable {
    private let totalBytes: Int
    private let now: () -> TimeInterval
    private let write: (String) -> Void
    private let start: TimeInterval
    private var lastDrawn: TimeInterval?

    static let delay: TimeInterval = 0.5
    public static let interval: TimeInterval = 0.1

    /// - Parameters:
    ///   - totalBytes: the size of every file to read, for the time left.
    ///   - now: the clock, in seconds.
    ///   - write: where the line goes (a terminal).
    public init(totalBytes: Int, now: @escaping () -> TimeInterval, write: @escaping (String) -> Void) {
        self.totalBytes = totalBytes
        self.now = now
        self.write = write
        start = now()
    }

    public func update(_ progress: ReadProgress) {
        let elapsed = now() - start
        guard elapsed >= Self.delay else { return }
        if let lastDrawn, elapsed - lastDrawn < Self.interval { return }
        lastDrawn = elapsed
        write("\r" + Self.text(progress, totalBytes: totalBytes, elapsed: elapsed) + "\u{1B}[K")
    }

    /// Clears the line, if it was drawn.
    public func finish() {
        if lastDrawn != nil { write("\r\u{1B}[K") }
    }

    static func text(_ progress: ReadProgress, totalBytes: Int, elapsed: TimeInterval) -> String {
        let rate = Double(progress.bytesDone) / max(elapsed, 0.001)
        var line = "reading: \(progress.filesDone)/\(progress.files) files, \(grouped(progress.systems)) systems, "
            + String(format: "%.1f MB/s", rate / 1_000_000)
        if rate > 0, totalBytes > progress.bytesDone {
            line += ", about \(duration(Double(totalBytes - progress.bytesDone) / rate)) left"
        }
        return line
    }

    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
    }
}
