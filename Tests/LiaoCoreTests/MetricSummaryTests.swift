import Foundation
import LiaoCore
import Testing

@Suite struct MetricSummaryTests {
    /// Mean and sample standard deviation by the textbook two-pass method,
    /// with compensated (Neumaier) sums.
    static func twoPass(_ values: [Double]) -> (mean: Double, sd: Double) {
        func compensatedSum(_ xs: [Double]) -> Double {
            var sum = 0.0
            var compensation = 0.0
            for x in xs {
                let t = sum + x
                compensation += sum.magnitude >= x.magnitude ? (sum - t) + x : (x - t) + sum
                sum = t
            }
            return sum + compensation
        }
        let n = Double(values.count)
        let mean = compensatedSum(values) / n
        let squares = compensatedSum(values.map { ($0 - mean) * ($0 - mean) })
        return (mean, (squares / (n - 1)).squareRoot())
    }

    static func expectClose(_ a: Double, _ b: Double, relative: Double = 1e-12,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((a - b).magnitude <= relative * b.magnitude, "\(a) vs \(b)", sourceLocation: sourceLocation)
    }

    @Test func meanAndStandardDeviationMatchTwoPass() {
        var random = StatsTestRandom(seed: 0x5A11_0001)
        let datasets: [[Double]] = [
            (0..<100_000).map { _ in random.uniform(0, 1) },
            (0..<100_000).map { _ in random.normal() * 1e-3 - 5e-4 },
            // A large offset against a small spread, where Σx² − (Σx)²/n cancels badly.
            (0..<100_000).map { _ in 2030 + random.uniform(-5, 5) },
            (0..<100_000).map { _ in 1e7 + random.normal() * 0.01 },
            (0..<100_000).map { _ in random.normal() * pow(10, random.uniform(-6, 6)) },
        ]
        for values in datasets {
            let summary = MetricSummary(values)
            let reference = Self.twoPass(values)
            #expect(summary.count == UInt64(values.count))
            Self.expectClose(summary.mean, reference.mean)
            Self.expectClose(summary.standardDeviation, reference.sd)
        }
    }

    @Test func nonFiniteValuesAreCountedSeparately() {
        var summary = MetricSummary([1, 2, 3, .nan, .infinity, -.infinity, 4])
        #expect(summary.count == 4)
        #expect(summary.nonFiniteCount == 3)
        #expect(summary.totalCount == 7)
        #expect(summary.mean == 2.5)
        Self.expectClose(summary.standardDeviation, (5.0 / 3).squareRoot(), relative: 1e-15)
        #expect(summary.min == 1 && summary.max == 4)
        summary.add(.nan)
        #expect(summary.nonFiniteCount == 4 && summary.count == 4)
    }

    @Test func aSampleDeviationNeedsTwoValues() {
        #expect(MetricSummary().mean.isNaN)
        #expect(MetricSummary().standardDeviation.isNaN)  // no values: no spread, like the mean
        #expect(MetricSummary([42]).standardDeviation.isNaN)  // n − 1 = 0: undefined, as pandas' std()
        #expect(MetricSummary([42]).mean == 42)
        #expect(MetricSummary([3, 3, 3, 3]).standardDeviation == 0)
        #expect(MetricSummary([0.1, 0.1, 0.1]).standardDeviation == 0)
    }

    @Test func mergeOrderGivesBitIdenticalStatistics() {
        var random = StatsTestRandom(seed: 0x5A11_0002)
        let values = (0..<150_000).map { _ in 500 + random.normal() * 120 }
        let whole = MetricSummary(values)
        var parts = random.unevenSplit(count: values.count, parts: 7).map { MetricSummary(values[$0]) }
        random.shuffle(&parts)
        var merged = MetricSummary()
        for part in parts { merged.merge(part) }
        #expect(merged == whole)
        #expect(merged.mean.bitPattern == whole.mean.bitPattern)
        #expect(merged.standardDeviation.bitPattern == whole.standardDeviation.bitPattern)
        #expect(merged.quantile(0.95).bitPattern == whole.quantile(0.95).bitPattern)
    }

    @Test func wholeNumberDataGetsExactQuantiles() {
        var random = StatsTestRandom(seed: 0x5A11_0003)
        let values = (0..<50_000).map { _ in Double(20 + random.below(21)) }
        let summary = MetricSummary(values)
        #expect(summary.isIntegerValued)
        let sorted = values.sorted()
        for q in [0.05, 0.5, 0.95] {
            #expect(summary.quantile(q) == valueAtRank(sorted, QuantileHistogram.rank(ofQuantile: q, count: summary.count)))
        }
        var mixed = summary
        mixed.add(20.5)
        #expect(!mixed.isIntegerValued)
        #expect(!MetricSummary().isIntegerValued)
    }

    @Test func codableRoundTrip() throws {
        var random = StatsTestRandom(seed: 0x5A11_0004)
        let summary = MetricSummary((0..<5_000).map { _ in random.normal() } + [.nan])
        let decoded = try JSONDecoder().decode(MetricSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
        #expect(decoded.standardDeviation.bitPattern == summary.standardDeviation.bitPattern)
    }
}
