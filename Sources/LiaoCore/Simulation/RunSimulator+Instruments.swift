/// How each instrument enters a run's spending, project VA and hotel
/// openings (MODEL §4 and §5). Used for load-time instruments before month 0
/// and for instruments a hook schedules during the run.
extension RunSimulator {
    /// Adds `amount` of extra spending (亿元) to sector `s` in month `t`, if `t` is simulated.
    @inline(__always)
    static func addSpending(_ record: inout RunRecord, _ s: Sector, _ t: Int, _ amount: Double) {
        guard SimCalendar.contains(t) else { return }
        addSpending(&record, s, t..<(t + 1), amount)
    }

    /// Adds `amount` of extra spending (亿元) to sector `s` in each simulated month of `months`.
    static func addSpending(_ record: inout RunRecord, _ s: Sector, _ months: Range<Int>, _ amount: Double) {
        let simulated = months.clamped(to: 0..<SimCalendar.months)
        guard !simulated.isEmpty else { return }
        let base = s.rawValue * SimCalendar.months
        record.extraSpending.withUnsafeMutableBufferPointer { spending in
            for t in simulated { spending[base &+ t] += amount }  // within sector s's 24 months
        }
    }

    static func apply(_ v: Voucher, _ p: [Double], _ record: inout RunRecord) {
        let leverage = v.kind == .threshold ? p[ParameterID.voucherLeverage.rawValue] : p[ParameterID.voucherLeverageCash.rawValue]
        let spending = leverage * p[ParameterID.voucherRedemption.rawValue] * v.budgetYi
        let window = max(v.months, 1)
        addSpending(&record, v.sector, v.start..<(v.start + window), spending / Double(window))
        let payback = Int(p[ParameterID.voucherPaybackMonths.rawValue])
        guard payback > 0 else { return }
        let perMonth = p[ParameterID.voucherPullforward.rawValue] * spending / Double(payback)
        let first = v.start + window
        addSpending(&record, v.sector, first..<(first + payback), -perMonth)
    }

    static func apply(_ tradeIn: TradeIn, _ p: [Double], _ record: inout RunRecord) {
        apply(TradeInPlan(tradeIn), p, &record)
    }

    static func apply(_ tradeIn: TradeInPlan, _ p: [Double], _ record: inout RunRecord) {
        let incremental = (1 - p[ParameterID.tradeInInframarginal.rawValue]) * tradeIn.grossSalesYi
        let months = tradeIn.end - tradeIn.start + 1
        guard months > 0 else { return }
        addSpending(&record, .retail, tradeIn.start..<(tradeIn.end + 1), incremental / Double(months))
        let payback = Int(p[ParameterID.tradeInPaybackMonths.rawValue])
        guard payback > 0 else { return }
        let first = tradeIn.end + Int(p[ParameterID.tradeInPaybackStart.rawValue])
        let perMonth = p[ParameterID.tradeInPullforward.rawValue] * incremental / Double(payback)
        addSpending(&record, .retail, first..<(first + payback), -perMonth)
    }

    static func apply(_ event: PromotionEvent, _ p: [Double], _ record: inout RunRecord) {
        let multiplier = p[ParameterID.eventMultiplier.rawValue]
        addSpending(&record, .catering, event.month, event.cateringYi * multiplier)
        if SimCalendar.contains(event.month) { record.eventRoomNights[event.month] += event.roomNights * multiplier }
    }

    static func apply<D: Draws>(_ project: Project, component: UInt64, _ draws: inout D, _ record: inout RunRecord) {
        apply(ProjectPlan(project), component: component, &draws, &record)
    }

