import Foundation
import LiaoCore
import Testing

// Shared statistical checks for the sampler tests. Every tolerance is a fixed
// multiple of a Monte Carlo standard error, and every sample uses an explicit
// seed, so the tests are deterministic.

/// How many standard errors a sample statistic may differ from its exact value.
let samplerToleranceInStandardErrors = 5.0

/// A sample of draws with its mean, unbiased variance and fourth central moment.
struct SamplerSample {
    let values: [Double]
    let mean: Double
    let variance: Double
    let fourthCentralMoment: Double

    var count: Int { values.count }

    init(count: Int, seed: UInt64, draw: (inout RandomStream) -> Double) {
        var stream = RandomStream(seed: seed)
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(draw(&stream))
        }
        let n = Double(count)
        let mean = values.reduce(0, +) / n
        var sum2 = 0.0
        var sum4 = 0.0
        for x in values {
            let d = (x - mean) * (x - mean)
            sum2 += d
            sum4 += d * d
        }
        self.values = values
        self.mean = mean
        self.variance = sum2 / (n - 1)
        self.fourthCentralMoment = sum4 / n
    }

    /// Number of draws equal to `value`.
    func frequency(of value: Int) -> Int {
        let target = Double(value)
        return values.reduce(0) { $0 + ($1 == target ? 1 : 0) }
    }
}

/// Checks the sample mean against `mean` within 5 standard errors
/// √(variance/N), and the sample variance against `variance` within 5
/// standard errors √((μ₄ − s⁴)/N), μ₄ being the sample's fourth central moment
/// (the asymptotic standard error of a sample variance).
func expectMoments(
    _ sample: SamplerSample, mean: Double, variance: Double, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let n = Double(sample.count)
    let k = samplerToleranceInStandardErrors
    let meanSE = (variance / n).squareRoot()
    #expect(
        abs(sample.mean - mean) <= k * meanSE,
        "\(label): mean \(sample.mean), expected \(mean) ± \(k) × \(meanSE)",
        sourceLocation: sourceLocation)
    let varianceSE = ((sample.fourthCentralMoment - sample.variance * sample.variance) / n).squareRoot()
    #expect(
        abs(sample.variance - variance) <= k * varianceSE,
        "\(label): variance \(sample.variance), expected \(variance) ± \(k) × \(varianceSE)",
        sourceLocation: sourceLocation)
}

/// Checks that `observed` of `total` draws hit an event of probability `p`,
/// within 5 binomial standard errors √(p(1 − p)/N) of the proportion.
func expectProportion(
    _ observed: Int, of total: Int, probability p: Double, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let n = Double(total)
    let se = (p * (1 - p) / n).squareRoot()
    let proportion = Double(observed) / n
    #expect(
        abs(proportion - p) <= samplerToleranceInStandardErrors * se,
        "\(label): proportion \(proportion), expected \(p) ± \(samplerToleranceInStandardErrors) × \(se)",
        sourceLocation: sourceLocation)
}

/// Upper bound for a χ² statistic with `df` degrees of freedom: the
/// Wilson–Hilferty approximation of the quantile at z = 5 (exceeded by chance
/// with probability about 3e−7).
func chiSquareBound(degreesOfFreedom df: Int) -> Double {
    let d = Double(df)
    let t = 1 - 2 / (9 * d) + 5 * (2 / (9 * d)).squareRoot()
    return d * t * t * t
}

