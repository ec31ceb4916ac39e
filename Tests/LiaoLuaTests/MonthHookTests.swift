import Foundation
import LiaoCore
import LiaoLua
import Testing

/// The per-month hook sees the live state and can schedule instruments and
/// change levers for later months of the same run.
@Suite struct MonthHookTests {
    /// The hook runs 24 times a run, and a global it sets never leaks into
    /// the next run: every run starts from a clean environment.
    @Test func hookRunsEveryMonthWithCleanGlobalsEachRun() throws {
        let result = try runBatch("""
            function on_month(state)
              calls = (calls or 0) + 1
              last_t = state.t
            end
            metric("calls", function(m) return calls end)
            metric("last_t", function(m) return last_t end)
            """, runs: 50)
        let calls = result.metrics[result.metricNames.firstIndex(of: "calls")!]
        #expect(calls.min == 24 && calls.max == 24)
        let lastT = result.metrics[result.metricNames.firstIndex(of: "last_t")!]
        #expect(lastT.min == 23 && lastT.max == 23)
    }

    /// `_G.x`, `rawset(_G, ...)` and chunks from `load` write to the run's own
    /// environment too, so nothing carries over between runs of a worker.
    @Test func everyWayOfSettingAGlobalStaysInTheRun() throws {
        let result = try runBatch("""
            function on_month(state)
              _G.a = (_G.a or 0) + 1
              rawset(_G, "b", (rawget(_G, "b") or 0) + 1)
              load("c = (c or 0) + 1")()
            end
            metric("a", function(m) return a end)
            metric("b", function(m) return b end)
            metric("c", function(m) return c end)
            """, runs: 40, threads: 1)
        for name in ["a", "b", "c"] {
            let summary = result.metrics[result.metricNames.firstIndex(of: name)!]
            #expect(summary.min == 24 && summary.max == 24, "\(name)")
        }
    }

