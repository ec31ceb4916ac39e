/// An exact running sum of `Double` values.
///
/// The sum is kept as a short list of non-overlapping floating-point
/// "partials" (Shewchuk's algorithm, the method behind Python's `math.fsum`):
/// their mathematical sum is exactly the sum of everything added so far, with
/// no rounding at all. `value` rounds that exact sum once, to the nearest
/// `Double` (ties to even). Because the exact sum does not depend on the order
/// of the additions, neither does `value`: adding the same values in any
/// order, or in any split of parts later combined with `merge`, gives a
/// bit-identical result.
///
/// Storage: up to eight partials live inline in the struct, so the common case
/// (values of similar magnitude need two to four partials) never touches the
/// heap. Sums that need more partials move them to an array once; further
/// additions reuse its capacity. When the partials outgrow what their bits
/// require, they are compressed (Shewchuk's COMPRESS) back to near the
/// minimum, so each addition loops over as few partials as possible.
///
/// Range: finite inputs with magnitude below 2^970 (≈ 9.98e291), with fewer
/// than 2^52 of them in total, are summed exactly. Larger inputs are treated as
/// overflow: like infinities, they make `value` ±infinity (NaN when both signs
/// occur). NaN inputs make `value` NaN. These rules depend only on which values
/// were added, so results stay independent of order. An exact sum of zero is
/// reported as `+0.0`.
public struct ExactSum: Sendable {
    /// Partials stored inline while there are at most `inlineCapacity` of them.
    private var inlineStorage: (Double, Double, Double, Double, Double, Double, Double, Double)
    /// Number of partials in use (inline or in `spilled`).
    private var partialCount: Int
    /// Partials storage once a sum has needed more than `inlineCapacity`;
    /// its `count` is the usable capacity (it only ever grows).
    private var spilled: [Double]
    /// Whether the partials live in `spilled` rather than inline.
    private var isSpilled: Bool
    /// Non-finite and overflowing inputs seen: bit 0 NaN, bit 1 +inf, bit 2 -inf.
    private var specialFlags: UInt8
    /// When the partials outnumber this, they are compressed (see `compress`).
    private var compressLimit: Int

    private static let inlineCapacity = 8
    private static let minimumCompressLimit = 2
    private static let nanFlag: UInt8 = 1
    private static let positiveInfinityFlag: UInt8 = 2
    private static let negativeInfinityFlag: UInt8 = 4

    /// Inputs of at least this magnitude are treated as overflow (see type docs).
    public static let overflowThreshold: Double = 0x1p970
    /// No sum of in-range inputs (fewer than 2^52 of them) reaches this magnitude.
    static let largestSumMagnitude: Double = 0x1p1022

    /// An empty sum (value 0).
    public init() {
        inlineStorage = (0, 0, 0, 0, 0, 0, 0, 0)
        partialCount = 0
        spilled = []
        isSpilled = false
        specialFlags = 0
        compressLimit = Self.minimumCompressLimit
    }

