import Foundation
import Synchronization
import LiaoCore
import LiaoLua
import Testing

/// What a scenario cannot reach: each hole of the sandbox, tried.
@Suite struct SandboxTests {
    /// Each script must fail to load with a message containing the fragment.
    static let refused: [(String, String)] = [
        ("io.open('/etc/passwd')", "'io.open' is not available in scenarios"),
        ("os.remove('x')", "'os.remove' is not available in scenarios"),
        ("debug.getregistry()", "'debug.getregistry' is not available in scenarios"),
        ("package.loadlib('x', 'y')", "'package.loadlib' is not available in scenarios"),
        ("coroutine.wrap(print)", "'coroutine.wrap' is not available in scenarios"),
        ("collectgarbage()", "'collectgarbage' is not available in scenarios"),
        ("dofile('/etc/passwd')", "'dofile' is not available in scenarios"),
        ("loadfile('/etc/passwd')", "'loadfile' is not available in scenarios"),
        ("string.dump(print)", "'string.dump' is not available in scenarios"),
        // The string library is also the strings' __index.
        ("local f = ('').dump; f(print)", "'string.dump' is not available in scenarios"),
        // The strings' metatable is protected: it cannot be read or changed.
        ("getmetatable('').__index.dump(print)", "attempt to index a boolean value"),
        ("local mt = getmetatable(''); mt.__add = 1", "attempt to index a boolean value"),
        ("setmetatable('', {})", "table expected"),
        // Binary chunks: by mode, and by content in text mode.
        ("load('return 1', 'x', 'b')", "text chunks only"),
        ("load('return 1', 'x', 'bt')", "text chunks only"),
        ("assert(load('\\27Lua\\x54\\0'))", "attempt to load a binary chunk"),
        ("local parts = {'\\27Lua', '\\x54'}; local i = 0; assert(load(function() i = i + 1; return parts[i] end))", "binary chunk"),
        // Putting names back does not help: there is nothing to put back.
        ("rawset(_G, 'io', nil); io.open('x')", "attempt to index a nil value (global 'io')"),
        ("local _ENV = { print = print }; io.open('x')", "attempt to index a nil value"),
        ("io.open = function() end", "'io.open' is not available in scenarios"),
        ("rawget(io, 'open')('x')", "attempt to call a nil value"),
        // Finalizers could run scenario code in the middle of host code.
        ("setmetatable({}, { __gc = function() end })", "__gc finalizers are not available in scenarios"),
        // Distribution tables cannot be forged or bent.
        ("local d = normal(0.05, 0.01); d[2] = -1; param('growth.retail', d)", "standard deviation must be >= 0"),
        ("local d = beta(2, 2); d.kind = 'voucher'; param('voucher.redemption', d)", "kind was changed"),
        ("assert(getmetatable(normal(1, 1)) == false); param('growth.retail', setmetatable({kind='fixed', 1}, {}))", "expected a number or a distribution"),
        // Modules: names only, no paths.
        ("require('../x')", "not a module name"),
        ("require('/etc/passwd')", "not a module name"),
        ("require('plan.lua')", "not a module name"),
        ("require(string.rep('a', 1000))", "not a module name"),
    ]

    @Test func everyHoleIsClosed() throws {
        for (script, fragment) in Self.refused {
            let message = loadError(script)
            #expect(message?.contains(fragment) == true, "\(script): \(message ?? "loaded")")
            #expect(message?.hasPrefix("test.lua:1:") == true, "\(script): \(message ?? "loaded")")
        }
    }

    /// What scenarios do get keeps working.
    @Test func whatScenariosNeedStillWorks() throws {
        let engine = try loadScenario("""
            assert(("abc"):upper() == "ABC" and string.format("%d", 3) == "3")
            assert(utf8.len("聊城") == 2 and math.floor(2.5) == 2 and table.concat({1, 2}, ",") == "1,2")
            assert(load("return 1 + 1")() == 2)
            assert(load("return x", "chunk", "t", { x = 5 })() == 5)
            local t = setmetatable({}, { __index = function() return 7 end })
            assert(t.anything == 7 and getmetatable(t) ~= nil)
            assert(select(2, pcall(error, "e", 0)) == "e")
            warn("@on")
            """)
        #expect(engine.scenario.name == "test")
    }

    /// A scenario that gives _G a raising __index does not crash the host
    /// when it looks up on_month.
    @Test func metatableOnGlobalsCannotRaiseInHostCode() throws {
        let message = loadError("setmetatable(_G, { __index = function(_, k) error('boom ' .. k) end })")
        #expect(message == nil, "\(message ?? "")")
        let engine = try loadScenario("""
            function on_month(s) end
            setmetatable(_G, { __index = function(_, k) error('no ' .. k) end, __newindex = function() error('ro') end })
            """)
        #expect(engine.observesMonths)
    }

