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
    /// Wall-clock time and worker threads (not part of the reproducible result).
    public var elapsedSeconds: Double = 0
    public var threads: Int = 1
    /// Where `add` leaves the counts it read ahead, so the reads are kept
    /// (not part of the result).
    private var peekSink: UInt64 = 0

    private enum CodingKeys: String, CodingKey {
        case scenarioName, scenarioDescription, sourcePath, inputs, seed, runs, metricNames, metrics, goals
        case goalTallies, failedRuns, failures, interrupted, requestedRuns, elapsedSeconds, threads
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

    /// Adds one run's metrics and goal outcomes.
    public mutating func add(metrics values: [Double], goalsMet: [Bool]) {
        runs += 1
        metrics.withUnsafeMutableBufferPointer { summaries in
            // Read every metric's bucket first: the reads are independent, so
            // their cache misses overlap instead of coming one per metric.
            var touched: UInt64 = 0
            for i in summaries.indices { touched &+= summaries[i].peek(values[i]) }
            peekSink = touched
            for i in summaries.indices { summaries[i].add(values[i]) }
        }
        goalTallies.withUnsafeMutableBufferPointer { tallies in
            for i in tallies.indices { tallies[i].record(goalsMet[i]) }
        }
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

    /// The widest 95% confidence interval of any goal, as a half-width.
    public var widestGoalHalfWidth: Double {
        goalTallies.map { ($0.wilson95.high - $0.wilson95.low) / 2 }.max() ?? 0
    }
}
