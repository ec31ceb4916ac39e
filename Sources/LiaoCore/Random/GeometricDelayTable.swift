import Foundation

/// The geometric distribution of `RandomStream.geometric(mean:)` with its
/// powers of q tabulated, so that a draw compares one uniform with the table
/// instead of taking a logarithm.
///
/// Inversion gives D = ⌊log U / log q⌋, and D ≥ k exactly when U ≤ qᵏ; so D is
/// the number of leading table entries q¹, q², … that U does not exceed. A
/// draw takes about mean + 1 comparisons; a U beyond the table (probability
/// q^`size`) falls back on the logarithm. The powers are products of q, so a
/// U within a few ulps of a boundary may land one count away from what the
/// logarithm would give: both are exact samplers up to that rounding.
struct GeometricDelayTable {
    /// Powers q¹ … q^size are tabulated.
    static let size = 32
    /// The mean d this table is for (NaN for the empty table).
    let mean: Double
    private let logQ: Double
    private var powers: (
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double,
        Double, Double, Double, Double, Double, Double, Double, Double
    ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// An empty table; `draw` must not be used on it.
    init() {
        mean = .nan
        logQ = .nan
    }

    /// The table for mean d > 0 (q = d / (1 + d)).
    init(mean d: Double) {
        mean = d
        logQ = -log1p(1 / d)
        let q = d / (1 + d)
        withUnsafeMutableBytes(of: &powers) { raw in
            let p = raw.bindMemory(to: Double.self)
            var power = 1.0
            for k in 0..<Self.size {
                power *= q
                p[k] = power
            }
        }
    }

    /// One geometric draw from one uniform of `stream`.
    /// (Mutating only so that the table is read in place, not copied.)
    @inline(__always)
    mutating func draw(_ stream: inout RandomStream) -> Int {
        let u = stream.openUnit()
        let count = withUnsafeMutableBytes(of: &powers) { raw -> Int in
            let p = raw.bindMemory(to: Double.self)
            var k = 0
            while k < Self.size && u <= p[k] { k += 1 }
            return k
        }
        if count < Self.size { return count }
        let x = log(u) / logQ
        return x < 0x1p62 ? Int(x) : 1 << 62
    }
}
