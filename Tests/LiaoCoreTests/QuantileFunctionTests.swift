import Foundation
import LiaoCore
import Testing

// Reference values were computed with 40-digit arithmetic. Tolerances are
// explicit: relative ones where the function is computed to relative
// accuracy (lower tails), absolute ones near 1.

/// |actual − expected| ≤ tolerance·|expected|.
private func expectRelative(
    _ actual: Double, _ expected: Double, _ tolerance: Double, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = abs(actual - expected)
    #expect(error <= tolerance * abs(expected), "\(label): \(actual) vs \(expected)", sourceLocation: sourceLocation)
}

/// Probabilities from 1e−9 to 1 − 1e−9, dense in the middle and spread
/// logarithmically into both tails.
private let probabilityGrid: [Double] = {
    var grid = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.005]
    grid += stride(from: 0.01, through: 0.99, by: 0.01).map { $0 }
    grid += [0.995, 1 - 1e-3, 1 - 1e-4, 1 - 1e-5, 1 - 1e-6, 1 - 1e-7, 1 - 1e-8, 1 - 1e-9]
    return grid
}()

/// The shapes the beta sampler tests use, from skewed to U-shaped.
private let betaShapes: [(Double, Double)] = [(14, 6), (2, 4), (7, 1.25), (2.5, 2.5), (54, 44), (0.5, 0.5)]

/// One distribution of each kind, with a tolerance scale (its spread).
private let everyDistribution: [(Distribution, scale: Double)] = [
    (.normal(mean: 0.05, sd: 0.015), 0.015),
    (.normal(mean: -3, sd: 20), 20),
    (.lognormal(median: 2, sigma: 0.5), 2),
    (.lognormal(median: 150_000, sigma: 1.2), 150_000),
    (.beta(a: 14, b: 6), 1),
    (.beta(a: 0.5, b: 0.5), 1),
    (.uniform(low: -1, high: 3), 4),
    (.triangular(low: 0.1, mode: 0.3, high: 0.8), 0.7),
    (.triangular(low: 2, mode: 2, high: 5), 3),
    (.triangular(low: 2, mode: 5, high: 5), 3),
    (.pert(low: 0.1, mode: 0.3, high: 0.8), 0.7),
    (.pert(low: 100, mode: 100, high: 250), 150),
    (.pert(low: -5, mode: 4.5, high: 5), 10),
]

@Suite struct QuantileFunctionTests {
    // MARK: Normal

    @Test func normalQuantileMatchesKnownValues() {
        let f = SpecialFunctions.normalQuantile
        expectRelative(f(0.975), 1.959963984540054, 1e-15, "Φ⁻¹(0.975)")
        expectRelative(f(0.025), -1.959963984540054, 1e-15, "Φ⁻¹(0.025)")
        expectRelative(f(1e-10), -6.361340902404056, 1e-15, "Φ⁻¹(1e−10)")
        expectRelative(f(1e-300), -37.04709629936120, 1e-15, "Φ⁻¹(1e−300)")
        #expect(f(0.5) == 0)
        #expect(f(0) == -.infinity)
        #expect(f(1) == .infinity)
        #expect(f(-0.1).isNaN && f(1.5).isNaN && f(.nan).isNaN)
    }

    /// Exactly odd wherever 1 − p is exact (here dyadic p).
    @Test func normalQuantileIsOddAboutOneHalf() {
        var ps = (2...52).map { 1 / pow(2, Double($0)) }
        ps += (1..<512).map { Double($0) / 1024 }
        for p in ps {
            #expect(SpecialFunctions.normalQuantile(p) == -SpecialFunctions.normalQuantile(1 - p), "Φ⁻¹ at \(p)")
        }
    }

    @Test func normalCDFIsAccurateInTheLowerTail() {
        let f = SpecialFunctions.normalCDF
        expectRelative(f(-8), 6.220960574271784e-16, 1e-15, "Φ(−8)")
        expectRelative(f(-20), 2.753624118606234e-89, 1e-15, "Φ(−20)")
        expectRelative(f(-37.5), 4.605353009581955e-308, 1e-14, "Φ(−37.5)")
        #expect(f(0) == 0.5)
        #expect(abs(f(1.959963984540054) - 0.975) <= 2e-16)
        #expect(f(-.infinity) == 0 && f(.infinity) == 1 && f(.nan).isNaN)
    }

