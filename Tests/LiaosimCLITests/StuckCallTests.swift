import Foundation
import Testing

/// A call stuck inside a library function, where the time limit's hook cannot
/// run, ends the command with a message once it is well past its limit,
/// instead of hanging.
@Suite struct StuckCallTests {
    /// pattern.lua in `folder`: a hook whose string pattern backtracks for hours in 2024-03.
    static func backtrackingScenario(in folder: URL) throws -> URL {
        let scenario = folder.appendingPathComponent("pattern.lua")
        try """
            function on_month(state)
              if state.month == "2024-03" then
                string.find(string.rep("a", 200000), ".-.-.-.-.-b")
              end
            end
            """.write(to: scenario, atomically: true, encoding: .utf8)
        return scenario
    }

    @Test func aBacktrackingPatternStopsTheCommand() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-stuck-call")
        let scenario = try Self.backtrackingScenario(in: folder)
        let started = Date()
        let r = try CLIHarness.run(["run", scenario.path, "--runs", "10", "--time-limit", "0.5",
                                    "--runs-csv", folder.appendingPathComponent("runs.csv").path])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("pattern.lua: stopped: a call into the scenario has run for more than 0.5 seconds and is stuck inside a library function"), "\(r.stderr)")
        // The limit, then at least 2 s of grace for a slow library call, then the stop.
        #expect(Date().timeIntervalSince(started) < 30)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "pattern.lua" }
        #expect(left.isEmpty, "\(left)")
    }

    /// A stop while a call is stuck does not wait out the time limit: within
    /// a couple of seconds the command ends with the stop's exit code, says
    /// there is no result, and leaves no file.
    @Test func aStopDuringAStuckCallEndsSoon() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-stuck-stop")
        let scenario = try Self.backtrackingScenario(in: folder)
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["run", scenario.path, "--runs", "10", "--time-limit", "60",
                             "--runs-csv", folder.appendingPathComponent("runs.csv").path]
        let err = Pipe()
        process.standardOutput = Pipe()
        process.standardError = err
        try process.run()
        let killer = DispatchWorkItem { [pid = process.processIdentifier] in kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 45, execute: killer)
        defer { killer.cancel() }
        Thread.sleep(forTimeInterval: 1.5)
        let stopped = Date()
        kill(process.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "\(stderr)")
        #expect(stderr.contains("liaosim: stopped; a call into the scenario stuck inside a library function could not be cut short, so there is no result"), "\(stderr)")
        #expect(Date().timeIntervalSince(stopped) < 20)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "pattern.lua" }
        #expect(left.isEmpty, "\(left)")
    }
}
