import Foundation
public import LiaoCore

/// `liaosim sweep`: a table and charts of goal odds against an input.
public enum SweepReport {
    /// - Parameter notRun: values the sweep was asked for but did not run
    ///   (an interruption stopped it first); the report names them.
    public static func text(
        input: String, values: [Double], results: [BatchResult], goals: [String], notRun: [Double] = []
    ) -> String {
        guard let first = results.first else { return "" }
        var lines = TextReport.header(
            name: first.scenarioName, description: first.scenarioDescription, source: first.sourcePath, runs: first.runs,
            seed: first.seed, elapsed: results.reduce(0) { $0 + $1.elapsedSeconds }, threads: first.threads)
        lines[lines.count - 1] = "Runs      \(NumberFormat.grouped(first.runs)) per value   seed \(first.seed)   same runs for every value"
        lines += TextReport.sampling(first) + TextReport.inputs(first, leavingOut: input)
        lines += warnings(input: input, values: values, results: results, notRun: notRun)
        lines.append("")
        // Table: goals down, values across (in groups that fit 78 columns).
        let columnWidth = 9
        let perTable = max(1, (78 - 20) / columnWidth)
        // The scenario's own metrics (what a rule spent, say), by their means: cost beside the odds.
        let own = ownMetrics(results)
        var start = 0
        while start < values.count {
            let chunk = start..<min(start + perTable, values.count)
            let labels = valueLabels(values)
            lines.append(NumberFormat.left(NumberFormat.cut(input, columns: 19), 20) + chunk.map { NumberFormat.right(labels[$0], columnWidth) }.joined())
            lines.append(TextReport.rule)
            for id in goals {
                var row = NumberFormat.left(NumberFormat.cut(id, columns: 19), 20)
                for i in chunk { row += NumberFormat.right(NumberFormat.percent(probability(results[i], id)), columnWidth) }
                lines.append(row)
            }
            if !own.isEmpty {
                lines.append("mean of")
                for name in own {
                    var row = NumberFormat.left(" " + NumberFormat.cut(name, columns: 18), 20)
                    for i in chunk { row += NumberFormat.right(mean(results[i], name).map { $0.isNaN ? "n/a" : NumberFormat.cell($0, width: columnWidth) } ?? "—", columnWidth) }
                    lines.append(row)
                }
            }
            lines.append("")
            start += perTable
        }
        // Charts for the goals whose odds change.
        for id in goals {
            let ps = results.map { probability($0, id) }
            // A value whose every run failed (--keep-going) has no odds: drawn empty, shown n/a.
            let known = ps.filter { $0.isFinite }
            guard let lo = known.min(), let hi = known.max(), hi > lo else { continue }
            lines.append("P(\(id)) against \(input)")
            let barWidth = 50
            let labels = valueLabels(values)
            for (label, p) in zip(labels, ps) {
                let filled = p.isFinite ? Int((Swift.min(Swift.max(p, 0), 1) * Double(barWidth)).rounded()) : 0
                lines.append(
                    NumberFormat.right(label, 10) + " │" + String(repeating: "█", count: filled)
                        + String(repeating: " ", count: barWidth - filled) + "│ " + NumberFormat.percent(p))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The swept values as written (0.8, 1, 1.2), in one form for the whole
    /// row: else in four significant digits, else (past 8 characters) with
    /// an exponent, so that every label fits its column.
    static func valueLabels(_ values: [Double]) -> [String] {
        let written = values.map(Distribution.format)
        if written.allSatisfy({ $0.count <= 8 }) { return written }
        let compact = values.map(NumberFormat.compact)
        if compact.allSatisfy({ $0.count <= 8 }) { return compact }
        return values.map { NumberFormat.cell($0, width: 9) }
    }

    /// Each value's batch warnings (see `TextReport.warnings`), then the
    /// values not run.
    static func warnings(input: String, values: [Double], results: [BatchResult], notRun: [Double]) -> [String] {
        var lines: [String] = []
        for (value, r) in zip(values, results) {
            lines += TextReport.warnings(r, label: "\(input) = \(Distribution.format(value)): ")
        }
        if !notRun.isEmpty {
            lines += TextReport.wrap(
                "INTERRUPTED: \(results.count) of \(results.count + notRun.count) values of \(input) run; not run: "
                    + notRun.map(NumberFormat.compact).joined(separator: ", "),
                indent: 0, width: 78)
        }
        return lines
    }

    /// What a JSON point says of its batch, so that a script can tell a
    /// complete batch from one with lost runs.
    static func batchStatus(_ r: BatchResult) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("runs", .integer(Int64(r.runs))), ("failed_runs", .integer(Int64(r.failedRuns))), ("interrupted", .bool(r.interrupted)),
        ]
        if let counts = JSONReport.nonFiniteCounts(r) { fields.append(("non_finite", counts)) }
        return fields
    }

    /// The names of the scenarios' own metrics (after the built-in ones), in
    /// the order first seen (also for `compare`).
    static func ownMetrics(_ results: [BatchResult]) -> [String] {
        var names: [String] = []
        for r in results {
            for name in r.metricNames.dropFirst(MetricCatalog.count) where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// A metric's mean in a batch; nil when the batch has no such metric, NaN when no run gave a number.
    static func mean(_ r: BatchResult, _ name: String) -> Double? {
        r.metricNames.firstIndex(of: name).map { r.metrics[$0].mean }
    }

    static func probability(_ r: BatchResult, _ id: String) -> Double {
        r.goals.firstIndex { $0.id == id }.map { r.goalTallies[$0].probability } ?? .nan
    }

    public static func json(
        input: String, values: [Double], results: [BatchResult], goals: [String], notRun: [Double] = []
    ) -> JSONValue {
        guard let first = results.first else { return .null }
        let points: [JSONValue] = zip(values, results).map { value, r in
            .object([("value", .number(value))] + batchStatus(r) + [
                ("goals", .object(goals.compactMap { id in
                    guard let g = r.goals.firstIndex(where: { $0.id == id }) else { return nil }
                    let ci = r.goalTallies[g].wilson95
                    return (id, .object([
                        ("probability", .number(r.goalTallies[g].probability)), ("successes", .integer(Int64(r.goalTallies[g].successes))),
                        ("ci95", .array([.number(ci.low), .number(ci.high)])),
                    ]))
                })),
                // Every metric's mean (built-in and the scenario's own), for plotting costs against odds.
                ("means", .object(zip(r.metricNames, r.metrics).map { ($0, .number($1.mean)) })),
            ])
        }
        let about: [(String, JSONValue)] = [
            ("scenario", .string(first.scenarioName)), ("input", .string(input)), ("runs", .integer(Int64(first.runs))),
            ("seed", .unsigned(first.seed)),
        ]
        return .object(about + JSONReport.drawnHow(first, leavingOut: input) + [
            ("points", .array(points)),
            ("not_run", .array(notRun.map { .number($0) })),
            ("timing", .object([("elapsed_seconds", .number(JSONReport.timing(results.reduce(0) { $0 + $1.elapsedSeconds })))])),
        ])
    }
}

/// `liaosim solve`: the answer, the points evaluated and the monotonicity check.
public enum SolveReport {
    public static func text(
        input: String, goal: String, target: Double, answer: InputSearch.Answer, results: [Double: BatchResult], goalIndex: Int
    ) -> String {
        guard let any = results.values.first else { return "" }
        var lines = TextReport.header(
            name: any.scenarioName, description: any.scenarioDescription, source: any.sourcePath, runs: any.runs, seed: any.seed,
            elapsed: results.values.reduce(0) { $0 + $1.elapsedSeconds }, threads: any.threads)
        lines[lines.count - 1] = "Runs      \(NumberFormat.grouped(any.runs)) per value   seed \(any.seed)   same runs for every value"
        lines += TextReport.sampling(any) + TextReport.inputs(any, leavingOut: input)
        let evaluated = answer.points.compactMap { point in results[point.value].map { (point.value, $0) } }
        lines += SweepReport.warnings(input: input, values: evaluated.map(\.0), results: evaluated.map(\.1), notRun: [])
        lines.append("")
        if let value = answer.value, let r = results[value] {
            let ci = r.goalTallies[goalIndex].wilson95
            lines += TextReport.wrap(
                // The value exactly as evaluated, so that `--set` with it gives these odds again.
                "Smallest \(input) with P(\(goal)) ≥ \(NumberFormat.percent(target)): \(Distribution.format(value)) (P = \(NumberFormat.percent(r.goalTallies[goalIndex].probability)), 95% CI \(NumberFormat.percent(ci.low)) to \(NumberFormat.percent(ci.high)))",
                indent: 0, width: 78)
            if let below = answer.points.last(where: { $0.value < value }) {
                lines.append("Just below, at \(NumberFormat.compact(below.value)): P = \(NumberFormat.percent(below.probability))")
            }
            if answer.metAtLowEnd {
                lines += TextReport.wrap(
                    "ALREADY MET AT THE LOW END: the range starts at \(Distribution.format(value)), which meets the target, so the smallest \(input) that does may lie below it; lower the start of --vary to find it.",
                    indent: 0, width: 78)
            }
            if ci.low < target {
                lines += TextReport.wrap(
                    "The 95% interval at the answer reaches below \(NumberFormat.percent(target)): with \(NumberFormat.grouped(r.runs)) runs for each value, the odds there are within sampling error of the target, so the true answer may lie a little above or below it; more --runs narrow the interval.",
                    indent: 0, width: 78)
            }
        } else {
            let top = answer.points.last.map { NumberFormat.percent($0.probability) } ?? "?"
            let bottom = answer.points.first?.probability ?? 0
            // Odds that fall as the input rises are not helped by a wider range upwards.
            let topIsNotANumber = answer.points.last.flatMap { results[$0.value] }.map { !$0.nonFiniteMetrics.isEmpty } ?? false
            let advice = topIsNotANumber
                ? "at the top some metrics were not numbers (see above), and such runs meet no goal; narrow --vary"
                : (answer.points.last?.probability ?? 0) < bottom
                ? "the odds fall as \(input) rises, so a higher \(input) will not reach it either"
                : "widen --vary"
            lines += TextReport.wrap(
                "No answer: P(\(goal)) is below \(NumberFormat.percent(target)) at both ends of the range (\(top) at the top): \(advice). Bisection assumes the odds rise with \(input); if they may peak inside the range, `liaosim sweep` shows them.",
                indent: 0, width: 78)
        }
        lines.append("")
        lines.append(NumberFormat.left(input, 20) + NumberFormat.right("P(\(goal))", 24) + NumberFormat.right("95% CI", 22))
        lines.append(TextReport.rule)
        for point in answer.points {
            let interval = results[point.value].map { r -> String in
                let ci = r.goalTallies[goalIndex].wilson95
                return "[\(NumberFormat.percent(ci.low)), \(NumberFormat.percent(ci.high))]"
            } ?? ""
            lines.append(NumberFormat.left(NumberFormat.compact(point.value), 20) + NumberFormat.right(NumberFormat.percent(point.probability), 24)
                         + NumberFormat.right(interval, 22))
        }
        lines.append("")
        let count = answer.points.count
        lines += TextReport.wrap(count < 2
            ? "Only \(count) point\(count == 1 ? " was" : "s were") evaluated, so whether the odds rise with \(input) was not checked."
            : answer.isMonotone
            ? "Monotone: the odds never fell as \(input) rose over the \(count) points evaluated."
            : "NOT MONOTONE: the odds fell by up to \(NumberFormat.percentagePoints(answer.largestFall)) between neighbouring points; "
                + (answer.value == nil ? "the odds may reach the target somewhere inside the range (see `liaosim sweep`)." : "the answer may not be unique."),
            indent: 0, width: 78)
        return lines.map(TextReport.fit).joined(separator: "\n") + "\n"
    }

    public static func json(
        input: String, goal: String, target: Double, answer: InputSearch.Answer, results: [Double: BatchResult], goalIndex: Int
    ) -> JSONValue {
        let any = results.values.first
        let about: [(String, JSONValue)] = [
            ("scenario", any.map { .string($0.scenarioName) } ?? .null), ("input", .string(input)), ("goal", .string(goal)),
            ("target", .number(target)), ("runs", .integer(Int64(any?.runs ?? 0))), ("seed", any.map { .unsigned($0.seed) } ?? .null),
        ]
        let drawn: [(String, JSONValue)] = any.map { JSONReport.drawnHow($0, leavingOut: input) } ?? []
        func interval(_ value: Double) -> JSONValue {
            guard let r = results[value] else { return .null }
            let ci = r.goalTallies[goalIndex].wilson95
            return .array([.number(ci.low), .number(ci.high)])
        }
        let points: [JSONValue] = answer.points.map { point in
            .object([("value", .number(point.value)), ("probability", .number(point.probability)), ("ci95", interval(point.value))]
                + (results[point.value].map(SweepReport.batchStatus) ?? []))
        }
        let elapsed = JSONReport.timing(results.values.reduce(0) { $0 + $1.elapsedSeconds })
        return .object(about + drawn + [
            ("value", answer.value.map { .number($0) } ?? .null),
            ("probability", answer.value.flatMap { results[$0] }.map { .number($0.goalTallies[goalIndex].probability) } ?? .null),
            ("ci95", answer.value.map(interval) ?? .null),
            // Not checked with a single point (the low end met the target at once).
            ("monotone", answer.points.count < 2 ? .null : .bool(answer.isMonotone)),
            ("met_at_low_end", .bool(answer.metAtLowEnd)),
            ("points", .array(points)),
            ("timing", .object([("elapsed_seconds", .number(elapsed))])),
        ])
    }
}
