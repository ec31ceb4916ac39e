import Foundation

extension RandomStream {
    /// True with probability p: `U < p` for one uniform U on [0, 1).
    /// Domain: 0 ≤ p ≤ 1 (p = 0 is never true, p = 1 always). Mean p.
    @inline(__always)
    public mutating func bernoulli(_ p: Double) -> Bool {
        unit() < p
    }

    /// Geometric count of failures before the first success, parameterised by
    /// its mean d: P(D = k) = (1 − q)·qᵏ, k = 0, 1, 2, …, with q = d/(1 + d).
    ///
    /// Domain: d ≥ 0 (d = 0 returns 0). Mean d, variance d(1 + d).
    /// Exact inversion: floor(log U / log q) with U uniform on (0, 1), and
    /// log q = −log1p(1/d) for accuracy when q is near 1. Results are capped at
    /// 2^62 (reached only for absurd means).
    public mutating func geometric(mean d: Double) -> Int {
        assert(d >= 0, "geometric mean must be >= 0")
        if d <= 0 { return 0 }
        return geometric(logQ: -log1p(1 / d))
    }

    /// The draw of `geometric(mean: d)` for d > 0, given log q = −log1p(1/d):
    /// for callers that draw many times with the same mean. Uses one uniform.
    public mutating func geometric(logQ: Double) -> Int {
        let x = log(openUnit()) / logQ  // positive, so Int(x) = ⌊x⌋
        return x < 0x1p62 ? Int(x) : 1 << 62
    }

    /// Poisson(mean): P(X = k) = e^(−mean)·meanᵏ/k!, k = 0, 1, 2, ….
    ///
    /// Domain: finite mean ≥ 0 (mean = 0 returns 0). Mean and variance `mean`.
    /// Exact in distribution (no approximation beyond floating-point rounding
    /// of the pmf, negligible for means below about 1e10): for mean < 10,
    /// inversion by sequential search from 0 (one `exp` and one uniform, about
    /// mean + 1 steps); for mean ≥ 10, Hörmann's PTRS transformed rejection
    /// (1993) — two uniforms per attempt, most attempts accepted by a squeeze,
    /// the rest decided by the exact log-pmf comparison.
    public mutating func poisson(mean: Double) -> Int {
        var setup = CountSetup()
        return poisson(mean: mean, setup: &setup)
    }

    /// `poisson(mean:)`, reusing the inversion's starting probability e^(−mean)
    /// from `setup` when the mean is the one it was computed for.
    mutating func poisson(mean: Double, setup: inout CountSetup) -> Int {
        assert(mean >= 0 && mean.isFinite, "poisson mean must be finite and >= 0")
        if mean < 10 {
            guard mean > 0 else { return 0 }
            if !setup.holds(mean, 0) { setup.remember(mean, 0, zeroProbability: exp(-mean)) }
            return poissonInversion(mean: mean, zeroProbability: setup.zeroProbability)
        }
        if !setup.holds(mean, 1) {
            let b = 0.931 + 2.53 * mean.squareRoot()
            setup.remember(mean, 1, constants: (b, -0.059 + 0.02483 * b, 0.9277 - 3.6224 / (b - 2)))
            setup.exactTest = (log(mean), 1.1239 + 1.1328 / (b - 3.4))
        }
        return poissonPTRS(
            mean: mean, b: setup.constants.0, a: setup.constants.1, vr: setup.constants.2,
            logMean: setup.exactTest.0, inverseAlpha: setup.exactTest.1)
    }

    /// Chop-down inversion: subtract pmf values from U until the remainder
    /// falls below the current pmf value. A search that passes k = 100 (which
    /// only floating-point rounding of the cumulative sum can cause, since
    /// P(X > 100) < 1e−90 for mean < 10) restarts with a new uniform.
    private mutating func poissonInversion(mean: Double, zeroProbability p0: Double) -> Int {
        let limit = 100
        while true {
            var u = unit()
            var p = p0
            var k = 0
            while u >= p && k < limit {
                u -= p
                k &+= 1
                p *= mean / Double(k)
            }
            if u < p { return k }
        }
    }

