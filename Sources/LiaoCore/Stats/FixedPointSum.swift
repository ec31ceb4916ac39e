/// An exact running sum of `Double` values held as one long fixed-point
/// number: the streaming accumulator behind `MetricSummary`.
///
/// Every finite `Double` is an integer multiple of 2^-1074. The sum is kept
/// as that integer, split into 32-bit digits (digit `i` weighs 2^(32i − 1074))
/// stored in `Int64` slots. Adding a value writes its 53-bit significand into
/// the (at most three) digits it overlaps: a few shifts and adds, with no
/// branch that depends on the data, which is why this is faster than
/// `ExactSum`'s partials for long streams. A digit's slot has 31 bits of
/// headroom, so carries are propagated only every 2^30 additions.
///
/// The value, rounding and range rules are those of `ExactSum`, which does
/// the final rounding: `exactSum` converts the digits (each exactly a
/// `Double`) into one. Finite inputs with magnitude below 2^970 are summed
/// exactly; larger ones, infinities and NaN set flags with the same meaning as
/// there. Because the stored integer does not depend on the order of
/// additions, neither does anything derived from it.
public struct FixedPointSum: Sendable {
    /// Bits per digit.
    static let digitBits = 32
    /// Additions allowed before carries must be propagated (each digit then
    /// stays below 2^62 in magnitude).
    private static let additionsBetweenCarries = 1 << 30

    /// The digits, least significant first, held inline (no heap storage, so
    /// an addition needs no uniqueness check): 64 + 4 of them. Bit positions
    /// 0 ..< 2046 of any finite value, with a 53-bit significand shifted by up
    /// to 31, need 67; the 68th leaves room for carries.
    private var digits: (SIMD64<Int64>, SIMD4<Int64>)
    /// Additions left before the next carry propagation, and how many are
    /// allowed between propagations.
    private var additionsLeft: Int
    private let carryInterval: Int
    /// Non-finite and overflowing inputs seen: bit 0 NaN, bit 1 +inf, bit 2 -inf.
    private var specialFlags: UInt8

    /// An empty sum (value 0).
    public init() { self.init(carryEvery: Self.additionsBetweenCarries) }

    /// An empty sum that propagates carries every `interval` additions (at
    /// most 2^30): tests use short intervals to exercise propagation.
    @_spi(Testing) public init(carryEvery interval: Int) {
        precondition(interval >= 1 && interval <= Self.additionsBetweenCarries)
        digits = (.zero, .zero)
        carryInterval = interval
        additionsLeft = interval
        specialFlags = 0
    }

