import Dispatch
import Synchronization

/// Runs a batch of Monte Carlo runs on several threads. Run i always draws
/// from substreams of (seed, i), and summaries merge exactly, so the result
/// does not depend on how runs are split between threads or machines.
public enum MonteCarloBatch {
    /// What to run.
    public struct Options: Sendable {
        /// Run indices `firstRun ..< firstRun + runs`.
        public var runs: Int
        public var firstRun: Int
        public var seed: UInt64
        public var threads: Int
        /// Record failing runs and go on, instead of stopping at the first.
        public var keepGoing: Bool
        /// Progress counter and cancellation, if someone watches.
        public var progress: BatchProgress?
        /// Latin hypercube and copula settings (nil: independent draws, or the
        /// scenario's copula alone).
        public var sampling: ParameterSampling?

        public init(
            runs: Int, seed: UInt64, threads: Int = 1, firstRun: Int = 0, keepGoing: Bool = false,
            progress: BatchProgress? = nil
        ) {
            self.runs = runs
            self.firstRun = firstRun
            self.seed = seed
            self.threads = threads
            self.keepGoing = keepGoing
            self.progress = progress
        }
    }

    /// Runs a batch.
    /// - Parameter makeObserver: builds one observer per worker thread (each
    ///   worker gets its own, e.g. its own Lua state); called on that thread.
    /// - Throws: unless `keepGoing`, the failure of the lowest failing run
    ///   index (every run below it is completed first, so the answer does not
    ///   depend on threads); an error from `makeObserver`.
    public static func run<O: MonthObserver>(
        _ compiled: CompiledScenario, _ options: Options, makeObserver: @Sendable (Int) throws -> sending O
    ) throws -> BatchResult {
        try run(compiled, options, makeObserver: makeObserver, makeVisitor: { _ in NoVisitor() }).result
    }

    /// Runs a batch and shows every run to a visitor, a failed one (under
    /// `keepGoing`) through `visitFailure` (one per
    /// worker, returned in worker order, which is run-index order).
    public static func run<O: MonthObserver, V: RunVisitor>(
        _ compiled: CompiledScenario, _ options: Options, makeObserver: @Sendable (Int) throws -> sending O,
        makeVisitor: @Sendable (Int) throws -> V
    ) throws -> (result: BatchResult, visitors: [V]) {
        let start = ContinuousClock.now
        let workers = max(1, min(options.threads, options.runs))
        let simulator = RunSimulator(compiled)
        let sampling = options.sampling
            ?? ParameterSampling(mode: .random, studyRuns: options.firstRun + options.runs, seed: options.seed, compiled: compiled)
        let empty = {
            var result = BatchResult(scenario: compiled.scenario, seed: options.seed)
            result.sampling = sampling.mode
            result.firstRun = options.firstRun
            return result
        }()
        let parts = Mutex<[(worker: Int, result: BatchResult, visitor: V?)]>([])
        let failures = Mutex<[(run: Int, error: any Error)]>([])
        // Runs at or above the lowest failing index found so far are not started.
        let stopAt = Atomic<Int>(Int.max)
        let progressStep = 64

        // Visitors see their worker's runs in order and are joined in worker
        // order, so with a visitor each worker takes one contiguous share.
        // Without one, workers take chunks of runs as they go, so a core that
        // is slower (shared with other work) does not hold up the batch; the
        // summaries merge exactly, so the result is the same either way.
        let orderedShares = V.self != NoVisitor.self
        let chunk = max(256, min(4096, options.runs / (workers * 8)))
        let nextChunk = Atomic<Int>(0)

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let share = (options.firstRun + options.runs * worker / workers)
                ..< (options.firstRun + options.runs * (worker + 1) / workers)
            var shareTaken = false
            /// The next runs this worker does, or nil when none are left.
            func nextRuns() -> Range<Int>? {
                if orderedShares {
                    defer { shareTaken = true }
                    return shareTaken ? nil : share
                }
                let lower = options.firstRun + nextChunk.add(chunk, ordering: .relaxed).oldValue
                let upper = min(lower + chunk, options.firstRun + options.runs)
                return lower < upper ? lower..<upper : nil
            }
            var part = empty
            // The runs asked for are counted once, whoever does them.
            part.requestedRuns = orderedShares ? share.count : (worker == 0 ? options.runs : 0)
            var current = options.firstRun
            var sinceReport = 0
            var visitor: V?
            var block = RunBlock(metricCount: empty.metrics.count, goalCount: empty.goalTallies.count)
            do {
                visitor = try makeVisitor(worker)
                var observer = try makeObserver(worker)
                var record = simulator.makeRecord()
                var met = [Bool](repeating: false, count: compiled.scenario.goals.count)
                // Runs are summarised in blocks (see `BatchResult.add(_:)`);
                // the last, partial block is added when the worker stops.
                defer { part.add(&block) }
                var draws = RandomDraws(seed: options.seed, run: UInt64(options.firstRun), sampling: sampling)
                work: while let runs = nextRuns() {
                    current = runs.lowerBound
                    while current < runs.upperBound {
                        if current >= stopAt.load(ordering: .relaxed) { break work }
                        if let progress = options.progress, progress.isCancelled {
                            part.interrupted = true
                            break work
                        }
                        draws.startRun(UInt64(current))
                        var failure: String?
                        do {
                            try simulator.run(run: current, seed: options.seed, draws: &draws, observer: &observer, record: &record)
                        } catch where options.progress?.isCancelled == true {
                            // A stop cuts the scenario's calls short: this run is left out, like those not started.
                            part.interrupted = true
                            break work
                        } catch where options.keepGoing {
                            // The run is recorded beside the message: the message need not repeat it.
                            failure = (error as? RunFailure).map { RunFailure(message: $0.message, month: $0.month).description } ?? "\(error)"
                        }
                        // A visitor's own error (a file that cannot be written) stops the batch.
                        if let failure {
                            part.addFailure(run: current, message: failure)
                            try visitor!.visitFailure(run: current, record: record, message: failure)
                        } else {
                            compiled.goalsMet(record.metrics, into: &met)
                            block.append(metrics: record.metrics, goalsMet: met)
                            if block.isFull { part.add(&block) }
                            try visitor!.visit(run: current, record: record, goalsMet: met)
                        }
                        current += 1
                        sinceReport += 1
                        if sinceReport == progressStep {
                            options.progress?.add(sinceReport)
                            sinceReport = 0
                        }
                    }
                }
            } catch where options.progress?.isCancelled == true {
                // Stopped while the worker set up (its scenario loading, cut short): no run of its counts.
                part.interrupted = true
            } catch {
                lowerStop(stopAt, to: current)
                failures.withLock { $0.append((current, error)) }
            }
            options.progress?.add(sinceReport)
            parts.withLock { $0.append((worker, part, visitor)) }
        }

        if let first = failures.withLock({ $0.min { $0.run < $1.run } }) { throw first.error }
        var result = empty
        var visitors: [V] = []
        for part in parts.withLock({ $0.sorted { $0.worker < $1.worker } }) {
            result.merge(part.result)
            if let visitor = part.visitor { visitors.append(visitor) }
        }
        result.threads = workers
        let elapsed = ContinuousClock.now - start
        result.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (result, visitors)
    }

    /// Lowers `stopAt` to `run` unless it is already lower.
    private static func lowerStop(_ stopAt: borrowing Atomic<Int>, to run: Int) {
        var seen = stopAt.load(ordering: .relaxed)
        while run < seen {
            let (exchanged, original) = stopAt.compareExchange(expected: seen, desired: run, ordering: .relaxed)
            if exchanged { return }
            seen = original
        }
    }
}
