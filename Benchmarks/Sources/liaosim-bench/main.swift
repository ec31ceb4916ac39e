import Foundation
import LiaoCore
import LiaoLua

/// liaosim-bench: throughput of Monte Carlo batches (runs/s) for the plan and
/// for a scenario with a per-month Lua hook (`hook.lua`), at 1 and 2 threads,
/// and the peak resident memory of large plan batches (each measured in its
/// own process, since peak RSS is per process). Three more hook scenarios run
/// only when named with `--only` (see `Workload.extraHooks`).
///
///     liaosim-bench [--plan-runs N] [--hook-runs N] [--repeat K] [--threads 1,2]
///                   [--rss 1000000,10000000] [--no-rss] [--only WORKLOAD]
///     liaosim-bench --rss-child N [--threads T]     (one batch, then prints VmHWM)

struct Options {
    var planRuns = 200_000
    var hookRuns = 50_000
    var repeats = 3
    var threads = [1, 2]
    var rssRuns = [1_000_000, 10_000_000]
    var only: String?
    var rssChild: Int?
    var root: URL

    init(_ arguments: [String]) {
        // The repository root: the folder above Benchmarks/.
        let sourceFile = URL(fileURLWithPath: #filePath)
        root = sourceFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var i = 1
        func value() -> String {
            i += 1
            guard i < arguments.count else { Self.usage("missing value after \(arguments[i - 1])") }
            return arguments[i]
        }
        func ints(_ s: String) -> [Int] {
            let values = s.split(separator: ",").map { Double(String($0)).flatMap { $0 >= 1 && $0 < 1e15 ? Int($0) : nil } }
            guard !values.isEmpty, let all = values as? [Int] else { Self.usage("expected whole numbers of at least 1, e.g. 200000 or 1,2; got \(s)") }
            return all
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--plan-runs": planRuns = ints(value())[0]
            case "--hook-runs": hookRuns = ints(value())[0]
            case "--repeat": repeats = ints(value())[0]
            case "--threads": threads = ints(value())
            case "--rss": rssRuns = ints(value())
            case "--no-rss": rssRuns = []
            case "--only":
                only = value()
                let workloads = ["plan", "hook", "rss"] + Workload.extraHooks.map(\.name)
                guard workloads.contains(only!) else {
                    Self.usage("--only takes \(workloads.joined(separator: ", ")); got \(only!)")
                }
            case "--rss-child": rssChild = ints(value())[0]
            case "--root": root = URL(fileURLWithPath: value())
            case "--help", "-h": Self.usage(nil)
            default: Self.usage("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }

    /// Prints the usage (after `problem`, if any) and exits: 0 for --help, 2 for a mistake.
    static func usage(_ problem: String?) -> Never {
        let text = """
            usage: liaosim-bench [--plan-runs N] [--hook-runs N] [--repeat K] [--threads 1,2]
                                 [--rss 1000000,10000000] [--no-rss] [--only WORKLOAD] [--root DIR]
            WORKLOAD: plan, hook, rss, or one of these, which run only when named (with --hook-runs runs):
            \(Workload.extraHooks.map { "  \($0.name): Benchmarks/\($0.file), \($0.about)" }.joined(separator: "\n"))
            """
        if let problem {
            FileHandle.standardError.write(Data("liaosim-bench: \(problem)\n\(text)\n".utf8))
            exit(2)
        }
        print(text)
        exit(0)
    }
}

/// A loaded scenario and how to run a batch of it.
struct Workload {
    /// Hook scenarios measured only when named with `--only`: a hook that sets
    /// a lever every month, and two parts of `hook.lua` that show what its
    /// month costs (calling a hook at all; reading the state without the voucher).
    static let extraHooks: [(name: String, file: String, about: String)] = [
        ("lever", "lever-hook.lua", "a hook setting a lever from the state every month"),
        ("hook-empty", "hook-empty.lua", "an on_month that does nothing"),
        ("hook-reads", "hook-reads.lua", "hook.lua's state reads and tests without its voucher"),
    ]

    let name: String
    let source: ScenarioSource
    let compiled: CompiledScenario
    let hasRunLogic: Bool
    let seed: UInt64

    init(name: String, path: URL, moduleFolder: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: path))
        source = ScenarioSource(displayName: path.lastPathComponent, bytes: bytes, folder: moduleFolder.path)
        let engine = try LuaScenarioEngine(source: source)
        compiled = try CompiledScenario(engine.scenario)
        hasRunLogic = engine.hasRunLogic
        seed = engine.scenario.defaultSeed ?? 1
        self.name = name
    }

    /// Runs one batch as the CLI does: Lua states only when the scenario needs them.
    func batch(runs: Int, threads: Int) throws -> BatchResult {
        if hasRunLogic {
            let source = self.source
            return try MonteCarloBatch.run(compiled, .init(runs: runs, seed: seed, threads: threads)) { _ in
                try LuaScenarioEngine(source: source)
            }
        }
        return try MonteCarloBatch.run(compiled, .init(runs: runs, seed: seed, threads: threads)) { _ in NoObserver() }
    }
}

/// Peak resident set size of this process, in kB (VmHWM of /proc/self/status).
func peakRSSKilobytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "")
    }
    return nil
}

