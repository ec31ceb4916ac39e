import Foundation
import LiaoCore
import LiaoLua
import Testing

/// Editor annotations cover the whole API and stay in step with the tool.
@Suite struct LuaDefinitionsTests {
    @Test func annotationsNameEveryFunctionParameterAndMetric() {
        let text = LuaDefinitions.text()
        #expect(text.hasPrefix("---@meta"))
        for function in ["scenario", "param", "lever", "goal", "metric", "fixed", "normal", "lognormal", "beta", "uniform",
                         "triangular", "pert", "input", "correlate", "voucher", "tradein", "event", "project", "hotel_project", "require"] {
            #expect(text.contains("function \(function)("), "\(function)")
        }
        for key in ParameterCatalog.keys { #expect(text.contains("\"\(key)\""), "\(key)") }
        for name in MetricCatalog.names { #expect(text.contains("\"\(name)\""), "\(name)") }
    }

    @Test func committedAnnotationsAreCurrent() throws {
        let committed = try String(
            contentsOf: repositoryRoot.appendingPathComponent("scenarios/types/liaosim.lua"), encoding: .utf8)
        #expect(committed == LuaDefinitions.text(), "run `liaosim lua-defs --folder scenarios` and commit")
        let luarc = try Data(contentsOf: repositoryRoot.appendingPathComponent("scenarios/.luarc.json"))
        let json = try JSONSerialization.jsonObject(with: luarc) as? [String: Any]
        #expect(json?["runtime.version"] as? String == "Lua 5.4")
    }

    /// The annotation file is valid Lua that defines nothing harmful when loaded by mistake.
    @Test func annotationFileIsValidLua() throws {
        let engine = try loadScenario(LuaDefinitions.text().replacingOccurrences(of: "on_month = nil", with: ""))
        #expect(engine.scenario.schedule.isEmpty)
    }
}
