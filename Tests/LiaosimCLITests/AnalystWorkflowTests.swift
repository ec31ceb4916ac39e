import Foundation
import Testing

/// Paired comparisons, per-run exports and sensitivity, through the binary.
@Suite struct AnalystWorkflowTests {
    @Test func comparePairsRunsAndMarksSignificantDifferences() throws {
        let r = try CLIHarness.run([
            "compare", "scenarios/plan.lua", "scenarios/household_drive.lua", "--runs", "4000", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let scenarios = try #require(try CLIHarness.json(r.stdout)["scenarios"] as? [[String: Any]])
        #expect(scenarios[0]["paired"] == nil)
        let paired = try #require(scenarios[1]["paired"] as? [String: Any])
        #expect(paired["against"] as? String == "plan")
        let goals = try #require(paired["goals"] as? [String: [String: Any]])
        // Retail does not depend on household levers: with common random numbers every run pair agrees.
        #expect(goals["retail_growth"]?["difference"] as? Double == 0)
        #expect(goals["retail_growth"]?["significant"] as? Bool == false)
        // No run differs, yet the interval is not [0, 0]: about ±3.84/runs (Tango's score interval).
        let retail = try #require(goals["retail_growth"]?["ci95"] as? [Double])
        #expect(abs(retail[1] - 3.8415 / 4000) < 1e-5 && abs(retail[0] + retail[1]) < 1e-12, "\(retail)")
        #expect(goals["retail_growth"]?["gained"] as? Int == 0 && goals["retail_growth"]?["lost"] as? Int == 0)
        let household = try #require(goals["household_platform"])
        #expect((household["difference"] as? Double ?? 0) > 0.5)
        let gained = try #require(household["gained"] as? Int), lost = try #require(household["lost"] as? Int)
        #expect(household["difference"] as? Double == Double(gained - lost) / 4000)
        #expect(household["significant"] as? Bool == true)
        let ci = try #require(household["ci95"] as? [Double])
        #expect(ci[0] > 0 && ci[0] < ci[1])
        let text = try CLIHarness.run(["compare", "scenarios/plan.lua", "scenarios/household_drive.lua", "--runs", "2000"])
        #expect(text.stdout.contains("Paired difference [2] − [1]"))
        #expect(text.stdout.contains(" *"))
        // The second scenario's own goal has a row, marked absent for the first.
        let row = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("workers_4000 ") })
        #expect(row.contains("—") && row.hasSuffix("%"), "\(row)")
    }

    /// A goal that keeps its id but tests something else is another goal: not paired, marked, not drawn on one axis.
    @Test func compareDoesNotPairAGoalWhoseTestDiffers() throws {
        func scenario(_ threshold: Int, _ name: String) throws -> String {
            try CLIHarness.scenarioFile("""
                scenario { name = "\(name)" }
                goal { id = "hosp", metric = "va.hospitality.2025", at_least = \(threshold) }
                goal { id = "retail", metric = "growth.retail.cagr", at_least = 0.06 }
                """, name: "\(name).lua")
        }
        let a = try scenario(45, "strict"), b = try scenario(40, "lenient")
        let json = try CLIHarness.run(["compare", a, b, "--runs", "1000", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let scenarios = try #require(try CLIHarness.json(json.stdout)["scenarios"] as? [[String: Any]])
        let goals = try #require((scenarios[1]["paired"] as? [String: Any])?["goals"] as? [String: Any])
        #expect(goals["retail"] != nil && goals["hosp"] == nil, "\(goals.keys)")
        let text = try CLIHarness.run(["compare", a, b, "--runs", "1000"])
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("hosp ≠ ") } && lines.contains { $0.hasPrefix("retail ") }, "\(text.stdout)")
        let unwrapped = lines.joined(separator: " ")
        #expect(unwrapped.contains("hosp tests different things in different scenarios") && unwrapped.contains("[1] va.hospitality.2025 ≥ 45, [2] va.hospitality.2025 ≥ 40"), "\(text.stdout)")
        // Three scenarios, the third differing: [2] − [1] keeps its pair, [3] − [1] has none.
        let same = try scenario(45, "strict_too")
        let three = try CLIHarness.run(["compare", a, same, b, "--runs", "500", "--format", "json"])
        let all = try #require(try CLIHarness.json(three.stdout)["scenarios"] as? [[String: Any]])
        #expect(((all[1]["paired"] as? [String: Any])?["goals"] as? [String: Any])?["hosp"] != nil)
        #expect(((all[2]["paired"] as? [String: Any])?["goals"] as? [String: Any])?["hosp"] == nil)
        #expect(!text.stdout.contains("goal hosp:") && text.stdout.contains("goal retail:"))
    }

