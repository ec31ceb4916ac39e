import Foundation

/// Draws for run `run` of a batch with seed `seed`. Each component draws from
/// its own substream, derived from (seed, run, component name) alone, so a
/// run's draws never depend on threads, shards or the other components a
/// scenario has: two scenarios that differ in one instrument share every
/// other draw of the same run (common random numbers).
public struct RandomDraws: Draws {
    public let seed: UInt64
    public let run: UInt64
    private var programme: RandomStream
    private var counts: [RandomStream]

    /// Substream ids of the fixed components.
    public enum Components {
        public static let shocks = ComponentName.id("shocks.common")
        public static let noise: [UInt64] = Sector.allCases.map { ComponentName.id("shocks.noise.\($0.key)") }
        public static let parameters: [UInt64] = ParameterCatalog.all.map { ComponentName.id("param.\($0.key)") }
        public static let counts: [UInt64] = CountSource.allCases.map { ComponentName.id($0.componentName) }
    }

    public init(seed: UInt64, run: UInt64) {
        self.seed = seed
        self.run = run
        programme = RandomStream(seed: seed, run: run, component: 0)
        counts = Components.counts.map { RandomStream(seed: seed, run: run, component: $0) }
    }

    public mutating func parameter(_ id: ParameterID, _ distribution: Distribution) -> Double {
        if case .fixed(let v) = distribution { return v }
        var stream = RandomStream(seed: seed, run: run, component: Components.parameters[id.rawValue])
        return distribution.draw(&stream)
    }

    public mutating func demandMultipliers(
        rho: Double, shockSD: Double, loadings: [Double], noiseSDs: [Double], into multipliers: inout [Double]
    ) {
        let months = SimCalendar.months
        var common = RandomStream(seed: seed, run: run, component: Components.shocks)
        var z = [Double](repeating: 0, count: months)
        var previous = shockSD * common.standardNormal()
        let innovationSD = (1 - rho * rho).squareRoot() * shockSD
        for t in 0..<months {
            previous = rho * previous + innovationSD * common.standardNormal()
            z[t] = previous
        }
        for s in 0..<Sector.count {
            var noise = RandomStream(seed: seed, run: run, component: Components.noise[s])
            let beta = loadings[s]
            let sigma = noiseSDs[s]
            let correction = 0.5 * (beta * beta * shockSD * shockSD + sigma * sigma)
            for t in 0..<months {
                multipliers[s * months + t] = exp(beta * z[t] + sigma * noise.standardNormal() - correction)
            }
        }
    }

    public mutating func beginProgramme(_ component: UInt64) {
        programme = RandomStream(seed: seed, run: run, component: component)
    }

    public mutating func effectSize(median: Double, sigma: Double) -> Double {
        programme.lognormal(median: median, sigma: sigma)
    }

    public mutating func completion(cancelProbability: Double, delayMeanMonths: Double) -> (delay: Int, weight: Double)? {
        // Both draws are made for every unit, so unit i always uses the same
        // positions of the programme's substream whatever the probabilities.
        let cancelled = programme.bernoulli(cancelProbability)
        let delay = programme.geometric(mean: delayMeanMonths)
        return cancelled ? nil : (delay, 1)
    }

    public mutating func poisson(_ source: CountSource, mean: Double) -> Double {
        Double(counts[source.rawValue].poisson(mean: mean))
    }

    public mutating func binomial(_ source: CountSource, trials: Double, probability: Double) -> Double {
        Double(counts[source.rawValue].binomial(trials: Int(trials), probability: probability))
    }
}