    /// A local the file names `_ENV` is put back before each run like any
    /// other; the load's own global table, which a copy of `_G` or a function
    /// `load` made while the file loaded still reaches, is read-only in runs.
    @Test func noWayAroundTheRunsOwnGlobalsCarriesStateToTheNextRun() throws {
        let local = try runBatch("""
            local mk
            do local _ENV = { n = 0 }; mk = function() _ENV = { n = n + 1 }; return n end end
            function on_month(s) if s.t == 0 then got = mk() end end
            metric('got', function(m) return got end)
            """, runs: 60, threads: 1)
        let got = local.metrics[local.metricNames.firstIndex(of: "got")!]
        #expect(got.min == 1 && got.max == 1)
        for (key, hook) in [
            ("]:1: cannot set global 'c'", "local f = load('c = (c or 0) + 1')\nfunction on_month(s) f() end"),
            ("test.lua:2: cannot set global 'k'", "local G = _G\nfunction on_month(s) G.k = 1 end"),
            ("test.lua:2: cannot set global [1]", "local G = _G\nfunction on_month(s) G[1] = 1 end"),
            ("test.lua:2: cannot set global 'a\\0b'", "local G = _G\nfunction on_month(s) G['a\\0b'] = 1 end"),
        ] {
            #expect {
                _ = try runBatch(hook, runs: 1, threads: 1)
            } throws: { error in
                let message = (error as? RunFailure)?.message ?? ""
                return message.contains("\(key) through the globals the file had while loading")
            }
        }
        // What rawset leaves in the load's globals is gone by the next run.
        let raw = try runBatch("""
            local G = _G
            function on_month(s) if s.t == 0 then got = rawget(G, "x"); rawset(G, "x", 1) end end
            metric('got', function(m) return got or 0 end)
            """, runs: 30, threads: 1)
        let seen = raw.metrics[raw.metricNames.firstIndex(of: "got")!]
        #expect(seen.min == 0 && seen.max == 0)
    }

    /// What the hook reads equals what the simulator reports for that month.
    @Test func stateMatchesTheSimulatedMonth() throws {
        let engine = try loadScenario("""
            seen = {}
            function on_month(state)
              seen[#seen + 1] = { state.month, state.va.retail, state.ytd.hospitality, state.star_hotels,
                                  state.rooms, state.occupancy, state.workers, state.firms,
                                  state.params["growth.catering"], state.year }
            end
            metric("dec_retail", function(m) return seen[24][2] end)
            metric("ytd_hosp_2025", function(m) return seen[24][3] end)
            metric("workers_end", function(m) return seen[24][7] end)
            metric("growth_catering", function(m) return seen[1][9] end)
            metric("june_year", function(m) return seen[18][10] end)
            """)
        let compiled = try CompiledScenario(engine.scenario)
        var observer = engine
        let record = try CentralPath.run(compiled, observer: &observer)
        let names = engine.scenario.metricNames
        let months = SimCalendar.months
        #expect(record.metric("dec_retail", names: names) == record.monthlyValueAdded[months - 1])
        let hospitality2025 = record.metrics[MetricCatalog.nominal(.hospitality, year: 1)]
        #expect(relativeError(record.metric("ytd_hosp_2025", names: names)!, hospitality2025) < 1e-12)
        #expect(record.metric("workers_end", names: names) == record.metrics[MetricCatalog.workers])
        #expect(record.metric("growth_catering", names: names) == 0.07)
        #expect(record.metric("june_year", names: names) == 2025)
    }

    /// Fields read for the first time late in a run, or only in some months,
    /// still read that month's value, in every run a worker does (the state
    /// view keeps what the hook has read and refreshes it every month).
    @Test func fieldsFirstReadLateOrNowAndThenAreCurrent() throws {
        let engine = try loadScenario("""
            seen = {}
            function on_month(state)
              if state.t % 3 == 2 then seen[state.t] = state.workers end
              if state.t >= 20 then seen[100 + state.t] = state.va.catering end
              if state.t == 23 then seen[200] = state.month .. "/" .. state.next_month end
            end
            metric("workers_5", function(m) return seen[5] end)
            metric("workers_23", function(m) return seen[23] end)
            metric("catering_21", function(m) return seen[121] end)
            metric("labels_ok", function(m) return seen[200] == "2025-12/2026-01" and 1 or 0 end)
            """)
        let compiled = try CompiledScenario(engine.scenario)
        let simulator = RunSimulator(compiled)
        let names = engine.scenario.metricNames
        var observer = engine
        for run in 0..<3 {
            var record = simulator.makeRecord()
            var draws = RandomDraws(seed: 7, run: UInt64(run))
            try simulator.run(run: run, seed: 7, draws: &draws, observer: &observer, record: &record)
            #expect(record.metric("workers_5", names: names) == record.monthlyWorkers[5], "run \(run)")
            #expect(record.metric("workers_23", names: names) == record.monthlyWorkers[23], "run \(run)")
            #expect(record.metric("catering_21", names: names) == record.monthlyValueAdded[SimCalendar.months + 21], "run \(run)")
            #expect(record.metric("labels_ok", names: names) == 1, "run \(run)")
        }
    }

    /// The hook's errors read as if the host called it directly, whether it
    /// is a Lua function raising at level 2 or a library function.
    @Test func hookErrorsNameTheHookNotTheRefresh() throws {
        // Lua names a library function called from C by searching the loaded
        // modules, whose order varies: either of its two names is right.
        let cases: [(String, [String])] = [
            // Without a position of its own, a message is given the file's name.
            ("function on_month(state)\n  if state.t == 2 then error('boom', 2) end\nend", ["test.lua: boom"]),
            ("function on_month(state)\n  if state.occupancy > -1 then error('boom') end\nend", ["test.lua:2: boom"]),
            ("on_month = math.floor", ["on_month", "math.floor"].map { "test.lua: bad argument #1 to '\($0)' (number expected, got state)" }),
        ]
        for (text, messages) in cases {
            #expect {
                _ = try runBatch(text, runs: 2, threads: 1)
            } throws: { error in
                messages.contains((error as? RunFailure)?.message ?? "")
            }
        }
    }

    /// A rule in the hook changes the outcome: extra catering vouchers whenever
    /// the year-to-date hospitality VA lags the plan's path raise hospitality VA.
    @Test func vouchersScheduledByTheHookRaiseValueAdded() throws {
        let base = try loadScenario("")
        let withRule = try loadScenario("""
            function on_month(state)
              if state.t < 23 and state.ytd.hospitality < 50 * (state.t % 12 + 1) / 12 then
                voucher { sector = "catering", start = state.next_month, budget = 0.2 }
              end
            end
            """)
        let baseRecord = try CentralPath.run(try CompiledScenario(base.scenario))
        var observer = withRule
        let ruleRecord = try CentralPath.run(try CompiledScenario(withRule.scenario), observer: &observer)
        let index = MetricCatalog.nominal(.catering, year: 1)
        #expect(ruleRecord.metrics[index] > baseRecord.metrics[index] + 0.5)
        // Nothing the hook did touches retail.
        let retail = MetricCatalog.nominal(.retail, year: 0)
        #expect(ruleRecord.metrics[retail] == baseRecord.metrics[retail])
    }

    /// Levers changed from the hook apply from the next month on, or from the
    /// later month the call names.
    @Test(arguments: [
        ("if state.month == \"2024-12\" then lever(\"household.recruits_per_month\", 300) end", 12),
        ("if state.month == \"2024-03\" then lever(\"household.recruits_per_month\", 300, \"2024-07\") end", 6),
    ])
    func leverFromHookApplies(rule: String, firstChangedMonth t: Int) throws {
        let engine = try loadScenario("function on_month(state)\n  \(rule)\nend")
        var observer = engine
        let record = try CentralPath.run(try CompiledScenario(engine.scenario), observer: &observer)
        let plain = try CentralPath.run(try CompiledScenario(try loadScenario("").scenario))
        #expect(record.monthlyWorkers[t - 1] == plain.monthlyWorkers[t - 1])
        #expect(relativeError(record.monthlyWorkers[t] - plain.monthlyWorkers[t], 170) < 1e-9)
    }

    /// The file's lever changes and the hook's form one schedule: each holds
    /// from its month until the next change for a later month, whoever made
    /// it and whenever; of two for the same month, the later call wins.
    @Test func leverChangesFromFileAndHookFormOneSchedule() throws {
        let engine = try loadScenario("""
            lever("household.recruits_per_month", 300, "2025-03")
            lever("household.recruits_per_month", 50, "2024-07")
            seen = {}
            function on_month(state)
              seen[#seen + 1] = state.levers["household.recruits_per_month"]
              if state.month == "2024-03" then lever("household.recruits_per_month", 200, "2024-05") end
              if state.month == "2024-04" then lever("household.recruits_per_month", 20, "2025-06") end
              if state.month == "2024-05" then lever("household.recruits_per_month", 250, "2025-06") end
            end
            for t = 1, 24 do
              metric("lever." .. t, function(m) return seen[t] end)
            end
            """)
        var observer = engine
        let record = try CentralPath.run(try CompiledScenario(engine.scenario), observer: &observer)
        let seen = (1...24).map { record.metrics[engine.scenario.metricNames.firstIndex(of: "lever.\($0)")!] }
        // 2024-01…04 the default (130); 200 from 2024-05; the file's 50 from 2024-07 and 300 from
        // 2025-03; the hook's 20 then 250 for 2025-06 (the later call wins) to the end.
        let expected: [Double] = [130, 130, 130, 130, 200, 200] + Array(repeating: 50, count: 8) + [300, 300, 300] + Array(repeating: 250, count: 7)
        #expect(seen == expected, "\(seen)")
    }

    /// `math.random` in a scenario draws from the run's own stream: the same
    /// run gives the same numbers, different runs different ones.
    @Test func mathRandomIsReproduciblePerRun() throws {
        let text = "metric(\"r\", function(m) return math.random() end)"
        let a = try runBatch(text, runs: 200, seed: 5, threads: 1)
        let b = try runBatch(text, runs: 200, seed: 5, threads: 2)
        let i = a.metricNames.firstIndex(of: "r")!
        #expect(a.metrics[i] == b.metrics[i])
        #expect(a.metrics[i].standardDeviation > 0.2)
    }
}

