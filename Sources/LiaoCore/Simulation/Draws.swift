/// The one seam for randomness in the model. Every random quantity of a run
/// is asked for here, by name of what it is; `RandomDraws` answers with draws
/// from the run's named substreams, `CentralDraws` with the expectations of
/// the central path (MODEL §7). The simulator itself never touches a
/// generator, so the central path and every Monte Carlo run share one
/// implementation of the model.
public protocol Draws {
    /// The run's value of a parameter.
    mutating func parameter(_ id: ParameterID, _ distribution: Distribution) -> Double

    /// Fills the demand multipliers M_s(t), laid out as `[sector * 24 + t]` (MODEL §3);
    /// `loadings` and `noiseSDs` are β_s and σ_s by `Sector.rawValue`.
    mutating func demandMultipliers(
        rho: Double, shockSD: Double, loadings: SIMD4<Double>, noiseSDs: SIMD4<Double>,
        into multipliers: inout [Double]
    )

    /// Switches to the substream of one programme of units (a project or a hotel project).
    mutating func beginProgramme(_ component: UInt64)

    /// A programme's effect size U = LogNormal(median, sigma).
    mutating func effectSize(median: Double, sigma: Double) -> Double

    /// One unit of the current programme: its delay in months and its weight
    /// (1 for a unit that completes in a random run), or nil when it is cancelled.
    mutating func completion(cancelProbability: Double, delayMeanMonths: Double) -> (delay: Int, weight: Double)?

    /// The `count` units of the current programme in order, as `completion`
    /// gives them: `body(delay, weight)` for each unit not cancelled.
    mutating func completions(
        count: Int, cancelProbability: Double, delayMeanMonths: Double, _ body: (_ delay: Int, _ weight: Double) -> Void)

    /// A Poisson count of events with the given mean.
    mutating func poisson(_ source: CountSource, mean: Double) -> Double

    /// A binomial count of `trials` trials (a whole number in a random run).
    mutating func binomial(_ source: CountSource, trials: Double, probability: Double) -> Double
}

extension Draws {
    public mutating func completions(
        count: Int, cancelProbability: Double, delayMeanMonths: Double, _ body: (_ delay: Int, _ weight: Double) -> Void
    ) {
        for _ in 0..<max(count, 0) {
            if let (delay, weight) = completion(cancelProbability: cancelProbability, delayMeanMonths: delayMeanMonths) {
                body(delay, weight)
            }
        }
    }
}

/// The monthly counting processes, each with its own substream.
public enum CountSource: Int, CaseIterable, Sendable {
    case hotelUpgrades, hotelDelistings, householdRecruits, householdAttrition, householdNewFirms

    public var componentName: String {
        ["hotels.upgrades", "hotels.delistings", "household.recruits", "household.attrition", "household.new_firms"][rawValue]
    }
}
