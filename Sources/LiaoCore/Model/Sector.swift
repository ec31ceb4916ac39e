/// The four activity lines the plan targets, in the order used by every
/// per-sector array in the core.
public enum Sector: Int, CaseIterable, Sendable, Codable {
    /// 批发和零售业, wholesale and retail.
    case retail
    /// 餐饮业, catering.
    case catering
    /// 住宿业, accommodation (star and non-star).
    case accommodation
    /// 居民服务、修理和其他服务业, resident, repair and other services.
    case services

    /// The key scenarios and metric names use (`"retail"`, `"catering"`, ...).
    public var key: String {
        switch self {
        case .retail: "retail"
        case .catering: "catering"
        case .accommodation: "accommodation"
        case .services: "services"
        }
    }

    public init?(key: String) {
        guard let sector = Sector.allCases.first(where: { $0.key == key }) else { return nil }
        self = sector
    }

    public static let count = 4
}
