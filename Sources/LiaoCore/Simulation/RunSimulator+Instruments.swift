/// How each instrument enters a run's spending, project VA and hotel
/// openings (MODEL §4 and §5). Used for load-time instruments before month 0
/// and for instruments a hook schedules during the run.
extension RunSimulator {
    /// Adds `amount` of extra spending (亿元) to sector `s` in month `t`, if `t` is simulated.
    @inline(__always)
    static func addSpending(_ record: inout RunRecord, _ s: Sector, _ t: Int, _ amount: Double) {
        guard SimCalendar.contains(t) else { return }
        record.extraSpending[s.rawValue * SimCalendar.months + t] += amount
    }

    static func apply(_ v: Voucher, _ p: [Double], _ record: inout RunRecord) {
        let leverage = v.kind == .threshold ? p[ParameterID.voucherLeverage.rawValue] : p[ParameterID.voucherLeverageCash.rawValue]
        let spending = leverage * p[ParameterID.voucherRedemption.rawValue] * v.budgetYi
        let window = max(v.months, 1)
        for t in v.start..<(v.start + window) { addSpending(&record, v.sector, t, spending / Double(window)) }
        let payback = Int(p[ParameterID.voucherPaybackMonths.rawValue])
        guard payback > 0 else { return }
        let perMonth = p[ParameterID.voucherPullforward.rawValue] * spending / Double(payback)
        let first = v.start + window
        for t in first..<(first + payback) { addSpending(&record, v.sector, t, -perMonth) }
    }

    static func apply(_ tradeIn: TradeIn, _ p: [Double], _ record: inout RunRecord) {
        let incremental = (1 - p[ParameterID.tradeInInframarginal.rawValue]) * tradeIn.grossSalesYi
        let months = tradeIn.end - tradeIn.start + 1
        guard months > 0 else { return }
        for t in tradeIn.start...tradeIn.end { addSpending(&record, .retail, t, incremental / Double(months)) }
        let payback = Int(p[ParameterID.tradeInPaybackMonths.rawValue])
        guard payback > 0 else { return }
        let first = tradeIn.end + Int(p[ParameterID.tradeInPaybackStart.rawValue])
        let perMonth = p[ParameterID.tradeInPullforward.rawValue] * incremental / Double(payback)
        for t in first..<(first + payback) { addSpending(&record, .retail, t, -perMonth) }
    }

    static func apply(_ event: PromotionEvent, _ p: [Double], _ record: inout RunRecord) {
        let multiplier = p[ParameterID.eventMultiplier.rawValue]
        addSpending(&record, .catering, event.month, event.cateringYi * multiplier)
        if SimCalendar.contains(event.month) { record.eventRoomNights[event.month] += event.roomNights * multiplier }
    }

    static func apply<D: Draws>(_ project: Project, component: UInt64, _ draws: inout D, _ record: inout RunRecord) {
        draws.beginProgramme(component)
        let effect = draws.effectSize(median: project.upliftYiPerYear, sigma: project.sigma)
        let months = SimCalendar.months
        let ramp = project.rampMonths
        // Each unit adds a ramp A·clamp((t − T + 1)/r, 0, 1), A = weight·U/12.
        // Its month-to-month changes are A/r for ⌊r⌋ months from T, then the
        // remainder A·(1 − ⌊r⌋/r) (zero for a whole r), then nothing; so its
        // second differences are nonzero in three months at most. Units add
        // those, and two running sums give the programme's VA by month.
        let wholeRampMonths = ramp > 0 ? Int(min(ramp, Double(months + 1)).rounded(.down)) : 0
        // The record's scratch buffer, taken out so it is not copied on write.
        var secondDifferences: [Double] = []
        swap(&secondDifferences, &record.programmeScratch)
        secondDifferences.withUnsafeMutableBufferPointer { d in
            d.update(repeating: 0)
            for _ in 0..<project.count {
                guard let (delay, weight) = draws.completion(
                    cancelProbability: project.cancelProbability, delayMeanMonths: project.delayMeanMonths)
                else { continue }
                let completed = project.planned + delay
                guard completed < months else { continue }
                let full = weight * effect / 12
                if completed < 0 {
                    // Completed before month 0: second differences of its values from month 0 on.
                    var previousValue = 0.0
                    var previousChange = 0.0
                    for t in 0..<months {
                        let share = ramp > 0 ? min(max(Double(t - completed + 1) / ramp, 0), 1) : 1
                        let value = full * share
                        let change = value - previousValue
                        d[t] += change - previousChange
                        previousValue = value
                        previousChange = change
                    }
                    continue
                }
                if ramp > 0 {
                    let step = full / ramp
                    let remainder = full * (1 - Double(wholeRampMonths) / ramp)
                    Self.addChange(d, from: completed, step)
                    Self.addChange(d, from: completed + wholeRampMonths, remainder - step)
                    Self.addChange(d, from: completed + wholeRampMonths + 1, -remainder)
                } else {
                    Self.addChange(d, from: completed, full)
                    Self.addChange(d, from: completed + 1, -full)
                }
            }
        }
        let base = project.sector.rawValue * months
        record.projectValueAdded.withUnsafeMutableBufferPointer { valueAdded in
            secondDifferences.withUnsafeBufferPointer { d in
                var change = 0.0
                var level = 0.0
                for t in 0..<months {
                    change += d[t]
                    level += change
                    valueAdded[base + t] += level
                }
            }
        }
        swap(&secondDifferences, &record.programmeScratch)
    }

    /// Adds `amount` to the second difference of month `t` (months past the
    /// simulation are dropped: they cannot change earlier ones).
    @inline(__always)
    private static func addChange(_ d: UnsafeMutableBufferPointer<Double>, from t: Int, _ amount: Double) {
        if t < SimCalendar.months { d[t] += amount }
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

    static func apply(_ change: LeverChange, _ record: inout RunRecord) {
        let months = SimCalendar.months
        for t in max(change.from, 0)..<max(months, change.from) where t < months {
            record.leverValues[change.lever.rawValue * months + t] = change.value
        }
    }
}
