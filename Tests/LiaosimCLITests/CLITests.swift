import Foundation
import Testing

/// The command-line tool end to end, through the built binary.
@Suite struct CLITests {
    @Test func runPrintsGoalOddsPercentilesAndHistograms() throws {
        let r = try CLIHarness.run(["run", "--runs", "2000", "--seed", "11"])
        #expect(r.status == 0, "\(r.stderr)")
        for goal in ["retail_growth", "hospitality_growth", "hospitality_level", "star_hotels", "services_growth",
                     "services_level", "household_platform", "all"] {
            #expect(r.stdout.contains(goal))
        }
        #expect(r.stdout.contains("P(met)") && r.stdout.contains("95% CI") && r.stdout.contains("P50"))
        #expect(r.stdout.contains("█"))
        #expect(r.stdout.contains("▲ ≥ 35"))
        #expect(r.stdout.contains("runs/s"))
        for line in r.stdout.split(separator: "\n") {
            #expect(line.count <= 80, "line over 80 columns: \(line)")
        }
    }

    @Test func jsonFollowsTheContract() throws {
        let r = try CLIHarness.run(["run", "--runs", "1000", "--seed", "3", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIHarness.json(r.stdout)
        #expect(json["scenario"] as? String == "plan")
        #expect(json["runs"] as? Int == 1000)
        #expect(json["seed"] as? Int == 3)
        let goals = try #require(json["goals"] as? [String: [String: Any]])
        #expect(goals.count == 8)
        let retail = try #require(goals["retail_growth"])
        let p = try #require(retail["probability"] as? Double)
        let ci = try #require(retail["ci95"] as? [Double])
        #expect(ci.count == 2 && ci[0] <= p && p <= ci[1])
        #expect(retail["label"] is String)
        let metrics = try #require(json["metrics"] as? [String: [String: Double]])
        #expect(metrics.count == 34)
        for (name, summary) in metrics {
            for key in ["mean", "sd", "p5", "p25", "p50", "p75", "p95"] {
                #expect(summary[key] != nil, "\(name) lacks \(key)")
            }
            #expect(summary["p5"]! <= summary["p50"]! && summary["p50"]! <= summary["p95"]!)
        }
    }

    @Test func sameSeedGivesTheSameBytesWhateverTheThreads() throws {
        let a = try CLIHarness.run(["run", "--runs", "3000", "--seed", "42", "--format", "json", "--threads", "1"])
        let b = try CLIHarness.run(["run", "--runs", "3000", "--seed", "42", "--format", "json", "--threads", "2"])
        let c = try CLIHarness.run(["run", "--runs", "3000", "--seed", "43", "--format", "json"])
        #expect(a.status == 0 && b.status == 0 && c.status == 0)
        #expect(CLIHarness.withoutTiming(a.stdout) == CLIHarness.withoutTiming(b.stdout))
        #expect(CLIHarness.withoutTiming(a.stdout) != CLIHarness.withoutTiming(c.stdout))
    }

    @Test func centralPathWorksFromAnyDirectory() throws {
        let r = try CLIHarness.run(["run", "--central", "--format", "json"], in: FileManager.default.temporaryDirectory)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIHarness.json(r.stdout)
        let metrics = try #require(json["metrics"] as? [String: Double])
        #expect(abs(metrics["va.hospitality.2025"]! - 40.964257894706684) < 1e-9)
        let monthly = try #require(json["monthly"] as? [String: Any])
        #expect((monthly["retail"] as? [Double])?.count == 24)
        let text = try CLIHarness.run(["run", "--central"])
        #expect(text.stdout.contains("2025-12") && text.stdout.contains("Month by month"))
    }

    @Test func compareShowsEveryScenarioOnOneAxis() throws {
        let more = try CLIHarness.scenarioFile("""
            scenario { name = "more_catering" }
            for _, month in ipairs({ "2024-05", "2024-10", "2025-05", "2025-10" }) do
              voucher { sector = "catering", start = month, budget = 1.0 }
            end
            """)
        let r = try CLIHarness.run(["compare", "scenarios/plan.lua", more, "--runs", "2000"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("[1] plan") && r.stdout.contains("[2] more_catering"))
        let json = try CLIHarness.json(try CLIHarness.run(["compare", "scenarios/plan.lua", more, "--runs", "2000", "--format", "json"]).stdout)
        let scenarios = try #require(json["scenarios"] as? [[String: Any]])
        #expect(scenarios.count == 2)
        func p(_ s: [String: Any]) -> Double { ((s["metrics"] as! [String: [String: Double]])["va.hospitality.2025"]!)["mean"]! }
        #expect(p(scenarios[1]) > p(scenarios[0]))
    }

    @Test func paramsListsEveryParameterWithItsSource() throws {
        let r = try CLIHarness.run(["params"])
        #expect(r.status == 0)
        for key in ["base.retail", "growth.catering", "voucher.leverage", "hotels.delist_rate", "household.additionality"] {
            #expect(r.stdout.contains(key))
        }
        #expect(r.stdout.contains("Xing et al."))
        let file = try CLIHarness.scenarioFile("param(\"growth.catering\", normal(0.09, 0.02))")
        let changed = try CLIHarness.run(["params", file, "--format", "json"])
        let json = try CLIHarness.json(changed.stdout)
        let params = try #require(json["parameters"] as? [[String: Any]])
        let catering = try #require(params.first { $0["key"] as? String == "growth.catering" })
        #expect(catering["central"] as? Double == 0.09)
        #expect((catering["source"] as? String)?.contains("scenario.lua:1") == true)
    }

    @Test(arguments: [
        (["run", "no/such/file.lua"], Int32(66), "no such scenario file"),
        (["run", "--runs", "0"], Int32(64), "--runs must be at least 1"),
        (["run", "--threads", "0"], Int32(64), "--threads"),
        (["run", "--format", "xml"], Int32(64), "xml"),
        (["compare", "scenarios/plan.lua"], Int32(64), "at least two"),
        (["run", "scenarios"], Int32(66), "is a folder"),
        (["run", "--runs", "-5"], Int32(64), "--runs must be at least 1, got -5"),
        (["run", "--bogus"], Int32(64), "Unknown option '--bogus'"),
    ])
    func badCommandLinesExitWithUsageOrInputCodes(arguments: [String], status: Int32, fragment: String) throws {
        let r = try CLIHarness.run(arguments)
        #expect(r.status == status, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func emptyAndNonUTF8FilesAreBadData() throws {
        let empty = try CLIHarness.scenarioFile("  \n")
        let r = try CLIHarness.run(["run", empty])
        #expect(r.status == 65 && r.stderr.contains("the scenario file is empty"))
        let latin1 = try CLIHarness.scenarioFile("")
        try Data([0x2D, 0x2D, 0x20, 0xE9, 0x74, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        let bad = try CLIHarness.run(["run", latin1])
        #expect(bad.status == 65 && bad.stderr.contains("\(latin1):1: not UTF-8 text (byte 0xE9 at offset 3); save the file as UTF-8"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
        // A comment saved as GBK on the third line: the line is named, and how to convert.
        try Data(Array("scenario { name = \"x\" }\n\n-- ".utf8) + [0xC4, 0xFA, 0xBA, 0xC3, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        let gbk = try CLIHarness.run(["run", latin1])
        #expect(gbk.status == 65 && gbk.stderr.contains("\(latin1):3: not UTF-8 text (byte 0xC4") && gbk.stderr.contains("iconv -f GBK -t UTF-8"), "\(gbk.stderr)")
    }

    @Test func scenarioMistakeGivesOneLineWithFileAndLine() throws {
        let file = try CLIHarness.scenarioFile("\n\nvoucher { sector = \"catering\", start = \"2024-05\", budjet = 0.1 }\n")
        let r = try CLIHarness.run(["run", file])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.contains("scenario.lua:3:") && r.stderr.contains("did you mean 'budget'"))
    }

    @Test func failingRunNamesRunMonthAndReplayCommand() throws {
        let file = try CLIHarness.scenarioFile("function on_month(state)\n  if state.month == \"2025-02\" then error(\"boom\") end\nend\n")
        let r = try CLIHarness.run(["run", file, "--runs", "10", "--seed", "9"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("scenario.lua:2: boom") && r.stderr.contains("month 2025-02"))
        #expect(r.stderr.contains("--seed 9"))
    }

    @Test func analystScenariosRun() throws {
        let folder = CLIHarness.repositoryRoot.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".lua") }
        #expect(files.count >= 4)
        for file in files {
            let r = try CLIHarness.run(["run", "scenarios/\(file)", "--runs", "500", "--format", "json"])
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
    }
}

/// Runaway and greedy scenarios end with a clear message, never a hang or a kill.
@Suite struct CLILimitTests {
    @Test func endlessLoopInTheHookStopsWithinTheTimeLimit() throws {
        let file = try CLIHarness.scenarioFile("""
            function on_month(state)
              if state.month == "2024-04" then
                while true do pcall(function() end) end
              end
            end
            """)
        let start = Date()
        let r = try CLIHarness.run(["run", file, "--runs", "4", "--time-limit", "0.5"])
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(r.status == 65)
        #expect(r.stderr.contains("scenario.lua:3:") && r.stderr.contains("stopped") && r.stderr.contains("month 2024-04"))
    }

    @Test func endlessLoopAtLoadTimeStops() throws {
        let file = try CLIHarness.scenarioFile("local x = 0\nwhile true do x = x + 1 end\n")
        let start = Date()
        let r = try CLIHarness.run(["run", file, "--time-limit", "1"])
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(r.status == 65 && r.stderr.contains("scenario.lua:2:"))
    }

    @Test func memoryHogHitsTheCap() throws {
        let file = try CLIHarness.scenarioFile("""
            local t = {}
            for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
            """)
        let r = try CLIHarness.run(["run", file, "--memory-limit", "32"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("more than 32 MiB"), "\(r.stderr)")
    }
}
