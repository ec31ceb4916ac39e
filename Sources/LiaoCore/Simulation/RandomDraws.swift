import Foundation

/// Draws for run `run` of a batch with seed `seed`. Each component draws from
/// its own substream, derived from (seed, run, component name) alone, so a
/// run's draws never depend on threads, shards or the other components a
/// scenario has: two scenarios that differ in one instrument share every
/// other draw of the same run (common random numbers).
///
/// A worker keeps one value and moves it from run to run with `startRun`, so
/// that set-up computed from a distribution's arguments (geometric delay
/// tables, the count samplers' starting probabilities) is reused. That set-up
/// depends only on the arguments, never on earlier draws, so a run's draws
/// are the same whichever runs came before it.
public struct RandomDraws: Draws {
    public let seed: UInt64
    public private(set) var run: UInt64
    /// The (seed, run) part of every substream seed of this run, computed once
    /// (see `StreamSeed`); a component's stream then costs one finaliser plus
    /// the state expansion.
    private var runKey: UInt64
    private var programme: RandomStream
    /// The geometric delay distribution of the last delay mean asked for (the
    /// units of a programme share it), and recent ones for other programmes.
    private var delays = GeometricDelayTable()
    private var recentDelays: [GeometricDelayTable] = []
    // One stream per counting process (`CountSource`), held inline so a run
    // allocates nothing.
    private var upgrades: CountStream
    private var delistings: CountStream
    private var recruits: CountStream
    private var attrition: CountStream
    private var newFirms: CountStream
    /// Latin hypercube and copula settings; nil for plain independent draws.
    private let sampling: ParameterSampling?
    /// `Keys.parameters`, held here: a global is reached through a
    /// lazy-initialisation check on every access.
    private let parameterKeys: [UInt64] = Keys.parameters
    /// The copula parameters' values of this run, drawn together on first use.
    private var copulaValues: [Double] = []

    /// How many delay tables are kept for reuse.
    private static let recentDelayLimit = 16

    /// Substream ids of the fixed components.
    public enum Components {
        public static let shocks = ComponentName.id("shocks.common")
        public static let noise: [UInt64] = Sector.allCases.map { ComponentName.id("shocks.noise.\($0.key)") }
        public static let parameters: [UInt64] = ParameterCatalog.all.map { ComponentName.id("param.\($0.key)") }
        public static let counts: [UInt64] = CountSource.allCases.map { ComponentName.id($0.componentName) }
    }

    /// The component halves of the substream seeds of the fixed components
    /// (`StreamSeed.componentKey`), computed once per process.
    private enum Keys {
        static let shocks = StreamSeed.componentKey(Components.shocks)
        static let noise = SIMD4<UInt64>(Components.noise.map(StreamSeed.componentKey))
        static let parameters: [UInt64] = Components.parameters.map(StreamSeed.componentKey)
        /// By `CountSource` raw value, in a vector rather than an array: a
        /// global array would be retained and released by every run, and its
        /// reference count is shared by all workers.
        static let counts: SIMD8<UInt64> = {
            var keys = SIMD8<UInt64>()
            for (i, id) in Components.counts.enumerated() { keys[i] = StreamSeed.componentKey(id) }
            return keys
        }()
        static let programme = StreamSeed.componentKey(0)
    }

    public init(seed: UInt64, run: UInt64, sampling: ParameterSampling? = nil) {
        self.seed = seed
        self.run = run
        self.sampling = sampling.flatMap { $0.isPlain ? nil : $0 }
        runKey = 0
        programme = RandomStream(seed: 0)
        upgrades = CountStream()
        delistings = CountStream()
        recruits = CountStream()
        attrition = CountStream()
        newFirms = CountStream()
        startRun(run)
    }

    /// Moves to run `run` of the same batch: every stream restarts from that
    /// run's substream seeds.
    public mutating func startRun(_ run: UInt64) {
        self.run = run
        runKey = StreamSeed.runKey(seed: seed, run: run)
        let counts = Keys.counts
        programme = stream(componentKey: Keys.programme)
        upgrades.stream = stream(componentKey: counts[CountSource.hotelUpgrades.rawValue])
        delistings.stream = stream(componentKey: counts[CountSource.hotelDelistings.rawValue])
        recruits.stream = stream(componentKey: counts[CountSource.householdRecruits.rawValue])
        attrition.stream = stream(componentKey: counts[CountSource.householdAttrition.rawValue])
        newFirms.stream = stream(componentKey: counts[CountSource.householdNewFirms.rawValue])
        copulaValues.removeAll(keepingCapacity: true)
    }

    /// The stream of a component of this run, from the component's key.
    @inline(__always)
    private func stream(componentKey: UInt64) -> RandomStream {
        RandomStream(seed: StreamSeed.combine(runKey: runKey, componentKey: componentKey))
    }