    /// PTRS (Hörmann 1993) for mean ≥ 10. With U uniform on (−½, ½),
    /// us = ½ − |U|, the candidate is k = ⌊(2a/us + b)·U + mean + 0.43⌋; it is
    /// accepted at once when us ≥ 0.07 and V ≤ v_r, and otherwise when
    /// log(V·α⁻¹/(a/us² + b)) ≤ −mean + k·log(mean) − log k!.
    /// `b`, `a` and `vr` are the constants above for this mean (b = 0.931 +
    /// 2.53·√mean, a = −0.059 + 0.02483·b, vr = 0.9277 − 3.6224/(b − 2)),
    /// and those of the exact test: log(mean) and α⁻¹ = 1.1239 + 1.1328/(b − 3.4).
    private mutating func poissonPTRS(mean: Double, b: Double, a: Double, vr: Double, logMean: Double, inverseAlpha: Double) -> Int {
        while true {
            let u = openUnit() - 0.5
            let v = openUnit()
            let us = 0.5 - abs(u)
            // k = ⌊x⌋; x < 0 means k < 0 (rejected), otherwise ⌊x⌋ = Int(x).
            let x = (2 * a / us + b) * u + mean + 0.43
            if !(x >= 0 && x < 0x1p62) { continue }
            let k = Int(x)
            if us >= 0.07 && v <= vr { return k }
            if us < 0.013 && v > us { continue }
            let us2 = us * us
            if log(v * inverseAlpha * us2 / (a + b * us2)) <= Double(k) * logMean - mean - logFactorial(k) {
                return k
            }
        }
    }

    /// Binomial(n, p): P(X = k) = C(n, k)·pᵏ(1 − p)ⁿ⁻ᵏ, k = 0…n.
    ///
    /// Domain: n ≥ 0, 0 ≤ p ≤ 1 (n = 0 or p = 0 returns 0; p = 1 returns n).
    /// Mean np, variance np(1 − p). Exact in distribution (up to floating-point
    /// rounding of the pmf; cost independent of n for np ≥ 10): with
    /// p' = min(p, 1 − p) (and X = n − Binomial(n, 1 − p) when p > ½), inversion
    /// by sequential search (under 11 steps on average) when n·p' < 10,
    /// otherwise Hörmann's BTRS transformed rejection (1993) with an exact pmf
    /// test for the attempts its squeeze does not settle.
    public mutating func binomial(trials n: Int, probability p: Double) -> Int {
        var setup = CountSetup()
        return binomial(trials: n, probability: p, setup: &setup)
    }

    /// `binomial(trials:probability:)`, reusing the inversion's starting
    /// probability (1 − p)ⁿ from `setup` when n and p are the ones it was computed for.
    mutating func binomial(trials n: Int, probability p: Double, setup: inout CountSetup) -> Int {
        assert(n >= 0 && p >= 0 && p <= 1, "binomial needs n >= 0 and 0 <= p <= 1")
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        let flip = p > 0.5
        let q = flip ? 1 - p : p  // 1 − p is exact for p ≥ ½
        let k: Int
        if Double(n) * q < 10 {
            if !setup.holds(q, Double(n)) {
                // log(1 − q) depends on q alone, and q seldom changes when n does.
                if !(setup.exactTest.0 == q) { setup.exactTest = (q, log1p(-q)) }
                setup.remember(q, Double(n), zeroProbability: exp(Double(n) * setup.exactTest.1))
            }
            k = binomialInversion(trials: n, probability: q, zeroProbability: setup.zeroProbability)
        } else {
            k = binomialBTRS(trials: n, probability: q)
        }
        return flip ? n &- k : k  // 0 ≤ k ≤ n
    }

    /// Chop-down inversion from k = 0 with the pmf recurrence
    /// P(k + 1) = P(k)·(n − k)/(k + 1)·p/(1 − p); P(0) = exp(n·log1p(−p)).
    /// A search passing min(n, 110) (possible only through rounding, since the
    /// mean is below 10) restarts with a new uniform.
    private mutating func binomialInversion(trials n: Int, probability p: Double, zeroProbability p0: Double) -> Int {
        let odds = p / (1 - p)
        let a = Double(n + 1) * odds
        let limit = min(n, 110)
        while true {
            var u = unit()
            var r = p0
            var k = 0
            while u >= r && k < limit {
                u -= r
                k &+= 1
                r *= a / Double(k) - odds
            }
            if u < r { return k }
        }
    }

