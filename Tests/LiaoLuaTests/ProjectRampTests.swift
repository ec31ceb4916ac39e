import Foundation
import LiaoCore
import LiaoLua
import Testing

/// A project's VA ramps up as MODEL §4 says, whatever its ramp length (whole,
/// fractional, shorter than a month, longer than the simulation).
@Suite struct ProjectRampTests {
    @Test(arguments: [0.0, 0.5, 1.0, 2.5, 6.0, 7.3, 30.0])
    func rampMatchesTheModel(ramp: Double) throws {
        let base = try CentralPath.run(try CompiledScenario(try loadScenario("").scenario))
        let withProject = try loadScenario("""
            project { name = "stations", sector = "services", count = 3, planned = "2024-05", delay_mean = 2,
                      cancel = 0.2, uplift = 0.12, sigma = 0.5, ramp = \(ramp) }
            """)
        let record = try CentralPath.run(try CompiledScenario(withProject.scenario))
        // Central path: every unit at planned + ⌊2 + 0.5⌋ = 2024-07 (t = 6), weight 1 − 0.2, effect 0.12亿元 a year.
        let completed = 6
        let full = 3 * 0.8 * 0.12 / 12
        let months = SimCalendar.months
        let services = Sector.services.rawValue * months
        for t in 0..<months {
            let elapsed = Double(t - completed + 1)
            let share = ramp > 0 ? min(max(elapsed / ramp, 0), 1) : (t >= completed ? 1 : 0)
            let added = record.monthlyValueAdded[services + t] - base.monthlyValueAdded[services + t]
            #expect(abs(added - full * share) <= 1e-12, "ramp \(ramp), month \(t): \(added) vs \(full * share)")
        }
    }
}
