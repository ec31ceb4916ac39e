/// The summary of a Monte Carlo batch: for every metric its moments and
/// quantiles, for every goal the share of runs that met it. Sums are exact
/// and histograms are counts, so the result is the same, bit for bit,
/// whatever the number of threads or the order in which parts are merged.
public struct BatchResult: Sendable {
    public var scenarioName: String
    public var seed: UInt64
    /// Runs summarised.
    public var runs: Int
    public var metricNames: [String]
    public var metrics: [MetricSummary]
    public var goals: [Goal]
    public var goalTallies: [ProportionEstimate]
    /// Wall-clock time and worker threads (not part of the reproducible result).
    public var elapsedSeconds: Double = 0
    public var threads: Int = 1

    public init(scenarioName: String, seed: UInt64, metricNames: [String], goals: [Goal]) {
        self.scenarioName = scenarioName
        self.seed = seed
        runs = 0
        self.metricNames = metricNames
        metrics = metricNames.map { _ in MetricSummary() }
        self.goals = goals
        goalTallies = goals.map { _ in ProportionEstimate() }
    }

    /// Adds one run's metrics and goal outcomes.
    public mutating func add(metrics values: [Double], goalsMet: [Bool]) {
        runs += 1
        for i in metrics.indices { metrics[i].add(values[i]) }
        for i in goalTallies.indices { goalTallies[i].record(goalsMet[i]) }
    }

    /// Merges another part of the same batch.
    public mutating func merge(_ other: BatchResult) {
        runs += other.runs
        for i in metrics.indices { metrics[i].merge(other.metrics[i]) }
        for i in goalTallies.indices { goalTallies[i].merge(other.goalTallies[i]) }
    }

    /// Whether metric `index` is always a whole number in a run.
    public func isWholeNumber(_ index: Int) -> Bool { MetricCatalog.wholeNumberMetrics.contains(index) }
}