    @Test func normalCDFInvertsTheQuantile() {
        var ps = probabilityGrid
        ps += [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-15, 0.5 - 1e-12, 0.5 + 1e-12]
        for p in ps {
            let z = SpecialFunctions.normalQuantile(p)
            // A relative error e in z moves log Φ by about z²·e.
            let round = SpecialFunctions.normalCDF(z)
            if p <= 0.5 {
                expectRelative(round, p, 4e-16 * (4 + z * z), "Φ(Φ⁻¹(\(p)))")
            } else {
                #expect(abs(round - p) <= 4e-16, "Φ(Φ⁻¹(\(p))) = \(round)")
            }
        }
    }

    // MARK: Gamma and beta functions

    @Test func logGammaMatchesKnownValues() {
        let f = SpecialFunctions.logGamma
        // Below 10 the error is absolute, a few ulps of log Γ(10) ≈ 12.8.
        #expect(f(1) == 0 && f(2) == 0)
        #expect(abs(f(0.5) - 0.5723649429247001) <= 5e-15)
        #expect(abs(f(0.05) - 2.968879201051731) <= 5e-15)
        #expect(abs(f(2.5) - 0.2846828704729192) <= 5e-15)
        #expect(abs(f(9.5) - 11.68933342079727) <= 5e-15)
        expectRelative(f(10), log(362_880.0), 1e-15, "log Γ(10)")
        expectRelative(f(10_000), 82_099.71749644238, 1e-15, "log Γ(10⁴)")
        expectRelative(f(1e6), 12_815_504.56914761, 1e-15, "log Γ(10⁶)")
        #expect(f(0) == .infinity && f(-1).isNaN)
    }

    @Test func logBetaMatchesKnownValues() {
        let f = SpecialFunctions.logBeta
        #expect(abs(f(2, 3) - log(1.0 / 12)) <= 1e-15)
        #expect(abs(f(2.5, 2.5) - -2.608688089402107) <= 1.5e-14)
        #expect(abs(f(0.5, 10_000) - -4.032792743063396) <= 4e-15)
        #expect(abs(f(10_000, 0.5) - -4.032792743063396) <= 4e-15)
        // One ulp of the value is 1.8e−12.
        #expect(abs(f(10_000, 10_000) - -13_866.28325676141) <= 4e-12)
    }

    @Test func incompleteBetaMatchesKnownValues() {
        let f = SpecialFunctions.regularizedIncompleteBeta
        #expect(abs(f(0.5, 2, 3) - 0.6875) <= 1e-15)
        expectRelative(f(0.3, 14, 6), 1.083721174853544e-4, 1e-14, "I₀.₃(14, 6)")
        expectRelative(f(0.9, 0.5, 0.5), 0.7951672353008666, 1e-14, "I₀.₉(½, ½)")
        expectRelative(f(0.2, 2.5, 2.5), 0.07718862524220671, 1e-14, "I₀.₂(2.5, 2.5)")
        expectRelative(f(0.6, 54, 44), 0.8350920817255131, 1e-14, "I₀.₆(54, 44)")
        expectRelative(1 - f(0.4, 44, 54), 0.8350920817255131, 1e-14, "1 − I₀.₄(44, 54)")
        expectRelative(f(1e-3, 0.05, 10_000), 0.9999997606042063, 1e-15, "I(0.05, 10⁴)")
        // Closed forms: Beta(1, 1) is uniform, Beta(a, 1) is xᵃ.
        #expect(abs(f(0.37, 1, 1) - 0.37) <= 1e-16)
        expectRelative(f(0.37, 3.5, 1), pow(0.37, 3.5), 1e-15, "I(3.5, 1)")
        #expect(abs(f(0.5, 7.3, 7.3) - 0.5) <= 5e-15)
        #expect(f(0, 2, 3) == 0 && f(1, 2, 3) == 1 && f(-1, 2, 3) == 0 && f(2, 2, 3) == 1)
        #expect(f(0.5, 0, 3).isNaN && f(.nan, 2, 3).isNaN)
    }

    // MARK: Beta quantiles

    /// cdf(quantile(u)) = u within 1e−10 absolute, or, where no double is
    /// that close (Beta(½, ½) at 1 − 1e−9 has its quantile 2.5e−18 below 1),
    /// the quantile brackets u within one ulp.
    @Test(arguments: betaShapes)
    func betaQuantileInvertsTheCDF(a: Double, b: Double) {
        for u in probabilityGrid {
            let x = SpecialFunctions.inverseRegularizedIncompleteBeta(u, a: a, b: b)
            let round = SpecialFunctions.regularizedIncompleteBeta(x, a: a, b: b)
            let bracketed = SpecialFunctions.regularizedIncompleteBeta(x.nextDown, a: a, b: b) <= u
                && u <= SpecialFunctions.regularizedIncompleteBeta(x.nextUp, a: a, b: b)
            #expect(abs(round - u) <= 1e-10 || bracketed, "Beta(\(a), \(b)) at \(u): x = \(x), I = \(round)")
            // The smaller tail to relative accuracy: u itself for u ≤ ½, the
            // mirrored Beta(b, a) at 1 − u otherwise.
            let small = min(u, 1 - u)
            let (p, q) = u <= 0.5 ? (a, b) : (b, a)
            let t = SpecialFunctions.inverseRegularizedIncompleteBeta(small, a: p, b: q)
            expectRelative(
                SpecialFunctions.regularizedIncompleteBeta(t, a: p, b: q), small, 1e-11,
                "Beta(\(p), \(q)) small tail \(small)")
        }
    }