    /// A sum of the given values.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init()
        for x in values { add(x) }
    }

    /// Adds `x` exactly.
    @inline(__always)
    public mutating func add(_ x: Double) {
        let magnitude = x.magnitude
        if magnitude < Self.overflowThreshold {
            if x != 0 { accumulate(x) }
        } else {
            addSpecial(x)
        }
    }

    /// Adds everything in `other`, exactly.
    public mutating func merge(_ other: ExactSum) {
        specialFlags |= other.specialFlags
        other.withPartials { partials in
            for p in partials { accumulate(p) }
        }
    }

    /// The exact sum rounded once to the nearest `Double` (ties to even).
    public var value: Double {
        if specialFlags != 0 {
            if specialFlags & Self.nanFlag != 0 { return .nan }
            let both = Self.positiveInfinityFlag | Self.negativeInfinityFlag
            if specialFlags & both == both { return .nan }
            return specialFlags & Self.positiveInfinityFlag != 0 ? .infinity : -.infinity
        }
        let rounded = withPartials { Self.roundedSum(of: $0) }
        return rounded == 0 ? 0 : rounded
    }

    /// Whether the exact sum is zero and no non-finite or overflowing value was added.
    public var isZero: Bool { partialCount == 0 && specialFlags == 0 }

    /// Number of partials currently used to represent the sum (a measure of
    /// how spread out in magnitude the added values are).
    public var partialsInUse: Int { partialCount }

    /// Calls `body` with the current partials, smallest magnitude first.
    func withPartials<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        if isSpilled {
            return try spilled.withUnsafeBufferPointer { buffer in
                try body(UnsafeBufferPointer(rebasing: buffer[0..<partialCount]))
            }
        }
        var copy = inlineStorage
        return try withUnsafePointer(to: &copy) { tuple in
            try tuple.withMemoryRebound(to: Double.self, capacity: Self.inlineCapacity) { first in
                try body(UnsafeBufferPointer(start: first, count: partialCount))
            }
        }
    }

    /// The flags of the non-finite and overflowing inputs seen (bit 0 NaN,
    /// bit 1 +infinity, bit 2 -infinity), for `FixedPointSum`.
    var specialFlagBits: UInt8 { specialFlags }

    /// Adds a finite partial of a sum whose inputs were in range: unlike
    /// `add`, magnitudes from 2^970 up are kept, since a total of in-range
    /// inputs may reach them (`FixedPointSum`, decoding).
    mutating func addPartial(_ x: Double) {
        precondition(x.isFinite)
        if x != 0 { accumulate(x) }
    }

    /// Records non-finite or overflowing inputs seen elsewhere (`FixedPointSum`).
    mutating func addFlags(nan: Bool, positiveInfinity: Bool, negativeInfinity: Bool) {
        if nan { specialFlags |= Self.nanFlag }
        if positiveInfinity { specialFlags |= Self.positiveInfinityFlag }
        if negativeInfinity { specialFlags |= Self.negativeInfinityFlag }
    }

    // MARK: - Internals

    private mutating func addSpecial(_ x: Double) {
        if x.isNaN {
            specialFlags |= Self.nanFlag
        } else {
            specialFlags |= x > 0 ? Self.positiveInfinityFlag : Self.negativeInfinityFlag
        }
    }

    /// Adds a finite, nonzero value below the overflow threshold to the partials.
    @inline(__always)
    private mutating func accumulate(_ x: Double) {
        if !isSpilled && partialCount < Self.inlineCapacity {
            let n = partialCount
            let limit = compressLimit
            (partialCount, compressLimit) = withUnsafeMutablePointer(to: &inlineStorage) { tuple in
                tuple.withMemoryRebound(to: Double.self, capacity: Self.inlineCapacity) { p in
                    let grown = Self.grow(p, count: n, adding: x)
                    if grown <= limit { return (grown, limit) }
                    let compressed = Self.compress(p, count: grown)
                    return (compressed, Swift.max(Self.minimumCompressLimit, compressed + 1))
                }
            }
        } else {
            accumulateSpilled(x)
        }
    }

    private mutating func accumulateSpilled(_ x: Double) {
        if !isSpilled {
            spilled.removeAll(keepingCapacity: true)
            withPartials { spilled.append(contentsOf: $0) }
            isSpilled = true
        }
        // The partials list grows by at most one element per addition.
        if spilled.count <= partialCount {
            spilled.append(contentsOf: repeatElement(0, count: Swift.max(8, spilled.count)))
        }
        let n = partialCount
        let limit = compressLimit
        (partialCount, compressLimit) = spilled.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            let grown = Self.grow(p, count: n, adding: x)
            if grown <= limit { return (grown, limit) }
            let compressed = Self.compress(p, count: grown)
            return (compressed, Swift.max(Self.minimumCompressLimit, compressed + 1))
        }
        if partialCount <= Self.inlineCapacity / 2 {
            // Narrow again: move back inline (the array keeps its capacity for later).
            let count = partialCount
            withUnsafeMutablePointer(to: &inlineStorage) { tuple in
                tuple.withMemoryRebound(to: Double.self, capacity: Self.inlineCapacity) { p in
                    for i in 0..<count { p[i] = spilled[i] }
                }
            }
            isSpilled = false
        }
    }

    /// Adds `x` to the `count` non-overlapping partials at `p` (ordered by
    /// increasing magnitude), keeping that invariant; returns the new count,
    /// which is at most `count + 1`. Zero partials are dropped, so the list is
    /// empty exactly when the sum is zero.
    @inline(__always)
    private static func grow(_ p: UnsafeMutablePointer<Double>, count: Int, adding value: Double) -> Int {
        var x = value
        var kept = 0
        var j = 0
        while j < count {
            let y = p[j]
            // Error-free transformation: hi + lo == x + y exactly.
            let hi = x + y
            let yVirtual = hi - x
            let xVirtual = hi - yVirtual
            let lo = (x - xVirtual) + (y - yVirtual)
            if lo != 0 {
                p[kept] = lo
                kept += 1
            }
            x = hi
            j += 1
        }
        if x != 0 {
            p[kept] = x
            kept += 1
        }
        return kept
    }

    /// Rewrites `count` non-overlapping partials at `p` (increasing magnitude)
    /// as an equal sum of as few non-overlapping partials as the bits allow
    /// (Shewchuk's compression); returns the new count. Partials that carry
    /// only a few bits each are merged, so later additions loop over fewer.
    private static func compress(_ p: UnsafeMutablePointer<Double>, count: Int) -> Int {
        guard count > 1 else { return count }
        // Downward pass: accumulate from the top, emitting a partial whenever
        // the running value can no longer absorb the next one exactly.
        var bottom = count - 1
        var q = p[count - 1]
        var i = count - 2
        while i >= 0 {
            let y = p[i]
            let sum = q + y
            let error = y - (sum - q)
            if error != 0 {
                p[bottom] = sum
                bottom -= 1
                q = error
            } else {
                q = sum
            }
            i -= 1
        }
        p[bottom] = q
        // Upward pass: fold the emitted values back from the bottom, writing
        // the nonzero errors from the start of the buffer.
        var top = 0
        var j = bottom + 1
        while j < count {
            let y = p[j]
            let sum = y + q
            let error = q - (sum - y)
            if error != 0 {
                p[top] = error
                top += 1
            }
            q = sum
            j += 1
        }
        if q != 0 {
            p[top] = q
            top += 1
        }
        return top
    }

    /// Correctly rounded sum of non-overlapping partials ordered by increasing magnitude.
    private static func roundedSum(of partials: UnsafeBufferPointer<Double>) -> Double {
        var n = partials.count
        guard n > 0 else { return 0 }
        n -= 1
        var hi = partials[n]
        var lo = 0.0
        while n > 0 {
            let x = hi
            n -= 1
            let y = partials[n]
            hi = x + y
            let yRounded = hi - x
            lo = y - yRounded
            if lo != 0 { break }
        }
        // `hi + lo` is exact; the partials below `lo` decide the rounding when
        // `lo` is exactly half an ulp of `hi`: if they push the same way as `lo`,
        // the sum lies beyond the halfway point and must round away from `hi`.
        if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
            let y = lo * 2
            let x = hi + y
            let yRounded = x - hi
            if y == yRounded { hi = x }
        }
        return hi
    }
}

