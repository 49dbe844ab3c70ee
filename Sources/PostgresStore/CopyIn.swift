import Foundation
import GRDB
import NIOCore
import PostgresNIO
import Store

extension SharedDatabase: LoadableStore {
    public func loading(_ body: (any TableLoader) throws -> Void) throws {
        try transaction("BEGIN") {
            // One copy into a store at a time; readers go on meanwhile.
            try session.execute("LOCK TABLE scan IN EXCLUSIVE MODE")
            try body(CopyIn(session: session))
        }
    }
}

/// Rows into PostgreSQL with `COPY … FROM STDIN` in its text format, a few
/// megabytes at a time, inside the loading's transaction.
struct CopyIn: TableLoader {
    let session: PostgresSession

    var connection: any SQLConnection { session }

    /// How many bytes of rows one COPY takes.
    private static let chunk = 8 << 20

    func load(_ table: String, columns: [String], rows: (([DatabaseValue]) throws -> Void) throws -> Void) throws {
        var buffer = ByteBuffer()
        try rows { values in
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                try Self.append(value, column: columns[index], of: table, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
            if buffer.readableBytes >= Self.chunk {
                try copy(buffer, into: table, columns: columns)
                buffer.clear()
            }
        }
        if buffer.readableBytes > 0 { try copy(buffer, into: table, columns: columns) }
    }

    /// One COPY, waited for: PostgresNIO has it only as an async function.
    private func copy(_ rows: ByteBuffer, into table: String, columns: [String]) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = CopyOutcome()
        let connection = session.connection, logger = session.logger
        Task {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in try await writer.write(rows) }
            } catch {
                outcome.failure = error
            }
            done.signal()
        }
        done.wait()
        if let failure = outcome.failure { throw failure }
    }

    /// A value as COPY's text format writes it: NULL as `\N`; a backslash,
    /// tab, line feed and carriage return escaped; bytes as `\\x` and hex.
    static func append(_ value: DatabaseValue, column: String, of table: String, to buffer: inout ByteBuffer) throws {
        switch value.storage {
        case .null:
            buffer.writeString("\\N")
        case .int64(let number):
            buffer.writeString(String(number))
        case .double(let number):
            // Swift writes the shortest text that reads back as the same number.
            buffer.writeString(number.description)
        case .string(let text):
            for byte in text.utf8 {
                switch byte {
                case 0:
                    throw StoreError("a value of \(table).\(column) holds a NUL character, which PostgreSQL cannot store in text; nothing was stored")
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeString("\\t")
                case UInt8(ascii: "\n"): buffer.writeString("\\n")
                case UInt8(ascii: "\r"): buffer.writeString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        case .blob(let data):
            buffer.writeString("\\\\x")
            for byte in data {
                buffer.writeInteger(Self.hex[Int(byte >> 4)])
                buffer.writeInteger(Self.hex[Int(byte & 0x0F)])
            }
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

/// What a COPY run as a task ended with, read once the task is done.
private final class CopyOutcome: @unchecked Sendable {
    var failure: (any Error)?
}
