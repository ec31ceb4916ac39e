/// Rank-based statistics for sensitivity analysis.
public enum RankStatistics {
    /// Ranks 1 … n, ties getting the average of the ranks they span.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }

    /// Pearson correlation; 0 when either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    /// Spearman rank correlation.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double { pearson(ranks(x), ranks(y)) }
}

/// How much one uncertain parameter drives a metric or a goal.
public struct SensitivityRow: Sendable, Equatable {
    public var parameter: String
    /// Spearman rank correlation of the parameter with the metric.
    public var spearman: Double
    /// The goal's probability (or the metric's mean) over runs whose parameter
    /// value lies in its lowest fifth, and in its highest fifth.
    public var lowFifth: Double
    public var highFifth: Double
    /// The standard error of `effect`: the two fifths are disjoint sets of
    /// runs, so their estimates' variances add (a proportion's p(1 − p)/n,
    /// a mean's sample variance / n).
    public var effectStandardError: Double
    public var effect: Double { highFifth - lowFifth }
    /// Whether the effect is larger than sampling noise: further from 0 than
    /// `Sensitivity.noiseZ(parameters:)` standard errors, so that among all
    /// the parameters of an analysis one with no effect at all is marked in
    /// at most 5% of studies.
    public var isBeyondNoise = true
}

public enum Sensitivity {
    /// Standard errors an effect must exceed to count as beyond noise when
    /// `parameters` effects are judged together: a two-sided 5% level split
    /// between them (Bonferroni), 1.96 for one, about 3.1 for 23.
    public static func noiseZ(parameters: Int) -> Double {
        SpecialFunctions.normalQuantile(1 - 0.025 / Double(max(parameters, 1)))
    }

    /// One row per parameter column of `table`, sorted by the size of the
    /// effect (then of the correlation). The outcome is goal `goal`'s bit when
    /// given, else the metric column's mean.
    public static func analyse(_ table: RunTable, metricColumn: Int, goal: Int?) -> [SensitivityRow] {
        let metric = table.column(metricColumn)
        let n = table.runs.count
        var rows: [SensitivityRow] = []
        for (c, id) in table.parameterIDs.enumerated() {
            let values = table.column(c)
            let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            let fifth = max(n / 5, 1)
            /// The fifth's outcome and the variance of that estimate.
            func outcome(_ runs: ArraySlice<Int>) -> (value: Double, variance: Double) {
                guard !runs.isEmpty else { return (.nan, .nan) }
                let count = Double(runs.count)
                if let goal {
                    let p = Double(runs.filter { table.goalBits[$0] & (1 << UInt64(goal)) != 0 }.count) / count
                    return (p, p * (1 - p) / count)
                }
                let mean = runs.reduce(0) { $0 + metric[$1] } / count
                guard runs.count > 1 else { return (mean, .nan) }
                let squares = runs.reduce(0) { $0 + (metric[$1] - mean) * (metric[$1] - mean) }
                return (mean, squares / (count - 1) / count)
            }
            let low = outcome(order.prefix(fifth)), high = outcome(order.suffix(fifth))
            rows.append(SensitivityRow(
                parameter: ParameterCatalog.spec(id).key, spearman: RankStatistics.spearman(values, metric),
                lowFifth: low.value, highFifth: high.value, effectStandardError: (low.variance + high.variance).squareRoot()))
        }
        let z = noiseZ(parameters: rows.count)
        for i in rows.indices { rows[i].isBeyondNoise = abs(rows[i].effect) > z * rows[i].effectStandardError }
        return rows.sorted {
            abs($0.effect) != abs($1.effect) ? abs($0.effect) > abs($1.effect) : abs($0.spearman) > abs($1.spearman)
        }
    }
}
