import Foundation
import LiaoCore
import Testing

// Moment checks use the closed-form mean and variance of each distribution
// and a tolerance of 5 Monte Carlo standard errors (see SamplerTestSupport).

@Suite struct ContinuousSamplerTests {
    static let draws = 400_000

    /// One million standard normals: mean, variance and fourth moment (3, SE
    /// √(96/N) since E Z⁸ = 105), and a χ² fit on 0.25-wide bins over ±4 with
    /// extra edges at ±r ≈ ±3.654, where the ziggurat's tail sampler takes over.
    @Test func standardNormalMatchesMomentsAndDistribution() {
        let sample = SamplerSample(count: 1_000_000, seed: 0x4E4F_524D) { $0.standardNormal() }
        expectMoments(sample, mean: 0, variance: 1, "standard normal")
        let fourth = sample.values.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(sample.count)
        #expect(abs(fourth - 3) <= 5 * (96 / Double(sample.count)).squareRoot(), "E Z⁴ = \(fourth)")
        var edges = stride(from: -4.0, through: 4.0, by: 0.25).map { $0 }
        edges += [-3.654152885361009, 3.654152885361009]
        edges.sort()
        expectContinuousFit(sample, cdf: referenceNormalCDF, edges: edges, "standard normal")
        let beyondTail = sample.values.reduce(0) { $0 + (abs($1) > 3.654152885361009 ? 1 : 0) }
        expectProportion(beyondTail, of: sample.count, probability: 2 * referenceNormalCDF(-3.654152885361009), "|Z| > r")
    }

    @Test func normalMatchesMeanAndVariance() {
        let sample = SamplerSample(count: Self.draws, seed: 101) { $0.normal(mean: 3, sd: 2) }
        expectMoments(sample, mean: 3, variance: 4, "normal(3, 2)")
        var stream = RandomStream(seed: 1)
        #expect(stream.normal(mean: 7.5, sd: 0) == 7.5)
    }

    @Test func lognormalMatchesMeanAndVariance() {
        let median = 2.0
        let sigma = 0.5
        let s2 = sigma * sigma
        let sample = SamplerSample(count: Self.draws, seed: 102) { $0.lognormal(median: median, sigma: sigma) }
        expectMoments(
            sample, mean: median * exp(s2 / 2), variance: median * median * exp(s2) * (exp(s2) - 1),
            "lognormal(2, 0.5)")
        #expect(sample.values.allSatisfy { $0 > 0 })
        let belowMedian = sample.values.reduce(0) { $0 + ($1 < median ? 1 : 0) }
        expectProportion(belowMedian, of: sample.count, probability: 0.5, "lognormal below median")
    }

    @Test(arguments: [0.2, 0.5, 1.0, 5.0, 30.0])
    func gammaMatchesMeanAndVariance(shape: Double) {
        let sample = SamplerSample(count: Self.draws, seed: 103 &+ UInt64(shape * 1000)) { $0.gamma(shape: shape) }
        expectMoments(sample, mean: shape, variance: shape, "gamma(\(shape))")
        #expect(sample.values.allSatisfy { $0 >= 0 })
        if shape == 1 {
            // Gamma(1) is Exponential(1): P(X > 1) = e⁻¹.
            let above = sample.values.reduce(0) { $0 + ($1 > 1 ? 1 : 0) }
            expectProportion(above, of: sample.count, probability: exp(-1), "gamma(1) above 1")
        }
    }

    @Test(arguments: [(14.0, 6.0), (2.0, 4.0), (7.0, 1.25), (2.5, 2.5), (54.0, 44.0), (0.5, 0.5)])
    func betaMatchesMeanAndVariance(a: Double, b: Double) {
        let sample = SamplerSample(count: Self.draws, seed: 104 &+ UInt64(a * 100 + b)) { $0.beta(a: a, b: b) }
        let total = a + b
        expectMoments(sample, mean: a / total, variance: a * b / (total * total * (total + 1)), "beta(\(a), \(b))")
        #expect(sample.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func uniformMatchesMeanVarianceAndRange() {
        let sample = SamplerSample(count: Self.draws, seed: 105) { $0.uniform(low: -2, high: 5) }
        expectMoments(sample, mean: 1.5, variance: 49.0 / 12, "uniform(-2, 5)")
        #expect(sample.values.allSatisfy { $0 >= -2 && $0 < 5 })
        var stream = RandomStream(seed: 2)
        #expect(stream.uniform(low: 4, high: 4) == 4)
    }

    @Test(arguments: [(1.0, 2.0, 6.0), (0.0, 0.0, 1.0), (0.0, 1.0, 1.0), (-5.0, 0.5, 2.0)])
    func triangularMatchesMomentsAndDistribution(low: Double, mode: Double, high: Double) {
        let sample = SamplerSample(count: Self.draws, seed: 106 &+ UInt64(bitPattern: Int64(low * 10 + mode))) {
            $0.triangular(low: low, mode: mode, high: high)
        }
        let mean = (low + mode + high) / 3
        let variance = (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18
        let label = "triangular(\(low), \(mode), \(high))"
        expectMoments(sample, mean: mean, variance: variance, label)
        #expect(sample.values.allSatisfy { $0 >= low && $0 <= high })
        let width = high - low
        func cdf(_ x: Double) -> Double {
            if x <= low { return 0 }
            if x >= high { return 1 }
            if x <= mode { return (x - low) * (x - low) / (width * (mode - low)) }
            return 1 - (high - x) * (high - x) / (width * (high - mode))
        }
        let edges = (1..<20).map { low + width * Double($0) / 20 }
        expectContinuousFit(sample, cdf: cdf, edges: edges, label)
    }

    @Test(arguments: [(10.0, 12.0, 20.0), (0.0, 0.0, 1.0), (0.0, 1.0, 1.0), (-3.0, 0.0, 3.0)])
    func pertMatchesMeanAndVariance(low: Double, mode: Double, high: Double) {
        let sample = SamplerSample(count: Self.draws, seed: 107 &+ UInt64(bitPattern: Int64(low * 10 + mode))) {
            $0.pert(low: low, mode: mode, high: high)
        }
        let width = high - low
        let alpha = 1 + 4 * (mode - low) / width
        let beta = 1 + 4 * (high - mode) / width
        let mean = (low + 4 * mode + high) / 6
        let variance = width * width * alpha * beta / (36 * 7)
        expectMoments(sample, mean: mean, variance: variance, "pert(\(low), \(mode), \(high))")
        #expect(sample.values.allSatisfy { $0 >= low && $0 <= high })
    }
}
