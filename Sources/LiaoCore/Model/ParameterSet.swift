/// The distributions a scenario assigns to every parameter, with where each
/// assignment came from.
public struct ParameterSet: Sendable {
    /// Distribution of each parameter, indexed by `ParameterID.rawValue`.
    public private(set) var distributions: [Distribution]
    /// Where each parameter's distribution came from: the catalogue's source,
    /// or the scenario file and line that replaced it.
    public private(set) var origins: [String?]

    /// The model's defaults (MODEL §2).
    public init() {
        distributions = ParameterCatalog.all.map(\.distribution)
        origins = Array(repeating: nil, count: ParameterID.count)
    }

    public subscript(id: ParameterID) -> Distribution { distributions[id.rawValue] }

    /// Replaces a parameter's distribution after checking it against the parameter's domain.
    /// - Parameter origin: where the replacement was written, e.g. `"my.lua:12"`.
    public mutating func set(_ id: ParameterID, _ distribution: Distribution, origin: String) throws(ModelError) {
        if let problem = Self.problem(id, distribution) { throw ModelError(problem) }
        distributions[id.rawValue] = distribution
        origins[id.rawValue] = origin
    }

    /// Why `distribution` cannot describe parameter `id`, or nil when it can.
    public static func problem(_ id: ParameterID, _ distribution: Distribution) -> String? {
        let spec = ParameterCatalog.spec(id)
        if let problem = distribution.argumentProblem { return "\(spec.key): \(problem)" }
        if spec.isWholeCount {
            guard case .fixed(let v) = distribution, v == v.rounded() else {
                return "\(spec.key) counts \(spec.unit) and may only be fixed to a whole number"
            }
        }
        let support = distribution.support
        if support.low < spec.domain.lowerBound || support.high > spec.domain.upperBound {
            let range = "[\(bound(spec.domain.lowerBound)), \(bound(spec.domain.upperBound))]"
            if distribution.isFixed {
                return "\(spec.key) must lie in \(range), got \(Distribution.format(support.low))"
            }
            // Bounded distributions fit any range; beta only [0, 1], lognormal only [0, ∞).
            let bounded = "uniform, triangular, pert or fixed"
            let fitting = spec.domain == 0...1 ? "beta, " + bounded
                : spec.domain == 0...Double.infinity ? "lognormal, " + bounded : bounded
            return "\(spec.key) must lie in \(range), but \(distribution.display) can fall outside it; use \(fitting)"
        }
        return nil
    }

    /// Every parameter at its central value (MODEL §7).
    public var centralValues: [Double] { distributions.map(\.centralValue) }

    /// The keys whose distribution is not fixed: the run-to-run uncertain inputs.
    public var uncertainIDs: [ParameterID] { ParameterID.allCases.filter { !self[$0].isFixed } }
}

private func bound(_ x: Double) -> String {
    x.isInfinite ? (x < 0 ? "-∞" : "∞") : Distribution.format(x)
}
