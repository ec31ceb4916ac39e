import Dispatch
import Synchronization

/// Runs a batch of Monte Carlo runs on several threads. Run i always draws
/// from substreams of (seed, i), so the result does not depend on how runs
/// are split between threads.
public enum MonteCarloBatch {
    /// Runs `runs` runs (indices `firstRun ..< firstRun + runs`).
    /// - Parameter makeObserver: builds one observer per worker thread (each
    ///   worker gets its own, e.g. its own Lua state); called on that thread.
    /// - Throws: the `RunFailure` of the lowest failing run index, or an error
    ///   from `makeObserver`.
    public static func run<O: MonthObserver>(
        _ compiled: CompiledScenario, runs: Int, seed: UInt64, threads: Int, firstRun: Int = 0,
        makeObserver: @Sendable (Int) throws -> O
    ) throws -> BatchResult {
        let start = ContinuousClock.now
        let workers = max(1, min(threads, runs))
        let simulator = RunSimulator(compiled)
        let empty = BatchResult(
            scenarioName: compiled.scenario.name, seed: seed, metricNames: compiled.scenario.metricNames,
            goals: compiled.scenario.goals)
        let parts = Mutex<[(worker: Int, result: BatchResult)]>([])
        let failures = Mutex<[(run: Int, error: any Error)]>([])
        let stop = Atomic<Bool>(false)

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let lower = firstRun + runs * worker / workers
            let upper = firstRun + runs * (worker + 1) / workers
            var part = empty
            var current = lower
            do {
                var observer = try makeObserver(worker)
                var record = simulator.makeRecord()
                while current < upper {
                    if stop.load(ordering: .relaxed) { break }
                    var draws = RandomDraws(seed: seed, run: UInt64(current))
                    try simulator.run(run: current, seed: seed, draws: &draws, observer: &observer, record: &record)
                    part.add(metrics: record.metrics, goalsMet: compiled.goalsMet(record.metrics))
                    current += 1
                }
            } catch {
                stop.store(true, ordering: .relaxed)
                failures.withLock { $0.append((current, error)) }
            }
            parts.withLock { $0.append((worker, part)) }
        }

        if let first = failures.withLock({ $0.min { $0.run < $1.run } }) { throw first.error }
        var result = empty
        for part in parts.withLock({ $0.sorted { $0.worker < $1.worker } }) { result.merge(part.result) }
        result.threads = workers
        let elapsed = ContinuousClock.now - start
        result.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return result
    }
}
