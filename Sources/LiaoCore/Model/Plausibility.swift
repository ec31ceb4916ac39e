/// Values a scenario may give but that are far outside anything Liaocheng
/// could see: most likely a slip of unit (7 for 7% where rates are fractions,
/// a budget in yuan where budgets are in 亿元). They are allowed (a stress
/// test may want them) but noted, so that a wrong unit does not pass as a
/// result. Each check gives the note's text, or nil.
///
/// The bounds are wide on purpose: a note is for values no analyst would
/// mean, not for bold assumptions.
public enum Plausibility {
    /// A bound on a parameter's central value (its median), with the hint of a note.
    struct Bound {
        let range: ClosedRange<Double>
        var hint: String?
    }

    private static let rateHint = "rates are fractions: 0.07 is 7%"
    private static let levelHint = "levels are in 亿元 (100,000,000 yuan)"

    /// The bound of a parameter's median, if it has one beyond its domain.
    static func bound(_ id: ParameterID) -> Bound? {
        switch id {
        case .growthRetail, .growthCatering, .growthAccommodation, .growthServices:
            Bound(range: -0.5...0.5, hint: rateHint)
        case .inflationRetail, .inflationCatering, .inflationAccommodation, .inflationServices:
            Bound(range: -0.3...0.3, hint: rateHint)
        case .baseRetail, .baseHospitality, .baseServices:
            // A tenth to ten times the default level.
            Bound(range: defaultMedian(id) / 10...defaultMedian(id) * 10, hint: levelHint)
        case .householdRevenuePerWorkerMonth:
            Bound(range: 500...100_000)
        case .householdRecruitsPerMonth:
            Bound(range: 0...10_000)
        case .householdFirmsPerMonth, .hotelsUpgradesPerYear:
            Bound(range: 0...100)
        case .voucherLeverage, .voucherLeverageCash:
            Bound(range: 0...20)
        default:
            nil
        }
    }

    private static func defaultMedian(_ id: ParameterID) -> Double {
        ParameterCatalog.spec(id).distribution.quantile(0.5)
    }

    private static func outside(_ value: Double, _ bound: Bound, _ what: String, unit: String) -> String? {
        guard !bound.range.contains(value) else { return nil }
        return "\(what) is \(Distribution.format(value)) \(unit), far outside \(Distribution.format(bound.range.lowerBound)) to "
            + "\(Distribution.format(bound.range.upperBound))" + (bound.hint.map { "; \($0)" } ?? "") + ". Check the unit"
    }

    /// A parameter set to `distribution` (`param`).
    public static func parameter(_ id: ParameterID, _ distribution: Distribution) -> String? {
        guard let bound = bound(id) else { return nil }
        let spec = ParameterCatalog.spec(id)
        return outside(distribution.quantile(0.5), bound, "param '\(spec.key)': the median", unit: spec.unit)
    }

    /// A lever set to `value` (`lever`).
    public static func lever(_ lever: Lever, value: Double) -> String? {
        let id = lever.parameter
        guard let bound = bound(id) else { return nil }
        return outside(value, bound, "lever '\(lever.key)'", unit: ParameterCatalog.spec(id).unit)
    }

    /// A voucher programme: its budget is in 亿元. The plan's are 0.01 to
    /// 0.05亿元; 10亿元 would be a third of the city's hospitality VA, or a
    /// thirtieth of its retail VA, in coupons: a budget in yuan, most likely.
    public static func voucher(_ v: Voucher) -> String? {
        outside(v.budgetYi, Bound(range: 0...10, hint: "budgets are in 亿元: 0.05 is 5,000,000 yuan"), "voucher: the budget", unit: "亿元")
    }

    /// A voucher whose issuing window runs past 2025-12: the months after it
    /// spend nothing the 2024–2025 targets can count (allowed, but most likely
    /// not meant: the budget is spread evenly over every month).
    public static func voucherPastPeriod(_ v: Voucher) -> String? {
        let last = v.start + v.months - 1
        guard last >= SimCalendar.months else { return nil }
        let outside = Swift.min(v.months, last - SimCalendar.months + 1)
        return "voucher: \(outside) of its \(v.months) months \(outside == 1 ? "falls" : "fall") after 2025-12, outside the simulated period, "
            + "and \(outside == 1 ? "its" : "their") share of the budget adds nothing to the 2024-2025 targets"
    }

    /// A trade-in programme: its price is in yuan per unit, from a small
    /// appliance to a car (100 to 2,000,000 yuan).
    public static func tradeIn(_ t: TradeIn) -> String? {
        outside(t.priceYuan, Bound(range: 100...2_000_000, hint: "the price is in yuan per unit: 150000 for a car"), "tradein: the price", unit: "yuan")
    }

    /// A project programme: `uplift` is 亿元 a year per unit; 5亿元 is a
    /// seventh of the city's hospitality VA from each unit.
    public static func project(_ p: Project) -> String? {
        outside(p.upliftYiPerYear, Bound(range: 0...5, hint: "uplift is in 亿元 a year per unit: 0.01 is 1,000,000 yuan"),
                "project '\(p.name)': the uplift", unit: "亿元 a year per unit")
    }

    /// A hotel project: its rooms.
    public static func hotel(_ h: HotelProject) -> String? {
        outside(h.rooms, Bound(range: 0...3_000, hint: "rooms counts the rooms of one hotel"), "hotel_project: rooms", unit: "rooms")
    }

    /// A goal on a built-in growth rate whose threshold reads as a percentage.
    public static func goal(_ goal: Goal) -> String? {
        guard case .conditions(let conditions) = goal.test else { return nil }
        let growthRates = MetricCatalog.names.filter { $0.hasPrefix("growth.") }
        for c in conditions where growthRates.contains(c.metric) && abs(c.threshold) > 1 {
            return "goal '\(goal.id)': \(c.metric) is tested against \(Distribution.format(c.threshold)), a growth of "
                + "\(Distribution.format(c.threshold * 100))%; \(rateHint). Check the unit"
        }
        return nil
    }
}
