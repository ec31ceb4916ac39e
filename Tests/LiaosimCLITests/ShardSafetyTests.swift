import Foundation
import Testing

/// What keeps a merged study honest: shard files that do not belong together,
/// were stopped early or were altered are refused; outputs are checked before
/// a batch starts; a stopped command leaves no temporary file behind.
@Suite struct ShardSafetyTests {
    /// Runs shard `k`/`n` of `runs` runs into `folder`, returning the file.
    private func shard(_ k: Int, of n: Int, runs: Int, seed: Int = 3, scenario: String? = nil, in folder: URL,
                       name: String? = nil, extra: [String] = []) throws -> String {
        let file = folder.appendingPathComponent(name ?? "s\(k).json").path
        let r = try CLIHarness.run(
            ["run"] + (scenario.map { [$0] } ?? []) + ["--runs", "\(runs)", "--seed", "\(seed)", "--shard", "\(k)/\(n)", "--out", file] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return file
    }

    @Test func mergeRefusesAlteredFiles() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-altered")
        let files = try (1...2).map { try shard($0, of: 2, runs: 1200, in: folder) }
        #expect(try CLIHarness.run(["merge"] + files).status == 0)
        let text = try String(contentsOfFile: files[0], encoding: .utf8)
        // Valid JSON with other numbers: more successes than runs, other trials.
        for (key, replacement) in [("\"successes\":", "\"successes\":9999"), ("\"trials\":", "\"trials\":1400")] {
            let start = try #require(text.range(of: key))
            let end = try #require(text[start.upperBound...].firstIndex { !$0.isNumber })
            let altered = text.replacingCharacters(in: start.lowerBound..<end, with: replacement)
            let file = folder.appendingPathComponent("altered.json")
            try altered.write(to: file, atomically: true, encoding: .utf8)
            let r = try CLIHarness.run(["merge", file.path, files[1]])
            #expect(r.status == 65, "\(key): \(r.stdout)")
            #expect(r.stderr.contains("was changed after liaosim wrote it"), "\(key): \(r.stderr)")
        }
        let truncated = folder.appendingPathComponent("truncated.json")
        try String(text.prefix(text.count / 2)).write(to: truncated, atomically: true, encoding: .utf8)
        let r = try CLIHarness.run(["merge", truncated.path, files[1]])
        #expect(r.status == 65 && r.stderr.contains("damaged or truncated"), "\(r.stderr)")
    }

    /// The same file named differently on two machines (a relative and an
    /// absolute path) is the same scenario, correlations and all.
    @Test func shardsMergeWhateverPathNamedTheScenario() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-paths")
        try """
            param("growth.retail", normal(0.06, 0.01))
            correlate("growth.catering", "growth.accommodation", 0.6)
            """.write(to: folder.appendingPathComponent("corr.lua"), atomically: true, encoding: .utf8)
        let first = try shard(1, of: 2, runs: 400, scenario: folder.appendingPathComponent("corr.lua").path, in: folder)
        let second = folder.appendingPathComponent("s2.json").path
        let r = try CLIHarness.run(["run", "./corr.lua", "--runs", "400", "--seed", "3", "--shard", "2/2", "--out", second], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let merged = try CLIHarness.run(["merge", first, second], in: folder)
        #expect(merged.status == 0, "\(merged.stderr)")
    }