    /// getmetatable(_ENV) inside a run is protected.
    @Test func runEnvironmentMetatableIsProtected() throws {
        #expect {
            _ = try runBatch("metric('m', function(m) setmetatable(_ENV, {}) return 1 end)", runs: 1, threads: 1)
        } throws: { error in "\(error)".contains("cannot change a protected metatable") }
    }

    // MARK: require

    private func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("liaosim-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Self.madeFolders.withLock { $0.append(dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// The folders `folder` made, removed when the test process exits.
    private static let madeFolders: Mutex<[URL]> = {
        atexit { SandboxTests.madeFolders.withLock { for dir in $0 { try? FileManager.default.removeItem(at: dir) } } }
        return Mutex([])
    }()

    private func loadFile(_ dir: URL, _ name: String = "main.lua") -> String? {
        do {
            _ = try LuaScenarioEngine(path: dir.appendingPathComponent(name).path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func requireLoadsModulesBesideTheScenarioOnce() throws {
        let dir = try folder([
            "main.lua": "local a = require('helper'); local b = require('helper'); assert(a == b and a.n == 1)",
            "helper.lua": "count = (count or 0) + 1; return { n = count }",
        ])
        #expect(loadFile(dir) == nil)
    }

    @Test func aModuleThatRequiresItselfIsNamed() throws {
        let dir = try folder([
            "main.lua": "require('a')",
            "a.lua": "require('b')",
            "b.lua": "\nrequire('a')",
        ])
        let message = try #require(loadFile(dir))
        #expect(message.contains("module 'a' requires itself (a -> b -> a)"), "\(message)")
        #expect(message.contains("b.lua:2:"), "\(message)")
    }

    @Test func symlinksOutOfTheFolderAreRefused() throws {
        let outside = try folder(["secret.lua": "return 42"])
        let dir = try folder(["main.lua": "require('link')", "ok_target.lua": "return 1"])
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("link.lua").path, withDestinationPath: outside.appendingPathComponent("secret.lua").path)
        let message = try #require(loadFile(dir))
        #expect(message.contains("leads outside the scenario's folder"), "\(message)")
        #expect(message.contains("main.lua:1: require"), "\(message)")
        // A link inside the folder to a file in the folder is fine.
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("inside.lua").path, withDestinationPath: "ok_target.lua")
        try "assert(require('inside') == 1)".write(to: dir.appendingPathComponent("main2.lua"), atomically: true, encoding: .utf8)
        #expect(loadFile(dir, "main2.lua") == nil)
    }

    @Test func modulesMustBeRegularTextFiles() throws {
        let dir = try folder(["main.lua": "require('pipe')", "bin.lua": "\u{1B}Lua", "main3.lua": "require('bin')"])
        #expect(mkfifo(dir.appendingPathComponent("pipe.lua").path, 0o600) == 0)
        let message = try #require(loadFile(dir))
        #expect(message.contains("not a regular file"), "\(message)")
        let binary = try #require(loadFile(dir, "main3.lua"))
        #expect(binary.contains("precompiled Lua chunks are not accepted"), "\(binary)")
    }

    @Test func missingModuleIsReportedAtTheRequire() throws {
        let dir = try folder(["main.lua": "\n\nrequire('nothere')"])
        let message = try #require(loadFile(dir))
        #expect(message.contains("main.lua:3: require: no module 'nothere'"), "\(message)")
    }

    /// A huge misspelt name neither hangs the "did you mean" search nor makes a huge message.
    @Test func hugeNamesGiveShortMessagesQuickly() throws {
        let start = ContinuousClock.now
        let message = try #require(loadError("param(string.rep('growth.', 2000000), 1)"))
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(message.count < 3000 && message.contains("unknown parameter"), "\(message.prefix(200))")
    }
}

/// Files as editors save them.
@Suite struct ScenarioFileTests {
    @Test func aByteOrderMarkIsDropped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaosim-bom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bom.lua")
        try Data([0xEF, 0xBB, 0xBF] + Array("voucher { sector = 'catering', start = '2025-3', budget = 0.5 }\n".utf8)).write(to: file)
        // The mark is not Lua; the line numbers are those of the file.
        do {
            _ = try LuaScenarioEngine(path: file.path)
            Issue.record("a bad month was accepted")
        } catch {
            #expect(error.message.contains("bom.lua:1: voucher: field 'start' must be a month"), "\(error.message)")
        }
    }
}
