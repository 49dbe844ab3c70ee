import Domain
import Foundation
import Inventory

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProgressLine {
    /// A progress line on stderr for reading `files`; nil when stderr is no
    /// terminal (a pipe, a log) or with `--quiet`.
    static func onStandardError(files: [String], quiet: Bool) -> ProgressLine? {
        guard !quiet, isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        var totalBytes = 0
        for file in files {
            var info = stat()
            if stat(file, &info) == 0 { totalBytes += Int(info.st_size) }
        }
        return ProgressLine(totalBytes: totalBytes, now: { Date().timeIntervalSinceReferenceDate }) {
            FileHandle.standardError.write(Data($0.utf8))
        }
    }
}
