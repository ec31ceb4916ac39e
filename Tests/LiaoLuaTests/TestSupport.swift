import Foundation
import LiaoCore
import LiaoLua

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Loads scenario text as if from a file named `test.lua`.
func loadScenario(_ text: String, name: String = "test.lua") throws -> LuaScenarioEngine {
    try LuaScenarioEngine(source: ScenarioSource(displayName: name, bytes: Array(text.utf8)))
}

/// The error message a scenario's load produces, or nil if it loads.
func loadError(_ text: String) -> String? {
    do {
        _ = try loadScenario(text)
        return nil
    } catch {
        return "\(error)"
    }
}

/// The bundled plan, loaded from scenarios/plan.lua.
func loadPlan() throws -> LuaScenarioEngine {
    try LuaScenarioEngine(path: repositoryRoot.appendingPathComponent("scenarios/plan.lua").path)
}

/// A reference file from Tests/Golden.
func goldenJSON(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Golden/\(name)"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// Runs a Monte Carlo batch of a loaded scenario, with Lua workers when it needs them.
func runBatch(_ text: String, runs: Int, seed: UInt64 = 1, threads: Int = 2) throws -> BatchResult {
    let engine = try loadScenario(text)
    let compiled = try CompiledScenario(engine.scenario)
    let source = ScenarioSource(displayName: "test.lua", bytes: Array(text.utf8))
    return try MonteCarloBatch.run(compiled, .init(runs: runs, seed: seed, threads: threads)) { _ in
        try LuaScenarioEngine(source: source)
    }
}

/// Relative difference, safe at zero.
func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(b), 1e-300)
}
