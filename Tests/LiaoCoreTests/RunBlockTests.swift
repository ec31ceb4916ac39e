import LiaoCore
import Testing

/// Batches summarise runs in blocks (`BatchResult.add(_:)`); the result must be
/// exactly that of adding the runs one by one, whatever the block size.
@Suite struct RunBlockTests {
    /// Metric values of one run: a spread of magnitudes and signs, whole
    /// numbers for some metrics, and now and then a NaN or an infinity.
    static func runMetrics(_ random: inout StatsTestRandom, count: Int) -> [Double] {
        (0..<count).map { i in
            switch i % 5 {
            case 0: return random.uniform(-1, 1) * 1e3
            case 1: return (random.uniform(0, 100)).rounded()
            case 2: return random.unit() < 0.01 ? (random.unit() < 0.5 ? .nan : -.infinity) : random.normal() * 1e-4
            case 3: return 2030 + random.uniform(-5, 5)
            default: return random.normal() * 50
            }
        }
    }

    @Test(arguments: [1, 3, 64, 1000])
    func blocksGiveTheResultOfRunByRunAdding(capacity: Int) {
        let scenario = Scenario(name: "blocks", customMetrics: ["extra_a", "extra_b"])
        let metricCount = scenario.metricNames.count
        let goalCount = scenario.goals.count
        var oneByOne = BatchResult(scenario: scenario, seed: 7)
        var blocked = BatchResult(scenario: scenario, seed: 7)
        var block = RunBlock(metricCount: metricCount, goalCount: goalCount, capacity: capacity)
        var random = StatsTestRandom(seed: 0xB10C)
        let runs = 2_345  // not a multiple of any capacity above: the last block is partial
        for _ in 0..<runs {
            let metrics = Self.runMetrics(&random, count: metricCount)
            let met = (0..<goalCount).map { _ in random.unit() < 0.3 }
            oneByOne.add(metrics: metrics, goalsMet: met)
            block.append(metrics: metrics, goalsMet: met)
            if block.isFull { blocked.add(&block) }
        }
        blocked.add(&block)
        #expect(block.count == 0)
        #expect(blocked.runs == runs)
        #expect(blocked.metrics == oneByOne.metrics)
        #expect(blocked.goalTallies == oneByOne.goalTallies)
        #expect(blocked.metrics[0].totalCount == UInt64(runs))
    }
}
