// liaosim-fuzz: feeds random scenarios and API calls through the Lua bridge
// and checks that every case ends in a result or an error, never a crash or
// a hang. Usage:
//   liaosim-fuzz [--cases N] [--seed S] [--corpus DIR] [--keep-current FILE]
//   liaosim-fuzz --bench      (cost of the time-limit hook)
// The corpus (Tests/Fuzz/corpus/*.lua) runs first: cases that once found a
// hole. With --keep-current, each case's text is written to FILE before it
// runs, so a crash leaves the input that caused it.
import Foundation
import LiaoCore
import LiaoLua

/// Small, seeded, reproducible: the core's SplitMix64.
struct Generator {
    var splitMix: SplitMix64
    init(state: UInt64) { splitMix = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { splitMix.next() }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Lua text from a grammar of API calls and nasty values.
struct ScenarioGrammar {
    var g: Generator

    static let functions = ["scenario", "param", "lever", "goal", "metric", "fixed", "normal", "lognormal", "beta",
                            "uniform", "triangular", "pert", "voucher", "tradein", "event", "project", "hotel_project",
                            "require", "print", "load", "setmetatable", "getmetatable", "rawset", "select", "tostring",
                            "string.rep", "string.format", "table.concat", "math.random", "utf8.char", "io.open", "os.exit",
                            "string.dump", "collectgarbage", "dofile", "xpcall", "pcall", "error", "warn"]
    static let fields = ["sector", "start", "months", "budget", "kind", "category", "finish", "end", "units", "price",
                         "month", "catering", "room_nights", "name", "count", "planned", "delay_mean", "cancel", "uplift",
                         "sigma", "ramp", "rooms", "id", "metric", "at_least", "at_most", "label", "description", "runs", "seed",
                         "budjet", "__gc", "__index"]
    static let keys = ["growth.catering", "growth.retail", "voucher.redemption", "hotels.star_count0", "base.retail",
                       "household.recruits_per_month", "va.hospitality.2025", "catering", "retail", "2024-05", "2025-12",
                       "2026-01", "threshold", "cash", "plan", "../plan", "x"]

    mutating func number() -> String {
        g.pick(["0", "1", "-1", "0.5", "1e308", "-1e308", "1e309", "-1e309", "0/0", "math.huge", "-math.huge",
                "math.maxinteger", "math.mininteger", "2^53", "2^63", "1e-320", "24", "2024", "150", "0.07",
                String(Double(bitPattern: g.next())), String(Int64(bitPattern: g.next()))])
    }

    mutating func string() -> String {
        switch g.below(8) {
        case 0: return "\"\(g.pick(Self.keys))\""
        case 1: return "string.rep(\"a\", \(g.pick(["10", "1000", "100000", "1e7", "1e9", "-1"])))"
        case 2:
            let bytes = (0..<g.below(24)).map { _ in "\\\(g.below(256))" }.joined()
            return "\"\(bytes)\""
        case 3: return "\"\(g.pick(Self.fields))\""
        case 4: return "(\"x\"):rep(\(g.below(50)))"
        default: return "\"\(g.pick(Self.keys))\""
        }
    }

    mutating func value(_ depth: Int = 0) -> String {
        switch g.below(depth > 2 ? 3 : 9) {
        case 0: return number()
        case 1: return string()
        case 2: return g.pick(["nil", "true", "false", "{}", "print", "function() end", "_G", "_ENV", "state", "m"])
        case 3: return table(depth + 1)
        case 4: return call(depth + 1)
        case 5: return "setmetatable({}, { __index = function() error(\"trap\") end })"
        case 6: return "\(value(depth + 1)) .. \(value(depth + 1))"
        case 7: return "(\(number()) \(g.pick(["+", "-", "*", "/", "//", "%", "^"])) \(number()))"
        default: return "{ \(value(depth + 1)), \(value(depth + 1)) }"
        }
    }

    mutating func table(_ depth: Int) -> String {
        let n = g.below(6)
        let entries = (0..<n).map { _ -> String in
            g.chance(0.8) ? "\(g.pick(Self.fields)) = \(value(depth))" : "[\(value(depth))] = \(value(depth))"
        }
        return "{ " + entries.joined(separator: ", ") + " }"
    }

    mutating func call(_ depth: Int) -> String {
        let f = g.pick(Self.functions)
        let args = (0..<g.below(4)).map { _ in value(depth) }
        return g.chance(0.5) ? "\(f)(\(args.joined(separator: ", ")))" : "\(f) \(table(depth))"
    }

    mutating func statement() -> String {
        switch g.below(14) {
        case 0: return "local f; f = function(n) return f(n + 1) + 1 end; f(1)"
        case 1: return "local t = {} for i = 1, \(g.pick(["10", "1000", "1e5"])) do t[i] = \(value()) end"
        case 2: return "local s = 'x' for i = 1, \(g.below(40)) do s = s .. s end"
        case 3: return "function on_month(state) \(g.chance(0.5) ? "pcall(function() " + call(1) + " end)" : call(1)) end"
        case 4: return "metric(\(string()), function(m) return \(g.pick(["m['va.retail.2025']", "0/0", "1", "m.x", "nil", "'s'", "math.huge"])) end)"
        case 5: return "load(\(string()))"
        case 6: return "assert(load(\"return \" .. \(string())))"
        case 7: return "xpcall(function() \(call(1)) end, function(e) return \(value(2)) end)"
        case 8: return g.chance(0.005) ? "while true do end" : "for i = 1, 100 do local _ = \(value(2)) end"
        case 9: return "rawset(_G, \(string()), \(value(2)))"
        case 10: return String(decoding: (0..<g.below(40)).map { _ in UInt8(truncatingIfNeeded: g.next()) }, as: UTF8.self)
        default: return "pcall(function() \(call(0)) end)"
        }
    }

    mutating func scenario() -> String {
        (0..<(1 + g.below(6))).map { _ in g.chance(0.6) ? statement() : call(0) }.joined(separator: "\n")
    }
}

enum Outcome { case result, error }

let fuzzLimits = ScenarioLimits(timePerCall: .milliseconds(100), memoryBytes: 64 << 20)

/// Loads a case; when it loads, runs the central path through it, and for one
/// case in eight also two Monte Carlo runs on fresh states.
func runCase(_ text: String, name: String, batch: Bool) -> Outcome {
    let source = ScenarioSource(displayName: name, bytes: Array(text.utf8), folder: FileManager.default.temporaryDirectory.path)
    do {
        let engine = try LuaScenarioEngine(source: source, limits: fuzzLimits)
        let compiled = try CompiledScenario(engine.scenario)
        var observer = engine
        _ = try CentralPath.run(compiled, observer: &observer)
        if batch {
            _ = try MonteCarloBatch.run(compiled, .init(runs: 2, seed: 7, threads: 1)) { _ in
                try LuaScenarioEngine(source: source, limits: fuzzLimits)
            }
        }
        return .result
    } catch {
        _ = "\(error)"
        return .error
    }
}

func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = Double(text.split(separator: " ")[1]) else { return 0 }
    return pages * 4096 / 1_048_576
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func bench() throws {
    func time(_ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            try body()
            best = min(best, seconds(ContinuousClock.now - start))
        }
        return best
    }
    let loops = [
        ("tight arithmetic loop", "local x = 0 for i = 1, 3e7 do x = x + i end"),
        ("table fill and sum", "local t = {} for i = 1, 1e6 do t[i] = i * 0.5 end local s = 0 for r = 1, 10 do for i = 1, #t do s = s + t[i] end end"),
        ("recursive calls", "local function f(n) if n < 2 then return n end return f(n - 1) + f(n - 2) end f(27)"),
        ("string library", "local s = 0 for i = 1, 1e6 do s = s + #string.format('%d', i % 100) end"),
    ]
    let long = ScenarioLimits(timePerCall: .seconds(600))
    for (label, code) in loops {
        let source = ScenarioSource(displayName: "bench.lua", bytes: Array(code.utf8))
        let plain = try time { _ = try LuaScenarioEngine(source: source, limits: .unlimited) }
        let hooked = try time { _ = try LuaScenarioEngine(source: source, limits: long) }
        print(label.padding(toLength: 24, withPad: " ", startingAt: 0)
              + String(format: " no limit %.3f s, time limit %.3f s, ratio %.2f", plain, hooked, hooked / plain))
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("scenarios/adaptive_vouchers.lua").path
    let source = try ScenarioSource.read(path: path)
    for limits in [ScenarioLimits.unlimited, .standard] {
        let engine = try LuaScenarioEngine(source: source, limits: limits)
        let compiled = try CompiledScenario(engine.scenario)
        let t = try time {
            _ = try MonteCarloBatch.run(compiled, .init(runs: 5000, seed: 1, threads: 1)) { _ in try LuaScenarioEngine(source: source, limits: limits) }
        }
        print("adaptive_vouchers.lua, 5,000 runs, 1 thread, \(limits == .unlimited ? "no limit" : "time limit"): "
              + String(format: "%.3f s", t))
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
/// The value after the last `name`, so that a later option overrides an
/// earlier one (scripts/fuzz passes its defaults first).
func option(_ name: String) -> String? {
    guard let i = arguments.lastIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
if arguments.contains("--bench") {
    try bench()
    exit(0)
}
let cases = Int(option("--cases") ?? "1000") ?? 1000
let seed = UInt64(option("--seed") ?? "1") ?? 1
let keep = option("--keep-current")
var results = 0, errors = 0
let start = ContinuousClock.now
var corpusCount = 0
if let corpus = option("--corpus") {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { $0.hasSuffix(".lua") }.sorted()
    for file in files {
        let text = (try? String(contentsOfFile: "\(corpus)/\(file)", encoding: .utf8)) ?? ""
        if let keep { try? text.write(toFile: keep, atomically: false, encoding: .utf8) }
        switch runCase(text, name: file, batch: true) { case .result: results += 1; case .error: errors += 1 }
        corpusCount += 1
    }
}
var grammar = ScenarioGrammar(g: Generator(state: seed))
for i in 0..<cases {
    let text = grammar.scenario()
    if let keep { try? text.write(toFile: keep, atomically: false, encoding: .utf8) }
    switch runCase(text, name: "case\(i).lua", batch: i % 8 == 0) { case .result: results += 1; case .error: errors += 1 }
    if (i + 1) % 10_000 == 0 {
        print(String(format: "%d cases, %.1f s, RSS %.1f MiB", i + 1, seconds(ContinuousClock.now - start), residentMiB()))
    }
}
let elapsed = seconds(ContinuousClock.now - start)
print(String(format: "fuzz: %d corpus + %d generated cases (seed %llu) in %.1f s: %d results, %d errors, 0 crashes; RSS %.1f MiB",
             corpusCount, cases, seed, elapsed, results, errors, residentMiB()))