    public mutating func parameter(_ id: ParameterID, _ distribution: Distribution) -> Double {
        if case .fixed(let v) = distribution { return v }
        guard let sampling else {
            var stream = stream(componentKey: parameterKeys[id.rawValue])
            return distribution.draw(&stream)
        }
        let k = sampling.copulaIndex[id.rawValue]
        if k < 0 {
            // Outside the copula, a plain random draw is made exactly as without
            // correlations, so adding a correlation changes only its own parameters'
            // draws (common random numbers for `compare`).
            guard sampling.mode == .lhs else {
                var stream = stream(componentKey: parameterKeys[id.rawValue])
                return distribution.draw(&stream)
            }
            return distribution.quantile(uniformScore(id, sampling))
        }
        if copulaValues.isEmpty {
            // Normal scores of every copula parameter, correlated, back to uniforms.
            let scores = sampling.copula.parameters.map { SpecialFunctions.normalQuantile(uniformScore($0, sampling)) }
            let correlated = sampling.copula.correlate(scores)
            copulaValues = zip(sampling.copula.parameters, correlated).map { id, z in
                sampling.distributions[id.rawValue].quantile(SpecialFunctions.normalCDF(z))
            }
        }
        return copulaValues[k]
    }

    /// A uniform in (0, 1) for a parameter: from its Latin hypercube stratum
    /// plus a uniform offset, or a plain uniform; from the parameter's substream.
    private func uniformScore(_ id: ParameterID, _ sampling: ParameterSampling) -> Double {
        var stream = stream(componentKey: parameterKeys[id.rawValue])
        let offset = stream.openUnit()
        guard sampling.mode == .lhs else { return offset }
        return (Double(sampling.stratum(id, run: run)) + offset) / Double(sampling.studyRuns)
    }

    public mutating func demandMultipliers(
        rho: Double, shockSD: Double, loadings: SIMD4<Double>, noiseSDs: SIMD4<Double>,
        into multipliers: inout [Double]
    ) {
        let months = SimCalendar.months
        precondition(multipliers.count >= Sector.count * months)
        var common = stream(componentKey: Keys.shocks)
        let noiseKeys = Keys.noise
        // Each sector's noise has its own stream, so drawing them month by
        // month (rather than sector by sector) gives the same numbers.
        var noise0 = stream(componentKey: noiseKeys[0])
        var noise1 = stream(componentKey: noiseKeys[1])
        var noise2 = stream(componentKey: noiseKeys[2])
        var noise3 = stream(componentKey: noiseKeys[3])
        let correction = 0.5 * (loadings * loadings * shockSD * shockSD + noiseSDs * noiseSDs)
        var previous = shockSD * common.standardNormal()
        let innovationSD = (1 - rho * rho).squareRoot() * shockSD
        multipliers.withUnsafeMutableBufferPointer { m in
            for t in 0..<months {
                previous = rho * previous + innovationSD * common.standardNormal()
                let noise = SIMD4(
                    noise0.standardNormal(), noise1.standardNormal(), noise2.standardNormal(), noise3.standardNormal())
                let multiplier = SpecialFunctions.exp4(loadings * previous + noiseSDs * noise - correction)
                m[t] = multiplier[0]
                m[months + t] = multiplier[1]
                m[2 * months + t] = multiplier[2]
                m[3 * months + t] = multiplier[3]
            }
        }
    }

    public mutating func beginProgramme(_ component: UInt64) {
        programme = stream(componentKey: StreamSeed.componentKey(component))
    }

    public mutating func effectSize(median: Double, sigma: Double) -> Double {
        programme.lognormal(median: median, sigma: sigma)
    }

    public mutating func completion(cancelProbability: Double, delayMeanMonths: Double) -> (delay: Int, weight: Double)? {
        useDelays(for: delayMeanMonths)
        return Self.unit(&programme, &delays, cancelProbability: cancelProbability, delayMeanMonths: delayMeanMonths)
            .map { ($0, 1) }
    }

    /// The units of a programme, with its stream held in a local for the
    /// loop. With a positive delay mean both draws are made for every unit,
    /// so unit i always uses the same positions of the programme's substream
    /// whatever the probabilities.
    public mutating func completions(
        count: Int, cancelProbability: Double, delayMeanMonths: Double, _ body: (_ delay: Int, _ weight: Double) -> Void
    ) {
        guard count > 0 else { return }
        var stream = programme
        defer { programme = stream }
        useDelays(for: delayMeanMonths)
        for _ in 0..<count {
            if let delay = Self.unit(&stream, &delays, cancelProbability: cancelProbability, delayMeanMonths: delayMeanMonths) {
                body(delay, 1)
            }
        }
    }

