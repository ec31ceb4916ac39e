import Synchronization

/// Shared between a running batch and whoever watches it: how many runs are
/// done, and a request to stop early (Ctrl-C).
public final class BatchProgress: Sendable {
    private let completed = Atomic<Int>(0)
    private let cancelled = Atomic<Bool>(false)

    public init() {}

    /// Runs finished so far.
    public var completedRuns: Int { completed.load(ordering: .relaxed) }

    /// Asks the batch to stop after the runs in progress.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func add(_ runs: Int) { completed.add(runs, ordering: .relaxed) }
}
