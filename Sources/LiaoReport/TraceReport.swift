import Foundation
public import LiaoCore

/// `liaosim trace`: one run month by month.
public enum TraceReport {
    public static func text(_ trace: RunTrace, compiled: CompiledScenario) -> String {
        let scenario = compiled.scenario
        let record = trace.record
        var lines = TextReport.header(
            name: scenario.name, description: scenario.description, source: scenario.sourcePath, runs: 1, seed: trace.seed,
            elapsed: nil, threads: nil)
        lines.removeLast()
        lines += TextReport.labelled(
            "Run", trace.run.map { "\($0) of the batch with seed \(trace.seed)" } ?? "the central path (no randomness)")
        lines.append("")
        if let failure = trace.failure {
            lines += TextReport.wrap("RUN FAILED: \(failure.description). What it did up to then follows; it has no goals or metrics.",
                                     indent: 0, width: 78)
        } else {
            lines.append(NumberFormat.left("Goal", 20) + NumberFormat.left("Test", 50) + "Met")
            lines.append(TextReport.rule)
            for (goal, met) in zip(scenario.goals, compiled.goalsMet(record.metrics)) {
                var test = goal.display
                if case .allOf = goal.test { test = "every plan goal" }
                lines.append(NumberFormat.left(goal.id, 20) + NumberFormat.left(String(test.prefix(49)), 50) + (met ? "yes" : "no"))
            }
        }
        lines.append("")
        lines += parameterLines(trace, scenario: scenario)
        lines.append("")
        lines += TextReport.wrap(
            "Month by month: nominal VA (亿元); \"instr.\" is what the instruments added to VA that month; star hotels, rooms, occupancy and household workers at month end (firms too in --format json).",
            indent: 0, width: 78)
        let columns = ["month", "retail", "cater.", "accom.", "serv.", "instr.", "hotels", "rooms", "occup.", "workers"]
        lines.append(NumberFormat.left(columns[0], 8) + columns.dropFirst().map { NumberFormat.right($0, 8) }.joined())
        lines.append(TextReport.rule)
        let months = SimCalendar.months
        for t in 0..<trace.monthsDone {
            var row = [SimCalendar.label(t)]
            for s in Sector.allCases { row.append(String(format: "%.3f", record.monthlyValueAdded[s.rawValue * months + t])) }
            row.append(String(format: "%+.3f", trace.contributions.reduce(0) { $0 + $1.valueAdded[t] }))
            row += [
                countCell(record.monthlyStarHotels[t]), countCell(record.monthlyStarRooms[t]),
                String(format: "%.3f", record.monthlyOccupancy[t]), countCell(record.monthlyWorkers[t]),
            ]
            lines.append(NumberFormat.left(row[0], 8) + row.dropFirst().map { NumberFormat.right($0, 8) }.joined())
        }
        lines.append("")
        lines.append("What each instrument added (VA 亿元 by month; hotels opened; event room-nights)")
        lines.append(TextReport.rule)
        for c in trace.contributions {
            // When the month the hook scheduled it in does not fit beside the label, it gets a line of its own.
            let scheduled = c.scheduledIn.map { "[scheduled in \(SimCalendar.label($0))]" }
            if let scheduled, (c.label + "  " + scheduled).count > 78 {
                lines.append(TextReport.fit(c.label))
                lines.append("    " + scheduled)
            } else {
                lines.append(TextReport.fit(c.label + (scheduled.map { "  " + $0 } ?? "")))
            }
            var parts: [String] = []
            for t in 0..<trace.monthsDone {
                if c.valueAdded[t] != 0 { parts.append("\(SimCalendar.label(t)) \(String(format: "%+.4f", c.valueAdded[t]))") }
                if c.roomNights[t] != 0 {
                    parts.append("\(SimCalendar.label(t)) \(NumberFormat.compact(c.roomNights[t])) room-nights of star-hotel demand (in accom., not instr.)")
                }
                if c.hotelsOpened[t] != 0 {
                    parts.append("opens \(SimCalendar.label(t))" + (c.hotelsOpened[t] == 1 ? "" : " (weight \(NumberFormat.compact(c.hotelsOpened[t])))"))
                }
            }
            if parts.isEmpty, trace.failure != nil {
                parts = [trace.monthsDone == 0 ? "nothing (the run failed as it started)" : "nothing up to the failure"]
            }
            if parts.isEmpty { parts = [c.hotelsOpened.allSatisfy { $0 == 0 } && c.roomsOpened.allSatisfy { $0 == 0 } ? "nothing in 2024-2025 (cancelled or later)" : ""] }
            lines += TextReport.wrap(parts.joined(separator: ", "), indent: 4, width: 78)
        }
        if !trace.hookActions.isEmpty {
            lines.append("")
            lines.append("What on_month did")
            lines.append(TextReport.rule)
            for a in trace.hookActions { lines.append(TextReport.fit("\(SimCalendar.label(a.month))  \(a.description)")) }
        }
        if trace.failure == nil {
            lines.append("")
            lines.append(NumberFormat.left("Metric", 30) + NumberFormat.right("value", 14))
            lines.append(TextReport.rule)
            for (name, value) in zip(scenario.metricNames, record.metrics) {
                lines.append(NumberFormat.left(name, 30) + NumberFormat.right(NumberFormat.compact(value), 14))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A count at month end: whole in a random run; on the central path an
    /// expectation, shown with its fraction (25.94 hotels, not 26).
    private static func countCell(_ x: Double) -> String {
        x == x.rounded() ? String(format: "%.0f", x) : String(format: abs(x) < 100 ? "%.2f" : "%.1f", x)
    }

    /// The run's values of the scenario's uncertain parameters, two to a line
    /// (the fixed ones are in `liaosim params`, as are the distributions).
    private static func parameterLines(_ trace: RunTrace, scenario: Scenario) -> [String] {
        let uncertain = scenario.parameters.uncertainIDs
        guard !uncertain.isEmpty else { return ["Parameters: every one is fixed (liaosim params lists them)"] }
        var lines = TextReport.wrap(
            trace.run == nil
                ? "Parameters at their central values (the uncertain ones; liaosim params gives their distributions and sources)"
                : "Parameters drawn for this run (the uncertain ones; liaosim params gives their distributions and sources)",
            indent: 0, width: 78)
        lines.append(TextReport.rule)
        let cells = uncertain.map { id in
            NumberFormat.left(ParameterCatalog.spec(id).key, 28) + NumberFormat.right(NumberFormat.compact(trace.record.parameters[id.rawValue]), 10)
        }
        for start in stride(from: 0, to: cells.count, by: 2) {
            lines.append(cells[start..<min(start + 2, cells.count)].joined(separator: "  "))
        }
        return lines
    }

    public static func json(_ trace: RunTrace, compiled: CompiledScenario) -> JSONValue {
        guard case .object(var fields) = JSONReport.central(
            trace.record, compiled: compiled, seed: trace.seed, monthsShown: trace.monthsDone) else { return .null }
        fields.removeAll { $0.0 == "central" || $0.0 == "runs" }
        if let failure = trace.failure {
            // A failed run has no goals or metrics; its months up to the failure are kept.
            for i in fields.indices where fields[i].0 == "goals" || fields[i].0 == "metrics" { fields[i].1 = .null }
            fields.append(("failure", .object([
                ("message", .string(failure.message)),
                ("month", failure.month.map { .string(SimCalendar.label($0)) } ?? .null),
            ])))
        }
        let index = fields.firstIndex { $0.0 == "goals" } ?? fields.count
        fields.insert(("run", trace.run.map { .integer(Int64($0)) } ?? .null), at: index)
        fields.insert(("parameters", .object(ParameterCatalog.all.map { ($0.key, .number(trace.record.parameters[$0.id.rawValue])) })), at: index + 1)
        fields.append(("instruments", .array(trace.contributions.map { c in
            .object([
                ("label", .string(c.label)), ("sector", .string(c.sector.key)),
                ("scheduled_in", c.scheduledIn.map { .string(SimCalendar.label($0)) } ?? .null),
                ("value_added", .array(c.valueAdded.prefix(trace.monthsDone).map { .number($0) })),
                ("hotels_opened", .array(c.hotelsOpened.prefix(trace.monthsDone).map { .number($0) })),
                ("rooms_opened", .array(c.roomsOpened.prefix(trace.monthsDone).map { .number($0) })),
                ("room_nights", .array(c.roomNights.prefix(trace.monthsDone).map { .number($0) })),
            ])
        })))
        fields.append(("hook_actions", .array(trace.hookActions.map {
            .object([("month", .string(SimCalendar.label($0.month))), ("action", .string($0.description))])
        })))
        return .object(fields)
    }
}