    /// A sum of the given values.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init()
        for x in values { add(x) }
    }

    /// Adds `x` exactly.
    @inline(__always)
    public mutating func add(_ x: Double) {
        // 970 + 1023: the overflow threshold of `ExactSum`, as a biased exponent.
        guard (x.bitPattern >> 52) & 0x7FF < 1993 else {
            addSpecial(x)
            return
        }
        place(x)
    }

    /// Adds x² exactly. For 2^-485 ≤ |x| < 2^485 the square is a whole
    /// multiple of 2^-1074 below 2^970, so its 106-bit integer significand
    /// goes straight into the digits; outside that range it is added as the
    /// rounded square plus its rounding error (by a fused multiply-add), as
    /// two values, which follow `add`'s rules (the error is inexact where the
    /// square underflows).
    @inline(__always)
    public mutating func addSquare(of x: Double) {
        let bits = x.bitPattern
        let biasedExponent = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF)
        guard biasedExponent >= 538 && biasedExponent < 1508 else {
            let square = x * x
            add(square)
            add((-square).addingProduct(x, x))
            return
        }
        let significand = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x0010_0000_0000_0000
        let (high, low) = significand.multipliedFullWidth(by: significand)  // high < 2^42
        // x² = significand² · 2^(2e − 2150): its lowest bit weighs 2^(position − 1074).
        let position = 2 * biasedExponent - 1076
        let digit = position >> 5
        let shift = UInt64(truncatingIfNeeded: position & 31)
        let word0 = low << shift
        let word1 = (high << shift) | (low >> (64 - shift))  // `>>` by 64 gives 0
        let word2 = high >> (64 - shift)
        withDigits { d in
            d[digit] &+= Int64(truncatingIfNeeded: word0 & 0xFFFF_FFFF)
            d[digit + 1] &+= Int64(truncatingIfNeeded: word0 >> 32)
            d[digit + 2] &+= Int64(truncatingIfNeeded: word1 & 0xFFFF_FFFF)
            d[digit + 3] &+= Int64(truncatingIfNeeded: word1 >> 32)
            d[digit + 4] &+= Int64(truncatingIfNeeded: word2)
        }
        additionsLeft &-= 1
        if additionsLeft == 0 { propagateCarries() }
    }

    /// Adds the finite `x` into the digits (any finite value fits).
    @inline(__always)
    private mutating func place(_ x: Double) {
        let bits = x.bitPattern
        let biasedExponent = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF)
        let fraction = bits & 0x000F_FFFF_FFFF_FFFF
        // Normal numbers: implicit leading bit, weight 2^(e − 1075); subnormals
        // (and zero) share the weight of the smallest exponent.
        let isNormal = biasedExponent != 0
        let significand = fraction | (isNormal ? 0x0010_0000_0000_0000 : 0)
        let position = isNormal ? biasedExponent - 1 : 0
        let digit = position >> 5
        let shift = UInt64(truncatingIfNeeded: position & 31)
        let low = Int64(truncatingIfNeeded: (significand &<< shift) & 0xFFFF_FFFF)
        let high = significand >> (32 &- shift)  // bits 32 and up of the shifted significand
        let middle = Int64(truncatingIfNeeded: high & 0xFFFF_FFFF)
        let top = Int64(truncatingIfNeeded: high >> 32)
        let sign: Int64 = bits >> 63 == 0 ? 1 : -1
        withDigits { d in
            d[digit] &+= sign &* low
            d[digit + 1] &+= sign &* middle
            d[digit + 2] &+= sign &* top
        }
        additionsLeft &-= 1
        if additionsLeft == 0 { propagateCarries() }
    }

    /// Adds everything in `other`, exactly.
    public mutating func merge(_ other: FixedPointSum) {
        var other = other
        other.propagateCarries()
        propagateCarries()
        specialFlags |= other.specialFlags
        digits.0 &+= other.digits.0
        digits.1 &+= other.digits.1
        propagateCarries()
    }

    /// The same exact sum as partials (`ExactSum`), for rounding, comparison
    /// and products.
    public var exactSum: ExactSum {
        var normalized = self
        normalized.propagateCarries()
        var sum = ExactSum()
        for (i, digit) in normalized.digitArray.enumerated() where digit != 0 {
            // |digit| ≤ 2^31 after propagation (the top one stays small, as the
            // sum is below 2^1022), so this is exact, also in the subnormal range.
            sum.addPartial(Double(sign: .plus, exponent: i * Self.digitBits - 1074, significand: Double(digit)))
        }
        sum.addFlags(nan: specialFlags & 1 != 0, positiveInfinity: specialFlags & 2 != 0,
                     negativeInfinity: specialFlags & 4 != 0)
        return sum
    }

    /// The exact sum rounded once to the nearest `Double` (ties to even).
    public var value: Double { exactSum.value }

    // MARK: - Internals

    /// Calls `body` with the digits as a buffer.
    @inline(__always)
    private mutating func withDigits<R>(_ body: (UnsafeMutableBufferPointer<Int64>) -> R) -> R {
        withUnsafeMutableBytes(of: &digits) { raw in
            raw.withMemoryRebound(to: Int64.self) { body($0) }
        }
    }

    /// The digits as an array.
    private var digitArray: [Int64] {
        (0..<64).map { digits.0[$0] } + (0..<4).map { digits.1[$0] }
    }

    private mutating func addSpecial(_ x: Double) {
        if x.isNaN {
            specialFlags |= 1
        } else {
            specialFlags |= x > 0 ? 2 : 4
        }
    }

    /// Brings every digit but the last into −2^31 ..< 2^31, carrying upwards.
    /// Balanced digits keep a small negative sum small (no run of borrows up
    /// to the top digit), so every digit converts to a modest `Double`.
    private mutating func propagateCarries() {
        withDigits { d in
            var carry: Int64 = 0
            for i in 0..<(d.count - 1) {
                let v = d[i] &+ carry
                carry = (v &+ (1 << 31)) >> 32  // arithmetic shift: rounds v / 2^32 to nearest
                d[i] = v &- (carry << 32)
            }
            d[d.count - 1] &+= carry
        }
        additionsLeft = carryInterval
    }
}

extension FixedPointSum: Equatable {
    /// Equal when the exact sums are (see `ExactSum.==`).
    public static func == (lhs: FixedPointSum, rhs: FixedPointSum) -> Bool { lhs.exactSum == rhs.exactSum }
}

extension FixedPointSum: Codable {
    /// Stored as its `ExactSum`: the same partials, whichever accumulator built them.
    public init(from decoder: any Decoder) throws {
        let sum = try ExactSum(from: decoder)
        self.init()
        sum.withPartials { partials in
            for p in partials { place(p) }
        }
        specialFlags = sum.specialFlagBits
    }

    public func encode(to encoder: any Encoder) throws { try exactSum.encode(to: encoder) }
}