/// Writes one line to standard output at once (unbuffered, so progress shows when piped).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func format(_ x: Double) -> String { String(format: "%.0f", x) }

func measureThroughput(_ workload: Workload, runs: Int, threads: [Int], repeats: Int) throws {
    for t in threads {
        var rates: [Double] = []
        var digest = ""
        for _ in 0..<repeats {
            let result = try workload.batch(runs: runs, threads: t)
            rates.append(Double(result.runs) / result.elapsedSeconds)
            // A fingerprint of the statistics, to see that optimisations keep results identical.
            let all = result.goalTallies.last.map { "\($0.successes)" } ?? "-"
            digest = "P(all) \(all)/\(result.runs), mean[0] \(String(result.metrics[0].mean.bitPattern, radix: 16))"
        }
        rates.sort()
        let median = rates[rates.count / 2]
        say("\(workload.name.padding(toLength: 6, withPad: " ", startingAt: 0)) threads \(t): "
              + "median \(format(median)) runs/s  (min \(format(rates.first!)), max \(format(rates.last!)), "
              + "\(repeats) × \(runs) runs)  [\(digest)]")
    }
}

let options = Options(CommandLine.arguments)
let scenarios = options.root.appendingPathComponent("scenarios")
let plan = try Workload(name: "plan", path: scenarios.appendingPathComponent("plan.lua"), moduleFolder: scenarios)

if let runs = options.rssChild {
    let before = peakRSSKilobytes() ?? 0
    let result = try plan.batch(runs: runs, threads: options.threads.last ?? 2)
    let peak = peakRSSKilobytes() ?? 0
    say("\(runs) \(peak) \(before) \(format(Double(result.runs) / result.elapsedSeconds))")
    exit(0)
}

say("liaosim-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores")
if options.only == nil || options.only == "plan" {
    try measureThroughput(plan, runs: options.planRuns, threads: options.threads, repeats: options.repeats)
}
if options.only == nil || options.only == "hook" {
    let hook = try Workload(
        name: "hook", path: options.root.appendingPathComponent("Benchmarks/hook.lua"), moduleFolder: scenarios)
    try measureThroughput(hook, runs: options.hookRuns, threads: options.threads, repeats: options.repeats)
}
if let extra = Workload.extraHooks.first(where: { $0.name == options.only }) {
    let hook = try Workload(
        name: extra.name, path: options.root.appendingPathComponent("Benchmarks/\(extra.file)"), moduleFolder: scenarios)
    try measureThroughput(hook, runs: options.hookRuns, threads: options.threads, repeats: options.repeats)
}
if options.only == nil || options.only == "rss" {
    for runs in options.rssRuns {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = ["--rss-child", "\(runs)", "--threads", "\(options.threads.last ?? 2)", "--root", options.root.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count == 4, let peak = Double(fields[1]), let before = Double(fields[2]) else {
            say("rss    \(runs) runs: child failed (\(output))")
            continue
        }
        say("rss    \(runs) plan runs, \(options.threads.last ?? 2) threads: peak RSS \(String(format: "%.1f", peak / 1024)) MB "
              + "(\(String(format: "%.1f", before / 1024)) MB after loading; \(fields[3]) runs/s)")
    }
}
