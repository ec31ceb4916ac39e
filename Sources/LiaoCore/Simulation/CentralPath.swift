/// The central path (MODEL §7): one run with every parameter at its central
/// value and every random event at its expectation, through the same
/// simulator as the Monte Carlo runs.
public enum CentralPath {
    /// Runs the central path; the scenario's hook and metrics run too.
    public static func run<O: MonthObserver>(_ compiled: CompiledScenario, seed: UInt64 = 0, observer: inout O) throws -> RunRecord {
        let simulator = RunSimulator(compiled)
        var record = simulator.makeRecord()
        var draws = CentralDraws()
        try simulator.run(run: 0, seed: seed, draws: &draws, observer: &observer, record: &record)
        return record
    }

    public static func run(_ compiled: CompiledScenario) throws -> RunRecord {
        var observer = NoObserver()
        return try run(compiled, observer: &observer)
    }
}
