import Foundation
import LiaoCore
import LiaoLua
import Testing

/// A project's VA ramps up as MODEL §4 says, whatever its ramp length (whole,
/// fractional, shorter than a month, longer than the simulation) and
/// whenever it completes (before month 0, inside, after the last month).
@Suite struct ProjectRampTests {
    /// Services VA of the central path with one project added, minus without it.
    static func addedValue(planned: Int, ramp: Double) throws -> [Double] {
        let base = try CentralPath.run(try CompiledScenario(Scenario(name: "base")))
        var schedule = InstrumentSchedule()
        schedule.projects.append(Project(
            name: "stations", sector: .services, count: 3, planned: planned, delayMeanMonths: 2,
            cancelProbability: 0.2, upliftYiPerYear: 0.12, sigma: 0.5, rampMonths: ramp))
        let record = try CentralPath.run(try CompiledScenario(Scenario(name: "with", schedule: schedule)))
        let services = Sector.services.rawValue * SimCalendar.months
        return (0..<SimCalendar.months).map { record.monthlyValueAdded[services + $0] - base.monthlyValueAdded[services + $0] }
    }

    @Test(arguments: [0.0, 0.5, 1.0, 2.5, 6.0, 7.3, 30.0])
    func rampMatchesTheModel(ramp: Double) throws {
        // Central path: every unit at planned + ⌊2 + 0.5⌋, weight 1 − 0.2, effect 0.12亿元 a year.
        let full = 3 * 0.8 * 0.12 / 12
        for planned in [-12, -3, 0, 4, 21, 22, 30] {
            let completed = planned + 2
            let added = try Self.addedValue(planned: planned, ramp: ramp)
            for t in 0..<SimCalendar.months {
                let elapsed = Double(t - completed + 1)
                let share = ramp > 0 ? min(max(elapsed / ramp, 0), 1) : (t >= completed ? 1 : 0)
                #expect(abs(added[t] - full * share) <= 1e-12,
                        "ramp \(ramp), completed \(completed), month \(t): \(added[t]) vs \(full * share)")
            }
        }
    }

    /// Projects written in a scenario go through the same path.
    @Test func scenarioProjectsRampAsWritten() throws {
        let base = try CentralPath.run(try CompiledScenario(try loadScenario("").scenario))
        let engine = try loadScenario("""
            project { name = "stations", sector = "services", count = 3, planned = "2024-05", delay_mean = 2,
                      cancel = 0.2, uplift = 0.12, sigma = 0.5, ramp = 2.5 }
            """)
        let record = try CentralPath.run(try CompiledScenario(engine.scenario))
        let services = Sector.services.rawValue * SimCalendar.months
        let expected = try Self.addedValue(planned: 4, ramp: 2.5)
        for t in 0..<SimCalendar.months {
            let added = record.monthlyValueAdded[services + t] - base.monthlyValueAdded[services + t]
            #expect(abs(added - expected[t]) <= 1e-12, "month \(t)")
        }
    }
}

/// Edge cases of the star-hotel block that must stay finite.
@Suite struct HotelEdgeTests {
    /// Every hotel delisted, no upgrades and no induced demand (elasticity 0,
    /// inside its range): (K/K₀)^0 is 1 even with no rooms left, so the
    /// accommodation VA and every metric stay finite.
    @Test func noRoomsLeftWithoutInducedDemandStaysFinite() throws {
        let text = """
            scenario { name = "no_rooms", runs = 50, seed = 1 }
            param("hotels.induced_demand", 0)
            param("hotels.delist_rate", 1)
            param("hotels.star_count0", 1)
            lever("hotels.upgrades_per_year", 0)
            """
        let result = try runBatch(text, runs: 50)
        for (name, summary) in zip(result.metricNames, result.metrics) {
            #expect(summary.nonFiniteCount == 0, "\(name) had \(summary.nonFiniteCount) non-finite values")
        }
        let accommodation = result.metricNames.firstIndex(of: "va.accommodation.2025")!
        #expect(result.metrics[accommodation].mean > 0)
    }
}
