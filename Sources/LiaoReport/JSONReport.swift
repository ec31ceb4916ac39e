public import LiaoCore

/// The JSON contract for scripts (see README, "JSON output").
public enum JSONReport {
    /// Seconds to the microsecond: a clock's reading has no more digits worth printing.
    static func timing(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e6 }

    /// Quantiles reported for every metric, with their JSON keys.
    public static let quantiles: [(String, Double)] = [("p5", 0.05), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75), ("p95", 0.95)]

    /// Metric name → number of runs in which it was NaN or infinite, for the
    /// metrics where that happened; nil when there are none. (A batch's own
    /// JSON gives the count inside each metric, as `non_finite`.)
    static func nonFiniteCounts(_ r: BatchResult) -> JSONValue? {
        let counts = r.nonFiniteMetrics
        guard !counts.isEmpty else { return nil }
        return .object(counts.map { ($0.name, .integer(Int64($0.runs))) })
    }

    /// A Monte Carlo batch. Timing lives under `timing`, the only part that
    /// changes between two runs with the same scenario and seed.
    public static func batch(_ r: BatchResult) -> JSONValue {
        var goals: [(String, JSONValue)] = []
        for (goal, tally) in zip(r.goals, r.goalTallies) {
            let ci = tally.wilson95
            goals.append((goal.id, .object([
                ("probability", .number(tally.probability)),
                ("ci95", .array([.number(ci.low), .number(ci.high)])),
                ("label", .string(goal.label)),
                ("test", .string(goal.display)),
                ("successes", .integer(Int64(tally.successes))),
            ])))
        }
        var metrics: [(String, JSONValue)] = []
        for (name, summary) in zip(r.metricNames, r.metrics) {
            var fields: [(String, JSONValue)] = [("mean", .number(summary.mean)), ("sd", .number(summary.standardDeviation))]
            for (key, q) in quantiles { fields.append((key, .number(summary.quantile(q)))) }
            if summary.nonFiniteCount > 0 { fields.append(("non_finite", .integer(Int64(summary.nonFiniteCount)))) }
            metrics.append((name, .object(fields)))
        }
        let failures: [JSONValue] = r.failures.map { .object([("run", .integer(Int64($0.run))), ("message", .string($0.message))]) }
        return .object([
            ("scenario", .string(r.scenarioName)),
            ("description", .string(r.scenarioDescription)),
            ("source", r.sourcePath.map { .string($0) } ?? .null),
            ("runs", .integer(Int64(r.runs))),
            ("seed", .unsigned(r.seed)),
            ("first_run", .integer(Int64(r.firstRun))),
            ("requested_runs", .integer(Int64(r.requestedRuns))),
            ("sampling", .string(r.sampling.rawValue)),
            ("inputs", inputs(r.inputs)),
            ("interrupted", .bool(r.interrupted)),
            ("failed_runs", .integer(Int64(r.failedRuns))),
            ("failures", .array(failures)),
            ("precision", r.precision.map { target in
                .object([
                    ("target_half_width", .number(target.halfWidth)),
                    ("max_runs", .integer(Int64(target.maxRuns))),
                    ("widest_half_width", .number(r.widestGoalHalfWidth)),
                    ("reached", .bool(r.precisionReached == true)),
                ])
            } ?? .null),
            ("goals", .object(goals)),
            ("metrics", .object(metrics)),
            ("timing", .object([
                ("elapsed_seconds", .number(timing(r.elapsedSeconds))),
                ("runs_per_second", .integer(NumberFormat.runsPerSecond(runs: r.runs, elapsed: r.elapsedSeconds) ?? 0)),
                ("threads", .integer(Int64(r.threads))),
            ])),
        ])
    }

    /// The central path: every metric's value, goals met, and the monthly series.
    /// - Parameter monthsShown: the months of the series to give (a trace of
    ///   a run that failed gives those before the failure).
    public static func central(_ record: RunRecord, compiled: CompiledScenario, seed: UInt64, monthsShown: Int = SimCalendar.months) -> JSONValue {
        let scenario = compiled.scenario
        let met = compiled.goalsMet(record.metrics)
        let goals: [(String, JSONValue)] = zip(scenario.goals, met).map { goal, ok in
            (goal.id, .object([("met", .bool(ok)), ("label", .string(goal.label)), ("test", .string(goal.display))]))
        }
        let metrics: [(String, JSONValue)] = zip(scenario.metricNames, record.metrics).map { ($0, .number($1)) }
        let months = SimCalendar.months
        func series(_ values: ArraySlice<Double>) -> JSONValue { .array(values.prefix(monthsShown).map { .number($0) }) }
        var monthly: [(String, JSONValue)] = [("months", .array((0..<monthsShown).map { .string(SimCalendar.label($0)) }))]
        for s in Sector.allCases {
            monthly.append((s.key, series(record.monthlyValueAdded[(s.rawValue * months)..<((s.rawValue + 1) * months)])))
        }
        monthly += [
            ("hotels", series(record.monthlyStarHotels[...])), ("rooms", series(record.monthlyStarRooms[...])),
            ("occupancy", series(record.monthlyOccupancy[...])), ("workers", series(record.monthlyWorkers[...])),
            ("firms", series(record.monthlyFirms[...])),
        ]
        return .object([
            ("scenario", .string(scenario.name)),
            ("description", .string(scenario.description)),
            ("source", scenario.sourcePath.map { .string($0) } ?? .null),
            ("runs", .integer(1)),
            ("seed", .unsigned(seed)),
            ("central", .bool(true)),
            ("goals", .object(goals)),
            ("metrics", .object(metrics)),
            ("monthly", .object(monthly)),
        ])
    }

    /// How a batch's runs were drawn beyond the seed: the sampling and the
    /// inputs (leaving out `varied`, which sweep and solve give point by point).
    static func drawnHow(_ r: BatchResult, leavingOut varied: String? = nil) -> [(String, JSONValue)] {
        [("sampling", .string(r.sampling.rawValue)), ("inputs", inputs(r.inputs.filter { $0.name != varied }))]
    }

    /// `{"name": value}` with numbers as numbers.
    static func inputs(_ inputs: [ScenarioInput]) -> JSONValue {
        .object(inputs.map { input in
            (input.name, input.isNumber ? .number(Double(input.value) ?? .nan) : .string(input.value))
        })
    }
}
