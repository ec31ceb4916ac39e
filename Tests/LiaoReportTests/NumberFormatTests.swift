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

    @Test(arguments: [
        (0.02314, "+2.31 pp"), (0.0, "+0.00 pp"), (-0.0, "+0.00 pp"), (-0.000031, "-0.0031 pp"), (0.00004, "+0.004 pp"), (-0.5, "-50.00 pp"),
    ])
    func percentagePointsShowOnlyAnExactZeroAsZero(value: Double, expected: String) {
        #expect(NumberFormat.percentagePoints(value) == expected)
    }

    /// An estimate and its interval share their decimals, enough for the smallest nonzero one.
    @Test func differencesSideBySideShareTheirDecimals() {
        #expect(NumberFormat.percentagePoints([0.000121, 0.0000048, 0.000312]) == ["+0.01210 pp", "+0.00048 pp", "+0.03120 pp"])
        #expect(NumberFormat.percentagePoints([0.0023, 0.0016, 0.0031]) == ["+0.23 pp", "+0.16 pp", "+0.31 pp"])
        #expect(NumberFormat.percentagePoints([0, -0.0002, 0.0002]) == ["+0.00 pp", "-0.02 pp", "+0.02 pp"])
        #expect(NumberFormat.percentagePoints([-0.0, .nan]) == ["+0.00 pp", "n/a"])
    }
}
