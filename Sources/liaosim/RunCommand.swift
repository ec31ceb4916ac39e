import Foundation
import ArgumentParser
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim run`: a Monte Carlo batch of one scenario, or its central path.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario: goal odds with 95% CIs, percentiles and histograms.",
        discussion: "Without a scenario file, runs the bundled plan as written (scenarios/plan.lua)."
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @OptionGroup var options: BatchOptions

    @Flag(help: "Print the central path (every parameter at its central value, no randomness) with a month-by-month table.")
    var central = false

    func run() throws {
        var replay: String?
        do {
            let source = try ScenarioInput.source(scenario)
            let engine = try LuaScenarioEngine(source: source)
            let loaded = engine.scenario
            let seed = options.seed ?? loaded.defaultSeed ?? BatchOptions.defaultSeed
            if central {
                let compiled = try CompiledScenario(loaded)
                var observer = engine
                let record = try CentralPath.run(compiled, seed: seed, observer: &observer)
                print(options.format == .json
                      ? JSONReport.central(record, compiled: compiled, seed: seed).serialized()
                      : TextReport.central(record, compiled: compiled, seed: seed), terminator: "")
                return
            }
            let runs = options.runs ?? loaded.defaultRuns ?? BatchOptions.defaultRuns
            replay = "liaosim run \(scenario ?? "") --seed \(seed) --runs \(runs)".replacingOccurrences(of: "  ", with: " ")
            let result = try BatchRunner.run(
                source: source, engine: engine, runs: runs, seed: seed, threads: options.threads ?? BatchRunner.defaultThreads)
            print(options.format == .json
                  ? JSONReport.batch(result, scenario: loaded).serialized()
                  : TextReport.batch(result, scenario: loaded), terminator: "")
        } catch {
            throw CLIError.report(error, replay: (error as? RunFailure)?.run != nil ? replay : nil)
        }
    }
}
