/// One run (or the central path) month by month, with what each instrument
/// contributed and what the per-month hook did: `liaosim trace`.
///
/// The run itself goes through `RunSimulator.run` as in any batch; each
/// instrument's contribution is then found by applying that instrument alone,
/// with the same run's parameters and substreams, through the same
/// instrument functions.
public struct RunTrace: Sendable {
    /// What one instrument added, month by month.
    public struct Contribution: Sendable {
        /// E.g. `voucher catering 0.05亿元 from 2024-05`.
        public var label: String
        public var sector: Sector
        /// Nominal VA added in each month, 亿元 (negative when spending is paid back).
        public var valueAdded: [Double]
        /// Star hotels and rooms opened in each month (hotel projects only).
        public var hotelsOpened: [Double]
        public var roomsOpened: [Double]
        /// Room-nights of extra star-hotel demand in each month (events only).
        public var roomNights: [Double] = RunTrace.zeros
        /// Scheduled by `on_month` in this month, or nil for the scenario file.
        public var scheduledIn: Int?
    }

    /// Something the hook scheduled.
    public struct HookAction: Sendable {
        public var month: Int
        public var description: String
    }

    public var run: Int?
    public var seed: UInt64
    public var record: RunRecord
    public var contributions: [Contribution]
    public var hookActions: [HookAction]
    /// Why the run stopped, when the scenario's Lua code failed in it; the
    /// record then holds the months up to the failing one (`monthsDone`),
    /// and no metrics.
    public var failure: RunFailure?
    /// The months the record holds: all of them unless the run failed
    /// before its end (none when it failed as it started).
    public var monthsDone: Int

    /// Traces run `run` of a batch with `seed` (nil: the central path).
    public static func trace<O: MonthObserver>(
        _ compiled: CompiledScenario, run: Int?, seed: UInt64, observer: O, sampling: ParameterSampling? = nil
    ) throws -> RunTrace {
        let sampling = sampling ?? ParameterSampling(mode: .random, studyRuns: (run ?? 0) + 1, seed: seed, compiled: compiled)
        let simulator = RunSimulator(compiled)
        var record = simulator.makeRecord()
        var tracing = TracingObserver(inner: observer)
        var failure: RunFailure?
        do {
            if let run {
                var draws = RandomDraws(seed: seed, run: UInt64(run), sampling: sampling)
                try simulator.run(run: run, seed: seed, draws: &draws, observer: &tracing, record: &record)
            } else {
                var draws = CentralDraws()
                try simulator.run(run: 0, seed: seed, draws: &draws, observer: &tracing, record: &record)
            }
        } catch let stopped as RunFailure {
            // The months before the failure are what the analyst needs to see.
            failure = stopped
        }
        var contributions: [Contribution] = []
        func draws() -> any Draws {
            run.map { RandomDraws(seed: seed, run: UInt64($0), sampling: sampling) } ?? CentralDraws()
        }
        let p = record.parameters
        let schedule = compiled.scenario.schedule
        for (i, v) in schedule.vouchers.enumerated() {
            contributions.append(spending(label: "voucher \(i + 1): \(describe(v))", sector: v.sector, p: p, scheduledIn: nil) {
                RunSimulator.apply(v, p, &$0)
            })
        }
        for (i, tradeIn) in schedule.tradeIns.enumerated() {
            contributions.append(spending(label: "tradein \(i + 1): \(describe(tradeIn))", sector: .retail, p: p, scheduledIn: nil) {
                RunSimulator.apply(tradeIn, p, &$0)
            })
        }
        for (i, event) in schedule.events.enumerated() {
            contributions.append(spending(label: "event \(i + 1): \(describe(event))", sector: .catering, p: p, scheduledIn: nil) {
                RunSimulator.apply(event, p, &$0)
            })
        }
        for (i, project) in schedule.projects.enumerated() {
            var d = draws()
            contributions.append(projectValueAdded(label: "project \(project.name)", sector: project.sector, scheduledIn: nil) {
                applyProject(project, component: compiled.projectComponents[i], &d, &$0)
            })
        }
        for (i, hotel) in schedule.hotelProjects.enumerated() {
            var d = draws()
            contributions.append(openings(label: "hotel_project \(i + 1): \(describe(hotel))", scheduledIn: nil) {
                applyHotel(hotel, component: compiled.hotelProjectComponents[i], &d, &$0)
            })
        }
        // What the hook scheduled, in the order the simulator applied it.
        var programmes = 0
        for (month, scheduled) in tracing.log {
            for v in scheduled.vouchers {
                contributions.append(spending(label: "voucher (on_month): \(describe(v))", sector: v.sector, p: p, scheduledIn: month) {
                    RunSimulator.apply(v, p, &$0)
                })
            }
            for tradeIn in scheduled.tradeIns {
                contributions.append(spending(label: "tradein (on_month): \(describe(tradeIn))", sector: .retail, p: p, scheduledIn: month) {
                    RunSimulator.apply(tradeIn, p, &$0)
                })
            }
            for event in scheduled.events {
                contributions.append(spending(label: "event (on_month): \(describe(event))", sector: .catering, p: p, scheduledIn: month) {
                    RunSimulator.apply(event, p, &$0)
                })
            }
            for project in scheduled.projects {
                var d = draws()
                let component = RunSimulator.hookComponent(project: project.name, index: programmes)
                programmes += 1
                contributions.append(projectValueAdded(label: "project \(project.name) (on_month)", sector: project.sector, scheduledIn: month) {
                    applyProject(project, component: component, &d, &$0)
                })
            }
            for hotel in scheduled.hotelProjects {
                var d = draws()
                let component = RunSimulator.hookComponent(project: nil, index: programmes)
                programmes += 1
                contributions.append(openings(label: "hotel_project (on_month): \(describe(hotel))", scheduledIn: month) {
                    applyHotel(hotel, component: component, &d, &$0)
                })
            }
        }
        let actions = tracing.log.flatMap { month, s in describeAll(s).map { HookAction(month: month, description: $0) } }
        // Months simulated: none if the run failed as it began; up to the failing
        // month for the hook; all of them for a metric (which fails after the last).
        let monthsDone = switch (failure, tracing.begun) {
        case (nil, _): SimCalendar.months
        case (_?, false): 0
        case (let stopped?, true): stopped.month.map { $0 + 1 } ?? SimCalendar.months
        }
        return RunTrace(run: run, seed: seed, record: record, contributions: contributions, hookActions: actions,
                        failure: failure, monthsDone: monthsDone)
    }