    /// The scenarios' own metrics are compared too: their means side by side, "—" where a scenario has none.
    @Test func compareShowsTheScenariosOwnMetrics() throws {
        let r = try CLIHarness.run(["compare", "scenarios/plan.lua", "scenarios/adaptive_vouchers.lua", "--runs", "500", "--format", "json"])
        let text = try CLIHarness.run(["compare", "scenarios/plan.lua", "scenarios/adaptive_vouchers.lua", "--runs", "500"])
        let json = try CLIHarness.json(r.stdout)
        let runs = try #require(json["scenarios"] as? [[String: Any]])
        let metrics = try #require(runs[1]["metrics"] as? [String: [String: Double]])
        let mean = try #require(metrics["vouchers.extra_budget"]?["mean"])
        #expect(mean > 1 && mean < 100)  // shown with three decimals
        let row = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("vouchers.extra_budget ") })
        #expect(row.hasSuffix("—" + String(format: "%10.3f", mean)), "\(row)")
    }

    @Test func compareSendsASettingToTheScenariosThatReadIt() throws {
        let r = try CLIHarness.run([
            "compare", "scenarios/plan.lua", "scenarios/catering_budget.lua", "--set", "catering_budget=5", "--runs", "500", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let scenarios = try #require(try CLIHarness.json(r.stdout)["scenarios"] as? [[String: Any]])
        #expect((scenarios[0]["inputs"] as? [String: Any])?.isEmpty == true)
        #expect((scenarios[1]["inputs"] as? [String: Double])?["catering_budget"] == 5)
        let typo = try CLIHarness.run(["compare", "scenarios/plan.lua", "scenarios/catering_budget.lua", "--set", "catering_budgt=5"])
        #expect(typo.status == 64 && typo.stderr.contains("none of the scenarios has an input 'catering_budgt'"), "\(typo.stderr)")
    }

    @Test func runsCSVHasOneRowPerRunMatchingTheSummary() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-csv")
        let csv = folder.appendingPathComponent("runs.csv").path
        let r = try CLIHarness.run(["run", "--runs", "2500", "--seed", "6", "--format", "json", "--runs-csv", csv])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2501)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.first == "run")
        #expect(header.contains("growth.catering") && !header.contains("base.retail"))
        let column = try #require(header.firstIndex(of: "va.hospitality.2025"))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { Int($0[0])! } == Array(0..<2500))
        let mean = rows.map { Double($0[column])! }.reduce(0, +) / 2500
        let metrics = try #require(try CLIHarness.json(r.stdout)["metrics"] as? [String: [String: Double]])
        let reported = try #require(metrics["va.hospitality.2025"]?["mean"])
        #expect(abs(mean - reported) / reported < 1e-12)
        // A goal.ID column per goal, 1 or 0, whose sums are the reported successes.
        let goals = try #require(try CLIHarness.json(r.stdout)["goals"] as? [String: [String: Any]])
        #expect(goals.count == 8)
        for (id, goal) in goals {
            let goalColumn = try #require(header.firstIndex(of: "goal.\(id)"), "\(id)")
            #expect(rows.allSatisfy { $0[goalColumn] == "0" || $0[goalColumn] == "1" })
            #expect(rows.filter { $0[goalColumn] == "1" }.count == goal["successes"] as? Int, "\(id)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["runs.csv"])
    }

    @Test func sensitivityFindsTheDrivingParameter() throws {
        let r = try CLIHarness.run(["sensitivity", "--goal", "retail_growth", "--runs", "4000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIHarness.json(r.stdout)
        let rows = try #require(json["parameters"] as? [[String: Any]])
        #expect(rows.first?["key"] as? String == "growth.retail")
        #expect((rows.first?["spearman"] as? Double ?? 0) > 0.7)
        let low = try #require(rows.first?["low_fifth"] as? Double)
        let high = try #require(rows.first?["high_fifth"] as? Double)
        #expect(high > 0.8 && low < 0.05)
        // The effect's standard error is that of two independent proportions over a fifth of the runs each.
        let se = try #require(rows.first?["effect_se"] as? Double)
        #expect(abs(se - (low * (1 - low) / 800 + high * (1 - high) / 800).squareRoot()) < 1e-12)
        #expect(rows.first?["beyond_noise"] as? Bool == true)
        // Noise is marked: no row without a real effect passes the test that allows for 23 at once.
        for row in rows where abs(row["effect"] as? Double ?? 0) < 3 * (row["effect_se"] as? Double ?? 0) {
            #expect(row["beyond_noise"] as? Bool == false, "\(row)")
        }
        // Fixed parameters are not ranked.
        #expect(!rows.contains { $0["key"] as? String == "base.retail" })
        let text = try CLIHarness.run(["sensitivity", "--metric", "va.services.2025", "--runs", "2000"])
        #expect(text.status == 0 && text.stdout.contains("growth.services") && text.stdout.contains("│"))
        #expect(!text.stdout.contains("NO EFFECT BEYOND NOISE"))
        // The household goal depends on no uncertain parameter of the plan: said so, not just drawn.
        let household = try CLIHarness.run(["sensitivity", "--goal", "household_platform", "--runs", "2000"])
        #expect(household.status == 0 && household.stdout.contains("NO EFFECT BEYOND NOISE: no uncertain parameter moves"), "\(household.stdout)")
        let bad = try CLIHarness.run(["sensitivity", "--metric", "va.service.2025"])
        #expect(bad.status == 64 && bad.stderr.contains("did you mean 'va.services.2025'"))
        // A name that begins several gets them all; a goal nothing is near gets the list.
        let stem = try CLIHarness.run(["sensitivity", "--metric", "va.hospitality"])
        #expect(stem.status == 64 && stem.stderr.contains("did you mean one of 'va.hospitality.2024', 'va.hospitality.2025'?"), "\(stem.stderr)")
        let goal = try CLIHarness.run(["sensitivity", "--goal", "hotels"])
        #expect(goal.status == 64 && goal.stderr.contains("unknown goal 'hotels'; choose from retail_growth, hospitality_growth"), "\(goal.stderr)")
    }

    @Test func luaDefsWritesAnnotationsForAFolder() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-defs", create: false)
        let r = try CLIHarness.run(["lua-defs", "--folder", folder.path])
        #expect(r.status == 0 && r.stderr.contains("made the folder"), "\(r.stderr)")
        let defs = try String(contentsOf: folder.appendingPathComponent("types/liaosim.lua"), encoding: .utf8)
        #expect(defs.hasPrefix("---@meta"))
        let luarc = folder.appendingPathComponent(".luarc.json")
        #expect(FileManager.default.fileExists(atPath: luarc.path))
        // Run again: liaosim's own configuration is rewritten without a word...
        let again = try CLIHarness.run(["lua-defs", "--folder", folder.path])
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        // ...but an analyst's own is kept, with a note on what to add to it.
        let own = #"{ "runtime.version": "Lua 5.4", "diagnostics.globals": ["my_helper"] }"#
        try own.write(to: luarc, atomically: true, encoding: .utf8)
        let kept = try CLIHarness.run(["lua-defs", "--folder", folder.path])
        #expect(kept.status == 0 && kept.stderr.contains("left") && kept.stderr.contains("workspace.library"), "\(kept.stderr)")
        #expect(try String(contentsOf: luarc, encoding: .utf8) == own)
        // A mistyped folder makes no tree of folders; a file is not a folder.
        let deep = folder.appendingPathComponent("no/such/place").path
        let missing = try CLIHarness.run(["lua-defs", "--folder", deep])
        #expect(missing.status == 64 && missing.stderr.contains("there is no folder"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("no").path))
        let file = try CLIHarness.run(["lua-defs", "--folder", luarc.path])
        #expect(file.status == 64 && file.stderr.contains("is a file"), "\(file.stderr)")
    }
}

