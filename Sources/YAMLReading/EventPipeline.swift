/// libyaml's events for one file, parsed on a thread of their own and handed
/// over in batches, so that reading the bytes (libyaml) and making sense of
/// them (the typed readers) run on two cores at once. A few batches are in
/// flight at most, so memory stays flat however large the file is. Every
/// chunk read is shown to `observeChunk` (the inventory reader hashes the
/// file in the same pass).
public final class EventStream {
    private static let batchSize = 4096

    private let channel = BatchChannel<Event>(capacity: 4)
    private let producer: BackgroundTask<YAMLSyntaxError?>
    /// The batch being read, last event first, so that each is moved out
    /// rather than copied.
    private var current: [Event] = []
    private var lastLocation = SourceLocation(line: 1, column: 1)

    /// Opens `path` for reading. Throws the `errno` text if it cannot be opened.
    public convenience init(path: String, observeChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(FileError) {
        self.init(parser: try EventParser(path: path, observeChunk: observeChunk))
    }

    /// Parses YAML text held in memory.
    public convenience init(text: String) {
        self.init(parser: EventParser(text: text))
    }

    private init(parser: EventParser) {
        let channel = channel
        producer = BackgroundTask {
            defer { channel.close() }
            var batch: [Event] = []
            batch.reserveCapacity(Self.batchSize)
            while true {
                let event: Event
                do throws(YAMLSyntaxError) {
                    event = try parser.next()
                } catch {
                    channel.send(batch)
                    return error
                }
                batch.append(event)
                if case .streamEnd = event.kind { break }
                if batch.count == Self.batchSize {
                    guard channel.send(batch) else { return nil }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            channel.send(batch)
            return nil
        }
    }

    deinit {
        channel.cancel()
        _ = producer.wait()
    }

    /// The next event; throws libyaml's own message and position on a syntax error.
    public func next() throws(YAMLSyntaxError) -> Event {
        if current.isEmpty {
            guard let batch = channel.receive() else {
                if let failure = producer.wait() { throw failure }
                return Event(kind: .streamEnd, location: lastLocation)
            }
            current = batch
            current.reverse()
        }
        let event = current.removeLast()
        lastLocation = event.location
        return event
    }
}
