/// Everything one run produces, in buffers that a worker reuses from run to
/// run (no allocation per run once warmed up).
public struct RunRecord: Sendable {
    /// The run's parameter values, indexed by `ParameterID.rawValue`.
    public internal(set) var parameters: [Double]
    /// Metrics: the built-in ones (`MetricCatalog`), then the scenario's own.
    public internal(set) var metrics: [Double]
    /// Nominal VA by sector and month, 亿元, laid out as `[sector * 24 + t]`.
    public internal(set) var monthlyValueAdded: [Double]
    /// Star hotels, star rooms, occupancy, household workers and firms at the end of each month.
    public internal(set) var monthlyStarHotels: [Double]
    public internal(set) var monthlyStarRooms: [Double]
    public internal(set) var monthlyOccupancy: [Double]
    public internal(set) var monthlyWorkers: [Double]
    public internal(set) var monthlyFirms: [Double]

    // Scratch state of the run in progress.
    var multipliers: [Double]
    var extraSpending: [Double]
    var projectValueAdded: [Double]
    var openingHotels: [Double]
    var openingRooms: [Double]
    /// Extra star-hotel room-nights from events, already times the event multiplier.
    var eventRoomNights: [Double]
    var leverValues: [Double]
    /// (1 + g_s)^τ(t) and P_s(t) = (1 + π_s)^τ(t), laid out as `[sector * 24 + t]`.
    var growthFactor: [Double]
    var priceLevel: [Double]
    var hookSchedule = InstrumentSchedule()
    var hookProgrammes = 0
    /// For each lever, bit t set when a change takes effect in month t (the
    /// file's and the hook's so far): a change holds until the next one.
    var leverChangeMonths = SIMD4<UInt32>(repeating: 0)

    public init(customMetricCount: Int = 0) {
        let months = SimCalendar.months
        let perSector = Sector.count * months
        parameters = Array(repeating: 0, count: ParameterID.count)
        metrics = Array(repeating: 0, count: MetricCatalog.count + customMetricCount)
        monthlyValueAdded = Array(repeating: 0, count: perSector)
        monthlyStarHotels = Array(repeating: 0, count: months)
        monthlyStarRooms = Array(repeating: 0, count: months)
        monthlyOccupancy = Array(repeating: 0, count: months)
        monthlyWorkers = Array(repeating: 0, count: months)
        monthlyFirms = Array(repeating: 0, count: months)
        multipliers = Array(repeating: 1, count: perSector)
        extraSpending = Array(repeating: 0, count: perSector)
        projectValueAdded = Array(repeating: 0, count: perSector)
        openingHotels = Array(repeating: 0, count: months)
        openingRooms = Array(repeating: 0, count: months)
        eventRoomNights = Array(repeating: 0, count: months)
        leverValues = Array(repeating: 0, count: Lever.allCases.count * months)
        growthFactor = Array(repeating: 0, count: perSector)
        priceLevel = Array(repeating: 0, count: perSector)
    }

    /// The value of metric `name`, if the run has it.
    public func metric(_ name: String, names: [String]) -> Double? {
        names.firstIndex(of: name).map { metrics[$0] }
    }

    mutating func clearScratch() {
        Self.zero(&extraSpending)
        Self.zero(&projectValueAdded)
        Self.zero(&openingHotels)
        Self.zero(&openingRooms)
        Self.zero(&eventRoomNights)
        hookSchedule.removeAll()
        hookProgrammes = 0
        leverChangeMonths = .zero
    }

    private static func zero(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
