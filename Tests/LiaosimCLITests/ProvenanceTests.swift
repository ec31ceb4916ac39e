import Foundation
import Testing

/// Every output says how its runs were made (inputs, sampling, first run),
/// and what analysts rely on around that: failed runs in the CSV, lever
/// values in hooks, messages that name the option or function at fault.
@Suite struct ProvenanceTests {
    @Test func sweepSolveAndSensitivityRecordTheirInputsAndSampling() throws {
        let scenario = try CLIHarness.scenarioFile("""
            local budget = input("budget", 0.5)
            local months = input("months", 1)
            voucher { sector = "catering", start = "2025-03", months = months, budget = budget }
            """)
        let sweep = try CLIHarness.run([
            "sweep", scenario, "--vary", "budget=0,1", "--set", "months=2", "--sampling", "lhs", "--runs", "200", "--format", "json",
        ])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let swept = try CLIHarness.json(sweep.stdout)
        #expect(swept["sampling"] as? String == "lhs")
        // The varied input is given point by point, the others once.
        #expect(swept["inputs"] as? [String: Double] == ["months": 2])
        let sweepText = try CLIHarness.run(["sweep", scenario, "--vary", "budget=0,1", "--set", "months=2", "--sampling", "lhs", "--runs", "200"])
        #expect(sweepText.stdout.contains("Inputs    months = 2\n") && sweepText.stdout.contains("Sampling  Latin hypercube"), "\(sweepText.stdout)")

        let solve = try CLIHarness.run([
            "solve", scenario, "--vary", "budget=0:40", "--set", "months=3", "--goal", "hospitality_level", "--probability", "0.5",
            "--runs", "200", "--tolerance", "10", "--format", "json",
        ])
        #expect(solve.status == 0, "\(solve.stderr)")
        let solved = try CLIHarness.json(solve.stdout)
        #expect(solved["inputs"] as? [String: Double] == ["months": 3] && solved["sampling"] as? String == "random")

        let sensitivity = try CLIHarness.run([
            "sensitivity", scenario, "--set", "budget=2", "--goal", "retail_growth", "--runs", "300", "--format", "json",
        ])
        #expect(sensitivity.status == 0, "\(sensitivity.stderr)")
        #expect(try CLIHarness.json(sensitivity.stdout)["inputs"] as? [String: Double] == ["budget": 2, "months": 1])
    }

