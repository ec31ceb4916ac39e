import LiaoReport
import Testing

/// Numbers in text output: grouped whole numbers, about four significant
/// digits, and an exponent where digits would run out (never a trap).
@Suite struct NumberFormatTests {
    @Test(arguments: [
        (303.126, "303.13"), (0.054418, "0.0544"), (3965.0, "3,965"), (3965.2, "3,965.2"), (-1234.56, "-1,234.6"), (12_345.6, "12,346"),
        (1e19, "1e+19"), (-1e300, "-1e+300"), (9.2e18, "9.2e+18"), (1e-300, "1e-300"),
        (Double.nan, "nan"), (-Double.infinity, "-inf"),
    ])
    func compactNumbers(value: Double, expected: String) {
        #expect(NumberFormat.compact(value) == expected)
    }

    /// An estimate and its interval share their decimals: two, or enough for
    /// two significant digits of the interval's half-width; only an exact zero
    /// (of either sign) shows as +0.
    @Test func differencesSideBySideShareTheirDecimals() {
        let few = NumberFormat.percentagePoints(estimate: 0.000121, low: 0.0000048, high: 0.000312)
        #expect([few.estimate, few.low, few.high] == ["+0.012 pp", "+0.000 pp", "+0.031 pp"])
        let wide = NumberFormat.percentagePoints(estimate: 0.0023, low: 0.0016, high: 0.0031)
        #expect([wide.estimate, wide.low, wide.high] == ["+0.230 pp", "+0.160 pp", "+0.310 pp"])
        let near = NumberFormat.percentagePoints(estimate: 0.0011, low: -0.000000027, high: 0.002231971)
        #expect([near.estimate, near.low, near.high] == ["+0.11 pp", "-0.00 pp", "+0.22 pp"])
        let zero = NumberFormat.percentagePoints(estimate: -0.0, low: .nan, high: 0)
        #expect([zero.estimate, zero.low, zero.high] == ["+0.00 pp", "n/a", "+0.00 pp"])
    }

    /// Odds keep two significant digits of their distance from 0% or 100%:
    /// an interval's ends are never rounded by a third (0.1415% is not 0.1%).
    static let percentCases: [(Double, String)] = [
        (0.391, "39.1%"), (0.001415, "0.14%"), (0.0001415, "0.014%"), (0.000044, "0.0044%"), (0.00024, "0.024%"), (0.0015, "0.15%"),
        (0.99923, "99.923%"), (0.998, "99.80%"), (0.99, "99.0%"), (0.01, "1.0%"), (0.0, "0%"), (1.0, "100%"), (Double.nan, "n/a"),
        // p and 1 − p alike, and at most 8 characters at any number of runs.
        (0.001, "0.10%"), (0.999, "99.90%"), (0.00099999, "0.10%"), (99_999.0 / 100_000, "99.999%"), (999_999.0 / 1_000_000, ">99.999%"),
        (1.0 / 1_000_000, "0.0001%"), (1.0 / 100_000_000, "<0.0001%"),
    ]

    @Test(arguments: percentCases)
    func percentages(value: Double, expected: String) {
        #expect(NumberFormat.percent(value) == expected)
        #expect(NumberFormat.percent(value).count <= 8)
    }

    @Test func percentagePointsKeepTwoSignificantDigits() {
        #expect(NumberFormat.percentagePoints(0.56) == "56.0 percentage points")
        #expect(NumberFormat.percentagePoints(0.00012) == "0.012 percentage points")
        #expect(NumberFormat.percentagePoints(0.031) == "3.1 percentage points")
    }

    /// Chinese names take two columns a character, so tables padded by columns stay in line.
    @Test func widthsAreTerminalColumns() {
        #expect(NumberFormat.columns("住宿餐饮") == 8 && NumberFormat.columns("hosp_45") == 7 && NumberFormat.columns("≥ 45") == 4)
        #expect(NumberFormat.left("住宿", 6) == "住宿  " && NumberFormat.right("住宿", 6) == "  住宿")
        #expect(NumberFormat.columns(NumberFormat.left("va.住宿.2025", 20)) == 20)
        #expect(NumberFormat.prefix("住宿餐饮业", columns: 5) == "住宿")
        #expect(NumberFormat.columns("e\u{301}") == 1)  // a combining accent takes no column
    }
}
