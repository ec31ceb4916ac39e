import Foundation

/// The geometric distribution of `RandomStream.geometric(mean:)` with its
/// powers of q tabulated, so that a draw compares one uniform with the table
/// instead of taking a logarithm.
///
/// Inversion gives D = ⌊log U / log q⌋, and D ≥ k exactly when U ≤ qᵏ; so D is
/// the number of table entries q¹, q², … that U does not exceed (the powers
/// decrease, so these are the leading ones), counted with vector
/// comparisons, 16 at a time; a U below the whole table (probability q^`size`) falls back
/// on the logarithm. The powers are products of q, so a
/// U within a few ulps of a boundary may land one count away from what the
/// logarithm would give: both are exact samplers up to that rounding.
struct GeometricDelayTable {
    /// Powers q¹ … q^size are tabulated.
    static let size = 32
    /// The mean d this table is for (NaN for the empty table).
    let mean: Double
    private let logQ: Double
    /// q¹…q⁸, q⁹…q¹⁶, q¹⁷…q²⁴, q²⁵…q³².
    private var powers: (SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>) = (.zero, .zero, .zero, .zero)

    /// An empty table; `draw` must not be used on it.
    init() {
        mean = .nan
        logQ = .nan
    }

    /// The table for mean d > 0 (q = d / (1 + d)).
    init(mean d: Double) {
        mean = d
        logQ = -log1p(1 / d)
        // An infinite mean (never completes) fills the table with ones, so
        // every draw goes to the logarithm, which gives the cap.
        let q = d.isFinite ? d / (1 + d) : 1
        var all = [Double](repeating: 0, count: Self.size)
        var power = 1.0
        for k in 0..<Self.size {
            power *= q
            all[k] = power
        }
        powers = (SIMD8(all[0..<8]), SIMD8(all[8..<16]), SIMD8(all[16..<24]), SIMD8(all[24..<32]))
    }

    /// One geometric draw from one uniform of `stream`. The entries U does
    /// not exceed are counted with vector comparisons rather than found by a
    /// loop, so the draw has no hard-to-predict branch.
    /// (Mutating only so that the table is read in place rather than copied.)
    @inline(__always)
    mutating func draw(_ stream: inout RandomStream) -> Int {
        let u = stream.openUnit()
        let uniform = SIMD8<Double>(repeating: u)
        // A true lane of a comparison mask is −1 (all bits set; SIMDMask is a
        // frozen wrapper of its storage vector, and a test checks this), so
        // subtracting the masks counts the entries per lane.
        func lanes(_ mask: SIMDMask<SIMD8<Int64>>) -> SIMD8<Int64> { unsafeBitCast(mask, to: SIMD8<Int64>.self) }
        // The first 16 entries settle all but a few per cent of draws for
        // the delay means of a plan (P(D ≥ 16) = q¹⁶: 0.15% for a mean of 2, 8.5% for a mean of 6).
        let early = -Int((lanes(uniform .<= powers.0) &+ lanes(uniform .<= powers.1)).wrappedSum())
        if early < 16 { return early }
        let count = 16 - Int((lanes(uniform .<= powers.2) &+ lanes(uniform .<= powers.3)).wrappedSum())
        if count < Self.size { return count }
        // Past the table D ≥ 32; rounding in the logarithm must not say 31.
        let x = log(u) / logQ
        return x < 0x1p62 ? max(Self.size, Int(x)) : 1 << 62
    }
}