    @Test func compareSaysWhenAScenariosOwnSeedGivesWay() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-compare-seed")
        let own = folder.appendingPathComponent("own.lua").path
        try "scenario { name = \"own\", seed = 7, runs = 3000 }\n".write(toFile: own, atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["compare", "scenarios/plan.lua", own, "--runs", "50"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: [2] own asks for seed 7; compare runs every scenario with seed 20240101 and 50 runs"), "\(r.stderr)")
        let set = try CLIHarness.run(["compare", "scenarios/plan.lua", own, "--runs", "50", "--seed", "7"])
        #expect(!set.stderr.contains("note:"), "\(set.stderr)")
    }

    @Test func aLargeLoadTimeTableIsNotedOnce() throws {
        let scenario = try CLIHarness.scenarioFile("""
            local data = {}
            for i = 1, 12000 do data[i] = i end
            function on_month(state) local x = data[1] end
            """)
        let r = try CLIHarness.run(["run", scenario, "--runs", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        let notes = r.stderr.components(separatedBy: "keeps 12,000 table entries made while it loaded").count - 1
        #expect(notes == 1, "\(r.stderr)")
        #expect(try CLIHarness.run(["run", scenario, "--runs", "20", "--quiet"]).stderr.contains("note:"))
        let small = try CLIHarness.scenarioFile("local data = { 1, 2, 3 }\nfunction on_month(state) local x = data[1] end\n")
        #expect(try !CLIHarness.run(["run", small, "--runs", "20"]).stderr.contains("note:"))
    }

    @Test func aReplayedRunSaysWhichRunItIs() throws {
        let json = try CLIHarness.run(["run", "--runs", "1", "--first-run", "7", "--format", "json"])
        #expect(try CLIHarness.json(json.stdout)["first_run"] as? Int == 7)
        let text = try CLIHarness.run(["run", "--runs", "3", "--first-run", "7"])
        #expect(text.stdout.contains("Runs      3 (runs 7 to 9)   seed "), "\(text.stdout)")
        // With --keep-going the range is the runs asked for, failed ones included.
        let failing = try CLIHarness.scenarioFile("function on_month(state) if state.t == 2 and math.random() < 0.5 then error('no') end end\n")
        let kept = try CLIHarness.run(["run", failing, "--runs", "10", "--first-run", "7", "--keep-going"])
        #expect(kept.stdout.contains(" (runs 7 to 16)   seed "), "\(kept.stdout)")
        let whole = try CLIHarness.run(["run", "--runs", "10", "--format", "json"])
        #expect(try CLIHarness.json(whole.stdout)["first_run"] as? Int == 0)
    }

    @Test func keepGoingGivesFailedRunsARowInTheRunsCSV() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-csv-failures")
        let scenario = try CLIHarness.scenarioFile("""
            function on_month(state)
              if state.month == "2024-03" and state.params["growth.retail"] > 0.06 then error("too fast, \\"really\\"") end
            end
            """)
        let csv = folder.appendingPathComponent("runs.csv").path
        let r = try CLIHarness.run(["run", scenario, "--runs", "200", "--seed", "3", "--keep-going", "--runs-csv", csv, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let failed = try #require(try CLIHarness.json(r.stdout)["failed_runs"] as? Int)
        #expect(failed > 0)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(header.last == "failure" && rows.count == 201)
        // Every row, failed or not, has one cell per column (a quoted message's commas are inside its cell).
        for row in rows.dropFirst() { #expect(Self.cells(row) == header.count, "\(row)") }
        let retail = try #require(header.firstIndex(of: "growth.retail"))
        let failures = rows.dropFirst().filter { $0.hasSuffix("\"") }
        #expect(failures.count == failed)
        for row in failures {
            // The drawn parameters are there (this one caused the failure), the metrics are empty,
            // and the message is one quoted cell with its quotes doubled.
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect((Double(cells[retail]) ?? 0) > 0.06)
            // (Lua shortens a long path at its start, so the test checks the end.)
            #expect(row.hasSuffix("/scenario.lua:2: too fast, \"\"really\"\" (month 2024-03)\""), "\(row)")
            #expect(row.contains(",\""))
            #expect(cells[header.count - 2].isEmpty)  // the last goal's cell
            #expect(cells[try #require(header.firstIndex(of: "va.retail.2025"))].isEmpty)
        }
        #expect(rows.dropFirst().filter { $0.hasSuffix(",") }.count == 200 - failed)
        // Without --keep-going the file has no failure column.
        let plain = folder.appendingPathComponent("plain.csv").path
        #expect(try CLIHarness.run(["run", "--runs", "5", "--runs-csv", plain]).status == 0)
        #expect(try !String(contentsOfFile: plain, encoding: .utf8).split(separator: "\n")[0].hasSuffix(",failure"))
    }

    /// The cells of a CSV row with double-quoted fields (no line breaks).
    static func cells(_ row: String) -> Int {
        var count = 1, quoted = false
        for c in row {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { count += 1 }
        }
        return count
    }

    @Test func aHookReadsTheLeversInEffect() throws {
        let scenario = try CLIHarness.scenarioFile("""
            lever("household.recruits_per_month", 300, "2024-06")
            metric("seen", function(m) return seen end)
            function on_month(state)
              if state.t == 4 then seen = state.levers["household.recruits_per_month"] * 1000 end
              if state.t == 6 then
                seen = seen + state.levers["household.recruits_per_month"] + state.params["household.recruits_per_month"] / 1000
                lever("hotels.upgrades_per_year", 5)
              end
              if state.t == 7 then seen = seen + state.levers["hotels.upgrades_per_year"] / 100 end
            end
            """)
        let r = try CLIHarness.run(["run", scenario, "--central", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        // Month 4 (2024-05) before the lever: the drawn 130; month 6: 300, with params still 130; month 7: 5.
        let seen = try #require((try CLIHarness.json(r.stdout)["metrics"] as? [String: Double])?["seen"])
        #expect(abs(seen - (130_000 + 300 + 0.13 + 0.05)) < 1e-9, "\(seen)")
        let typo = try CLIHarness.scenarioFile("function on_month(state) local x = state.levers.recruits end\n")
        let bad = try CLIHarness.run(["run", typo, "--runs", "1"])
        #expect(bad.status == 65 && bad.stderr.contains("state.levers has no field 'recruits'; levers are household.recruits_per_month"), "\(bad.stderr)")
        // Reached through pairs or ipairs (C functions), a view's error still names the scenario's line.
        let loop = try CLIHarness.scenarioFile("function on_month(state)\n  for k in pairs(state.levers) do end\nend\n")
        #expect(try CLIHarness.run(["run", loop, "--runs", "1"]).stderr.contains("scenario.lua:2: state.levers cannot be iterated"))
        let indexed = try CLIHarness.scenarioFile("function on_month(state)\n  for i in ipairs(state.va) do end\nend\n")
        #expect(try CLIHarness.run(["run", indexed, "--runs", "1"]).stderr.contains("scenario.lua:2: state.va has no field of type number"))
    }

    @Test func messagesNameTheOptionOrFunctionAtFault() throws {
        let vary = try CLIHarness.run(["sweep", "scenarios/catering_budget.lua", "--vary", "catering_bugdet=1,2", "--runs", "10"])
        #expect(vary.status == 64 && vary.stderr.contains("--vary catering_bugdet: the scenario has no input 'catering_bugdet' (did you mean 'catering_budget'?)"), "\(vary.stderr)")
        let call = try CLIHarness.scenarioFile("vouchers { sector = \"catering\", start = \"2024-05\", budget = 0.1 }\n")
        let misspelt = try CLIHarness.run(["run", call, "--runs", "10"])
        #expect(misspelt.status == 65 && misspelt.stderr.contains("(global 'vouchers') (did you mean 'voucher'?)"), "\(misspelt.stderr)")
        // A run failing in one value's batch of a sweep names the value, and the replay sets it.
        let failing = try CLIHarness.scenarioFile(
            "local n = input(\"n\", 1)\nfunction on_month(s) if n > 1.5 and s.t == 4 then error(\"boom\") end end\n",
            name: "sweep-fail.lua")
        let swept = try CLIHarness.run(["sweep", failing, "--vary", "n=1,2", "--runs", "10"])
        #expect(swept.status == 65 && swept.stderr.contains("boom (n = 2, run 0, month 2024-05)"), "\(swept.stderr)")
        #expect(swept.stderr.contains("replay with: liaosim trace \(failing) --seed 20240101 --set n=2 --run 0"), "\(swept.stderr)")
        // solve, compare and sensitivity give the same: the value, and a line replaying the run.
        let solved = try CLIHarness.run(["solve", failing, "--vary", "n=0:2", "--goal", "all", "--probability", "0.5", "--runs", "10"])
        #expect(solved.status == 65 && solved.stderr.contains("boom (n = 2, run 0, month 2024-05)"), "\(solved.stderr)")
        #expect(solved.stderr.contains("replay with: liaosim trace \(failing) --seed 20240101 --set n=2 --run 0"), "\(solved.stderr)")
        let compared = try CLIHarness.run(["compare", "scenarios/plan.lua", failing, "--set", "n=2", "--runs", "10"])
        #expect(compared.status == 65 && compared.stderr.contains("replay with: liaosim trace \(failing) --seed 20240101 --set n=2 --run 0"), "\(compared.stderr)")
        let ranked = try CLIHarness.run(["sensitivity", failing, "--set", "n=2", "--runs", "10"])
        #expect(ranked.status == 65 && ranked.stderr.contains("replay with: liaosim trace \(failing) --seed 20240101 --set n=2 --run 0"), "\(ranked.stderr)")
        let unknown = try CLIHarness.scenarioFile("frobnicate()\n")
        let far = try CLIHarness.run(["run", unknown, "--runs", "10"])
        #expect(far.status == 65 && far.stderr.contains("(global 'frobnicate')") && !far.stderr.contains("did you mean"), "\(far.stderr)")
    }

    /// Control characters from a scenario are shown as escapes, never sent
    /// to the terminal or made into lines of their own; a NUL does not cut a
    /// message short, nor a long name make a long one.
    @Test func scenarioTextNeverDrivesTheTerminal() throws {
        let file = try CLIHarness.scenarioFile("""
            scenario { name = "a\\27[2J", description = "d\\nx\\r" }
            function on_month(s) if s.t == 2 then error("bad\\r\\nthing\\27[31m\\0end") end end
            """)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let r = try CLIHarness.run(["run", "scenario.lua", "--runs", "3", "--keep-going"], in: folder)
        #expect(!r.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(r.stdout)")
        #expect(r.stdout.contains("Scenario  a\\e[2J\n          d / x\\r\n"), "\(r.stdout)")
        #expect(r.stdout.contains("run 0: scenario.lua:2: bad / thing\\e[31m\\0end (month 2024-03)"), "\(r.stdout)")
        let inputFile = try CLIHarness.scenarioFile("local v = input('lab', 'v\\27[2J\\u{7f}\\u{85}')\n")
        let input = try CLIHarness.run(["run", inputFile, "--runs", "10"])
        #expect(input.stdout.contains("Inputs    lab = v\\e[2J\\x7F\\x85\n"), "\(input.stdout)")
        // JSON keeps the value itself, every control character written as an escape JSON reads back.
        let inputJSON = try CLIHarness.run(["run", inputFile, "--runs", "10", "--format", "json"])
        #expect(try CLIHarness.json(inputJSON.stdout)["inputs"] as? [String: String] == ["lab": "v\u{1B}[2J\u{7F}\u{85}"])
        // A file name as typed, in the note that names it and in the parser's errors.
        let named = try CLIHarness.run(["run", "--runs", "10", "--shard", "1/1", "--out", "o\u{1B}[31m.json"], in: folder)
        #expect(named.stderr.contains("to o\\e[31m.json") && !named.stderr.contains("\u{1B}"), "\(named.stderr)")
        let option = try CLIHarness.run(["run", "--x\u{1B}[31m"])
        #expect(option.status == 64 && option.stderr.contains("'--x\\e[31m'") && !option.stderr.contains("\u{1B}"), "\(option.stderr)")
        let nul = try CLIHarness.run(["run", try CLIHarness.scenarioFile("require(\"a\\0b\")\n"), "--runs", "1"])
        #expect(nul.stderr.contains("require: 'a\\0b' is not a module name"), "\(nul.stderr)")
        let long = try CLIHarness.run(["run", try CLIHarness.scenarioFile("function on_month(s) local x = s.params[string.rep('x', 1e6)] end\n"), "--runs", "1"])
        #expect(long.status == 65 && long.stderr.utf8.count < 1000 && long.stderr.contains("has no field 'xxx"), "\(long.stderr.prefix(300))")
        let nulKey = try CLIHarness.run(["run", try CLIHarness.scenarioFile("function on_month(s) local x = s.params['growth.reta\\0il'] end\n"), "--runs", "1"])
        #expect(nulKey.stderr.contains("has no field 'growth.reta\\0il'"), "\(nulKey.stderr)")
        let wide = try CLIHarness.run(["run", try CLIHarness.scenarioFile("function on_month(s) local x = s.params[string.rep('中', 100)] end\n"), "--runs", "1"])
        #expect(wide.stderr.contains("has no field '中") && wide.stderr.contains("中...'") && !wide.stderr.contains("\u{FFFD}"), "\(wide.stderr)")
    }

    @Test func paramsTakesSettingsAndShowsTheInputs() throws {
        let r = try CLIHarness.run(["params", "scenarios/catering_budget.lua", "--set", "catering_budget=2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Inputs    catering_budget = 2 (default 0.5)"), "\(r.stdout)")
        let json = try CLIHarness.run(["params", "scenarios/catering_budget.lua", "--set", "catering_budget=2", "--format", "json"])
        #expect(try CLIHarness.json(json.stdout)["inputs"] as? [String: Double] == ["catering_budget": 2])
        let typo = try CLIHarness.run(["params", "scenarios/catering_budget.lua", "--set", "catering_bdget=2"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'catering_budget'"), "\(typo.stderr)")
    }

    @Test func solveSaysWhenItCheckedOnlyTheEnds() throws {
        // Odds that peak inside the range: solve cannot see the peak, and says what it checked.
        let scenario = try CLIHarness.scenarioFile("""
            local x = input("x", 0)
            local budget = x < 5 and x or 10 - x
            voucher { sector = "catering", start = "2025-01", months = 12, budget = budget }
            """)
        let r = try CLIHarness.run([
            "solve", scenario, "--vary", "x=0:10", "--goal", "hospitality_level", "--probability", "0.3", "--runs", "300",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("No answer: P(hospitality_level) is below 30.0% at both ends of the range"), "\(r.stdout)")
        #expect(r.stdout.contains("liaosim sweep"))
    }

    @Test func traceShowsWhatAnEventsRoomNightsAdd() throws {
        let scenario = try CLIHarness.scenarioFile("event { month = \"2024-08\", room_nights = 30000 }\n")
        let text = try CLIHarness.run(["trace", scenario, "--central"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("2024-08 30,000 room-nights of star-hotel demand"), "\(text.stdout)")
        #expect(!text.stdout.contains("nothing in 2024-2025"))
        let json = try CLIHarness.run(["trace", scenario, "--central", "--format", "json"])
        let instruments = try #require(try CLIHarness.json(json.stdout)["instruments"] as? [[String: Any]])
        #expect((instruments[0]["room_nights"] as? [Double])?.reduce(0, +) == 30_000)
    }

    @Test func metricColumnsNeverRunTogether() throws {
        let scenario = try CLIHarness.scenarioFile("""
            metric("cost.yuan", function(m) return 350000000 + m["household.workers"] end)
            """)
        let r = try CLIHarness.run(["run", scenario, "--runs", "200"])
        #expect(r.status == 0, "\(r.stderr)")
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("cost.yuan ") })
        // mean, sd, P5, P50, P95: five cells, each apart from the next.
        #expect(row.split(separator: " ").count == 6, "\(row)")
    }
}
