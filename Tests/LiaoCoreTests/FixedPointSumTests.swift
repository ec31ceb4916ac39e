import Foundation
@_spi(Testing) import LiaoCore
import Testing

@Suite struct FixedPointSumTests {
    @Test func matchesBigIntegerReferenceAcrossTheWholeRange() {
        var random = StatsTestRandom(seed: 0xF1ED_0001)
        for trial in 0..<60 {
            let values = wideMagnitudeValues(&random, spread: [20.0, 200, 1_000][trial % 3])
            let expected = ExactSumOracle.sum(of: values)
            #expect(FixedPointSum(values).value.bitPattern == expected.bitPattern, "trial \(trial)")
            // The same sum with carries propagated after every few additions.
            var frequent = FixedPointSum(carryEvery: 1 + trial % 7)
            for x in values { frequent.add(x) }
            #expect(frequent.value.bitPattern == expected.bitPattern, "trial \(trial), frequent carries")
            // Split into parts and merged.
            let parts = random.unevenSplit(count: values.count, parts: 5).map { FixedPointSum(values[$0]) }
            var merged = FixedPointSum()
            for part in parts.reversed() { merged.merge(part) }
            #expect(merged.value.bitPattern == expected.bitPattern, "trial \(trial), merged")
            #expect(merged == FixedPointSum(values))
        }
    }

    @Test func smallNegativeTotalsAndKnownCases() {
        #expect(FixedPointSum([1e-3, -2e-3]).value == -1e-3)
        #expect(FixedPointSum([-2.5, 0.25]).value == -2.25)
        #expect(FixedPointSum([1e100, 1, -1e100]).value == 1)
        #expect(FixedPointSum(Array(repeating: 0.1, count: 10)).value == 1)
        #expect(FixedPointSum([0x1p53, 1]).value == 0x1p53)
        #expect(FixedPointSum([0x1p53, 1, 0x1p-60]).value == 0x1p53 + 2)
        #expect(FixedPointSum([.leastNonzeroMagnitude, -.leastNonzeroMagnitude * 3]).value == -2 * .leastNonzeroMagnitude)
        #expect(FixedPointSum([-1.5, 1.5]).value.bitPattern == (0.0).bitPattern)
        #expect(FixedPointSum([Double]()).value == 0)
    }

    @Test func nonFiniteAndOverflowingInputsFollowExactSum() {
        let cases: [[Double]] = [
            [1, .infinity, 2], [1, -.infinity], [.infinity, -.infinity], [1, .nan], [1e300, -1], [1e300, -1e300],
            [0x1p969, 0x1p969, -0x1p969],
        ]
        for values in cases {
            let expected = ExactSum(values).value
            let got = FixedPointSum(values).value
            #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN), "\(values)")
        }
    }

    @Test func repeatedLargestValuesKeepTheirHeadroom() {
        // Each addition puts up to 2^32 into a digit; a short carry interval
        // must keep long runs of the same large value exact.
        var sum = FixedPointSum(carryEvery: 3)
        let x = 0x1.fffffffffffffp968
        for _ in 0..<1_000 { sum.add(x) }
        #expect(sum.value == x * 1_000)
        var negative = FixedPointSum()
        for _ in 0..<1_000 { negative.add(-x) }
        #expect(negative.value == -x * 1_000)
    }

    @Test func encodesAsTheSamePartialsAsExactSum() throws {
        var random = StatsTestRandom(seed: 0xF1ED_0002)
        let values = wideMagnitudeValues(&random, spread: 200) + [.nan]
        let sum = FixedPointSum(values)
        let data = try JSONEncoder().encode(sum)
        #expect(try JSONDecoder().decode(ExactSum.self, from: data) == ExactSum(values))
        let decoded = try JSONDecoder().decode(FixedPointSum.self, from: data)
        #expect(decoded == sum)
        #expect(decoded.value.isNaN)
    }

    @Test func decodingRefusesPartialsNoSumCouldHave() {
        for text in [#"{"partials":[1e308,1e308]}"#, #"{"partials":[1.7976931348623157e308]}"#, #"{"partials":[4.4e307,4.4e307]}"#] {
            let data = Data(text.utf8)
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode(ExactSum.self, from: data) }
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode(FixedPointSum.self, from: data) }
        }
    }

    /// The delay sampler counts comparison hits by reinterpreting a mask as
    /// integers: a true lane must read as −1 and a false one as 0.
    @Test func comparisonMasksReadAsMinusOneAndZero() {
        let mask = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7) .<= SIMD8<Double>(repeating: 2.5)
        let lanes = unsafeBitCast(mask, to: SIMD8<Int64>.self)
        #expect(lanes == SIMD8<Int64>(-1, -1, -1, 0, 0, 0, 0, 0))
    }

    /// Squares placed as integers equal the rounded square plus its
    /// rounding error, across the range and at both edges of the integer path.
    @Test func squaresAreExact() {
        var random = StatsTestRandom(seed: 0xF1ED_0003)
        var values: [Double] = [0x1p-485, -0x1p-485, 0x1.fffffffffffffp484, 0x1p485, 0x1p-486, 1, -3, 0, 0x1p-1074]
        for _ in 0..<20_000 {
            let x = pow(2, random.uniform(-480, 480)) * (random.next() & 1 == 0 ? 1 : -1)
            values.append(x)
        }
        for x in values {
            var direct = FixedPointSum()
            direct.addSquare(of: x)
            let square = x * x
            let reference = FixedPointSum([square, (-square).addingProduct(x, x)])
            #expect(direct == reference, "x = \(x)")
        }
        var all = FixedPointSum()
        for x in values { all.addSquare(of: x) }
        var reference = FixedPointSum()
        for x in values {
            reference.add(x * x)
            reference.add((-(x * x)).addingProduct(x, x))
        }
        #expect(all == reference)
    }
}