/// Common random numbers: scenarios that differ in one instrument share every
/// other draw of the same run.
@Suite struct CommonRandomNumberTests {
    @Test func extraCateringVoucherLeavesEveryOtherDrawAlone() throws {
        let plan = try String(contentsOf: repositoryRoot.appendingPathComponent("scenarios/plan.lua"), encoding: .utf8)
        let a = try runBatch(plan, runs: 2000, seed: 12)
        let b = try runBatch(plan + "\nvoucher { sector = \"catering\", start = \"2025-03\", budget = 0.5 }\n"
            + "project { name = \"extra\", sector = \"catering\", count = 3, planned = \"2024-05\", uplift = 0.1, sigma = 0.5, cancel = 0.2, delay_mean = 2 }\n",
            runs: 2000, seed: 12)
        for name in ["va.retail.2025", "va.services.2025", "hotels.star_count", "household.workers", "va.accommodation.2025"] {
            let i = a.metricNames.firstIndex(of: name)!
            #expect(a.metrics[i] == b.metrics[i], "\(name) changed")
        }
        let catering = a.metricNames.firstIndex(of: "va.catering.2025")!
        #expect(b.metrics[catering].mean > a.metrics[catering].mean)
    }

    /// A metric that is infinite or NaN in a run meets no goal in that run,
    /// whichever way the goal points.
    @Test func nonFiniteMetricsMeetNoGoal() throws {
        let result = try runBatch("""
            metric("big", function(m) return 1 / 0 end)
            metric("small", function(m) return -1 / 0 end)
            metric("nan", function(m) return 0 / 0 end)
            goal { id = "big_at_least", metric = "big", at_least = 0.5 }
            goal { id = "small_at_most", metric = "small", at_most = 0.5 }
            goal { id = "nan_at_most", metric = "nan", at_most = 0.5 }
            """, runs: 40)
        for id in ["big_at_least", "small_at_most", "nan_at_most"] {
            let tally = result.goalTallies[result.goals.firstIndex { $0.id == id }!]
            #expect(tally.successes == 0, "\(id)")
        }
    }
}
