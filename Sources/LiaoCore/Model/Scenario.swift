/// A scenario as the core sees it: assumptions, scheduled instruments, goals
/// and the names of the scenario's own metrics. The Lua bridge builds one from
/// a scenario file; tests can build one directly.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// The file it was read from, if any.
    public var sourcePath: String?
    /// Runs and seed the scenario asks for when the command line does not say.
    public var defaultRuns: Int?
    public var defaultSeed: UInt64?
    public var parameters: ParameterSet
    /// Instruments and lever changes that apply to every run.
    public var schedule: InstrumentSchedule
    /// The plan's goals followed by the scenario's own.
    public var goals: [Goal]
    /// Names of metrics the scenario computes itself at the end of each run,
    /// after the built-in ones.
    public var customMetrics: [String]

    public init(
        name: String, description: String = "", sourcePath: String? = nil,
        parameters: ParameterSet = ParameterSet(), schedule: InstrumentSchedule = InstrumentSchedule(),
        goals: [Goal] = Goal.planGoals, customMetrics: [String] = []
    ) {
        self.name = name
        self.description = description
        self.sourcePath = sourcePath
        self.parameters = parameters
        self.schedule = schedule
        self.goals = goals
        self.customMetrics = customMetrics
    }

    /// Every metric name, built-in first.
    public var metricNames: [String] { MetricCatalog.names + customMetrics }
}
