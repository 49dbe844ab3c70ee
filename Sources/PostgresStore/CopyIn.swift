import Foundation
import GRDB
import NIOCore
import PostgresNIO
import Store

extension SharedDatabase: LoadableStore {
    public func loading(_ body: (any TableLoader) throws -> Void) throws {
        try transaction("BEGIN") {
            guard try !(session.value("SELECT row_security_active('scan')") ?? true) else {
                throw StoreError("only the database's owner copies snapshots into \(path): a role under row-level security sees part of it only")
            }
            // One copy into a store at a time; readers go on meanwhile.
            try session.execute("SET LOCAL lock_timeout = '\(lockTimeout)ms'")
            try takeWritersLock()
            try body(CopyIn(session: session))
        }
    }
}

/// Rows into PostgreSQL with `COPY … FROM STDIN` in its text format, a few
/// megabytes at a time, inside the loading's transaction.
struct CopyIn: TableLoader {
    let session: PostgresSession

    var connection: any SQLConnection { session }

    /// How many bytes of rows go to the server at a time.
    private static let chunk = 1 << 20

    func load(_ table: String, columns: [String], rows: (([DatabaseValue]) throws -> Void) throws -> Void) throws {
        // PostgreSQL refuses COPY into a table whose policies apply to the
        // role: its rows go into a temporary table first, and from there
        // into the table, each through the policies.
        guard try !(session.value("SELECT row_security_active(?)", [table]) ?? false) else {
            let stage = "sovscan_stage_\(table)"
            try session.execute("CREATE TEMPORARY TABLE IF NOT EXISTS \(stage) (LIKE \(table)) ON COMMIT DROP")
            try session.execute("TRUNCATE \(stage)")
            try copy(into: stage, columns: columns, rows: rows)
            let listed = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try session.execute("INSERT INTO \(table) (\(listed)) SELECT \(listed) FROM \(stage)")
            return
        }
        try copy(into: table, columns: columns, rows: rows)
    }

    private func copy(into table: String, columns: [String], rows: (([DatabaseValue]) throws -> Void) throws -> Void) throws {
        var buffer = ByteBuffer()
        var copy: CopyStream?
        do {
            try rows { values in
                for (index, value) in values.enumerated() {
                    if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    try Self.append(value, column: columns[index], of: table, to: &buffer)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= Self.chunk {
                    copy = copy ?? CopyStream(session: session, table: table, columns: columns)
                    try copy!.send(buffer)
                    buffer = ByteBuffer()
                }
            }
        } catch {
            copy?.abandon()
            throw error
        }
        if buffer.readableBytes > 0 {
            copy = copy ?? CopyStream(session: session, table: table, columns: columns)
            try copy!.send(buffer)
        }
        try copy?.finish()
    }

    /// A value as COPY's text format writes it: NULL as `\N`; a backslash,
    /// tab, line feed and carriage return escaped; bytes as `\\x` and hex.
    static func append(_ value: DatabaseValue, column: String, of table: String, to buffer: inout ByteBuffer) throws {
        switch value.storage {
        case .null:
            buffer.writeStaticString("\\N")
        case .int64(let number):
            appendDigits(of: number, to: &buffer)
        case .double(let number):
            // Swift writes the shortest text that reads back as the same number.
            buffer.writeString(number.description)
        case .string(var text):
            try text.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) throws -> Void in
                // Most text has nothing to escape, and goes in as it is.
                guard bytes.contains(where: { $0 <= 0x0D || $0 == UInt8(ascii: "\\") }) else {
                    buffer.writeBytes(bytes)
                    return
                }
                for byte in bytes {
                    switch byte {
                    case 0:
                        throw StoreError("a value of \(table).\(column) holds a NUL character, which PostgreSQL cannot store in text; nothing was stored")
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
        case .blob(let data):
            buffer.writeStaticString("\\\\x")
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 2 * data.count) { target in
                for (index, byte) in data.enumerated() {
                    target[2 * index] = hex[Int(byte >> 4)]
                    target[2 * index + 1] = hex[Int(byte & 0x0F)]
                }
                return 2 * data.count
            }
        }
    }

    /// A whole number's decimal digits, without a string made for them.
    private static func appendDigits(of number: Int64, to buffer: inout ByteBuffer) {
        if number < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[start...]))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

/// One COPY that takes its rows while it runs: the caller encodes the
/// next chunk while the server takes the one before (PostgresNIO has COPY
/// as an async function only; a command of sovscan waits for it). At most
/// two chunks wait to be sent.
private final class CopyStream: @unchecked Sendable {
    private let chunks: AsyncStream<ByteBuffer>.Continuation
    private let waiting = DispatchSemaphore(value: 2)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?

    init(session: PostgresSession, table: String, columns: [String]) {
        let (stream, chunks) = AsyncStream<ByteBuffer>.makeStream()
        self.chunks = chunks
        let connection = session.connection, logger = session.logger
        Task { [self] in
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    for await chunk in stream {
                        try await writer.write(chunk)
                        waiting.signal()
                    }
                }
            } catch {
                lock.withLock { failure = error }
                // The caller may wait to send a chunk nobody takes any more.
                waiting.signal()
                waiting.signal()
            }
            done.signal()
        }
    }

    func send(_ chunk: ByteBuffer) throws {
        waiting.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
        chunks.yield(chunk)
    }

    /// Waits for the server to take every row; its error, if it refused them.
    func finish() throws {
        chunks.finish()
        done.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Ends the COPY without waiting on rows the caller could not make; the transaction is rolled back.
    func abandon() {
        chunks.finish()
        done.wait()
    }
}
