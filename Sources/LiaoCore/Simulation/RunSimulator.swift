import Foundation

/// Simulates one run of 24 months (MODEL §3–§8). The central path and every
/// Monte Carlo run go through `run`; only the `Draws` differ.
public struct RunSimulator: Sendable {
    public let compiled: CompiledScenario

    public init(_ compiled: CompiledScenario) { self.compiled = compiled }

    /// A record sized for this scenario, to be reused across runs.
    public func makeRecord() -> RunRecord { RunRecord(customMetricCount: compiled.scenario.customMetrics.count) }

    /// Simulates run `run`, leaving its months and metrics in `record`.
    public func run<D: Draws, O: MonthObserver>(
        run: Int, seed: UInt64, draws: inout D, observer: inout O, record: inout RunRecord
    ) throws {
        let scenario = compiled.scenario
        let months = SimCalendar.months
        record.clearScratch()

        // Parameters, in catalogue order.
        for id in ParameterID.allCases {
            record.parameters[id.rawValue] = draws.parameter(id, scenario.parameters[id])
        }
        let p = record.parameters
        try observer.beginRun(run, seed: seed, parameters: p)

        draws.demandMultipliers(
            rho: p[ParameterID.shockRho.rawValue], shockSD: p[ParameterID.shockSD.rawValue],
            loadings: Sector.allCases.map { p[ParameterID.loading($0).rawValue] },
            noiseSDs: Sector.allCases.map { p[ParameterID.noise($0).rawValue] },
            into: &record.multipliers)

        // Levers start at their parameter values; scheduled changes follow.
        for lever in Lever.allCases {
            for t in 0..<months { record.leverValues[lever.rawValue * months + t] = p[lever.parameter.rawValue] }
        }
        let schedule = scenario.schedule
        for change in schedule.leverChanges { Self.apply(change, &record) }
        for v in schedule.vouchers { Self.apply(v, p, &record) }
        for tradeIn in schedule.tradeIns { Self.apply(tradeIn, p, &record) }
        for event in schedule.events { Self.apply(event, p, &record) }
        for (i, project) in schedule.projects.enumerated() {
            Self.apply(project, component: compiled.projectComponents[i], &draws, &record)
        }
        for (i, hotel) in schedule.hotelProjects.enumerated() {
            Self.apply(hotel, component: compiled.hotelProjectComponents[i], &draws, &record)
        }

        try simulateMonths(run: run, p: p, draws: &draws, observer: &observer, record: &record)
        computeMetrics(p: p, record: &record)
        try observer.finishRun(metrics: &record.metrics)
    }

