import Foundation

/// Hands batches of values from one thread to another, with at most
/// `capacity` batches waiting, so that a fast producer cannot fill memory.
/// The pipeline stages (libyaml parsing, typed reading, database writing)
/// each run on a thread of their own and meet here.
public final class BatchChannel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var waiting: [[Element]] = []
    private var closed = false
    private var cancelled = false

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Sends a batch, waiting while the channel is full; false once the
    /// receiver has cancelled (the batch is then dropped).
    @discardableResult
    public func send(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        if !batch.isEmpty { waiting.append(batch) }
        condition.broadcast()
        return true
    }

    /// No more batches will be sent.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The receiver wants no more batches; senders stop waiting.
    public func cancel() {
        condition.lock()
        cancelled = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, waiting for it; nil once the channel is closed and empty.
    public func receive() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty, !closed, !cancelled { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        condition.broadcast()
        return waiting.removeFirst()
    }
}

/// Runs `body` on a thread of its own and lets the caller wait for its result.
public final class BackgroundTask<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result?

    public init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            result = body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Whether the thread has finished, so that `wait()` returns at once.
    public var isFinished: Bool {
        guard done.wait(timeout: .now()) == .success else { return false }
        done.signal()
        return true
    }

    /// Waits for the thread to finish and returns what it returned.
    public func wait() -> Result {
        done.wait()
        done.signal()
        return result!
    }
}
