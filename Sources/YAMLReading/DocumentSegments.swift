import Domain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a YAML file into segments of whole documents, so that workers can
/// parse the segments of one large file at the same time. A segment ends
/// where a line starts with the document marker `---` (followed by a space,
/// a tab or the end of the line), which YAML never allows inside a document;
/// directives (`%YAML`, `%TAG`) just before a marker go with the document
/// they introduce. Files that are not regular files, or that are not UTF-8
/// (a UTF-16 or UTF-32 byte order mark, or NUL bytes at the start), are one
/// segment: they are read as a whole, in order.
public enum DocumentSegments {
    public enum Outcome {
        /// The file's size: every segment was emitted.
        case split(Int)
        /// Nothing was emitted nor observed: the file is to be read whole, in order.
        case unsplittable
        /// Reading failed after `bytes` bytes, whose segments were emitted.
        case failed(bytes: Int, String)
    }

    /// Reads `path` once, showing every chunk to `observeChunk` (for a hash of
    /// the file) and each segment to `emit` as soon as it is known. A segment
    /// is at least `targetBytes` long, unless it is the last.
    public static func split(
        path: String, targetBytes: Int, observeChunk: (UnsafeRawBufferPointer) -> Void, emit: (FileSegment) -> Void
    ) -> Outcome {
        // Looked at before it is opened: opening a named pipe would wait for a
        // writer, and reading it here would leave nothing for the worker.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .unsplittable }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unsplittable }
        defer { close(descriptor) }

        let chunkSize = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunkSize + 8)
        var scanner = Scanner(targetBytes: targetBytes)
        var checkedStart = false
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes -> Int in
                while true {
                    let count = read(descriptor, bytes.baseAddress, chunkSize)
                    if count < 0, errno == EINTR { continue }
                    return count
                }
            }
            guard count >= 0 else {
                let message = String(cString: strerror(errno))
                guard checkedStart else { return .unsplittable }
                scanner.finish(size: total)
                scanner.ready.forEach(emit)
                return .failed(bytes: total, message)
            }
            if count == 0 { break }
            if !checkedStart {
                checkedStart = true
                guard isSplittable(start: buffer[0..<min(count, 4)]) else { return .unsplittable }
            }
            buffer.withUnsafeBytes { bytes in
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                observeChunk(chunk)
                scanner.scan(chunk, at: total)
            }
            scanner.ready.forEach(emit)
            scanner.ready.removeAll()
            total += count
        }
        scanner.finish(size: total)
        scanner.ready.forEach(emit)
        return .split(total)
    }

    /// Whether a file starting with these bytes is UTF-8 (the only encoding whose markers can be found byte by byte).
    static func isSplittable(start: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(start)
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return false }
        return !bytes.contains(0)
    }

    /// Finds the document markers at line starts, across chunks.
    private struct Scanner {
        let targetBytes: Int
        /// Segments found and not yet emitted.
        var ready: [FileSegment] = []
        /// Where the current segment starts.
        var segmentStart = 0
        var segmentLine = 1
        /// The line being read: its number, offset, and its first bytes until it is classified.
        var line = 1
        var lineStart = 0
        var head: [UInt8] = []
        var classified = false
        /// The first line of a run of directives (with comments and blank
        /// lines) that may introduce the next document.
        var directives: (offset: Int, line: Int)?

        init(targetBytes: Int) {
            self.targetBytes = targetBytes
            head.reserveCapacity(4)
        }

        mutating func scan(_ chunk: UnsafeRawBufferPointer, at offset: Int) {
            var index = 0
            while index < chunk.count {
                if !classified, head.isEmpty {
                    // Most lines start with a byte that no marker, directive,
                    // comment or blank line starts with (an indented line): told at once.
                    switch chunk[index] {
                    case UInt8(ascii: "-"), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                        break
                    default:
                        classified = true
                        directives = nil
                    }
                }
                if !classified {
                    // The first four bytes of a line tell what it is.
                    let byte = chunk[index]
                    index += 1
                    if byte == UInt8(ascii: "\n") {
                        endLine(at: offset + index)
                    } else {
                        head.append(byte)
                        if head.count == 4 { classify(lineEnded: false) }
                    }
                    continue
                }
                let rest = UnsafeRawBufferPointer(rebasing: chunk[index...])
                guard let newline = memchr(rest.baseAddress!, Int32(UInt8(ascii: "\n")), rest.count) else { return }
                index += UnsafeRawPointer(rest.baseAddress!).distance(to: UnsafeRawPointer(newline)) + 1
                endLine(at: offset + index)
            }
        }

        private mutating func classify(lineEnded: Bool) {
            classified = true
            let dash = UInt8(ascii: "-")
            if head.count >= 3, head[0] == dash, head[1] == dash, head[2] == dash,
               head.count == 3 ? lineEnded : [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(head[3]) {
                marker()
                directives = nil
                return
            }
            switch head.first {
            case UInt8(ascii: "%"):
                if directives == nil { directives = (lineStart, line) }
            case nil, UInt8(ascii: "#"), UInt8(ascii: "\r"):
                break
            default:
                directives = nil
            }
        }

        private mutating func endLine(at next: Int) {
            if !classified { classify(lineEnded: true) }
            line += 1
            lineStart = next
            head.removeAll(keepingCapacity: true)
            classified = false
        }

        /// A document marker starts the current line: the segment may end before it.
        private mutating func marker() {
            let cut = directives ?? (lineStart, line)
            guard cut.offset - segmentStart >= targetBytes else { return }
            ready.append(FileSegment(bytes: segmentStart..<cut.offset, firstLine: segmentLine,
                                     lookahead: lineStart + 3 - cut.offset, nextLine: cut.line))
            segmentStart = cut.offset
            segmentLine = cut.line
        }

        mutating func finish(size: Int) {
            // A last line without a newline.
            if !classified, !head.isEmpty { classify(lineEnded: true) }
            ready.append(FileSegment(bytes: segmentStart..<size, firstLine: segmentLine))
        }
    }
}
