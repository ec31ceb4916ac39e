import Foundation
import LiaoCore
import Testing

@Suite struct ExactSumTests {
    /// 100,000 values with magnitudes spread log-uniformly over 1e-10 … 1e10, both signs.
    static func mixedMagnitudes(seed: UInt64, count: Int = 100_000) -> [Double] {
        var random = StatsTestRandom(seed: seed)
        return (0..<count).map { _ in
            let magnitude = pow(10, random.uniform(-10, 10))
            return random.next() & 1 == 0 ? magnitude : -magnitude
        }
    }

    @Test func knownExactCasesRoundCorrectly() {
        #expect(ExactSum([1e100, 1.0, -1e100]).value == 1.0)
        #expect(ExactSum([1.0, 1e100, 1.0, -1e100]).value == 2.0)
        #expect(ExactSum(Array(repeating: 0.1, count: 10)).value == 1.0)
        // Naive left-to-right addition gets this one wrong.
        #expect(Array(repeating: 0.1, count: 10).reduce(0, +) != 1.0)
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: ties go to even…
        #expect(ExactSum([0x1p53, 1]).value == 0x1p53)
        // …unless anything at all lies beyond the halfway point.
        #expect(ExactSum([0x1p53, 1, 0x1p-60]).value == 0x1p53 + 2)
        #expect(ExactSum([0x1p-60, 1, 0x1p53]).value == 0x1p53 + 2)
        #expect(ExactSum([0x1p53, 1, -0x1p-60]).value == 0x1p53)
        #expect(ExactSum([9e291, 9e291, -9e291]).value == 9e291)
        #expect(ExactSum([Double]()).value == 0)
        #expect(ExactSum([.leastNonzeroMagnitude, .leastNonzeroMagnitude]).value == 2 * .leastNonzeroMagnitude)
    }

    @Test func exactZeroIsPositiveZero() {
        #expect(ExactSum([-0.0]).value.bitPattern == (0.0).bitPattern)
        #expect(ExactSum([-1.5, 1.5]).value.bitPattern == (0.0).bitPattern)
        #expect(ExactSum([1.5, -1.5]).value.bitPattern == (0.0).bitPattern)
        #expect(ExactSum([1.5, -1.5]).isZero)
    }

    @Test func nonFiniteAndOverflowingInputsFollowInfinityRules() {
        #expect(ExactSum([1, .infinity, 2]).value == .infinity)
        #expect(ExactSum([1, -.infinity]).value == -.infinity)
        #expect(ExactSum([.infinity, -.infinity]).value.isNaN)
        #expect(ExactSum([1, .nan]).value.isNaN)
        // Beyond the exact range: treated as overflow whatever the order.
        #expect(ExactSum([1e300, -1]).value == .infinity)
        #expect(ExactSum([1e300, -1e300]).value.isNaN)
        #expect(ExactSum([-1e300, 1e300]).value.isNaN)
        // Just below the threshold is still exact.
        let big = 0x1p970.nextDown
        #expect(ExactSum([big, 1, -big]).value == 1)
    }

    @Test func matchesIndependentIntegerArithmetic() {
        // Every value is a whole multiple of 2^-20, so the exact total, scaled
        // by 2^20, is an Int64, and Double(Int64) rounds it correctly (ties to
        // even): an independent reference. A large whole number makes the total
        // need about 61 bits, and a final nudge steers it onto a rounding tie,
        // or one unit either side of it.
        var random = StatsTestRandom(seed: 0x5EED_0001)
        for trial in 0..<300 {
            var values: [Double] = []
            let big = Int64(1 << 40) + Int64(random.below(1 << 40))
            values.append(Double(big))
            var scaledTotal = big << 20
            for _ in 0..<1_000 {
                let k = Int64(random.below(1 << 21)) - (1 << 20)
                let e = -random.below(21)
                values.append(Double(k) * Double(sign: .plus, exponent: e, significand: 1))
                scaledTotal += k << (20 + e)
            }
            let extraBits = (64 - scaledTotal.magnitude.leadingZeroBitCount) - 53
            #expect(extraBits > 0)
            let unit = Int64(1) << extraBits
            let nudge = (unit / 2 - (scaledTotal & (unit - 1))) + Int64(trial % 3) - 1
            values.append(Double(nudge) * 0x1p-20)
            scaledTotal += nudge
            random.shuffle(&values)
            let expected = Double(scaledTotal) * 0x1p-20
            #expect(ExactSum(values).value.bitPattern == expected.bitPattern)
        }
    }

