import Foundation
import Testing

/// Large studies: threads, shards and merges give one machine's answer, byte
/// for byte; batches stop at a precision; Ctrl-C keeps a partial result.
@Suite struct ScaleTests {
    @Test func outputIsIdenticalForOneTwoAndEightThreads() throws {
        let outputs = try [1, 2, 8].map { threads in
            let r = try CLIHarness.run(["run", "--runs", "4000", "--seed", "5", "--format", "json", "--threads", "\(threads)"])
            #expect(r.status == 0, "\(r.stderr)")
            return CLIHarness.withoutTiming(r.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test func hookScenarioIsIdenticalForAnyThreads() throws {
        let a = try CLIHarness.run(["run", "scenarios/adaptive_vouchers.lua", "--runs", "600", "--format", "json", "--threads", "1"])
        let b = try CLIHarness.run(["run", "scenarios/adaptive_vouchers.lua", "--runs", "600", "--format", "json", "--threads", "8"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(CLIHarness.withoutTiming(a.stdout) == CLIHarness.withoutTiming(b.stdout))
    }

    @Test func mergedShardsEqualOneMachine() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-shards")
        let whole = try CLIHarness.run(["run", "--runs", "5001", "--seed", "8", "--format", "json"])
        var files: [String] = []
        for k in [3, 1, 2] {
            let file = folder.appendingPathComponent("shard-\(k).json").path
            let r = try CLIHarness.run(["run", "--runs", "5001", "--seed", "8", "--shard", "\(k)/3", "--out", file, "--threads", "\(k)"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            files.append(file)
        }
        let merged = try CLIHarness.run(["merge", "--format", "json"] + files)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(CLIHarness.withoutTiming(merged.stdout) == CLIHarness.withoutTiming(whole.stdout))
        let text = try CLIHarness.run(["merge"] + files)
        #expect(text.stdout.contains("Runs      5,001"))
        // No speed for a merge: the shards ran apart; their time in all instead.
        #expect(text.stdout.contains("Merged    3 shard files, whose runs took") && !text.stdout.contains("runs/s"), "\(text.stdout)")

        // Incomplete sets and mixed studies are refused.
        let missing = try CLIHarness.run(["merge"] + files.dropLast())
        #expect(missing.status == 65 && missing.stderr.contains("missing"))
        let other = folder.appendingPathComponent("other-seed.json").path
        _ = try CLIHarness.run(["run", "--runs", "5001", "--seed", "9", "--shard", "2/3", "--out", other])
        let mixed = try CLIHarness.run(["merge", files[1], other, files[0]])
        #expect(mixed.status == 65 && mixed.stderr.contains("different seeds"))
        let scenario = folder.appendingPathComponent("hotel.json").path
        _ = try CLIHarness.run(["run", "scenarios/household_drive.lua", "--runs", "5001", "--seed", "8", "--shard", "2/3", "--out", scenario])
        let mixedScenario = try CLIHarness.run(["merge", files[1], scenario, files[0]])
        #expect(mixedScenario.status == 65 && mixedScenario.stderr.contains("different scenarios"))
        let notAShard = try CLIHarness.run(["merge", CLIHarness.repositoryRoot.appendingPathComponent("Tests/Golden/plan-mc.json").path])
        #expect(notAShard.status == 65 && notAShard.stderr.contains("not a liaosim batch file"))
    }

    @Test func precisionRunsUntilEveryIntervalIsNarrowEnough() throws {
        let r = try CLIHarness.run(["run", "--precision", "0.01", "--runs", "1000", "--seed", "4", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIHarness.json(r.stdout)
        let runs = try #require(json["runs"] as? Int)
        // Doubling from 1,000: the widest interval (p near 0.4) needs about 9,200 runs for ±0.01.
        #expect(runs == 16_000)
        let goals = try #require(json["goals"] as? [String: [String: Any]])
        for (id, goal) in goals {
            let ci = try #require(goal["ci95"] as? [Double])
            #expect((ci[1] - ci[0]) / 2 <= 0.01, "\(id)")
        }
        let precision = try #require(json["precision"] as? [String: Any])
        #expect(precision["reached"] as? Bool == true && precision["target_half_width"] as? Double == 0.01)
        // The same as one batch of the final size, apart from the precision record.
        let once = try CLIHarness.run(["run", "--runs", "\(runs)", "--seed", "4", "--format", "json"])
        var plain = try CLIHarness.json(CLIHarness.withoutTiming(once.stdout))
        var precise = try CLIHarness.json(CLIHarness.withoutTiming(r.stdout))
        #expect(plain["precision"] is NSNull)
        plain["precision"] = nil
        precise["precision"] = nil
        let sorted = { (object: [String: Any]) in try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
        #expect(try sorted(plain) == sorted(precise))
        let text = try CLIHarness.run(["run", "--precision", "0.01", "--runs", "1000", "--seed", "4"])
        #expect(text.stdout.contains("Precision widest 95% CI ±") && text.stdout.contains("reached in 16,000 runs"), "\(text.stdout)")
    }

    @Test func keepGoingReportsFailuresAndUsesTheRest() throws {
        let file = try CLIHarness.scenarioFile("""
            function on_month(state)
              if state.month == "2024-03" and state.params["growth.retail"] > 0.07 then error("too fast") end
            end
            """)
        let stop = try CLIHarness.run(["run", file, "--runs", "300", "--seed", "2"])
        #expect(stop.status == 65 && stop.stderr.contains("too fast"))
        // A message over several lines is printed as one.
        let lines = try CLIHarness.scenarioFile("function on_month(state) error('first\\nsecond') end\n")
        let joined = try CLIHarness.run(["run", lines, "--runs", "5"])
        #expect(joined.status == 65 && joined.stderr.contains("first / second (run 0"), "\(joined.stderr)")
        #expect(stop.stderr.contains("replay with: liaosim trace \(file) --seed 2 --run "), "\(stop.stderr)")
        let go = try CLIHarness.run(["run", file, "--runs", "300", "--seed", "2", "--keep-going", "--format", "json"])
        #expect(go.status == 0, "\(go.stderr)")
        let json = try CLIHarness.json(go.stdout)
        let failed = try #require(json["failed_runs"] as? Int)
        let runs = try #require(json["runs"] as? Int)
        #expect(failed > 0 && failed + runs == 300)
        #expect(((json["failures"] as? [[String: Any]])?.first?["message"] as? String)?.contains("too fast") == true)
        // The replay command reproduces the first failure alone.
        let first = try #require((json["failures"] as? [[String: Any]])?.first?["run"] as? Int)
        let replay = try CLIHarness.run(["run", file, "--runs", "1", "--seed", "2", "--first-run", "\(first)"])
        #expect(replay.status == 65 && replay.stderr.contains("run \(first)"))
        // When every run failed, the (empty) result is printed and the command fails.
        let none = try CLIHarness.run(["run", file, "--runs", "1", "--seed", "2", "--first-run", "\(first)", "--keep-going", "--format", "json"])
        #expect(none.status == 65 && none.stderr.contains("every run failed"), "\(none.stderr)")
        #expect(try CLIHarness.json(none.stdout)["failed_runs"] as? Int == 1)
        // A shard whose runs all failed is part of a study: it is written, and merge judges the whole.
        let folder = try CLIHarness.temporaryFolder("liaosim-keep-going")
        let broken = try CLIHarness.scenarioFile("function on_month(state) error('always') end\n")
        let shards = try (1...2).map { k in
            let out = folder.appendingPathComponent("\(k).json").path
            let r = try CLIHarness.run(["run", broken, "--runs", "4", "--keep-going", "--shard", "\(k)/2", "--out", out])
            #expect(r.status == 0, "\(r.stderr)")
            return out
        }
        let merged = try CLIHarness.run(["merge"] + shards)
        #expect(merged.status == 65 && merged.stderr.contains("every run of the study failed"), "\(merged.stderr)")
        let wholeRun = try CLIHarness.run(["run", broken, "--runs", "4", "--keep-going"])
        #expect(wholeRun.status == 65)
    }

    @Test func theReplayLineCanBePastedIntoAShell() throws {
        // A folder with a space and a file name with a quote, as analysts' files have.
        let folder = try CLIHarness.temporaryFolder("liaosim replay")
        let file = folder.appendingPathComponent("it's mine.lua").path
        try """
            local limit = input("limit", 0.07)
            function on_month(state)
              if state.month == "2024-03" and state.params["growth.retail"] > limit then error("too fast") end
            end
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["run", file, "--runs", "300", "--seed", "2", "--set", "limit=0.065"])
        #expect(r.status == 65)
        let line = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("liaosim: replay with: liaosim ") })
        let arguments = line.dropFirst("liaosim: replay with: liaosim ".count)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "exec \"$0\" \(arguments)", CLIHarness.binary.path]
        let err = Pipe()
        shell.standardError = err
        shell.standardOutput = Pipe()
        try shell.run()
        let replayed = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        // The same failure, of the same run, with the same input.
        let first = try #require(r.stderr.split(separator: "\n").first)
        #expect(shell.terminationStatus == 65 && replayed.hasPrefix(String(first)), "\(line)\n\(replayed)")
    }

    /// A batch of 50,000,000 hook runs, sent `signals` 2.5 s after it starts
    /// (`pause` apart): its exit status and its JSON.
    private func stoppedBatch(_ signals: [Int32], pause: Double = 0) throws -> (status: Int32, json: [String: Any]) {
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["run", "scenarios/adaptive_vouchers.lua", "--runs", "50000000", "--format", "json", "--quiet"]
        process.currentDirectoryURL = CLIHarness.repositoryRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 2.5)
        for (i, signal) in signals.enumerated() {
            if i > 0 { Thread.sleep(forTimeInterval: pause) }
            kill(process.processIdentifier, signal)
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, try CLIHarness.json(String(decoding: data, as: UTF8.self)))
    }

    @Test func copiesOfOneSignalStopOnce() throws {
        // `timeout` sends its signal to the command and to its process group: two at once.
        let (status, json) = try stoppedBatch([SIGTERM, SIGTERM], pause: 0.05)
        #expect(status == 143)
        #expect(json["interrupted"] as? Bool == true && json["requested_runs"] as? Int == 50_000_000)
    }

    @Test func ctrlCPrintsThePartialResultAndExits130() throws {
        let (status, json) = try stoppedBatch([SIGINT])
        #expect(status == 130)
        #expect(json["interrupted"] as? Bool == true)
        let runs = try #require(json["runs"] as? Int)
        #expect(runs > 0 && runs < 50_000_000)
    }

    @Test(arguments: [
        (["run", "--set", "a=1", "--set", "a=2"], "--set a is given twice (a=1 and a=2)"),
        (["run", "--shard", "5/4"], "--shard must be K/N"),
        (["run", "--shard", "0/4"], "--shard must be K/N"),
        (["run", "--precision", "2"], "--precision"),
        (["run", "--shard", "-1/4", "--out", "x.json"], "--shard must be K/N"),
        (["run", "--central", "--shard", "1/2"], "--central"),
        (["run", "--central", "--runs", "500"], "--central runs one deterministic path"),
        (["run", "--central", "--sampling", "lhs"], "--central runs one deterministic path"),
        (["run", "--central", "--first-run", "3"], "--central runs one deterministic path"),
        (["run", "--central", "--keep-going"], "--central runs one deterministic path"),
        (["trace", "--run", "3", "--runs", "100"], "--runs gives the size of a --sampling lhs study"),
        (["trace", "--central", "--sampling", "lhs"], "--central traces the path"),
        (["trace", "--run", "1", "--time-limit", "-1"], "--time-limit is seconds"),
        (["run", "--shard", "1/2"], "add --out FILE"),
        (["run", "--first-run", "9223372036854775000", "--runs", "1000"], "at most 2^53"),
        (["trace", "--run", "9223372036854775807"], "--run must be from 0 to 2^53 - 1"),
        (["run", "--shard", "1/2", "--out", "x.json", "--format", "json"], "--out writes a batch file"),
        (["run", "--first-run", "10", "--out", "x.json"], "--first-run"),
        (["run", "--first-run", "10", "--precision", "0.01"], "--first-run"),
        (["run", "--max-runs", "5000"], "--max-runs caps a --precision batch"),
        (["run", "--precision", "0.01", "--runs", "5000", "--max-runs", "4000"], "more than --max-runs"),
        (["merge"], "Missing expected argument"),
    ])
    func badScaleOptionsAreUsageErrors(arguments: [String], fragment: String) throws {
        let r = try CLIHarness.run(arguments)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(fragment), "\(r.stderr)")
    }
}

/// The cluster scripts in scripts/cluster, tried with local processes.
@Suite struct ClusterScriptTests {
    /// Runs the Slurm script in `folder` as array task `task`, returning its exit status.
    private func slurmTask(_ task: Int, _ arguments: [String], in folder: URL) throws -> Int32 {
        try CLIHarness.run(
            arguments, in: folder, script: "scripts/cluster/slurm-array.sbatch",
            environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "LIAOSIM": CLIHarness.binary.path]
        ).status
    }

    /// The study folder under `folder`/shards whose name is `stem` (scenario,
    /// runs, seed), the scenario's fingerprint, and with `options`, their checksum.
    private func study(_ stem: String, options: Bool = false, in folder: URL) throws -> String {
        let studies = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
        let parts = stem.split(separator: "-").count + (options ? 2 : 1)
        let matching = studies.filter { $0.hasPrefix(stem + "-") && $0.split(separator: "-").count == parts }
        #expect(matching.count == 1, "\(studies)")
        return folder.appendingPathComponent("shards/" + (matching.first ?? stem)).path
    }

    @Test func slurmArrayScriptShardsMergeToTheWholeStudy() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-slurm")
        let plan = CLIHarness.repositoryRoot.appendingPathComponent("scenarios/plan.lua").path
        for k in 1...3 { #expect(try slurmTask(k, [plan, "3000", "3", "77"], in: folder) == 0) }
        // A task id that is not a shard number is refused, as is a seed that is not a number.
        #expect(try slurmTask(0, [plan, "3000", "3", "77"], in: folder) == 64)
        #expect(try slurmTask(1, [plan, "3000", "3", "--sampling", "lhs"], in: folder) == 64)
        #expect(try slurmTask(1, [plan, "3000", "3", "77", "--runs", "5"], in: folder) == 64)
        let planStudy = try study("plan-3000-77", in: folder)
        let files = (1...3).map { "\(planStudy)/\($0)-of-3.json" }
        let merged = try CLIHarness.run(["merge", "--format", "json"] + files)
        let whole = try CLIHarness.run(["run", plan, "--runs", "3000", "--seed", "77", "--format", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(CLIHarness.withoutTiming(merged.stdout) == CLIHarness.withoutTiming(whole.stdout))

        // Options after the seed go to liaosim run; such a study has a folder of its own.
        for k in 1...2 { #expect(try slurmTask(k, [plan, "3000", "2", "77", "--sampling", "lhs"], in: folder) == 0) }
        let lhsStudy = try study("plan-3000-77", options: true, in: folder)
        let lhsFiles = (1...2).map { "\(lhsStudy)/\($0)-of-2.json" }
        let lhsMerged = try CLIHarness.run(["merge", "--format", "json"] + lhsFiles)
        let lhsWhole = try CLIHarness.run(["run", plan, "--runs", "3000", "--seed", "77", "--sampling", "lhs", "--format", "json"])
        #expect(lhsMerged.status == 0, "\(lhsMerged.stderr)")
        #expect(CLIHarness.withoutTiming(lhsMerged.stdout) == CLIHarness.withoutTiming(lhsWhole.stdout))

        // Without a SEED, the scenario's own seed, as `liaosim run` would use.
        let seeded = folder.appendingPathComponent("seeded.lua").path
        try "scenario { name = \"seeded\", seed = 7 }\n".write(toFile: seeded, atomically: true, encoding: .utf8)
        for k in 1...2 { #expect(try slurmTask(k, [seeded, "400", "2"], in: folder) == 0) }
        let seededStudy = try study("seeded-400-7", in: folder)
        let own = (1...2).map { "\(seededStudy)/\($0)-of-2.json" }
        let ownMerged = try CLIHarness.run(["merge", "--format", "json"] + own)
        let ownWhole = try CLIHarness.run(["run", seeded, "--runs", "400", "--format", "json"])
        #expect(ownMerged.status == 0, "\(ownMerged.stderr)")
        #expect(CLIHarness.withoutTiming(ownMerged.stdout) == CLIHarness.withoutTiming(ownWhole.stdout))
    }
    /// Runs the GNU parallel script in `folder`, printing JSON; parallel must
    /// be on PATH (scripts/test installs it).
    private func parallelStudy(_ arguments: [String], in folder: URL) throws -> CLIResult {
        try CLIHarness.run(
            arguments, in: folder, script: "scripts/cluster/parallel.sh",
            environment: ["LIAOSIM": CLIHarness.binary.path, "FORMAT": "json"])
    }

    /// A note of a likely mistake shows once for the whole study, not once per shard.
    @Test func parallelScriptShowsNotesOnce() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-parallel-notes")
        let slip = folder.appendingPathComponent("slip.lua").path
        try "param(\"growth.catering\", normal(7, 3))\n".write(toFile: slip, atomically: true, encoding: .utf8)
        let r = try parallelStudy([slip, "300", "3", "5"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "param 'growth.catering': the median is 7").count == 2, "\(r.stderr)")
    }

    @Test func parallelScriptMergesToTheWholeStudyAndResumes() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-parallel")
        let scenarios = folder.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        let plan = scenarios.appendingPathComponent("plan.lua").path
        try FileManager.default.copyItem(atPath: CLIHarness.repositoryRoot.appendingPathComponent("scenarios/plan.lua").path, toPath: plan)
        let whole = try CLIHarness.run(["run", plan, "--runs", "3000", "--seed", "77", "--format", "json"])

        let first = try parallelStudy([plan, "3000", "3", "77"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(CLIHarness.withoutTiming(first.stdout) == CLIHarness.withoutTiming(whole.stdout))

        // Again, after losing a shard: only that shard runs, and the answer is the same.
        let shards = URL(fileURLWithPath: try study("plan-3000-77", in: folder))
        try FileManager.default.removeItem(at: shards.appendingPathComponent("2-of-3.json"))
        let resumed = try parallelStudy([plan, "3000", "3", "77"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("2 of 3 shards already in shards/\(shards.lastPathComponent)/; running the other 1"), "\(resumed.stderr)")
        #expect(!resumed.stderr.contains("shard 1/3"), "\(resumed.stderr)")
        #expect(CLIHarness.withoutTiming(resumed.stdout) == CLIHarness.withoutTiming(whole.stdout))

        // A changed module (any .lua beside the scenario) runs every shard again.
        Thread.sleep(forTimeInterval: 0.05)
        try "return {}\n".write(to: scenarios.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        let changed = try parallelStudy([plan, "3000", "3", "77"], in: folder)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(!changed.stderr.contains("already in"), "\(changed.stderr)")
        #expect(changed.stderr.contains("shard 1/3") && changed.stderr.contains("shard 3/3"), "\(changed.stderr)")

        // Another scenario of the same file name is another study, in a folder of its own;
        // a shard of another text of the scenario in a study's folder is run again.
        let other = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let otherPlan = other.appendingPathComponent("plan.lua").path
        try (try String(contentsOfFile: plan, encoding: .utf8) + "lever(\"household.recruits_per_month\", 400)\n")
            .write(toFile: otherPlan, atomically: true, encoding: .utf8)
        let otherStudy = try parallelStudy([otherPlan, "3000", "3", "77"], in: folder)
        let otherWhole = try CLIHarness.run(["run", otherPlan, "--runs", "3000", "--seed", "77", "--format", "json"])
        #expect(otherStudy.status == 0 && !otherStudy.stderr.contains("already in"), "\(otherStudy.stderr)")
        #expect(CLIHarness.withoutTiming(otherStudy.stdout) == CLIHarness.withoutTiming(otherWhole.stdout))
        let otherShards = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
            .filter { $0.hasPrefix("plan-3000-77-") && $0 != shards.lastPathComponent }
        #expect(otherShards.count == 1)
        try FileManager.default.removeItem(at: shards.appendingPathComponent("3-of-3.json"))
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("shards/\(otherShards[0])/3-of-3.json"), to: shards.appendingPathComponent("3-of-3.json"))
        let mixed = try parallelStudy([plan, "3000", "3", "77"], in: folder)
        #expect(mixed.status == 0 && mixed.stderr.contains("running the other 1") && mixed.stderr.contains("shard 3/3"), "\(mixed.stderr)")
        #expect(CLIHarness.withoutTiming(mixed.stdout) == CLIHarness.withoutTiming(whole.stdout))

        // An option liaosim refuses fails the study before anything is written.
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
        let refused = try parallelStudy([plan, "3000", "3", "77", "--bogus"], in: folder)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("Unknown option '--bogus'"), "\(refused.stderr)")
        #expect(try parallelStudy([plan, "3000", "3", "77", "--seed", "5"], in: folder).status == 64)
        let after = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
        #expect(Set(after) == Set(before))
        #expect(try parallelStudy([plan, "3k", "3"], in: folder).status == 64)
        // No program where LIAOSIM points: one line saying how to get it.
        let missing = try CLIHarness.run(
            [plan, "3000", "3", "77"], in: folder, script: "scripts/cluster/parallel.sh",
            environment: ["LIAOSIM": folder.appendingPathComponent("no-such-liaosim").path])
        #expect(missing.status == 69, "\(missing.stderr)")
        #expect(missing.stderr.contains("no liaosim program at ") && missing.stderr.contains("set LIAOSIM to its path"), "\(missing.stderr)")
    }
}

/// Latin hypercube studies shard and merge like any other, and never mix with random ones.
@Suite struct LatinHypercubeCLITests {
    @Test func lhsShardsMergeAndDoNotMixWithRandomShards() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-lhs")
        let whole = try CLIHarness.run(["run", "--runs", "3000", "--seed", "2", "--sampling", "lhs", "--format", "json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try CLIHarness.json(whole.stdout)["sampling"] as? String == "lhs")
        let text = try CLIHarness.run(["run", "--runs", "3000", "--seed", "2", "--sampling", "lhs"])
        #expect(text.stdout.contains("Sampling  Latin hypercube over the study's 3,000 runs"))
        var files: [String] = []
        for k in 1...2 {
            let file = folder.appendingPathComponent("lhs-\(k).json").path
            _ = try CLIHarness.run(["run", "--runs", "3000", "--seed", "2", "--sampling", "lhs", "--shard", "\(k)/2", "--out", file])
            files.append(file)
        }
        let merged = try CLIHarness.run(["merge", "--format", "json"] + files)
        #expect(CLIHarness.withoutTiming(merged.stdout) == CLIHarness.withoutTiming(whole.stdout))
        let random = folder.appendingPathComponent("random-2.json").path
        _ = try CLIHarness.run(["run", "--runs", "3000", "--seed", "2", "--shard", "2/2", "--out", random])
        let mixed = try CLIHarness.run(["merge", files[0], random])
        #expect(mixed.status == 65 && mixed.stderr.contains("different sampling methods"))
        let refused = try CLIHarness.run(["run", "--sampling", "lhs", "--precision", "0.01"])
        #expect(refused.status == 64)
    }
}
