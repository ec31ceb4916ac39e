import ArgumentParser
import LiaoCore

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

    @Flag(help: "No progress line on stderr.")
    var quiet = false

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
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw ValidationError("--set takes name=value, e.g. --set catering_budget=0.5; got \(setting)")
            }
        }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let threads, threads > 1024 { throw ValidationError("--threads must be at most 1024, got \(threads)") }
    }

    static let defaultRuns = 20_000
    static let defaultSeed: UInt64 = 20_240_101
}

/// `--sampling` values.
enum SamplingChoice: String, ExpressibleByArgument, CaseIterable {
    case random, lhs
    var mode: ParameterSampling.Mode { self == .lhs ? .lhs : .random }
}
