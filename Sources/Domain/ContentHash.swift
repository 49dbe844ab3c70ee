import Crypto
import Foundation

/// A record's SHA-256, held in place: hashes are made, compared and looked
/// up for every system of a scan, and as `Data` each was an allocation and
/// a dictionary lookup by it cost thousands of instructions.
public struct ContentHash: Hashable, Sendable {
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// All zero bytes, until a record's hash is taken.
    public init() {}

    /// The SHA-256 of `bytes`.
    public init(of bytes: [UInt8]) {
        var digest = SHA256()
        bytes.withUnsafeBytes { digest.update(bufferPointer: $0) }
        let finished = digest.finalize()
        withUnsafeMutableBytes(of: &words) { words in
            finished.withUnsafeBytes { words.copyMemory(from: $0) }
        }
    }

    /// The 32 bytes of the digest.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// As the database keeps it (a blob), for queries.
    public var data: Data { withUnsafeBytes { Data($0) } }

    // Inlined where hashes are compared and looked up: for every system of a scan.
    @inlinable
    public static func == (lhs: ContentHash, rhs: ContentHash) -> Bool {
        lhs.words == rhs.words
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        // A digest's bytes are spread evenly already: one word is enough.
        hasher.combine(words.0)
    }
}
