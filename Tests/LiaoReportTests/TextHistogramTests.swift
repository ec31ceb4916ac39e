import LiaoCore
import LiaoReport
import Testing

/// A seeded generator for reproducible test data (the core's SplitMix64).
private struct ReportTestRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    /// Roughly normal: the sum of four uniforms, centred and scaled to unit variance.
    mutating func bell() -> Double { (unit() + unit() + unit() + unit() - 2) * 3.0.squareRoot() }
}

@Suite struct TextHistogramTests {
    static let blocks: Set<Character> = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The character at `column` of `line`, or a space past its end (lines are right-trimmed).
    static func cell(_ line: String, _ column: Int) -> Character {
        let characters = Array(line)
        return column < characters.count ? characters[column] : " "
    }

    @Test func everyLineFitsInEightyColumns() {
        var random = ReportTestRandom(seed: 0x7E47_0001)
        let labels = ["", "goal ≥ 50", "household.workers ≥ 4000 and household.firms ≥ 30 and a very long tail of text"]
        for trial in 0..<300 {
            let bins = 1 + random.below(120)
            let counts = (0..<bins).map { _ in UInt64(random.below(3) == 0 ? 0 : random.below(1_000_000)) }
            let low = (random.unit() - 0.5) * pow10(random.below(12) - 4)
            let high = low + random.unit() * pow10(random.below(12) - 4)
            let value = low + (high - low) * (random.unit() * 1.4 - 0.2)
            let threshold = trial % 4 == 0 ? nil : TextHistogram.Threshold(value, label: labels[trial % labels.count])
            let width = trial % 3 == 0 ? 80 : 1 + random.below(100)
            let lines = TextHistogram.render(counts: counts, low: low, high: high, threshold: threshold,
                                             width: width, height: 1 + random.below(10))
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(line.count <= min(width, 80), "\(line.count) > \(width): \(line)")
            }
        }
    }

    @Test func singleSpikeFillsItsColumnWithFullBlocks() {
        var counts = Array(repeating: UInt64(0), count: 60)
        counts[17] = 1234
        let height = 5
        let lines = TextHistogram.render(counts: counts, low: 0, high: 60, height: height)
        for row in 0..<height {
            #expect(Self.cell(lines[row], 17) == "█")
            for column in 0..<60 where column != 17 {
                #expect(Self.cell(lines[row], column) == " ")
            }
        }
        #expect(lines[height].count == 60)  // the axis
    }

    @Test func barHeightsUseEighthBlocks() {
        // With height 1, a bin at 3/8 of the tallest shows "▃".
        let lines = TextHistogram.render(counts: [8, 3, 0, 1], low: 0, high: 4, height: 1)
        #expect(Array(lines[0]) == ["█", "▃", " ", "▁"])
        // A tiny nonzero bin still shows the smallest step.
        let tiny = TextHistogram.render(counts: [1_000_000, 1], low: 0, high: 2, height: 2)
        #expect(Self.cell(tiny[1], 1) == "▁")
    }

    @Test func thresholdMarkerLandsInTheColumnOfItsValue() {
        let counts: [UInt64] = (0..<70).map { UInt64(100 + 10 * (35 - abs(35 - $0))) }
        for value in [20.0, 33.3, 50, 57.14, 88.0, 89.99] {
            let low = 20.0
            let high = 90.0
            let expected = Int((value - low) / (high - low) * 70)
            let lines = TextHistogram.render(counts: counts, low: low, high: high,
                                             threshold: .init(value, label: "goal ≥ \(value)"), height: 4)
            let markerRow = lines[lines.count - 2]
            #expect(Self.cell(markerRow, expected) == "▲", "value \(value): \(markerRow)")
            #expect(Array(markerRow).filter { $0 == "▲" }.count == 1)
            #expect(markerRow.contains("goal ≥ \(value)"))
            let axis = lines[4]
            #expect(["┴", "┼"].contains(Self.cell(axis, expected)))
            // In the bar rows the marker column shows the bar, or "┃" where it is empty.
            for row in 0..<4 {
                let c = Self.cell(lines[row], expected)
                #expect(c == "┃" || Self.blocks.contains(c))
            }
            #expect(TextHistogram.column(of: value, low: low, high: high, columns: 70) == expected)
        }
    }

    @Test func thresholdOffTheAxisPointsOutwards() {
        let counts: [UInt64] = [1, 2, 3, 2, 1]
        let below = TextHistogram.render(counts: counts, low: 10, high: 20, threshold: .init(5, label: "min 5"))
        #expect(below[below.count - 2].hasPrefix("◀ min 5"))
        let above = TextHistogram.render(counts: counts, low: 10, high: 20, threshold: .init(25, label: "max 25"))
        #expect(above[above.count - 2].hasSuffix("max 25 ▶"))
        #expect(!below.contains { $0.contains("┃") })
    }

    @Test func sharedMaximumScalesHistogramsIdentically() {
        let common: [UInt64] = [0, 5, 40, 120, 300, 180, 90, 20, 3, 0]
        var other = common
        other[8] = 900  // a taller bin elsewhere sets the shared scale
        let shared = max(common.max()!, other.max()!)
        let a = TextHistogram.render(counts: common, low: 0, high: 10, height: 6, scaleMaximum: shared)
        let b = TextHistogram.render(counts: other, low: 0, high: 10, height: 6, scaleMaximum: shared)
        for row in 0..<6 {
            for column in 0..<8 {
                #expect(Self.cell(a[row], column) == Self.cell(b[row], column))
            }
        }
        // Scaled alone, the first histogram would be drawn taller.
        let alone = TextHistogram.render(counts: common, low: 0, high: 10, height: 6)
        #expect(Self.cell(alone[0], 4) == "█")
        #expect(Self.cell(a[0], 4) == " ")
        // Bins above the given maximum are cut at full height.
        let cut = TextHistogram.render(counts: [10, 1_000], low: 0, high: 2, height: 2, scaleMaximum: 10)
        #expect(Self.cell(cut[0], 1) == "█" && Self.cell(cut[0], 0) == "█")
    }

    @Test func tickLabelsShowLowMiddleAndHigh() {
        let lines = TextHistogram.render(counts: Array(repeating: 1, count: 60), low: 20, high: 80)
        let ticks = lines.last!
        #expect(ticks.hasPrefix("20 "))
        #expect(ticks.hasSuffix("80"))
        #expect(ticks.count == 60)
        #expect(Self.cell(ticks, 30) == "5" && Self.cell(ticks, 31) == "0")
        #expect(Self.cell(ticks, 29) == " ")
        let axis = lines[lines.count - 2]
        #expect(Self.cell(axis, 0) == "┬" && Self.cell(axis, 30) == "┬" && Self.cell(axis, 59) == "┬")
    }

    @Test func tickLabelsAreCompact() {
        let cases: [(Double, String)] = [
            (0, "0"), (52.5, "52.5"), (-3, "-3"), (0.06, "0.06"), (0.001234, "0.001234"),
            (1234, "1234"), (9999.4, "9999"), (9999.6, "10k"), (12_345, "12.35k"), (250_000, "250k"),
            (1_000_000, "1M"), (3.25e9, "3.25G"), (1.5e-5, "1.5e-05"), (2e15, "2e15"), (-0.5, "-0.5"),
            (1 / 3.0, "0.3333"), (0.1 + 0.2, "0.3"),
        ]
        for (value, text) in cases {
            #expect(TextHistogram.tickLabel(value) == text, "\(value)")
        }
    }

    @Test func niceRangeCoversDataAndThresholdWithRoundEnds() {
        let r = TextHistogram.niceRange(low: 23.7, high: 81.2, including: [50])
        #expect(r.low <= 23.7 && r.high >= 81.2)
        #expect(r.low == 20 && r.high == 90)
        let far = TextHistogram.niceRange(low: 0.031, high: 0.074, including: [0.1])
        #expect(far.low <= 0.031 && far.high >= 0.1)
        // Non-negative data keep a non-negative axis.
        let counts = TextHistogram.niceRange(low: 0, high: 37, including: [])
        #expect(counts.low == 0 && counts.high >= 37)
        let negative = TextHistogram.niceRange(low: -37, high: -2, including: [])
        #expect(negative.high == 0 && negative.low <= -37)
        let constant = TextHistogram.niceRange(low: 5, high: 5, including: [])
        #expect(constant.low < 5 && constant.high > 5)
        // The middle of the range is a whole number of steps from each end.
        for (lo, hi) in [(1.0, 7.3), (-4.2, 13.9), (1e6, 3.7e6), (0.00012, 0.00071)] {
            let nice = TextHistogram.niceRange(low: lo, high: hi)
            #expect(nice.low <= lo && nice.high >= hi)
            #expect(nice.high - nice.low < (hi - lo) * 1.6)
        }
    }

    @Test func summariesShareOneAxisAndScale() {
        var random = ReportTestRandom(seed: 0x7E47_0002)
        var base = MetricSummary()
        var policy = MetricSummary()
        for _ in 0..<100_000 {
            base.add(40 + 6 * random.bell())
            policy.add(52 + 8 * random.bell())
        }
        policy.add(10_000)  // a lone outlier does not stretch the axis
        guard let range = TextHistogram.niceRange(for: [base, policy], including: [50]) else {
            Issue.record("no range")
            return
        }
        #expect(range.low < 30 && range.high > 70 && range.high < 200)
        let bins = 72
        let baseCounts = base.binCounts(low: range.low, high: range.high, bins: bins)
        let policyCounts = policy.binCounts(low: range.low, high: range.high, bins: bins)
        let shared = max(baseCounts.max()!, policyCounts.max()!)
        let threshold = TextHistogram.Threshold(50, label: "goal ≥ 50")
        let drawings = [baseCounts, policyCounts].map {
            TextHistogram.render(counts: $0, low: range.low, high: range.high, threshold: threshold, scaleMaximum: shared)
        }
        for lines in drawings {
            #expect(lines.count == 6 + 3)
            #expect(lines.allSatisfy { $0.count <= 80 })
        }
        let marker = TextHistogram.column(of: 50, low: range.low, high: range.high, columns: bins)!
        #expect(Self.cell(drawings[0][7], marker) == "▲" && Self.cell(drawings[1][7], marker) == "▲")
        #expect(TextHistogram.niceRange(for: [MetricSummary()]) == nil)
    }

    @Test func wholeNumberAxisHasNoEmptyColumnsBetweenValues() {
        var random = ReportTestRandom(seed: 0x7E47_0003)
        let small = MetricSummary((0..<50_000).map { _ in Double(20 + random.below(21)) })
        guard let axis = TextHistogram.axis(for: [small], including: [38]) else {
            Issue.record("no axis")
            return
        }
        #expect(axis.wholeNumbers)
        #expect(axis.low.truncatingRemainder(dividingBy: 1).magnitude == 0.5)
        #expect((axis.high - axis.low) / Double(axis.bins) == 1)
        let counts = small.binCounts(low: axis.low, high: axis.high, bins: axis.bins)
        let occupied = counts.indices.filter { counts[$0] > 0 }
        #expect(occupied.count == 21)
        #expect(occupied.last! - occupied.first! == 20)
        let lines = TextHistogram.render(counts: counts, axis: axis, threshold: .init(38, label: "≥ 38"))
        // The report's way (shares of runs) draws the same bars: one per whole number, all full.
        let shared = TextHistogram.renderShared([small], threshold: .init(38, label: "≥ 38"))[0]
        #expect(shared.count == lines.count)
        let bottom = Array(shared[TextHistogram.defaultHeight - 1])
        #expect(occupied.allSatisfy { $0 < bottom.count && bottom[$0] == "█" }, "\(shared)")
        #expect(lines.last!.hasPrefix(TextHistogram.tickLabel(axis.low + 0.5)))
        #expect(Self.cell(lines[lines.count - 2], TextHistogram.column(of: 38, low: axis.low, high: axis.high, columns: axis.bins)!) == "▲")

        // A wide range of whole numbers: several per bin, a round number of them.
        let wide = MetricSummary((0..<50_000).map { _ in (4000 + 300 * random.bell()).rounded() })
        let wideAxis = TextHistogram.axis(for: [wide], maximumColumns: 72)!
        let perBin = (wideAxis.high - wideAxis.low) / Double(wideAxis.bins)
        #expect(wideAxis.wholeNumbers && wideAxis.bins <= 72)
        #expect([1.0, 2, 5, 10, 20, 50, 100].contains(perBin))
        let wideCounts = wide.binCounts(low: wideAxis.low, high: wideAxis.high, bins: wideAxis.bins)
        let wideOccupied = wideCounts.indices.filter { wideCounts[$0] > 0 }
        #expect(wideOccupied.count == wideOccupied.last! - wideOccupied.first! + 1)

        // Fractional data get the plain range and the requested columns.
        let fractional = MetricSummary((0..<1_000).map { _ in random.unit() })
        let plain = TextHistogram.axis(for: [fractional], maximumColumns: 60)!
        #expect(!plain.wholeNumbers && plain.bins == 60)
    }

    @Test func sharedRenderingUsesOneAxisOneScaleAndMarksClippedTails() {
        var random = ReportTestRandom(seed: 0x7E47_0004)
        var base = MetricSummary()
        var policy = MetricSummary()
        for _ in 0..<20_000 {
            base.add(0.04 + 0.015 * random.bell())
            policy.add(0.06 + 0.02 * random.bell())
        }
        policy.add(5)  // beyond the common axis
        let drawings = TextHistogram.renderShared([base, MetricSummary(), policy],
                                                  threshold: .init(0.06, label: "cagr ≥ 0.06"), height: 5)
        #expect(drawings.count == 3)
        #expect(drawings[1].isEmpty)
        for lines in [drawings[0], drawings[2]] {
            #expect(lines.count == 5 + 3)
            #expect(lines.allSatisfy { $0.count <= 80 })
            // Same axis: identical axis and marker rows.
            #expect(lines[5] == drawings[0][5] && lines[6] == drawings[0][6])
        }
        #expect(drawings[2].last!.contains("≥"))
        #expect(!drawings[0].last!.contains("≥"))
        // One scale: only the drawing holding the tallest bin reaches the top row with a full block.
        let topRows = [drawings[0][0], drawings[2][0]].map { $0.contains("█") }
        #expect(topRows.filter { $0 }.count == 1)

        // Bars compare shares, not raw counts: twice the runs of the same
        // distribution draw the same histogram.
        var doubled = base
        doubled.merge(base)
        let pair = TextHistogram.renderShared([base, doubled], height: 5)
        #expect(pair[0] == pair[1])
    }

    private func pow10(_ k: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(k) { result *= 10 }
        return k < 0 ? 1 / result : result
    }
}
