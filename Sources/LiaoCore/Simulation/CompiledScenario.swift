/// A scenario prepared for simulation: names resolved to indices, substream
/// ids computed once. Immutable and shared by every worker.
public struct CompiledScenario: Sendable {
    public let scenario: Scenario
    /// The load-time trade-ins and projects as plain numbers (see `TradeInPlan`).
    let tradeInPlans: [TradeInPlan]
    let projectPlans: [ProjectPlan]
    /// Substream id of each load-time project and hotel project.
    let projectComponents: [UInt64]
    let hotelProjectComponents: [UInt64]
    /// Goals with metric names resolved.
    let goalTests: [CompiledGoal]
    /// The Gaussian copula of correlated parameters (empty when none are).
    public let copula: GaussianCopula

    // Tables the simulator reads every run, laid out once.
    /// Normalised seasonal factor S_s(m) at `[sector * 12 + m]`.
    let seasonal: [Double]
    /// Days in each simulated month.
    let days: [Double]
    /// τ(t) of each simulated month.
    let yearsSinceBase: [Double]
    /// Parameter index of each sector's real growth and inflation, and of each lever.
    let growthParameters: [Int]
    let inflationParameters: [Int]
    let leverParameters: [Int]
    /// Parameters with a distribution, and the fixed ones with their values:
    /// a run draws only the first.
    let uncertainParameters: [ParameterID]
    let fixedParameters: [(index: Int, value: Double)]

    enum CompiledGoal: Sendable {
        case conditions([(metric: Int, atLeast: Bool, threshold: Double)])
        case allOf([Int])
    }

    public var metricCount: Int { MetricCatalog.count + scenario.customMetrics.count }

    public init(_ scenario: Scenario) throws(ModelError) {
        self.scenario = scenario
        seasonal = Sector.allCases.flatMap { Seasonality.normalised[$0.rawValue] }
        days = (0..<SimCalendar.months).map(SimCalendar.days)
        yearsSinceBase = (0..<SimCalendar.months).map(SimCalendar.yearsSinceBase)
        growthParameters = Sector.allCases.map { ParameterID.growth($0).rawValue }
        inflationParameters = Sector.allCases.map { ParameterID.inflation($0).rawValue }
        leverParameters = Lever.allCases.map(\.parameter.rawValue)
        let distributions = scenario.parameters.distributions
        uncertainParameters = distributions.indices.filter { !distributions[$0].isFixed }.map { ParameterID(rawValue: $0)! }
        fixedParameters = distributions.indices.compactMap { i in
            if case .fixed(let v) = distributions[i] { return (i, v) }
            return nil
        }
        tradeInPlans = scenario.schedule.tradeIns.map(TradeInPlan.init)
        projectPlans = scenario.schedule.projects.map(ProjectPlan.init)
        projectComponents = Self.componentIDs(scenario.schedule.projects.map { "project.\($0.name)" })
        hotelProjectComponents = Self.componentIDs(
            scenario.schedule.hotelProjects.map { "hotel_project.\(SimCalendar.label($0.planned))" })
        let names = scenario.metricNames
        let metricIndex = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let goalIndex = Dictionary(scenario.goals.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var tests: [CompiledGoal] = []
        for goal in scenario.goals {
            switch goal.test {
            case .conditions(let conditions):
                var resolved: [(metric: Int, atLeast: Bool, threshold: Double)] = []
                for c in conditions {
                    guard let index = metricIndex[c.metric] else {
                        throw ModelError("goal '\(goal.id)': unknown metric '\(c.metric)'\(Suggest.hint(c.metric, among: names))")
                    }
                    resolved.append((index, c.comparison == .atLeast, c.threshold))
                }
                tests.append(.conditions(resolved))
            case .allOf(let ids):
                var resolved: [Int] = []
                for id in ids {
                    guard let index = goalIndex[id] else { throw ModelError("goal '\(goal.id)': unknown goal '\(id)'") }
                    resolved.append(index)
                }
                tests.append(.allOf(resolved))
            }
        }
        goalTests = tests
        for c in scenario.correlations {
            for key in [c.first, c.second] {
                let id = ParameterCatalog.id(forKey: key)!
                guard scenario.parameters[id].isFixed else { continue }
                // Fixed by a param() call (perhaps after the correlate): that call is the one to change.
                if let fixedAt = scenario.parameters.origins[id.rawValue] {
                    throw ModelError("param: \(key) is fixed here, but correlate (at \(c.origin ?? "?")) needs it uncertain; give it a distribution, or drop the correlation", at: fixedAt)
                }
                throw ModelError("correlate: \(key) is fixed in this scenario; give it a distribution first (param)", at: c.origin)
            }
        }
        copula = try GaussianCopula(scenario.correlations, parameters: scenario.parameters)
    }

    /// Substream ids named after each item, numbered within equal names so
    /// that adding an instrument elsewhere never changes another's draws.
    static func componentIDs(_ names: [String]) -> [UInt64] {
        var seen: [String: Int] = [:]
        return names.map { name in
            let k = seen[name, default: 0]
            seen[name] = k + 1
            return ComponentName.id("\(name)#\(k)")
        }
    }

    /// Evaluates every goal on one run's metrics.
    public func goalsMet(_ metrics: [Double]) -> [Bool] {
        var met = [Bool](repeating: false, count: goalTests.count)
        goalsMet(metrics, into: &met)
        return met
    }

    /// Evaluates every goal into `met` (sized to the goals), without allocating.
    public func goalsMet(_ metrics: [Double], into met: inout [Bool]) {
        for (i, test) in goalTests.enumerated() {
            switch test {
            case .conditions(let conditions):
                // A metric that is NaN or infinite in a run meets no goal in it
                // (an infinite ratio is a division by zero, not a success).
                met[i] = conditions.allSatisfy { c in
                    let x = metrics[c.metric]
                    return x.isFinite && (c.atLeast ? x >= c.threshold : x <= c.threshold)
                }
            case .allOf(let indices):
                met[i] = indices.allSatisfy { met[$0] }
            }
        }
    }
}
