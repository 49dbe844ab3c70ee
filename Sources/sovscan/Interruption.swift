import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM, caught rather than ending the process on
/// the spot, so that a scan can stop between batches and roll its
/// transaction back.
enum Interruption {
    private static let signalled = Atomic<Bool>(false)
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// From now on a signal only marks the process as interrupted.
    static func catchSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { signalled.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    static var happened: Bool {
        signalled.load(ordering: .relaxed)
    }
}
