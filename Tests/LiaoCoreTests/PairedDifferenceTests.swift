import LiaoCore
import Testing

/// The paired difference of two scenarios' goal odds and its 95% interval
/// (Tango's score interval), checked against an independent computation: the
/// restricted likelihood maximised numerically and the score test inverted
/// with a root finder (scipy), which agrees with the closed form to 1e-7.
@Suite struct PairedDifferenceTests {
    @Test(arguments: [
        (33000, 4, 0, 4.803741967577181e-06, 0.0003116523149941241),
        (20000, 0, 0, -0.00019203606361584713, 0.00019203605576868568),
        (100, 12, 5, -0.011863210825776113, 0.15741560613399525),
        (21, 8, 2, -0.010429883738633901, 0.534481446614397),
        (1000, 30, 45, -0.0325825922884625, 0.0020209787395312684),
    ])
    func intervalMatchesTheScoreTestInverted(pairs: Int, gained: Int, lost: Int, low: Double, high: Double) {
        let d = PairedDifference(pairs: pairs, gained: gained, lost: lost)
        #expect(d.difference == Double(gained - lost) / Double(pairs))
        #expect(abs(d.ci95.low - low) <= 1e-7 * max(1e-3, abs(low)), "\(d.ci95.low) vs \(low)")
        #expect(abs(d.ci95.high - high) <= 1e-7 * max(1e-3, abs(high)), "\(d.ci95.high) vs \(high)")
    }

    /// With no run differing the interval is not [0, 0] but about ±3.84/n; it
    /// is symmetric when gains and losses swap, and reaches ±1 only when
    /// every run differs one way.
    @Test func fewDifferingRunsGiveAnHonestInterval() {
        let none = PairedDifference(pairs: 20000, gained: 0, lost: 0)
        #expect(none.ci95.low < 0 && none.ci95.high > 0 && !none.isSignificant)
        #expect(abs(none.ci95.high - 3.8415 / 20000) < 1e-3 * 3.84 / 20000)
        let up = PairedDifference(pairs: 500, gained: 7, lost: 2), down = PairedDifference(pairs: 500, gained: 2, lost: 7)
        #expect(abs(up.ci95.low + down.ci95.high) < 1e-12 && abs(up.ci95.high + down.ci95.low) < 1e-12)
        let all = PairedDifference(pairs: 50, gained: 50, lost: 0)
        // Then the score is √(n(1 − Δ)/(1 + Δ)), which is z at Δ = (n − z²)/(n + z²).
        let z2 = 1.959963984540054 * 1.959963984540054
        #expect(all.difference == 1 && all.ci95.high == 1 && abs(all.ci95.low - (50 - z2) / (50 + z2)) < 1e-12, "\(all.ci95)")
        let empty = PairedDifference(pairs: 0, gained: 0, lost: 0)
        #expect(empty.difference.isNaN && empty.ci95.low.isNaN)
    }

    /// The exact sign test on the differing runs (scipy's binomtest), and the
    /// significance mark that needs it: four gains and no loss exclude zero
    /// from the large-sample interval, yet are not significant.
    @Test func significanceNeedsTheExactSignTestToo() {
        let cases: [(Int, Int, Double)] = [(4, 0, 0.125), (5, 0, 0.0625), (7, 1, 0.0703125), (6, 0, 0.03125), (10, 2, 0.03857421875),
                                           (74, 52, 0.06093825261566016), (3, 3, 1), (2, 1, 1), (0, 0, 1), (46, 0, 2.842170943040401e-14)]
        for (gained, lost, p) in cases {
            let d = PairedDifference(pairs: 20000, gained: gained, lost: lost)
            #expect(p == 1 ? d.signTestP == 1 : abs(d.signTestP - p) <= 1e-9 * p, "\(gained)/\(lost): \(d.signTestP)")
        }
        let four = PairedDifference(pairs: 33000, gained: 4, lost: 0)
        #expect(four.ci95.low > 0 && !four.isSignificant)
        #expect(PairedDifference(pairs: 20000, gained: 6, lost: 0).isSignificant)
        #expect(PairedDifference(pairs: 20000, gained: 0, lost: 46).isSignificant)
    }
}
