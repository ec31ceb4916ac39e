import Foundation

/// Number formatting for text output: compact, aligned, no exponents for
/// the magnitudes the model produces.
public enum NumberFormat {
    /// About four significant digits: `303.1`, `0.05442`, `3,965`, `33`;
    /// magnitudes from 10^15 up with an exponent: `1e+19`.
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let a = abs(x)
        if a == 0 { return "0" }
        if x == x.rounded() && a < 1e9 { return grouped(Int64(x)) }
        if a >= 1e15 { return String(format: "%.4g", x) }  // past whole digits worth grouping (and Int64's range)
        if a >= 10_000 { return grouped(Int64(x.rounded())) }
        if a >= 1000 {
            // Grouped like the whole numbers beside it: 3,965.2 next to 3,874.
            let tenths = String(format: "%.1f", a)
            let whole = Int64(tenths.prefix { $0 != "." })!
            return (x < 0 ? "-" : "") + grouped(whole) + tenths.drop { $0 != "." }
        }
        if a >= 100 { return String(format: "%.2f", x) }
        if a >= 1 { return String(format: "%.3f", x) }
        if a >= 0.001 { return String(format: "%.4f", x) }
        return String(format: "%.3g", x)
    }

    /// A difference of probabilities and its interval in percentage points,
    /// with the same decimals: two, or as many as give the interval's
    /// half-width two significant digits (`+0.012 pp [-0.004 pp, +0.031 pp]`).
    /// A bound close to zero is not given digits of its own: whether the
    /// interval excludes zero is shown apart (the `*` of `compare`).
    public static func percentagePoints(estimate: Double, low: Double, high: Double) -> (estimate: String, low: String, high: String) {
        let halfWidth = (high - low) * 50  // in percentage points
        let decimals = halfWidth.isFinite && halfWidth > 0 ? min(10, max(2, 1 - Int(log10(halfWidth).rounded(.down)))) : 2
        func shown(_ d: Double) -> String {
            guard d.isFinite else { return "n/a" }
            let pp = d == 0 ? 0 : d * 100  // -0.0 too
            return String(format: "%+.\(decimals)f pp", pp)
        }
        return (shown(estimate), shown(low), shown(high))
    }

    /// Whole runs per second of a batch, for text and JSON alike: capped at
    /// 10^15 (a batch timed at next to nothing), nil for no time at all.
    public static func runsPerSecond(runs: Int, elapsed: Double) -> Int64? {
        elapsed > 0 ? Int64(min((Double(runs) / elapsed).rounded(), 1e15)) : nil
    }

    /// `20,000`.
    public static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    public static func grouped(_ n: Int) -> String { grouped(Int64(n)) }

    /// A probability as a percentage: `39.1%`, `0.14%`, `0.024%`, `99.923%`,
    /// `0%`, `100%`. Near 0% or 100% it keeps two significant digits of the
    /// distance to that end, so that a small share (or a small shortfall from
    /// certainty) is never rounded by a third or more.
    /// At most 8 characters: below 0.0001% it reads `<0.0001%`, above
    /// 99.999% `>99.999%`; p and 1 − p get the same decimals down to 0.001%.
    public static func percent(_ p: Double) -> String {
        if p.isNaN { return "n/a" }
        if p <= 0 { return "0%" }
        if p >= 1 { return "100%" }
        let low = p <= 0.5
        // The distance to the nearer end, in percent, to two significant digits
        // (so that 0.0999999 counts as 0.10), from p itself: 100 − 100p would
        // carry the rounding of the subtraction.
        let distance = Double(String(format: "%.1e", (low ? p : 1 - p) * 100))!
        let decimals = Swift.min(distance >= 1 ? 1 : 1 - Int(log10(distance).rounded(.down)), low ? 4 : 3)
        let shown = String(format: "%.\(decimals)f", p * 100)
        if low && Double(shown)! == 0 { return "<0.0001%" }
        if !low && Double(shown)! == 100 { return ">99.999%" }
        return shown + "%"
    }

    /// A difference of probabilities in percentage points, with two
    /// significant digits below 10: `56.0 percentage points`, `0.012 percentage points`.
    public static func percentagePoints(_ d: Double) -> String {
        guard d.isFinite else { return "n/a" }
        let x = abs(d * 100)
        let decimals = x >= 10 || x == 0 ? 1 : Swift.min(10, Swift.max(1, 1 - Int(log10(x).rounded(.down))))
        return String(format: "%.\(decimals)f percentage points", d * 100)
    }

    /// A number for a table cell of `width` columns: `compact`, else fewer
    /// significant digits with an exponent, so that at least one space is left.
    public static func cell(_ x: Double, width: Int) -> String {
        let compact = compact(x)
        if compact.count < width || !x.isFinite { return compact }
        for format in ["%.3g", "%.2g", "%.1g"] {
            let shown = String(format: format, x)
            if shown.count < width { return shown }
        }
        return String(format: "%.0e", x)
    }

    /// Padded to `width` terminal columns (left-aligned); a longer text is left whole.
    public static func left(_ s: String, _ width: Int) -> String {
        let w = columns(s)
        return w >= width ? s : s + String(repeating: " ", count: width - w)
    }

    /// Right-aligned in `width` terminal columns.
    public static func right(_ s: String, _ width: Int) -> String {
        let w = columns(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }

    /// The terminal columns a text takes: two for each wide character (Chinese,
    /// Japanese and Korean characters, full-width forms), none for combining
    /// marks, one for the rest. Goal ids and metric names may be Chinese.
    public static func columns(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    static func columns(_ c: Unicode.Scalar) -> Int {
        let v = c.value
        if v < 0x300 { return 1 }
        switch c.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// `s` if it takes at most `width` columns, else its start cut to fit with "…".
    public static func cut(_ s: String, columns width: Int) -> String {
        columns(s) <= width ? s : prefix(s, columns: width - 1) + "…"
    }

    /// The longest start of `s` that takes at most `width` columns.
    public static func prefix(_ s: String, columns width: Int) -> String {
        var out = "", used = 0
        for character in s {
            let w = columns(String(character))
            if used + w > width { break }
            out.append(character)
            used += w
        }
        return out
    }
}
