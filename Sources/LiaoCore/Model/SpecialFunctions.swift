import Foundation

/// Special functions behind the distributions' CDFs and quantile functions:
/// the standard normal CDF and its inverse, log Γ, log B, and (in
/// `SpecialFunctions+IncompleteBeta.swift`) the regularised incomplete beta
/// function and its inverse.
///
/// Every function is pure and thread-safe: none calls C's `lgamma`, which
/// writes the global `signgam`.
public enum SpecialFunctions {
    /// log(2π)/2.
    static let halfLogTwoPi = 0.918_938_533_204_672_7

    // MARK: Normal distribution

    /// The standard normal CDF Φ(x) = erfc(−x/√2)/2.
    ///
    /// Relative error at most 3 ulps over the whole lower tail (x ≤ 0, down
    /// to where Φ underflows near x = −38.5; subnormal below x ≈ −37.5) and
    /// absolute error below one ulp of 1/2 above. The rounding of −x/√2 is
    /// corrected to first order, since one ulp of the argument would
    /// otherwise cost about 2t² ulps of the result (7 at x = −2.5, 1e−13
    /// relative near x = −37). Φ(−∞) = 0, Φ(+∞) = 1; NaN gives NaN.
    /// Cost: one `erfc` and a few divisions, about 30–40 ns.
    public static func normalCDF(_ x: Double) -> Double {
        // 1/√2 as an unevaluated sum hi + lo.
        let inverseRootTwoHi = 0.707_106_781_186_547_6  // 0x1.6a09e667f3bcdp-1
        let inverseRootTwoLo = -4.833_646_656_726_456_5e-17
        let t = -x * inverseRootTwoHi
        let value = 0.5 * erfc(t)
        guard t > 0.25, value > 0 else { return value }
        // The exact argument is t + δ; erfc(t + δ) ≈ erfc(t)·(1 − δ·h(t)) with
        // h(t) = (2/√π)e^(−t²)/erfc(t), taken from the first terms of the
        // continued fraction erfc(t) = e^(−t²)/√π / (t + ½/(t + 1/(t + 3/2/(t + ⋯))))
        // (within 40% at t = 1/4, 1.5% at t = 1, 0.03% at t = 2; |δ·h| is below
        // an ulp for t < 1 and below 2e−13 everywhere, so the correction is
        // accurate to far below an ulp).
        let delta = fmaRemainder(-x, inverseRootTwoHi, t) + (-x) * inverseRootTwoLo
        let h = 2 * (t + 0.5 / (t + 1 / (t + 1.5 / (t + 2 / t))))
        return value * (1 - delta * h)
    }

    /// The rounding error of the product a·b whose rounded value is `product`.
    @inline(__always)
    static func fmaRemainder(_ a: Double, _ b: Double, _ product: Double) -> Double {
        (-product).addingProduct(a, b)
    }

