import ArgumentParser
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim trace`: one run of a batch, month by month.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay one run of a batch month by month: VA, hotels, workers, each instrument's contribution, what on_month did.",
        discussion: "Run N with seed S is exactly run N of `liaosim run --seed S`, whatever the number of runs or threads."
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @Option(name: .customLong("run"), parsing: .unconditional, help: "The run index (0 = the first run of a batch).")
    var runIndex: Int?

    @Flag(help: "Trace the central path instead of a random run.")
    var central = false

    @Option(parsing: .unconditional, help: "Random seed of the batch (default: the scenario's `seed`, else 20240101).")
    var seed: UInt64?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Parameter sampling of the batch: random or lhs.")
    var sampling: SamplingChoice = .random

    @Option(parsing: .unconditional, help: "With --sampling lhs: the runs of the batch (default: the scenario's `runs`, else 20000).")
    var runs: Int?

    @Option(name: .customLong("set"), help: "Set a scenario input: --set name=value (repeatable).")
    var settings: [String] = []

    @Option(parsing: .unconditional, help: "Seconds a scenario's Lua code may run in one call (load, on_month, a metric) before it is stopped; 0: no limit.")
    var timeLimit: Double = 3

    @Option(parsing: .unconditional, help: "MiB of memory the scenario's Lua state may use; 0: no cap.")
    var memoryLimit: Int = 256

    func validate() throws {
        if central == (runIndex != nil) { throw ValidationError("give either --run N or --central") }
        if let runIndex, runIndex < 0 || runIndex >= BatchOptions.maximumRunIndex {
            throw ValidationError("--run must be from 0 to 2^53 - 1, got \(runIndex)")
        }
        if central && sampling != .random {
            throw ValidationError("--central traces the path with every parameter at its central value; it takes no --sampling")
        }
        if runs != nil && sampling != .lhs {
            throw ValidationError("--runs gives the size of a --sampling lhs study; a run of a random batch does not depend on it")
        }
        if let runs, runs < 1 || runs > BatchOptions.maximumRunIndex {
            throw ValidationError("--runs must be from 1 to 2^53 (\(BatchOptions.maximumRunIndex)), got \(runs)")
        }
        try batchOptions().validate()  // --set, --time-limit and --memory-limit as for `run`
    }

    /// The inputs and limits, as `run` takes them.
    private func batchOptions() throws -> BatchOptions {
        var options = try BatchOptions.parse([])
        options.settings = settings
        options.timeLimit = timeLimit
        options.memoryLimit = memoryLimit
        return options
    }

    func run() throws {
        do {
            let options = try batchOptions()
            let source = try ScenarioFiles.source(scenario)
            let engine = try LuaScenarioEngine(source: source, inputs: options.inputs, limits: options.limits)
            LoadNotes.show(engine)
            let compiled = try CompiledScenario(engine.scenario)
            let seed = seed ?? engine.scenario.defaultSeed ?? BatchOptions.defaultSeed
            var plan: ParameterSampling?
            if sampling == .lhs {
                let study = runs ?? engine.scenario.defaultRuns ?? BatchOptions.defaultRuns
                if runs == nil {
                    // Run K of an LHS study depends on the study's size: say which one this is.
                    StandardError.write("liaosim: note: --sampling lhs: tracing run \(runIndex ?? 0) of a study of \(NumberFormat.grouped(study)) runs (\(engine.scenario.defaultRuns == nil ? "the default" : "the scenario's runs")); give the batch's --runs if it had another size\n")
                }
                guard (runIndex ?? 0) < study else { throw UsageError("--run \(runIndex ?? 0) is outside a study of \(study) runs") }
                plan = ParameterSampling(mode: .lhs, studyRuns: study, seed: seed, compiled: compiled)
            }
            let trace = try RunTrace.trace(compiled, run: central ? nil : runIndex, seed: seed, observer: engine, sampling: plan)
            try ReportOutput.print(format == .json ? TraceReport.json(trace, compiled: compiled).serialized() : TraceReport.text(trace, compiled: compiled))
            // The months before a failure are printed; the failure itself goes to stderr as for `run`.
            if let failure = trace.failure { throw CLIError.report(failure) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error)
        }
    }
}
