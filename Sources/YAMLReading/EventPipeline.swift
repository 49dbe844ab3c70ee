import Foundation

/// libyaml's events for one file, parsed on a thread of their own and handed
/// over in batches, so that reading the bytes (libyaml) and making sense of
/// them (the typed readers) run on two cores at once. A few batches are in
/// flight at most, so memory stays flat however large the file is. Every
/// chunk read is shown to `observeChunk` (the inventory reader hashes the
/// file in the same pass).
public final class EventStream: @unchecked Sendable {
    private static let batchSize = 4096
    private static let batchesInFlight = 4

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var ready: [[Event]] = []
    private var failure: YAMLSyntaxError?
    private var producerDone = false
    private var cancelled = false
    // Owned by the consumer:
    private var current: [Event] = []
    private var index = 0

    /// Opens `path` for reading. Throws the `errno` text if it cannot be opened.
    public init(path: String, observeChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(FileError) {
        let parser = try EventParser(path: path, observeChunk: observeChunk)
        let thread = Thread { [self] in produce(parser) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    private func produce(_ parser: EventParser) {
        var batch: [Event] = []
        batch.reserveCapacity(Self.batchSize)
        var failure: YAMLSyntaxError?
        while true {
            do {
                let event = try parser.next()
                batch.append(event)
                if case .streamEnd = event.kind { break }
            } catch {
                failure = error
                break
            }
            if batch.count == Self.batchSize {
                guard hand(batch) else { break }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = hand(batch) }
        condition.lock()
        self.failure = failure
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Hands a batch to the consumer, waiting while enough are in flight; false once cancelled.
    private func hand(_ batch: [Event]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.batchesInFlight, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }

    /// The next event; throws libyaml's own message and position on a syntax error.
    public func next() throws(YAMLSyntaxError) -> Event {
        if index < current.count {
            index += 1
            return current[index - 1]
        }
        condition.lock()
        while ready.isEmpty, !producerDone { condition.wait() }
        if ready.isEmpty {
            let failure = self.failure
            condition.unlock()
            if let failure { throw failure }
            return Event(kind: .streamEnd, location: current.last?.location ?? SourceLocation(line: 1, column: 1))
        }
        current = ready.removeFirst()
        condition.broadcast()
        condition.unlock()
        index = 1
        return current[0]
    }
}