/// Pearson χ² goodness of fit of integer draws to `pmf` on 0, 1, 2, ….
/// Values whose expected count is at least 20 get a bin each; the values below
/// and above them form one tail bin each (merged into the neighbouring bin when
/// its expected count is below 5). `scanLimit` bounds the values examined.
func expectDiscreteFit(
    _ sample: SamplerSample, pmf: (Int) -> Double, scanLimit: Int, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let n = Double(sample.count)
    var counts = [Int: Int]()
    for x in sample.values {
        counts[Int(x), default: 0] += 1
    }
    var expected = [Double]()
    var observed = [Double]()
    var lowTailExpected = 0.0
    var lowTailObserved = 0.0
    var lastBinned = -1
    for k in 0...scanLimit {
        let e = n * pmf(k)
        if e >= 20 {
            expected.append(e)
            observed.append(Double(counts[k, default: 0]))
            lastBinned = k
        } else if expected.isEmpty {
            lowTailExpected += e
            lowTailObserved += Double(counts[k, default: 0])
        }
    }
    guard lastBinned >= 0 else {
        Issue.record("\(label): no value has an expected count of 20", sourceLocation: sourceLocation)
        return
    }
    // Unimodal pmfs only: every value above the binned run is in the high tail.
    let highTailExpected = max(n - lowTailExpected - expected.reduce(0, +), 0)
    let highTailObserved = Double(sample.values.reduce(0) { $0 + (Int($1) > lastBinned ? 1 : 0) })
    if lowTailExpected >= 5 {
        expected.insert(lowTailExpected, at: 0)
        observed.insert(lowTailObserved, at: 0)
    } else {
        expected[0] += lowTailExpected
        observed[0] += lowTailObserved
    }
    if highTailExpected >= 5 {
        expected.append(highTailExpected)
        observed.append(highTailObserved)
    } else {
        expected[expected.count - 1] += highTailExpected
        observed[observed.count - 1] += highTailObserved
    }
    expectChiSquare(observed: observed, expected: expected, label, sourceLocation: sourceLocation)
}

/// Pearson χ² test of observed bin counts against expected counts.
func expectChiSquare(
    observed: [Double], expected: [Double], _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var statistic = 0.0
    for (o, e) in zip(observed, expected) {
        statistic += (o - e) * (o - e) / e
    }
    let df = expected.count - 1
    let bound = chiSquareBound(degreesOfFreedom: max(df, 1))
    #expect(
        statistic <= bound,
        "\(label): χ² = \(statistic) with \(df) degrees of freedom exceeds \(bound)",
        sourceLocation: sourceLocation)
}

/// log(k!) for k = 0…n by running sums of log i: an implementation independent
/// of the library's Stirling-series version.
struct ReferenceLogFactorials {
    private let table: [Double]

    init(upTo n: Int) {
        var table = [0.0]
        table.reserveCapacity(n + 1)
        var sum = 0.0
        for i in stride(from: 1, through: n, by: 1) {
            sum += log(Double(i))
            table.append(sum)
        }
        self.table = table
    }

    subscript(k: Int) -> Double { table[k] }
}

/// Poisson pmf e^(−μ)μᵏ/k! from reference log-factorials.
func referencePoissonPMF(_ k: Int, mean: Double, logFactorials: ReferenceLogFactorials) -> Double {
    exp(-mean + Double(k) * log(mean) - logFactorials[k])
}

/// Binomial pmf C(n, k)pᵏ(1 − p)ⁿ⁻ᵏ from reference log-factorials.
func referenceBinomialPMF(_ k: Int, trials n: Int, probability p: Double, logFactorials: ReferenceLogFactorials) -> Double {
    guard k >= 0 && k <= n else { return 0 }
    let logChoose = logFactorials[n] - logFactorials[k] - logFactorials[n - k]
    return exp(logChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
}

/// Standard normal CDF Φ(x) = erfc(−x/√2)/2.
func referenceNormalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x / 2.0.squareRoot())
}

/// Pearson χ² goodness of fit of continuous draws to `cdf`, binned at `edges`
/// (ascending) plus the two unbounded end bins.
func expectContinuousFit(
    _ sample: SamplerSample, cdf: (Double) -> Double, edges: [Double], _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var observed = [Double](repeating: 0, count: edges.count + 1)
    for x in sample.values {
        // Index of the first edge above x.
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] <= x { low = middle + 1 } else { high = middle }
        }
        observed[low] += 1
    }
    let n = Double(sample.count)
    var expected = [Double]()
    var previous = 0.0
    for edge in edges {
        let c = cdf(edge)
        expected.append(n * (c - previous))
        previous = c
    }
    expected.append(n * (1 - previous))
    expectChiSquare(observed: observed, expected: expected, label, sourceLocation: sourceLocation)
}