    @Test func bigIntegerReferenceKnowsTheTextbookCases() {
        let reference = ExactSumOracle.sum(of:)
        #expect(reference(Array(repeating: 0.1, count: 10)) == 1.0)
        #expect(reference([1e100, 1, -1e100]) == 1)
        #expect(reference([0x1p53, 1]) == 0x1p53)
        #expect(reference([0x1p53, 1, 0x1p-60]) == 0x1p53 + 2)
        #expect(reference([-2.5, 0.25]) == -2.25)
        #expect(reference([.leastNonzeroMagnitude, .leastNonzeroMagnitude * 2]) == .leastNonzeroMagnitude * 3)
        #expect(reference([1e290, 1e290]) == 2e290)
        #expect(reference([]) == 0)
    }

    @Test func matchesBigIntegerReferenceAcrossTheWholeRange() {
        // Values of every magnitude from subnormal to 1e290, heavy cancellation
        // included, checked against an independent big-integer computation.
        var random = StatsTestRandom(seed: 0x5EED_0002)
        for trial in 0..<60 {
            let values = wideMagnitudeValues(&random, spread: [20.0, 200, 1_000][trial % 3])
            let expected = ExactSumOracle.sum(of: values)
            #expect(ExactSum(values).value.bitPattern == expected.bitPattern, "trial \(trial)")
            let parts = random.unevenSplit(count: values.count, parts: 5).map { ExactSum(values[$0]) }
            var merged = ExactSum()
            for part in parts.reversed() { merged.merge(part) }
            #expect(merged.value.bitPattern == expected.bitPattern, "trial \(trial), merged")
        }
    }

    @Test func orderAndMergeTreeDoNotChangeTheBits() {
        let values = Self.mixedMagnitudes(seed: 0xE5AC_7001)
        var random = StatsTestRandom(seed: 0xE5AC_7002)

        let forwards = ExactSum(values)
        let backwards = ExactSum(values.reversed())
        var shuffledValues = values
        random.shuffle(&shuffledValues)
        let shuffled = ExactSum(shuffledValues)

        let parts = random.unevenSplit(count: values.count, parts: 7).map { ExactSum(values[$0]) }
        // An irregular merge tree: ((p5 + p0) + (p3 + (p6 + p1))) + (p2 + p4).
        var left = parts[5]; left.merge(parts[0])
        var inner = parts[6]; inner.merge(parts[1])
        var right = parts[3]; right.merge(inner)
        left.merge(right)
        var tail = parts[2]; tail.merge(parts[4])
        left.merge(tail)

        let bits = forwards.value.bitPattern
        #expect(backwards.value.bitPattern == bits)
        #expect(shuffled.value.bitPattern == bits)
        #expect(left.value.bitPattern == bits)
        #expect(forwards == backwards && forwards == shuffled && forwards == left)
    }

    @Test func manyPartialsSpillAndStayExact() {
        // Magnitudes from 1e-300 to 1e290 need far more than the inline partials.
        var random = StatsTestRandom(seed: 0x5B111)
        let values = (0..<20_000).map { _ in
            (random.next() & 1 == 0 ? 1.0 : -1.0) * pow(10, random.uniform(-300, 290))
        }
        var total = ExactSum(values)
        #expect(total.partialsInUse > 8)
        total.add(1.0)
        var negatives = values.map { -$0 }
        random.shuffle(&negatives)
        for x in negatives { total.add(x) }
        #expect(total.value == 1.0)
        #expect(total.partialsInUse == 1)
    }

    @Test func equalityComparesExactValues() {
        let a = ExactSum([0.1, 0.2, 0.3])
        let b = ExactSum([0.3, 0.2, 0.1])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ExactSum([0.1, 0.2, 0.3, 1e-300]))
        #expect(ExactSum([1, .infinity]) != ExactSum([1]))
    }

    @Test func codableRoundTripKeepsTheExactValue() throws {
        var original = ExactSum(Self.mixedMagnitudes(seed: 0xC0DE, count: 5_000))
        let data = try JSONEncoder().encode(original)
        var decoded = try JSONDecoder().decode(ExactSum.self, from: data)
        #expect(decoded == original)
        // The decoded sum keeps every partial: adding the same value to both gives the same bits.
        original.add(0x1p-40)
        decoded.add(0x1p-40)
        #expect(decoded.value.bitPattern == original.value.bitPattern)
        let special = ExactSum([1, .infinity])
        let decodedSpecial = try JSONDecoder().decode(ExactSum.self, from: JSONEncoder().encode(special))
        #expect(decodedSpecial.value == .infinity)
    }
}
