/// Values made once per key and numbered in the order they were made, for
/// the most recent `capacity` keys: when full it is emptied, so that a scan
/// of millions of systems keeps its memory flat. A key met again after that
/// gets its value made again under a new number, so a number always names
/// one value; it costs only a little time.
public struct NumberedMemo<Key: Hashable, Value> {
    // Inlinable, so that the scan's and the import's tallies (other modules) get it specialised for their keys.
    @usableFromInline var entries: [Key: (number: Int, value: Value)] = [:]
    @usableFromInline var made = 0
    @usableFromInline let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    @inlinable
    public mutating func value(for key: Key, make: () -> Value) -> (number: Int, value: Value) {
        if let known = entries[key] { return known }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let entry = (number: made, value: make())
        made += 1
        entries[key] = entry
        return entry
    }
}
