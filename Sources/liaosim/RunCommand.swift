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
            For a study spread over machines, run each shard with --shard K/N --out FILE \
            and combine the files with `liaosim merge`.
            """
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @OptionGroup var options: BatchOptions

    @Flag(help: "Print the central path (every parameter at its central value, no randomness) with a month-by-month table.")
    var central = false

    @Option(parsing: .unconditional, help: "Run only shard K of N (K from 1 to N): a fixed share of the run indices, written with --out.")
    var shard: String?

    @Option(help: "Write the mergeable result to this file (atomically) instead of printing it.")
    var out: String?

    @Option(parsing: .unconditional, help: "Run in batches until every goal's 95% CI half-width is at most this (e.g. 0.005).")
    var precision: Double?

    @Option(parsing: .unconditional, help: "Most runs for --precision (default: 10000000).")
    var maxRuns: Int?

    @Option(help: "Also write one CSV row per run (run index, drawn parameters, metrics, goal.ID = 1 or 0 per goal) to this file, for Excel or pandas.")
    var runsCsv: String?

    @Option(parsing: .unconditional, help: "First run index (with --runs 1, replays one run of a batch); printed results only.")
    var firstRun: Int = 0

    func validate() throws {
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/8; got \(shard)")
        }
        if let precision, !(precision > 0 && precision < 0.5) {
            throw ValidationError("--precision is a CI half-width between 0 and 0.5, e.g. 0.005; got \(precision)")
        }
        if let maxRuns, maxRuns < 1 || maxRuns > BatchOptions.maximumRunIndex {
            throw ValidationError("--max-runs must be from 1 to 2^53 (\(BatchOptions.maximumRunIndex)), got \(maxRuns)")
        }
        if firstRun < 0 { throw ValidationError("--first-run must be at least 0, got \(firstRun)") }
        if firstRun > BatchOptions.maximumRunIndex - (options.runs ?? BatchOptions.defaultRuns) {
            throw ValidationError("--first-run plus --runs must be at most 2^53 (\(BatchOptions.maximumRunIndex)), got \(firstRun)")
        }
        if central && (shard != nil || out != nil || precision != nil || options.runs != nil || firstRun != 0
                       || options.sampling != .random || options.keepGoing || options.threads != nil) {
            throw ValidationError("--central runs one deterministic path; it takes no --runs, --threads, --first-run, --sampling, --keep-going, --shard, --out or --precision")
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
        if out != nil && options.format != .text {
            throw ValidationError("--out writes a batch file for `liaosim merge`, which prints it: `liaosim merge FILE --format json`; --format goes with printed results")
        }
        if shard != nil && out == nil {
            throw ValidationError("--shard K/N writes a mergeable file: add --out FILE (then `liaosim merge` the N files)")
        }
        if firstRun != 0 && (out != nil || precision != nil) {
            throw ValidationError("--first-run replays runs of a batch and prints them; it does not go with --out or --precision, whose runs always start at 0 (use --shard K/N to split a study)")
        }
        if let maxRuns {
            guard precision != nil else {
                throw ValidationError("--max-runs caps a --precision batch; without --precision, set the number of runs with --runs")
            }
            if let runs = options.runs, runs > maxRuns {
                throw ValidationError("--runs \(runs) is more than --max-runs \(maxRuns); --precision starts with --runs and doubles up to --max-runs")
            }
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
                // A batch's notes come from its BatchRunner; the central path has none.
                if !options.noNotes { LoadNotes.show(engine) }
                let compiled = try CompiledScenario(loaded)
                var observer = engine
                let record = try CentralPath.run(compiled, seed: seed, observer: &observer)
                try ReportOutput.print(options.format == .json
                      ? JSONReport.central(record, compiled: compiled, seed: seed).serialized()
                      : TextReport.central(record, compiled: compiled, seed: seed))
                return
            }
            let runs = options.runs ?? loaded.defaultRuns ?? BatchOptions.defaultRuns
            replay = options.replayCommand(scenario: scenario, seed: seed, runs: runs)
            if let out { try OutputFile.check(out, option: "--out") }
            if let runsCsv { try OutputFile.check(runsCsv, option: "--runs-csv") }
            // The modules required while loading; those required later, in runs, are listed apart.
            let loadModules = engine.modules.modules
            /// Refuses outputs that would replace the scenario, a module it required, or each other.
            func checkOutputsAreNew(modules: [String]) throws {
                let outputs = [out.map { ($0, "--out") }, runsCsv.map { ($0, "--runs-csv") }].compactMap { $0 }
                var inputs = scenario.map { [(path: $0, role: "the scenario file")] } ?? []
                if let folder = source.folder {
                    inputs += modules.map { (path: folder + "/" + $0 + ".lua", role: "a module the scenario requires") }
                }
                try OutputFile.checkDistinct(outputs, inputs: inputs)
            }
            try checkOutputsAreNew(modules: loadModules.map(\.name))
            var runner = try BatchRunner(source: source, engine: engine, options: options)
            runner.studyRuns = runs
            let shard = shard.flatMap(Shard.init) ?? .whole
            let range = shard.runs(of: runs)
            let result: BatchResult
            var csvWriters: [RunsCSVWriter] = []
            if let runsCsv {
                let uncertain = loaded.parameters.uncertainIDs
                let keepGoing = options.keepGoing
                let goalCount = loaded.goals.count
                let destination = try OutputDestination(runsCsv)
                (result, csvWriters) = try runner.run(runs: range.count, firstRun: range.lowerBound + firstRun, seed: seed) {
                    worker in try RunsCSVWriter(
                        partPath: destination.scratch("part\(worker)"), uncertain: uncertain, goalCount: goalCount, marksFailures: keepGoing)
                }
            } else {
                result = try runner.run(
                    runs: range.count, firstRun: range.lowerBound + firstRun, seed: seed,
                    precision: precision.map { ($0, maxRuns ?? 10_000_000) })
            }
            // Modules first required in runs are known only now, before anything is written.
            try checkOutputsAreNew(modules: (loadModules + runner.modulesRequired()).map(\.name))
            if let runsCsv {
                try RunsCSVWriter.finish(
                    csvWriters, header: RunsCSVWriter.header(
                        uncertain: loaded.parameters.uncertainIDs, metricNames: loaded.metricNames, goalIDs: loaded.goals.map(\.id),
                        marksFailures: options.keepGoing),
                    to: runsCsv)
                if result.interrupted {
                    StandardError.write(
                        "liaosim: wrote INTERRUPTED runs to \(PrintableText.of(runsCsv)): the \(NumberFormat.grouped(result.runs + result.failedRuns)) of \(NumberFormat.grouped(result.requestedRuns)) runs done\(result.threads > 1 ? " (each thread worked through runs of its own, so they are not the first ones)" : "")\n")
                }
            }
            if let out {
                // A batch run to a precision is one whole study of the runs it took.
                let studyRuns = precision != nil ? result.requestedRuns : runs
                let digest = BatchArchive.digest(source: source.bytes, modules: loadModules, scenario: loaded)
                let loadedBytes = Set(loadModules.map { "\($0.name)|\(BatchArchive.checksum($0.bytes))" })
                let runModules = runner.modulesRequired().filter { !loadedBytes.contains("\($0.name)|\(BatchArchive.checksum($0.bytes))") }
                let archive = BatchArchive(
                    result: result, scenarioDigest: digest, runModules: runModules, totalRuns: studyRuns, shard: shard,
                    sampling: options.sampling.mode)
                try OutputFile.write(try archive.encoded(), to: out)
                let done = "\(NumberFormat.grouped(result.runs)) of \(NumberFormat.grouped(result.requestedRuns)) runs done"
                let part = shard == .whole ? "result" : "shard \(shard.index)/\(shard.count)"
                let failed = result.failedRuns == 0 ? "" : result.runs == 0
                    ? "; every one of them failed" : "; \(NumberFormat.grouped(result.failedRuns)) of them failed"
                let note = result.interrupted
                    ? "liaosim: wrote INTERRUPTED \(part) (\(done)) to \(out); merge refuses it: run it again\n"
                    : shard == .whole
                    ? "liaosim: wrote the whole study (runs 0 to \(studyRuns - 1)) to \(out)\n"
                    : range.isEmpty
                    ? "liaosim: wrote shard \(shard.index)/\(shard.count) to \(out): no runs (the study has fewer runs than shards); merge takes it like the others\n"
                    : "liaosim: wrote shard \(shard.index)/\(shard.count) (runs \(range.lowerBound) to \(range.upperBound - 1)\(failed)) to \(out)\n"
                StandardError.write(PrintableText.of(note, keepingLineBreaks: true))  // the file's name as typed, never raw escapes
            } else {
                try ReportOutput.print(options.format == .json ? JSONReport.batch(result).serialized() : TextReport.batch(result))
            }
            if result.interrupted { throw StopSignal.exitCode }
            // A shard's runs are part of a study: `merge` judges the whole of it.
            if shard == .whole { try CLIError.failIfNoRunKept(result) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            TemporaryFiles.removeAll()
            throw CLIError.report(error, replay: replay)
        }
    }
}
