import ArgumentParser
import Foundation
import LiaoLua

/// `liaosim lua-defs`: editor annotations for the scenario API.
struct LuaDefs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lua-defs",
        abstract: "Write Lua Language Server annotations (---@meta) for the scenario API.",
        discussion: """
            With --folder DIR, writes DIR/types/liaosim.lua and DIR/.luarc.json, so editors
            with the Lua Language Server complete and check scenarios in DIR.
            """
    )

    @Option(help: "Scenario folder to set up (writes types/liaosim.lua and .luarc.json there).")
    var folder: String?

    func run() throws {
        guard let folder else {
            print(LuaDefinitions.text(), terminator: "")
            return
        }
        let types = URL(fileURLWithPath: folder).appendingPathComponent("types")
        do {
            try FileManager.default.createDirectory(at: types, withIntermediateDirectories: true)
            try OutputFile.write(Data(LuaDefinitions.text().utf8), to: types.appendingPathComponent("liaosim.lua").path)
            try OutputFile.write(Data(LuaDefinitions.luarc.utf8), to: URL(fileURLWithPath: folder).appendingPathComponent(".luarc.json").path)
        } catch {
            throw CLIError.report(error)
        }
    }
}
