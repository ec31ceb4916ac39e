import Foundation

extension RandomStream {
    /// Uniform on [low, high): `low + (high − low) · U`.
    /// Domain: finite low ≤ high (low = high returns `low`). Mean (low + high)/2,
    /// variance (high − low)²/12.
    public mutating func uniform(low: Double, high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Lognormal: `median · exp(sigma · Z)` with Z standard normal.
    /// Domain: median > 0, sigma ≥ 0. Support (0, ∞); mean
    /// median·exp(sigma²/2), variance median²·exp(sigma²)·(exp(sigma²) − 1).
    public mutating func lognormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * standardNormal())
    }

    /// Gamma(shape, scale 1).
    ///
    /// Domain: shape > 0. Support (0, ∞); mean and variance both `shape`.
    /// Marsaglia–Tsang (2000) squeeze-and-reject for shape ≥ 1 (one normal and
    /// one uniform per attempt, acceptance above 95%; a `log` only when the
    /// squeeze fails). For shape < 1 it uses Gamma(shape) = Gamma(shape + 1) ·
    /// U^(1/shape). Very small shapes (below about 0.01) can underflow to 0.
    public mutating func gamma(shape: Double) -> Double {
        assert(shape > 0 && shape.isFinite, "gamma shape must be finite and > 0")
        if shape < 1 {
            let boost = exp(log(openUnit()) / shape)
            return gammaMarsagliaTsang(shape: shape + 1) * boost
        }
        return gammaMarsagliaTsang(shape: shape)
    }

    /// Marsaglia–Tsang for shape ≥ 1: with d = shape − 1/3, c = 1/√(9d), accept
    /// d·(1 + c·X)³ (X standard normal, 1 + c·X > 0) when
    /// log U < X²/2 + d − d·v + d·log v, v = (1 + c·X)³.
    private mutating func gammaMarsagliaTsang(shape: Double) -> Double {
        let d = shape - 1.0 / 3.0
        let c = 1.0 / (9.0 * d).squareRoot()
        while true {
            let x = standardNormal()
            var v = 1 + c * x
            if v <= 0 { continue }
            v = v * v * v
            let u = openUnit()
            let x2 = x * x
            if u < 1 - 0.0331 * (x2 * x2) { return d * v }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    ///
    /// Domain: a > 0, b > 0 (for both below about 0.01 the gammas can
    /// underflow; scenarios may give no shape below 0.05). Support [0, 1]; mean a/(a + b), variance
    /// ab / ((a + b)²(a + b + 1)).
    public mutating func beta(a: Double, b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        return x / (x + y)
    }

    /// Triangular(low, mode, high) by inversion of its CDF (one uniform, one
    /// square root).
    ///
    /// Domain: low ≤ mode ≤ high, low < high. Support [low, high]; mean
    /// (low + mode + high)/3, variance
    /// (low² + mode² + high² − low·mode − low·high − mode·high)/18.
    public mutating func triangular(low: Double, mode: Double, high: Double) -> Double {
        assert(low <= mode && mode <= high && low < high, "triangular needs low <= mode <= high, low < high")
        let u = unit()
        let width = high - low
        let left = mode - low
        // F(mode) = left / width; compared without dividing.
        if u * width < left {
            return low + (u * width * left).squareRoot()
        }
        return high - ((1 - u) * width * (high - mode)).squareRoot()
    }

    /// Beta-PERT(low, mode, high) with λ = 4: low + (high − low) · Beta(α, β),
    /// α = 1 + 4(mode − low)/(high − low), β = 1 + 4(high − mode)/(high − low).
    ///
    /// Domain: low ≤ mode ≤ high, low < high. Support [low, high]; mean
    /// (low + 4·mode + high)/6, variance (high − low)²·αβ/((α + β)²(α + β + 1))
    /// with α + β = 6.
    public mutating func pert(low: Double, mode: Double, high: Double) -> Double {
        assert(low <= mode && mode <= high && low < high, "pert needs low <= mode <= high, low < high")
        let width = high - low
        let alpha = 1 + 4 * (mode - low) / width
        let beta = 1 + 4 * (high - mode) / width
        return low + width * self.beta(a: alpha, b: beta)
    }
}
