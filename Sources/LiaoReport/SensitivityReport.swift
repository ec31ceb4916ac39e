import Foundation
public import LiaoCore

/// `liaosim sensitivity`: which uncertain parameter drives a goal or a metric.
public enum SensitivityReport {
    /// What the analysis is about.
    public struct Subject: Sendable {
        public var metric: String
        public var goal: Goal?
        public init(metric: String, goal: Goal?) {
            self.metric = metric
            self.goal = goal
        }
        var outcome: String { goal.map { "P(\($0.id))" } ?? "mean \(metric)" }
    }

    public static func text(_ rows: [SensitivityRow], subject: Subject, result: BatchResult) -> String {
        var lines = TextReport.header(
            name: result.scenarioName, description: result.scenarioDescription, source: result.sourcePath, runs: result.runs,
            seed: result.seed, elapsed: result.elapsedSeconds, threads: result.threads)
        lines += TextReport.sampling(result) + TextReport.inputs(result)
        lines += TextReport.warnings(result)
        lines.append("")
        let about = subject.goal.map { "goal \($0.id) (\($0.display))" } ?? "metric \(subject.metric)"
        lines += TextReport.wrap(
            "Sensitivity of \(about): Spearman rank correlation of each uncertain parameter with \(subject.metric), and \(subject.outcome) when the parameter lies in its lowest and in its highest fifth.",
            indent: 0, width: 78)
        lines.append("")
        let isGoal = subject.goal != nil
        func format(_ x: Double) -> String { isGoal ? NumberFormat.percent(x) : NumberFormat.compact(x) }
        lines.append(NumberFormat.left("parameter", 26) + NumberFormat.right("rho", 7) + NumberFormat.right("low 1/5", 10)
            + NumberFormat.right("high 1/5", 10) + "  effect (high − low)")
        lines.append(TextReport.rule)
        let largest = rows.map { abs($0.effect) }.filter(\.isFinite).max() ?? 0
        let half = 12
        for row in rows {
            var bar = String(repeating: " ", count: half) + "│" + String(repeating: " ", count: half)
            if largest > 0, row.effect.isFinite {
                let length = Int((abs(row.effect) / largest * Double(half)).rounded())
                var chars = Array(bar)
                let block: Character = row.isBeyondNoise ? "█" : "░"
                if row.effect > 0 {
                    for k in 0..<length { chars[half + 1 + k] = block }
                } else {
                    for k in 0..<length { chars[half - 1 - k] = block }
                }
                bar = String(chars)
            }
            bar = String(bar.reversed().drop { $0 == " " }.reversed())
            lines.append(
                NumberFormat.left(NumberFormat.cut(row.parameter, columns: 25), 26)
                    + NumberFormat.right(String(format: "%+.2f", row.spearman), 7)
                    + NumberFormat.right(format(row.lowFifth), 10) + NumberFormat.right(format(row.highFifth), 10) + "  " + bar)
        }
        lines.append("")
        if !rows.isEmpty && !rows.contains(where: \.isBeyondNoise) {
            // A goal met in no run (or in every run) has nothing to rank: the metric does.
            let tally = subject.goal.flatMap { goal in result.goals.firstIndex { $0.id == goal.id } }.map { result.goalTallies[$0] }
            let why = tally.map { $0.successes == 0 || $0.successes == result.runs } == true
                ? "\(subject.outcome) is \(tally!.successes == 0 ? "0%" : "100%") in every fifth, so there is nothing to rank: `--metric \(subject.metric)` ranks the parameters by the metric itself."
                : "With \(NumberFormat.grouped(result.runs)) runs, more --runs may show an effect; otherwise what varies \(subject.outcome) from run to run is the model's own chance (recruits, firms, hotel openings and project outcomes are drawn each run) or parameters this scenario fixes, which are not ranked here (`liaosim params` lists them; give one a distribution with param() to rank it)."
            lines += TextReport.wrap("NO EFFECT BEYOND NOISE: no uncertain parameter moves \(subject.outcome) more than sampling noise would. " + why,
                                     indent: 0, width: 78)
            lines.append("")
        }
        lines += TextReport.wrap(
            "Bars: \(subject.outcome) in the highest fifth minus the lowest (left: the parameter lowers it, right: raises it); ░ marks an effect within sampling noise, which more runs may shrink to nothing (not beyond \(String(format: "%.2f", Sensitivity.noiseZ(parameters: rows.count))) standard errors: with \(rows.count) parameters judged at once, a parameter with no effect is marked █ in at most 5% of studies).",
            indent: 0, width: 78)
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ rows: [SensitivityRow], subject: Subject, result: BatchResult) -> JSONValue {
        .object([
            ("scenario", .string(result.scenarioName)),
            ("runs", .integer(Int64(result.runs))),
            ("failed_runs", .integer(Int64(result.failedRuns))),
            ("interrupted", .bool(result.interrupted)),
        ] + (JSONReport.nonFiniteCounts(result).map { [("non_finite", $0)] } ?? []) + [
            ("seed", .unsigned(result.seed)),
        ] + JSONReport.drawnHow(result) + [
            ("metric", .string(subject.metric)),
            ("goal", subject.goal.map { .string($0.id) } ?? .null),
            ("outcome", .string(subject.goal == nil ? "mean" : "probability")),
            ("parameters", .array(rows.map { row in
                .object([
                    ("key", .string(row.parameter)), ("spearman", .number(row.spearman)),
                    ("low_fifth", .number(row.lowFifth)), ("high_fifth", .number(row.highFifth)),
                    ("effect", .number(row.effect)), ("effect_se", .number(row.effectStandardError)),
                    ("beyond_noise", .bool(row.isBeyondNoise)),
                ])
            })),
            ("timing", .object([("elapsed_seconds", .number(JSONReport.timing(result.elapsedSeconds)))])),
        ])
    }
}
