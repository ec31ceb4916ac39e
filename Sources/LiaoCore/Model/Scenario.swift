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
    /// Named inputs the scenario read with `input(name, default)`, with the values used.
    public var inputs: [ScenarioInput] = []
    /// Rank correlations between uncertain parameters (a Gaussian copula).
    public var correlations: [ParameterCorrelation] = []

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

/// A named input of a scenario (`input("catering_budget", 0.2)`), settable
/// from the command line with `--set name=value`.
public struct ScenarioInput: Sendable, Equatable, Codable {
    public var name: String
    /// The value used: from the command line, or the default.
    public var value: String
    public var defaultValue: String
    public var isNumber: Bool
    public init(name: String, value: String, defaultValue: String, isNumber: Bool) {
        self.name = name
        self.value = value
        self.defaultValue = defaultValue
        self.isNumber = isNumber
    }
}
