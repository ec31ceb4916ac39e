import Foundation
import LiaoCore
import Testing

// Each count sampler is checked on mean and variance (5 standard errors),
// on single pmf values such as P(X = 0) and P(X = mode) (5 binomial standard
// errors; these catch approximate methods), and by a χ² fit over the whole
// pmf. Reference pmfs use log-factorials summed term by term, independent of
// the library's Stirling series.

struct PoissonCase: Sendable, CustomTestStringConvertible {
    let mean: Double
    let seed: UInt64
    var testDescription: String { "mean \(mean)" }

    static let all: [PoissonCase] = [
        .init(mean: 0.08, seed: 201), .init(mean: 1.0 / 12, seed: 202), .init(mean: 0.75, seed: 203),
        .init(mean: 9.9, seed: 204), .init(mean: 10, seed: 205), .init(mean: 10.1, seed: 206),
        .init(mean: 130, seed: 207), .init(mean: 400, seed: 208), .init(mean: 5000, seed: 209),
    ]
}

struct BinomialCase: Sendable, CustomTestStringConvertible {
    let trials: Int
    let probability: Double
    let seed: UInt64
    var testDescription: String { "n \(trials), p \(probability)" }

    static let all: [BinomialCase] = [
        // Inversion (n·min(p, 1 − p) < 10).
        .init(trials: 30, probability: 0.003, seed: 301),
        .init(trials: 20, probability: 0.97, seed: 302),
        .init(trials: 19, probability: 0.5, seed: 303),
        .init(trials: 100_000, probability: 0.00009, seed: 304),
        // BTRS.
        .init(trials: 4000, probability: 0.01, seed: 305),
        .init(trials: 3000, probability: 0.01, seed: 306),
        .init(trials: 1500, probability: 0.5, seed: 307),
        .init(trials: 21, probability: 0.5, seed: 308),
        .init(trials: 50000, probability: 0.3, seed: 309),
        .init(trials: 100_000, probability: 0.7, seed: 310),
    ]
}

@Suite struct CountSamplerTests {
    static let draws = 400_000

    @Test(arguments: PoissonCase.all)
    func poissonMatchesMomentsAndPmf(_ c: PoissonCase) {
        let sample = SamplerSample(count: Self.draws, seed: c.seed) { Double($0.poisson(mean: c.mean)) }
        let label = "poisson(\(c.mean))"
        expectMoments(sample, mean: c.mean, variance: c.mean, label)
        let scanLimit = Int(c.mean + 20 * c.mean.squareRoot()) + 40
        let logFactorials = ReferenceLogFactorials(upTo: scanLimit)
        let pmf = { (k: Int) in referencePoissonPMF(k, mean: c.mean, logFactorials: logFactorials) }
        let mode = Int(c.mean.rounded(.down))
        expectProportion(sample.frequency(of: mode), of: sample.count, probability: pmf(mode), "\(label) P(X = \(mode))")
        if c.mean < 20 {
            expectProportion(sample.frequency(of: 0), of: sample.count, probability: exp(-c.mean), "\(label) P(X = 0)")
        }
        expectDiscreteFit(sample, pmf: pmf, scanLimit: scanLimit, label)
    }

    @Test(arguments: BinomialCase.all)
    func binomialMatchesMomentsAndPmf(_ c: BinomialCase) {
        let n = c.trials
        let p = c.probability
        let sample = SamplerSample(count: Self.draws, seed: c.seed) { Double($0.binomial(trials: n, probability: p)) }
        let label = "binomial(\(n), \(p))"
        let nd = Double(n)
        expectMoments(sample, mean: nd * p, variance: nd * p * (1 - p), label)
        #expect(sample.values.allSatisfy { $0 >= 0 && $0 <= nd })
        let logFactorials = ReferenceLogFactorials(upTo: n)
        let pmf = { (k: Int) in referenceBinomialPMF(k, trials: n, probability: p, logFactorials: logFactorials) }
        let mode = Int((nd + 1) * p)
        expectProportion(sample.frequency(of: mode), of: sample.count, probability: pmf(mode), "\(label) P(X = \(mode))")
        let zero = pmf(0)
        if zero > 1e-4 {
            expectProportion(sample.frequency(of: 0), of: sample.count, probability: zero, "\(label) P(X = 0)")
        }
        expectDiscreteFit(sample, pmf: pmf, scanLimit: n, label)
    }

    @Test(arguments: [(2.0, UInt64(401)), (3.0, 402), (6.0, 403), (0.1, 404)])
    func geometricMatchesMomentsAndPmf(mean d: Double, seed: UInt64) {
        let sample = SamplerSample(count: Self.draws, seed: seed) { Double($0.geometric(mean: d)) }
        Self.expectGeometric(sample, mean: d, "geometric(mean \(d))")
    }

    /// Moments, P(D = 0) and the whole pmf of a geometric sample with mean d.
    static func expectGeometric(_ sample: SamplerSample, mean d: Double, _ label: String) {
        expectMoments(sample, mean: d, variance: d * (1 + d), label)
        let q = d / (1 + d)
        let pmf = { (k: Int) in (1 - q) * pow(q, Double(k)) }
        expectProportion(sample.frequency(of: 0), of: sample.count, probability: 1 - q, "\(label) P(D = 0)")
        expectDiscreteFit(sample, pmf: pmf, scanLimit: 600, label)
    }

    /// Project delays in a Monte Carlo run come from a table of powers of q
    /// (a logarithm only beyond 32): the same geometric distribution. A mean
    /// of 20 puts a fifth of the draws past the table.
    @Test(arguments: [(2.0, UInt64(411)), (6.0, 412), (20.0, 413)])
    func tabulatedDelaysAreGeometric(mean d: Double, seed: UInt64) {
        var draws = RandomDraws(seed: seed, run: 0)
        draws.beginProgramme(77)
        let sample = SamplerSample(count: Self.draws, seed: seed) { _ in
            Double(draws.completion(cancelProbability: 0, delayMeanMonths: d)!.delay)
        }
        Self.expectGeometric(sample, mean: d, "project delay (mean \(d))")
    }

    @Test func bernoulliMatchesProbability() {
        var stream = RandomStream(seed: 501)
        let count = Self.draws
        let hits = (0..<count).reduce(0) { total, _ in total + (stream.bernoulli(0.3) ? 1 : 0) }
        expectProportion(hits, of: count, probability: 0.3, "bernoulli(0.3)")
    }

    @Test func degenerateParametersGiveTheirOnlyValue() {
        var stream = RandomStream(seed: 502)
        for _ in 0..<1000 {
            #expect(stream.poisson(mean: 0) == 0)
            #expect(stream.binomial(trials: 0, probability: 0.4) == 0)
            #expect(stream.binomial(trials: 50, probability: 0) == 0)
            #expect(stream.binomial(trials: 50, probability: 1) == 50)
            #expect(stream.binomial(trials: 100_000, probability: 1) == 100_000)
            #expect(stream.geometric(mean: 0) == 0)
            #expect(stream.bernoulli(0) == false)
            #expect(stream.bernoulli(1) == true)
        }
    }

    /// Means large enough to stress the rejection samplers' range handling.
    @Test func largeMeansStayInRangeAndNearTheMean() {
        var stream = RandomStream(seed: 503)
        for _ in 0..<2000 {
            let x = stream.poisson(mean: 1e9)
            #expect(abs(Double(x) - 1e9) < 10 * 1e9.squareRoot())
            let y = stream.binomial(trials: Int(Int32.max), probability: 0.25)
            #expect(y >= 0 && y <= Int(Int32.max))
        }
    }
}
