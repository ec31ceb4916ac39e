import Foundation
import LiaoCore
import LiaoLua

/// Finds and loads scenarios named on the command line; no name means the
/// bundled plan, which works from any working directory.
enum ScenarioFiles {
    static let bundledPlanName = "scenarios/plan.lua"

    static func source(_ path: String?) throws(ScenarioError) -> ScenarioSource {
        guard let path else {
            return ScenarioSource(displayName: bundledPlanName, bytes: PackageResources.plan_lua)
        }
        do {
            return try ScenarioSource.read(path: path)
        } catch where error.kind == .noInput && !FileManager.default.fileExists(atPath: path) {
            // An example scenario named from another folder: say where the examples are.
            guard let plan = LuaScenarioEngine.repositoryPlanPath else { throw error }
            let example = PathName.folder(of: plan) + "/" + (path.split(separator: "/").last.map(String.init) ?? path)
            guard example != path, FileManager.default.fileExists(atPath: example) else { throw error }
            throw ScenarioError(.noInput, "\(error.message); liaosim's example is \(example)")
        }
    }
}
