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
}
