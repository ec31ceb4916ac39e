public import LiaoCore

/// `liaosim params`: every parameter with its distribution, central value,
/// unit and source, as a scenario leaves them; then its goals, the
/// instruments it schedules for every run, and the seasonal factors.
public enum ParamsReport {
    public static func text(_ scenario: Scenario) -> String {
        var lines = ["Parameters of \(scenario.name)" + (scenario.sourcePath.map { " (\($0))" } ?? "") + ": key, distribution, central value, unit, source"]
        if !scenario.inputs.isEmpty {
            lines += TextReport.labelled("Inputs", scenario.inputs.map { input in
                "\(input.name) = \(input.value)" + (input.value == input.defaultValue ? "" : " (default \(input.defaultValue))")
            }.joined(separator: ", "))
        }
        lines.append("")
        for spec in ParameterCatalog.all {
            let d = scenario.parameters[spec.id]
            lines.append(spec.key)
            lines.append("    \(d.display)   central \(NumberFormat.compact(d.centralValue))   \(spec.unit)")
            lines.append("    source: \(source(spec, scenario))")
            for change in leverChanges(spec, scenario) {
                lines.append("    lever: \(NumberFormat.compact(change.value)) from \(SimCalendar.label(change.from)) (scheduled by the scenario)")
            }
            for c in scenario.correlations where c.first == spec.key || c.second == spec.key {
                let other = c.first == spec.key ? c.second : c.first
                lines.append("    rank correlation \(NumberFormat.compact(c.rank)) with \(other)" + (c.origin.map { " (\($0))" } ?? ""))
            }
        }
        lines.append("")
        lines.append("Goals (a run meets a goal when its test holds):")
        for goal in scenario.goals {
            lines += TextReport.wrap("\(goal.id): \(goal.display)", indent: 4, width: 78)
            lines += TextReport.wrap(goal.label, indent: 8, width: 78)
        }
        lines.append("")
        let instruments = RunTrace.describeAll(scenario.schedule)
        lines += TextReport.wrap(
            "Instruments and lever changes scheduled for every run" + (instruments.isEmpty ? ": none" : "")
                + " (an on_month hook may add more in a run, as `liaosim trace` shows):",
            indent: 0, width: 78)
        for instrument in instruments { lines += TextReport.wrap(instrument, indent: 4, width: 78) }
        lines.append("")
        lines += TextReport.wrap("Seasonal factors (Jan…Dec) as their sources give them; the model rescales each row to average 1 (JSON: `used`):", indent: 0, width: 78)
        for s in Sector.allCases {
            let raw = Seasonality.raw[s]!.map { String($0) }.joined(separator: " ")
            lines.append("    \(NumberFormat.left(s.key, 14)) \(raw)   source: \(Seasonality.sources[s]!)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ scenario: Scenario) -> JSONValue {
        .object([
            ("scenario", .string(scenario.name)),
            ("inputs", JSONReport.inputs(scenario.inputs)),
            ("parameters", .array(ParameterCatalog.all.map { spec in
                let d = scenario.parameters[spec.id]
                return .object([
                    ("key", .string(spec.key)), ("distribution", .string(d.display)),
                    ("central", .number(d.centralValue)), ("unit", .string(spec.unit)),
                    ("source", .string(source(spec, scenario))),
                    ("lever_changes", .array(leverChanges(spec, scenario).map {
                        .object([("from", .string(SimCalendar.label($0.from))), ("value", .number($0.value))])
                    })),
                ])
            })),
            ("correlations", .array(scenario.correlations.map { c in
                .object([
                    ("first", .string(c.first)), ("second", .string(c.second)), ("rank", .number(c.rank)),
                    ("origin", c.origin.map { .string($0) } ?? .null),
                ])
            })),
            ("goals", .array(scenario.goals.map { goal in
                .object([("id", .string(goal.id)), ("test", .string(goal.display)), ("label", .string(goal.label))])
            })),
            ("instruments", .array(RunTrace.describeAll(scenario.schedule).map { .string($0) })),
            ("seasonal_factors", .object(Sector.allCases.map { s in
                (s.key, .object([
                    ("factors", .array(Seasonality.raw[s]!.map { .number($0) })),
                    ("used", .array(Seasonality.normalised[s.rawValue].map { .number($0) })),
                    ("source", .string(Seasonality.sources[s]!)),
                ]))
            })),
        ])
    }

    /// The scenario's scheduled changes of the lever on this parameter, by month.
    static func leverChanges(_ spec: ParameterSpec, _ scenario: Scenario) -> [LeverChange] {
        scenario.schedule.leverChanges.filter { $0.lever.parameter == spec.id }.sorted { $0.from < $1.from }
    }

    static func source(_ spec: ParameterSpec, _ scenario: Scenario) -> String {
        if let origin = scenario.parameters.origins[spec.id.rawValue] {
            return "scenario, \(origin) (default \(spec.distribution.display): \(spec.source))"
        }
        return spec.source
    }
}
