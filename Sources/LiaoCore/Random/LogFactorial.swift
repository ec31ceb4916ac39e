import Foundation

/// log(k!) for k ≥ 0, used by the exact acceptance tests of the Poisson and
/// binomial samplers.
///
/// For k ≤ 17 the product 1·2·…·k is exact in a Double (17! < 2^53), so the
/// value is one correctly rounded `log`. For k ≥ 18 it is Stirling's series
/// for log Γ(x), x = k + 1, through the x⁻⁷ term; the first omitted term,
/// 1/(1188·x⁹), is below 3e−15 for x ≥ 19, and the relative error stays
/// within a few ulps. Values for k < 256 come from a table of these same
/// values built on first use. Thread-safe (unlike C's `lgamma`, which writes
/// a global).
func logFactorial(_ k: Int) -> Double {
    k < LogFactorialTable.count ? LogFactorialTable.values[k] : LogFactorialTable.compute(k)
}

/// log(k!) for k = 0..<256, computed once per process.
enum LogFactorialTable {
    static let count = 256

    /// Immutable after construction, hence safe to share between threads.
    nonisolated(unsafe) static let values: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: count)
        for k in 0..<count {
            table[k] = compute(k)
        }
        return UnsafePointer(table)
    }()

    /// The exact-product or Stirling-series value described at `logFactorial`.
    /// Kept out of line so the optimiser does not evaluate the series
    /// speculatively in the samplers' setup code.
    @inline(never)
    static func compute(_ k: Int) -> Double {
        if k < 18 {
            var product = 1.0
            var i = 2
            while i <= k {
                product *= Double(i)
                i += 1
            }
            return log(product)
        }
        let x = Double(k + 1)
        let r = 1 / x
        let r2 = r * r
        let halfLogTwoPi = 0.918_938_533_204_672_7  // log(2π)/2
        let series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))))
        return (x - 0.5) * log(x) - x + halfLogTwoPi + series
    }
}
