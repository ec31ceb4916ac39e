public import LiaoCore
#if canImport(Glibc)
import Glibc  // links the C math library used by rounding
#elseif canImport(Musl)
import Musl
#endif

/// Renders display-bin counts as a small vertical-bar histogram in text.
///
/// Layout (one column per bin, `height` rows of bars, then the axis, the
/// threshold marker and the tick labels for low, middle and high):
///
///               ┃   ▃▆▇█▇▆▃
///               ┃▂▅█████████▅▂
///      ▁▁▁▁▁▁▂▃▅▇█████████████▇▅▃▂▁▁▁
///     ┬─────────┴────┬──────────────┬
///               ▲ goal ≥ 50
///     40             55            70
///
/// Bars use the eighth blocks " ▁▂▃▄▅▆▇█", so a bar's height has `8 × height`
/// steps; any nonzero bin shows at least one step. Heights are scaled to the
/// tallest bin, or to a caller-given `scaleMaximum` so that histograms of
/// several scenarios, drawn one above the other on a common axis (see
/// `axis(for:)`), share one vertical scale; `renderShared` does all of that
/// for a list of summaries.
///
/// Every returned line has at most `width` (≤ 80) characters, all of them
/// single-width; trailing spaces are removed. Rendering is pure: nothing is
/// printed.
public enum TextHistogram {
    /// A value marked on the axis, such as a goal's threshold.
    public struct Threshold: Sendable, Equatable {
        public var value: Double
        public var label: String