extension ExactSum: Equatable {
    /// Two sums are equal when their exact values are equal (and they saw the
    /// same kinds of non-finite or overflowing inputs), however they were built.
    public static func == (lhs: ExactSum, rhs: ExactSum) -> Bool {
        guard lhs.specialFlags == rhs.specialFlags else { return false }
        var difference = lhs
        rhs.withPartials { partials in
            for p in partials { difference.accumulate(-p) }
        }
        return difference.partialCount == 0
    }
}

extension ExactSum: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Equal exact sums round to the same value, so this agrees with `==`.
        hasher.combine(specialFlags)
        hasher.combine(withPartials { Self.roundedSum(of: $0) })
    }
}

extension ExactSum: Codable {
    private enum CodingKeys: String, CodingKey {
        case partials, nan, positiveInfinity, negativeInfinity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        let partials = try container.decode([Double].self, forKey: .partials)
        // A sum of fewer than 2^52 inputs below 2^970 stays below 2^1022, and
        // so do its partials: anything larger is not a sum this type made.
        for p in partials {
            guard p.isFinite && p.magnitude < Self.largestSumMagnitude else {
                throw DecodingError.dataCorruptedError(
                    forKey: .partials, in: container, debugDescription: "ExactSum partial \(p) is out of range")
            }
            addPartial(p)
        }
        let inRange = withPartials { $0.allSatisfy { $0.isFinite && $0.magnitude < Self.largestSumMagnitude } }
        guard inRange else {
            throw DecodingError.dataCorruptedError(
                forKey: .partials, in: container, debugDescription: "ExactSum partials add up to more than 2^1022")
        }
        if try container.decodeIfPresent(Bool.self, forKey: .nan) == true { specialFlags |= Self.nanFlag }
        if try container.decodeIfPresent(Bool.self, forKey: .positiveInfinity) == true {
            specialFlags |= Self.positiveInfinityFlag
        }
        if try container.decodeIfPresent(Bool.self, forKey: .negativeInfinity) == true {
            specialFlags |= Self.negativeInfinityFlag
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(withPartials { Array($0) }, forKey: .partials)
        if specialFlags & Self.nanFlag != 0 { try container.encode(true, forKey: .nan) }
        if specialFlags & Self.positiveInfinityFlag != 0 { try container.encode(true, forKey: .positiveInfinity) }
        if specialFlags & Self.negativeInfinityFlag != 0 { try container.encode(true, forKey: .negativeInfinity) }
    }
}

extension ExactSum: CustomStringConvertible {
    public var description: String { "ExactSum(\(value))" }
}
