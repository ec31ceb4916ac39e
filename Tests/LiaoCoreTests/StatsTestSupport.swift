import Foundation
import LiaoCore

/// A seeded generator for reproducible test data (the core's SplitMix64).
struct StatsTestRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform integer in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Standard normal by the Box–Muller transform (one of the pair).
    mutating func normal() -> Double {
        let u1 = 1 - unit()  // in (0, 1]
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle.
    mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, below(i + 1))
        }
    }

    /// `parts` cut points splitting 0..<count into uneven, nonempty pieces.
    mutating func unevenSplit(count: Int, parts: Int) -> [Range<Int>] {
        var cuts = Set<Int>()
        while cuts.count < parts - 1 { cuts.insert(1 + below(count - 1)) }
        let bounds = [0] + cuts.sorted() + [count]
        return (0..<parts).map { bounds[$0]..<bounds[$0 + 1] }
    }
}

/// The value at 1-based `rank` of an ascending array.
func valueAtRank(_ sorted: [Double], _ rank: UInt64) -> Double { sorted[Int(rank) - 1] }

/// A slow, independent reference for exact sums: every finite double is a
/// whole multiple of 2^-1074, so the exact total is an integer, kept here in
/// 32-bit limbs, then rounded to the nearest double (ties to even).
struct ExactSumOracle {
    private var limbs = [Int64](repeating: 0, count: 72)

    /// The correctly rounded exact sum of `values`.
    static func sum(of values: [Double]) -> Double {
        var oracle = ExactSumOracle()
        for x in values { oracle.add(x) }
        return oracle.value
    }

    mutating func add(_ x: Double) {
        precondition(x.isFinite)
        if x == 0 { return }
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        var significand = bits & ((1 << 52) - 1)
        if biased != 0 { significand |= 1 << 52 }
        let position = biased == 0 ? 0 : biased - 1  // x = significand · 2^(position − 1074)
        let limb = position / 32
        let offset = UInt64(position % 32)
        let pieces = [
            (significand << offset) & 0xFFFF_FFFF,
            (significand >> (32 - offset)) & 0xFFFF_FFFF,
            significand >> (64 - offset),
        ]
        for (i, piece) in pieces.enumerated() {
            limbs[limb + i] += x < 0 ? -Int64(piece) : Int64(piece)
        }
        normalize()
    }

    private mutating func normalize() {
        for i in 0..<limbs.count - 1 {
            let carry = limbs[i] >> 32
            limbs[i] -= carry << 32
            limbs[i + 1] += carry
        }
    }

    var value: Double {
        var magnitude = self
        let negative = limbs[limbs.count - 1] < 0
        if negative {
            for i in magnitude.limbs.indices { magnitude.limbs[i] = -magnitude.limbs[i] }
            magnitude.normalize()
        }
        guard let top = magnitude.limbs.lastIndex(where: { $0 != 0 }) else { return 0 }
        let topBits = 64 - UInt64(magnitude.limbs[top]).leadingZeroBitCount
        let highest = top * 32 + topBits - 1  // index of the leading 1 bit
        func bit(_ index: Int) -> UInt64 {
            index < 0 ? 0 : (UInt64(magnitude.limbs[index / 32]) >> UInt64(index % 32)) & 1
        }
        var leading: UInt64 = 0
        for index in stride(from: highest, to: highest - 64, by: -1) {
            leading = leading << 1 | bit(index)
        }
        var sticky = false
        var index = highest - 64
        while index >= 0 && !sticky {
            sticky = bit(index) != 0
            index -= 1
        }
        // `leading` holds bits highest … highest−63; the sticky bit sits far
        // below the rounding position, so one conversion rounds correctly.
        let rounded = Double(leading | (sticky ? 1 : 0))
        let result = Double(sign: .plus, exponent: highest - 63 - 1074, significand: rounded)
        return negative ? -result : result
    }
}

/// 2,166 values of both signs whose magnitudes span `spread` decades somewhere
/// between 1e-300 and 1e290, a tenth of them subnormal, with two thirds of the
/// first thousand cancelled again by their negatives: hard cases for exact sums.
func wideMagnitudeValues(_ random: inout StatsTestRandom, spread: Double) -> [Double] {
    var values: [Double] = []
    let centre = random.uniform(-300, 290 - spread / 2)
    for _ in 0..<1_500 {
        var x = pow(10, centre + random.uniform(0, spread / 2))
        if random.below(10) == 0 { x = Double(bitPattern: random.next() >> 12) }  // subnormal
        values.append(random.next() & 1 == 0 ? x : -x)
    }
    // Cancel most of the large values again, leaving a small remainder.
    for i in 0..<1_000 where i % 3 != 0 { values.append(-values[i]) }
    random.shuffle(&values)
    return values
}
