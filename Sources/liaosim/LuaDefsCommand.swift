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
            // An editor configuration of the user's own is kept: only liaosim's own is rewritten.
            let luarc = URL(fileURLWithPath: folder).appendingPathComponent(".luarc.json").path
            if let existing = FileManager.default.contents(atPath: luarc), existing != Data(LuaDefinitions.luarc.utf8) {
                FileHandle.standardError.write(Data("""
                    liaosim: left \(luarc) as it was (it is not the one liaosim writes); \
                    add "types" to its "workspace.library" for completion in scenarios

                    """.utf8))
            } else {
                try OutputFile.write(Data(LuaDefinitions.luarc.utf8), to: luarc)
            }
        } catch {
            throw CLIError.report(error)
        }
    }
}
