import Foundation
import LiaoCore
import LiaoLua
import Testing

/// Latin hypercube sampling and correlated parameters.
@Suite struct SamplingTests {
    static let plan = (try? String(contentsOf: repositoryRoot.appendingPathComponent("scenarios/plan.lua"), encoding: .utf8)) ?? ""

    func batch(_ text: String, runs: Int, seed: UInt64, mode: ParameterSampling.Mode, first: Int = 0, study: Int? = nil)
        throws -> (BatchResult, RunTable)
    {
        let engine = try loadScenario(text)
        let compiled = try CompiledScenario(engine.scenario)
        var options = MonteCarloBatch.Options(runs: runs, seed: seed, threads: 2, firstRun: first)
        options.sampling = ParameterSampling(mode: mode, studyRuns: study ?? runs, seed: seed, compiled: compiled)
        let uncertain = engine.scenario.parameters.uncertainIDs
        let (result, tables) = try MonteCarloBatch.run(compiled, options, makeObserver: { _ in NoObserver() }) { _ in
            RunTable(parameters: uncertain, metrics: [])
        }
        return (result, RunTable.joined(tables)!)
    }

    /// Each parameter's values fall once in each of the N equally likely strata.
    @Test func latinHypercubeFillsEveryStratumOnce() throws {
        let n = 1000
        let (_, table) = try batch(Self.plan, runs: n, seed: 3, mode: .lhs)
        for (c, id) in table.parameterIDs.enumerated() {
            let distribution = ParameterSet()[id]
            let strata = Set(table.column(c).map { Int((distribution.cdf($0) * Double(n)).rounded(.down)) })
            // A beta's cdf may land a hair off a stratum edge; allow a handful.
            #expect(strata.count >= n - 3, "\(ParameterCatalog.spec(id).key): \(strata.count) strata of \(n)")
        }
    }

    /// Same means, smaller spread across seeds than plain sampling.
    @Test func latinHypercubeGivesTheSameMeansWithLessSpreadAcrossSeeds() throws {
        let metric = MetricCatalog.nominal(.retail, year: 1)
        func means(_ mode: ParameterSampling.Mode) throws -> [Double] {
            try (1...12).map { seed in try batch(Self.plan, runs: 1000, seed: UInt64(seed), mode: mode).0.metrics[metric].mean }
        }
        let plain = try means(.random), lhs = try means(.lhs)
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
        func sd(_ x: [Double]) -> Double {
            let m = mean(x)
            return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
        }
        // The grand means agree within a few standard errors of the plain estimate.
        #expect(abs(mean(plain) - mean(lhs)) < 4 * sd(plain) / (12.0).squareRoot())
        // Retail VA is driven mostly by growth.retail, which LHS stratifies: the spread shrinks a lot.
        #expect(sd(lhs) < 0.7 * sd(plain), "sd across seeds: lhs \(sd(lhs)), plain \(sd(plain))")
    }

    /// Shards of an LHS study together are exactly the whole study.
    @Test func latinHypercubeShardsMergeToTheWholeStudy() throws {
        let (whole, _) = try batch(Self.plan, runs: 900, seed: 8, mode: .lhs)
        var merged: BatchResult?
        for shard in 1...3 {
            let range = Shard(index: shard, count: 3).runs(of: 900)
            let (part, _) = try batch(Self.plan, runs: range.count, seed: 8, mode: .lhs, first: range.lowerBound, study: 900)
            if merged == nil { merged = part } else { merged!.merge(part) }
        }
        #expect(merged!.metrics == whole.metrics)
        #expect(merged!.goalTallies == whole.goalTallies)
    }

    @Test func correlatedParametersHaveTheRankCorrelationAskedFor() throws {
        let text = """
            correlate("growth.catering", "growth.accommodation", 0.6)
            correlate("growth.catering", "inflation.catering", -0.3)
            """
        for mode in ParameterSampling.Mode.allCases {
            let (_, table) = try batch(text, runs: 6000, seed: 4, mode: mode)
            let column = { (id: ParameterID) in table.column(table.parameterIDs.firstIndex(of: id)!) }
            let r1 = RankStatistics.spearman(column(.growthCatering), column(.growthAccommodation))
            let r2 = RankStatistics.spearman(column(.growthCatering), column(.inflationCatering))
            #expect(abs(r1 - 0.6) < 0.04, "\(mode): \(r1)")
            #expect(abs(r2 + 0.3) < 0.04, "\(mode): \(r2)")
            // Marginals stay as declared: growth.catering is Normal(0.07, 0.03).
            let catering = column(.growthCatering)
            let mean = catering.reduce(0, +) / Double(catering.count)
            #expect(abs(mean - 0.07) < 4 * 0.03 / (6000.0).squareRoot())
            // Uncorrelated parameters are untouched.
            #expect(abs(RankStatistics.spearman(column(.growthCatering), column(.growthRetail))) < 0.05)
        }
    }

    /// Common random numbers: a correlation changes the draws of its own
    /// parameters only, whatever the sampling.
    @Test func aCorrelationLeavesEveryOtherParameterDrawAlone() throws {
        let correlated = "correlate(\"growth.catering\", \"growth.accommodation\", 0.6)\n"
        for mode in ParameterSampling.Mode.allCases {
            let (_, without) = try batch("", runs: 300, seed: 8, mode: mode)
            let (_, with) = try batch(correlated, runs: 300, seed: 8, mode: mode)
            #expect(without.parameterIDs == with.parameterIDs)
            for (c, id) in with.parameterIDs.enumerated() {
                let changed = with.column(c) != without.column(c)
                #expect(changed == (id == .growthCatering || id == .growthAccommodation), "\(mode) \(ParameterCatalog.spec(id).key)")
            }
        }
    }

    @Test func impossibleCorrelationsNameThePairThatBreaksThem() throws {
        let message = loadError("""
            correlate("growth.retail", "growth.catering", 0.9)
            correlate("growth.catering", "growth.services", 0.9)
            correlate("growth.retail", "growth.services", -0.9)
            """)
        #expect(message?.contains("growth.retail ~ growth.services = -0.9 (test.lua:3)") == true, "\(message ?? "")")
        #expect(message?.contains("not positive semi-definite") == true)
        // Each pair is judged with all the others: strong positive correlations among three are fine.
        #expect(loadError("""
            correlate("growth.retail", "growth.catering", 0.9)
            correlate("growth.catering", "growth.services", 0.9)
            correlate("growth.retail", "growth.services", 0.9)
            """) == nil)
        let single = loadError("""
            correlate("growth.retail", "growth.catering", 0.5)
            correlate("growth.catering", "growth.services", 0.5)
            correlate("growth.retail", "growth.services", -0.9)
            correlate("growth.services", "inflation.retail", 0.1)
            """)
        #expect(single?.contains("growth.retail ~ growth.services = -0.9 (test.lua:3) is impossible") == true, "\(single ?? "")")
        #expect(loadError("correlate(\"growth.retail\", \"base.retail\", 0.5)")?.contains("base.retail is fixed") == true)
        #expect(loadError("correlate(\"growth.retail\", \"growth.retail\", 0.5)")?.contains("itself") == true)
        #expect(loadError("correlate(\"growth.retail\", \"growth.catering\", 1.5)")?.contains("between -1 and 1") == true)
    }
}
