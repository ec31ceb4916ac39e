/// The difference B − A in a goal's probability, estimated from the same runs
/// of both scenarios (common random numbers), with a 95% interval.
///
/// Of n paired runs, `gained` meet the goal in B only and `lost` in A only;
/// the difference is (gained − lost)/n. The interval is Tango's score
/// interval for paired proportions (Tango 1998, Statistics in Medicine
/// 17:891–908): the differences Δ that a score test does not reject at 5%.
/// Unlike the normal interval of the run-by-run differences, it is not
/// [0, 0] when no run differs (it is about ±3.84/n).
///
/// Both are large-sample intervals: with a handful of differing runs they
/// can exclude zero where an exact test would not (4 gained, none lost).
/// So a difference counts as significant only when the interval excludes
/// zero and the exact sign test on the differing runs (McNemar's exact
/// test) also rejects "no difference" at 5%.
public struct PairedDifference: Sendable, Equatable {
    public var difference: Double
    public var ci95: (low: Double, high: Double)
    public var pairs: Int
    /// Runs that meet the goal in B but not in A, and in A but not in B.
    public var gained: Int
    public var lost: Int

    /// The interval excludes zero and the exact sign test agrees.
    public var isSignificant: Bool { (ci95.low > 0 || ci95.high < 0) && signTestP < 0.05 }

    /// Two-sided p-value of the exact sign test on the differing runs: under
    /// "no difference" each is a gain or a loss with probability ½, so
    /// p = 2·P(X ≤ min(gained, lost)) for X ~ Binomial(gained + lost, ½),
    /// at most 1 (1 when no run differs).
    public var signTestP: Double {
        let m = gained + lost
        guard m > 0 else { return 1 }
        let k = min(gained, lost)
        guard 2 * k + 1 < m else { return 1 }  // as even as the count allows: P(X ≤ k) ≥ ½
        // P(X ≤ k) = I_{1/2}(m − k, k + 1), the regularised incomplete beta function.
        return min(1, 2 * SpecialFunctions.regularizedIncompleteBeta(0.5, a: Double(m - k), b: Double(k + 1)))
    }

    public static func == (a: PairedDifference, b: PairedDifference) -> Bool {
        a.difference == b.difference && a.ci95 == b.ci95 && a.pairs == b.pairs && a.gained == b.gained && a.lost == b.lost
    }

    /// Pairs runs by index (runs missing on either side are left out).
    public init(a: RunTable, goalA: Int, b: RunTable, goalB: Int) {
        var i = 0, j = 0
        var n = 0, gained = 0, lost = 0
        while i < a.runs.count && j < b.runs.count {
            if a.runs[i] < b.runs[j] { i += 1; continue }
            if a.runs[i] > b.runs[j] { j += 1; continue }
            let x = (a.goalBits[i] >> UInt64(goalA)) & 1, y = (b.goalBits[j] >> UInt64(goalB)) & 1
            n += 1
            if y > x { gained += 1 } else if x > y { lost += 1 }
            i += 1
            j += 1
        }
        self.init(pairs: n, gained: gained, lost: lost)
    }

    /// From the counts: `pairs` runs, of which `gained` meet the goal in B
    /// only and `lost` in A only.
    public init(pairs n: Int, gained: Int, lost: Int) {
        precondition(n >= 0 && gained >= 0 && lost >= 0 && gained + lost <= n)
        pairs = n
        self.gained = gained
        self.lost = lost
        guard n > 0 else {
            difference = .nan
            ci95 = (.nan, .nan)
            return
        }
        let estimate = Double(gained - lost) / Double(n)
        difference = estimate
        let z = ProportionEstimate.z95
        let score = { (delta: Double) in Self.tangoScore(delta: delta, pairs: n, gained: gained, lost: lost) }
        // The score falls from +∞ near Δ = −1 through 0 at the estimate to −∞ near
        // Δ = 1: each bound is where it crosses ±z, found by bisection.
        let low = estimate <= -1 ? -1 : Self.crossing(from: -1, to: estimate) { score($0) > z }
        let high = estimate >= 1 ? 1 : Self.crossing(from: estimate, to: 1) { score($0) > -z }
        ci95 = (low, high)
    }

    /// Tango's score statistic for the null hypothesis that the difference is Δ:
    /// (gained − lost − nΔ) over its standard deviation under that hypothesis,
    /// with the probability of a lost run at its maximum-likelihood value
    /// given Δ (the root of 2n·q² + W·q − lost·Δ(1 − Δ) = 0).
    static func tangoScore(delta: Double, pairs n: Int, gained: Int, lost: Int) -> Double {
        let n = Double(n), b = Double(gained), c = Double(lost)
        let w = -(b + c) + (2 * n - b + c) * delta
        // The discriminant is a square when nothing was gained: rounding may take it just below 0.
        let q = (max(0, w * w + 8 * n * c * delta * (1 - delta)).squareRoot() - w) / (4 * n)
        let variance = n * (2 * q + delta * (1 - delta))
        let numerator = b - c - n * delta
        guard variance > 0 else { return numerator == 0 ? 0 : (numerator > 0 ? .infinity : -.infinity) }
        return numerator / variance.squareRoot()
    }

    /// The point in [lower, upper] where `isBelow` turns from true to false
    /// (true at `lower`'s side, false at `upper`'s), to within a few ulps.
    private static func crossing(from lower: Double, to upper: Double, _ isBelow: (Double) -> Bool) -> Double {
        var (below, above) = (lower, upper)
        for _ in 0..<200 {
            let middle = (below + above) / 2
            guard middle > below && middle < above else { break }
            if isBelow(middle) { below = middle } else { above = middle }
        }
        return (below + above) / 2
    }
}