/// Inputs set from the command line, sweeps and solving for a budget.
@Suite struct InputTests {
    @Test func variationsThatCannotMeanWhatTheySayAreRefused() throws {
        let text = try CLIHarness.scenarioFile("local mode = input('mode', 'fast')\n")
        for command in [["sweep", text, "--vary", "mode=1,2"], ["solve", text, "--vary", "mode=0:1", "--goal", "all", "--probability", "0.5"]] {
            let r = try CLIHarness.run(command + ["--runs", "100"])
            #expect(r.status == 64 && r.stderr.contains("input 'mode' is a string"), "\(r.stderr)")
        }
        let budget = "scenarios/catering_budget.lua"
        let both = try CLIHarness.run(["sweep", budget, "--vary", "catering_budget=0,1", "--set", "catering_budget=3", "--runs", "100"])
        #expect(both.status == 64 && both.stderr.contains("drop the --set"), "\(both.stderr)")
        let twice = try CLIHarness.run(["sweep", budget, "--vary", "catering_budget=0,1", "--vary", "catering_budget=2,3", "--runs", "100"])
        #expect(twice.status == 64 && twice.stderr.contains("give --vary once"), "\(twice.stderr)")
        let dash = try CLIHarness.run(["solve", budget, "--vary", "catering_budget=0-40", "--goal", "all", "--probability", "0.5"])
        #expect(dash.status == 64 && dash.stderr.contains("lo:hi (solve)"), "\(dash.stderr)")
    }

    /// A range's values are the decimals they look like, so they join with `--set` runs in pandas.
    @Test func sweepRangeValuesAreTheirDecimals() throws {
        let r = try CLIHarness.run(["sweep", "scenarios/catering_budget.lua", "--vary", "catering_budget=0:1:0.1", "--runs", "50", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let points = try #require(try CLIHarness.json(r.stdout)["points"] as? [[String: Any]])
        #expect(points.compactMap { $0["value"] as? Double } == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
        // Each goal's successes, as in `run`: the probability is successes / runs.
        for point in points {
            let goal = try #require((point["goals"] as? [String: [String: Any]])?["hospitality_level"])
            let successes = try #require(goal["successes"] as? Int), runs = try #require(point["runs"] as? Int)
            #expect(goal["probability"] as? Double == Double(successes) / Double(runs))
        }
        let file = try CLIHarness.scenarioFile("local x = input('x', 0)\n")
        for (range, expected) in [("-0.3:0.3:0.1", [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]),
                                  ("1000000000000:1000000000002:1", [1e12, 1e12 + 1, 1e12 + 2])] {
            let r = try CLIHarness.run(["sweep", file, "--vary", "x=\(range)", "--runs", "10", "--format", "json"])
            let values = try #require(try CLIHarness.json(r.stdout)["points"] as? [[String: Any]]).compactMap { $0["value"] as? Double }
            #expect(values == expected, "\(range): \(values)")
            #expect(!r.stderr.contains("note"), "\(r.stderr)")
        }
        // A stop that is not a whole number of steps from the start is left out, with a note saying so.
        let short = try CLIHarness.run(["sweep", file, "--vary", "x=0:8:3", "--runs", "10", "--format", "json"])
        let shortValues = try #require(try CLIHarness.json(short.stdout)["points"] as? [[String: Any]]).compactMap { $0["value"] as? Double }
        #expect(shortValues == [0, 3, 6])
        #expect(short.stderr.contains("liaosim: note: --vary x=0:8:3 runs 0, 3, 6: the stop 8 is not a whole number of steps from the start, so it is left out; to end at 8, list the values: x=0,3,6,8"), "\(short.stderr)")
    }

    /// Failed runs listed in text keep the month (the end of the message), within 78 columns
    /// and at most four lines each however long the message; long metric names keep the columns in line.
    @Test func failureLinesAndLongNamesFitTheReport() throws {
        let file = try CLIHarness.scenarioFile("""
            metric("a.very.long.metric.name.for.the.table.columns", function(m) return 1.5 end)
            function on_month(state)
              if state.month == "2024-03" and math.random() < 0.5 then error("went wrong " .. string.rep("word ", 500)) end
            end
            """)
        let r = try CLIHarness.run(["run", file, "--runs", "20", "--keep-going"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 78 }, "\(r.stdout)")
        let first = try #require(lines.firstIndex { $0.hasPrefix("  run ") })
        #expect(lines[first + 1].hasPrefix("    ") && lines[first...].prefix(4).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ").contains("(month 2024-03)"), "\(r.stdout)")
        #expect(lines[(first + 1)...].prefix { $0.hasPrefix("    ") }.count <= 3, "at most four lines: \(r.stdout)")
        let name = try #require(lines.firstIndex { $0 == "a.very.long.metric.name.for.the.table.columns" })
        let mean = lines[name + 1]
        let header = try #require(lines.first { $0.hasPrefix("Metric ") })
        #expect(mean.hasPrefix(String(repeating: " ", count: 26)) && mean.count == header.count, "\(mean)|\(header)")
        // A message in Chinese, with no spaces: still within 78 columns (two a character), and its end kept.
        let chinese = try CLIHarness.scenarioFile("""
            function on_month(state)
              if state.month == "2024-03" and math.random() < 0.5 then error(string.rep("预算", 60) .. "超出上限") end
            end
            """)
        let c = try CLIHarness.run(["run", chinese, "--runs", "20", "--keep-going"])
        #expect(c.status == 0, "\(c.stderr)")
        let columns = { (line: String) in line.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x4E00 && $1.value <= 0x9FFF ? 2 : 1) } }
        let cLines = c.stdout.split(separator: "\n").map(String.init)
        #expect(cLines.allSatisfy { columns($0) <= 78 }, "\(c.stdout)")
        let cFirst = try #require(cLines.firstIndex { $0.hasPrefix("  run ") })
        let cMessage = cLines[cFirst...].prefix(4).map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(cMessage.contains("超出上限") && cMessage.contains("2024-03"), "\(c.stdout)")
    }