    // MARK: Applying one instrument alone

    private static func scratch(_ apply: (inout RunRecord) -> Void) -> RunRecord {
        var record = RunRecord()
        record.clearScratch()
        apply(&record)
        return record
    }

    private static func spending(
        label: String, sector: Sector, p: [Double], scheduledIn: Int?, _ apply: (inout RunRecord) -> Void
    ) -> Contribution {
        let r = scratch(apply)
        let months = SimCalendar.months
        let ratio = RunSimulator.valueAddedRatios(p)[sector.rawValue]
        let va = (0..<months).map { ratio * r.extraSpending[sector.rawValue * months + $0] }
        return Contribution(
            label: label, sector: sector, valueAdded: va, hotelsOpened: zeros, roomsOpened: zeros, roomNights: r.eventRoomNights,
            scheduledIn: scheduledIn)
    }

    private static func projectValueAdded(label: String, sector: Sector, scheduledIn: Int?, _ apply: (inout RunRecord) -> Void) -> Contribution {
        let r = scratch(apply)
        let months = SimCalendar.months
        let va = Array(r.projectValueAdded[(sector.rawValue * months)..<((sector.rawValue + 1) * months)])
        return Contribution(label: label, sector: sector, valueAdded: va, hotelsOpened: zeros, roomsOpened: zeros, scheduledIn: scheduledIn)
    }

    private static func openings(label: String, scheduledIn: Int?, _ apply: (inout RunRecord) -> Void) -> Contribution {
        let r = scratch(apply)
        return Contribution(
            label: label, sector: .accommodation, valueAdded: zeros, hotelsOpened: r.openingHotels, roomsOpened: r.openingRooms,
            scheduledIn: scheduledIn)
    }