    private func simulateMonths<D: Draws, O: MonthObserver>(
        run: Int, p: [Double], draws: inout D, observer: inout O, record: inout RunRecord
    ) throws {
        let months = SimCalendar.months
        let baseHospitality = p[ParameterID.baseHospitality.rawValue]
        let accommodationShare = p[ParameterID.baseAccommodationShare.rawValue]
        let base = [
            p[ParameterID.baseRetail.rawValue], baseHospitality * (1 - accommodationShare),
            baseHospitality * accommodationShare, p[ParameterID.baseServices.rawValue],
        ]
        let vaRatio = [
            0.5 * p[ParameterID.retailMargin.rawValue], p[ParameterID.vaRatioCatering.rawValue],
            p[ParameterID.vaRatioAccommodation.rawValue], p[ParameterID.vaRatioServices.rawValue],
        ]
        // (1 + g)^τ(t) and P(t) = (1 + π)^τ(t), by month: τ(t) = 6.5/12 + t/12.
        var growthFactor = [Double](repeating: 0, count: Sector.count * months)
        var priceLevel = [Double](repeating: 0, count: Sector.count * months)
        for s in Sector.allCases {
            let g = 1 + p[ParameterID.growth(s).rawValue]
            let pi = 1 + p[ParameterID.inflation(s).rawValue]
            for t in 0..<months {
                let tau = SimCalendar.yearsSinceBase(t)
                growthFactor[s.rawValue * months + t] = pow(g, tau)
                priceLevel[s.rawValue * months + t] = pow(pi, tau)
            }
        }

        // Star hotels (MODEL §5).
        let roomsPerHotel = p[ParameterID.hotelsRoomsPerHotel.rawValue]
        var hotels = p[ParameterID.hotelsStarCount0.rawValue]
        var rooms = hotels * roomsPerHotel
        let rooms0 = rooms
        let occupancy0 = p[ParameterID.hotelsOccupancy0.rawValue]
        let occupancyMax = p[ParameterID.hotelsOccupancyMax.rawValue]
        let inducedDemand = p[ParameterID.hotelsInducedDemand.rawValue]
        let delistPerMonth = p[ParameterID.hotelsDelistRate.rawValue] / 12
        let starShare = p[ParameterID.hotelsStarShare.rawValue]
        let normalRoomNights = rooms0 * occupancy0 * 365 / 12
        let starValueAddedPerMonth = base[Sector.accommodation.rawValue] * starShare / 12

        // Household services (MODEL §6).
        let workers0 = p[ParameterID.householdWorkers0.rawValue]
        var workers = workers0
        var firms = p[ParameterID.householdFirms0.rawValue]
        let attrition = p[ParameterID.householdAttrition.rawValue]
        let householdValuePerWorker = p[ParameterID.householdRevenuePerWorkerMonth.rawValue]
            * p[ParameterID.householdAdditionality.rawValue] * vaRatio[Sector.services.rawValue] / 1e8

        let acc = Sector.accommodation.rawValue
        var state = MonthState()

        for t in 0..<months {
            let m = SimCalendar.calendarMonth(t)
            let days = SimCalendar.days(t)
            var baseline = [Double](repeating: 0, count: Sector.count)
            for s in 0..<Sector.count {
                let i = s * months + t
                baseline[s] = base[s] / 12 * Seasonality.normalised[s][m] * growthFactor[i] * priceLevel[i]
                    * record.multipliers[i]
            }

            // Hotels: openings, upgrades, demand, sales, delisting.
            hotels += record.openingHotels[t]
            rooms += record.openingRooms[t]
            let upgrades = draws.poisson(
                .hotelUpgrades, mean: record.leverValues[Lever.hotelsUpgradesPerYear.rawValue * months + t] / 12)
            hotels += upgrades
            rooms += upgrades * roomsPerHotel
            let demand = normalRoomNights * Seasonality.normalised[acc][m] * growthFactor[acc * months + t]
                * record.multipliers[acc * months + t] * pow(rooms / rooms0, inducedDemand)
                + record.eventRoomNights[t]
            let sold = min(demand, occupancyMax * rooms * days)
            let occupancy = rooms > 0 ? sold / (rooms * days) : 0
            let starValueAdded = starValueAddedPerMonth * sold / normalRoomNights * priceLevel[acc * months + t]
            let delisted = draws.binomial(.hotelDelistings, trials: hotels, probability: delistPerMonth)
            if hotels > 0 { rooms -= delisted * rooms / hotels }
            hotels -= delisted

            // Household-service workers and firms.
            let recruits = draws.poisson(
                .householdRecruits, mean: record.leverValues[Lever.householdRecruitsPerMonth.rawValue * months + t])
            let leaving = draws.binomial(.householdAttrition, trials: workers, probability: attrition)
            workers += recruits - leaving
            firms += draws.poisson(
                .householdNewFirms, mean: record.leverValues[Lever.householdFirmsPerMonth.rawValue * months + t])
            let householdValueAdded = (workers - workers0) * householdValuePerWorker
                * priceLevel[Sector.services.rawValue * months + t]

            for s in 0..<Sector.count {
                let i = s * months + t
                var va = baseline[s] + vaRatio[s] * record.extraSpending[i] + record.projectValueAdded[i]
                if s == acc { va = baseline[s] * (1 - starShare) + starValueAdded + vaRatio[s] * record.extraSpending[i] + record.projectValueAdded[i] }
                if s == Sector.services.rawValue { va += householdValueAdded }
                record.monthlyValueAdded[i] = va
            }
            record.monthlyStarHotels[t] = hotels
            record.monthlyStarRooms[t] = rooms
            record.monthlyOccupancy[t] = occupancy
            record.monthlyWorkers[t] = workers
            record.monthlyFirms[t] = firms

            if observer.observesMonths {
                state.month = t
                for s in 0..<Sector.count {
                    let va = record.monthlyValueAdded[s * months + t]
                    state.valueAdded[s] = va
                    state.yearToDate[s] = (m == 0 ? 0 : state.yearToDate[s]) + va
                }
                state.starHotels = hotels
                state.starRooms = rooms
                state.occupancy = occupancy
                state.householdWorkers = workers
                state.householdFirms = firms
                do {
                    try observer.monthEnded(state, schedule: &record.hookSchedule)
                } catch let failure as RunFailure {
                    throw RunFailure(message: failure.message, run: failure.run ?? run, month: failure.month ?? t)
                }
                if !record.hookSchedule.isEmpty { applyHookSchedule(p: p, draws: &draws, record: &record) }
            }
        }
    }

    /// Applies what the hook scheduled this month; it takes effect from next month.
    private func applyHookSchedule<D: Draws>(p: [Double], draws: inout D, record: inout RunRecord) {
        let scheduled = record.hookSchedule
        record.hookSchedule.removeAll()
        for change in scheduled.leverChanges { Self.apply(change, &record) }
        for v in scheduled.vouchers { Self.apply(v, p, &record) }
        for tradeIn in scheduled.tradeIns { Self.apply(tradeIn, p, &record) }
        for event in scheduled.events { Self.apply(event, p, &record) }
        for project in scheduled.projects {
            let component = ComponentName.id("hook.project.\(project.name)#\(record.hookProgrammes)")
            record.hookProgrammes += 1
            Self.apply(project, component: component, &draws, &record)
        }
        for hotel in scheduled.hotelProjects {
            let component = ComponentName.id("hook.hotel_project#\(record.hookProgrammes)")
            record.hookProgrammes += 1
            Self.apply(hotel, component: component, &draws, &record)
        }
    }
}
