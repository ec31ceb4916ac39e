/// The fields of the table an API function takes, such as `voucher { sector
/// = ..., budget = ... }`. Each function's fields are an enum whose cases
/// follow the order of its `NameList` (see `APINames`), so `LuaFields` reads
/// a field by its position, and a field name misspelt in the host does not
/// compile.
protocol APIField: CaseIterable, RawRepresentable where RawValue == Int, AllCases == [Self] {}

extension APIField {
    /// The name scenarios write: the case name in snake case (`delayMean` is `delay_mean`).
    var key: String {
        var key = ""
        for c in String(describing: self) {
            if c.isUppercase { key += "_" + c.lowercased() } else { key.append(c) }
        }
        return key
    }

    /// Every field's key, in order.
    static var keys: [String] { allCases.map(\.key) }
}

enum ScenarioField: Int, APIField { case name, description, runs, seed }
enum GoalField: Int, APIField { case id, metric, atLeast, atMost, label }
enum VoucherField: Int, APIField { case sector, start, months, budget, kind }
enum TradeInField: Int, APIField { case category, start, end, finish, units, price }
enum EventField: Int, APIField { case month, catering, roomNights }
enum ProjectField: Int, APIField { case name, sector, count, planned, delayMean, cancel, uplift, sigma, ramp }
enum HotelProjectField: Int, APIField { case rooms, planned, delayMean, cancel }
