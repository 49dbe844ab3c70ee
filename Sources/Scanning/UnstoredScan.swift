import Domain
import Inventory
import Store
import Threads

/// A scan that is not stored: organisations handed over as each is
/// complete are scored on a thread of their own, and tallied as the store
/// would tally them, while the caller reads on (an import's answers to ask
/// for first).
public final class UnstoredScan: Sendable {
    private let completed = BatchChannel<(Organisation, [System])>(capacity: 4)
    private let scoring: BackgroundTask<(reading: ScanReading, totals: SnapshotTotals)>

    public init(_ pipeline: ScanPipeline) {
        scoring = BackgroundTask { [completed] in
            pipeline.tally { add in
                while let batch = completed.receive() {
                    for (organisation, systems) in batch {
                        for system in systems { add(.system(system, organisationID: organisation.id)) }
                        add(.organisation(organisation))
                    }
                }
            }
        }
    }

    /// Adds an organisation with its systems (none for one declared only).
    public func add(_ organisation: Organisation, systems: [System]) {
        completed.send([(organisation, systems)])
    }

    /// Waits for every organisation handed over to be scored.
    public func finish() -> (reading: ScanReading, totals: SnapshotTotals) {
        completed.close()
        return scoring.wait()
    }
}
