import Foundation
public import LiaoCore

/// The text output of `liaosim run` and `liaosim run --central`.
public enum TextReport {
    static let rule = String(repeating: "─", count: 78)

    /// Header lines naming the scenario and how the batch ran.
    static func header(
        name: String, description: String, source: String?, runs: Int, seed: UInt64, elapsed: Double?, threads: Int?,
        replaying replayed: Range<Int>? = nil
    ) -> [String] {
        var lines = ["Scenario  \(name)"]
        if !description.isEmpty { lines += wrap(description, indent: 10, width: 78) }
        if let source { lines.append("Source    \(source)") }
        var run = "Runs      \(NumberFormat.grouped(runs))"
        if let replayed {
            run += replayed.count == 1 ? " (run \(replayed.lowerBound))" : " (runs \(replayed.lowerBound) to \(replayed.upperBound - 1))"
        }
        run += "   seed \(seed)"
        if let elapsed, let threads {
            let rate = NumberFormat.runsPerSecond(runs: runs, elapsed: elapsed).map(NumberFormat.grouped) ?? "-"
            run += "   \(threads) thread\(threads == 1 ? "" : "s")   " + String(format: "%.2f s", elapsed) + "   \(rate) runs/s"
        }
        lines.append(run)
        return lines
    }

    /// A Monte Carlo batch: goal odds with 95% CIs, the goals' metrics, and a
    /// histogram of each with the goal's threshold marked.
    /// - Parameter mergedShards: for `merge`, the number of shard files: the
    ///   timing line then gives the shards' time in all instead of a speed.
    public static func batch(_ r: BatchResult, mergedShards: Int? = nil) -> String {
        var lines = header(
            name: r.scenarioName, description: r.scenarioDescription, source: r.sourcePath, runs: r.runs, seed: r.seed,
            elapsed: mergedShards == nil ? r.elapsedSeconds : nil, threads: mergedShards == nil ? r.threads : nil,
            replaying: r.firstRun == 0 ? nil : r.firstRun..<(r.firstRun + r.requestedRuns))
        if let mergedShards {
            lines.append("Merged    \(mergedShards) shard file\(mergedShards == 1 ? "" : "s"), whose runs took " + String(format: "%.2f s", r.elapsedSeconds) + " in all")
        }
        lines += sampling(r)
        if let target = r.precision, r.precisionReached == true {
            lines.append(
                "Precision widest 95% CI ±\(NumberFormat.compact(r.widestGoalHalfWidth)), target ±\(NumberFormat.compact(target.halfWidth)): reached in \(NumberFormat.grouped(r.requestedRuns)) runs")
        }
        lines += inputs(r)
        lines += warnings(r)
        lines.append("")
        lines += goalTable(r)
        lines.append("")
        // The goals' metrics, then the scenario's own metrics (after the built-in ones) that no goal uses.
        let goalMetrics = goalMetricIndices(r)
        lines += metricTable(r, indices: goalMetrics + (MetricCatalog.count..<r.metrics.count).filter { !goalMetrics.contains($0) })
        for (goal, index) in goalsWithMetric(r) {
            let condition = goal.primaryCondition!
            let summary = r.metrics[index]
            let threshold = TextHistogram.Threshold(
                condition.threshold, label: "\(condition.comparison.symbol) \(NumberFormat.compact(condition.threshold))")
            guard let histogram = TextHistogram.renderShared([summary], threshold: threshold).first, !histogram.isEmpty
            else { continue }
            lines.append("")
            lines.append(fit("\(condition.metric) — goal \(goal.id): \(goal.display)"))
            lines += histogram
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What a reader must know before trusting a batch's figures: an
    /// interruption, runs that failed (`--keep-going`), metrics that were not
    /// numbers in some runs. Empty for a clean batch. `label` starts each
    /// warning, to say which batch of several it is about (e.g. "[2] ").
    public static func warnings(_ r: BatchResult, label: String = "") -> [String] {
        var lines: [String] = []
        if r.interrupted {
            lines += wrap(
                "\(label)INTERRUPTED: \(NumberFormat.grouped(r.runs)) of \(NumberFormat.grouped(r.requestedRuns)) runs done\(r.precision.map { "; a --precision batch (target ±\(NumberFormat.compact($0.halfWidth)), widest interval now ±\(NumberFormat.compact(r.widestGoalHalfWidth)))" } ?? ""); the odds below use those runs only",
                indent: 0, width: 78)
        }
        if let target = r.precision, r.precisionReached == false, !r.interrupted {
            let goal = r.widestGoal.map { " (goal \($0.id))" } ?? ""
            let failed = r.failedRuns > 0 ? ", \(NumberFormat.grouped(r.failedRuns)) of them failed," : ""
            let advice = r.runs == 0
                ? "no run succeeded, so more runs would not help: see the failures"
                : "raise --max-runs for a narrower interval"
            lines += wrap(
                "\(label)PRECISION NOT REACHED: after \(NumberFormat.grouped(r.requestedRuns)) runs\(failed) (--max-runs \(NumberFormat.grouped(target.maxRuns))) the widest 95% CI is ±\(NumberFormat.compact(r.widestGoalHalfWidth))\(goal), above the target ±\(NumberFormat.compact(target.halfWidth)); \(advice)",
                indent: 0, width: 78)
        }
        if r.failedRuns > 0 {
            lines += wrap(
                "\(label)FAILED RUNS: \(NumberFormat.grouped(r.failedRuns)) runs failed and are left out (--keep-going); the first:",
                indent: 0, width: 78)
            for f in r.failures {
                // At most four lines: a long message loses its middle, never its end,
                // which says where (the month). The JSON keeps it whole.
                // Counted in columns, and a run of text without spaces (Chinese, say) is broken
                // into pieces that fit a line, so that its end is not cut off either.
                let text = NumberFormat.columns(f.message) > 160
                    ? NumberFormat.prefix(f.message, columns: 90) + " … " + suffix(f.message, columns: 60) : f.message
                let words = text.split(separator: " ").flatMap { pieces(String($0), columns: 70) }
                var message = wrap("run \(f.run): " + words.joined(separator: " "), indent: 4, width: 78).map(fit)
                message[0] = "  " + message[0].dropFirst(4)
                lines += message
            }
        }
        let notNumbers = r.nonFiniteMetrics
        if !notNumbers.isEmpty {
            let which = notNumbers.map { "\($0.name) in \(NumberFormat.grouped(Int($0.runs))) runs" }
            lines += wrap(
                "\(label)NOT A NUMBER: \(which.joined(separator: ", ")); those runs are left out of these metrics' statistics, and goals on them count as not met",
                indent: 0, width: 78)
        }
        return lines
    }

    /// The longest end of `s` that takes at most `width` columns.
    static func suffix(_ s: String, columns width: Int) -> String {
        String(NumberFormat.prefix(String(s.reversed()), columns: width).reversed())
    }

    /// `word` in pieces of at most `width` columns.
    static func pieces(_ word: String, columns width: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(word)
        while NumberFormat.columns(String(rest)) > width {
            let piece = NumberFormat.prefix(String(rest), columns: width)
            guard !piece.isEmpty else { break }
            pieces.append(piece)
            rest = rest.dropFirst(piece.count)
        }
        return pieces + [String(rest)]
    }

    /// Words of `text` on lines of at most `width` columns, indented.
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent + NumberFormat.columns(line) + 1 + NumberFormat.columns(String(word)) > width {
                lines.append(pad + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(pad + line) }
        return lines
    }

    /// `Label     text` with the text wrapped under itself.
    static func labelled(_ label: String, _ text: String) -> [String] {
        var lines = wrap(text, indent: 10, width: 78)
        if !lines.isEmpty { lines[0] = NumberFormat.left(label, 10) + lines[0].dropFirst(10) }
        return lines
    }

    /// The sampling line of a Latin hypercube batch (none for independent draws).
    static func sampling(_ r: BatchResult) -> [String] {
        guard r.sampling == .lhs else { return [] }
        return ["Sampling  Latin hypercube over the study's \(NumberFormat.grouped(r.requestedRuns)) runs (--sampling lhs)"]
    }

    /// The scenario's inputs and the values used (`--set`), leaving out
    /// `varied`, which sweep and solve give point by point.
    static func inputs(_ r: BatchResult, leavingOut varied: String? = nil) -> [String] {
        let shown = inputList(r, leavingOut: varied)
        return shown.isEmpty ? [] : labelled("Inputs", shown)
    }

    /// "name = value, ..." of the inputs, leaving out `varied`.
    static func inputList(_ r: BatchResult, leavingOut varied: String? = nil) -> String {
        r.inputs.filter { $0.name != varied }.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
    }

    /// Cuts a line to 78 characters.
    static func fit(_ line: String) -> String {
        NumberFormat.cut(line, columns: 78)
    }

    /// A table row whose first column holds `name` in `width` columns: a
    /// longer name goes whole on a line of its own, and the row's `rest`
    /// below it, so that the columns stay in line and no name is cut.
    static func row(_ name: String, width: Int, _ rest: String) -> [String] {
        NumberFormat.columns(name) < width ? [NumberFormat.left(name, width) + rest] : [name, String(repeating: " ", count: width) + rest]
    }

    static func goalTable(_ r: BatchResult) -> [String] {
        var lines = [
            NumberFormat.left("Goal", 20) + NumberFormat.left("Test", 34) + NumberFormat.right("P(met)", 8) + "  95% CI",
            rule,
        ]
        for (goal, tally) in zip(r.goals, r.goalTallies) {
            let ci = tally.wilson95
            var test = goal.display
            if case .allOf = goal.test { test = "every plan goal in the same run" }
            test = NumberFormat.cut(test, columns: 33)
            lines += row(goal.id, width: 20, NumberFormat.left(test, 34)
                    + NumberFormat.right(NumberFormat.percent(tally.probability), 8)
                    + "  [\(NumberFormat.percent(ci.low)), \(NumberFormat.percent(ci.high))]")
        }
        return lines
    }

    static func metricTable(_ r: BatchResult, indices: [Int]) -> [String] {
        var lines = [
            NumberFormat.left("Metric", 26) + ["mean", "sd", "P5", "P50", "P95"].map { NumberFormat.right($0, 10) }.joined(),
            rule,
        ]
        // A space before every column, so that long numbers or names never run together.
        for i in indices {
            let s = r.metrics[i]
            let values = [s.mean, s.standardDeviation, s.quantile(0.05), s.quantile(0.5), s.quantile(0.95)]
            // A statistic of too few values (an sd of one) is undefined: n/a, as JSON's null.
            lines += row(r.metricNames[i], width: 26, values.map { " " + NumberFormat.right($0.isNaN ? "n/a" : NumberFormat.compact($0), 9) }.joined())
        }
        return lines
    }

    /// Each goal with a metric condition, with the index of that metric.
    static func goalsWithMetric(_ r: BatchResult) -> [(Goal, Int)] {
        r.goals.compactMap { goal in
            guard let c = goal.primaryCondition, let i = r.metricNames.firstIndex(of: c.metric) else { return nil }
            return (goal, i)
        }
    }

    /// Every metric some goal tests, in goal order, without repeats.
    static func goalMetricIndices(_ r: BatchResult) -> [Int] {
        var seen = Set<Int>()
        var out: [Int] = []
        for goal in r.goals {
            guard case .conditions(let conditions) = goal.test else { continue }
            for c in conditions {
                if let i = r.metricNames.firstIndex(of: c.metric), seen.insert(i).inserted { out.append(i) }
            }
        }
        return out
    }

    /// The central path: annual metrics, goals met, and a month-by-month table.
    public static func central(_ record: RunRecord, compiled: CompiledScenario, seed: UInt64) -> String {
        let scenario = compiled.scenario
        var lines = header(
            name: scenario.name, description: scenario.description, source: scenario.sourcePath, runs: 1, seed: seed,
            elapsed: nil, threads: nil)
        lines.removeLast()
        lines += labelled("Path", "central: every parameter at its central value, random events at their expectations")
        lines.append("")
        lines.append(NumberFormat.left("Goal", 20) + NumberFormat.left("Test", 50) + "Met")
        lines.append(rule)
        for (goal, met) in zip(scenario.goals, compiled.goalsMet(record.metrics)) {
            var test = goal.display
            if case .allOf = goal.test { test = "every plan goal" }
            if test.count > 49 { test = String(test.prefix(48)) + "…" }
            lines.append(NumberFormat.left(goal.id, 20) + NumberFormat.left(test, 50) + (met ? "yes" : "no"))
        }
        lines.append("")
        lines.append(NumberFormat.left("Metric", 30) + NumberFormat.right("value", 14))
        lines.append(rule)
        for (name, value) in zip(scenario.metricNames, record.metrics) {
            lines += row(name, width: 30, NumberFormat.right(NumberFormat.compact(value), 14))
        }
        lines.append("")
        lines += wrap(
            "Month by month: nominal VA (亿元) of retail, catering, accommodation and services; star hotels, rooms, occupancy, household workers and firms at month end.",
            indent: 0, width: 78)
        let columns = ["month", "retail", "cater.", "accom.", "serv.", "hotels", "rooms", "occup.", "workers", "firms"]
        lines.append(NumberFormat.left(columns[0], 8) + columns.dropFirst().map { NumberFormat.right($0, 8) }.joined())
        lines.append(rule)
        let months = SimCalendar.months
        for t in 0..<months {
            var row = [SimCalendar.label(t)]
            for s in Sector.allCases { row.append(String(format: "%.3f", record.monthlyValueAdded[s.rawValue * months + t])) }
            row += [
                String(format: "%.2f", record.monthlyStarHotels[t]), String(format: "%.0f", record.monthlyStarRooms[t]),
                String(format: "%.3f", record.monthlyOccupancy[t]), String(format: "%.0f", record.monthlyWorkers[t]),
                String(format: "%.2f", record.monthlyFirms[t]),
            ]
            lines.append(NumberFormat.left(row[0], 8) + row.dropFirst().map { NumberFormat.right($0, 8) }.joined())
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
