/// Batches that stop when the goals' odds are known precisely enough.
extension MonteCarloBatch {
    /// Runs `initialRuns`, then doubles the total until every goal's 95%
    /// interval has a half-width of at most `halfWidth`, or `maxRuns` is reached
    /// (or every run so far failed)
    /// (the result records the target, and so whether it was reached).
    /// Runs are always indices 0 ..< total, so for a given seed the result is
    /// exactly that of one batch of the final size.
    public static func runToPrecision<O: MonthObserver>(
        _ compiled: CompiledScenario, halfWidth: Double, initialRuns: Int, maxRuns: Int, options: Options,
        makeObserver: @Sendable (Int) throws -> sending O
    ) throws -> BatchResult {
        var total = min(initialRuns, maxRuns)
        var stage = options
        stage.firstRun = 0
        stage.runs = total
        var result = try run(compiled, stage, makeObserver: makeObserver)
        // Runs that all failed (`keepGoing`) tell nothing about the odds: more of them would not either.
        while result.widestGoalHalfWidth > halfWidth && total < maxRuns && !result.interrupted && result.runs > 0 {
            let next = min(total * 2, maxRuns)
            stage.firstRun = total
            stage.runs = next - total
            result.merge(try run(compiled, stage, makeObserver: makeObserver))
            total = next
        }
        result.precision = BatchResult.PrecisionTarget(halfWidth: halfWidth, maxRuns: maxRuns)
        return result
    }
}
