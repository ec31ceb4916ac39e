import Foundation
import Testing

/// Every run starts from the state the scenario file left when it loaded:
/// tables and captured locals a run changes are put back before the next,
/// so that no run sees another's and results do not depend on the threads.
@Suite struct RunIsolationTests {
    /// The metrics of `runs` runs of `file`, after checking that every thread
    /// count gives the same output (apart from timing).
    private func metricsOnAnyThreads(_ file: String, runs: Int, threads: [Int] = [1, 2], extra: [String] = []) throws -> [String: [String: Double]] {
        let outputs = try threads.map { count in
            let r = try CLIHarness.run(["run", file, "--runs", "\(runs)", "--format", "json", "--threads", "\(count)"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return CLIHarness.withoutTiming(r.stdout)
        }
        for output in outputs.dropFirst() { #expect(output == outputs[0]) }
        return try #require(CLIHarness.json(outputs[0])["metrics"] as? [String: [String: Double]])
    }

    @Test func loadTimeTablesAndLocalsStartAfreshInEveryRun() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-isolation")
        try "return { hits = 0 }\n".write(to: folder.appendingPathComponent("shared.lua"), atomically: true, encoding: .utf8)
        let scenario = folder.appendingPathComponent("leaky.lua")
        try """
            local counts = { n = 0 }
            local calls = 0
            local settings = setmetatable({ budget = 0.05 }, { __index = { floor = 0.01 } })
            local list = { 1, 2, 3 }
            local shared = require("shared")
            local function bump() calls = calls + 1 end
            function on_month(state)
              counts.n = counts.n + 1
              bump()
              settings.budget = settings.budget * 1.1
              list[#list + 1] = state.t
              shared.hits = shared.hits + 1
              if state.t == 5 then setmetatable(settings, nil) end
              -- Depends on what earlier months of this run did, as an analyst's rule may.
              if counts.n == 12 and calls == 12 and #list == 15 and settings.floor == nil then
                voucher { sector = "catering", start = state.next_month, budget = settings.budget }
                scheduled = 1
              end
            end
            metric("counts", function(m) return counts.n + shared.hits end)
            metric("calls", function(m) return calls end)
            metric("list", function(m) return #list end)
            metric("scheduled", function(m) return scheduled or 0 end)
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let metrics = try metricsOnAnyThreads(scenario.path, runs: 300, threads: [1, 2, 3], extra: ["--seed", "3"])
        // Each run sees 24 months from the file's starting values: no run inherits another's.
        #expect(metrics["counts"]?["mean"] == 48 && metrics["counts"]?["sd"] == 0)
        #expect(metrics["calls"]?["mean"] == 24 && metrics["calls"]?["sd"] == 0)
        #expect(metrics["list"]?["mean"] == 27 && metrics["list"]?["sd"] == 0)
        // The rule, which reads what earlier months of the run did, fires in every run.
        #expect(metrics["scheduled"]?["mean"] == 1)
    }

    /// A run stopped by the time limit inside a require leaves no trace in
    /// the next: the module is not taken for one that requires itself.
    @Test func aRunStoppedInsideARequireDoesNotSpoilTheNext() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-require-stop")
        try "if SLOW then while true do end end\nreturn 1\n".write(to: folder.appendingPathComponent("slowmod.lua"), atomically: true, encoding: .utf8)
        let scenario = folder.appendingPathComponent("useslow.lua")
        try "function on_month(s) if s.t == 0 then SLOW = s.params['growth.retail'] > 0.05; require('slowmod') end end\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["run", scenario.path, "--runs", "12", "--keep-going", "--time-limit", "0.05", "--threads", "1", "--format", "json"])
        #expect(r.stderr.isEmpty || !r.stderr.contains("requires itself"), "\(r.stderr)")
        let failures = try #require(CLIHarness.json(r.stdout)["failures"] as? [[String: Any]])
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { ($0["message"] as? String)?.contains("ran for more than 0.05 seconds") == true }, "\(failures)")
    }

    @Test func nilLocalsAndNumberKindsArePutBackToo() throws {
        // A "done already" flag that starts as nil (among other captured locals), and
        // runs that turn an integer into a float or 0.0 into -0.0.
        let file = try CLIHarness.scenarioFile("""
            local a, b, c, d, e, f, g = 0, 0, 0, 0, 0, 0, 0
            local done
            local t = { n = 0 }
            local z = 0.0
            function on_month(state)
              a = a + 1; b = b + 1; c = c + 1; d = d + 1; e = e + 1; f = f + 1; g = g + 1
              if state.t == 0 and (done or math.type(t.n) == "float" or 1 / z < 0) then broken = 1 end
              if not done and state.t == 6 then done = true end
              t.n = t.n * 1.0
              z = -0.0
            end
            metric("broken", function(m) return broken or 0 end)
            """)
        let metrics = try metricsOnAnyThreads(file, runs: 200)
        #expect(metrics["broken"]?["mean"] == 0)
    }

    /// The library tables are shared by every run of a worker: while runs go
    /// on they are read-only (while the file loads it may add helpers to them).
    @Test func libraryTablesCannotBeChangedInARun() throws {
        for (write, library) in [("math.count = (math.count or 0) + 1", "math"), ("table.sort = nil", "table"),
                                 ("string.helper = print", "string"), ("utf8.x = 1", "utf8")] {
            let file = try CLIHarness.scenarioFile("function on_month(state)\n  \(write)\nend\n")
            let r = try CLIHarness.run(["run", file, "--runs", "50"])
            #expect(r.status == 65, "\(write): \(r.stderr)")
            #expect(r.stderr.contains("scenario.lua:2: \(library) is shared by every run and cannot be changed in a run"), "\(r.stderr)")
        }
        // Reading, calling, iterating and helpers added while loading all still work.
        let file = try CLIHarness.scenarioFile("""
            function string.trim(s) return (s:gsub("^%s+", "")) end
            function on_month(state)
              local names = 0
              for _ in pairs(math) do names = names + 1 end
              local t = {}
              table.insert(t, math.max(1, 2))
              if names < 20 or #string.trim("  ab") ~= 2 or ("  x"):trim() ~= "x" or t[1] ~= 2 then error("library broken") end
            end
            metric("pi", function(m) return math.pi end)
            """)
        let r = try CLIHarness.run(["run", file, "--runs", "50", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let metrics = try #require(CLIHarness.json(r.stdout)["metrics"] as? [String: [String: Double]])
        #expect(metrics["pi"]?["mean"] == Double.pi)
        // pairs hands out the library's entries, not the table behind the view.
        let sneaky = try CLIHarness.scenarioFile("""
            metric("n", function(m)
              local _, state = pairs(math)
              if type(state) == "table" then state.count = (state.count or 0) + 1; return state.count end
              return 0
            end)
            """)
        let viaPairs = try CLIHarness.run(["run", sneaky, "--runs", "20", "--format", "json", "--threads", "1"])
        #expect(viaPairs.status == 0, "\(viaPairs.stderr)")
        #expect((try CLIHarness.json(viaPairs.stdout)["metrics"] as? [String: [String: Double]])?["n"]?["mean"] == 0)
    }

    /// Tables and locals that helpers added to a library while loading keep
    /// are put back like any other: every run counts from the start.
    @Test func stateOfLibraryHelpersStartsAfreshInEveryRun() throws {
        let file = try CLIHarness.scenarioFile("""
            local seen = { n = 0 }
            function math.bump() seen.n = seen.n + 1; return seen.n end
            string.cache = {}
            metric("bumps", function(m) return math.bump() end)
            metric("cached", function(m) string.cache.n = (string.cache.n or 0) + 1; return string.cache.n end)
            """)
        let metrics = try metricsOnAnyThreads(file, runs: 60)
        #expect(metrics["bumps"]?["mean"] == 1 && metrics["cached"]?["mean"] == 1, "\(metrics)")
    }

    /// Lua seeds its string hashes per state (so per worker and per process):
    /// pairs visits keys in a fixed order instead, so a loop that adds up in
    /// pairs order, or stops at the first key, gives the same result anywhere.
    @Test func pairsVisitsKeysInAReproducibleOrder() throws {
        let file = try CLIHarness.scenarioFile("""
            local weights = {}
            for i = 1, 40 do weights["sector" .. i] = 1 / i end
            weights[true] = 0.5; weights[2.5] = 0.25; weights[-1] = 0.125
            metric("first", function(m) for k, v in pairs(weights) do return v end end)
            metric("sum", function(m) local s = 0; for k, v in pairs(weights) do s = s * 1.0001 + v end; return s end)
            metric("keys", function(m)
              local seen, previous = 0, nil
              for name in pairs(math) do
                if previous and not (previous < name) then error("math not in order at " .. name) end
                previous = name; seen = seen + 1
              end
              -- A key cleared during the loop is skipped; an array goes 1..n.
              local t = { 10, 20, 30, a = 1, b = 2 }
              local order = {}
              for k, v in pairs(t) do order[#order + 1] = tostring(k); t.b = nil end
              if table.concat(order, ",") ~= "1,2,3,a" then error("order " .. table.concat(order, ",")) end
              return seen
            end)
            """)
        let metrics = try metricsOnAnyThreads(file, runs: 40)
        #expect(metrics["first"]?["mean"] == 0.125, "numbers come first: \(metrics)")
        #expect((metrics["keys"]?["mean"] ?? 0) > 20)
        // Another process seeds its hashes differently: the same output again.
        let again = try metricsOnAnyThreads(file, runs: 40)
        #expect(again == metrics)
    }
}
