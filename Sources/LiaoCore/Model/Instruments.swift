/// Consumer vouchers for one sector (MODEL §4).
///
/// Extra spending Δ = λ·r·budget is spread evenly over `months` months from
/// `start`, then φ·Δ is paid back evenly over the `voucher.payback_months`
/// months right after the window.
public struct Voucher: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Spend-X-save-Y coupons: leverage `voucher.leverage`.
        case threshold
        /// Cash-like vouchers: leverage `voucher.leverage_cash`.
        case cash
    }
    public var sector: Sector
    /// First month index (0 = 2024-01).
    public var start: Int
    /// Length of the issuing window in months (≥ 1).
    public var months: Int
    /// Face value issued, 亿元.
    public var budgetYi: Double
    public var kind: Kind

    public init(sector: Sector, start: Int, months: Int = 1, budgetYi: Double, kind: Kind = .threshold) {
        self.sector = sector
        self.start = start
        self.months = months
        self.budgetYi = budgetYi
        self.kind = kind
    }
}

/// A trade-in subsidy programme for retail goods (MODEL §4).
public struct TradeIn: Sendable, Equatable {
    /// Free label, e.g. "auto" or "appliance".
    public var category: String
    /// First and last month index of the programme (inclusive).
    public var start: Int
    public var end: Int
    /// Subsidised units sold.
    public var units: Double
    /// Average unit price, yuan.
    public var priceYuan: Double

    public init(category: String, start: Int, end: Int, units: Double, priceYuan: Double) {
        self.category = category
        self.start = start
        self.end = end
        self.units = units
        self.priceYuan = priceYuan
    }

    /// Gross subsidised sales, 亿元.
    public var grossSalesYi: Double { units * priceYuan / 1e8 }
}

/// A promotion event in one month: extra catering spending and star-hotel demand.
public struct PromotionEvent: Sendable, Equatable {
    public var month: Int
    /// Extra catering spending, 亿元, before the event multiplier.
    public var cateringYi: Double
    /// Extra star-hotel room-nights, before the event multiplier.
    public var roomNights: Double

    public init(month: Int, cateringYi: Double, roomNights: Double) {
        self.month = month
        self.cateringYi = cateringYi
        self.roomNights = roomNights
    }
}

/// A structural programme of `count` similar units (convenience circles,
/// markets, e-commerce bases ...), each adding VA once completed (MODEL §4).
public struct Project: Sendable, Equatable {
    public var name: String
    public var sector: Sector
    public var count: Int
    /// Planned completion month index.
    public var planned: Int
    /// Mean delay in months (geometric on 0, 1, 2, ...).
    public var delayMeanMonths: Double
    /// Probability that a unit is cancelled.
    public var cancelProbability: Double
    /// Median effect size: 亿元 of VA per year per unit at full effect.
    public var upliftYiPerYear: Double
    /// Log-sd of the programme's effect size.
    public var sigma: Double
    /// Months from completion to full effect.
    public var rampMonths: Double

    public init(
        name: String, sector: Sector, count: Int, planned: Int, delayMeanMonths: Double,
        cancelProbability: Double, upliftYiPerYear: Double, sigma: Double, rampMonths: Double
    ) {
        self.name = name
        self.sector = sector
        self.count = count
        self.planned = planned
        self.delayMeanMonths = delayMeanMonths
        self.cancelProbability = cancelProbability
        self.upliftYiPerYear = upliftYiPerYear
        self.sigma = sigma
        self.rampMonths = rampMonths
    }
}

/// A new star hotel under construction (MODEL §5).
public struct HotelProject: Sendable, Equatable {
    public var rooms: Double
    public var planned: Int
    public var delayMeanMonths: Double
    public var cancelProbability: Double

    public init(rooms: Double, planned: Int, delayMeanMonths: Double, cancelProbability: Double) {
        self.rooms = rooms
        self.planned = planned
        self.delayMeanMonths = delayMeanMonths
        self.cancelProbability = cancelProbability
    }
}

/// A policy lever that can change during a run.
public enum Lever: Int, CaseIterable, Sendable {
    case householdRecruitsPerMonth, householdFirmsPerMonth, hotelsUpgradesPerYear

    public var parameter: ParameterID {
        switch self {
        case .householdRecruitsPerMonth: .householdRecruitsPerMonth
        case .householdFirmsPerMonth: .householdFirmsPerMonth
        case .hotelsUpgradesPerYear: .hotelsUpgradesPerYear
        }
    }

    public var key: String { ParameterCatalog.spec(parameter).key }

    public init?(key: String) {
        guard let lever = Lever.allCases.first(where: { $0.key == key }) else { return nil }
        self = lever
    }
}

/// A lever set to `value` from month `from` on.
public struct LeverChange: Sendable, Equatable {
    public var lever: Lever
    public var from: Int
    public var value: Double
    public init(lever: Lever, from: Int, value: Double) {
        self.lever = lever
        self.from = from
        self.value = value
    }
}

/// Everything a scenario schedules: at load time for every run, or from the
/// per-month hook for the current run only.
public struct InstrumentSchedule: Sendable, Equatable {
    public var vouchers: [Voucher] = []
    public var tradeIns: [TradeIn] = []
    public var events: [PromotionEvent] = []
    public var projects: [Project] = []
    public var hotelProjects: [HotelProject] = []
    public var leverChanges: [LeverChange] = []

    public init() {}

    /// Asked after every month of a hook run: inlinable, so that it costs a
    /// few loads rather than a call from outside the module.
    @inlinable
    public var isEmpty: Bool {
        vouchers.isEmpty && tradeIns.isEmpty && events.isEmpty && projects.isEmpty && hotelProjects.isEmpty
            && leverChanges.isEmpty
    }

    /// Appends everything in `other`, keeping the order within each kind.
    public mutating func append(contentsOf other: InstrumentSchedule) {
        if !other.vouchers.isEmpty { vouchers += other.vouchers }
        if !other.tradeIns.isEmpty { tradeIns += other.tradeIns }
        if !other.events.isEmpty { events += other.events }
        if !other.projects.isEmpty { projects += other.projects }
        if !other.hotelProjects.isEmpty { hotelProjects += other.hotelProjects }
        if !other.leverChanges.isEmpty { leverChanges += other.leverChanges }
    }

    /// Empties every list, keeping its storage for the next instruments.
    public mutating func removeAll() {
        if !vouchers.isEmpty { vouchers.removeAll(keepingCapacity: true) }
        if !tradeIns.isEmpty { tradeIns.removeAll(keepingCapacity: true) }
        if !events.isEmpty { events.removeAll(keepingCapacity: true) }
        if !projects.isEmpty { projects.removeAll(keepingCapacity: true) }
        if !hotelProjects.isEmpty { hotelProjects.removeAll(keepingCapacity: true) }
        if !leverChanges.isEmpty { leverChanges.removeAll(keepingCapacity: true) }
    }
}
