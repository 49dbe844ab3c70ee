import CYAML
import Domain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar as libyaml reports it: its text, and whether it was written plain
/// (unquoted), which decides whether it may be read as null.
public struct Scalar: Sendable {
    public var value: String
    public var isPlain: Bool
    public var tag: String?

    @inlinable
    public init(value: String, isPlain: Bool, tag: String? = nil) {
        self.value = value
        self.isPlain = isPlain
        self.tag = tag
    }
}

/// One libyaml parse event with the position where it starts.
public struct Event: Sendable {
    public enum Kind: Sendable {
        case streamStart(encodingIsUTF8: Bool)
        case streamEnd
        case documentStart
        case documentEnd
        case mappingStart(anchor: String?, tag: String?)
        case mappingEnd
        case sequenceStart(anchor: String?, tag: String?)
        case sequenceEnd
        case scalar(Scalar, anchor: String?)
        case alias(String)
    }

    public var kind: Kind
    public var location: SourceLocation
}

/// A syntax error as libyaml reports it, with its position.
public struct YAMLSyntaxError: Error, Sendable {
    public var message: String
    public var location: SourceLocation
}

/// libyaml's event parser over one file, driven on the thread that owns it.
/// It is handed to the pipeline's producer thread, which alone uses it.
final class EventParser: @unchecked Sendable {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private let input: Input

    /// Where libyaml's read handler gets its bytes: the whole file, read in
    /// order, or one segment of it (a run of whole documents), read at its offset.
    final class Input {
        let descriptor: Int32
        let observeChunk: ((UnsafeRawBufferPointer) -> Void)?
        let segment: FileSegment?
        var offset: Int
        var failure: Int32 = 0

        init(descriptor: Int32, observeChunk: ((UnsafeRawBufferPointer) -> Void)?, segment: FileSegment? = nil) {
            self.descriptor = descriptor
            self.observeChunk = observeChunk
            self.segment = segment
            offset = segment?.bytes.lowerBound ?? 0
        }

        func read(into buffer: UnsafeMutableRawPointer, size: Int) -> Int {
            while true {
                let count: Int
                if let segment {
                    count = pread(descriptor, buffer, min(size, segment.readEnd - offset), off_t(offset))
                } else {
                    count = readBytes(descriptor, buffer, size)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return -1
                }
                if count > 0 { observeChunk?(UnsafeRawBufferPointer(start: buffer, count: count)) }
                offset += count
                return count
            }
        }
    }

    /// Lines and bytes of the file before what this parser reads.
    private let lineOffset: Int
    private let byteOffset: Int