    /// The standard normal quantile Φ⁻¹(p), by Wichura's algorithm AS 241
    /// (PPND16): rational approximations of degree 7 in three regions, with
    /// relative error at most 4 ulps (5e−16), measured against 40-digit
    /// values from p = 1e−319 to 1 − 1e−15.
    ///
    /// No Newton step against Φ follows: it could not improve on this, and
    /// near p = 1/2, where Φ(z) − p is only known to an ulp of 1/2, it would
    /// spoil the relative accuracy of small z.
    ///
    /// Domain p ∈ (0, 1); Φ⁻¹(0) = −∞, Φ⁻¹(1) = +∞, and NaN for anything
    /// outside [0, 1]. The central region works with q = p − 0.5, which is
    /// exact there, so Φ⁻¹ keeps full relative accuracy near p = 1/2; the
    /// tails work with min(p, 1 − p), and 1 − p is exact for p ≥ 1/2.
    /// Odd symmetry is exact: Φ⁻¹(1 − p) = −Φ⁻¹(p) whenever 1 − p is exact.
    /// Costs one log and one square root in the tails (|q| > 0.425), nothing
    /// but a rational function in the centre: about 15–20 ns.
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else {
            if p == 0 { return -.infinity }
            if p == 1 { return .infinity }
            return .nan
        }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180_625 - q * q
            return q * centralNumerator(r) / centralDenominator(r)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let z: Double
        if r <= 5 {
            r -= 1.6
            z = nearTailNumerator(r) / nearTailDenominator(r)
        } else {
            r -= 5
            z = farTailNumerator(r) / farTailDenominator(r)
        }
        return q < 0 ? -z : z
    }

    // AS 241's coefficients, highest power last in each Horner chain.

    @inline(__always)
    private static func centralNumerator(_ r: Double) -> Double {
        var s = 2509.080_928_730_122_672_7
        s = s * r + 33_430.575_583_588_128_105
        s = s * r + 67_265.770_927_008_700_853
        s = s * r + 45_921.953_931_549_871_457
        s = s * r + 13_731.693_765_509_461_125
        s = s * r + 1971.590_950_306_551_442_7
        s = s * r + 133.141_667_891_784_377_45
        return s * r + 3.387_132_872_796_366_608
    }

    @inline(__always)
    private static func centralDenominator(_ r: Double) -> Double {
        var s = 5226.495_278_852_854_561
        s = s * r + 28_729.085_735_721_942_674
        s = s * r + 39_307.895_800_092_710_61
        s = s * r + 21_213.794_301_586_595_867
        s = s * r + 5394.196_021_424_751_107_7
        s = s * r + 687.187_007_492_057_908_3
        s = s * r + 42.313_330_701_600_911_252
        return s * r + 1
    }

    @inline(__always)
    private static func nearTailNumerator(_ r: Double) -> Double {
        var s = 7.745_450_142_783_414_076_4e-4
        s = s * r + 0.022_723_844_989_269_184_583_3
        s = s * r + 0.241_780_725_177_450_611_77
        s = s * r + 1.270_458_252_452_368_382_58
        s = s * r + 3.647_848_324_763_204_605_04
        s = s * r + 5.769_497_221_460_691_405_5
        s = s * r + 4.630_337_846_156_545_295_9
        return s * r + 1.423_437_110_749_683_577_34
    }

    @inline(__always)
    private static func nearTailDenominator(_ r: Double) -> Double {
        var s = 1.050_750_071_644_416_843_24e-9
        s = s * r + 5.475_938_084_995_344_946e-4
        s = s * r + 0.015_198_666_563_616_457_196_6
        s = s * r + 0.148_103_976_427_480_074_59
        s = s * r + 0.689_767_334_985_100_004_55
        s = s * r + 1.676_384_830_183_803_849_4
        s = s * r + 2.053_191_626_637_758_821_87
        return s * r + 1
    }

    @inline(__always)
    private static func farTailNumerator(_ r: Double) -> Double {
        var s = 2.010_334_399_292_288_132_65e-7
        s = s * r + 2.711_555_568_743_487_578_15e-5
        s = s * r + 0.001_242_660_947_388_078_438_6
        s = s * r + 0.026_532_189_526_576_123_093
        s = s * r + 0.296_560_571_828_504_891_23
        s = s * r + 1.784_826_539_917_291_335_8
        s = s * r + 5.463_784_911_164_114_369_9
        return s * r + 6.657_904_643_501_103_777_2
    }

    @inline(__always)
    private static func farTailDenominator(_ r: Double) -> Double {
        var s = 2.044_263_103_389_939_785_64e-15
        s = s * r + 1.421_511_758_316_445_888_7e-7
        s = s * r + 1.846_318_317_510_054_681_8e-5
        s = s * r + 7.868_691_311_456_132_591e-4
        s = s * r + 0.014_875_361_290_850_614_852_5
        s = s * r + 0.136_929_880_922_735_805_31
        s = s * r + 0.599_832_206_555_887_937_69
        return s * r + 1
    }

    // MARK: Gamma and beta functions

    /// log Γ(x) for x > 0.
    ///
    /// For x ≥ 10, Stirling's series (x − ½)log x − x + ½log 2π + δ(x) with the
    /// correction δ through the x⁻¹³ term (first omitted term below 3e−17);
    /// relative error a few ulps. For 0 < x < 10, the recurrence
    /// log Γ(x) = log Γ(x + n) − log(x(x + 1)⋯(x + n − 1)) with x + n ≥ 10;
    /// absolute error below 1e−14 (so relative accuracy is lost only next to
    /// the zeros at x = 1 and 2). log Γ(0) = +∞; NaN for x < 0 or NaN.
    public static func logGamma(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? .infinity : .nan }
        if x >= 10 { return stirlingLogGamma(x) }
        if x == 1 || x == 2 { return 0 }
        var product = x
        var z = x + 1
        while z < 10 {
            product *= z
            z += 1
        }
        return stirlingLogGamma(z) - log(product)
    }

    /// Stirling's approximation to log Γ(x), for x ≥ 10.
    @inline(__always)
    static func stirlingLogGamma(_ x: Double) -> Double {
        (x - 0.5) * log(x) - x + halfLogTwoPi + stirlingCorrection(x)
    }

    /// δ(x) = log Γ(x) − [(x − ½)log x − x + ½log 2π] for x ≥ 10, by the
    /// asymptotic series Σ B₂ₖ/(2k(2k − 1)x²ᵏ⁻¹) through k = 7.
    @inline(__always)
    static func stirlingCorrection(_ x: Double) -> Double {
        let r = 1 / x
        let r2 = r * r
        var s = 1.0 / 156
        s = s * r2 - 691.0 / 360_360
        s = s * r2 + 1.0 / 1188
        s = s * r2 - 1.0 / 1680
        s = s * r2 + 1.0 / 1260
        s = s * r2 - 1.0 / 360
        s = s * r2 + 1.0 / 12
        return s * r
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0.
    ///
    /// Large arguments are combined before rounding: with p = min(a, b) and
    /// q = max(a, b), for p ≥ 10 the Stirling leading terms cancel
    /// analytically, leaving (p − ½)log(p/(p + q)) + (q − ½)log(q/(p + q))
    /// − ½log(p + q) + ½log 2π + δ(p) + δ(q) − δ(p + q); for p < 10 ≤ q,
    /// log Γ(q) − log Γ(p + q) is −p·log q − (p + q − ½)log1p(p/q) + p
    /// + δ(q) − δ(p + q). The absolute error is then about ε·(p + q) at worst
    /// (1e−12 at a = b = 10⁴) instead of ε·log Γ(p + q) (2e−11 there).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        let p = min(a, b)
        let q = max(a, b)
        guard p > 0 else { return p == 0 ? .infinity : .nan }
        let sum = p + q
        if p >= 10 {
            let correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(sum)
            return (p - 0.5) * log(p / sum) - (q - 0.5) * log1p(p / q) - 0.5 * log(sum)
                + halfLogTwoPi + correction
        }
        if q >= 10 {
            let ratio = -p * log(q) - (sum - 0.5) * log1p(p / q) + p
                + stirlingCorrection(q) - stirlingCorrection(sum)
            return logGamma(p) + ratio
        }
        return logGamma(p) + logGamma(q) - logGamma(sum)
    }
}
