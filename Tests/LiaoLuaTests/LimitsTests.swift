import Foundation
import LiaoCore
import LiaoLua
import Testing

/// Runaway scripts stop with a clear message; memory stays under the cap;
/// failing API calls leak nothing.
@Suite struct LimitsTests {
    static let quick = ScenarioLimits(timePerCall: .milliseconds(300))

    private func load(_ text: String, limits: ScenarioLimits) throws(ScenarioError) -> LuaScenarioEngine {
        try LuaScenarioEngine(source: ScenarioSource(displayName: "test.lua", bytes: Array(text.utf8)), limits: limits)
    }

    private func batch(_ text: String, limits: ScenarioLimits, runs: Int = 4, threads: Int = 2) throws -> BatchResult {
        let engine = try load(text, limits: limits)
        let compiled = try CompiledScenario(engine.scenario)
        let source = ScenarioSource(displayName: "test.lua", bytes: Array(text.utf8))
        return try MonteCarloBatch.run(compiled, .init(runs: runs, seed: 1, threads: threads)) { _ in
            try LuaScenarioEngine(source: source, limits: limits)
        }
    }

    @Test func defaultsAreDocumented() {
        #expect(ScenarioLimits.standard.timePerCall == .seconds(3))
        #expect(ScenarioLimits.standard.memoryBytes == 256 << 20)
        let engine = try? loadScenario("")
        #expect(engine?.limits == .standard)
    }

    /// With the default limit an endless loop at load time stops within 5 seconds.
    @Test func endlessLoopAtLoadStopsWithinFiveSeconds() throws {
        let start = ContinuousClock.now
        let message = try #require(loadError("local x = 0\nwhile true do x = x + 1 end"))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(message.hasPrefix("test.lua:2: stopped: the scenario ran for more than 3 seconds"), "\(message)")
    }

