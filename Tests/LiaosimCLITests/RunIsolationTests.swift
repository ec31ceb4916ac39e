import Foundation
import Testing

/// Every run starts from the state the scenario file left when it loaded:
/// tables and captured locals a run changes are put back before the next,
/// so that no run sees another's and results do not depend on the threads.
@Suite struct RunIsolationTests {
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
        let outputs = try [1, 2, 3].map { threads in
            let r = try CLIHarness.run(["run", scenario.path, "--runs", "300", "--seed", "3", "--format", "json", "--threads", "\(threads)"])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        #expect(CLIHarness.withoutTiming(outputs[0]) == CLIHarness.withoutTiming(outputs[1]))
        #expect(CLIHarness.withoutTiming(outputs[0]) == CLIHarness.withoutTiming(outputs[2]))
        let metrics = try #require(CLIHarness.json(outputs[1])["metrics"] as? [String: [String: Double]])
        // Each run sees 24 months from the file's starting values: no run inherits another's.
        #expect(metrics["counts"]?["mean"] == 48 && metrics["counts"]?["sd"] == 0)
        #expect(metrics["calls"]?["mean"] == 24 && metrics["calls"]?["sd"] == 0)
        #expect(metrics["list"]?["mean"] == 27 && metrics["list"]?["sd"] == 0)
        // The rule, which reads what earlier months of the run did, fires in every run.
        #expect(metrics["scheduled"]?["mean"] == 1)
    }
}