    /// Shapes from 0.05 to 10⁴, checked on the smaller tail (through the
    /// mirrored shape above ½): near 1 these quantiles sit within 1e−24 of 1,
    /// closer than doubles can resolve, but 1 − x is found to full precision.
    @Test func betaQuantileCoversExtremeShapes() {
        let shapes: [(Double, Double)] = [
            (0.05, 0.05), (0.05, 10_000), (10_000, 0.05), (10_000, 10_000), (1, 10_000), (200, 0.5),
        ]
        for (a, b) in shapes {
            for u in [1e-9, 1e-4, 0.1, 0.5, 0.9, 1 - 1e-4, 1 - 1e-9] {
                let small = min(u, 1 - u)
                // At ½ the orientation with p ≤ q, whose median is at most ½.
                let (p, q) = u < 0.5 || (u == 0.5 && a <= b) ? (a, b) : (b, a)
                let x = SpecialFunctions.inverseRegularizedIncompleteBeta(small, a: p, b: q)
                #expect(x > 0 && x < 1, "Beta(\(p), \(q)) at \(small): \(x)")
                // The CDF at 10⁴ is good to about 4e−12 relative.
                expectRelative(
                    SpecialFunctions.regularizedIncompleteBeta(x, a: p, b: q), small, 1e-10,
                    "Beta(\(p), \(q)) at \(small)")
            }
        }
        // Deep tails solve for log x: a root below the smallest subnormal is 0.
        #expect(SpecialFunctions.inverseRegularizedIncompleteBeta(1e-30, a: 0.05, b: 0.05) == 0)
        let deep = SpecialFunctions.inverseRegularizedIncompleteBeta(1e-300, a: 14, b: 6)
        expectRelative(SpecialFunctions.regularizedIncompleteBeta(deep, a: 14, b: 6), 1e-300, 1e-12, "I at 1e−300")
    }

    @Test func betaQuantileHasClosedFormsAtShapeOne() {
        let f = SpecialFunctions.inverseRegularizedIncompleteBeta
        expectRelative(f(0.3, 2.5, 1), pow(0.3, 1 / 2.5), 1e-15, "Beta(2.5, 1)")
        expectRelative(f(0.3, 1, 4), 1 - pow(0.7, 0.25), 1e-14, "Beta(1, 4)")
        #expect(abs(f(0.3, 1, 1) - 0.3) <= 1e-16)
        #expect(f(0, 2, 3) == 0 && f(1, 2, 3) == 1 && f(1.5, 2, 3).isNaN && f(0.5, -1, 3).isNaN)
    }

    // MARK: Distribution

    @Test func quantileInvertsCDFForEveryDistribution() {
        for (distribution, scale) in everyDistribution {
            for u in probabilityGrid {
                let v = distribution.quantile(u)
                let round = distribution.cdf(v)
                let bracketed = distribution.cdf(v.nextDown) <= u && u <= distribution.cdf(v.nextUp)
                #expect(abs(round - u) <= 1e-10 || bracketed, "\(distribution.display) at \(u): \(v) → \(round)")
            }
            // quantile(cdf(x)) = x across the central 99.8%.
            let low = distribution.quantile(0.001)
            let high = distribution.quantile(0.999)
            for k in 0...50 {
                let x = low + (high - low) * Double(k) / 50
                let round = distribution.quantile(distribution.cdf(x))
                #expect(abs(round - x) <= 1e-10 * scale, "\(distribution.display) at x = \(x): \(round)")
            }
        }
    }

