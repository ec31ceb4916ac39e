import LiaoCore
import LiaoReport
import Testing

@Suite struct TextReportTests {
    /// A metric that was not a number in some runs is named in the report
    /// with the count, since those runs are left out of its statistics.
    @Test func reportNamesMetricsThatWereNotNumbers() {
        let scenario = Scenario(name: "nan", customMetrics: ["ratio"])
        var result = BatchResult(scenario: scenario, seed: 1)
        let goals = [Bool](repeating: false, count: scenario.goals.count)
        for run in 0..<10 {
            var metrics = [Double](repeating: 1, count: scenario.metricNames.count)
            if run % 4 == 0 { metrics[metrics.count - 1] = .nan }
            result.add(metrics: metrics, goalsMet: goals)
        }
        let text = TextReport.batch(result)
        #expect(text.contains("NOT A NUMBER: ratio in 3 runs"), "\(text)")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })

        var clean = BatchResult(scenario: scenario, seed: 1)
        clean.add(metrics: [Double](repeating: 1, count: scenario.metricNames.count), goalsMet: goals)
        #expect(!TextReport.batch(clean).contains("NOT A NUMBER"))
    }

    /// A batch of ten runs of `scenario`: the last metric NaN in run 0 when
    /// `nan`, run 3 failed when `failure`, stopped after 10 of 40 runs when
    /// `interrupted`.
    private func batch(_ scenario: Scenario, nan: Bool = false, failure: Bool = false, interrupted: Bool = false) -> BatchResult {
        var result = BatchResult(scenario: scenario, seed: 1)
        let goals = [Bool](repeating: false, count: scenario.goals.count)
        for run in 0..<10 {
            if failure && run == 3 {
                result.addFailure(run: run, message: "on_month: attempt to compare nil with number")
                continue
            }
            var metrics = [Double](repeating: 1, count: scenario.metricNames.count)
            if nan && run == 0 { metrics[metrics.count - 1] = .nan }
            result.add(metrics: metrics, goalsMet: goals)
        }
        result.requestedRuns = interrupted ? 40 : 10
        result.interrupted = interrupted
        return result
    }

    /// Reports of several batches (compare, sweep, solve) and sensitivity say
    /// which batch was interrupted, lost runs or had metrics that were not
    /// numbers, and which scenarios or values were never run; a clean
    /// comparison says nothing of the kind.
    @Test func multiBatchReportsCarryEachBatchsWarnings() throws {
        let scenario = Scenario(name: "w", customMetrics: ["ratio"])
        let results = [batch(scenario, nan: true), batch(scenario, failure: true), batch(scenario, interrupted: true)]
        let compare = CompareReport.text(results, scenarios: [scenario, scenario, scenario], notRun: ["fourth"])
        #expect(compare.contains("[1] NOT A NUMBER: ratio in 1 runs"), "\(compare)")
        #expect(compare.contains("[2] FAILED RUNS: 1 runs failed"))
        #expect(compare.contains("run 3: on_month: attempt to compare nil with number"))
        #expect(compare.contains("[3] INTERRUPTED: 10 of 40 runs done"))
        #expect(compare.contains("NOT RUN (interrupted before them): fourth"))
        #expect(compare.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = CompareReport.json(results, scenarios: [scenario, scenario, scenario], notRun: ["fourth"]).serialized()
        #expect(json.filter { !$0.isWhitespace }.contains("\"not_run\":[\"fourth\"]"), "\(json)")

        let clean = [batch(scenario), batch(scenario)]
        let quiet = CompareReport.text(clean, scenarios: [scenario, scenario])
        for word in ["INTERRUPTED", "FAILED", "NOT A NUMBER", "NOT RUN"] { #expect(!quiet.contains(word)) }

        let sweep = SweepReport.text(input: "budget", values: [1, 2, 3], results: results, goals: [], notRun: [4, 5])
        #expect(sweep.contains("budget = 1: NOT A NUMBER: ratio in 1 runs"), "\(sweep)")
        #expect(sweep.contains("budget = 2: FAILED RUNS"))
        #expect(sweep.contains("budget = 3: INTERRUPTED: 10 of 40 runs done"))
        #expect(sweep.contains("INTERRUPTED: 3 of 5 values of budget run; not run: 4, 5"))
        let sweepJSON = SweepReport.json(input: "budget", values: [1, 2, 3], results: results, goals: [], notRun: [4, 5]).serialized()
        #expect(sweepJSON.contains("\"not_run\": [4.0, 5.0]"), "\(sweepJSON)")
        #expect(sweepJSON.contains("\"failed_runs\""))
        #expect(sweepJSON.contains("\"non_finite\""))

        let sensitivity = SensitivityReport.text([], subject: .init(metric: "ratio", goal: nil), result: results[1])
        #expect(sensitivity.contains("FAILED RUNS: 1 runs failed"), "\(sensitivity)")
        let sensitivityJSON = SensitivityReport.json([], subject: .init(metric: "ratio", goal: nil), result: results[0]).serialized()
        #expect(sensitivityJSON.contains("\"non_finite\""))
    }
}
