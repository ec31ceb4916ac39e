public import LiaoCore

/// `liaosim compare`: several scenarios run with the same seed, side by side.
public enum CompareReport {
    /// Goal probabilities in columns, then each goal metric's histograms on
    /// one common axis and vertical scale.
    public static func text(_ results: [BatchResult], scenarios: [Scenario]) -> String {
        guard let first = results.first else { return "" }
        var lines: [String] = []
        for (i, s) in scenarios.enumerated() {
            lines.append(TextReport.fit("[\(i + 1)] \(s.name)" + (s.sourcePath.map { "  (\($0))" } ?? "") + (s.description.isEmpty ? "" : " — \(s.description)")))
        }
        let totalSeconds = results.reduce(0) { $0 + $1.elapsedSeconds }
        lines.append("Runs      \(NumberFormat.grouped(first.runs)) each   seed \(first.seed)   " + "\(NumberFormat.compact(totalSeconds)) s in all")
        lines.append("")

        // Goals present in every scenario, in the first one's order.
        let sharedGoals = first.goals.filter { goal in results.allSatisfy { $0.goals.contains { $0.id == goal.id } } }
        let columnWidth = 10
        let nameWidth = max(20, 78 - columnWidth * results.count)
        lines.append(NumberFormat.left("P(met)", nameWidth) + results.indices.map { NumberFormat.right("[\($0 + 1)]", columnWidth) }.joined())
        lines.append(TextReport.rule)
        for goal in sharedGoals {
            var row = NumberFormat.left(goal.id, nameWidth)
            for r in results {
                let tally = r.goalTallies[r.goals.firstIndex { $0.id == goal.id }!]
                row += NumberFormat.right(NumberFormat.percent(tally.probability), columnWidth)
            }
            lines.append(row)
        }

        for goal in sharedGoals {
            guard let condition = goal.primaryCondition else { continue }
            let summaries = results.compactMap { r in r.metricNames.firstIndex(of: condition.metric).map { r.metrics[$0] } }
            guard summaries.count == results.count else { continue }
            let threshold = TextHistogram.Threshold(
                condition.threshold, label: "\(condition.comparison.symbol) \(NumberFormat.compact(condition.threshold))")
            // One axis and one vertical scale (share of runs) for every scenario.
            let histograms = TextHistogram.renderShared(summaries, threshold: threshold, height: 4)
            lines.append("")
            lines.append(TextReport.fit("\(condition.metric) — goal \(goal.id): \(goal.display)"))
            for (i, histogram) in histograms.enumerated() {
                let tally = results[i].goalTallies[results[i].goals.firstIndex { $0.id == goal.id }!]
                lines.append(TextReport.fit(
                    "[\(i + 1)] \(scenarios[i].name)   mean \(NumberFormat.compact(summaries[i].mean))   P(met) \(NumberFormat.percent(tally.probability))"))
                // The tick labels are the same for every scenario: only under the last one.
                lines += i == histograms.count - 1 ? histogram : Array(histogram.prefix(4 + 1))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ results: [BatchResult], scenarios: [Scenario]) -> JSONValue {
        .object([("scenarios", .array(zip(results, scenarios).map { result, _ in JSONReport.batch(result) }))])
    }
}
