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
        // The observer is reached through closures, so the simulation itself
        // is compiled for the concrete `Draws` type even when the caller is
        // generic over the observer: the two draw types of the model get a
        // specialised body, any other one the generic body.
        let observesMonths = observer.observesMonths
        if D.self == RandomDraws.self {
            try withUnsafeMutablePointer(to: &draws) { pointer in
                try pointer.withMemoryRebound(to: RandomDraws.self, capacity: 1) { random in
                    try simulate(
                        run: run, seed: seed, draws: &random.pointee, record: &record, observesMonths: observesMonths,
                        beginRun: { try observer.beginRun($0, seed: $1, parameters: $2) },
                        monthEnded: { try observer.monthEnded($0, schedule: &$1) },
                        finishRun: { try observer.finishRun(metrics: &$0) })
                }
            }
        } else if D.self == CentralDraws.self {
            try withUnsafeMutablePointer(to: &draws) { pointer in
                try pointer.withMemoryRebound(to: CentralDraws.self, capacity: 1) { central in
                    try simulate(
                        run: run, seed: seed, draws: &central.pointee, record: &record, observesMonths: observesMonths,
                        beginRun: { try observer.beginRun($0, seed: $1, parameters: $2) },
                        monthEnded: { try observer.monthEnded($0, schedule: &$1) },
                        finishRun: { try observer.finishRun(metrics: &$0) })
                }
            }
        } else {
            try simulate(
                run: run, seed: seed, draws: &draws, record: &record, observesMonths: observesMonths,
                beginRun: { try observer.beginRun($0, seed: $1, parameters: $2) },
                monthEnded: { try observer.monthEnded($0, schedule: &$1) },
                finishRun: { try observer.finishRun(metrics: &$0) })
        }
    }

    /// The body of `run`, with the observer's three calls passed in.
    private func simulate<D: Draws>(
        run: Int, seed: UInt64, draws: inout D, record: inout RunRecord, observesMonths: Bool,
        beginRun: (Int, UInt64, [Double]) throws -> Void,
        monthEnded: (MonthState, inout InstrumentSchedule) throws -> Void,
        finishRun: (inout [Double]) throws -> Void
    ) throws {
        let scenario = compiled.scenario
        let months = SimCalendar.months
        record.clearScratch()

        // Parameters, in catalogue order: fixed values as they are, the others
        // drawn (no draw depends on another, so the order does not matter).
        let distributions = scenario.parameters.distributions
        record.parameters.withUnsafeMutableBufferPointer { values in
            for (i, value) in compiled.fixedParameters { values[i] = value }
            for id in compiled.uncertainParameters { values[id.rawValue] = draws.parameter(id, distributions[id.rawValue]) }
        }
        let p = record.parameters
        try beginRun(run, seed, p)

        draws.demandMultipliers(
            rho: p[ParameterID.shockRho.rawValue], shockSD: p[ParameterID.shockSD.rawValue],
            loadings: SIMD4(
                p[ParameterID.loading(.retail).rawValue], p[ParameterID.loading(.catering).rawValue],
                p[ParameterID.loading(.accommodation).rawValue], p[ParameterID.loading(.services).rawValue]),
            noiseSDs: SIMD4(
                p[ParameterID.noise(.retail).rawValue], p[ParameterID.noise(.catering).rawValue],
                p[ParameterID.noise(.accommodation).rawValue], p[ParameterID.noise(.services).rawValue]),
            into: &record.multipliers)
        // The month loop reads the multipliers without bounds checks; `Draws` is public.
        precondition(record.multipliers.count == Sector.count * months, "demandMultipliers changed the size of its series")

        // Levers start at their parameter values; scheduled changes follow.
        record.leverValues.withUnsafeMutableBufferPointer { levers in
            for lever in compiled.leverParameters.indices {
                let value = p[compiled.leverParameters[lever]]
                for t in 0..<months { levers[lever &* months &+ t] = value }  // lever · 24 + month
            }
        }
        // Trade-ins and projects come as plain numbers (see `TradeInPlan`).
        let schedule = scenario.schedule
        for change in schedule.leverChanges { Self.apply(change, &record) }
        for v in schedule.vouchers { Self.apply(v, p, &record) }
        for tradeIn in compiled.tradeInPlans { Self.apply(tradeIn, p, &record) }
        for event in schedule.events { Self.apply(event, p, &record) }
        for (i, project) in compiled.projectPlans.enumerated() {
            Self.apply(project, component: compiled.projectComponents[i], &draws, &record)
        }
        for (i, hotel) in schedule.hotelProjects.enumerated() {
            Self.apply(hotel, component: compiled.hotelProjectComponents[i], &draws, &record)
        }

        try simulateMonths(run: run, p: p, draws: &draws, record: &record, observesMonths: observesMonths, monthEnded: monthEnded)
        computeMetrics(p: p, record: &record)
        do {
            try finishRun(&record.metrics)
        } catch let failure as RunFailure {
            throw RunFailure(message: failure.message, run: failure.run ?? run, month: failure.month)
        }
    }

    /// (1 + g)^τ(t) and P(t) = (1 + π)^τ(t) of every sector and month into
    /// the record's scratch. τ(t) = 6.5/12 + t/12 steps by 1/12, so each
    /// series is e^(τ(0)·L) · (e^(L/12))^t with L = log1p(g) (log1p of the
    /// rate itself, which is more accurate than the log of 1 + g): one
    /// logarithm and two exponentials per series and one product per month
    /// (relative error below 1e-14 after 24 steps).
    private func fillGrowthAndPrices(p: [Double], record: inout RunRecord) {
        let months = SimCalendar.months
        let tau0 = compiled.yearsSinceBase[0]
        func fill(_ series: inout [Double], _ s: Int, rate: Double) {
            let logFactor = log1p(rate)
            let step = exp(logFactor / 12)
            var value = exp(logFactor * tau0)
            series.withUnsafeMutableBufferPointer { buffer in
                for t in 0..<months {
                    buffer[s * months + t] = value
                    value *= step
                }
            }
        }
        for s in 0..<Sector.count {
            fill(&record.growthFactor, s, rate: p[compiled.growthParameters[s]])
            fill(&record.priceLevel, s, rate: p[compiled.inflationParameters[s]])
        }
    }

    /// The months of a run. Their results go to buffers on the stack and are
    /// copied into the record's series once the months are done (or a month
    /// fails), so the month loop writes no array: each such write would
    /// check the array's uniqueness.
    private func simulateMonths<D: Draws>(
        run: Int, p: [Double], draws: inout D, record: inout RunRecord, observesMonths: Bool,
        monthEnded: (MonthState, inout InstrumentSchedule) throws -> Void
    ) throws {
        // Two buffers of at most 1 KiB each with 24 months (768 and 960 bytes):
        // Swift keeps those on the stack, where one of 1.7 KiB would be a heap
        // allocation in every run.
        let months = SimCalendar.months
        try withUnsafeTemporaryAllocation(of: Double.self, capacity: Sector.count * months) { valueAdded in
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: MonthSeries.levelCount * months) { levels in
                let series = MonthSeries(months: months, valueAdded: valueAdded, levels: levels)
                var monthsDone = 0
                defer { series.copy(months: monthsDone, into: &record) }
                try simulateMonths(
                    run: run, p: p, draws: &draws, record: &record, observesMonths: observesMonths,
                    monthEnded: monthEnded, out: series, monthsDone: &monthsDone)
            }
        }
    }

    private func simulateMonths<D: Draws>(
        run: Int, p: [Double], draws: inout D, record: inout RunRecord, observesMonths: Bool,
        monthEnded: (MonthState, inout InstrumentSchedule) throws -> Void,
        out: MonthSeries, monthsDone: inout Int
    ) throws {
        let months = SimCalendar.months
        let baseHospitality = p[ParameterID.baseHospitality.rawValue]
        let accommodationShare = p[ParameterID.baseAccommodationShare.rawValue]
        let base = SIMD4(
            p[ParameterID.baseRetail.rawValue], baseHospitality * (1 - accommodationShare),
            baseHospitality * accommodationShare, p[ParameterID.baseServices.rawValue])
        let vaRatio = Self.valueAddedRatios(p)
        fillGrowthAndPrices(p: p, record: &record)
        let seasonal = compiled.seasonal
        let days = compiled.days
        // The month loop reads these without bounds checks (see `subscript(unchecked:)`).
        precondition(seasonal.count == Sector.count * 12 && days.count == months
                     && out.valueAdded.count == Sector.count * months && out.levels.count == MonthSeries.levelCount * months)

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
        // (K/K₀)^ε changes only when the room count does: remember the last one.
        var roomsSeen = Double.nan
        var induced = 0.0

        // Household services (MODEL §6).
        let workers0 = p[ParameterID.householdWorkers0.rawValue]
        var workers = workers0
        var firms = p[ParameterID.householdFirms0.rawValue]
        let attrition = p[ParameterID.householdAttrition.rawValue]
        let householdValuePerWorker = p[ParameterID.householdRevenuePerWorkerMonth.rawValue]
            * p[ParameterID.householdAdditionality.rawValue] * vaRatio[Sector.services.rawValue] / 1e8

        let acc = Sector.accommodation.rawValue
        let services = Sector.services.rawValue
        let upgradesLever = Lever.hotelsUpgradesPerYear.rawValue * months
        let recruitsLever = Lever.householdRecruitsPerMonth.rawValue * months
        let firmsLever = Lever.householdFirmsPerMonth.rawValue * months
        // What the hook sees. A local rather than a field of the record: the
        // hook gets it while the record's schedule is lent out as well, and a
        // field would then be copied for every call.
        var monthState = MonthState()

        for t in 0..<months {
            let m = SimCalendar.calendarMonth(t)
            var baseline = SIMD4<Double>()
            for s in 0..<Sector.count {
                let i = s &* months &+ t
                baseline[s] = base[s] / 12 * seasonal[unchecked: s &* 12 &+ m] * record.growthFactor[unchecked: i]
                    * record.priceLevel[unchecked: i] * record.multipliers[unchecked: i]
            }

            // Hotels: openings, upgrades, demand, sales, delisting.
            hotels += record.openingHotels[unchecked: t]
            rooms += record.openingRooms[unchecked: t]
            let upgrades = draws.poisson(.hotelUpgrades, mean: record.leverValues[unchecked: upgradesLever &+ t] / 12)
            hotels += upgrades
            rooms += upgrades * roomsPerHotel
            if !(rooms == roomsSeen) {
                roomsSeen = rooms
                // pow, not exp(ε·log): with no rooms left and ε = 0 it gives 1, not NaN.
                induced = pow(rooms / rooms0, inducedDemand)
            }
            let accMonth = acc &* months &+ t  // accommodation's entry for this month
            let demand = normalRoomNights * seasonal[unchecked: acc &* 12 &+ m] * record.growthFactor[unchecked: accMonth]
                * record.multipliers[unchecked: accMonth] * induced
                + record.eventRoomNights[unchecked: t]
            let sold = min(demand, occupancyMax * rooms * days[unchecked: t])
            let occupancy = rooms > 0 ? sold / (rooms * days[unchecked: t]) : 0
            let starValueAdded = starValueAddedPerMonth * sold / normalRoomNights * record.priceLevel[unchecked: accMonth]
            let delisted = draws.binomial(.hotelDelistings, trials: hotels, probability: delistPerMonth)
            if hotels > 0 { rooms -= delisted * rooms / hotels }
            hotels -= delisted

            // Household-service workers and firms.
            let recruits = draws.poisson(.householdRecruits, mean: record.leverValues[unchecked: recruitsLever &+ t])
            let leaving = draws.binomial(.householdAttrition, trials: workers, probability: attrition)
            workers += recruits - leaving
            firms += draws.poisson(.householdNewFirms, mean: record.leverValues[unchecked: firmsLever &+ t])
            let householdValueAdded = (workers - workers0) * householdValuePerWorker
                * record.priceLevel[unchecked: services &* months &+ t]

            var valueAdded = SIMD4<Double>()
            for s in 0..<Sector.count {
                let i = s &* months &+ t
                let spending = vaRatio[s] * record.extraSpending[unchecked: i]
                let projects = record.projectValueAdded[unchecked: i]
                var va = baseline[s] + spending + projects
                if s == acc { va = baseline[s] * (1 - starShare) + starValueAdded + spending + projects }
                if s == services { va += householdValueAdded }
                valueAdded[s] = va
                out.valueAdded[i] = va
            }
            out.levels[out.starHotels &+ t] = hotels
            out.levels[out.starRooms &+ t] = rooms
            out.levels[out.occupancy &+ t] = occupancy
            out.levels[out.workers &+ t] = workers
            out.levels[out.firms &+ t] = firms
            monthsDone = t + 1

            if observesMonths {
                monthState.month = t
                monthState.valueAdded = valueAdded
                monthState.yearToDate = (m == 0 ? .zero : monthState.yearToDate) + valueAdded
                monthState.starHotels = hotels
                monthState.starRooms = rooms
                monthState.occupancy = occupancy
                monthState.householdWorkers = workers
                monthState.householdFirms = firms
                monthState.levers = SIMD4(
                    record.leverValues[unchecked: recruitsLever &+ t], record.leverValues[unchecked: firmsLever &+ t],
                    record.leverValues[unchecked: upgradesLever &+ t], 0)
                do {
                    try monthEnded(monthState, &record.hookSchedule)
                } catch let failure as RunFailure {
                    throw RunFailure(message: failure.message, run: failure.run ?? run, month: failure.month ?? t)
                }
                if !record.hookSchedule.isEmpty { applyHookSchedule(p: p, draws: &draws, record: &record) }
            }
        }
    }

    /// Where `simulateMonths` keeps a run's monthly results until it copies
    /// them into the record: VA by sector (`valueAdded[sector * months + t]`),
    /// and star hotels, star rooms, occupancy, workers and firms by month
    /// (`levels[starHotels + t]` ...).
    private struct MonthSeries {
        static let levelCount = 5
        let months: Int
        let valueAdded: UnsafeMutableBufferPointer<Double>
        let levels: UnsafeMutableBufferPointer<Double>
        let starHotels = 0
        let starRooms, occupancy, workers, firms: Int

        init(months: Int, valueAdded: UnsafeMutableBufferPointer<Double>, levels: UnsafeMutableBufferPointer<Double>) {
            self.months = months
            self.valueAdded = valueAdded
            self.levels = levels
            starRooms = months
            occupancy = 2 * months
            workers = 3 * months
            firms = 4 * months
        }

        /// Copies months 0..<`done` into the record's series.
        func copy(months done: Int, into record: inout RunRecord) {
            guard done > 0 else { return }
            func copy(_ out: UnsafeMutableBufferPointer<Double>, _ from: Int, _ to: inout [Double], at offset: Int = 0) {
                guard let source = out.baseAddress else { return }
                to.withUnsafeMutableBufferPointer { target in
                    precondition(offset + done <= target.count && from + done <= out.count)
                    (target.baseAddress! + offset).update(from: source + from, count: done)
                }
            }
            for s in 0..<Sector.count { copy(valueAdded, s * months, &record.monthlyValueAdded, at: s * months) }
            copy(levels, starHotels, &record.monthlyStarHotels)
            copy(levels, starRooms, &record.monthlyStarRooms)
            copy(levels, occupancy, &record.monthlyOccupancy)
            copy(levels, workers, &record.monthlyWorkers)
            copy(levels, firms, &record.monthlyFirms)
        }
    }

    /// Applies what the hook scheduled this month; it takes effect from next month.
    private func applyHookSchedule<D: Draws>(p: [Double], draws: inout D, record: inout RunRecord) {
        // Take the schedule's buffers, and hand them back emptied afterwards,
        // so the hook's next instruments need no new storage.
        var scheduled = InstrumentSchedule()
        swap(&scheduled, &record.hookSchedule)
        defer {
            scheduled.removeAll()
            swap(&scheduled, &record.hookSchedule)
        }
        for change in scheduled.leverChanges { Self.apply(change, &record) }
        for v in scheduled.vouchers { Self.apply(v, p, &record) }
        for tradeIn in scheduled.tradeIns { Self.apply(tradeIn, p, &record) }
        for event in scheduled.events { Self.apply(event, p, &record) }
        for project in scheduled.projects {
            let component = Self.hookComponent(project: project.name, index: record.hookProgrammes)
            record.hookProgrammes += 1
            Self.apply(project, component: component, &draws, &record)
        }
        for hotel in scheduled.hotelProjects {
            let component = Self.hookComponent(project: nil, index: record.hookProgrammes)
            record.hookProgrammes += 1
            Self.apply(hotel, component: component, &draws, &record)
        }
    }

    /// VA per unit of extra spending by sector (MODEL §4): catering,
    /// accommodation and services their VA ratios, retail half its trade margin.
    @inline(__always)
    static func valueAddedRatios(_ p: [Double]) -> SIMD4<Double> {
        SIMD4(
            0.5 * p[ParameterID.retailMargin.rawValue], p[ParameterID.vaRatioCatering.rawValue],
            p[ParameterID.vaRatioAccommodation.rawValue], p[ParameterID.vaRatioServices.rawValue])
    }

    /// Substream of the `index`-th programme scheduled by the hook in a run:
    /// a project by name, or a hotel project (nil).
    static func hookComponent(project name: String?, index: Int) -> UInt64 {
        ComponentName.id(name.map { "hook.project.\($0)#\(index)" } ?? "hook.hotel_project#\(index)")
    }
}
