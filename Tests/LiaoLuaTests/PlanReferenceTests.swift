import Foundation
import LiaoCore
import LiaoLua
import Testing

/// scenarios/plan.lua against the reference values of the model specification.
@Suite struct PlanReferenceTests {
    /// The central path is deterministic: every metric and every monthly value
    /// must agree with the reference to a relative 1e-9.
    @Test func centralPathMatchesReferenceToOnePartInABillion() throws {
        let plan = try loadPlan()
        let compiled = try CompiledScenario(plan.scenario)
        var observer = plan
        let record = try CentralPath.run(compiled, observer: &observer)
        let golden = try goldenJSON("plan-central.json")

        let metrics = golden["metrics"] as! [String: Double]
        #expect(metrics.count == MetricCatalog.count)
        for (name, expected) in metrics {
            let index = try #require(MetricCatalog.index(of: name), "unknown metric \(name)")
            #expect(relativeError(record.metrics[index], expected) < 1e-9, "\(name): \(record.metrics[index]) vs \(expected)")
        }
        let monthly = golden["monthly"] as! [String: [Double]]
        let months = SimCalendar.months
        for s in Sector.allCases {
            let expected = try #require(monthly[s.key])
            for t in 0..<months {
                let got = record.monthlyValueAdded[s.rawValue * months + t]
                #expect(relativeError(got, expected[t]) < 1e-9, "\(s.key) \(SimCalendar.label(t)): \(got) vs \(expected[t])")
            }
        }
        let series: [(String, [Double])] = [
            ("hotels", record.monthlyStarHotels), ("rooms", record.monthlyStarRooms),
            ("workers", record.monthlyWorkers), ("firms", record.monthlyFirms),
        ]
        for (key, got) in series {
            let expected = golden[key] as! [Double]
            for t in 0..<months {
                #expect(relativeError(got[t], expected[t]) < 1e-9, "\(key) \(SimCalendar.label(t)): \(got[t]) vs \(expected[t])")
            }
        }
    }

    /// 200,000 runs against quantiles and probabilities from 1,000,000 runs of
    /// an independent implementation.
    ///
    /// Tolerances. A goal probability p from N runs has standard error
    /// √(p(1−p)/N); the difference of the two estimates has variance
    /// p(1−p)(1/N + 1/N_ref), and we allow 4.5 of its standard deviations
    /// (a false alarm about once in 150,000 checks per goal), plus 1/N for
    /// the rarest goals. A quantile at level α has standard error
    /// √(α(1−α)/N) / f(q), with the density f estimated from our own
    /// quantiles at α ± 0.02; we allow 4.5 such standard errors, plus the
    /// histogram's bucket accuracy (relative 2⁻¹³) and, for metrics that are
    /// whole numbers, one unit.
    @Test func monteCarloMatchesReferenceWithinMonteCarloError() throws {
        let plan = try loadPlan()
        let compiled = try CompiledScenario(plan.scenario)
        let runs = 200_000
        let result = try MonteCarloBatch.run(compiled, .init(runs: runs, seed: 20_240_101, threads: 2)) { _ in NoObserver() }
        let golden = try goldenJSON("plan-mc.json")
        let referenceRuns = Double(golden["runs"] as! Int)
        let n = Double(runs)

        let probabilities = golden["probability"] as! [String: Double]
        for (id, expected) in probabilities {
            let index = try #require(result.goals.firstIndex { $0.id == id })
            let got = result.goalTallies[index].probability
            let tolerance = 4.5 * (expected * (1 - expected) * (1 / n + 1 / referenceRuns)).squareRoot() + 1 / n
            #expect(abs(got - expected) <= tolerance, "P(\(id)) = \(got), reference \(expected), tolerance \(tolerance)")
        }

        let levels = [0.05, 0.25, 0.50, 0.75, 0.95]
        let quantiles = golden["quantiles"] as! [String: [Double]]
        for (name, expected) in quantiles {
            let index = try #require(result.metricNames.firstIndex(of: name))
            let summary = result.metrics[index]
            for (level, reference) in zip(levels, expected) {
                let got = summary.quantile(level)
                let spread = summary.quantile(level + 0.02) - summary.quantile(level - 0.02)
                let inverseDensity = spread / 0.04
                var tolerance = 4.5 * (level * (1 - level) * (1 / n + 1 / referenceRuns)).squareRoot() * inverseDensity
                tolerance += abs(reference) * 0x1p-13
                if result.isWholeNumber(index) { tolerance += 1 }
                #expect(abs(got - reference) <= tolerance, "\(name) P\(Int(level * 100)) = \(got), reference \(reference), tolerance \(tolerance)")
            }
        }
    }
}
