import Foundation
public import LiaoCore

/// `liaosim compare`: several scenarios run with the same seed, side by side.
public enum CompareReport {
    /// Goal probabilities in columns, then each goal metric's histograms on
    /// one common axis and vertical scale.
    /// For every scenario after the first, each shared goal's paired difference against the first.
    /// Goals are paired only where both scenarios test the same thing under the same id.
    public static func pairedDifferences(_ results: [BatchResult], _ tables: [RunTable]) -> [[(goal: String, difference: PairedDifference)]] {
        guard let first = results.first, let firstTable = tables.first else { return [] }
        return zip(results, tables).dropFirst().map { result, table in
            first.goals.enumerated().compactMap { a, goal -> (goal: String, difference: PairedDifference)? in
                guard a < 64, let b = result.goals.firstIndex(where: { $0.id == goal.id }), b < 64,
                      sameGoal(goal.id, in: [first, result]) else { return nil }
                return (goal.id, PairedDifference(a: firstTable, goalA: a, b: table, goalB: b))
            }
        }
    }

    /// Whether every one of `results` has goal `id` with the same test (for a
    /// goal over other goals, those the same too). A goal that keeps its id but
    /// changes its threshold is another goal: its odds cannot be compared as one.
    static func sameGoal(_ id: String, in results: [BatchResult], depth: Int = 0) -> Bool {
        let goals = results.map { r in r.goals.first { $0.id == id } }
        guard let first = goals.first ?? nil, goals.allSatisfy({ $0 != nil && $0!.test == first.test }) else { return false }
        guard case .allOf(let ids) = first.test else { return true }
        return depth < 8 && ids.allSatisfy { sameGoal($0, in: results, depth: depth + 1) }
    }

    /// What goal `id` tests in each scenario that has it: "[1] x ≥ 45, [2] x ≥ 40".
    static func goalVersions(_ id: String, in results: [BatchResult]) -> String {
        results.enumerated().compactMap { i, r in r.goals.first { $0.id == id }.map { "[\(i + 1)] \($0.display)" } }
            .joined(separator: ", ")
    }

