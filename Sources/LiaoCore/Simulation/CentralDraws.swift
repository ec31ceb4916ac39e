/// Expectations instead of draws: the central path of MODEL §7. Parameters
/// take their central values, shocks are absent (M = 1), each unit counts
/// with weight (1 − cancel) at planned + ⌊d + 0.5⌋, and counts are their means.
public struct CentralDraws: Draws {
    public init() {}

    public mutating func parameter(_ id: ParameterID, _ distribution: Distribution) -> Double {
        distribution.centralValue
    }

    public mutating func demandMultipliers(
        rho: Double, shockSD: Double, loadings: SIMD4<Double>, noiseSDs: SIMD4<Double>, into multipliers: inout [Double]
    ) {
        for i in multipliers.indices { multipliers[i] = 1 }
    }

    public mutating func beginProgramme(_ component: UInt64) {}

    public mutating func effectSize(median: Double, sigma: Double) -> Double { median }

    public mutating func completion(cancelProbability: Double, delayMeanMonths: Double) -> (delay: Int, weight: Double)? {
        (Int((delayMeanMonths + 0.5).rounded(.down)), 1 - cancelProbability)
    }

    public mutating func poisson(_ source: CountSource, mean: Double) -> Double { mean }

    public mutating func binomial(_ source: CountSource, trials: Double, probability: Double) -> Double {
        trials * probability
    }
}
