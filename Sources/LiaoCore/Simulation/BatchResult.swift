/// The summary of a Monte Carlo batch: for every metric its moments and
/// quantiles, for every goal the share of runs that met it. Sums are exact
/// and histograms are counts, so the result is the same, bit for bit,
/// whatever the number of threads, shards, or the order in which parts are
/// merged.
public struct BatchResult: Sendable, Codable {
    public var scenarioName: String
    public var scenarioDescription: String
    public var sourcePath: String?
    /// The scenario's inputs and the values used.
    public var inputs: [ScenarioInput]
    public var seed: UInt64
    /// Runs summarised (runs that failed under keep-going are not counted).
    public var runs: Int
    public var metricNames: [String]
    public var metrics: [MetricSummary]
    public var goals: [Goal]
    public var goalTallies: [ProportionEstimate]
    /// Runs that failed and were skipped (`keepGoing`), with the first few messages by run index.
    public var failedRuns: Int = 0
    public var failures: [RecordedFailure] = []
    /// The batch was stopped before every run was done (Ctrl-C).
    public var interrupted = false
    /// Runs that were asked for (equal to `runs` unless interrupted or runs failed).
    public var requestedRuns: Int = 0
    /// How the uncertain parameters were sampled: independent draws, or a
    /// Latin hypercube over the study's runs.
    public var sampling: ParameterSampling.Mode = .random
    /// The target of a batch run to a precision (`--precision`), nil for a
    /// batch of a set size.
    public var precision: PrecisionTarget?
    /// The index of the first run (`--first-run`, which replays runs of a
    /// larger batch); 0 for a whole batch. Not kept in batch files, whose
    /// runs always start at 0.
    public var firstRun = 0
    /// Wall-clock time and worker threads (not part of the reproducible result).
    public var elapsedSeconds: Double = 0
    public var threads: Int = 1
    /// Where `add` leaves the counts it read ahead, so the reads are kept
    /// (not part of the result).
    private var peekSink: UInt64 = 0

    private enum CodingKeys: String, CodingKey {
        case scenarioName, scenarioDescription, sourcePath, inputs, seed, runs, metricNames, metrics, goals
        case goalTallies, failedRuns, failures, interrupted, requestedRuns, sampling, precision, elapsedSeconds, threads
    }

    /// What `--precision` asked for: every goal's 95% interval at most
    /// `halfWidth` either side, within `maxRuns` runs.
    public struct PrecisionTarget: Sendable, Codable, Equatable {
        public var halfWidth: Double
        public var maxRuns: Int
        public init(halfWidth: Double, maxRuns: Int) {
            self.halfWidth = halfWidth
            self.maxRuns = maxRuns
        }
    }

    /// A failed run kept for the report.
    public struct RecordedFailure: Sendable, Codable, Equatable {
        public var run: Int
        public var message: String
    }

    /// How many failures are kept with their messages.
    public static let keptFailures = 5

    public init(scenario: Scenario, seed: UInt64) {
        scenarioName = scenario.name
        scenarioDescription = scenario.description
        sourcePath = scenario.sourcePath
        inputs = scenario.inputs
        self.seed = seed
        runs = 0
        metricNames = scenario.metricNames
        metrics = metricNames.map { _ in MetricSummary() }
        goals = scenario.goals
        goalTallies = goals.map { _ in ProportionEstimate() }
    }

    /// Adds one run's metrics and goal outcomes (batches add theirs in
    /// blocks, with `add(_:)`).
    public mutating func add(metrics values: [Double], goalsMet: [Bool]) {
        runs += 1
        for i in metrics.indices { metrics[i].add(values[i]) }
        for i in goalTallies.indices { goalTallies[i].record(goalsMet[i]) }
    }

    /// Adds the runs held in `block`, which it leaves empty. The same as
    /// adding them one by one (every statistic is order-free), but metric by
    /// metric: each summary's sums and histogram are touched for the whole
    /// block at once instead of once per run, so they stay in the cache.
    public mutating func add(_ block: inout RunBlock) {
        let n = block.count
        guard n > 0 else { return }
        runs += n
        let stride = block.metricCount
        block.values.withUnsafeBufferPointer { values in
            metrics.withUnsafeMutableBufferPointer { summaries in
                for i in summaries.indices {
                    // Read the block's buckets first: the reads are independent,
                    // so their cache misses overlap instead of coming one per run.
                    var touched: UInt64 = 0
                    for r in 0..<n { touched &+= summaries[i].peek(values[r * stride + i]) }
                    peekSink = touched
                    for r in 0..<n { summaries[i].add(values[r * stride + i]) }
                }
            }
        }
        let goals = block.goalCount
        block.goalsMet.withUnsafeBufferPointer { met in
            goalTallies.withUnsafeMutableBufferPointer { tallies in
                for g in tallies.indices {
                    for r in 0..<n { tallies[g].record(met[r * goals + g]) }
                }
            }
        }
        block.count = 0
    }

