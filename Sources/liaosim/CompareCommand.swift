import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua
import LiaoReport

/// `liaosim compare`: several scenarios with the same seed and runs.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare scenarios side by side: goal odds and histograms on a common axis.",
        discussion: """
            Every scenario runs with the same seed and number of runs, so they share random draws: \
            --seed and --runs, else the first scenario's own. A --set goes to every scenario that \
            reads that input.
            """
    )

    @Argument(help: "Two or more scenario files.")
    var scenarios: [String]

    @OptionGroup var options: BatchOptions

    func validate() throws {
        if scenarios.count < 2 { throw ValidationError("compare needs at least two scenario files") }
    }

    func run() throws {
        var replay: String?
        do {
            let sources = try scenarios.map { path throws(ScenarioError) in try ScenarioFiles.source(path) }
            // A --set goes to the scenarios that read its name; some scenario must read it.
            let engines = try sources.map { source throws(ScenarioError) in
                try LuaScenarioEngine(source: source, inputs: options.inputs, limits: options.limits, allowsUnreadInputs: true)
            }
            let readNames = engines.map { Set($0.scenario.inputs.map(\.name)) }
            for name in options.inputs.keys.sorted() where !readNames.contains(where: { $0.contains(name) }) {
                let known = Array(readNames.reduce(into: Set<String>()) { $0.formUnion($1) }).sorted()
                throw UsageError("--set \(name): none of the scenarios has an input '\(name)'\(Suggest.didYouMean(name, among: known))"
                                 + (known.isEmpty ? "; they read no inputs" : "; their inputs are \(known.joined(separator: ", "))"))
            }
            let first = engines[0].scenario
            let seed = options.seed ?? first.defaultSeed ?? BatchOptions.defaultSeed
            let runs = options.runs ?? first.defaultRuns ?? BatchOptions.defaultRuns
            // A later scenario's own seed or runs are set aside for the shared ones: say so.
            for (k, engine) in engines.enumerated().dropFirst() {
                var ignored: [String] = []
                if options.seed == nil, let own = engine.scenario.defaultSeed, own != seed { ignored.append("seed \(own)") }
                if options.runs == nil, let own = engine.scenario.defaultRuns, own != runs { ignored.append("runs \(own)") }
                if !ignored.isEmpty {
                    StandardError.write(
                        "liaosim: note: [\(k + 1)] \(engine.scenario.name) asks for \(ignored.joined(separator: " and ")); compare runs every scenario with seed \(seed) and \(runs) runs, taken from the first scenario (else liaosim's defaults); --seed and --runs choose others\n")
                }
            }
            var results: [BatchResult] = []
            var tables: [RunTable] = []
            for (k, (source, engine)) in zip(sources, engines).enumerated() {
                var own = options
                own.settings = options.settings.filter { setting in
                    readNames[k].contains(String(setting.prefix { $0 != "=" }))
                }
                replay = own.replayCommand(scenario: scenarios[k], seed: seed, runs: runs)
                let (result, parts) = try BatchRunner(source: source, engine: engine, options: own).run(runs: runs, seed: seed) {
                    _ in RunTable(parameters: [], metrics: [])
                }
                results.append(result)
                tables.append(RunTable.joined(parts) ?? RunTable(parameters: [], metrics: []))
                if result.interrupted { break }
            }
            let paired = CompareReport.pairedDifferences(results, tables)
            let loaded = Array(engines.prefix(results.count).map(\.scenario))
            let notRun = engines.dropFirst(results.count).map(\.scenario.name)
            try ReportOutput.print(options.format == .json
                  ? CompareReport.json(results, scenarios: loaded, paired: paired, notRun: notRun).serialized()
                  : CompareReport.text(results, scenarios: loaded, paired: paired, notRun: notRun))
            if results.contains(where: \.interrupted) { throw StopSignal.exitCode }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error, replay: replay)
        }
    }
}
