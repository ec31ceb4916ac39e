import ArgumentParser
import LiaoCore

/// `liaosim`: odds of reaching the Liaocheng 2024–2025 service-sector plan's
/// targets under a policy mix written as a Lua scenario.
struct Liaosim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liaosim",
        abstract: "Monte Carlo odds of the Liaocheng 2024-2025 service-sector plan's targets.",
        discussion: """
            Scenarios are Lua 5.4 files (see scenarios/ and the README). Without a \
            scenario, commands use the bundled plan as written (scenarios/plan.lua).
            """,
        version: LiaosimVersion.string,
        subcommands: [Run.self, Compare.self, Trace.self, Sensitivity.self, Sweep.self, Solve.self, Merge.self, Params.self, LuaDefs.self]
    )
}
