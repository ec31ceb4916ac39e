/// How a batch draws each run's uncertain parameters: independently (plain
/// Monte Carlo) or by Latin hypercube, and with the scenario's rank
/// correlations applied through a Gaussian copula.
public struct ParameterSampling: Sendable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Independent draws for every run.
        case random
        /// Latin hypercube: over the study's runs, each parameter's values
        /// fall once in each of `studyRuns` equally likely strata.
        case lhs
    }

    public var mode: Mode
    /// Runs in the whole study (all shards): the number of strata.
    public var studyRuns: Int
    public var seed: UInt64
    /// The scenario's distributions, indexed by `ParameterID.rawValue`.
    let distributions: [Distribution]
    let copula: GaussianCopula
    /// Position of each parameter in the copula, or -1.
    let copulaIndex: [Int]
    /// Keys of each parameter's permutation of the strata.
    let permutationKeys: [UInt64]

    public init(mode: Mode, studyRuns: Int, seed: UInt64, compiled: CompiledScenario) {
        self.mode = mode
        self.studyRuns = max(studyRuns, 1)
        self.seed = seed
        distributions = compiled.scenario.parameters.distributions
        copula = compiled.copula
        var index = [Int](repeating: -1, count: ParameterID.count)
        for (k, id) in compiled.copula.parameters.enumerated() { index[id.rawValue] = k }
        copulaIndex = index
        permutationKeys = ParameterCatalog.all.map { SplitMix64.mix(seed ^ ComponentName.id("lhs.\($0.key)")) }
    }

    /// Whether draws differ from plain independent sampling.
    public var isPlain: Bool { mode == .random && copula.isEmpty }

    /// The stratum of `run` for parameter `id`: a keyed permutation of 0 ..< studyRuns.
    func stratum(_ id: ParameterID, run: UInt64) -> UInt64 {
        Self.permute(run % UInt64(studyRuns), count: UInt64(studyRuns), key: permutationKeys[id.rawValue])
    }

    /// A bijection of 0 ..< count: a four-round Feistel network on the
    /// smallest even number of bits that covers `count`, walking the cycle
    /// until the result falls inside the range.
    static func permute(_ i: UInt64, count: UInt64, key: UInt64) -> UInt64 {
        guard count > 1 else { return 0 }
        var bits = 64 - (count - 1).leadingZeroBitCount
        if bits % 2 == 1 { bits += 1 }
        bits = max(bits, 2)
        let half = UInt64(bits / 2)
        let mask: UInt64 = (1 << half) - 1
        var x = i
        repeat {
            var left = x >> half, right = x & mask
            for round in 0..<4 as Range<UInt64> {
                let f = SplitMix64.mix(right ^ key ^ (round &* 0x9E37_79B9_7F4A_7C15)) & mask
                (left, right) = (right, left ^ f)
            }
            x = (left << half) | right
        } while x >= count
        return x
    }
}