    static func apply<D: Draws>(_ project: ProjectPlan, component: UInt64, _ draws: inout D, _ record: inout RunRecord) {
        draws.beginProgramme(component)
        let effect = draws.effectSize(median: project.upliftYiPerYear, sigma: project.sigma)
        let months = SimCalendar.months
        let ramp = project.rampMonths
        // Each unit adds a ramp A·clamp((t − T + 1)/r, 0, 1), A = weight·U/12.
        // Its month-to-month changes are A/r for ⌊r⌋ months from T, then the
        // remainder A·(1 − ⌊r⌋/r) (zero for a whole r), then nothing; so its
        // second differences are nonzero in three months at most. Units add
        // those, and two running sums give the programme's VA by month.
        // ⌊r⌋, capped only so that an absurd r cannot overflow an Int.
        let wholeRampMonths = ramp > 0 ? Int(min(ramp, 0x1p31).rounded(.down)) : 0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: months) { d in
            var ramps = SecondDifferences(d)
            draws.completions(
                count: project.count, cancelProbability: project.cancelProbability,
                delayMeanMonths: project.delayMeanMonths
            ) { delay, weight in
                // |planned| ≤ 2^40 (see `ProjectPlan`) and the delay capped at 2^62 (any
                // `Draws` may give more), so neither this sum nor the ramp's can wrap.
                let completed = project.planned &+ min(delay, 1 << 62)
                let full = weight * effect / 12
                if ramp > 0 {
                    let step = full / ramp
                    let remainder = full * (1 - Double(wholeRampMonths) / ramp)
                    ramps.add(step, at: completed)
                    ramps.add(remainder - step, at: completed &+ wholeRampMonths)  // wholeRampMonths ≤ 2^31
                    ramps.add(-remainder, at: completed &+ wholeRampMonths &+ 1)
                } else {
                    ramps.add(full, at: completed)
                    ramps.add(-full, at: completed &+ 1)
                }
            }
            let base = project.sector.rawValue * months
            record.projectValueAdded.withUnsafeMutableBufferPointer { valueAdded in
                ramps.integrate { t, level in valueAdded[base + t] += level }
            }
        }
    }

    /// Second differences of a monthly series, integrated twice into its
    /// values. Changes before month 0 are folded into the starting change
    /// and level; changes after the last month cannot affect it and are dropped.
    private struct SecondDifferences {
        let d: UnsafeMutableBufferPointer<Double>
        var changeBefore = 0.0
        var levelBefore = 0.0

        init(_ buffer: UnsafeMutableBufferPointer<Double>) {
            d = buffer
            d.initialize(repeating: 0)
        }

        @inline(__always)
        mutating func add(_ amount: Double, at t: Int) {
            if t < 0 {
                // Month t < 0 adds `amount` to the change of every month from
                // t on, so to the level of month −1 it adds amount·(−t).
                changeBefore += amount
                levelBefore += amount * Double(-t)
            } else if t < d.count {
                d[t] += amount
            }
        }

        func integrate(_ body: (Int, Double) -> Void) {
            var change = changeBefore
            var level = levelBefore
            for t in 0..<d.count {
                change += d[t]
                level += change
                body(t, level)
            }
        }
    }

    static func apply<D: Draws>(_ hotel: HotelProject, component: UInt64, _ draws: inout D, _ record: inout RunRecord) {
        draws.beginProgramme(component)
        guard let (delay, weight) = draws.completion(
            cancelProbability: hotel.cancelProbability, delayMeanMonths: hotel.delayMeanMonths)
        else { return }
        let opening = hotel.planned + delay
        guard SimCalendar.contains(opening) else { return }
        record.openingHotels[opening] += weight
        record.openingRooms[opening] += weight * hotel.rooms
    }

    /// A lever change holds from its month until the next change of that
    /// lever scheduled for a later month, whether the file or the hook
    /// scheduled it and whenever: the file's changes and the hook's form one
    /// schedule. Of two changes for the same month, the later call wins.
    static func apply(_ change: LeverChange, _ record: inout RunRecord) {
        let months = SimCalendar.months
        let start = max(change.from, 0)
        guard start < months else { return }
        let lever = change.lever.rawValue
        let scheduled = record.leverChangeMonths[lever]
        let later = scheduled & ~((UInt32(2) << UInt32(start)) &- 1)  // changes after `start`
        let end = later == 0 ? months : later.trailingZeroBitCount
        let value = change.value
        record.leverValues.withUnsafeMutableBufferPointer { values in
            for t in (lever &* months &+ start)..<(lever &* months &+ end) { values[t] = value }
        }
        record.leverChangeMonths[lever] = scheduled | UInt32(1) << UInt32(start)
    }
}

/// The numbers of a trade-in programme that a run uses: a `TradeIn` without
/// its label. Runs read these rather than the instruments themselves, whose
/// strings would be retained and released on every copy, and reference
/// counts shared by all workers are slow to change (each change takes the
/// count's cache line from the other cores).
struct TradeInPlan: Sendable {
    let start: Int
    let end: Int
    let grossSalesYi: Double

    init(_ tradeIn: TradeIn) {
        start = tradeIn.start
        end = tradeIn.end
        grossSalesYi = tradeIn.grossSalesYi
    }
}

/// The numbers of a project programme that a run uses: a `Project` without
/// its name (see `TradeInPlan`).
struct ProjectPlan: Sendable {
    let sector: Sector
    let count: Int
    let planned: Int
    let delayMeanMonths: Double
    let cancelProbability: Double
    let upliftYiPerYear: Double
    let sigma: Double
    let rampMonths: Double

    init(_ project: Project) {
        sector = project.sector
        count = project.count
        // Held within ±2^40 months, so that adding a delay (capped at 2^62)
        // and a ramp (≤ 2^31) cannot overflow in `apply`. A 24-month run cannot
        // tell such a month from a farther one: planned that far ahead, a
        // project has no effect; that far back, its full effect from the
        // first month. The scenario API allows only the simulated months anyway.
        planned = min(max(project.planned, -(1 << 40)), 1 << 40)
        delayMeanMonths = project.delayMeanMonths
        cancelProbability = project.cancelProbability
        upliftYiPerYear = project.upliftYiPerYear
        sigma = project.sigma
        rampMonths = project.rampMonths
    }
}
