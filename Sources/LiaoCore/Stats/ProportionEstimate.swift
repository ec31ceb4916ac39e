/// Mergeable success count for a goal: the share of runs that met it, with a
/// Wilson score confidence interval.
public struct ProportionEstimate: Sendable, Equatable, Hashable, Codable {
    /// Number of trials that succeeded.
    public private(set) var successes: UInt64
    /// Number of trials.
    public private(set) var trials: UInt64

    /// The standard normal quantile for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// No trials yet.
    public init() {
        successes = 0
        trials = 0
    }

    /// A given tally; `successes` must not exceed `trials`.
    public init(successes: UInt64, trials: UInt64) {
        precondition(successes <= trials, "ProportionEstimate: more successes than trials")
        self.successes = successes
        self.trials = trials
    }

    /// Records the outcome of one trial.
    @inline(__always)
    public mutating func record(_ success: Bool) {
        trials &+= 1
        if success { successes &+= 1 }
    }

    /// Adds the trials of another estimate of the same proportion.
    public mutating func merge(_ other: ProportionEstimate) {
        successes &+= other.successes
        trials &+= other.trials
    }

    /// successes / trials; NaN when there are no trials.
    public var probability: Double {
        trials == 0 ? .nan : Double(successes) / Double(trials)
    }

    /// 95% Wilson score interval; (0, 1) when there are no trials.
    public var wilson95: (low: Double, high: Double) { wilsonInterval(z: Self.z95) }

    /// Wilson score interval for the normal quantile `z`:
    /// (p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
    /// The bounds are exactly 0 when there are no successes and exactly 1
    /// when every trial succeeded; (0, 1) when there are no trials.
    public func wilsonInterval(z: Double) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        var low = Swift.max(0, centre - halfWidth)
        var high = Swift.min(1, centre + halfWidth)
        if successes == 0 { low = 0 }
        if successes == trials { high = 1 }
        return (low, high)
    }
}
