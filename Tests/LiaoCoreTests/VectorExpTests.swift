import Foundation
import LiaoCore
import Testing

@Suite struct VectorExpTests {
    /// Largest relative difference from Foundation's `exp` over the lanes.
    static func worstRelativeError(_ x: SIMD4<Double>) -> Double {
        let got = SpecialFunctions.exp4(x)
        var worst = 0.0
        for lane in 0..<4 {
            let expected = Foundation.exp(x[lane])
            worst = max(worst, abs(got[lane] - expected) / expected)
        }
        return worst
    }

    @Test func agreesWithFoundationWithinTwoUlps() {
        var random = StatsTestRandom(seed: 0xE4_0001)
        var worst = 0.0
        // The multipliers' range (a few tenths), then the whole supported range.
        for scale in [0.5, 5, 700] {
            for _ in 0..<50_000 {
                let x = SIMD4((0..<4).map { _ in random.uniform(-scale, scale) })
                worst = max(worst, Self.worstRelativeError(x))
            }
        }
        #expect(worst <= 5e-16, "worst relative error \(worst)")
    }

    @Test func exactWhereExpIsExactAndSpecialLanesFallBack() {
        let got = SpecialFunctions.exp4(SIMD4(0, 1000, -1000, .nan))
        #expect(got[0] == 1)
        #expect(got[1] == .infinity)
        #expect(got[2] == 0)
        #expect(got[3].isNaN)
        let edges = SpecialFunctions.exp4(SIMD4(700, -700, 709.7, -745))
        for (lane, x) in [700, -700, 709.7, -745].enumerated() {
            #expect(edges[lane] == Foundation.exp(x) || abs(edges[lane] / Foundation.exp(x) - 1) <= 5e-16)
        }
    }
}
