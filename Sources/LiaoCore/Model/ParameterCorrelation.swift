import Foundation

/// A rank correlation between two uncertain parameters, declared by a
/// scenario with `correlate(a, b, r)` and applied through a Gaussian copula.
public struct ParameterCorrelation: Sendable, Equatable, Codable {
    public var first: String
    public var second: String
    /// Spearman rank correlation wanted, in [-1, 1].
    public var rank: Double
    /// Where it was declared, e.g. `my.lua:7`.
    public var origin: String?

    public init(first: String, second: String, rank: Double, origin: String? = nil) {
        self.first = first
        self.second = second
        self.rank = rank
        self.origin = origin
    }
}

/// The copula of a scenario's correlated parameters: which parameters take
/// part, and the Cholesky factor of their normal-scores correlation matrix.
///
/// A rank correlation r between two variables joined by a Gaussian copula
/// needs a normal correlation ρ = 2 sin(π r / 6).
public struct GaussianCopula: Sendable {
    /// Parameters in the copula, in catalogue order.
    public let parameters: [ParameterID]
    /// Lower-triangular factor, row-major, `parameters.count` squared.
    public let cholesky: [Double]

    /// Builds the copula, checking that the matrix is a correlation matrix.
    /// - Throws: naming the first declared pair (in file order) with which the
    ///   matrix stops being positive semi-definite.
    public init(_ correlations: [ParameterCorrelation], parameters set: ParameterSet) throws(ModelError) {
        var ids: [ParameterID] = []
        for c in correlations {
            for key in [c.first, c.second] {
                guard let id = ParameterCatalog.id(forKey: key) else { throw ModelError("correlate: unknown parameter '\(key)'") }
                if !ids.contains(id) { ids.append(id) }
            }
        }
        ids.sort { $0.rawValue < $1.rawValue }
        parameters = ids
        let n = ids.count
        func matrix(without skipped: Int? = nil) -> [Double] {
            var m = [Double](repeating: 0, count: n * n)
            for i in 0..<n { m[i * n + i] = 1 }
            for (k, c) in correlations.enumerated() where k != skipped {
                let i = ids.firstIndex(of: ParameterCatalog.id(forKey: c.first)!)!
                let j = ids.firstIndex(of: ParameterCatalog.id(forKey: c.second)!)!
                let rho = 2 * sin(Double.pi * c.rank / 6)
                m[i * n + j] = rho
                m[j * n + i] = rho
            }
            return m
        }
        if let factor = Self.choleskyFactor(matrix(), n) {
            cholesky = factor
            return
        }
        // Name the culprit: the last declared pair whose removal makes the
        // matrix valid, else every declared pair (they conflict as a group).
        func describe(_ c: ParameterCorrelation) -> String {
            "\(c.first) ~ \(c.second) = \(Distribution.format(c.rank))" + (c.origin.map { " (\($0))" } ?? "")
        }
        let fixable = correlations.indices.last { Self.choleskyFactor(matrix(without: $0), n) != nil }
        if let k = fixable {
            throw ModelError(
                "correlate: \(describe(correlations[k])) is impossible together with the other correlations (the matrix is not positive semi-definite); loosen it")
        }
        throw ModelError(
            "correlate: these rank correlations are impossible together (the matrix is not positive semi-definite): \(correlations.map(describe).joined(separator: "; ")); loosen one of them")
    }

    public var isEmpty: Bool { parameters.isEmpty }

    /// Cholesky factor of a symmetric matrix, allowing zero pivots (semi-definite); nil if not PSD.
    static func choleskyFactor(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        let tolerance = 1e-10
        for j in 0..<n {
            var diagonal = a[j * n + j]
            for k in 0..<j { diagonal -= l[j * n + k] * l[j * n + k] }
            if diagonal < -tolerance { return nil }
            let pivot = diagonal > tolerance ? diagonal.squareRoot() : 0
            l[j * n + j] = pivot
            for i in (j + 1)..<max(n, j + 1) {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if pivot == 0 {
                    if abs(sum) > 1e-8 { return nil }
                    l[i * n + j] = 0
                } else {
                    l[i * n + j] = sum / pivot
                }
            }
        }
        return l
    }

    /// Correlated normal scores z = L·e from independent ones.
    public func correlate(_ independent: [Double]) -> [Double] {
        let n = parameters.count
        return (0..<n).map { i in
            var z = 0.0
            for k in 0...i { z += cholesky[i * n + k] * independent[k] }
            return z
        }
    }
}