    @Test func quantileEndsAreTheSupportEnds() {
        for (distribution, _) in everyDistribution {
            let support = distribution.support
            #expect(distribution.quantile(0) == support.low, "\(distribution.display) at 0")
            #expect(distribution.quantile(1) == support.high, "\(distribution.display) at 1")
            #expect(distribution.cdf(support.low) == 0, "\(distribution.display) cdf at low")
            #expect(distribution.cdf(support.high) == 1, "\(distribution.display) cdf at high")
            #expect(distribution.quantile(-0.01).isNaN && distribution.quantile(1.01).isNaN)
            #expect(distribution.quantile(.nan).isNaN && distribution.cdf(.nan).isNaN)
        }
        #expect(Distribution.normal(mean: 0, sd: 1).quantile(0) == -.infinity)
        #expect(Distribution.lognormal(median: 3, sigma: 0.4).quantile(0) == 0)
        #expect(Distribution.lognormal(median: 3, sigma: 0.4).quantile(1) == .infinity)
    }

    @Test func degenerateDistributionsAreSteps() {
        let cases: [(Distribution, Double)] = [
            (.fixed(2.5), 2.5), (.normal(mean: 2.5, sd: 0), 2.5), (.lognormal(median: 2.5, sigma: 0), 2.5),
        ]
        for (distribution, value) in cases {
            for u in [0.0, 1e-9, 0.5, 1] { #expect(distribution.quantile(u) == value, "\(distribution.display)") }
            #expect(distribution.cdf(value.nextDown) == 0 && distribution.cdf(value) == 1, "\(distribution.display)")
        }
    }

    @Test func closedFormQuantilesMatchKnownValues() {
        expectRelative(Distribution.normal(mean: 3, sd: 2).quantile(0.975), 3 + 2 * 1.959963984540054, 1e-15, "normal")
        expectRelative(
            Distribution.lognormal(median: 2, sigma: 0.5).quantile(0.975), 2 * exp(0.5 * 1.959963984540054), 1e-15,
            "lognormal")
        #expect(abs(Distribution.uniform(low: -1, high: 3).quantile(0.25) - 0) <= 1e-15)
        // Triangular(0, 1, 4): F(1) = 1/4; the median solves (4 − x)² = 6.
        #expect(abs(Distribution.triangular(low: 0, mode: 1, high: 4).quantile(0.25) - 1) <= 1e-15)
        #expect(abs(Distribution.triangular(low: 0, mode: 1, high: 4).quantile(0.5) - (4 - 6.0.squareRoot())) <= 1e-15)
        // PERT(0, 0.5, 1) is Beta(3, 3), symmetric about 1/2.
        #expect(abs(Distribution.pert(low: 0, mode: 0.5, high: 1).quantile(0.5) - 0.5) <= 1e-14)
    }

    /// ∫₀¹ q(u) du is the mean. The substitution u = t − sin(2πt)/(2π), with
    /// du/dt = 1 − cos 2πt, flattens both ends to third order, so the
    /// square-root and power behaviour of q there costs nothing and a
    /// 2000-point midpoint rule in t is accurate to about 1e−12 of the width.
    @Test func quantileIntegratesToTheMean() {
        func integratedMean(_ distribution: Distribution) -> Double {
            let n = 2000
            var sum = 0.0
            for i in 0..<n {
                let t = (Double(i) + 0.5) / Double(n)
                let u = t - sin(2 * Double.pi * t) / (2 * Double.pi)
                sum += distribution.quantile(u) * (1 - cos(2 * Double.pi * t))
            }
            return sum / Double(n)
        }
        let shapes: [(Double, Double, Double)] = [(0.1, 0.3, 0.8), (2, 2, 5), (2, 5, 5), (-5, 4.5, 5), (100, 120, 250)]
        for (low, mode, high) in shapes {
            let width = high - low
            let triangular = Distribution.triangular(low: low, mode: mode, high: high)
            let pert = Distribution.pert(low: low, mode: mode, high: high)
            let triangularMean = (low + mode + high) / 3
            let pertMean = (low + 4 * mode + high) / 6
            #expect(abs(integratedMean(triangular) - triangularMean) <= 1e-8 * width, "\(triangular.display)")
            #expect(abs(integratedMean(pert) - pertMean) <= 1e-8 * width, "\(pert.display)")
        }
        let beta = Distribution.beta(a: 2.5, b: 7)
        #expect(abs(integratedMean(beta) - 2.5 / 9.5) <= 1e-8, "\(beta.display)")
    }

    @Test func quantileIsMonotoneInU() {
        var us = stride(from: 0.0, through: 1.0, by: 1.0 / 4096).map { $0 }
        us += (-50...50).map { 0.5 + Double($0) * 1e-9 }
        us += probabilityGrid
        us.sort()
        for (distribution, _) in everyDistribution {
            let values = us.map(distribution.quantile)
            for i in 1..<values.count where values[i] < values[i - 1] {
                Issue.record("\(distribution.display): q(\(us[i])) = \(values[i]) < q(\(us[i - 1])) = \(values[i - 1])")
            }
        }
    }
}
