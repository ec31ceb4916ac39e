import Foundation

extension SpecialFunctions {
    /// e^x of four lanes at once, for the demand multipliers (four sectors a month).
    ///
    /// Relative error at most about 2 ulps (tests check 5e-16 against
    /// Foundation's `exp`) for |x| ≤ 700; lanes outside that range, and NaN,
    /// are computed by Foundation's `exp` instead, so the function is
    /// correct everywhere.
    ///
    /// Method: x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ln 2 / 2,
    /// r computed in two parts (Cody–Waite: k·ln2hi is exact); e^r by its
    /// Taylor polynomial of degree 13 (truncation below 5e-18, evaluated by
    /// Estrin's scheme); then 2^k by
    /// building the exponent bits. Only adds, multiplies and integer bit
    /// operations, so it vectorises without needing fused multiply-adds.
    @inline(__always)
    public static func exp4(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let inRange = x.replacing(with: 0, where: x .< -700 .| x .> 700 .| x .!= x)
        let ln2hi = 0x1.62e42fee00000p-1  // 32 significant bits: k·ln2hi is exact for |k| < 2^20
        let ln2lo = 0x1.a39ef35793c76p-33
        // Rounding to the nearest whole number by adding and subtracting 1.5·2^52.
        let shifter = SIMD4<Double>(repeating: 0x1.8p52)
        let shifted = inRange * 0x1.71547652b82fep0 + shifter  // x·log2(e)
        let k = shifted - shifter
        let r = (inRange - k * ln2hi) - k * ln2lo
        // Estrin's scheme: pairs, then pairs of pairs, so the chain of
        // dependent operations is 5 deep instead of 13.
        let r2 = r * r
        let r4 = r2 * r2
        let r8 = r4 * r4
        let c01 = 1 + r
        let c23 = 0.5 + r * (1.0 / 6)
        let c45 = 1.0 / 24 + r * (1.0 / 120)
        let c67 = 1.0 / 720 + r * (1.0 / 5_040)
        let c89 = 1.0 / 40_320 + r * (1.0 / 362_880)
        let c1011 = 1.0 / 3_628_800 + r * (1.0 / 39_916_800)
        let c1213 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
        let c03 = c01 + r2 * c23
        let c47 = c45 + r2 * c67
        let c811 = c89 + r2 * c1011
        let c07 = c03 + r4 * c47
        let c813 = c811 + r4 * c1213
        let p = c07 + r8 * c813
        // 2^k: k sits in the low bits of `shifted`; add the bias and move it into the exponent field.
        let kBits = unsafeBitCast(shifted, to: SIMD4<Int64>.self) &- unsafeBitCast(shifter, to: SIMD4<Int64>.self)
        let scale = unsafeBitCast((kBits &+ 1023) &<< 52, to: SIMD4<Double>.self)
        var result = p * scale
        if any(inRange .!= x) {
            for lane in 0..<4 where inRange[lane] != x[lane] || x[lane].isNaN { result[lane] = Foundation.exp(x[lane]) }
        }
        return result
    }
}