    /// Records a run that failed and was skipped.
    public mutating func addFailure(run: Int, message: String) {
        failedRuns += 1
        failures.append(RecordedFailure(run: run, message: message))
        failures.sort { $0.run < $1.run }
        if failures.count > Self.keptFailures { failures.removeLast() }
    }

    /// Merges another part of the same batch.
    public mutating func merge(_ other: BatchResult) {
        runs += other.runs
        requestedRuns += other.requestedRuns
        for i in metrics.indices { metrics[i].merge(other.metrics[i]) }
        for i in goalTallies.indices { goalTallies[i].merge(other.goalTallies[i]) }
        failedRuns += other.failedRuns
        failures = Array((failures + other.failures).sorted { $0.run < $1.run }.prefix(Self.keptFailures))
        interrupted = interrupted || other.interrupted
        elapsedSeconds += other.elapsedSeconds
        threads = max(threads, other.threads)
    }

    /// Whether metric `index` is always a whole number in a run.
    public func isWholeNumber(_ index: Int) -> Bool { MetricCatalog.wholeNumberMetrics.contains(index) }

    /// The metrics that were NaN or infinite in some runs, with the number of
    /// such runs, in metric order (empty for a clean batch).
    public var nonFiniteMetrics: [(name: String, runs: UInt64)] {
        zip(metricNames, metrics).compactMap { name, summary in
            summary.nonFiniteCount > 0 ? (name, summary.nonFiniteCount) : nil
        }
    }

    /// The widest 95% confidence interval of any goal, as a half-width.
    public var widestGoalHalfWidth: Double { goalTallies.map(Self.halfWidth).max() ?? 0 }

    /// The goal with the widest 95% interval (the first of equals), or nil without goals.
    public var widestGoal: Goal? {
        zip(goals, goalTallies).max { Self.halfWidth($0.1) < Self.halfWidth($1.1) }?.0
    }

    private static func halfWidth(_ tally: ProportionEstimate) -> Double { (tally.wilson95.high - tally.wilson95.low) / 2 }

    /// Whether a batch run to a precision reached it (nil for a batch of a set size).
    public var precisionReached: Bool? { precision.map { widestGoalHalfWidth <= $0.halfWidth } }
}

/// The metrics and goal outcomes of up to `capacity` runs, waiting to be
/// added to a `BatchResult` together (see `BatchResult.add(_:)`).
public struct RunBlock: Sendable {
    public static let defaultCapacity = 64
    public let capacity: Int
    let metricCount: Int
    let goalCount: Int
    /// Run-major: run r's metric i at `r * metricCount + i`.
    var values: [Double]
    var goalsMet: [Bool]
    public internal(set) var count = 0

    public init(metricCount: Int, goalCount: Int, capacity: Int = RunBlock.defaultCapacity) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.metricCount = metricCount
        self.goalCount = goalCount
        values = Array(repeating: 0, count: capacity * metricCount)
        goalsMet = Array(repeating: false, count: capacity * goalCount)
    }

    public var isFull: Bool { count == capacity }

    /// Holds one run's metrics (the first `metricCount`) and goal outcomes.
    public mutating func append(metrics: [Double], goalsMet met: [Bool]) {
        precondition(count < capacity && metrics.count >= metricCount && met.count >= goalCount)
        // In range by the precondition and the sizes made in `init`.
        values.withUnsafeMutableBufferPointer { v in
            metrics.withUnsafeBufferPointer { m in
                for i in 0..<metricCount { v[count &* metricCount &+ i] = m[i] }
            }
        }
        goalsMet.withUnsafeMutableBufferPointer { g in
            met.withUnsafeBufferPointer { m in
                for k in 0..<goalCount { g[count &* goalCount &+ k] = m[k] }
            }
        }
        count &+= 1
    }
}
