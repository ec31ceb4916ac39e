import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim sensitivity`: which uncertain assumption drives a goal or a metric.
struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank the uncertain parameters by how much they move a goal's odds or a metric (tornado chart).",
        discussion: """
            For every parameter with a distribution (not fixed): its Spearman rank correlation with the \
            metric, and the goal's probability (or the metric's mean) when the parameter lies in its \
            lowest and in its highest fifth of the runs. Default: the scenario's first goal. \
            Keeps every run's parameters in memory (about 200 bytes a run).
            """
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @Option(help: "A metric to explain (e.g. va.hospitality.2025).")
    var metric: String?

    @Option(help: "A goal to explain (default: the scenario's first goal, retail_growth for the plan).")
    var goal: String?

    @OptionGroup var options: BatchOptions

    func validate() throws {
        if metric != nil && goal != nil { throw ValidationError("give either --metric or --goal, not both") }
    }

    func run() throws {
        var replay: String?
        do {
            let source = try ScenarioFiles.source(scenario)
            let engine = try LuaScenarioEngine(source: source, inputs: options.inputs, limits: options.limits)
            let loaded = engine.scenario
            let subject = try Self.subject(loaded, metric: metric, goal: goal)
            let metricIndex = loaded.metricNames.firstIndex(of: subject.metric)!
            let goalIndex = subject.goal.flatMap { g in loaded.goals.firstIndex { $0.id == g.id } }
            let uncertain = loaded.parameters.uncertainIDs
            guard !uncertain.isEmpty else { throw ModelError("\(source.displayName): every parameter is fixed; nothing to rank") }
            let seed = options.seed ?? loaded.defaultSeed ?? BatchOptions.defaultSeed
            let runs = options.runs ?? loaded.defaultRuns ?? BatchOptions.defaultRuns
            replay = options.replayCommand(scenario: scenario, seed: seed, runs: runs)
            let (result, tables) = try BatchRunner(source: source, engine: engine, options: options).run(runs: runs, seed: seed) {
                _ in RunTable(parameters: uncertain, metrics: [metricIndex])
            }
            guard let table = RunTable.joined(tables), !table.runs.isEmpty else {
                guard !result.interrupted else {
                    StandardError.write("liaosim: interrupted before any run finished: nothing to rank\n")
                    throw StopSignal.exitCode
                }
                throw ModelError("no run completed")
            }
            let rows = LiaoCore.Sensitivity.analyse(table, metricColumn: uncertain.count, goal: goalIndex)
            try ReportOutput.print(options.format == .json
                  ? SensitivityReport.json(rows, subject: subject, result: result).serialized()
                  : SensitivityReport.text(rows, subject: subject, result: result))
            if result.interrupted { throw StopSignal.exitCode }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error, replay: replay)
        }
    }

    static func subject(_ scenario: Scenario, metric: String?, goal: String?) throws -> SensitivityReport.Subject {
        if let metric {
            guard scenario.metricNames.contains(metric) else {
                throw UsageError("unknown metric '\(metric)'\(Suggest.hint(metric, among: scenario.metricNames))")
            }
            return .init(metric: metric, goal: nil)
        }
        let id = goal ?? scenario.goals.first { $0.primaryCondition != nil }?.id ?? "retail_growth"
        guard let g = scenario.goals.first(where: { $0.id == id }) else {
            throw UsageError("unknown goal '\(id)'\(Suggest.hint(id, among: scenario.goals.map(\.id)))")
        }
        guard let condition = g.primaryCondition else {
            throw ModelError("goal '\(id)' combines other goals; pick one of them or a metric")
        }
        return .init(metric: condition.metric, goal: g)
    }
}