    @Test func mergeRefusesShardsRunWithDifferentModules() throws {
        // The same main file in two folders, each requiring its own helper module.
        let main = """
            require("helper")
            scenario { name = "with_helper" }
            """
        var files: [String] = []
        for (k, budget) in [(1, 0.1), (2, 9.0)] {
            let folder = try CLIHarness.temporaryFolder("liaosim-module")
            try main.write(to: folder.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
            try "voucher { sector = 'catering', start = '2025-03', budget = \(budget) }\n"
                .write(to: folder.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
            files.append(try shard(k, of: 2, runs: 400, scenario: folder.appendingPathComponent("main.lua").path, in: folder))
        }
        let r = try CLIHarness.run(["merge"] + files)
        #expect(r.status == 65 && r.stderr.contains("different scenarios"), "\(r.stderr)")
    }

    @Test func mergeComparesModulesRequiredInRuns() throws {
        // A module required inside on_month: shards of one folder merge, of two folders with
        // different texts of it do not.
        let main = """
            function on_month(state)
              if state.month == "2024-06" then require("late") end
            end
            """
        var folders: [URL] = []
        for factor in [1, 2] {
            let folder = try CLIHarness.temporaryFolder("liaosim-late")
            try main.write(to: folder.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
            try "return \(factor)\n".write(to: folder.appendingPathComponent("late.lua"), atomically: true, encoding: .utf8)
            folders.append(folder)
        }
        let scenario = { (k: Int) in folders[k].appendingPathComponent("main.lua").path }
        let same = try (1...2).map { try shard($0, of: 2, runs: 60, scenario: scenario(0), in: folders[0]) }
        let merged = try CLIHarness.run(["merge"] + same)
        #expect(merged.status == 0, "\(merged.stderr)")
        let other = try shard(2, of: 2, runs: 60, scenario: scenario(1), in: folders[1])
        let r = try CLIHarness.run(["merge", same[0], other])
        #expect(r.status == 65 && r.stderr.contains("different texts of module 'late'"), "\(r.stderr)")
    }

    @Test func mergeNamesDifferentInputs() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-inputs")
        let a = try shard(1, of: 2, runs: 400, scenario: "scenarios/catering_budget.lua", in: folder, extra: ["--set", "catering_budget=0.8"])
        let b = try shard(2, of: 2, runs: 400, scenario: "scenarios/catering_budget.lua", in: folder)
        let r = try CLIHarness.run(["merge", a, b])
        #expect(r.status == 65 && r.stderr.contains("different inputs") && r.stderr.contains("catering_budget=0.8"), "\(r.stderr)")
    }

    @Test func interruptedShardsAreWrittenButNotMergedAndAllAreNamed() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-stopped")
        // Three long shards, stopped by SIGTERM as a scheduler's time limit stops them:
        // the only shard of one study, and both shards of another.
        let jobs = [("alone.json", "1/1"), ("s1.json", "1/2"), ("s2.json", "2/2")].map { name, shard in
            let process = Process()
            process.executableURL = CLIHarness.binary
            let file = folder.appendingPathComponent(name).path
            process.arguments = ["run", "scenarios/adaptive_vouchers.lua", "--runs", "100000000", "--shard", shard, "--out", file, "--quiet"]
            process.currentDirectoryURL = CLIHarness.repositoryRoot
            let err = Pipe()
            process.standardError = err
            return (process, err, file, shard)
        }
        for (process, _, _, _) in jobs { try process.run() }
        Thread.sleep(forTimeInterval: 2)
        for (process, _, _, _) in jobs { process.terminate() }
        for (process, err, _, shard) in jobs {
            let note = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 143)
            #expect(note.contains(shard == "1/1" ? "wrote INTERRUPTED result" : "wrote INTERRUPTED shard \(shard)"), "\(note)")
        }
        let (alone, s1, s2) = (jobs[0].2, jobs[1].2, jobs[2].2)
        let one = try CLIHarness.run(["merge", alone])
        #expect(one.status == 65 && one.stderr.contains("\(alone) holds shard 1/1 stopped before its end") && one.stderr.contains("run that shard again"), "\(one.stderr)")
        let half = try CLIHarness.run(["merge", s1])
        #expect(half.status == 65, "\(half.stderr)")
        #expect(half.stderr.contains("shard 1 of 2 stopped before its end (\(s1): ") && half.stderr.contains("and shard 2 missing; run those shards again"), "\(half.stderr)")
        let both = try CLIHarness.run(["merge", s2, s1])
        #expect(both.status == 65, "\(both.stderr)")
        #expect(both.stderr.contains("shards 1, 2 of 2 stopped before their end (\(s1): ") && both.stderr.contains("; \(s2): "), "\(both.stderr)")
    }