    /// - Parameter notRun: scenarios given but not run (an interruption
    ///   stopped the comparison before them), named so that no reader takes
    ///   the table for the whole comparison.
    public static func text(
        _ results: [BatchResult], scenarios: [Scenario], paired: [[(goal: String, difference: PairedDifference)]] = [],
        notRun: [String] = []
    ) -> String {
        guard let first = results.first else { return "" }
        var lines: [String] = []
        for (i, s) in scenarios.enumerated() {
            lines.append(TextReport.fit("[\(i + 1)] \(s.name)" + (s.sourcePath.map { "  (\($0))" } ?? "") + (s.description.isEmpty ? "" : " — \(s.description)")))
        }
        let totalSeconds = results.reduce(0) { $0 + $1.elapsedSeconds }
        lines.append("Runs      \(NumberFormat.grouped(first.runs)) each   seed \(first.seed)   " + "\(NumberFormat.compact(totalSeconds)) s in all")
        lines += TextReport.sampling(first)
        let inputs = results.enumerated().compactMap { i, r in r.inputs.isEmpty ? nil : "[\(i + 1)] " + TextReport.inputList(r) }
        if !inputs.isEmpty { lines += TextReport.labelled("Inputs", inputs.joined(separator: "; ")) }
        for (i, r) in results.enumerated() { lines += TextReport.warnings(r, label: "[\(i + 1)] ") }
        if !notRun.isEmpty {
            lines += TextReport.wrap("NOT RUN (interrupted before them): \(notRun.joined(separator: ", "))", indent: 0, width: 78)
        }
        lines.append("")

        // Goals present in every scenario, in the first one's order; the table
        // also has every scenario's own goals, with "—" where a scenario has none.
        let sharedGoals = first.goals.filter { goal in sameGoal(goal.id, in: results) }
        var allGoals: [String] = []
        for r in results { for goal in r.goals where !allGoals.contains(goal.id) { allGoals.append(goal.id) } }
        // Goals of one id whose tests differ: marked, and neither paired nor drawn on one axis.
        let differing = allGoals.filter { id in
            let holders = results.filter { r in r.goals.contains { $0.id == id } }
            return holders.count > 1 && !sameGoal(id, in: holders)
        }
        let columnWidth = 10
        let nameWidth = max(20, 78 - columnWidth * results.count)
        lines.append(NumberFormat.left("P(met)", nameWidth) + results.indices.map { NumberFormat.right("[\($0 + 1)]", columnWidth) }.joined())
        lines.append(TextReport.rule)
        for id in allGoals {
            // A long id is cut so that the columns stay in line (the mark, if any, kept).
            let mark = differing.contains(id) ? " ≠" : ""
            let room = nameWidth - 1 - mark.count
            var row = NumberFormat.left(NumberFormat.cut(id, columns: room) + mark, nameWidth)
            for r in results {
                let cell = r.goals.firstIndex { $0.id == id }.map { NumberFormat.percent(r.goalTallies[$0].probability) } ?? "—"
                row += NumberFormat.right(cell, columnWidth)
            }
            lines.append(row)
        }
        if allGoals.contains(where: { id in results.contains { r in !r.goals.contains { $0.id == id } } }) {
            lines.append("(— : that scenario has no such goal)")
        }
        for id in differing {
            lines += TextReport.wrap("(≠ : \(id) tests different things in different scenarios, so it is compared run by run "
                                     + "only with [1] where it tests the same: " + goalVersions(id, in: results) + ")", indent: 0, width: 78)
        }

        // The scenarios' own metrics (what an adaptive rule spent, say): their means side by side.
        let ownMetrics = SweepReport.ownMetrics(results)
        if !ownMetrics.isEmpty {
            lines.append("")
            lines.append(NumberFormat.left("Mean of own metrics", nameWidth) + results.indices.map { NumberFormat.right("[\($0 + 1)]", columnWidth) }.joined())
            lines.append(TextReport.rule)
            for name in ownMetrics {
                // A long name is cut, so that the columns stay in line.
                var row = NumberFormat.left(NumberFormat.cut(name, columns: nameWidth - 1), nameWidth)
                for r in results {
                    let cell = SweepReport.mean(r, name).map { $0.isNaN ? "n/a" : NumberFormat.cell($0, width: columnWidth) } ?? "—"
                    row += NumberFormat.right(cell, columnWidth)
                }
                lines.append(row)
            }
        }

        for (k, differences) in paired.enumerated() {
            lines.append("")
            lines.append(TextReport.fit("Paired difference [\(k + 2)] − [1], run by run"))
            lines.append(TextReport.fit("(* = the 95% CI excludes 0 and an exact sign test on the runs +/− agrees)"))
            if first.goals.count > 64 || results[k + 1].goals.count > 64 {
                lines.append(TextReport.fit("(goals shared by both among the first 64 of each: the run tables keep 64 goals a run)"))
            }
            lines.append(NumberFormat.left("goal", 22) + NumberFormat.right("difference", 14) + "   "
                         + NumberFormat.left("95% CI", 28) + " runs +/−")
            lines.append(TextReport.rule)
            for (goal, d) in differences {
                let mark = d.isSignificant ? " *" : "  "
                let shown = NumberFormat.percentagePoints(estimate: d.difference, low: d.ci95.low, high: d.ci95.high)
                let interval = "[\(shown.low), \(shown.high)]"
                lines.append(
                    NumberFormat.left(NumberFormat.cut(goal, columns: 21), 22)
                        + NumberFormat.right(shown.estimate + mark, 14)
                        + "   " + NumberFormat.left(interval, 28) + " +\(d.gained)/−\(d.lost)")
            }
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
                    "[\(i + 1)] \(scenarios[i].name)   mean \(summaries[i].mean.isNaN ? "n/a" : NumberFormat.compact(summaries[i].mean))   P(met) \(NumberFormat.percent(tally.probability))"))
                // The tick labels are the same for every scenario: only under the last one.
                lines += i == histograms.count - 1 ? histogram : Array(histogram.prefix(4 + 1))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }


    public static func json(
        _ results: [BatchResult], scenarios: [Scenario], paired: [[(goal: String, difference: PairedDifference)]] = [],
        notRun: [String] = []
    ) -> JSONValue {
        var objects: [JSONValue] = []
        for (i, result) in results.enumerated() {
            guard case .object(var fields) = JSONReport.batch(result) else { continue }
            if i > 0 && i - 1 < paired.count {
                let goals: [(String, JSONValue)] = paired[i - 1].map { goal, d in
                    (goal, .object([
                        ("difference", .number(d.difference)), ("ci95", .array([.number(d.ci95.low), .number(d.ci95.high)])),
                        ("significant", .bool(d.isSignificant)), ("pairs", .integer(Int64(d.pairs))),
                        ("gained", .integer(Int64(d.gained))), ("lost", .integer(Int64(d.lost))), ("sign_test_p", .number(d.signTestP)),
                    ]))
                }
                let index = fields.firstIndex { $0.0 == "timing" } ?? fields.count
                fields.insert(("paired", .object([("against", .string(results[0].scenarioName)), ("goals", .object(goals))])), at: index)
            }
            objects.append(.object(fields))
        }
        return .object([("scenarios", .array(objects)), ("not_run", .array(notRun.map { .string($0) }))])
    }
}
