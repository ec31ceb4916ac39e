import Foundation
import LiaoCore
import LiaoLua

/// Runs a loaded scenario as a Monte Carlo batch: Lua states only on the
/// workers that need them (scenarios with a hook or metrics of their own).
enum BatchRunner {
    static func run(source: ScenarioSource, engine: LuaScenarioEngine, runs: Int, seed: UInt64, threads: Int) throws -> BatchResult {
        let compiled = try CompiledScenario(engine.scenario)
        if engine.hasRunLogic {
            return try MonteCarloBatch.run(compiled, runs: runs, seed: seed, threads: threads) { _ in
                try LuaScenarioEngine(source: source)
            }
        }
        return try MonteCarloBatch.run(compiled, runs: runs, seed: seed, threads: threads) { _ in NoObserver() }
    }

    static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }
}
