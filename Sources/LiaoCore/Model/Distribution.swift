import Foundation

/// A parameter's probability distribution, drawn once per run.
///
/// The *central value* is what the central path uses: the mean of a normal,
/// the median of a lognormal, the mean a/(a+b) of a beta, the midpoint of a
/// uniform, the value of a fixed parameter, and the mode (most likely value)
/// of a triangular or PERT distribution.
public enum Distribution: Sendable, Equatable, Codable {
    /// A constant.
    case fixed(Double)
    /// Normal(mean, sd); support the whole real line.
    case normal(mean: Double, sd: Double)
    /// median · exp(sigma · Z), Z ~ N(0, 1); support (0, ∞).
    case lognormal(median: Double, sigma: Double)
    /// Beta(a, b) on [0, 1]; mean a / (a + b).
    case beta(a: Double, b: Double)
    /// Uniform on [low, high].
    case uniform(low: Double, high: Double)
    /// Triangular on [low, high] with its peak at `mode`.
    case triangular(low: Double, mode: Double, high: Double)
    /// Beta-PERT on [low, high] with most likely value `mode` (λ = 4).
    case pert(low: Double, mode: Double, high: Double)

    /// The value used on the central path.
    public var centralValue: Double {
        switch self {
        case .fixed(let v): v
        case .normal(let mean, _): mean
        case .lognormal(let median, _): median
        case .beta(let a, let b): a / (a + b)
        case .uniform(let low, let high): (low + high) / 2
        case .triangular(_, let mode, _): mode
        case .pert(_, let mode, _): mode
        }
    }

    /// Smallest and largest value a draw can take.
    public var support: (low: Double, high: Double) {
        switch self {
        case .fixed(let v): (v, v)
        case .normal: (-.infinity, .infinity)
        case .lognormal: (0, .infinity)
        case .beta: (0, 1)
        case .uniform(let low, let high): (low, high)
        case .triangular(let low, _, let high): (low, high)
        case .pert(let low, _, let high): (low, high)
        }
    }

    /// Whether every draw is the same number.
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// Draws one value.
    public func draw(_ stream: inout RandomStream) -> Double {
        switch self {
        case .fixed(let v): v
        case .normal(let mean, let sd): stream.normal(mean: mean, sd: sd)
        case .lognormal(let median, let sigma): stream.lognormal(median: median, sigma: sigma)
        case .beta(let a, let b): stream.beta(a: a, b: b)
        case .uniform(let low, let high): stream.uniform(low: low, high: high)
        case .triangular(let low, let mode, let high): stream.triangular(low: low, mode: mode, high: high)
        case .pert(let low, let mode, let high): stream.pert(low: low, mode: mode, high: high)
        }
    }

    /// Checks the distribution's own arguments; returns a message naming the
    /// problem, or nil when they are valid.
    public var argumentProblem: String? {
        func finite(_ values: Double...) -> Bool { values.allSatisfy(\.isFinite) }
        switch self {
        case .fixed(let v):
            return finite(v) ? nil : "fixed value must be a finite number"
        case .normal(let mean, let sd):
            if !finite(mean, sd) { return "normal needs finite mean and sd" }
            return sd < 0 ? "normal: standard deviation must be >= 0, got \(Self.format(sd))" : nil
        case .lognormal(let median, let sigma):
            if !finite(median, sigma) { return "lognormal needs finite median and sigma" }
            if median <= 0 { return "lognormal: median must be > 0, got \(Self.format(median))" }
            return sigma < 0 ? "lognormal: sigma must be >= 0, got \(Self.format(sigma))" : nil
        case .beta(let a, let b):
            if !finite(a, b) { return "beta needs finite a and b" }
            // Smaller shapes put nearly all the mass within 1e-300 of 0 and 1: the
            // gamma draws behind a beta would underflow to 0 and give 0/0.
            if a < Self.smallestBetaShape { return "beta: a must be at least \(Self.format(Self.smallestBetaShape)), got \(Self.format(a))" }
            return b < Self.smallestBetaShape ? "beta: b must be at least \(Self.format(Self.smallestBetaShape)), got \(Self.format(b))" : nil
        case .uniform(let low, let high):
            if !finite(low, high) { return "uniform needs finite bounds" }
            return low > high ? "uniform: low (\(Self.format(low))) must not exceed high (\(Self.format(high)))" : nil
        case .triangular(let low, let mode, let high), .pert(let low, let mode, let high):
            let name = if case .pert = self { "pert" } else { "triangular" }
            if !finite(low, mode, high) { return "\(name) needs finite low, mode and high" }
            if !(low <= mode && mode <= high) {
                return "\(name): need low <= mode <= high, got \(Self.format(low)), \(Self.format(mode)), \(Self.format(high))"
            }
            return low == high ? "\(name): low and high must differ (use fixed for a constant)" : nil
        }
    }

    /// How `liaosim params` writes it, e.g. `Normal(0.05, 0.015)`.
    public var display: String {
        let f = Self.format
        switch self {
        case .fixed(let v): return "fixed \(f(v))"
        case .normal(let m, let s): return "Normal(\(f(m)), \(f(s)))"
        case .lognormal(let m, let s): return "LogNormal(\(f(m)), \(f(s)))"
        case .beta(let a, let b): return "Beta(\(f(a)), \(f(b)))"
        case .uniform(let l, let h): return "Uniform(\(f(l)), \(f(h)))"
        case .triangular(let l, let m, let h): return "Triangular(\(f(l)), \(f(m)), \(f(h)))"
        case .pert(let l, let m, let h): return "PERT(\(f(l)), \(f(m)), \(f(h)))"
        }
    }

    /// Short, round-trip-safe number formatting (`0.05`, `150000`, `2.7`).
    public static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) <= 0x1p53 { return String(Int64(x)) }
        return "\(x)"
    }
}

extension Distribution {
    /// The smallest shape `beta(a, b)` takes (see its check above).
    public static let smallestBetaShape = 0.05
}
