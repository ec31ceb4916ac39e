/// A goal tested on each run's metrics; its probability is the share of runs
/// that meet it.
public struct Goal: Sendable, Equatable, Codable {
    public enum Comparison: String, Sendable, Codable {
        case atLeast = "at_least"
        case atMost = "at_most"
        public var symbol: String { self == .atLeast ? "≥" : "≤" }
    }

    /// One test of a metric against a threshold.
    public struct Condition: Sendable, Equatable, Codable {
        public var metric: String
        public var comparison: Comparison
        public var threshold: Double
        public init(metric: String, _ comparison: Comparison, _ threshold: Double) {
            self.metric = metric
            self.comparison = comparison
            self.threshold = threshold
        }
        public var display: String { "\(metric) \(comparison.symbol) \(Distribution.format(threshold))" }
    }

    public enum Test: Sendable, Equatable, Codable {
        /// Every condition holds.
        case conditions([Condition])
        /// Every goal with one of these ids is met in the same run.
        case allOf([String])
    }

    public var id: String
    public var label: String
    public var test: Test

    public init(id: String, label: String, test: Test) {
        self.id = id
        self.label = label
        self.test = test
    }

    /// The metric whose distribution illustrates the goal (its first condition's).
    public var primaryCondition: Condition? {
        if case .conditions(let c) = test { return c.first }
        return nil
    }

    /// "growth.retail.cagr ≥ 0.06", "household.workers ≥ 4000 and household.firms ≥ 30", "all of …".
    public var display: String {
        switch test {
        case .conditions(let c): c.map(\.display).joined(separator: " and ")
        case .allOf(let ids): "all of " + ids.joined(separator: ", ")
        }
    }

    /// The plan's targets (MODEL §8).
    public static let planGoals: [Goal] = {
        func g(_ id: String, _ label: String, _ c: Condition...) -> Goal {
            Goal(id: id, label: label, test: .conditions(c))
        }
        var goals = [
            g("retail_growth", "Wholesale & retail VA +6% a year (real)", .init(metric: "growth.retail.cagr", .atLeast, 0.06)),
            g("hospitality_growth", "Accommodation & catering VA +20% a year (real)",
              .init(metric: "growth.hospitality.cagr", .atLeast, 0.20)),
            g("hospitality_level", "Accommodation & catering VA above 50亿元 in 2025",
              .init(metric: "va.hospitality.2025", .atLeast, 50)),
            g("star_hotels", "At least 35 star hotels at the end of 2025", .init(metric: "hotels.star_count", .atLeast, 35)),
            g("services_growth", "Resident services VA +8.5% a year (real)",
              .init(metric: "growth.services.cagr", .atLeast, 0.085)),
            g("services_level", "Resident services VA above 60亿元 in 2025", .init(metric: "va.services.2025", .atLeast, 60)),
            g("household_platform", "4,000 authorised household-service workers in 30 firms",
              .init(metric: "household.workers", .atLeast, 4000), .init(metric: "household.firms", .atLeast, 30)),
        ]
        goals.append(Goal(id: "all", label: "Every plan goal above in the same run", test: .allOf(goals.map(\.id))))
        return goals
    }()
}
