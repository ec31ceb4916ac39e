import Foundation

/// The 256-layer ziggurat covering the half-normal density f(x) = exp(−x²/2)
/// (unnormalised), used by `RandomStream.standardNormal()`.
///
/// The region under f on [0, ∞) is covered by 256 layers of equal area v:
/// layer 0 is the base strip [0, r] × [0, f(r)] plus the tail beyond r, and
/// layer i ≥ 1 is the box [0, x[i]] × [f(x[i]), f(x[i+1])]. The edges are
/// x[1] = r, x[i+1] = f⁻¹(f(x[i]) + v / x[i]), x[256] = 0, and x[0] = v / f(r)
/// is the width the base layer would have as a rectangle of area v.
/// r is the value for which the recursion closes (the top layer also has area
/// v); it was found by bisection on r and reproduces the top-layer area to a
/// relative 1e−13.
enum NormalZiggurat {
    /// Number of layers; a draw's layer index is its low 8 bits.
    static let layerCount = 256

    /// r: the start of the tail.
    static let tailStart = 3.654152885361009

    /// x[0...256] at offsets 0...256, then f(x[0...256]) at offsets 257...513.
    /// Built once on first use and kept for the life of the process; read-only
    /// afterwards, hence safe to share between threads.
    nonisolated(unsafe) static let table: UnsafePointer<Double> = makeTable()

    /// Offset of f(x[0]) in `table`.
    static let densityOffset = 257

    static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x)
    }

    static func makeTable() -> UnsafePointer<Double> {
        let n = layerCount
        let r = tailStart
        let fr = density(r)
        // Area of one layer: base rectangle plus the tail ∫_r^∞ f.
        let v = r * fr + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 2 * (n + 1))
        table[0] = v / fr
        table[1] = r
        for i in 1..<(n - 1) {
            let y = density(table[i]) + v / table[i]
            table[i + 1] = (-2 * log(y)).squareRoot()
        }
        table[n] = 0
        for i in 0...n {
            table[densityOffset + i] = density(table[i])
        }
        table[densityOffset] = 0  // base layer: heights start at 0
        return UnsafePointer(table)
    }

    /// Completes a draw that fell outside the rectangle shared with the layer
    /// above: for the base layer, a point of the tail beyond r (always
    /// accepted); for layer i ≥ 1 with magnitude x in [x[i+1], x[i]), x itself
    /// if a uniform height within the layer lies under f(x), otherwise nil
    /// (the caller starts a new draw).
    static func edge(layer i: Int, magnitude x: Double, stream: inout RandomStream) -> Double? {
        if i == 0 {
            // Marsaglia's tail method: x = r + E1/r conditioned on
            // 2·E2 ≥ (E1/r)², with E1, E2 standard exponentials.
            let r = tailStart
            while true {
                let e1 = -log(stream.openUnit()) / r
                let e2 = -log(stream.openUnit())
                if e2 + e2 >= e1 * e1 { return r + e1 }
            }
        }
        let low = table[densityOffset + i]
        let high = table[densityOffset + i + 1]
        let y = low + stream.unit() * (high - low)
        return y < density(x) ? x : nil
    }
}
