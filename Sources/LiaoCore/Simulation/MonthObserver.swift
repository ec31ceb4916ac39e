/// What a scenario sees at the end of each simulated month.
public struct MonthState: Sendable {
    /// Month index, 0 = 2024-01.
    public var month: Int
    /// This month's nominal VA by sector, 亿元 (indexed by `Sector.rawValue`).
    public var valueAdded: SIMD4<Double>
    /// Year-to-date nominal VA by sector, 亿元.
    public var yearToDate: SIMD4<Double>
    public var starHotels: Double
    public var starRooms: Double
    /// Star-hotel occupancy this month (share of room-nights).
    public var occupancy: Double
    public var householdWorkers: Double
    public var householdFirms: Double
    /// The levers' values in effect this month, indexed by `Lever.rawValue`
    /// (the fourth lane is unused).
    public var levers: SIMD4<Double>

    public init() {
        month = 0
        valueAdded = .zero
        yearToDate = .zero
        starHotels = 0
        starRooms = 0
        occupancy = 0
        householdWorkers = 0
        householdFirms = 0
        levers = .zero
    }
}

/// Scenario logic that runs alongside the simulation: the per-month hook and
/// the scenario's own metrics. The Lua bridge implements it; `NoObserver` is
/// used when a scenario has neither. Each batch worker makes its own
/// observer; only the type is shared between workers (`SendableMetatype`).
public protocol MonthObserver: SendableMetatype {
    /// Whether `monthEnded` needs to be called.
    var observesMonths: Bool { get }
    /// Called before month 0 with the run's parameter values (indexed by `ParameterID.rawValue`).
    mutating func beginRun(_ run: Int, seed: UInt64, parameters: [Double]) throws
    /// Called after each month; may add instruments and lever changes to
    /// `schedule`, for months after `state.month` only.
    mutating func monthEnded(_ state: MonthState, schedule: inout InstrumentSchedule) throws
    /// Called after the last month: fills the scenario's own metrics, which
    /// follow the built-in ones in `metrics`.
    mutating func finishRun(metrics: inout [Double]) throws
}

/// A scenario with no per-month logic and no metrics of its own.
public struct NoObserver: MonthObserver {
    public init() {}
    public var observesMonths: Bool { false }
    public mutating func beginRun(_ run: Int, seed: UInt64, parameters: [Double]) throws {}
    public mutating func monthEnded(_ state: MonthState, schedule: inout InstrumentSchedule) throws {}
    public mutating func finishRun(metrics: inout [Double]) throws {}
}

/// A failure inside a run (a Lua error in the hook, a bad instrument
/// scheduled from it), with where it happened.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var run: Int?
    public var month: Int?
    /// Which batch of several it was in (`sweep`'s "catering_budget = 2").
    public var batch: String?
    public init(message: String, run: Int? = nil, month: Int? = nil) {
        self.message = message
        self.run = run
        self.month = month
    }
    public var description: String {
        var where_: [String] = []
        if let batch { where_.append(batch) }
        if let run { where_.append("run \(run)") }
        if let month { where_.append("month \(SimCalendar.label(month))") }
        return where_.isEmpty ? message : "\(message) (\(where_.joined(separator: ", ")))"
    }
}
