import Foundation

extension SpecialFunctions {
    /// e^x of four lanes at once, for the demand multipliers (four sectors a month).
    ///
    /// Relative error at most about 2 ulps (tests check 5e-16 against
    /// Foundation's `exp`) for |x| ≤ 700; lanes outside that range, and NaN,
    /// are computed by Foundation's `exp` instead, so the function is
    /// correct everywhere.
    ///
    /// Method: x = (8k + j)·(ln 2)/8 + r with 8k + j = round(8x/ln 2),
    /// 0 ≤ j < 8 and |r| ≤ (ln 2)/16, r computed in two parts (Cody–Waite: the
    /// high part times the integer is exact); then e^x = 2^k · 2^(j/8) · e^r,
    /// with 2^(j/8) from a table of eight correctly rounded values, e^r by its
    /// Taylor polynomial of degree 8 (truncation below 2e-18, evaluated by
    /// Estrin's scheme), and 2^k by building the exponent bits. Only adds,
    /// multiplies, table reads and integer bit operations, so it vectorises
    /// without needing fused multiply-adds.
    @inline(__always)
    public static func exp4(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let inRange = x.replacing(with: 0, where: x .< -700 .| x .> 700 .| x .!= x)
        let eighthLn2High = 0x1.62e42feep-4  // (ln 2)/8 to 32 bits: n·eighthLn2High is exact for |n| < 2^21
        let eighthLn2Low = 0x1.a39ef35793c76p-36
        // Rounding to the nearest whole number by adding and subtracting 1.5·2^52.
        let shifter = SIMD4<Double>(repeating: 0x1.8p52)
        let shifted = inRange * 0x1.71547652b82fep3 + shifter  // 8x·log2(e)
        let n = shifted - shifter
        let r = (inRange - n * eighthLn2High) - n * eighthLn2Low
        let r2 = r * r
        let r4 = r2 * r2
        let c01 = 1 + r
        let c23 = 0.5 + r * (1.0 / 6)
        let c45 = 1.0 / 24 + r * (1.0 / 120)
        let c67 = 1.0 / 720 + r * (1.0 / 5_040)
        let p = (c01 + r2 * c23) + r4 * ((c45 + r2 * c67) + r4 * (1.0 / 40_320))
        // n sits in the low bits of `shifted`: j = n mod 8 picks the table entry, k = n div 8 the power of two.
        let nBits = unsafeBitCast(shifted, to: SIMD4<Int64>.self) &- unsafeBitCast(shifter, to: SIMD4<Int64>.self)
        let j = nBits & 7
        let k = nBits &>> 3
        let table = SIMD4(eighthPowersOfTwo[Int(j[0])], eighthPowersOfTwo[Int(j[1])],
                          eighthPowersOfTwo[Int(j[2])], eighthPowersOfTwo[Int(j[3])])
        let scale = unsafeBitCast((k &+ 1023) &<< 52, to: SIMD4<Double>.self)
        var result = p * table * scale
        if any(inRange .!= x) {
            for lane in 0..<4 where inRange[lane] != x[lane] || x[lane].isNaN { result[lane] = Foundation.exp(x[lane]) }
        }
        return result
    }

    /// 2^(j/8) for j = 0…7, correctly rounded.
    private static let eighthPowersOfTwo: [Double] = [
        0x1.0000000000000p+0, 0x1.172b83c7d517bp+0, 0x1.306fe0a31b715p+0, 0x1.4bfdad5362a27p+0,
        0x1.6a09e667f3bcdp+0, 0x1.8ace5422aa0dbp+0, 0x1.ae89f995ad3adp+0, 0x1.d5818dcfba487p+0,
    ]
}