    @Test func endlessLoopInTheHookNamesFileLineRunAndMonth() throws {
        let text = """
            function on_month(state)
              if state.month == "2024-04" then
                while true do end
              end
            end
            """
        #expect {
            _ = try batch(text, limits: Self.quick, runs: 1, threads: 1)
        } throws: { error in
            let failure = error as? RunFailure
            return failure?.message.hasPrefix("test.lua:3: stopped: the scenario ran for more than 0.3 seconds") == true
                && failure?.run == 0 && failure?.month == 3
                && "\(error)".hasSuffix("(run 0, month 2024-04)")
        }
    }

    /// Batch workers are threads of the system's pool, which may start with
    /// signals blocked: the stop must reach them too, in a later run.
    @Test func endlessLoopOnAWorkerThreadStops() throws {
        let text = """
            function on_month(state)
              if math.random() < 0.02 then
                while true do end
              end
            end
            """
        let start = ContinuousClock.now
        #expect {
            _ = try batch(text, limits: Self.quick, runs: 400, threads: 2)
        } throws: { error in
            "\(error)".contains("test.lua:3: stopped: the scenario ran for more than 0.3 seconds")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func endlessLoopInAMetricStops() throws {
        #expect {
            _ = try batch("metric('m', function(m)\n  repeat until false\nend)", limits: Self.quick)
        } throws: { error in "\(error)".contains("test.lua:2: stopped") }
    }

    /// The scenario's own pcall, xpcall and error handlers cannot swallow the stop.
    @Test func pcallCannotSwallowTheStop() throws {
        let scripts = [
            "local ok = pcall(function() while true do end end)\nx = 1",
            "while true do pcall(function() while true do end end) end",
            "xpcall(function() while true do end end, function(e) while true do end end)",
            "local ok, e = pcall(function() while true do end end)\nerror('my own: ' .. tostring(e))",
            "for i = 1, 10 do pcall(string.gsub, ('x'):rep(100), '.', function() while true do end end) end",
            "table.sort({3, 2, 1, 5, 4}, function(a, b) while true do end end)",
            "local t <close> = setmetatable({}, { __close = function() while true do end end })\nwhile true do end",
            "xpcall(function() error('first') end, function(e) while true do end end)",
            "local function h(e) return xpcall(function() while true do end end, h) end\nxpcall(function() while true do end end, h)",
        ]
        for script in scripts {
            let start = ContinuousClock.now
            do {
                _ = try load(script, limits: Self.quick)
                Issue.record("\(script): loaded")
            } catch {
                #expect(error.message.contains("stopped: the scenario ran for more than 0.3 seconds"), "\(script): \(error)")
            }
            #expect(ContinuousClock.now - start < .seconds(3), "\(script)")
        }
    }

    /// After a stop the engine is usable again: the next call gets a fresh budget.
    @Test func theLimitIsPerCall() throws {
        let engine = try load("""
            metric("m", function(m)
              n = (n or 0) + 1
              if n == 1 then while true do end end
              return n
            end)
            """, limits: Self.quick)
        var metrics = [Double](repeating: 0, count: MetricCatalog.count + 1)
        #expect(throws: RunFailure.self) { try engine.finishRun(metrics: &metrics) }
        try engine.finishRun(metrics: &metrics)
        #expect(metrics.last == 2)
    }

    @Test func noTimeLimitMeansNoStop() throws {
        let engine = try load("local x = 0 for i = 1, 3e6 do x = x + i end", limits: ScenarioLimits(timePerCall: nil))
        #expect(engine.limits.timePerCall == nil)
    }

    // MARK: Memory

    static let small = ScenarioLimits(timePerCall: .seconds(30), memoryBytes: 16 << 20)

    @Test func goingPastTheMemoryCapIsAClearError() throws {
        for script in [
            "local s = 'x'\nfor i = 1, 40 do s = s .. s end",
            "local t = {}\nfor i = 1, 1e8 do t[i] = i end",
            "local s = string.rep('x', 1e9)",
            "local t = {}\nfor i = 1, 1e7 do t[#t + 1] = normal(i, 1) end",
            "local ok, e = pcall(string.rep, 'x', 1e9)\nerror(e)",
        ] {
            do {
                _ = try load(script, limits: Self.small)
                Issue.record("\(script): loaded")
            } catch {
                #expect(error.message.hasPrefix("test.lua"), "\(script): \(error)")
                #expect(error.message.contains("the scenario used more than 16 MiB of memory"), "\(script): \(error)")
            }
        }
    }

    /// A memory error the scenario catches and recovers from is its own business.
    @Test func aCaughtMemoryErrorCanBeRecoveredFrom() throws {
        let engine = try load("local ok = pcall(string.rep, 'x', 1e9)\nassert(not ok)\nscenario { name = 'recovered' }", limits: Self.small)
        #expect(engine.scenario.name == "recovered")
        #expect(engine.peakMemory <= 17 << 20)
    }

    @Test func memoryCapInTheHookNamesRunAndMonth() throws {
        let text = """
            function on_month(state)
              hoard = hoard or {}
              for i = 1, 1e6 do hoard[#hoard + 1] = { i } end
            end
            """
        #expect {
            _ = try batch(text, limits: Self.small, runs: 2)
        } throws: { error in
            "\(error)".contains("test.lua: the scenario used more than 16 MiB of memory") && (error as? RunFailure)?.month != nil
        }
    }

    /// Host code allocates with the state at its cap (API calls that push
    /// values and messages): nothing crashes, the error is the cap's.
    @Test func apiCallsAtTheCapDoNotCrash() throws {
        for script in [
            "local t = {}\nwhile true do t[#t + 1] = normal(1, 1); pcall(voucher, { budjet = 1 }) end",
            "local t = {}\nwhile true do t[#t + 1] = select(2, pcall(param, 'growth.x', 1)) .. #t end",
        ] {
            do {
                _ = try load(script, limits: ScenarioLimits(timePerCall: .seconds(10), memoryBytes: 4 << 20))
                Issue.record("loaded")
            } catch {
                // Near the cap every refused allocation costs a full collection, so
                // a loop that keeps catching the error may reach the time limit first.
                #expect(error.message.contains("used more than 4 MiB of memory") || error.message.contains("stopped"), "\(error)")
            }
        }
    }

    // MARK: Failing API calls leak nothing

    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(text.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// 1,000,000 failing API calls inside pcall, in ten metric calls of
    /// 100,000: the state's memory (the allocator's count) and the process's
    /// resident size stay flat.
    @Test func aMillionFailingCallsLeaveMemoryFlat() throws {
        let engine = try load("""
            metric("burn", function(m)
              for i = 1, 25000 do
                pcall(voucher, { sector = "catering", start = "2024-05", budjet = i })
                pcall(lever, "household.recruits", i)
                pcall(normal, "a", {})
                pcall(param, "growth.retail", 1)
              end
              return 0
            end)
            """, limits: ScenarioLimits(timePerCall: .seconds(120)))
        var metrics = [Double](repeating: 0, count: MetricCatalog.count + 1)
        var state: [Int] = [], resident: [Int] = []
        let start = ContinuousClock.now
        for _ in 0..<10 {
            try engine.finishRun(metrics: &metrics)
            state.append(engine.memoryInUse)
            resident.append(Self.residentBytes())
        }
        let elapsed = ContinuousClock.now - start
        print("1,000,000 failing API calls in \(elapsed); Lua state bytes \(state); RSS bytes \(resident)")
        // Lua's collector lets garbage reach about twice the live data: flat means bounded, not growing.
        #expect(state.dropFirst(2).allSatisfy { $0 < 4 << 20 }, "\(state)")
        // The resident size is the whole test process's, shared with suites
        // running alongside; a leak of even 64 bytes a call would add 61 MiB.
        #expect(resident.last! - resident[1] < 48 << 20, "\(resident)")
    }
}
