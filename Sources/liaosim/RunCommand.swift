import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim run`: a Monte Carlo batch of one scenario, or its central path.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario: goal odds with 95% CIs, percentiles and histograms.",
        discussion: """
            Without a scenario file, runs the bundled plan as written (scenarios/plan.lua).
            For a study spread over machines, run each shard with --shard K/N --out FILE
            and combine the files with `liaosim merge`.
            """
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @OptionGroup var options: BatchOptions

    @Flag(help: "Print the central path (every parameter at its central value, no randomness) with a month-by-month table.")
    var central = false

    @Option(help: "Run only shard K of N (K from 1 to N): a fixed share of the run indices. Use with --out.")
    var shard: String?

    @Option(help: "Write the mergeable result to this file (atomically) instead of printing it.")
    var out: String?

    @Option(parsing: .unconditional, help: "Run in batches until every goal's 95% CI half-width is at most this (e.g. 0.005).")
    var precision: Double?

    @Option(parsing: .unconditional, help: "Most runs for --precision.")
    var maxRuns: Int = 10_000_000

    @Option(help: "Also write one CSV row per run (run index, drawn parameters, metrics) to this file, for Excel or pandas.")
    var runsCsv: String?

    @Option(parsing: .unconditional, help: "First run index (with --runs 1, replays one run of a batch).")
    var firstRun: Int = 0

    func validate() throws {
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/8; got \(shard)")
        }
        if let precision, !(precision > 0 && precision < 0.5) {
            throw ValidationError("--precision is a CI half-width between 0 and 0.5, e.g. 0.005; got \(precision)")
        }
        if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1, got \(maxRuns)") }
        if firstRun < 0 { throw ValidationError("--first-run must be at least 0, got \(firstRun)") }
        if central && (shard != nil || out != nil || precision != nil) {
            throw ValidationError("--central runs one deterministic path; it takes no --shard, --out or --precision")
        }
        if options.sampling == .lhs && (precision != nil || firstRun != 0) {
            throw ValidationError("--sampling lhs stratifies a study of --runs runs; it does not go with --precision or --first-run (use `liaosim trace --sampling lhs --runs N --run K` for one run)")
        }
        if runsCsv != nil && (precision != nil || central) {
            throw ValidationError("--runs-csv goes with a plain batch, not with --precision or --central")
        }
        if precision != nil && shard != nil {
            throw ValidationError("--precision and --shard do not go together: a shard runs a fixed share of a fixed number of runs")
        }
    }

    func run() throws {
        var replay: String?
        do {
            let source = try ScenarioFiles.source(scenario)
            let engine = try LuaScenarioEngine(source: source, inputs: options.inputs, limits: options.limits)
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
            let scenarioArgument = scenario.map { " \($0)" } ?? ""
            // The command that replays one run alone, with everything that shapes it.
            var same = options.settings.map { " --set \($0)" }.joined()
            if options.timeLimit != 3 { same += " --time-limit \(options.timeLimit)" }
            if options.memoryLimit != 256 { same += " --memory-limit \(options.memoryLimit)" }
            replay = options.sampling == .lhs
                ? "liaosim trace\(scenarioArgument) --sampling lhs --runs \(runs) --seed \(seed)\(same) --run "
                : "liaosim run\(scenarioArgument) --seed \(seed)\(same) --runs 1 --first-run "
            var runner = try BatchRunner(source: source, engine: engine, options: options)
            runner.studyRuns = runs
            let shard = shard.flatMap(Shard.init) ?? .whole
            let range = shard.runs(of: runs)
            let result: BatchResult
            if let runsCsv {
                let uncertain = loaded.parameters.uncertainIDs
                let (batch, writers) = try runner.run(runs: range.count, firstRun: range.lowerBound + firstRun, seed: seed) {
                    worker in try RunsCSVWriter(partPath: "\(runsCsv).part\(worker)", uncertain: uncertain)
                }
                try RunsCSVWriter.finish(
                    writers, header: RunsCSVWriter.header(uncertain: uncertain, metricNames: loaded.metricNames), to: runsCsv)
                result = batch
            } else {
                result = try runner.run(
                    runs: range.count, firstRun: range.lowerBound + firstRun, seed: seed,
                    precision: precision.map { ($0, maxRuns) })
            }
            if let out {
                let archive = BatchArchive(
                    result: result, scenarioDigest: BatchArchive.digest(source: source.bytes, scenario: loaded),
                    totalRuns: runs, shard: shard, sampling: options.sampling.mode)
                try OutputFile.write(try archive.encoded(), to: out)
                let note = "liaosim: wrote shard \(shard.index)/\(shard.count) (runs \(range.lowerBound)..<\(range.upperBound), \(result.runs) done) to \(out)\n"
                FileHandle.standardError.write(Data(note.utf8))
            } else {
                print(options.format == .json ? JSONReport.batch(result).serialized() : TextReport.batch(result), terminator: "")
            }
            if result.interrupted { throw ExitCode(130) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failedRun = (error as? RunFailure)?.run
            throw CLIError.report(error, replay: failedRun.map { (replay ?? "") + "\($0)" })
        }
    }
}

/// Output files are written whole or not at all: a temporary file renamed into place.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