    /// BTRS (Hörmann 1993) for p ≤ ½ and np ≥ 10. With U uniform on (−½, ½),
    /// us = ½ − |U|, the candidate is k = ⌊(2a/us + b)·U + np + ½⌋, rejected
    /// outside 0…n, accepted at once when us ≥ 0.07 and V ≤ v_r, and otherwise
    /// accepted when V·α/(a/us² + b) ≤ f(k)/f(m), f the binomial pmf and
    /// m = ⌊(n + 1)p⌋. The ratio is evaluated by the recurrence
    /// f(i)/f(i − 1) = (n − i + 1)/i · p/q when |k − m| ≤ 15 (no logarithms),
    /// else in logs as h − log k! − log (n−k)! + (k − m)·log(p/q) with
    /// h = log m! + log (n−m)!.
    private mutating func binomialBTRS(trials n: Int, probability p: Double) -> Int {
        let nd = Double(n)
        let q = 1 - p
        let spq = (nd * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let inverseB = 1 / b
        let vr = 0.92 - 4.2 * inverseB
        let alpha = (2.83 + 5.1 * inverseB) * spq
        let mode = Int((nd + 1) * p)
        var h = Double.nan  // constants of the log-form test, set on first use
        var logOdds = 0.0
        while true {
            let u = openUnit() - 0.5
            let v = openUnit()
            let us = 0.5 - abs(u)
            // k = ⌊x⌋, rejected outside 0…n; for x ≥ 0, ⌊x⌋ = Int(x).
            let x = (2 * a / us + b) * u + c
            if !(x >= 0 && x < nd + 1) { continue }
            let k = Int(x)
            if us >= 0.07 && v <= vr { return k }
            // V·α/(a/us² + b) as a fraction, so the ratio test needs no division.
            let us2 = us * us
            let testNumerator = v * alpha * us2
            let testDenominator = a + b * us2
            // 0 ≤ k, mode ≤ n < 2^62 here, so the integer arithmetic below cannot overflow.
            if abs(k &- mode) <= 15 {
                // f(k)/f(m) as one quotient of two products of at most 15
                // factors each, from f(i)/f(i − 1) = (n − i + 1)p / (i·q).
                var numerator = 1.0
                var denominator = 1.0
                var i = mode &+ 1
                while i <= k {
                    numerator *= Double(n &- i &+ 1) * p
                    denominator *= Double(i) * q
                    i &+= 1
                }
                i = k &+ 1
                while i <= mode {
                    numerator *= Double(i) * q
                    denominator *= Double(n &- i &+ 1) * p
                    i &+= 1
                }
                if testNumerator * denominator <= numerator * testDenominator { return k }
                continue
            }
            if h.isNaN {
                logOdds = log(p / q)
                h = logFactorial(mode) + logFactorial(n - mode)
            }
            let bound = h - logFactorial(k) - logFactorial(n &- k) + Double(k &- mode) * logOdds
            if log(testNumerator / testDenominator) <= bound { return k }
        }
    }
}

/// Set-up of a count sampler that depends only on its arguments: the
/// inversion's starting probability (e^(−mean) for a Poisson, (1 − p)ⁿ for a
/// binomial) or the constants of PTRS, with the arguments they belong to
/// (for a Poisson: the mean and 0 for inversion, 1 for PTRS), kept by a
/// caller that draws the same distribution many times. The set-up holds
/// values computed from the arguments, never from draws, so a draw is the
/// same whether or not its set-up was reused.
struct CountSetup {
    private var first = Double.nan
    private var second = Double.nan
    /// The inversion's starting probability, or the constants of PTRS.
    private(set) var constants: (Double, Double, Double) = (0, 0, 0)
    /// PTRS: log(mean) and α⁻¹ of its exact test, set with `constants`.
    /// Binomial inversion: p and log(1 − p), kept while only n changes.
    var exactTest: (Double, Double) = (.nan, .nan)
    var zeroProbability: Double { constants.0 }

    @inline(__always)
    func holds(_ a: Double, _ b: Double) -> Bool { a == first && b == second }

    mutating func remember(_ a: Double, _ b: Double, zeroProbability: Double) {
        remember(a, b, constants: (zeroProbability, 0, 0))
    }

    mutating func remember(_ a: Double, _ b: Double, constants: (Double, Double, Double)) {
        first = a
        second = b
        self.constants = constants
    }
}