    private static func applyProject(_ project: Project, component: UInt64, _ draws: inout any Draws, _ record: inout RunRecord) {
        func open<D: Draws>(_ d: inout D) { RunSimulator.apply(project, component: component, &d, &record) }
        open(&draws)
    }

    private static func applyHotel(_ hotel: HotelProject, component: UInt64, _ draws: inout any Draws, _ record: inout RunRecord) {
        func open<D: Draws>(_ d: inout D) { RunSimulator.apply(hotel, component: component, &d, &record) }
        open(&draws)
    }

    static let zeros = [Double](repeating: 0, count: SimCalendar.months)

    // MARK: Descriptions

    static func describe(_ v: Voucher) -> String {
        "\(v.sector.key) \(Distribution.format(v.budgetYi))亿元 \(v.kind.rawValue) from \(SimCalendar.label(v.start))"
            + (v.months > 1 ? " for \(v.months) months" : "")
    }
    static func describe(_ t: TradeIn) -> String {
        "\(t.category) \(Distribution.format(t.units)) units at \(Distribution.format(t.priceYuan)) yuan, \(SimCalendar.label(t.start))…\(SimCalendar.label(t.end))"
    }
    static func describe(_ e: PromotionEvent) -> String {
        "\(SimCalendar.label(e.month)): catering \(Distribution.format(e.cateringYi))亿元, \(Distribution.format(e.roomNights)) room-nights"
    }
    static func describe(_ h: HotelProject) -> String {
        "\(Distribution.format(h.rooms)) rooms planned \(SimCalendar.label(h.planned))" + risks(h.delayMeanMonths, h.cancelProbability)
    }
    /// ", delay mean 4 months, cancel 0.2", for what is not zero.
    static func risks(_ delayMeanMonths: Double, _ cancelProbability: Double) -> String {
        (delayMeanMonths > 0 ? ", delay mean \(Distribution.format(delayMeanMonths)) months" : "")
            + (cancelProbability > 0 ? ", cancel \(Distribution.format(cancelProbability))" : "")
    }
    /// One line per instrument and lever change of `s`, in that order.
    public static func describeAll(_ s: InstrumentSchedule) -> [String] {
        s.vouchers.map { "voucher " + describe($0) } + s.tradeIns.map { "tradein " + describe($0) }
            + s.events.map { "event " + describe($0) }
            + s.projects.map {
                "project \($0.name): \($0.count) units planned \(SimCalendar.label($0.planned)), \($0.sector.key) "
                    + "\(Distribution.format($0.upliftYiPerYear))亿元 a year each"
                    + ($0.sigma > 0 ? " (lognormal, sigma \(Distribution.format($0.sigma)))" : "")
                    + ($0.rampMonths > 0 ? ", ramp \(Distribution.format($0.rampMonths)) months" : "")
                    + risks($0.delayMeanMonths, $0.cancelProbability)
            }
            + s.hotelProjects.map { "hotel_project " + describe($0) }
            + s.leverChanges.map { "lever \($0.lever.key) = \(Distribution.format($0.value)) from \(SimCalendar.label($0.from))" }
    }
}

/// Passes everything to the scenario's observer and notes what it scheduled each month.
struct TracingObserver<Inner: MonthObserver>: MonthObserver {
    var inner: Inner
    var log: [(month: Int, scheduled: InstrumentSchedule)] = []
    /// Whether the run got past its start (a failure before it simulated no month).
    var begun = false

    var observesMonths: Bool { inner.observesMonths }

    mutating func beginRun(_ run: Int, seed: UInt64, parameters: [Double]) throws {
        try inner.beginRun(run, seed: seed, parameters: parameters)
        begun = true
    }

    mutating func monthEnded(_ state: MonthState, schedule: inout InstrumentSchedule) throws {
        var added = InstrumentSchedule()
        try inner.monthEnded(state, schedule: &added)
        if !added.isEmpty {
            log.append((state.month, added))
            schedule.append(contentsOf: added)
        }
    }

    mutating func finishRun(metrics: inout [Double]) throws { try inner.finishRun(metrics: &metrics) }
}
