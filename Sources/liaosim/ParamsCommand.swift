import ArgumentParser
import LiaoLua
import LiaoReport

/// `liaosim params`: every parameter's distribution, central value, unit and source.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every model parameter: key, distribution, central value, unit and source.",
        discussion: "With a scenario file, shows the scenario's replacements and the file and line that made them."
    )

    @Argument(help: "Scenario file (.lua). Default: the bundled plan.")
    var scenario: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("set"), help: "Set a scenario input: --set name=value (repeatable), as for `run`.")
    var settings: [String] = []

    func validate() throws { try batchOptions().validate() }

    /// The inputs, as `run` takes them.
    private func batchOptions() throws -> BatchOptions {
        var options = try BatchOptions.parse([])
        options.settings = settings
        return options
    }

    func run() throws {
        do {
            let engine = try LuaScenarioEngine(source: try ScenarioFiles.source(scenario), inputs: try batchOptions().inputs)
            LoadNotes.show(engine)
            try ReportOutput.print(format == .json ? ParamsReport.json(engine.scenario).serialized() : ParamsReport.text(engine.scenario))
        } catch {
            throw CLIError.report(error)
        }
    }
}
