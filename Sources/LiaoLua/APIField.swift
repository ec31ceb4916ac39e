/// The fields of the table an API function takes, such as `voucher { sector
/// = ..., budget = ... }`. Each function's fields are an enum whose cases
/// follow the order of its `NameList` (see `APINames`), so `LuaFields` reads
/// a field by its position, and a field name misspelt in the host does not
/// compile.
package protocol APIField: CaseIterable, RawRepresentable where RawValue == Int, AllCases == [Self] {
    /// The names scenarios write, in the order of the cases (a test checks
    /// that each is its case's name in snake case: `delayMean`, `delay_mean`).
    static var keys: [String] { get }
}

extension APIField {
    /// The name scenarios write.
    package var key: String { Self.keys[rawValue] }
}

package enum ScenarioField: Int, APIField {
    case name, description, runs, seed
    package static let keys = ["name", "description", "runs", "seed"]
}

package enum GoalField: Int, APIField {
    case id, metric, atLeast, atMost, label
    package static let keys = ["id", "metric", "at_least", "at_most", "label"]
}

package enum VoucherField: Int, APIField {
    case sector, start, months, budget, kind
    package static let keys = ["sector", "start", "months", "budget", "kind"]
}

package enum TradeInField: Int, APIField {
    case category, start, end, finish, units, price
    package static let keys = ["category", "start", "end", "finish", "units", "price"]
}

package enum EventField: Int, APIField {
    case month, catering, roomNights
    package static let keys = ["month", "catering", "room_nights"]
}

package enum ProjectField: Int, APIField {
    case name, sector, count, planned, delayMean, cancel, uplift, sigma, ramp
    package static let keys = ["name", "sector", "count", "planned", "delay_mean", "cancel", "uplift", "sigma", "ramp"]
}

package enum HotelProjectField: Int, APIField {
    case rooms, planned, delayMean, cancel
    package static let keys = ["rooms", "planned", "delay_mean", "cancel"]
}