        public init(_ value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The widest line ever produced.
    public static let maximumWidth = 80
    /// Bar rows used when the caller does not say.
    public static let defaultHeight = 6

    private static let levels: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Lines of a histogram of `counts` (one per display bin, as produced by
    /// `MetricSummary.binCounts` over `[low, high]`).
    ///
    /// - Parameters:
    ///   - counts: Bin counts, lowest values first. If there are more bins
    ///     than `width`, neighbouring bins are added together to fit.
    ///   - low: Value at the left edge of the first bin.
    ///   - high: Value at the right edge of the last bin.
    ///   - threshold: Optional value to mark: its column gets `┃` in the cells
    ///     its bar leaves empty, `┴` on the axis and `▲` with the label below.
    ///     A value outside `[low, high]` is shown as `◀ label` or `label ▶`.
    ///   - width: Maximum line width in characters (at most 80).
    ///   - height: Number of bar rows (at least 1).
    ///   - scaleMaximum: Count drawn as a full-height bar; defaults to the
    ///     tallest bin. Taller bins are cut at full height.
    ///   - wholeNumberTicks: Label the ticks with the first whole number of
    ///     their column instead of the column's left edge (for an axis from
    ///     `axis(for:)` with `wholeNumbers` set, whose edges are at halves).
    ///   - clippedBelow: The first bin also holds values below `low`; its
    ///     tick label is then prefixed with "≤".
    ///   - clippedAbove: The last bin also holds values above `high`; its
    ///     tick label is then prefixed with "≥".
    public static func render(
        counts: [UInt64],
        low: Double,
        high: Double,
        threshold: Threshold? = nil,
        width: Int = maximumWidth,
        height: Int = defaultHeight,
        scaleMaximum: UInt64? = nil,
        wholeNumberTicks: Bool = false,
        clippedBelow: Bool = false,
        clippedAbove: Bool = false
    ) -> [String] {
        let width = Swift.min(Swift.max(width, 1), maximumWidth)
        let height = Swift.max(height, 1)
        let columns = fit(counts, into: width)
        let n = columns.count
        guard n > 0 else { return [] }

        let scale = Swift.max(scaleMaximum ?? columns.max() ?? 1, 1)
        let units = height * 8
        let eighths = columns.map { binCount -> Int in
            guard binCount > 0 else { return 0 }
            let steps = Int((Double(binCount) / Double(scale) * Double(units)).rounded())
            return Swift.min(Swift.max(steps, 1), units)
        }
        let markerColumn = threshold.flatMap { column(of: $0.value, low: low, high: high, columns: n) }

        var lines: [String] = []
        lines.reserveCapacity(height + 3)
        for row in 0..<height {
            let base = (height - 1 - row) * 8
            var cells: [Character] = []
            cells.reserveCapacity(n)
            for col in 0..<n {
                let fill = Swift.min(Swift.max(eighths[col] - base, 0), 8)
                cells.append(fill == 0 && col == markerColumn ? "┃" : levels[fill])
            }
            lines.append(trimmed(cells))
        }

        // The middle tick: the column holding the middle value (for whole-number
        // ticks, the middle column, labelled with its first whole number).
        let middle = wholeNumberTicks || !(high > low)
            ? n / 2
            : QuantileHistogram.displayBin(of: low + (high - low) / 2, low: low, high: high, bins: n)
        var axis = Array(repeating: Character("─"), count: n)
        for tick in [0, middle, n - 1] { axis[tick] = "┬" }
        if let m = markerColumn { axis[m] = axis[m] == "┬" ? "┼" : "┴" }
        lines.append(String(axis))

        if let threshold {
            lines.append(markerLine(threshold, column: markerColumn, low: low, columns: n, width: width))
        }
        lines.append(tickLine(low: low, high: high, columns: n, middle: middle, width: width,
                              wholeNumbers: wholeNumberTicks, clippedBelow: clippedBelow, clippedAbove: clippedAbove))
        return lines
    }

    /// `render` on an axis from `axis(for:including:maximumColumns:)`;
    /// `counts` should come from `binCounts` with the axis's range and bins.
    public static func render(
        counts: [UInt64],
        axis: Axis,
        threshold: Threshold? = nil,
        width: Int = maximumWidth,
        height: Int = defaultHeight,
        scaleMaximum: UInt64? = nil,
        clippedBelow: Bool = false,
        clippedAbove: Bool = false
    ) -> [String] {
        render(counts: counts, low: axis.low, high: axis.high, threshold: threshold, width: width,
               height: height, scaleMaximum: scaleMaximum, wholeNumberTicks: axis.wholeNumbers,
               clippedBelow: clippedBelow, clippedAbove: clippedAbove)
    }

    /// Histograms of several summaries of one metric (say, one per scenario)
    /// for drawing one above the other: one common axis (`axis(for:)`, which
    /// also covers the threshold), one common vertical scale (bins are
    /// compared as shares of each summary's values, so summaries of different
    /// numbers of runs stay comparable), and "≤"/"≥" on an end label when a
    /// summary has values beyond that end. Returns one set of lines per
    /// summary, in order; an empty summary gets an empty set, and all are
    /// empty when no summary has values and there is no threshold.
    public static func renderShared(
        _ summaries: [MetricSummary],
        threshold: Threshold? = nil,
        maximumColumns: Int = 72,
        height: Int = defaultHeight
    ) -> [[String]] {
        let thresholds = threshold.map { [$0.value] } ?? []
        guard let axis = axis(for: summaries, including: thresholds, maximumColumns: maximumColumns) else {
            return summaries.map { _ in [] }
        }
        // Shares in parts per billion: plenty of resolution for 8 × height steps.
        let shares = summaries.map { summary -> [UInt64] in
            let binShares = summary.binShares(low: axis.low, high: axis.high, bins: axis.bins)
            let total = Double(Swift.max(summary.count, 1))
            return binShares.map { UInt64((Double($0) / total * 1e9).rounded()) }
        }
        let shared = shares.map { $0.max() ?? 0 }.max() ?? 0
        return zip(summaries, shares).map { summary, binShares in
            guard summary.count > 0 else { return [] }
            return render(counts: binShares, axis: axis, threshold: threshold, height: height,
                          scaleMaximum: shared,
                          clippedBelow: (summary.min ?? axis.low) < axis.low,
                          clippedAbove: (summary.max ?? axis.high) > axis.high)
        }
    }

    /// The column (0..<`columns`) whose bin holds `value`, exactly as
    /// `QuantileHistogram.displayBin` assigns values to bins; nil outside
    /// `[low, high]`.
    public static func column(of value: Double, low: Double, high: Double, columns: Int) -> Int? {
        guard columns > 0, value >= low, value <= high else { return nil }
        return QuantileHistogram.displayBin(of: value, low: low, high: high, bins: columns)
    }

    // MARK: - Common axis

    /// A tidy axis range covering `[low, high]` and every value in `including`
    /// (such as goal thresholds): padded by 4% of the span on each side
    /// (never crossing zero when the data do not), then widened to whole
    /// steps of 1, 2, 2.5 or 5 × 10^k, with an even number of steps so that
    /// the middle tick is a round number too.
    public static func niceRange(low: Double, high: Double, including: [Double] = []) -> (low: Double, high: Double) {
        niceRange(low: low, high: high, including: including, keepAboveZero: true, keepBelowZero: true)
    }

    /// A common axis for one or several summaries of the same metric: spans
    /// their 0.5th to 99.5th percentiles (so single outliers do not squash
    /// the picture) and the values in `including`, tidied by
    /// `niceRange(low:high:including:)`. The padding stops at zero only if
    /// no value at all lies on the other side. Nil when every summary is
    /// empty and nothing is to be included.
    public static func niceRange(for summaries: [MetricSummary], including: [Double] = []) -> (low: Double, high: Double)? {
        var lo = Double.infinity
        var hi = -Double.infinity
        var smallest = Double.infinity
        var largest = -Double.infinity
        for summary in summaries where summary.count > 0 {
            let q = summary.quantiles([0.005, 0.995])
            lo = Swift.min(lo, q[0])
            hi = Swift.max(hi, q[1])
            smallest = Swift.min(smallest, summary.min ?? lo)
            largest = Swift.max(largest, summary.max ?? hi)
        }
        let extra = including.filter(\.isFinite)
        if lo > hi {
            guard let first = extra.first else { return nil }
            lo = first
            hi = first
        }
        return niceRange(low: lo, high: hi, including: extra,
                         keepAboveZero: smallest >= 0, keepBelowZero: largest <= 0)
    }

    /// Where to draw one or several summaries on a common axis: the range of
    /// `niceRange(for:including:)` and a number of display bins (one column
    /// each) up to `maximumColumns`. When every summary holds whole numbers
    /// only, the bins are aligned so that each covers the same number of
    /// whole numbers (1, 2, 5, 10, 20, 50, … of them), with edges halfway
    /// between whole numbers, which avoids the comb of empty columns that
    /// equal-width bins would show between the values.
    public static func axis(for summaries: [MetricSummary], including: [Double] = [],
                            maximumColumns: Int = 72) -> Axis? {
        // Values near the largest Double can round their axis out of range: no histogram then.
        guard let range = niceRange(for: summaries, including: including),
              range.low.isFinite, range.high.isFinite, (range.high - range.low).isFinite
        else { return nil }
        let columns = Swift.min(Swift.max(maximumColumns, 1), maximumWidth)
        let nonEmpty = summaries.filter { $0.count > 0 }
        guard !nonEmpty.isEmpty, nonEmpty.allSatisfy(\.isIntegerValued) else {
            return Axis(low: range.low, high: range.high, bins: columns)
        }
        let first = range.low.rounded(.up)
        let last = range.high.rounded(.down)
        guard last >= first, last - first < 1e15 else {
            return Axis(low: range.low, high: range.high, bins: columns)
        }
        let wholeNumbers = last - first + 1
        // Whole numbers per bin: the smallest of 1, 2, 5 × 10^k that fits.
        let mantissas: [Double] = [1, 2, 5]
        var mantissaIndex = 0
        var scale = 1.0
        var perBin = 1.0
        while (wholeNumbers / perBin).rounded(.up) > Double(columns) {
            mantissaIndex += 1
            if mantissaIndex == mantissas.count {
                mantissaIndex = 0
                scale *= 10
            }
            perBin = mantissas[mantissaIndex] * scale
        }
        let start = (first / perBin).rounded(.down) * perBin
        let bins = Int(((last + 1 - start) / perBin).rounded(.up))
        return Axis(low: start - 0.5, high: start - 0.5 + Double(bins) * perBin, bins: bins, wholeNumbers: true)
    }

    /// A display axis: the value range and the number of bins (columns).
    public struct Axis: Sendable, Equatable {
        public var low: Double
        public var high: Double
        public var bins: Int
        /// Bins cover whole numbers only, with edges halfway between them;
        /// ticks then name the first whole number of their column.
        public var wholeNumbers: Bool

        public init(low: Double, high: Double, bins: Int, wholeNumbers: Bool = false) {
            self.low = low
            self.high = high
            self.bins = bins
            self.wholeNumbers = wholeNumbers
        }
    }

    private static func niceRange(low: Double, high: Double, including: [Double],
                                  keepAboveZero: Bool, keepBelowZero: Bool) -> (low: Double, high: Double) {
        var lo = Swift.min(low, high)
        var hi = Swift.max(low, high)
        if !lo.isFinite || !hi.isFinite {
            let finite = [low, high].filter(\.isFinite)
            lo = finite.min() ?? 0
            hi = finite.max() ?? 0
        }
        for v in including where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        let nonNegative = keepAboveZero && lo >= 0
        let nonPositive = keepBelowZero && hi <= 0
        if hi == lo {
            let spread = lo == 0 ? 1 : lo.magnitude * 0.1
            lo -= spread
            hi += spread
        }
        let pad = (hi - lo) * 0.04
        lo -= pad
        hi += pad
        if nonNegative { lo = Swift.max(lo, 0) }
        if nonPositive { hi = Swift.min(hi, 0) }

        let (stepMantissa, stepExponent) = niceStep(atLeast: (hi - lo) / 16)
        let step = decimal(stepMantissa, exponent: stepExponent)
        var first = (lo / step).rounded(.down)
        var last = (hi / step).rounded(.up)
        if (last - first).truncatingRemainder(dividingBy: 2) != 0 {
            if nonPositive && last == 0 { first -= 1 } else { last += 1 }
        }
        return (decimal(first * stepMantissa, exponent: stepExponent),
                decimal(last * stepMantissa, exponent: stepExponent))
    }

    // MARK: - Number labels

    /// A short label for an axis value: at most 4 significant digits, trailing
    /// zeros dropped; k, M, G, T suffixes from 10 000 up to 10^15, and
    /// e-notation only for magnitudes below 0.001 or from 10^15.
    /// Examples: 0, 0.06, 52.5, 1234, 12.35k, 3M, 1.5e-05.
    public static func tickLabel(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let (digits, exponent) = significantDigits(of: value.magnitude, count: 4)
        switch exponent {
        case ..<(-3), 15...:
            let mantissa = place(digits, count: 4, integerDigits: 1)
            let e = exponent < 0 ? "-" + twoDigits(-exponent) : twoDigits(exponent)
            return sign + mantissa + "e" + e
        case ...3:
            return sign + place(digits, count: 4, integerDigits: exponent + 1)
        default:
            let group = exponent / 3
            let suffix = ["", "k", "M", "G", "T"][group]
            return sign + place(digits, count: 4, integerDigits: exponent - 3 * group + 1) + suffix
        }
    }

    // MARK: - Internals

    /// Adds neighbouring bins together so that there are at most `width`.
    private static func fit(_ counts: [UInt64], into width: Int) -> [UInt64] {
        guard counts.count > width else { return counts }
        var merged = Array(repeating: UInt64(0), count: width)
        for (i, c) in counts.enumerated() {
            merged[i * width / counts.count] &+= c
        }
        return merged
    }

    private static func trimmed(_ cells: [Character]) -> String {
        var end = cells.count
        while end > 0 && cells[end - 1] == " " { end -= 1 }
        return String(cells[0..<end])
    }

    private static func markerLine(_ threshold: Threshold, column: Int?, low: Double, columns n: Int, width: Int) -> String {
        let label = threshold.label
        guard let column else {
            // Off the axis: point towards the side it lies on.
            if threshold.value < low {
                return String(("◀ " + label).prefix(width))
            }
            let text = String((label + " ▶").suffix(width))
            let start = Swift.max(0, Swift.min(n, width) - text.count)
            return String(repeating: " ", count: start) + text
        }
        let rightText = label.isEmpty ? "▲" : "▲ " + label
        if column + rightText.count <= width {
            return String(repeating: " ", count: column) + rightText
        }
        let leftText = label + " ▲"
        if leftText.count <= column + 1 {
            return String(repeating: " ", count: column + 1 - leftText.count) + leftText
        }
        // Neither side has room for the whole label: cut it on the wider side.
        if width - column >= column + 1 {
            return String((String(repeating: " ", count: column) + rightText).prefix(width))
        }
        return String(String(leftText.suffix(column + 1)).prefix(width))
    }

    private static func tickLine(low: Double, high: Double, columns n: Int, middle: Int, width: Int,
                                 wholeNumbers: Bool, clippedBelow: Bool, clippedAbove: Bool) -> String {
        let columnWidth = (high - low) / Double(n)
        func value(atColumn column: Int, edge: Double) -> Double {
            wholeNumbers ? (low + 0.5 + Double(column) * columnWidth).rounded() : edge
        }
        let lowText = Array((clippedBelow ? "≤" : "") + tickLabel(value(atColumn: 0, edge: low)))
        let highText = Array((clippedAbove ? "≥" : "") + tickLabel(value(atColumn: n - 1, edge: high)))
        let middleText = Array(tickLabel(value(atColumn: middle, edge: low + (high - low) / 2)))
        var cells = Array(repeating: Character(" "), count: width)
        func put(_ text: [Character], at start: Int) {
            for (i, ch) in text.enumerated() where start + i >= 0 && start + i < width {
                cells[start + i] = ch
            }
        }
        put(lowText, at: 0)
        let highStart = Swift.max(n - highText.count, lowText.count + 1)
        put(highText, at: highStart)
        let middleStart = middle - (middleText.count - 1) / 2
        if middleStart > lowText.count && middleStart + middleText.count < highStart {
            put(middleText, at: middleStart)
        }
        return trimmed(cells)
    }

    /// The leading `count` significant decimal digits of a positive finite
    /// `value`, rounded to nearest, and the decimal exponent of the first one.
    private static func significantDigits(of value: Double, count: Int) -> (digits: Int64, exponent: Int) {
        var exponent = decimalExponent(of: value)
        var digits = (value / decimal(1, exponent: exponent - count + 1)).rounded()
        let limit = decimal(1, exponent: count)
        if digits >= limit {
            exponent += 1
            digits = (value / decimal(1, exponent: exponent - count + 1)).rounded()
        }
        return (Int64(Swift.min(digits, limit - 1)), exponent)
    }

    /// ⌊log10(value)⌋ for a positive finite value.
    private static func decimalExponent(of value: Double) -> Int {
        var e = Int((Double(value.exponent) * 0.301_029_995_663_981_2).rounded(.down))
        while value >= decimal(1, exponent: e + 1) { e += 1 }
        while value < decimal(1, exponent: e) { e -= 1 }
        return e
    }

    /// mantissa × 10^exponent, correctly rounded for whole mantissas.
    private static func decimal(_ mantissa: Double, exponent: Int) -> Double {
        if exponent >= 0 {
            if exponent <= 22 { return mantissa * Double("1e\(exponent)")! }
        } else if -exponent <= 22 {
            return mantissa / Double("1e\(-exponent)")!
        }
        return Double("\(mantissa)e\(exponent)") ?? mantissa * Double("1e\(exponent)")!
    }

    /// Writes `digits` (exactly `count` digits) with a decimal point after
    /// `integerDigits` of them (adding zeros as needed), trailing zeros of the
    /// fraction dropped.
    private static func place(_ digits: Int64, count: Int, integerDigits: Int) -> String {
        var text = String(digits)
        text = String(repeating: "0", count: Swift.max(0, count - text.count)) + text
        var whole: String
        var fraction: String
        if integerDigits <= 0 {
            whole = "0"
            fraction = String(repeating: "0", count: -integerDigits) + text
        } else if integerDigits >= count {
            whole = text + String(repeating: "0", count: integerDigits - count)
            fraction = ""
        } else {
            whole = String(text.prefix(integerDigits))
            fraction = String(text.dropFirst(integerDigits))
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `target`, as a
    /// mantissa (×10 so it is whole) and a decimal exponent.
    private static func niceStep(atLeast target: Double) -> (mantissa: Double, exponent: Int) {
        guard target > 0, target.isFinite else { return (10, -1) }
        let e = decimalExponent(of: target)
        for m in [10.0, 20, 25, 50, 100] where decimal(m, exponent: e - 1) >= target {
            return (m, e - 1)
        }
        return (100, e - 1)
    }
}
