import Foundation
import LiaoCore
import Testing

@Suite struct QuantileHistogramTests {
    static let probes: [Double] = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 0.7, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999]

    /// Checks every probe quantile against the sorted values at the same rank.
    static func expectQuantilesWithinAccuracy(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        var histogram = QuantileHistogram()
        for x in values { histogram.add(x) }
        let sorted = values.sorted()
        let estimates = histogram.quantiles(probes)
        for (q, estimate) in zip(probes, estimates) {
            let exact = valueAtRank(sorted, QuantileHistogram.rank(ofQuantile: q, count: histogram.count))
            #expect((estimate - exact).magnitude <= QuantileHistogram.relativeAccuracy * exact.magnitude,
                    "q=\(q): \(estimate) vs exact \(exact)", sourceLocation: sourceLocation)
            #expect(histogram.quantile(q) == estimate, sourceLocation: sourceLocation)
        }
        #expect(histogram.quantile(0) == sorted.first, sourceLocation: sourceLocation)
        #expect(histogram.quantile(1) == sorted.last, sourceLocation: sourceLocation)
        #expect(histogram.min == sorted.first && histogram.max == sorted.last, sourceLocation: sourceLocation)
    }

    @Test func uniformQuantilesAreWithinRelativeAccuracy() {
        var random = StatsTestRandom(seed: 0x0AF0_0001)
        Self.expectQuantilesWithinAccuracy((0..<1_000_000).map { _ in random.uniform(0, 1) })
    }

    @Test func normalQuantilesAreWithinRelativeAccuracy() {
        var random = StatsTestRandom(seed: 0x0AF0_0002)
        Self.expectQuantilesWithinAccuracy((0..<1_000_000).map { _ in 100 + 15 * random.normal() })
    }

    @Test func quantilesStraddlingZeroAreWithinRelativeAccuracy() {
        // Standard normal plus exact zeros and a wide negative tail.
        var random = StatsTestRandom(seed: 0x0AF0_0003)
        let values = (0..<1_000_000).map { i -> Double in
            if i % 50 == 0 { return 0 }
            let z = random.normal()
            return z < -1 ? z * 1000 : z
        }
        Self.expectQuantilesWithinAccuracy(values)
    }

    @Test func integerValuedQuantilesAreExact() {
        var random = StatsTestRandom(seed: 0x0AF0_0004)
        let values = (0..<1_000_000).map { _ in Double(20 + random.below(21)) }
        var histogram = QuantileHistogram()
        for x in values { histogram.add(x) }
        let sorted = values.sorted()
        for q in Self.probes {
            let exact = valueAtRank(sorted, QuantileHistogram.rank(ofQuantile: q, count: histogram.count))
            #expect(histogram.quantile(q, integerValued: true) == exact)
        }
        // Large and negative whole numbers too, while buckets are at most 1 wide.
        var wide = QuantileHistogram()
        let wideValues = (0..<100_000).map { _ in Double(random.below(16_383) - 8_191) }
        for x in wideValues { wide.add(x) }
        let wideSorted = wideValues.sorted()
        for q in Self.probes {
            let exact = valueAtRank(wideSorted, QuantileHistogram.rank(ofQuantile: q, count: wide.count))
            #expect(wide.quantile(q, integerValued: true) == exact)
        }
    }

    @Test func rankIsTheCeilingOfQTimesCount() {
        #expect(QuantileHistogram.rank(ofQuantile: 0.7, count: 10) == 7)
        #expect(QuantileHistogram.rank(ofQuantile: 0.71, count: 10) == 8)
        #expect(QuantileHistogram.rank(ofQuantile: 0.5, count: 1) == 1)
        #expect(QuantileHistogram.rank(ofQuantile: 0.0001, count: 10) == 1)
        #expect(QuantileHistogram.rank(ofQuantile: 0.1, count: 1_000_000) == 100_000)
        #expect(QuantileHistogram.rank(ofQuantile: 1, count: 3) == 3)
    }

    @Test func mergedPartsEqualTheWhole() {
        var random = StatsTestRandom(seed: 0x0AF0_0005)
        let values = (0..<200_000).map { i -> Double in
            switch i % 4 {
            case 0: random.normal() * 1e6
            case 1: random.uniform(-1e-3, 1e-3)
            case 2: i % 8 == 2 ? 0.0 : -0.0
            default: Double(random.below(100))
            }
        }
        var whole = QuantileHistogram()
        for x in values { whole.add(x) }

        var parts = random.unevenSplit(count: values.count, parts: 7).map { range -> QuantileHistogram in
            var part = QuantileHistogram()
            for x in values[range].reversed() { part.add(x) }
            return part
        }
        random.shuffle(&parts)
        var merged = QuantileHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged == whole)
        #expect(merged.min?.bitPattern == whole.min?.bitPattern)
        #expect(merged.max?.bitPattern == whole.max?.bitPattern)
        #expect(merged.quantiles(Self.probes).map(\.bitPattern) == whole.quantiles(Self.probes).map(\.bitPattern))

        var shuffledValues = values
        random.shuffle(&shuffledValues)
        var shuffled = QuantileHistogram()
        for x in shuffledValues { shuffled.add(x) }
        #expect(shuffled == whole)
    }

    @Test func signedZerosGiveOrderIndependentExtremes() {
        var a = QuantileHistogram()
        a.add(0.0); a.add(-0.0)
        var b = QuantileHistogram()
        b.add(-0.0); b.add(0.0)
        #expect(a.min?.bitPattern == (-0.0).bitPattern && b.min?.bitPattern == (-0.0).bitPattern)
        #expect(a.max?.bitPattern == (0.0).bitPattern && b.max?.bitPattern == (0.0).bitPattern)
        #expect(a.zeroCount == 2 && a.blockCount == 0)
    }

    @Test func emptyHistogramHasNoExtremesAndNaNQuantiles() {
        let empty = QuantileHistogram()
        #expect(empty.min == nil && empty.max == nil)
        #expect(empty.quantile(0.5).isNaN)
        #expect(empty.binCounts(low: 0, high: 1, bins: 4) == [0, 0, 0, 0])
    }

    @Test func binCountsAddUpAndClampToTheEdges() {
        var histogram = QuantileHistogram()
        for _ in 0..<10 { histogram.add(0.5) }
        for _ in 0..<20 { histogram.add(1.5) }
        for _ in 0..<3 { histogram.add(-7) }     // below the range
        for _ in 0..<4 { histogram.add(1e9) }    // above the range
        for _ in 0..<5 { histogram.add(0) }
        #expect(histogram.binCounts(low: 0, high: 2, bins: 2) == [18, 24])
        #expect(histogram.binCounts(low: 0, high: 2, bins: 4) == [8, 10, 0, 24])

        var random = StatsTestRandom(seed: 0x0AF0_0006)
        var normal = QuantileHistogram()
        for _ in 0..<100_000 { normal.add(random.normal()) }
        for bins in [1, 7, 60, 80] {
            let counts = normal.binCounts(low: -2, high: 2, bins: bins)
            #expect(counts.count == bins)
            #expect(counts.reduce(0, +) == normal.count)
        }
    }

    /// Evenly spread values give even display bins, although a bin spans a
    /// fractional number of fine buckets (8.89 here: apportioning whole
    /// buckets gave bins 10% apart); shares add up to the count, values
    /// beyond the ends count at the ends, and a metric of one value stays
    /// in one bin.
    @Test func binSharesSpreadBucketsOverTheBinsTheyOverlap() {
        var histogram = QuantileHistogram()
        let n = 200_000
        for i in 0..<n { histogram.add(300 + 20 * (Double(i) + 0.5) / Double(n)) }
        let shares = histogram.binShares(low: 300, high: 320, bins: 36)
        let even = Double(n) / 36
        for (bin, share) in shares.enumerated() { #expect(abs(share - even) < 0.002 * even, "bin \(bin): \(share)") }
        let whole = histogram.binCounts(low: 300, high: 320, bins: 36).map { Double($0) }
        #expect(whole.contains { abs($0 - even) > 0.05 * even })  // the comb that shares remove
        #expect(abs(whole.reduce(0, +) - Double(n)) < 0.5)

        // Whole numbers keep their counts, as numbers of runs (not bit patterns).
        var counts = QuantileHistogram()
        for i in 0..<900 { counts.add(Double(29 + i % 9)) }
        #expect(counts.binShares(low: 27.5, high: 38.5, bins: 11, integerValued: true) == [0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0])

        var mixed = QuantileHistogram()
        for x in [-7.0, -7, -0.3, 0, 0, 0.5, 1.5, 1.5, 3, 1e9] { mixed.add(x) }
        let parts = mixed.binShares(low: 0, high: 2, bins: 4)
        #expect(abs(parts.reduce(0, +) - 10) < 1e-9)
        #expect(abs(parts[0] - 5) < 1e-3 && abs(parts[1] - 1) < 1e-3 && abs(parts[2]) < 1e-9 && abs(parts[3] - 4) < 1e-3, "\(parts)")
        var constant = QuantileHistogram()
        for _ in 0..<5 { constant.add(42.1) }
        #expect(constant.binShares(low: 40, high: 44, bins: 8) == [0, 0, 0, 0, 5, 0, 0, 0])
        #expect(QuantileHistogram().binShares(low: 0, high: 1, bins: 3) == [0, 0, 0])
    }

    @Test func storageDependsOnRangeNotOnCount() {
        var random = StatsTestRandom(seed: 0x0AF0_0007)
        var histogram = QuantileHistogram()
        for _ in 0..<10_000_000 { histogram.add(random.uniform(1000, 1100)) }
        #expect(histogram.count == 10_000_000)
        // [1000, 1100) spans two powers of two: [512, 1024) and [1024, 2048).
        #expect(histogram.blockCount <= 2)
    }

    @Test func codableRoundTripPreservesEverything() throws {
        var random = StatsTestRandom(seed: 0x0AF0_0008)
        var histogram = QuantileHistogram()
        for _ in 0..<10_000 { histogram.add(random.normal() * 50) }
        histogram.add(0)
        let data = try JSONEncoder().encode(histogram)
        let decoded = try JSONDecoder().decode(QuantileHistogram.self, from: data)
        #expect(decoded == histogram)
        #expect(try JSONDecoder().decode(QuantileHistogram.self, from: JSONEncoder().encode(QuantileHistogram())) == QuantileHistogram())
    }
}
