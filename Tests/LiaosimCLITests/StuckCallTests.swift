import Foundation
import Testing

/// A call stuck inside a library function, where the time limit's hook cannot
/// run, ends the command with a message once it is well past its limit,
/// instead of hanging.
@Suite struct StuckCallTests {
    @Test func aBacktrackingPatternStopsTheCommand() throws {
        let folder = try CLIHarness.temporaryFolder("liaosim-stuck-call")
        let scenario = folder.appendingPathComponent("pattern.lua")
        try """
            function on_month(state)
              if state.month == "2024-03" then
                string.find(string.rep("a", 200000), ".-.-.-.-.-b")
              end
            end
            """.write(to: scenario, atomically: true, encoding: .utf8)
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
}
