import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua

/// `liaosim lua-defs`: editor annotations for the scenario API.
struct LuaDefs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lua-defs",
        abstract: "Write Lua Language Server annotations (---@meta) for the scenario API.",
        discussion: """
            With --folder DIR, writes DIR/types/liaosim.lua and DIR/.luarc.json, so editors \
            with the Lua Language Server complete and check scenarios in DIR.
            """
    )

    @Option(help: "Scenario folder to set up (writes types/liaosim.lua and .luarc.json there).")
    var folder: String?

    func run() throws {
        guard let folder else {
            do { try ReportOutput.print(LuaDefinitions.text()) } catch { throw CLIError.report(error) }
            return
        }
        // The folder itself may be new, but not its parent: a mistyped path makes no tree of folders.
        var isFolder: ObjCBool = false
        let isNew = !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
        if !isNew {
            guard isFolder.boolValue else { throw CLIError.report(UsageError("--folder \(folder) is a file; give the scenario folder")) }
        } else {
            let where_ = PathName.folderOrCurrent(of: folder)
            guard FileManager.default.fileExists(atPath: where_, isDirectory: &isFolder), isFolder.boolValue else {
                throw CLIError.report(UsageError("--folder \(folder): there is no folder \(where_); make it first (mkdir -p \(folder))"))
            }
        }
        let types = URL(fileURLWithPath: folder).appendingPathComponent("types")
        do {
            try FileManager.default.createDirectory(at: types, withIntermediateDirectories: true)
            if isNew { StandardError.write("liaosim: made the folder \(folder)\n") }
            try OutputFile.write(Data(LuaDefinitions.text().utf8), to: types.appendingPathComponent("liaosim.lua").path)
            // An editor configuration of the user's own is kept: only liaosim's own is rewritten.
            let luarc = URL(fileURLWithPath: folder).appendingPathComponent(".luarc.json").path
            if let existing = FileManager.default.contents(atPath: luarc), existing != Data(LuaDefinitions.luarc.utf8) {
                // One that already names the types folder (an earlier liaosim's, or edited) needs nothing.
                if String(decoding: existing, as: UTF8.self).contains("\"types\"") { return }
                StandardError.write("""
                    liaosim: left \(luarc) as it was (it is not the one liaosim writes); \
                    add "types" to its "workspace.library" for completion in scenarios

                    """)
            } else {
                try OutputFile.write(Data(LuaDefinitions.luarc.utf8), to: luarc)
            }
        } catch {
            throw CLIError.report(error)
        }
    }
}
