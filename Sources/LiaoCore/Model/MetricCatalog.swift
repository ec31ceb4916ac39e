/// The per-run metrics of MODEL §8, under their public names, in a fixed
/// order. A run's metrics live in an array laid out as below; a scenario's own
/// metrics follow the built-in ones.
public enum MetricCatalog {
    /// Groups whose annual VA is reported.
    public enum ValueGroup: Int, CaseIterable, Sendable {
        case retail, catering, accommodation, hospitality, services
        public var key: String {
            ["retail", "catering", "accommodation", "hospitality", "services"][rawValue]
        }
    }

    /// Groups with growth metrics and growth goals.
    public enum GrowthGroup: Int, CaseIterable, Sendable {
        case retail, hospitality, services
        public var key: String { ["retail", "hospitality", "services"][rawValue] }
        /// The 2023 base value of the group's parameter.
        public var baseParameter: ParameterID {
            [.baseRetail, .baseHospitality, .baseServices][rawValue]
        }
        public var valueGroup: ValueGroup { [.retail, .hospitality, .services][rawValue] }
    }

    /// Index of `va.<group>.<year>` (year index 0 = 2024, 1 = 2025).
    public static func nominal(_ g: ValueGroup, year: Int) -> Int { g.rawValue * 2 + year }
    /// Index of `real.<group>.<year>`.
    public static func real(_ g: ValueGroup, year: Int) -> Int { 10 + g.rawValue * 2 + year }
    /// Index of `growth.<group>.2024`, `.2025` (period 0, 1) or `.cagr` (period 2).
    public static func growth(_ g: GrowthGroup, period: Int) -> Int { 20 + g.rawValue * 3 + period }
    public static let starCount = 29
    public static let rooms = 30
    public static let occupancy2025 = 31
    public static let workers = 32
    public static let firms = 33

    /// Number of built-in metrics.
    public static let count = 34

    /// Public names, indexed as above.
    public static let names: [String] = {
        var names: [String] = []
        for prefix in ["va", "real"] {
            for g in ValueGroup.allCases {
                for year in SimCalendar.years { names.append("\(prefix).\(g.key).\(year)") }
            }
        }
        for g in GrowthGroup.allCases {
            for period in ["2024", "2025", "cagr"] { names.append("growth.\(g.key).\(period)") }
        }
        names += ["hotels.star_count", "hotels.rooms", "hotels.occupancy.2025", "household.workers", "household.firms"]
        precondition(names.count == count)
        return names
    }()

    /// Units, for listings and docs.
    public static func unit(_ index: Int) -> String {
        switch index {
        case 0..<10: "亿元 (current prices)"
        case 10..<20: "亿元 (2023 prices)"
        case 20..<29: "share per year"
        case starCount: "hotels"
        case rooms: "rooms"
        case occupancy2025: "share of room-nights"
        case workers: "workers"
        default: "firms"
        }
    }

    /// Metrics whose value in a Monte Carlo run is always a whole number.
    public static let wholeNumberMetrics: Set<Int> = [starCount, workers, firms]

    private static let byName: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    public static func index(of name: String) -> Int? { byName[name] }
}
