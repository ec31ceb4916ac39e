/// Streaming, mergeable summary of one metric over many runs: exact sums for
/// mean and standard deviation, a fine histogram for quantiles and display.
///
/// NaN and ±infinity are counted in `nonFiniteCount` and left out of
/// everything else. Every statistic is a function of the multiset of values
/// added, so summaries built on different threads or machines and merged in
/// any order give bit-identical results.
public struct MetricSummary: Sendable, Equatable, Codable {
    /// Exact sum of the finite values.
    private var total: FixedPointSum
    /// Exact sum of the squares of the finite values (see
    /// `FixedPointSum.addSquare`: exact unless a square underflows).
    private var squares: FixedPointSum
    /// Distribution of the finite values.
    public private(set) var histogram: QuantileHistogram
    /// Number of NaN or infinite values seen.
    public private(set) var nonFiniteCount: UInt64
    /// Whether every finite value so far was a whole number.
    private var allWhole: Bool

    private enum CodingKeys: String, CodingKey {
        case total = "sum", squares = "sumOfSquares", histogram, nonFiniteCount, allWhole
    }

    /// An empty summary.
    public init() {
        total = FixedPointSum()
        squares = FixedPointSum()
        histogram = QuantileHistogram()
        nonFiniteCount = 0
        allWhole = true
    }

    /// A summary of the given values.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init()
        for x in values { add(x) }
    }

    /// Adds one observation; NaN and infinities only increase `nonFiniteCount`.
    @inline(__always)
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            nonFiniteCount &+= 1
            return
        }
        total.add(x)
        squares.addSquare(of: x)
        histogram.add(x)
        if allWhole {
            // Magnitudes from 2^52 up are always whole; below, compare with the truncation.
            let magnitude = x.magnitude
            if magnitude < 0x1p52 && Double(Int64(magnitude)) != magnitude { allWhole = false }
        }
    }

    /// Touches the histogram bucket of `x` ahead of `add` (see `QuantileHistogram.peekCount`).
    @inline(__always)
    public func peek(_ x: Double) -> UInt64 { histogram.peekCount(x) }

    /// Combines with a summary of other observations of the same metric.
    public mutating func merge(_ other: MetricSummary) {
        total.merge(other.total)
        squares.merge(other.squares)
        histogram.merge(other.histogram)
        nonFiniteCount &+= other.nonFiniteCount
        allWhole = allWhole && other.allWhole
    }

    /// Exact sum of the finite values.
    public var sum: ExactSum { total.exactSum }

    /// Exact sum of the squares of the finite values (each square counted
    /// exactly, as its rounded product plus the rounding error).
    public var sumOfSquares: ExactSum { squares.exactSum }

    /// Number of finite values.
    public var count: UInt64 { histogram.count }
    /// Number of values seen, finite or not.
    public var totalCount: UInt64 { histogram.count &+ nonFiniteCount }
    /// Smallest finite value, or nil if none.
    public var min: Double? { histogram.min }
    /// Largest finite value, or nil if none.
    public var max: Double? { histogram.max }
    /// True when there is at least one finite value and all are whole numbers;
    /// quantiles are then reported as whole numbers (exact below 8192, see
    /// `QuantileHistogram.quantile(_:integerValued:)`).
    public var isIntegerValued: Bool { count > 0 && allWhole }

    /// Mean of the finite values (the correctly rounded sum divided by the
    /// count); NaN when there are none.
    public var mean: Double {
        guard count > 0 else { return .nan }
        return total.value / Double(count)
    }

    /// Sample standard deviation (n − 1 in the denominator) of the finite
    /// values; NaN for fewer than two (undefined, as in pandas and numpy
    /// with ddof = 1), shown as n/a and null in JSON.
    ///
    /// Computed as sqrt(max(0, (Σx² − (Σx)²/n)/(n−1))) from the exact sums,
    /// with the numerator n·Σx² − (Σx)² itself formed exactly (products
    /// split with fused multiply-adds), so there is no cancellation even when
    /// the mean is large compared with the spread. Exact up to a few rounding
    /// errors while n·Σx² stays within the `Double` range.
    public var standardDeviation: Double { variance.squareRoot() }

    /// Sample variance (n − 1 in the denominator), computed as described for
    /// `standardDeviation` (its square root); NaN for fewer than two values.
    public var variance: Double {
        let n = count
        guard n >= 2 else { return .nan }
        let nDouble = Double(n)
        let sumOfSquares = self.sumOfSquares
        let sum = self.sum
        var numerator = ExactSum()
        sumOfSquares.withPartials { partials in
            for q in partials { Self.addProduct(q, nDouble, to: &numerator) }
        }
        sum.withPartials { partials in
            for a in partials {
                for b in partials { Self.addProduct(-a, b, to: &numerator) }
            }
        }
        var variance: Double
        let exactNumerator = numerator.value
        if sum.value.isFinite && sumOfSquares.value.isFinite && exactNumerator.isFinite {
            variance = exactNumerator / nDouble / (nDouble - 1)
        } else {
            // Out of the exact range: fall back on the plain formula.
            let s = sum.value
            variance = (sumOfSquares.value - s * (s / nDouble)) / (nDouble - 1)
        }
        if variance.isNaN { return .nan }
        return Swift.max(0, variance)
    }

    /// Quantile of the finite values (see `QuantileHistogram.quantile`);
    /// whole numbers when `isIntegerValued` (exact below 8192). NaN when empty.
    public func quantile(_ q: Double) -> Double {
        histogram.quantile(q, integerValued: isIntegerValued)
    }

    /// Several quantiles in one pass, in the order requested.
    public func quantiles(_ qs: [Double]) -> [Double] {
        histogram.quantiles(qs, integerValued: isIntegerValued)
    }

    /// Display-bin counts of the finite values (see `QuantileHistogram.binCounts`).
    public func binCounts(low: Double, high: Double, bins: Int) -> [UInt64] {
        histogram.binCounts(low: low, high: high, bins: bins, integerValued: isIntegerValued)
    }

    /// Display-bin shares of the finite values (see `QuantileHistogram.binShares`).
    public func binShares(low: Double, high: Double, bins: Int) -> [Double] {
        histogram.binShares(low: low, high: high, bins: bins, integerValued: isIntegerValued)
    }

    /// Adds a·b exactly (as its rounded product and the rounding error).
    private static func addProduct(_ a: Double, _ b: Double, to total: inout ExactSum) {
        let product = a * b
        total.add(product)
        let error = (-product).addingProduct(a, b)
        if error != 0 && error.isFinite { total.add(error) }
    }
}
