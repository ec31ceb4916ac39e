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
        return try ScenarioSource.read(path: path)
    }
}