    /// A stream is written through, never replaced; a link to a file keeps
    /// being a link, and the file it names gets the output.
    @Test func outputsGoThroughStreamsAndLinks() throws {
        let null = try CLIHarness.run(["run", "--runs", "200", "--shard", "1/2", "--out", "/dev/null", "--runs-csv", "/dev/stdout", "--quiet"])
        #expect(null.status == 0, "\(null.stderr)")
        let device = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(device == .typeCharacterSpecial)
        // The CSV went to stdout: the header and the shard's 100 runs.
        #expect(null.stdout.hasPrefix("run,growth.retail,"), "\(null.stdout.prefix(200))")
        #expect(null.stdout.split(separator: "\n").count == 101)
        // Beside the report, it comes first.
        let both = try CLIHarness.run(["run", "--runs", "20", "--runs-csv", "/dev/stdout", "--format", "json"])
        #expect(both.status == 0 && both.stdout.hasPrefix("run,") && both.stdout.contains("\"scenario\": \"plan\""), "\(both.stderr)")

        let folder = try CLIHarness.temporaryFolder("liaosim-link")
        let real = folder.appendingPathComponent("real.json").path
        let link = folder.appendingPathComponent("link.json").path
        try "{}".write(toFile: real, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        let linked = try CLIHarness.run(["run", "--runs", "200", "--out", link, "--quiet"])
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.json")
        #expect(try CLIHarness.run(["merge", link]).status == 0)
        let dangling = folder.appendingPathComponent("dangling.json").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "no/such/file.json")
        let refused = try CLIHarness.run(["run", "--runs", "200", "--out", dangling])
        #expect(refused.status == 64 && refused.stderr.contains("is a symbolic link to a file that cannot be reached"), "\(refused.stderr)")
        // stdin is not an output, however it is named.
        let input = try CLIHarness.run(["run", "--runs", "20", "--runs-csv", "/dev/stdin"])
        #expect(input.status == 64 && input.stderr.contains("--runs-csv /dev/stdin is this command's input, not an output"), "\(input.stderr)")
        let kept = folder.appendingPathComponent("input.txt").path
        try "keep me\n".write(toFile: kept, atomically: true, encoding: .utf8)
        let redirected = try CLIHarness.run(
            ["-c", "\"$0\" run --runs 20 --runs-csv /dev/./stdin < \"$1\"", CLIHarness.binary.path, kept], executable: "/bin/sh")
        #expect(redirected.status == 64 && redirected.stderr.contains("is this command's input (its stdin)"), "\(redirected.stderr)")
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "keep me\n")
        // Through a link, two outputs can be one file: refused like the same name twice.
        let same = try CLIHarness.run(["run", "--runs", "200", "--out", real, "--runs-csv", link])
        #expect(same.status == 64 && same.stderr.contains("are the same file"), "\(same.stderr)")
    }

    /// An output whose name is near the system's 255-byte limit is written
    /// too (its temporary and part files take short names of their own).
    @Test func anOutputNamedNearTheLimitIsWritten() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-long")
        let json = folder.appendingPathComponent(String(repeating: "r", count: 250) + ".json").path
        let csv = folder.appendingPathComponent(String(repeating: "c", count: 251) + ".csv").path
        let r = try CLIHarness.run(["run", "--runs", "200", "--threads", "2", "--shard", "1/2", "--out", json, "--runs-csv", csv, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLIHarness.run(["merge", json]).stderr.contains("shard 2 of 2 missing"))
        #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count == 101)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
    }

    /// Replacing an output keeps the permissions the file had (a result kept
    /// private stays private); a new output gets the umask's.
    @Test func replacingAnOutputKeepsItsPermissions() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-mode")
        let json = folder.appendingPathComponent("result.json").path
        let csv = folder.appendingPathComponent("runs.csv").path
        for path in [json, csv] {
            try "old".write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        }
        let r = try CLIHarness.run(["run", "--runs", "200", "--shard", "1/2", "--out", json, "--runs-csv", csv, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for path in [json, csv] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o640, "\(path): \(attributes[.posixPermissions] ?? "none")")
            #expect(try String(contentsOfFile: path, encoding: .utf8) != "old")
        }
    }

    /// A reader that goes away (`| head`) ends the command quietly with the
    /// status of a broken pipe, and no temporary file is left behind.
    @Test func aBrokenPipeEndsQuietlyAndLeavesNoParts() throws {
        let scratch = try CLIHarness.temporaryFolder("liaosim-pipe")
        let r = try CLIHarness.run(
            ["-c", "\"$0\" run --runs 20000 --threads 2 --runs-csv /dev/stdout --quiet | head -1; exit ${PIPESTATUS[0]}", CLIHarness.binary.path],
            executable: "/bin/bash", environment: ["TMPDIR": scratch.path])
        #expect(r.status == 141 && r.stderr.isEmpty, "\(r.status) \(r.stderr)")
        #expect(r.stdout.hasPrefix("run,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
        // A reader of stderr that goes away loses the message, and the command ends as it would.
        let gone = try CLIHarness.run(["-c", "\"$0\" run no-such-file.lua 2>&1 | true; exit ${PIPESTATUS[0]}", CLIHarness.binary.path], executable: "/bin/bash")
        #expect(gone.status == 66, "\(gone.status)")
    }

    /// A report that cannot reach stdout whole fails the command (exit 74).
    @Test func aReportLostOnTheWayToStdoutFailsTheCommand() throws {
        for command in ["run --runs 50 --format json", "params", "lua-defs"] {
            let r = try CLIHarness.run(["-c", "\"$0\" \(command) > /dev/full", CLIHarness.binary.path], executable: "/bin/sh")
            #expect(r.status == 74, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("the report could not be written to stdout (No space left on device)"), "\(r.stderr)")
        }
        let out = try CLIHarness.run(["run", "--runs", "50", "--shard", "1/2", "--out", "/dev/full"])
        #expect(out.status == 74 && out.stderr.contains("cannot write /dev/full: No space left on device"), "\(out.stderr)")
    }

    @Test func outputFoldersAreCheckedBeforeTheBatch() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-out")
        let missing = try CLIHarness.run(["run", "--runs", "500", "--out", folder.appendingPathComponent("no/such/x.json").path])
        #expect(missing.status == 64 && missing.stderr.contains("there is no folder"), "\(missing.stderr)")
        let isFolder = try CLIHarness.run(["run", "--runs", "500", "--out", folder.path])
        #expect(isFolder.status == 64 && isFolder.stderr.contains("is a folder"), "\(isFolder.stderr)")
        let slash = try CLIHarness.run(["run", "--runs", "500", "--out", folder.appendingPathComponent("new").path + "/"])
        #expect(slash.status == 64 && slash.stderr.contains("names a folder"), "\(slash.stderr)")
        let empty = try CLIHarness.run(["run", "--runs", "500", "--out", ""])
        #expect(empty.status == 64 && empty.stderr.contains("needs a file name"), "\(empty.stderr)")
        let csv = try CLIHarness.run(["run", "--runs", "500", "--runs-csv", folder.appendingPathComponent("no/runs.csv").path])
        #expect(csv.status == 64 && csv.stderr.contains("--runs-csv") && csv.stderr.contains("there is no folder"), "\(csv.stderr)")
        // A folder that takes no files whatever the permissions say (root passes every access check).
        let proc = try CLIHarness.run(["run", "--runs", "500", "--runs-csv", "/proc/runs.csv"])
        #expect(proc.status == 64 && proc.stderr.contains("--runs-csv /proc/runs.csv: cannot write in /proc"), "\(proc.stderr)")
    }

    @Test func outputsNeverReplaceTheScenarioItsModulesOrEachOther() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-inputs")
        let helper = "voucher { sector = 'catering', start = '2025-03', budget = 0.1 }\n"
        let main = "require('helper')\nscenario { name = 'kept' }\n"
        let mainFile = folder.appendingPathComponent("main.lua")
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
        try helper.write(to: folder.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.lua").path, withDestinationPath: mainFile.path)
        // Any existing Lua file is refused before the batch (a module first required in a run too)...
        for (option, target) in [("--runs-csv", "main.lua"), ("--out", "link.lua"), ("--runs-csv", "helper.lua")] {
            let r = try CLIHarness.run(["run", mainFile.path, "--runs", "50", option, folder.appendingPathComponent(target).path])
            #expect(r.status == 64 && r.stderr.contains("is a Lua file"), "\(option) \(target): \(r.stderr)")
        }
        // ...and so is the scenario or a module under any name, found by what the file is.
        let other = folder.appendingPathComponent("main.scenario").path
        try FileManager.default.linkItem(atPath: mainFile.path, toPath: other)
        let hardLink = folder.appendingPathComponent("same-file.txt").path
        try FileManager.default.linkItem(atPath: folder.appendingPathComponent("helper.lua").path, toPath: hardLink)
        for (target, fragment) in [(other, "is the scenario file"), (hardLink, "is a module the scenario requires")] {
            let r = try CLIHarness.run(["run", other, "--runs", "50", "--out", target])
            #expect(r.status == 64 && r.stderr.contains(fragment), "\(target): \(r.stderr)")
        }
        #expect(try String(contentsOf: mainFile, encoding: .utf8) == main)
        #expect(try String(contentsOf: folder.appendingPathComponent("helper.lua"), encoding: .utf8) == helper)
        let same = folder.appendingPathComponent("x.json").path
        let both = try CLIHarness.run(["run", "--runs", "50", "--out", same, "--runs-csv", same])
        #expect(both.status == 64 && both.stderr.contains("both name"), "\(both.stderr)")
        #expect(!FileManager.default.fileExists(atPath: same))
        let fileAsFolder = try CLIHarness.run(["run", "--runs", "50", "--out", mainFile.path + "/x.json"])
        #expect(fileAsFolder.status == 64 && fileAsFolder.stderr.contains("is a file, not a folder"), "\(fileAsFolder.stderr)")
    }

    @Test func precisionNotReachedIsSaid() throws {
        let text = try CLIHarness.run(["run", "--precision", "0.005", "--runs", "1000", "--max-runs", "2000", "--seed", "4"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("PRECISION NOT REACHED: after 2,000 runs (--max-runs 2,000)"), "\(text.stdout)")
        let json = try CLIHarness.run(["run", "--precision", "0.005", "--runs", "1000", "--max-runs", "2000", "--seed", "4", "--format", "json"])
        let precision = try #require(try CLIHarness.json(json.stdout)["precision"] as? [String: Any])
        #expect(precision["reached"] as? Bool == false)
        #expect((precision["widest_half_width"] as? Double ?? 0) > 0.005)
    }

    @Test func precisionStopsWhenEveryRunFails() throws {
        let file = try CLIHarness.scenarioFile("function on_month(state) error('broken') end\n")
        let r = try CLIHarness.run(["run", file, "--precision", "0.01", "--runs", "200", "--keep-going"])
        #expect(r.status == 65 && r.stderr.contains("every run failed"), "\(r.stderr)")
        #expect(r.stdout.contains("PRECISION NOT REACHED: after 200 runs, 200 of them failed"), "\(r.stdout)")
        #expect(r.stdout.contains("no run succeeded"), "\(r.stdout)")
    }

    @Test func aStoppedRunsCSVLeavesNoParts() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-csv-stop")
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["run", "--runs", "100000000", "--runs-csv", folder.appendingPathComponent("runs.csv").path, "--quiet"]
        process.currentDirectoryURL = CLIHarness.repositoryRoot
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".part") || $0.contains(".tmp") }
        #expect(left.isEmpty, "\(left)")
    }

    /// Starts liaosim with `arguments`; one still running after 60 s is
    /// killed (unless the returned item is cancelled), so that a hang fails its test.
    private func launch(_ arguments: [String], stdout: Pipe, stderr: Pipe) throws -> (Process, DispatchWorkItem) {
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: killer)
        return (process, killer)
    }

    /// Runs liaosim with `arguments`, sends Ctrl-C after `seconds`, and returns what it did.
    private func interrupted(after seconds: Double, _ arguments: [String]) throws -> CLIResult {
        let out = Pipe(), err = Pipe()
        let (process, killer) = try launch(arguments, stdout: out, stderr: err)
        defer { killer.cancel() }
        Thread.sleep(forTimeInterval: seconds)
        process.interrupt()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Under a time limit, the first signal cuts the runs in progress short
    /// (they are left out of the result) instead of waiting for them: here each
    /// hook call would take its whole 60 s.
    @Test func aFirstSignalDoesNotWaitForSlowRuns() throws {
        let file = try CLIHarness.scenarioFile("function on_month(state) local x = 0 for i = 1, 1e13 do x = x + i end end\n", name: "slow.lua")
        let out = Pipe()
        let (process, killer) = try launch(["run", file, "--runs", "10", "--time-limit", "60", "--format", "json"], stdout: out, stderr: Pipe())
        defer { killer.cancel() }
        Thread.sleep(forTimeInterval: 1)
        let signalled = ContinuousClock.now
        process.terminate()
        let report = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(ContinuousClock.now - signalled < .seconds(20))
        #expect(process.terminationStatus == 143)
        let json = try CLIHarness.json(String(decoding: report, as: UTF8.self))
        #expect(json["interrupted"] as? Bool == true && json["runs"] as? Int == 0 && json["failed_runs"] as? Int == 0)
    }

    /// A stop while `sweep` loads the scenario for the next value keeps the values done.
    @Test func aSweepStoppedWhileLoadingKeepsTheValuesDone() throws {
        let file = try CLIHarness.scenarioFile(
            "local x = input('x', 1)\nif x > 1 then local s = 0 for i = 1, 1e13 do s = s + i end end\n", name: "slowload.lua")
        let r = try interrupted(after: 1.5, ["sweep", file, "--vary", "x=1,2,3", "--runs", "500", "--time-limit", "60"])
        #expect(r.status == 130)
        #expect(r.stdout.contains("INTERRUPTED: 1 of 3 values of x run; not run: 2, 3"), "\(r.stdout)")
    }

    /// `sensitivity` stopped before any run finished says so, with the signal's exit code.
    @Test func sensitivityStoppedBeforeAnyRunSaysSo() throws {
        let file = try CLIHarness.scenarioFile("function on_month(state) local x = 0 for i = 1, 1e13 do x = x + i end end\n", name: "slow.lua")
        let r = try interrupted(after: 1, ["sensitivity", file, "--runs", "10", "--time-limit", "60"])
        #expect(r.status == 130)
        #expect(r.stderr.contains("interrupted before any run finished"), "\(r.stderr)")
    }

    @Test func aSecondSignalStopsAStuckHookAtOnce() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-stuck")
        let file = folder.appendingPathComponent("stuck.lua")
        try "function on_month(state) while true do end end\n".write(to: file, atomically: true, encoding: .utf8)
        let err = Pipe()
        // If the last signal were ignored, the stuck process would run for ever: `launch` ends it anyway.
        let (process, killer) = try launch(
            ["run", file.path, "--runs", "10", "--time-limit", "0", "--quiet", "--runs-csv", folder.appendingPathComponent("runs.csv").path],
            stdout: Pipe(), stderr: err)
        defer { killer.cancel() }
        Thread.sleep(forTimeInterval: 1)
        process.interrupt()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning)  // the first Ctrl-C waits for the runs in progress
        process.interrupt()         // within a second of the first: the same stop
        Thread.sleep(forTimeInterval: 1.5)
        #expect(process.isRunning)
        process.interrupt()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(message.contains("stopped at once"), "\(message)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "stuck.lua" }
        #expect(left.isEmpty, "\(left)")
    }
}
