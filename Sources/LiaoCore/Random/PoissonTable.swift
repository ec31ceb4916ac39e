import Foundation

/// Inversion of a Poisson distribution with its cumulative probabilities
/// tabulated: the draw for a uniform U is the smallest k with U < F(k).
///
/// F is built by one fixed recurrence (see `PoissonTable.Recurrence`), which
/// the table and the untabulated search (`RandomStream.poisson(mean:)`) both
/// use, so a table only makes the search faster: for the same uniform both
/// give the same count. A guide table of 2^m entries, entry j the first k with
/// F(k) > j/2^m, starts the search at most a step or two from its answer.
///
/// Used for means below `maximumMean`; larger means use PTRS.
public struct PoissonTable: Sendable {
    /// Means from here up are drawn by PTRS: a search from k = 0 would take
    /// too many steps (and e^(−mean) underflows from about 745 up).
    public static let maximumMean = 400.0

    /// The mean this table is for.
    public let mean: Double
    /// F(0), F(1), …, F(last).
    private let cumulative: [Double]
    /// Entry j: the first k with F(k) > j / guide.count (cumulative.count if none).
    private let guide: [UInt16]

    /// The table for 0 < mean < `maximumMean`; nil for other means.
    public init?(mean: Double) {
        guard mean > 0 && mean < Self.maximumMean else { return nil }
        self.mean = mean
        var f = Recurrence(mean: mean)
        var cumulative = [f.cumulative]
        while !f.isLast {
            f.advance()
            cumulative.append(f.cumulative)
        }
        // Means below 400 tabulate fewer than 700 counts, so UInt16 entries suffice.
        precondition(cumulative.count < Int(UInt16.max), "PoissonTable: too many counts for its guide")
        var size = 1
        while size < cumulative.count { size <<= 1 }
        var guide = [UInt16](repeating: 0, count: size)
        var k = 0
        for j in 0..<size {
            let threshold = Double(j) / Double(size)  // exact: size is a power of two
            while k < cumulative.count && cumulative[k] <= threshold { k += 1 }
            guide[j] = UInt16(k)
        }
        self.cumulative = cumulative
        self.guide = guide
    }

    /// The smallest k with u < F(k), for u in [0, 1); nil when u is at least
    /// the last F (only rounding of the sums leaves room for that).
    @_spi(Testing) @inline(__always)
    public func count(for u: Double) -> Int? {
        cumulative.withUnsafeBufferPointer { f in
            guide.withUnsafeBufferPointer { g in
                var k = Int(g[Int(u * Double(g.count))])  // u < 1, so the index is below g.count
                while k < f.count && !(u < f[k]) { k &+= 1 }
                return k < f.count ? k : nil
            }
        }
    }

    /// The same count as `count(for:)`, found without a table by summing F
    /// from k = 0 (about mean + 1 steps); `zeroProbability` is e^(−mean).
    @_spi(Testing) @inline(__always)
    public static func searchCount(for u: Double, mean: Double, zeroProbability: Double) -> Int? {
        var f = Recurrence(mean: mean, zeroProbability: zeroProbability)
        while true {
            if u < f.cumulative { return f.k }
            if f.isLast { return nil }
            f.advance()
        }
    }

    /// Number of tabulated counts, and of guide entries (for tests).
    @_spi(Testing) public var tabulatedCounts: Int { cumulative.count }
    @_spi(Testing) public var guideEntries: Int { guide.count }

    /// The pmf and cumulative probability of k = 0, 1, 2, … in turn:
    /// pmf(0) = F(0) = e^(−mean), pmf(k) = pmf(k − 1)·mean/k,
    /// F(k) = F(k − 1) + pmf(k). The last k is the first above the mean whose
    /// pmf is below 2^−60, where adding further terms no longer changes F
    /// (F is within a few ulps of 1 by then).
    struct Recurrence {
        let mean: Double
        private(set) var k = 0
        private(set) var pmf: Double
        private(set) var cumulative: Double

        @inline(__always)
        init(mean: Double, zeroProbability: Double) {
            self.mean = mean
            pmf = zeroProbability
            cumulative = zeroProbability
        }

        init(mean: Double) { self.init(mean: mean, zeroProbability: exp(-mean)) }

        @inline(__always)
        var isLast: Bool { Double(k) > mean && pmf < 0x1p-60 }

        @inline(__always)
        mutating func advance() {
            k &+= 1
            pmf *= mean / Double(k)
            cumulative += pmf
        }
    }
}

extension RandomStream {
    /// A Poisson draw by the table's inversion: one uniform (another only
    /// when a uniform falls past the table's last cumulative probability).
    /// The same count as `poisson(mean: table.mean)` for the same stream.
    @inline(__always)
    public mutating func poisson(_ table: PoissonTable) -> Int {
        while true {
            if let k = table.count(for: unit()) { return k }
        }
    }
}
