import Foundation
import Testing

/// Absurd values give a result or a clear error, never a hang or a trap; and
/// the corners where Lua itself is not reproducible (table.sort) are made so.
@Suite struct AbsurdInputTests {
    @Test(arguments: [
        "lever(\"household.recruits_per_month\", 1e19)",
        "param(\"hotels.upgrades_per_year\", lognormal(1, 15))",
        "param(\"household.workers0\", 1e19)",
        "param(\"hotels.star_count0\", 1e19)",
        "function on_month(s) if s.t == 5 then lever(\"hotels.upgrades_per_year\", 1e300) end end",
    ])
    func hugeCountsFinishWithoutATrapOrAHang(line: String) throws {
        let scenario = try CLIHarness.scenarioFile(line + "\n")
        let r = try CLIHarness.run(["run", scenario, "--runs", "300", "--format", "json"], timeLimit: 120)
        // Counts of 2^52 and more are drawn from their normal approximation: the
        // batch ends (it hung or trapped before), and absurd values show as such.
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLIHarness.json(r.stdout)["runs"] as? Int == 300)
    }

    @Test func extremeShapesRangesAndValuesGiveErrorsOrResults() throws {
        // Beta shapes so small that the gamma draws behind it underflow (0/0) are refused.
        let beta = try CLIHarness.scenarioFile("param(\"household.attrition\", beta(0.005, 0.005))\n")
        let refused = try CLIHarness.run(["run", beta, "--runs", "10"])
        #expect(refused.status == 65 && refused.stderr.contains("scenario.lua:1: beta: a must be at least 0.05, got 0.005"), "\(refused.stderr)")
        // A --vary range too wide for an Int is counted before it is converted.
        let input = try CLIHarness.scenarioFile("local n = input(\"n\", 1.0)\n")
        for range in ["n=0:1e19:1", "n=0:1:1e-320"] {
            let wide = try CLIHarness.run(["sweep", input, "--vary", range, "--runs", "10"], timeLimit: 120)
            #expect(wide.status == 64 && wide.stderr.contains("values; at most 1000"), "\(wide.stderr)")
        }
        // Bisection stops when no double lies between its ends.
        let solve = try solveForInput(default: "0.5", atLeast: "0.3", vary: "n=0:1", options: ["--tolerance", "1e-20"])
        #expect(solve.status == 0 && solve.stdout.contains("Smallest n with P(g) ≥ 50.0%: 0.3 (P = 100%"), "\(solve.stdout)")
        // Near the largest double the midpoint must not overflow.
        let extreme = try solveForInput(default: "1e308", atLeast: "1.2e308", vary: "n=1e308:1.7e308", options: ["--format", "json"])
        let answer = try #require(try CLIHarness.json(extreme.stdout)["value"] as? Double)
        #expect(extreme.status == 0 && answer >= 1.2e308 && answer < 1.21e308, "\(answer)")
        // A metric near the largest double: the report, without a histogram it cannot draw.
        let huge = try CLIHarness.scenarioFile("metric(\"x\", function(m) return 1.7e308 end)\ngoal { id = \"g\", metric = \"x\", at_least = 0 }\n")
        let report = try CLIHarness.run(["run", huge, "--runs", "10"])
        #expect(report.status == 0 && report.stdout.contains("1.7e+308"), "\(report.stdout)\(report.stderr)")
        // The per-run CSV's own columns (failed runs' messages, goals met) are not metric names.
        for (name, message) in [("failure", "'failure' is the failure column"), ("goal.mine", "'goal.mine' is named like a goal column (goal.ID)")] {
            let file = try CLIHarness.scenarioFile("metric(\"\(name)\", function(m) return 1 end)\n")
            #expect(try CLIHarness.run(["run", file, "--runs", "1"]).stderr.contains(message))
        }
        // A time limit that stops a sort names the scenario's line, not the sandbox's.
        let sorting = try CLIHarness.scenarioFile("""
            function on_month(s)
              local t = {}
              for i = 1, 2e6 do t[i] = (i * 7919) % 1000003 end
              table.sort(t, function(a, b) return a < b end)
            end
            """)
        let stopped = try CLIHarness.run(["run", sorting, "--runs", "1", "--time-limit", "0.3"], timeLimit: 120)
        #expect(stopped.status == 65 && stopped.stderr.contains("scenario.lua:4: stopped:") && !stopped.stderr.contains("sandbox"), "\(stopped.stderr)")
    }

    /// `solve` for the smallest input n whose metric n is at least `atLeast`, over one run.
    private func solveForInput(default value: String, atLeast: String, vary: String, options: [String]) throws -> CLIResult {
        let scenario = try CLIHarness.scenarioFile(
            "local n = input(\"n\", \(value))\nmetric(\"m\", function() return n end)\ngoal { id = \"g\", metric = \"m\", at_least = \(atLeast) }\n")
        return try CLIHarness.run(
            ["solve", scenario, "--vary", vary, "--goal", "g", "--probability", "0.5", "--runs", "1"] + options, timeLimit: 120)
    }

    @Test func paybackMonthsAreBoundedWhereTheyAreSet() throws {
        for key in ["voucher.payback_months", "tradein.payback_start", "tradein.payback_months"] {
            let scenario = try CLIHarness.scenarioFile("param(\"\(key)\", 1e19)\n")
            let r = try CLIHarness.run(["run", scenario, "--runs", "10"])
            #expect(r.status == 65 && r.stderr.contains("scenario.lua:1: param: \(key) must lie in [0, 600], got 1e+19"), "\(r.stderr)")
        }
    }

    @Test func tableSortIsStableAndTheSameEveryTime() throws {
        // Reverse-ordered keys with ties: Lua's own sort takes pivots from the clock here.
        let scenario = try CLIHarness.scenarioFile("""
            metric("median_id", function(m)
              local t = {}
              for i = 1, 5000 do t[i] = { key = (5000 - i) // 10, id = i } end
              table.sort(t, function(a, b) return a.key < b.key end)
              return t[2500].id
            end)
            local numbers = { 5, 3, 9, 1, 1, 7, 2 }
            table.sort(numbers)
            assert(table.concat(numbers, ",") == "1,1,2,3,5,7,9")
            table.sort(numbers, function(a, b) return a > b end)
            assert(table.concat(numbers, ",") == "9,7,5,3,2,1,1")
            """)
        for _ in 0..<3 {
            let r = try CLIHarness.run(["run", scenario, "--runs", "4", "--threads", "1", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            // Stable: key 249 holds ids 2501…2510, in their original order, at positions 2491…2500.
            #expect((try CLIHarness.json(r.stdout)["metrics"] as? [String: [String: Any]])?["median_id"]?["mean"] as? Double == 2510)
        }
        let mixed = try CLIHarness.scenarioFile("local t = { 3, 1, {}, 2 }\ntable.sort(t)\n")
        let bad = try CLIHarness.run(["run", mixed, "--runs", "1"])
        #expect(bad.status == 65 && bad.stderr.contains("scenario.lua:2: attempt to compare"), "\(bad.stderr)")
        let notATable = try CLIHarness.scenarioFile("table.sort(5)\n")
        let wrong = try CLIHarness.run(["run", notATable, "--runs", "1"])
        #expect(wrong.stderr.contains("scenario.lua:1: bad argument #1 to 'sort' (table expected, got number)"), "\(wrong.stderr)")
    }

    @Test func tableSortMatchesAStableReferenceForEverySize() throws {
        // Every size from 0 to 40 (runs of 8 and their merges, full and partial),
        // keys with ties, against an insertion sort; then a table behind a proxy.
        let scenario = try CLIHarness.scenarioFile("""
            local function reference(t, less)
              for i = 2, #t do
                local v, j = t[i], i - 1
                while j >= 1 and less(v, t[j]) do t[j + 1] = t[j]; j = j - 1 end
                t[j + 1] = v
              end
            end
            local function byKey(a, b) return a.key < b.key end
            for n = 0, 40 do
              local a, b = {}, {}
              for i = 1, n do
                local item = { key = math.random(0, 5), id = i }
                a[i], b[i] = item, item
              end
              table.sort(a, byKey)
              reference(b, byKey)
              for i = 1, n do assert(a[i] == b[i], "size " .. n .. ": position " .. i .. " differs") end
            end
            local backing = { 3, 1, 2 }
            local proxy = setmetatable({}, {
              __index = backing, __newindex = backing, __len = function() return #backing end,
            })
            table.sort(proxy)
            assert(table.concat(backing, ",") == "1,2,3", table.concat(backing, ","))
            """)
        let r = try CLIHarness.run(["run", scenario, "--runs", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let raising = try CLIHarness.scenarioFile("""
            local t = { 3, 1, 2 }
            table.sort(t, function(a, b)
              error("comparator failed")
            end)
            """)
        let failed = try CLIHarness.run(["run", raising, "--runs", "1"])
        #expect(failed.status == 65 && failed.stderr.contains("scenario.lua:3: comparator failed"), "\(failed.stderr)")
    }

    @Test func aNumberInputIsAlwaysAFloat() throws {
        // 4 and 4.0 are one input to --set, sweep and merge, so the scenario must see one value.
        let scenario = try CLIHarness.scenarioFile("""
            local n = input("n", 3)
            assert(math.type(n) == "float", "n is " .. math.type(n))
            """)
        for setting in [[], ["--set", "n=4"], ["--set", "n=4.0"], ["--set", "n=2.5"]] {
            let r = try CLIHarness.run(["run", scenario, "--runs", "1"] + setting)
            #expect(r.status == 0, "\(setting): \(r.stderr)")
        }
    }

    /// One-character file names are ordinary names: outputs, scenarios and
    /// folders in the current folder.
    @Test func oneCharacterNamesAreOrdinaryFiles() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-short-names")
        let csv = try CLIHarness.run(["run", "--runs", "100", "--runs-csv", "a", "--quiet"], in: folder)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("a"), encoding: .utf8).hasPrefix("run,"))
        let shard = try CLIHarness.run(["run", "--runs", "100", "--shard", "1/2", "--out", "s", "--quiet"], in: folder)
        #expect(shard.status == 0, "\(shard.stderr)")
        try "scenario { name = \"p\" }\n".write(to: folder.appendingPathComponent("p"), atomically: true, encoding: .utf8)
        let scenario = try CLIHarness.run(["run", "p", "--runs", "10"], in: folder)
        #expect(scenario.status == 0 && scenario.stdout.contains("Scenario  p"), "\(scenario.stderr)")
        let defs = try CLIHarness.run(["lua-defs", "--folder", "t"], in: folder)
        #expect(defs.status == 0, "\(defs.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t/types/liaosim.lua").path))
    }

    /// Command-line slips get the fix: the command meant, the form of a whole
    /// number, and where an example scenario named from elsewhere lives.
    @Test func commandLineSlipsGetTheFix() throws {
        let command = try CLIHarness.run(["runn"])
        #expect(command.status == 64 && command.stderr.contains("'runn' is not a command (did you mean 'run'?)"), "\(command.stderr)")
        let withArguments = try CLIHarness.run(["comapre", "a.lua", "b.lua", "--runs", "100"])
        #expect(withArguments.status == 64 && withArguments.stderr.contains("'comapre' is not a command (did you mean 'compare'?)"), "\(withArguments.stderr)")
        let percent = try CLIHarness.run(["solve", "scenarios/catering_budget.lua", "--vary", "catering_budget=0:40", "--goal", "hospitality_level", "--probability", "80"])
        #expect(percent.status == 64 && percent.stderr.contains("got 80 (for 80% give 0.8)"), "\(percent.stderr)")
        let shardFolder = try CLIHarness.temporaryFolder("liaosim-merge-folder")
        let mergeFolder = try CLIHarness.run(["merge", shardFolder.path])
        #expect(mergeFolder.status == 66 && mergeFolder.stderr.contains("is a folder; give the shard files in it, e.g. liaosim merge \(shardFolder.path)/*.json"), "\(mergeFolder.stderr)")
        let dash = try CLIHarness.run(["run", "--runs", "10", "--runs-csv", "-"])
        #expect(dash.status == 64 && dash.stderr.contains("--runs-csv - would write a file named '-'") && dash.stderr.contains("/dev/stdout"), "\(dash.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "-"))
        let huge = try CLIHarness.run(["run", "--seed", "99999999999999999999999"])
        #expect(huge.status == 64 && huge.stderr.contains("it is too large for a whole number here (at most 18446744073709551615)"), "\(huge.stderr)")
        #expect(huge.stderr.components(separatedBy: "(see").count == 2, "one pointer to the help: \(huge.stderr)")
        let negativeRuns = try CLIHarness.run(["run", "--runs=-99999999999999999999"])
        #expect(negativeRuns.status == 64 && negativeRuns.stderr.contains("; it cannot be negative"), "\(negativeRuns.stderr)")
        let negative = try CLIHarness.run(["run", "--seed", "-1"])
        #expect(negative.status == 64 && negative.stderr.contains("a seed is not negative"), "\(negative.stderr)")
        for runs in ["1e5", "100,000"] {
            let r = try CLIHarness.run(["run", "--runs", runs])
            #expect(r.status == 64 && r.stderr.contains("give a whole number, without separators or exponent"), "\(r.stderr)")
        }
        let folder = try CLIHarness.temporaryFolder("liaosim-elsewhere")
        let example = try CLIHarness.run(["run", "scenarios/catering_push.lua", "--runs", "10"], in: folder)
        let path = CLIHarness.repositoryRoot.appendingPathComponent("scenarios/catering_push.lua").path
        #expect(example.status == 66 && example.stderr.contains("no such scenario file; liaosim's example is \(path)"), "\(example.stderr)")
        // A file of that name that exists but cannot be read is another matter: no example then.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scenarios/catering_push.lua"), withIntermediateDirectories: true)
        let folderNamed = try CLIHarness.run(["run", "scenarios/catering_push.lua", "--runs", "10"], in: folder)
        #expect(folderNamed.status != 0 && !folderNamed.stderr.contains("liaosim's example"), "\(folderNamed.stderr)")
    }
}