    /// One unit of a programme: its completion delay, or nil if cancelled.
    /// A positive delay mean takes two uniforms (the cancellation's, then the
    /// delay's, drawn even for a cancelled unit); otherwise the delay is 0
    /// (as `geometric(mean: d ≤ 0)`, which draws nothing) and one uniform.
    /// `delays` must be the table for a positive mean.
    @inline(__always)
    private static func unit(
        _ stream: inout RandomStream, _ delays: inout GeometricDelayTable, cancelProbability: Double, delayMeanMonths: Double
    ) -> Int? {
        let cancelled = stream.bernoulli(cancelProbability)
        guard delayMeanMonths > 0 else { return cancelled ? nil : 0 }
        if cancelled {
            _ = stream.next()  // the delay's uniform, not needed
            return nil
        }
        return delays.draw(&stream)
    }

    /// Makes `delays` the table of a positive delay mean (no table is needed otherwise).
    @inline(__always)
    private mutating func useDelays(for mean: Double) {
        if mean > 0 && mean != delays.mean { switchDelays(to: mean) }
    }

    /// Makes `delays` the table for `mean`, reusing a recent one if there is one.
    private mutating func switchDelays(to mean: Double) {
        if let recent = recentDelays.firstIndex(where: { $0.mean == mean }) {
            delays = recentDelays[recent]
            return
        }
        delays = GeometricDelayTable(mean: mean)
        if recentDelays.count == Self.recentDelayLimit { recentDelays.removeFirst() }
        recentDelays.append(delays)
    }

    /// Counts from 2^52 up (and non-finite arguments, which only absurd
    /// levers or parameters give) are not drawn by the exact samplers, whose
    /// results are whole numbers below 2^62: see `CountStream.approximate`.
    static let largestExactCount = 0x1p52

    @inline(__always)
    public mutating func poisson(_ source: CountSource, mean: Double) -> Double {
        guard mean < Self.largestExactCount else { return approximateCount(source, mean: mean, variance: mean, cap: .infinity) }
        return switch source {
        case .hotelUpgrades: upgrades.poisson(mean: mean)
        case .hotelDelistings: delistings.poisson(mean: mean)
        case .householdRecruits: recruits.poisson(mean: mean)
        case .householdAttrition: attrition.poisson(mean: mean)
        case .householdNewFirms: newFirms.poisson(mean: mean)
        }
    }

    @inline(__always)
    public mutating func binomial(_ source: CountSource, trials: Double, probability: Double) -> Double {
        guard trials < Self.largestExactCount else {
            return approximateCount(
                source, mean: trials * probability, variance: trials * probability * (1 - probability), cap: trials)
        }
        let n = Int(trials)
        return switch source {
        case .hotelUpgrades: upgrades.binomial(trials: n, probability: probability)
        case .hotelDelistings: delistings.binomial(trials: n, probability: probability)
        case .householdRecruits: recruits.binomial(trials: n, probability: probability)
        case .householdAttrition: attrition.binomial(trials: n, probability: probability)
        case .householdNewFirms: newFirms.binomial(trials: n, probability: probability)
        }
    }

    /// A count too large for the exact samplers, from the stream of `source`
    /// (see `CountStream.approximate`); out of line, as it is never needed
    /// by a sensible scenario.
    @inline(never)
    private mutating func approximateCount(_ source: CountSource, mean: Double, variance: Double, cap: Double) -> Double {
        switch source {
        case .hotelUpgrades: CountStream.approximate(mean: mean, variance: variance, cap: cap, &upgrades)
        case .hotelDelistings: CountStream.approximate(mean: mean, variance: variance, cap: cap, &delistings)
        case .householdRecruits: CountStream.approximate(mean: mean, variance: variance, cap: cap, &recruits)
        case .householdAttrition: CountStream.approximate(mean: mean, variance: variance, cap: cap, &attrition)
        case .householdNewFirms: CountStream.approximate(mean: mean, variance: variance, cap: cap, &newFirms)
        }
    }
}

/// The substream of one counting process and the set-up of its last
/// Poisson and binomial distributions.
private struct CountStream {
    var stream = RandomStream(seed: 0)
    var poissonSetup = CountSetup()
    var binomialSetup = CountSetup()

    @inline(__always)
    mutating func poisson(mean: Double) -> Double {
        Double(stream.poisson(mean: mean, setup: &poissonSetup))
    }

    @inline(__always)
    mutating func binomial(trials n: Int, probability: Double) -> Double {
        Double(stream.binomial(trials: n, probability: probability, setup: &binomialSetup))
    }

    /// A count with 2^52 trials or a mean of 2^52 or more, or a non-finite
    /// mean: the normal approximation with the count's mean and variance,
    /// rounded and kept within [0, cap]. The exact samplers do not reach such
    /// sizes, and only an absurd lever or parameter gives them. NaN and
    /// infinite means come back as they are, so the run's metrics show them
    /// as not numbers or infinite instead of the run stopping.
    static func approximate(mean: Double, variance: Double, cap: Double, _ counts: inout CountStream) -> Double {
        guard mean.isFinite && variance.isFinite else { return mean }
        let draw = (mean + variance.squareRoot() * counts.stream.standardNormal()).rounded()
        return min(max(draw, 0), cap)
    }
}
