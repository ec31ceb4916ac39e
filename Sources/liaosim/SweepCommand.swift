import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim sweep`: goal odds against the values of one scenario input.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario for several values of one input and chart the goals' odds against it.",
        discussion: """
            The scenario reads the input with input(name, default). Every value runs with the same \
            seed and runs (common random numbers), so differences between values are not noise.
            Example: liaosim sweep scenarios/catering_budget.lua --vary catering_budget=0:20:2.5
            """
    )

    @Argument(help: "Scenario file (.lua).")
    var scenario: String

    @Option(help: "The input and its values: name=v1,v2,... or name=start:stop:step.")
    var vary: [String]

    @Option(help: "Only this goal (repeatable). Default: every goal.")
    var goal: [String] = []

    @OptionGroup var options: BatchOptions

    func validate() throws {
        let variation = try InputVariation.single(vary, command: "sweep")
        try variation.checkNotSet(options.settings)
        if variation.range != nil && variation.range?.step == nil {
            throw ValidationError("--vary for sweep needs values or start:stop:step, e.g. \(variation.name)=0:10:2")
        }
    }

    func run() throws {
        var replay: String?
        do {
            let variation = try InputVariation.single(vary, command: "sweep")
            if let note = variation.unreachedStop { StandardError.write("liaosim: note: \(note)\n") }
            let source = try ScenarioFiles.source(scenario)
            var results: [BatchResult] = []
            // A stop while a value loads keeps the values done (a load can be cut short only under a time limit).
            if options.timeLimit > 0 { StopSignal.holdStops() }
            for value in variation.values {
                if StopSignal.stopRequested { break }
                var settings = options
                settings.settings.append("\(variation.name)=\(Distribution.format(value))")
                // A load cut short by a stop ends the sweep with the values done.
                guard let engine = try StopSignal.unlessStopped({
                    try LuaScenarioEngine(source: source, inputs: settings.inputs, limits: settings.limits, variedInput: variation.name)
                }) else { break }
                try variation.checkIsNumber(in: engine.scenario)
                let seed = options.seed ?? engine.scenario.defaultSeed ?? BatchOptions.defaultSeed
                let runs = options.runs ?? engine.scenario.defaultRuns ?? BatchOptions.defaultRuns
                replay = settings.replayCommand(scenario: scenario, seed: seed, runs: runs)
                do {
                    let result = try BatchRunner(source: source, engine: engine, options: settings).run(runs: runs, seed: seed)
                    results.append(result)
                    if result.interrupted { break }
                } catch var failure as RunFailure {
                    // Which value's batch failed: the run alone says too little.
                    failure.batch = "\(variation.name) = \(Distribution.format(value))"
                    throw failure
                }
            }
            guard let first = results.first else {
                StandardError.write("liaosim: interrupted before any value finished\n")
                throw StopSignal.exitCode
            }
            let goals = try Self.selectGoals(goal, in: first.goals)
            let values = Array(variation.values.prefix(results.count))
            let notRun = Array(variation.values.dropFirst(results.count))
            try ReportOutput.print(options.format == .json
                  ? SweepReport.json(input: variation.name, values: values, results: results, goals: goals, notRun: notRun).serialized()
                  : SweepReport.text(input: variation.name, values: values, results: results, goals: goals, notRun: notRun))
            if results.contains(where: \.interrupted) || StopSignal.stopRequested { throw StopSignal.exitCode }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error, replay: replay)
        }
    }

    static func selectGoals(_ ids: [String], in goals: [Goal]) throws -> [String] {
        for id in ids where !goals.contains(where: { $0.id == id }) {
            throw UsageError("unknown goal '\(id)'\(Suggest.hint(id, among: goals.map(\.id)))")
        }
        return ids.isEmpty ? goals.map(\.id) : ids
    }
}

/// `liaosim solve`: the smallest input value that gives a goal the odds wanted.
struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the smallest value of an input that gives P(goal) >= P, by bisection.",
        discussion: """
            Every evaluation uses the same seed and runs (common random numbers). Bisection assumes \
            the odds rise with the input: it evaluates the two ends first, and when neither reaches P \
            it stops there, so odds that peak inside the range are found only by `liaosim sweep`. The \
            command checks that the odds rose over the points it evaluated and says so.
            Example: liaosim solve scenarios/catering_budget.lua --vary catering_budget=0:40 \\
                       --goal hospitality_level --probability 0.5
            """
    )

    @Argument(help: "Scenario file (.lua).")
    var scenario: String

    @Option(help: "The input and its range: name=lo:hi.")
    var vary: [String]

    @Option(help: "The goal.")
    var goal: String

    @Option(parsing: .unconditional, help: "The probability wanted, between 0 and 1.")
    var probability: Double

    @Option(parsing: .unconditional, help: "Stop when the bracket is narrower than this (default: (hi - lo) / 256).")
    var tolerance: Double?

    @OptionGroup var options: BatchOptions

    func validate() throws {
        let variation = try InputVariation.single(vary, command: "solve")
        try variation.checkNotSet(options.settings)
        guard variation.range != nil, variation.range?.step == nil else {
            throw ValidationError("--vary for solve is a range name=lo:hi, e.g. \(variation.name)=0:40")
        }
        guard probability > 0 && probability < 1 else {
            throw ValidationError("--probability must be between 0 and 1 (exclusive), got \(Distribution.format(probability))"
                                  + (probability > 1 && probability < 100 ? " (for \(Distribution.format(probability))% give \(String(format: "%.12g", probability / 100)))" : ""))
        }
        if let tolerance, !(tolerance > 0) { throw ValidationError("--tolerance must be positive") }
    }

    func run() throws {
        var replay: String?
        do {
            let variation = try InputVariation.single(vary, command: "solve")
            let (low, high, _) = variation.range!
            let source = try ScenarioFiles.source(scenario)
            var results: [Double: BatchResult] = [:]
            var goalIndex = 0
            if options.timeLimit > 0 { StopSignal.holdStops() }
            let answer = try InputSearch.smallestValue(
                low: low, high: high, target: probability, tolerance: tolerance ?? (high / 256 - low / 256)
            ) { value in
                var settings = options
                settings.settings.append("\(variation.name)=\(Distribution.format(value))")
                settings.quiet = true
                guard let engine = try StopSignal.unlessStopped({
                    try LuaScenarioEngine(source: source, inputs: settings.inputs, limits: settings.limits, variedInput: variation.name)
                }) else {
                    StandardError.write("liaosim: interrupted: solve gives no answer from a partial search\n")
                    throw StopSignal.exitCode
                }
                try variation.checkIsNumber(in: engine.scenario)
                guard let index = engine.scenario.goals.firstIndex(where: { $0.id == goal }) else {
                    throw UsageError("unknown goal '\(goal)'\(Suggest.hint(goal, among: engine.scenario.goals.map(\.id)))")
                }
                goalIndex = index
                let seed = options.seed ?? engine.scenario.defaultSeed ?? BatchOptions.defaultSeed
                let runs = options.runs ?? engine.scenario.defaultRuns ?? BatchOptions.defaultRuns
                replay = settings.replayCommand(scenario: scenario, seed: seed, runs: runs)
                let result: BatchResult
                do {
                    result = try BatchRunner(source: source, engine: engine, options: settings).run(runs: runs, seed: seed)
                } catch var failure as RunFailure {
                    failure.batch = "\(variation.name) = \(Distribution.format(value))"
                    throw failure
                }
                if result.interrupted {
                    // Every point of the search bears on the answer: none without them all.
                    StandardError.write("liaosim: interrupted: solve gives no answer from a partial search\n")
                    throw StopSignal.exitCode
                }
                results[value] = result
                return result.goalTallies[index].probability
            }
            try ReportOutput.print(options.format == .json
                  ? SolveReport.json(input: variation.name, goal: goal, target: probability, answer: answer, results: results, goalIndex: goalIndex).serialized()
                  : SolveReport.text(input: variation.name, goal: goal, target: probability, answer: answer, results: results, goalIndex: goalIndex))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error, replay: replay)
        }
    }
}