    init(path: String, segment: FileSegment? = nil, observeChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(FileError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, code: errno) }
        input = Input(descriptor: descriptor, observeChunk: observeChunk, segment: segment)
        lineOffset = (segment?.firstLine ?? 1) - 1
        byteOffset = segment?.bytes.lowerBound ?? 0
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input(parser, { context, buffer, size, sizeRead in
            let input = Unmanaged<Input>.fromOpaque(context!).takeUnretainedValue()
            let count = input.read(into: buffer!, size: size)
            guard count >= 0 else { return 0 }
            sizeRead!.pointee = count
            return 1
        }, Unmanaged.passUnretained(input).toOpaque())
    }

    /// Parses text held in memory (the baseline of rule examples).
    init(text: String) {
        input = Input(descriptor: -1, observeChunk: nil)
        lineOffset = 0
        byteOffset = 0
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        let bytes = Array(text.utf8)
        textBuffer = .allocate(capacity: max(1, bytes.count))
        textBuffer!.initialize(from: bytes, count: bytes.count)
        textCount = bytes.count
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, textBuffer, bytes.count)
    }

    private var textBuffer: UnsafeMutablePointer<UInt8>?
    private var textCount = 0

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
        textBuffer?.deallocate()
        if input.descriptor >= 0 { close(input.descriptor) }
    }

    /// The next event; throws libyaml's own message and position on a syntax error.
    func next() throws(YAMLSyntaxError) -> Event {
        guard yaml_parser_parse(parser, event) == 1 else {
            throw syntaxError()
        }
        defer { yaml_event_delete(event) }
        return parsedEvent()
    }

    /// Reads the next event into `steps` when it is a scalar or a
    /// collection's start or end without anchor or tag; false when it is
    /// another (`takeUnrecorded` gives it).
    @inline(__always)
    func appendStep(to steps: inout [RecordedValue.Step]) throws(YAMLSyntaxError) -> Bool {
        guard yaml_parser_parse(parser, event) == 1 else {
            throw syntaxError()
        }
        defer { yaml_event_delete(event) }
        let data = event.pointee.data
        let kind: RecordedValue.Step.Kind
        switch event.pointee.type {
        case YAML_SCALAR_EVENT where data.scalar.anchor == nil && data.scalar.tag == nil:
            let scalar = data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            steps.append(RecordedValue.Step(kind: .scalar, text: text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, location: parsedLocation()))
            return true
        case YAML_MAPPING_START_EVENT where data.mapping_start.anchor == nil && data.mapping_start.tag == nil:
            kind = .mappingStart
        case YAML_SEQUENCE_START_EVENT where data.sequence_start.anchor == nil && data.sequence_start.tag == nil:
            kind = .sequenceStart
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        default:
            unrecorded = parsedEvent()
            return false
        }
        steps.append(RecordedValue.Step(kind: kind, location: parsedLocation()))
        return true
    }

    /// The event `appendStep` read that is no step.
    private var unrecorded: Event?

    func takeUnrecorded() -> Event {
        defer { unrecorded = nil }
        return unrecorded!
    }

    /// Where the event just parsed starts.
    private func parsedLocation() -> SourceLocation {
        let mark = event.pointee.start_mark
        return SourceLocation(line: lineOffset + Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// The event just parsed.
    private func parsedEvent() -> Event {
        let location = parsedLocation()
        let data = event.pointee.data
        let kind: Event.Kind
        switch event.pointee.type {
        case YAML_STREAM_START_EVENT:
            kind = .streamStart(encodingIsUTF8: data.stream_start.encoding == YAML_UTF8_ENCODING)
        case YAML_STREAM_END_EVENT:
            kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
        case YAML_DOCUMENT_END_EVENT:
            kind = .documentEnd
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart(anchor: Self.string(data.mapping_start.anchor), tag: Self.string(data.mapping_start.tag))
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart(anchor: Self.string(data.sequence_start.anchor), tag: Self.string(data.sequence_start.tag))
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        case YAML_SCALAR_EVENT:
            let scalar = data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            kind = .scalar(
                Scalar(value: value, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: Self.string(scalar.tag)),
                anchor: Self.string(scalar.anchor)
            )
        case YAML_ALIAS_EVENT:
            kind = .alias(Self.string(data.alias.anchor) ?? "")
        default:
            kind = .streamEnd
        }
        return Event(kind: kind, location: location)
    }

    private func syntaxError() -> YAMLSyntaxError {
        let state = parser.pointee
        if input.failure != 0 {
            return YAMLSyntaxError(message: "cannot read the file: \(String(cString: strerror(input.failure)))",
                                   location: SourceLocation(line: 1, column: 1))
        }
        let problem = state.problem.map { String(cString: $0) } ?? "unknown YAML error"
        var message = problem
        if let context = state.context.map({ String(cString: $0) }) {
            let contextMark = state.context_mark
            message = "\(context) (line \(lineOffset + Int(contextMark.line) + 1), column \(contextMark.column + 1)): \(problem)"
        }
        if state.error == YAML_READER_ERROR {
            // libyaml reports the byte offset of a bad byte, not its line.
            let value = state.problem_value
            let byte = value >= 0 ? hexadecimal([UInt8(truncatingIfNeeded: value)]).uppercased() : ""
            let offset = byteOffset + state.problem_offset
            message = "the file is not valid UTF-8 (\(problem)\(byte.isEmpty ? "" : " 0x\(byte)") at byte offset \(offset)); save it as UTF-8"
            return YAMLSyntaxError(message: message, location: lineAndColumn(ofByteOffset: offset))
        }
        let mark = state.problem_mark
        let location = SourceLocation(line: lineOffset + Int(mark.line) + 1, column: Int(mark.column) + 1)
        guard Self.tabProblems.contains(problem) || Self.layoutProblems.contains(problem) else {
            return YAMLSyntaxError(message: message, location: location)
        }
        var levels = IndentationLevels()
        var line: ArraySlice<UInt8> = []
        forEachLine(through: Int(mark.line) + 1) { number, text in
            if number <= Int(mark.line) { levels.read(text) } else { line = text }
        }
        if let tab = IndentationLevels.tabColumn(in: line), location.column <= line.prefix(while: { $0 == 0x20 || $0 == 0x09 }).count + 1 {
            return YAMLSyntaxError(message: "tabs are not allowed in YAML indentation; indent with spaces",
                                   location: SourceLocation(line: location.line, column: tab))
        }
        guard Self.layoutProblems.contains(problem) else { return YAMLSyntaxError(message: message, location: location) }
        return YAMLSyntaxError(message: "\(message) \(levels.hint(for: line, problem: problem, problemColumn: location.column))", location: location)
    }

    /// libyaml's problems when a tab is in a line's indentation.
    private static let tabProblems: Set = [
        "found character that cannot start any token", "found a tab character that violates indentation",
        "found a tab character where an indentation space is expected",
    ]

    /// libyaml's problems when a line is indented more or less than the block it belongs to.
    private static let layoutProblems: Set = [
        "mapping values are not allowed in this context", "did not find expected key", "did not find expected '-' indicator",
    ]

    /// Calls `body` with the number (1-based, from where this parser starts) and
    /// text (without its line end) of each of the first `count` lines it reads.
    private func forEachLine(through count: Int, _ body: (Int, ArraySlice<UInt8>) -> Void) {
        var line: [UInt8] = []
        var number = 1
        var position = byteOffset
        var chunk = [UInt8](repeating: 0, count: 65536)
        while number <= count {
            let read = chunk.withUnsafeMutableBytes { buffer in
                if let textBuffer {
                    let available = max(0, min(buffer.count, textCount - position))
                    buffer.copyMemory(from: UnsafeRawBufferPointer(start: textBuffer + position, count: available))
                    return available
                }
                return pread(input.descriptor, buffer.baseAddress, buffer.count, off_t(position))
            }
            guard read > 0 else { break }
            position += read
            for byte in chunk[0..<read] {
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    continue
                }
                body(number, line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...])
                line.removeAll(keepingCapacity: true)
                number += 1
                if number > count { return }
            }
        }
        if number <= count { body(number, line[...]) }
    }

    /// Re-reads the file up to `offset` to turn a byte offset into a line and column.
    private func lineAndColumn(ofByteOffset offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var remaining = offset
        var position = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes { pread(input.descriptor, $0.baseAddress, min(65536, remaining), off_t(position)) }
            position += max(count, 0)
            if count <= 0 { break }
            for byte in buffer[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            remaining -= count
        }
        return SourceLocation(line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ size: Int) -> Int {
    read(descriptor, buffer, size)
}

/// A run of whole documents of a file: its bytes, and the line it starts on.
/// Unless it is the last of its file, the parser also reads the start of
/// what follows, up to the next document's `---` (`lookahead` bytes), so
/// that libyaml meets the marker as it would reading the file whole (an
/// unclosed quote before it is "unexpected document indicator", not "end
/// of stream"); the reader stops at that document, which starts on `nextLine`.
public struct FileSegment: Sendable, Equatable {
    public var bytes: Range<Int>
    public var firstLine: Int
    var lookahead: Int
    public var nextLine: Int?

    public init(bytes: Range<Int>, firstLine: Int, lookahead: Int = 0, nextLine: Int? = nil) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.lookahead = lookahead
        self.nextLine = nextLine
    }

    /// Where the parser stops reading.
    var readEnd: Int { bytes.upperBound + lookahead }
}

/// A file that could not be opened or read.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32

    public var description: String { String(cString: strerror(code)) }
}

/// Bytes as lower-case hexadecimal: digests in the database and messages.
public func hexadecimal<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef")
    var text = ""
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return text
}
