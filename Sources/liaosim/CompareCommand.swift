import ArgumentParser
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim compare`: several scenarios with the same seed and runs.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare scenarios side by side: goal odds and histograms on a common axis.",
        discussion: "Every scenario runs with the same seed and number of runs, so they share random draws."
    )

    @Argument(help: "Two or more scenario files.")
    var scenarios: [String]

    @OptionGroup var options: BatchOptions

    func validate() throws {
        if scenarios.count < 2 { throw ValidationError("compare needs at least two scenario files") }
    }

    func run() throws {
        do {
            let sources = try scenarios.map { path throws(ScenarioError) in try ScenarioFiles.source(path) }
            let engines = try sources.map { source throws(ScenarioError) in try LuaScenarioEngine(source: source, inputs: options.inputs, limits: options.limits) }
            let first = engines[0].scenario
            let seed = options.seed ?? first.defaultSeed ?? BatchOptions.defaultSeed
            let runs = options.runs ?? first.defaultRuns ?? BatchOptions.defaultRuns
            var results: [BatchResult] = []
            var tables: [RunTable] = []
            for (source, engine) in zip(sources, engines) {
                let (result, parts) = try BatchRunner(source: source, engine: engine, options: options).run(runs: runs, seed: seed) {
                    _ in RunTable(parameters: [], metrics: [])
                }
                results.append(result)
                tables.append(RunTable.joined(parts) ?? RunTable(parameters: [], metrics: []))
                if result.interrupted { break }
            }
            let paired = CompareReport.pairedDifferences(results, tables)
            let loaded = Array(engines.prefix(results.count).map(\.scenario))
            let notRun = engines.dropFirst(results.count).map(\.scenario.name)
            print(options.format == .json
                  ? CompareReport.json(results, scenarios: loaded, paired: paired, notRun: notRun).serialized()
                  : CompareReport.text(results, scenarios: loaded, paired: paired, notRun: notRun), terminator: "")
            if results.contains(where: \.interrupted) { throw StopSignal.exitCode }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error)
        }
    }
}
