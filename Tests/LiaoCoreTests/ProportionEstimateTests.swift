import LiaoCore
import Testing

@Suite struct ProportionEstimateTests {
    static func rounded4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

    @Test func wilsonMatchesTextbookValue() {
        let estimate = ProportionEstimate(successes: 8, trials: 10)
        #expect(estimate.probability == 0.8)
        let interval = estimate.wilson95
        #expect(Self.rounded4(interval.low) == 0.4902)
        #expect(Self.rounded4(interval.high) == 0.9433)
    }

    @Test func wilsonEdgesAreExact() {
        let none = ProportionEstimate(successes: 0, trials: 10).wilson95
        #expect(none.low == 0)
        #expect(Self.rounded4(none.high) == 0.2775)
        let all = ProportionEstimate(successes: 10, trials: 10).wilson95
        #expect(all.high == 1)
        #expect(Self.rounded4(all.low) == 0.7225)
        let empty = ProportionEstimate()
        #expect(empty.wilson95 == (0, 1))
        #expect(empty.probability.isNaN)
    }

    @Test func recordingAndMergingAddUp() {
        var a = ProportionEstimate()
        for i in 0..<30 { a.record(i % 3 == 0) }
        var b = ProportionEstimate()
        for i in 0..<70 { b.record(i % 7 == 0) }
        var merged = b
        merged.merge(a)
        #expect(merged == ProportionEstimate(successes: 20, trials: 100))
        #expect(merged.probability == 0.2)
        let wide = ProportionEstimate(successes: 500_000, trials: 1_000_000).wilson95
        #expect(wide.low < 0.5 && wide.high > 0.5)
        #expect((wide.high - wide.low - 2 * 1.959963984540054 * 0.0005).magnitude < 1e-8)
    }
}
