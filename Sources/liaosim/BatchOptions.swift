import ArgumentParser
import LiaoCore
import LiaoLua

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Options shared by the commands that run Monte Carlo batches.
struct BatchOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Monte Carlo runs (default: the scenario's `runs`, else 20000).")
    var runs: Int?

    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same result (default: the scenario's `seed`, else 20240101).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Worker threads (default: every core).")
    var threads: Int?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Record failing runs and go on; the odds use the runs that succeeded and the result is flagged.")
    var keepGoing = false

    @Option(help: "Parameter sampling: random (independent draws) or lhs (Latin hypercube over the study's runs).")
    var sampling: SamplingChoice = .random

    @Option(parsing: .unconditional, help: "Seconds a scenario's Lua code may run in one call (load, on_month, a metric) before it is stopped; 0: no limit.")
    var timeLimit: Double = 3

    @Option(parsing: .unconditional, help: "MiB of memory each scenario Lua state may use; 0: no cap.")
    var memoryLimit: Int = 256

    /// The limits for every Lua state of the command.
    var limits: ScenarioLimits {
        ScenarioLimits(
            timePerCall: timeLimit > 0 ? .milliseconds(max(1, Int64((timeLimit * 1000).rounded()))) : nil,
            memoryBytes: memoryLimit > 0 ? memoryLimit << 20 : nil)
    }

    @Flag(help: "No progress line on stderr (notes of likely mistakes still show).")
    var quiet = false

    @Flag(help: "Leave out the notes of likely mistakes on stderr: for scripts that have shown them once already (the cluster scripts' shards).")
    var noNotes = false

    @Option(name: .customLong("set"), help: "Set a scenario input read with input(name, default); repeatable: --set catering_budget=0.5.")
    var settings: [String] = []

    /// The `--set` values by input name.
    var inputs: [String: String] {
        var values: [String: String] = [:]
        for setting in settings {
            guard let eq = setting.firstIndex(of: "=") else { continue }
            values[String(setting[..<eq])] = String(setting[setting.index(after: eq)...])
        }
        return values
    }

    func validate() throws {
        var named: [String: String] = [:]
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw ValidationError("--set takes name=value, e.g. --set catering_budget=0.5; got \(setting)")
            }
            // The same input twice is a slip (one would silently win): say which.
            let name = String(setting[..<eq])
            if let earlier = named[name] {
                throw ValidationError("--set \(name) is given twice (\(earlier) and \(setting)); give it once")
            }
            named[name] = setting
        }
        if !(timeLimit >= 0 && timeLimit <= 86_400) { throw ValidationError("--time-limit is seconds from 0 (no limit) to 86400, got \(timeLimit)") }
        if memoryLimit < 0 || memoryLimit > 1 << 20 { throw ValidationError("--memory-limit is MiB from 0 (no cap) to 1048576, got \(memoryLimit)") }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let runs, runs > Self.maximumRunIndex { throw ValidationError("--runs must be at most 2^53 (\(Self.maximumRunIndex)), got \(runs)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let threads, threads > 1024 { throw ValidationError("--threads must be at most 1024, got \(threads)") }
    }

    /// The command that replays one run of a batch of `runs` runs alone, with
    /// everything that shapes it, up to the run index that ends it.
    func replayCommand(scenario: String?, seed: UInt64, runs: Int) -> String {
        let scenarioArgument = scenario.map { " " + ShellWord.quoted($0) } ?? ""
        var same = settings.map { " --set " + ShellWord.quoted($0) }.joined()
        if timeLimit != 3 { same += " --time-limit \(timeLimit)" }
        if memoryLimit != 256 { same += " --memory-limit \(memoryLimit)" }
        return sampling == .lhs
            ? "liaosim trace\(scenarioArgument) --sampling lhs --runs \(runs) --seed \(seed)\(same) --run "
            : "liaosim trace\(scenarioArgument) --seed \(seed)\(same) --run "
    }

    static let defaultRuns = 20_000
    /// Run indices stay below 2^53, so that every count and index sum fits with room to spare.
    static let maximumRunIndex = 1 << 53
    static let defaultSeed: UInt64 = 20_240_101
}

/// `--sampling` values.
enum SamplingChoice: String, ExpressibleByArgument, CaseIterable {
    case random, lhs
    var mode: ParameterSampling.Mode { self == .lhs ? .lhs : .random }
}
