import Domain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The values of a `NamedCases` by name. `init(rawValue:)` hashes the name
/// or compares it with every case in turn, which a scan would do for every
/// key and choice of every system; the kinds read for every system answer
/// `named` from a table of their own, which compares lengths and bytes.
public struct NameTable<Value: NamedCases & Sendable>: Sendable {
    @usableFromInline let names: NameIndex
    @usableFromInline let values: [Value]

    public init() {
        values = Array(Value.allCases)
        names = NameIndex(values.map(\.rawValue))
    }

    @inlinable
    public func value(named name: String) -> Value? {
        names.position(of: name).map { values[$0] }
    }
}

/// Names, found by their UTF-8 bytes.
@usableFromInline
struct NameIndex: Sendable {
    /// Every name's bytes, one after the other.
    private let bytes: [UInt8]
    private let names: [(start: Int, count: Int)]

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var ranges: [(start: Int, count: Int)] = []
        for name in names {
            ranges.append((bytes.count, name.utf8.count))
            bytes.append(contentsOf: name.utf8)
        }
        self.bytes = bytes
        self.names = ranges
    }

    /// The position of `name` in the list the index was made of.
    @usableFromInline
    func position(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { all in
                for (position, candidate) in names.enumerated() where candidate.count == wanted.count {
                    if wanted.isEmpty || memcmp(all.baseAddress! + candidate.start, wanted.baseAddress!, wanted.count) == 0 {
                        return position
                    }
                }
                return nil
            }
        }
    }
}
