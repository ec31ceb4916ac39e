/// The simulation calendar: 24 monthly steps, t = 0 … 23 = 2024-01 … 2025-12.
public enum SimCalendar {
    /// Number of simulated months.
    public static let months = 24
    /// The first simulated year.
    public static let firstYear = 2024
    /// The two simulated years, in order.
    public static let years = [2024, 2025]

    /// The year of month index `t`.
    public static func year(_ t: Int) -> Int { firstYear + t / 12 }

    /// The calendar month (0 = January … 11 = December) of month index `t`.
    public static func calendarMonth(_ t: Int) -> Int { t % 12 }

    /// Days in month index `t` (2024 is a leap year).
    public static func days(_ t: Int) -> Double {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let m = calendarMonth(t)
        if m == 1 && year(t) % 4 == 0 { return 29 }
        return Double(lengths[m])
    }

    /// Years since the middle of the 2023 base year at month `t`: τ(t) = (t + 6.5) / 12.
    public static func yearsSinceBase(_ t: Int) -> Double { (Double(t) + 6.5) / 12 }

    /// `"YYYY-MM"` for month index `t` (any integer, also outside the horizon).
    public static func label(_ t: Int) -> String {
        let year = firstYear + Int((Double(t) / 12).rounded(.down))
        let month = ((t % 12) + 12) % 12 + 1
        return month < 10 ? "\(year)-0\(month)" : "\(year)-\(month)"
    }

    /// Parses `"YYYY-MM"` into a month index relative to 2024-01 (which may lie
    /// outside 0 … 23; callers check the range they need).
    public static func index(of label: String) -> Int? { index(ofUTF8: label.utf8) }

    /// `index(of:)` of a label given as UTF-8 bytes (this runs for every
    /// instrument a hook schedules, so it reads the bytes without allocating).
    @inlinable
    public static func index<Bytes: Sequence<UInt8>>(ofUTF8 bytes: Bytes) -> Int? {
        // Exactly four digits, '-', two digits.
        var year = 0, month = 0, position = 0
        for byte in bytes {
            if position == 4 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                if position < 4 { year = year * 10 + digit } else { month = month * 10 + digit }
            }
            position += 1
            if position > 7 { return nil }
        }
        guard position == 7, (1...12).contains(month) else { return nil }
        return (year - firstYear) * 12 + (month - 1)
    }

    /// Whether month index `t` lies in the simulated horizon.
    public static func contains(_ t: Int) -> Bool { t >= 0 && t < months }
}