    /// A value whose every run failed (--keep-going) has no odds: its bar is empty and its odds n/a,
    /// never a crash; large values keep one form that fits the columns.
    @Test func sweepDrawsValuesWithNoOddsAndLargeValues() throws {
        let file = try CLIHarness.scenarioFile("""
            local x = input("x", 0)
            require_fail = x == 1
            goal { id = "g", metric = "va.hospitality.2025", at_least = 40 + x }
            function on_month(state) if require_fail then error("no runs at x = 1") end end
            """)
        let r = try CLIHarness.run(["sweep", file, "--vary", "x=0,1,2", "--runs", "100", "--keep-going"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("         1 │") && $0.hasSuffix("│ n/a") }, "\(r.stdout)")
        let big = try CLIHarness.run(["sweep", file, "--vary", "x=5000000,50000000,500000000", "--runs", "20"])
        let header = try #require(big.stdout.split(separator: "\n").first { $0.hasPrefix("x ") })
        #expect(header.hasSuffix("    5e+06    5e+07    5e+08"), "\(big.stdout)")
    }

    @Test func setChangesAnInputAndUnknownNamesAreRefused() throws {
        let low = try CLIHarness.run(["run", "scenarios/catering_budget.lua", "--runs", "1000", "--format", "json", "--set", "catering_budget=0"])
        let high = try CLIHarness.run(["run", "scenarios/catering_budget.lua", "--runs", "1000", "--format", "json", "--set", "catering_budget=10"])
        #expect(low.status == 0 && high.status == 0, "\(low.stderr)\(high.stderr)")
        func mean(_ r: CLIResult) throws -> Double {
            let metrics = try #require(try CLIHarness.json(r.stdout)["metrics"] as? [String: [String: Double]])
            return try #require(metrics["va.hospitality.2025"]?["mean"])
        }
        #expect(try mean(high) > mean(low) + 3)
        #expect((try CLIHarness.json(high.stdout)["inputs"] as? [String: Double])?["catering_budget"] == 10)
        let typo = try CLIHarness.run(["run", "scenarios/catering_budget.lua", "--set", "catering_budgt=1"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'catering_budget'"))
        let notNumber = try CLIHarness.run(["run", "scenarios/catering_budget.lua", "--set", "catering_budget=lots"])
        #expect(notNumber.status == 64 && notNumber.stderr.contains("takes a number"))
        let malformed = try CLIHarness.run(["run", "--set", "novalue"])
        #expect(malformed.status == 64)
    }

    /// More catering vouchers can only raise hospitality VA in the model, so
    /// with common random numbers the odds never fall along the sweep.
    @Test func sweepIsMonotoneWhereTheModelIsMonotone() throws {
        let r = try CLIHarness.run([
            "sweep", "scenarios/catering_budget.lua", "--vary", "catering_budget=0:16:4", "--runs", "2000", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let points = try #require(try CLIHarness.json(r.stdout)["points"] as? [[String: Any]])
        #expect(points.map { $0["value"] as? Double } == [0, 4, 8, 12, 16])
        let odds = points.map { (($0["goals"] as! [String: [String: Any]])["hospitality_level"]!["probability"] as! Double) }
        #expect(zip(odds, odds.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(odds.last! > odds.first! + 0.5)
        let text = try CLIHarness.run(["sweep", "scenarios/catering_budget.lua", "--vary", "catering_budget=0,8", "--runs", "1000"])
        #expect(text.stdout.contains("P(hospitality_level) against catering_budget"))
    }

    /// The answer meets the target when re-run, and a value a step below does not
    /// (within Monte Carlo error: same seed and runs, so exactly).
    @Test func solveFindsTheSmallestBudgetForEvenOdds() throws {
        let r = try CLIHarness.run([
            "solve", "scenarios/catering_budget.lua", "--vary", "catering_budget=0:40", "--goal", "hospitality_level",
            "--probability", "0.5", "--runs", "2000", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIHarness.json(r.stdout)
        let value = try #require(json["value"] as? Double)
        #expect(json["monotone"] as? Bool == true)
        func odds(_ budget: Double) throws -> Double {
            let run = try CLIHarness.run([
                "run", "scenarios/catering_budget.lua", "--runs", "2000", "--format", "json", "--set", "catering_budget=\(budget)",
            ])
            let goals = try #require(try CLIHarness.json(run.stdout)["goals"] as? [String: [String: Any]])
            return try #require(goals["hospitality_level"]?["probability"] as? Double)
        }
        #expect(try odds(value) >= 0.5)
        #expect(try odds(value - 40.0 / 256) < 0.5)
        let unreachable = try CLIHarness.run([
            "solve", "scenarios/catering_budget.lua", "--vary", "catering_budget=0:1", "--goal", "hospitality_level",
            "--probability", "0.9", "--runs", "500",
        ])
        #expect(unreachable.status == 0 && unreachable.stdout.contains("No answer: P(hospitality_level) is below 90.0% at both ends of the range"), "\(unreachable.stdout)")
        // A range whose low end already meets the target: said so, as the answer may lie below it.
        let low = ["solve", "scenarios/catering_budget.lua", "--vary", "catering_budget=20:40", "--goal", "hospitality_level", "--probability", "0.5", "--runs", "500"]
        let lowText = try CLIHarness.run(low)
        #expect(lowText.status == 0 && lowText.stdout.contains("ALREADY MET AT THE LOW END: the range starts at 20"), "\(lowText.stdout)")
        let lowJSON = try CLIHarness.json(try CLIHarness.run(low + ["--format", "json"]).stdout)
        #expect(lowJSON["value"] as? Double == 20 && lowJSON["met_at_low_end"] as? Bool == true && lowJSON["monotone"] is NSNull)
        #expect(json["met_at_low_end"] as? Bool == false)
    }
}

/// `trace` replays one run of a batch exactly.
@Suite struct TraceTests {
    @Test(arguments: ["scenarios/plan.lua", "scenarios/adaptive_vouchers.lua"])
    func traceMetricsEqualWhatTheBatchRecordedForThatRun(scenario: String) throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-trace")
        let csv = folder.appendingPathComponent("runs.csv").path
        let batch = try CLIHarness.run(["run", scenario, "--runs", "40", "--seed", "31", "--runs-csv", csv, "--threads", "2"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        for run in [0, 17, 39] {
            let trace = try CLIHarness.run(["trace", scenario, "--run", "\(run)", "--seed", "31", "--format", "json"])
            #expect(trace.status == 0, "\(trace.stderr)")
            let json = try CLIHarness.json(trace.stdout)
            #expect(json["run"] as? Int == run)
            let metrics = try #require(json["metrics"] as? [String: Double])
            let row = lines[run + 1]
            for (name, value) in metrics {
                let column = try #require(header.firstIndex(of: name))
                // Both sides print the shortest round-trip decimal; Foundation's JSON
                // reader may land one unit in the last place away, hence 1e-14.
                let recorded = try #require(Double(row[column]))
                #expect(abs(recorded - value) <= 1e-14 * max(abs(value), 1e-300), "run \(run) \(name)")
            }
            let instruments = try #require(json["instruments"] as? [[String: Any]])
            #expect(instruments.count >= 24)
            let monthly = try #require(json["monthly"] as? [String: Any])
            #expect((monthly["retail"] as? [Double])?.count == 24)
            // The text gives the drawn parameters too, the same values as the JSON.
            let text = try CLIHarness.run(["trace", scenario, "--run", "\(run)", "--seed", "31"])
            let parameters = try #require(json["parameters"] as? [String: Double])
            let drawn = try #require(parameters["growth.retail"])
            #expect(text.stdout.contains("Parameters drawn for this run"), "\(text.stdout)")
            #expect(text.stdout.contains(String(format: "growth.retail%25.4f", drawn)), "\(text.stdout)")
        }
    }

    @Test func traceOfAFailingRunShowsTheMonthsBeforeTheFailure() throws {
        let file = try CLIHarness.scenarioFile("""
            function on_month(state)
              if state.month == "2024-06" then error("boom in june") end
            end
            """)
        let text = try CLIHarness.run(["trace", file, "--run", "5"])
        #expect(text.status == 65 && text.stderr.contains("boom in june (run 5, month 2024-06)"), "\(text.stderr)")
        #expect(text.stdout.contains("RUN FAILED") && text.stdout.contains("\n2024-06 ") && !text.stdout.contains("\n2024-07 "), "\(text.stdout)")
        #expect(!text.stdout.contains("Metric "))
        let json = try CLIHarness.run(["trace", file, "--run", "5", "--format", "json"])
        #expect(json.status == 65)
        let object = try CLIHarness.json(json.stdout)
        #expect((object["failure"] as? [String: Any])?["month"] as? String == "2024-06")
        #expect(object["goals"] is NSNull && object["metrics"] is NSNull)
        #expect(((object["monthly"] as? [String: Any])?["retail"] as? [Double])?.count == 6)
        // Instruments are shown up to the failure too.
        let instruments = try #require(object["instruments"] as? [[String: Any]])
        #expect(instruments.allSatisfy { ($0["value_added"] as? [Double])?.count == 6 })
        // A failing metric: every month, no goals or metrics.
        let metric = try CLIHarness.scenarioFile("metric('bad', function(m) return nil end)\n")
        let late = try CLIHarness.run(["trace", metric, "--run", "2"])
        #expect(late.status == 65 && late.stdout.contains("\n2025-12 ") && late.stdout.contains("RUN FAILED"), "\(late.stdout)")
        // A scenario whose load-time table (and the copy kept of it) is too big for the cap: no months.
        let big = try CLIHarness.scenarioFile("""
            local data = {}
            for i = 1, 40000 do data[i] = i + 0.5 end
            function on_month(state) local x = data[1] end
            """)
        let early = try CLIHarness.run(["trace", big, "--run", "0", "--memory-limit", "2"])
        #expect(early.status == 65 && early.stderr.contains("more than 2 MiB of memory") && !early.stdout.contains("\n2024-01 "), "\(early.stdout)\(early.stderr)")
        // The time limit of a trace is the one given.
        let loop = try CLIHarness.scenarioFile("function on_month(s) if s.month == '2024-02' then while true do end end end\n")
        let stopped = try CLIHarness.run(["trace", loop, "--run", "0", "--time-limit", "0.3"])
        #expect(stopped.status == 65 && stopped.stderr.contains("more than 0.3 seconds"), "\(stopped.stderr)")
    }

    /// Run K of a Latin hypercube study depends on the study's size: a trace without --runs says which it assumed.
    @Test func lhsTraceSaysWhichStudySize() throws {
        let assumed = try CLIHarness.run(["trace", "--sampling", "lhs", "--run", "4", "--format", "json"])
        #expect(assumed.status == 0 && assumed.stderr.contains("tracing run 4 of a study of 20,000 runs (the scenario's runs); give the batch's --runs"), "\(assumed.stderr)")
        let given = try CLIHarness.run(["trace", "--sampling", "lhs", "--runs", "300", "--run", "4", "--format", "json"])
        #expect(given.status == 0 && given.stderr.isEmpty, "\(given.stderr)")
        #expect(given.stdout != assumed.stdout)
    }

    @Test func traceShowsWhatTheHookDid() throws {
        // The limits of `run` apply to a trace too: a scenario that needs them can be traced.
        let r = try CLIHarness.run(["trace", "scenarios/adaptive_vouchers.lua", "--run", "3", "--time-limit", "10", "--memory-limit", "64"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("What on_month did"))
        #expect(r.stdout.contains("voucher catering 0.1亿元"))
        // The month the hook scheduled it in is never cut off by the line's width.
        #expect(r.stdout.contains("[scheduled in 2024-01]"), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let central = try CLIHarness.run(["trace", "--central", "--format", "json"])
        let metrics = try #require(try CLIHarness.json(central.stdout)["metrics"] as? [String: Double])
        #expect(abs(metrics["va.hospitality.2025"]! - 40.964257894706684) < 1e-9)
        // The central path's counts are expectations: the text keeps their fractions.
        let monthly = try #require(try CLIHarness.json(central.stdout)["monthly"] as? [String: Any])
        let hotels = try #require(monthly["hotels"] as? [Double])
        #expect(hotels[3] != hotels[3].rounded())
        let centralText = try CLIHarness.run(["trace", "--central"])
        #expect(centralText.stdout.contains("Parameters at their central values"), "\(centralText.stdout)")
        let april = try #require(centralText.stdout.split(separator: "\n").first { $0.hasPrefix("2024-04") })
        #expect(april.contains(String(format: " %.2f ", hotels[3])), "\(april)")
        let bad = try CLIHarness.run(["trace"])
        #expect(bad.status == 64 && bad.stderr.contains("--run N or --central"))
    }

    @Test func aFileThatRequiresThePlanIsNamedAfterItself() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-own-name")
        try FileManager.default.copyItem(
            at: CLIHarness.repositoryRoot.appendingPathComponent("scenarios/plan.lua"), to: folder.appendingPathComponent("plan.lua"))
        let mine = folder.appendingPathComponent("more_vouchers.lua")
        try "require(\"plan\")\nvoucher { sector = 'catering', start = '2025-03', budget = 0.5 }\n"
            .write(to: mine, atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["run", mine.path, "--runs", "200", "--format", "json"])
        let json = try CLIHarness.json(r.stdout)
        #expect(json["scenario"] as? String == "more_vouchers" && json["description"] as? String == "", "\(r.stderr)")
        // Without plan.lua beside it, the message says where to get it.
        let alone = try CLIHarness.scenarioFile("require(\"plan\")\n")
        let missing = try CLIHarness.run(["run", alone, "--runs", "10"])
        #expect(missing.status == 65 && missing.stderr.contains("copy plan.lua from liaosim's scenarios/ folder"), "\(missing.stderr)")
    }

    @Test func whatAFilePrintsWhileLoadingAppearsOnce() throws {
        let file = try CLIHarness.scenarioFile("print('loaded once')\nfunction on_month(state) end\n")
        for threads in [1, 3] {
            let r = try CLIHarness.run(["run", file, "--runs", "50", "--threads", "\(threads)"])
            #expect(r.stderr.components(separatedBy: "loaded once").count == 2, "\(threads) threads: \(r.stderr)")
        }
    }

    @Test func paramsShowsLeversAndCorrelations() throws {
        let levers = try CLIHarness.run(["params", "scenarios/household_drive.lua"])
        let recruits = try #require(levers.stdout.range(of: "household.recruits_per_month\n"))
        #expect(levers.stdout[recruits.upperBound...].prefix(200).contains("lever: 160 from 2024-07"), "\(levers.stdout)")
        let file = try CLIHarness.scenarioFile("correlate(\"growth.retail\", \"growth.catering\", 0.6)\n")
        let text = try CLIHarness.run(["params", file])
        #expect(text.stdout.contains("rank correlation 0.6000 with growth.catering"), "\(text.stdout)")
        let json = try CLIHarness.json(try CLIHarness.run(["params", file, "--format", "json"]).stdout)
        let correlations = try #require(json["correlations"] as? [[String: Any]])
        #expect(correlations.count == 1 && correlations[0]["rank"] as? Double == 0.6)
    }

    /// Every assumption behind a number is in `params`: the goals' tests, the
    /// instruments scheduled for every run, and the seasonal factors (JSON too).
    @Test func paramsShowsGoalsInstrumentsAndSeasonalFactors() throws {
        let text = try CLIHarness.run(["params"])
        #expect(text.stdout.contains("    hospitality_level: va.hospitality.2025 ≥ 50\n"), "\(text.stdout)")
        #expect(text.stdout.contains("    voucher catering 0.05亿元 threshold from 2024-05\n"), "\(text.stdout)")
        #expect(text.stdout.contains("hotel_project 180 rooms planned 2025-11, delay mean 3 months, cancel 0.15"), "\(text.stdout)")
        let json = try CLIHarness.json(try CLIHarness.run(["params", "--format", "json"]).stdout)
        let goals = try #require(json["goals"] as? [[String: Any]])
        #expect(goals.contains { $0["id"] as? String == "star_hotels" && $0["test"] as? String == "hotels.star_count ≥ 35" })
        let instruments = try #require(json["instruments"] as? [String])
        #expect(instruments.count == 29 && instruments.filter { $0.hasPrefix("tradein ") }.count == 4)
        let seasonal = try #require(json["seasonal_factors"] as? [String: [String: Any]])
        #expect((seasonal["catering"]?["factors"] as? [Double])?.count == 12)
        // The factors the model applies average 1; the sources' own need not (catering's sum to 12.02).
        let used = try #require(seasonal["catering"]?["used"] as? [Double])
        #expect(used.count == 12 && abs(used.reduce(0, +) - 12) < 1e-9)
        let raw = try #require(seasonal["catering"]?["factors"] as? [Double])
        for (u, f) in zip(used, raw) { #expect(abs(u - f * 12 / raw.reduce(0, +)) < 1e-12) }
    }

    @Test func theScenariosOwnMetricsAreInTheTextReport() throws {
        let r = try CLIHarness.run(["run", "scenarios/adaptive_vouchers.lua", "--runs", "300"])
        #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("vouchers.extra_budget ") }, "\(r.stdout)")
    }

    /// A value far outside anything plausible (a slip of unit) gets one note
    /// naming the file, line and the unit, however often the scenario loads,
    /// --quiet or not. The result is still computed.
    @Test func unitSlipsGetANoteOnce() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-slip")
        let scenario = folder.appendingPathComponent("slip.lua").path
        try """
            scenario { name = "slip" }
            local budget = input("budget", 1)
            param("growth.catering", normal(7, 3))
            voucher { sector = "catering", start = "2025-05", budget = budget }
            voucher { sector = "retail", start = "2025-12", months = input("months", 2), budget = 0.01 }
            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let run = try CLIHarness.run(["run", scenario, "--runs", "200"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("liaosim: note: \(scenario):3: param 'growth.catering': the median is 7 per year (real), far outside -0.5 to 0.5; rates are fractions: 0.07 is 7%. Check the unit"), "\(run.stderr)")
        let sweep = try CLIHarness.run(["sweep", scenario, "--vary", "budget=20:50:10", "--runs", "100"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        // Once per place, not per value (the budget's note changes with the value).
        #expect(sweep.stderr.components(separatedBy: "growth.catering").count == 2, "\(sweep.stderr)")
        #expect(sweep.stderr.components(separatedBy: "voucher: the budget is").count == 2, "\(sweep.stderr)")
        // A voucher running past 2025-12: one note, whatever the months a sweep gives it.
        let months = try CLIHarness.run(["sweep", scenario, "--vary", "months=3:6:1", "--runs", "20"])
        #expect(months.stderr.components(separatedBy: "months fall after 2025-12").count == 2, "\(months.stderr)")
        #expect(run.stderr.contains("slip.lua:5: voucher: 1 of its 2 months falls after 2025-12, outside the simulated period, and its share"), "\(run.stderr)")
        // --quiet hides only the progress line: a script that adds it keeps the check.
        let quiet = try CLIHarness.run(["run", scenario, "--runs", "200", "--quiet", "--set", "budget=30000000"])
        #expect(quiet.status == 0 && quiet.stderr.contains("slip.lua:4: voucher: the budget is 30000000 亿元"), "\(quiet.stderr)")
        // solve tries many values: the notes show once.
        let solve = try CLIHarness.run(["solve", scenario, "--vary", "budget=0:40", "--goal", "hospitality_level", "--probability", "0.5", "--runs", "100"])
        #expect(solve.stderr.components(separatedBy: "growth.catering").count == 2, "\(solve.stderr)")
        let loud = try CLIHarness.run(["params", scenario, "--set", "budget=30000000"])
        #expect(loud.stderr.contains("slip.lua:4: voucher: the budget is 30000000 亿元"), "\(loud.stderr)")
        // Lua shortens a long file name to its last 60 characters; messages give it whole.
        #expect(scenario.utf8.count > 60)
        try "scenario { name = \"slip\" }\nparam(\"nope\", 1)\n".write(toFile: scenario, atomically: true, encoding: .utf8)
        let error = try CLIHarness.run(["run", scenario, "--runs", "10"])
        #expect(error.status == 65 && error.stderr.hasPrefix("liaosim: error: \(scenario):2: param: unknown parameter 'nope'"), "\(error.stderr)")
    }

    /// A file's on_month that replaces the one of a module it requires is
    /// noted (the module's monthly rules would silently stop); one that keeps
    /// the module's hook and calls it is not.
    @Test func aReplacedModuleHookIsNoted() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-hooks")
        try """
            scenario { name = "rules" }
            function on_month(state) end
            """.write(to: folder.appendingPathComponent("rules.lua"), atomically: true, encoding: .utf8)
        try "require(\"rules\")\nscenario { name = \"mine\" }\nfunction on_month(state) end\n"
            .write(to: folder.appendingPathComponent("mine.lua"), atomically: true, encoding: .utf8)
        try "require(\"rules\")\nscenario { name = \"both\" }\nlocal module_hook = on_month\nfunction on_month(state) module_hook(state) end\n"
            .write(to: folder.appendingPathComponent("both.lua"), atomically: true, encoding: .utf8)
        let replaced = try CLIHarness.run(["run", "mine.lua", "--runs", "20"], in: folder)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stderr.contains("liaosim: note: mine.lua:3: on_month replaces the one that module 'rules' set; that one now runs only if yours calls it"), "\(replaced.stderr)")
        let kept = try CLIHarness.run(["run", "both.lua", "--runs", "20"], in: folder)
        #expect(kept.status == 0 && !kept.stderr.contains("note"), "\(kept.stderr)")
        // Kept in a global or a module's table and called from there: no note either;
        // nor for a module that mentions on_month only in a comment.
        try "require(\"rules\")\nbase_hook = on_month\nfunction on_month(state) base_hook(state) end\n"
            .write(to: folder.appendingPathComponent("global.lua"), atomically: true, encoding: .utf8)
        try "-- function on_month(state) end\nreturn { x = 1 }\n".write(to: folder.appendingPathComponent("quiet.lua"), atomically: true, encoding: .utf8)
        try "require(\"quiet\")\nfunction on_month(state) end\n".write(to: folder.appendingPathComponent("after_quiet.lua"), atomically: true, encoding: .utf8)
        for file in ["global.lua", "after_quiet.lua"] {
            let r = try CLIHarness.run(["run", file, "--runs", "20"], in: folder)
            #expect(r.status == 0 && !r.stderr.contains("note"), "\(file): \(r.stderr)")
        }
        // Two modules' hooks replaced: two notes. A module that requires the one
        // with the hook does not take it for its own.
        try "function on_month(state) end\n".write(to: folder.appendingPathComponent("more_rules.lua"), atomically: true, encoding: .utf8)
        try "require(\"rules\")\nreturn {}\n".write(to: folder.appendingPathComponent("outer.lua"), atomically: true, encoding: .utf8)
        try "require(\"outer\")\nrequire(\"more_rules\")\nfunction on_month(state) end\n"
            .write(to: folder.appendingPathComponent("two.lua"), atomically: true, encoding: .utf8)
        let two = try CLIHarness.run(["run", "two.lua", "--runs", "20"], in: folder)
        #expect(two.stderr.contains("module 'rules' set") && two.stderr.contains("module 'more_rules' set"), "\(two.stderr)")
        #expect(!two.stderr.contains("module 'outer'"), "\(two.stderr)")
    }

    /// Metrics that are not numbers keep their kind in the per-run CSV, as pandas reads them.
    @Test func nonFiniteMetricsAreWrittenAsPandasReadsThem() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-nonfinite")
        try """
            scenario { name = "odd" }
            metric("nan", function(m) return 0/0 end)
            metric("up", function(m) return 1/0 end)
            metric("down", function(m) return -1/0 end)
            """.write(to: folder.appendingPathComponent("odd.lua"), atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["run", "odd.lua", "--runs", "3", "--runs-csv", "runs.csv", "--quiet"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: folder.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        let cell = { (name: String) in header.firstIndex(of: Substring(name)).map { String(row[$0]) } }
        #expect(cell("nan") == "nan" && cell("up") == "inf" && cell("down") == "-inf", "\(lines[1])")
    }

    /// sweep shows the scenario's own metrics beside the odds, and each JSON
    /// point the means of every metric, equal to a run at that value.
    @Test func sweepShowsOwnMetricMeans() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-sweep-means")
        try """
            scenario { name = "spend" }
            local margin = input("margin", 1)
            local spent = 0
            function on_month(state)
              if state.t == 0 then spent = 0 end
              if state.ytd.hospitality < margin * 2 then spent = spent + 0.05 end
            end
            metric("subsidy.spent", function(m) return spent end)
            """.write(to: folder.appendingPathComponent("spend.lua"), atomically: true, encoding: .utf8)
        let text = try CLIHarness.run(["sweep", "spend.lua", "--vary", "margin=0:4:2", "--runs", "300"], in: folder)
        #expect(text.status == 0, "\(text.stderr)")
        let row = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix(" subsidy.spent") })
        #expect(row.split(separator: " ").count == 4, "\(row)")
        let json = try CLIHarness.run(["sweep", "spend.lua", "--vary", "margin=0:4:2", "--runs", "300", "--format", "json"], in: folder)
        let points = try #require(try CLIHarness.json(json.stdout)["points"] as? [[String: Any]])
        let means = try #require(points[1]["means"] as? [String: Double])
        let alone = try CLIHarness.run(["run", "spend.lua", "--set", "margin=2", "--runs", "300", "--format", "json"], in: folder)
        let metrics = try #require(try CLIHarness.json(alone.stdout)["metrics"] as? [String: [String: Any]])
        #expect(means["subsidy.spent"] == metrics["subsidy.spent"]?["mean"] as? Double)
        #expect(means["va.retail.2025"] == metrics["va.retail.2025"]?["mean"] as? Double)
    }
}
