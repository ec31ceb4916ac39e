/// A range-free, mergeable histogram of finite `Double` values with fine
/// log-linear buckets, for quantiles and display histograms.
///
/// Bucketing: a nonzero value goes to the bucket named by its sign, its binary
/// exponent and the top `subBucketBits` (12) bits of its significand, read
/// straight from `bitPattern`. Within each power-of-two range `[2^e, 2^(e+1))`
/// there are 4096 equal buckets of width `2^(e-12)`, so every bucket's width is
/// at most 2^-12 of any value in it. Negative values use the mirrored buckets
/// of their magnitude; zeros (of either sign) are counted on their own.
///
/// Storage: counts are kept in blocks of 4096 `UInt64`, one block per (sign,
/// exponent) that has received a value, created the first time it is touched.
/// Memory therefore depends on the range of magnitudes seen (32 KiB per power
/// of two in use, plus an 8 KiB index once any nonzero value was added), never
/// on the number of values.
///
/// Merging adds counts bucket by bucket, and blocks are kept in value order,
/// so a histogram is the same (`==`) however its values were split into parts
/// and merged, and whatever order they arrived in.
///
/// Non-finite values must be rejected by the caller (`MetricSummary` counts
/// them separately); `add` traps on NaN or infinity.
///
/// Accuracy: `quantile` reports the midpoint of the bucket holding the value
/// of the requested rank, clamped to the exact `[min, max]`, so it is within
/// `relativeAccuracy` (2^-13) of that value, relative to its magnitude. This
/// holds for normal numbers (magnitude ≥ 2^-1022); subnormal values share
/// wider buckets.
public struct QuantileHistogram: Sendable {
    /// Significand bits that select the bucket within a power of two.
    public static let subBucketBits = 12
    /// Buckets per power of two (and per storage block).
    public static let bucketsPerBlock = 1 << subBucketBits
    /// Worst-case relative error of a reported quantile: half a bucket width.
    public static let relativeAccuracy: Double = 0x1p-13

    /// Number of (sign, exponent) block positions: 2048 exponents per sign.
    private static let blockKeyCount = 4096
    private static let bucketShift: UInt64 = 52 - UInt64(subBucketBits)

    /// For each block key, 1 + the block's slot in `counts`, or 0 if the
    /// block does not exist. Empty until the first nonzero value arrives.
    private var slotForKey: [UInt16]
    /// Block keys in ascending order; slot `i` holds block `blockKeys[i]`.
    /// A block key orders blocks by value: negative values of exponent `e`
    /// have key `2047 - e`, positive values `2048 + e`.
    private var blockKeys: [UInt16]
    /// Counts, `bucketsPerBlock` per slot.
    private var counts: [UInt64]
    /// Number of values equal to zero (either sign).
    public private(set) var zeroCount: UInt64
    /// Number of values added.
    public private(set) var count: UInt64
    private var minimum: Double
    private var maximum: Double

    /// An empty histogram.
    public init() {
        slotForKey = []
        blockKeys = []
        counts = []
        zeroCount = 0
        count = 0
        minimum = .infinity
        maximum = -.infinity
    }

    /// The smallest value added (exact), or nil if empty. `-0.0` counts as below `+0.0`.
    public var min: Double? { count > 0 ? minimum : nil }
    /// The largest value added (exact), or nil if empty. `+0.0` counts as above `-0.0`.
    public var max: Double? { count > 0 ? maximum : nil }
    /// Number of storage blocks in use (each holds 4096 counts).
    public var blockCount: Int { blockKeys.count }
    /// Whether no value has been added.
    public var isEmpty: Bool { count == 0 }

    // MARK: - Adding

    /// Adds a finite value. Traps on NaN or infinity.
    @inline(__always)
    public mutating func add(_ x: Double) {
        precondition(x.isFinite, "QuantileHistogram.add: non-finite value \(x)")
        count &+= 1
        let bits = x.bitPattern
        let magnitudeBits = bits & 0x7FFF_FFFF_FFFF_FFFF
        if magnitudeBits == 0 {
            addZero(x)
            return
        }
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
        let (key, bucket) = Self.location(bits)
        if slotForKey.isEmpty {
            slotForKey = Array(repeating: 0, count: Self.blockKeyCount)
        }
        var slot = Int(slotForKey[key])
        if slot == 0 { slot = insertBlock(key: key) }
        counts[(slot - 1) << Self.subBucketBits | bucket] &+= 1
    }

    /// Reads the count of the bucket that `x` would go to (0 if its block
    /// does not exist yet). Reading the buckets of several histograms before
    /// adding to them lets their cache misses overlap.
    @inline(__always)
    public func peekCount(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        let magnitudeBits = bits & 0x7FFF_FFFF_FFFF_FFFF
        guard !slotForKey.isEmpty, magnitudeBits < 0x7FF0_0000_0000_0000 else { return 0 }
        let (key, bucket) = Self.location(bits)
        let slot = Int(slotForKey[key])
        guard slot != 0 else { return 0 }
        return counts[(slot - 1) << Self.subBucketBits | bucket]
    }

    /// The block key and the bucket within the block of a nonzero finite
    /// value, from its bit pattern (see the type's description).
    @inline(__always)
    private static func location(_ bits: UInt64) -> (key: Int, bucket: Int) {
        let magnitudeBits = bits & 0x7FFF_FFFF_FFFF_FFFF
        let exponent = Int(truncatingIfNeeded: magnitudeBits >> 52)
        let key = bits >> 63 == 0 ? 2048 + exponent : 2047 - exponent
        return (key, Int(truncatingIfNeeded: (magnitudeBits >> bucketShift) & UInt64(bucketsPerBlock - 1)))
    }

    /// Adds every bucket count, zero count and extreme of `other`.
    public mutating func merge(_ other: QuantileHistogram) {
        guard other.count > 0 else { return }
        if count == 0 && blockKeys.isEmpty {
            // Merging into an empty histogram (a batch's total takes its first
            // worker's part) gives exactly `other`: share its storage instead
            // of adding every bucket of every block to zeros.
            self = other
            return
        }
        count &+= other.count
        zeroCount &+= other.zeroCount
        if other.minimum.isTotallyOrdered(belowOrEqualTo: minimum) { minimum = other.minimum }
        if maximum.isTotallyOrdered(belowOrEqualTo: other.maximum) { maximum = other.maximum }
        guard !other.blockKeys.isEmpty else { return }
        if slotForKey.isEmpty {
            slotForKey = Array(repeating: 0, count: Self.blockKeyCount)
        }
        let width = Self.bucketsPerBlock
        for (otherSlot, key) in other.blockKeys.enumerated() {
            var slot = Int(slotForKey[Int(key)])
            if slot == 0 { slot = insertBlock(key: Int(key)) }
            let base = (slot - 1) * width
            let otherBase = otherSlot * width
            counts.withUnsafeMutableBufferPointer { mine in
                other.counts.withUnsafeBufferPointer { theirs in
                    for i in 0..<width { mine[base + i] &+= theirs[otherBase + i] }
                }
            }
        }
    }

    private mutating func addZero(_ x: Double) {
        zeroCount &+= 1
        // Order the two zeros so that min and max do not depend on arrival order.
        if x.isTotallyOrdered(belowOrEqualTo: minimum) { minimum = x }
        if maximum.isTotallyOrdered(belowOrEqualTo: x) { maximum = x }
    }

    /// Creates the block for `key` in its sorted position; returns 1 + its slot.
    private mutating func insertBlock(key: Int) -> Int {
        var position = 0
        var upper = blockKeys.count
        while position < upper {
            let mid = (position + upper) / 2
            if Int(blockKeys[mid]) < key { position = mid + 1 } else { upper = mid }
        }
        blockKeys.insert(UInt16(key), at: position)
        counts.insert(contentsOf: repeatElement(0, count: Self.bucketsPerBlock),
                      at: position * Self.bucketsPerBlock)
        for slot in position..<blockKeys.count {
            slotForKey[Int(blockKeys[slot])] = UInt16(slot + 1)
        }
        return position + 1
    }

    // MARK: - Quantiles

    /// The 1-based rank used for quantile `q` among `count` values:
    /// ⌈q·count⌉, at least 1 and at most `count`. A relative slack of 2^-50
    /// keeps products such as 0.7 × 10 from rounding up to the next rank.
    public static func rank(ofQuantile q: Double, count: UInt64) -> UInt64 {
        precondition(!q.isNaN, "quantile must not be NaN")
        guard count > 0 else { return 0 }
        let product = Swift.min(Swift.max(q, 0), 1) * Double(count)
        let ceiling = (product - product * 0x1p-50).rounded(.up)
        if ceiling <= 1 { return 1 }
        if ceiling >= Double(count) { return count }
        return UInt64(ceiling)
    }

    /// The value at rank `rank(ofQuantile: q, count: count)`, reported as the
    /// midpoint of its bucket clamped to `[min, max]`. `q = 0` gives `min`,
    /// `q = 1` gives `max`. NaN when empty.
    public func quantile(_ q: Double) -> Double {
        quantiles([q], integerValued: false)[0]
    }

    /// Like `quantile(_:)`; when `integerValued` is true the caller promises
    /// every value added was a whole number, and the exact whole number in the
    /// bucket is returned (the ceiling of the bucket's lower edge — exact while
    /// buckets are at most 1 wide, i.e. for magnitudes below 2^13 = 8192;
    /// beyond that the midpoint rounded to a whole number).
    public func quantile(_ q: Double, integerValued: Bool) -> Double {
        quantiles([q], integerValued: integerValued)[0]
    }

    /// Several quantiles in one pass over the buckets, in the order requested.
    public func quantiles(_ qs: [Double], integerValued: Bool = false) -> [Double] {
        guard count > 0 else { return Array(repeating: .nan, count: qs.count) }
        var results = Array(repeating: Double.nan, count: qs.count)
        // (rank, index into results) for the quantiles that need a bucket walk.
        var pending: [(rank: UInt64, index: Int)] = []
        for (i, q) in qs.enumerated() {
            precondition(!q.isNaN, "quantile must not be NaN")
            if q <= 0 {
                results[i] = minimum
            } else if q >= 1 {
                results[i] = maximum
            } else {
                pending.append((Self.rank(ofQuantile: q, count: count), i))
            }
        }
        guard !pending.isEmpty else { return results }
        pending.sort { $0.rank < $1.rank }
        var next = 0
        var cumulative: UInt64 = 0
        forEachBucket(integerValued: integerValued) { value, bucketCount in
            cumulative &+= bucketCount
            while next < pending.count && pending[next].rank <= cumulative {
                results[pending[next].index] = value
                next += 1
            }
            return next < pending.count
        }
        return results
    }

    /// Counts per display bin: `bins` equal bins over `[low, high]`, each fine
    /// bucket apportioned whole to the bin containing its representative value
    /// (midpoint, or whole number when `integerValued`, clamped to
    /// `[min, max]`; see `displayBin`). Values below `low` go to the first bin,
    /// above `high` to the last. The result sums to `count`.
    public func binCounts(low: Double, high: Double, bins: Int, integerValued: Bool = false) -> [UInt64] {
        precondition(bins > 0, "binCounts needs at least one bin")
        precondition(low.isFinite && high.isFinite, "binCounts needs a finite range")
        var result = Array(repeating: UInt64(0), count: bins)
        forEachBucket(integerValued: integerValued) { value, bucketCount in
            result[Self.displayBin(of: value, low: low, high: high, bins: bins)] &+= bucketCount
            return true
        }
        return result
    }

    /// The display bin (0..<`bins`) of `value` among `bins` equal bins over
    /// `[low, high]`: bin i holds [low + i·w, low + (i+1)·w) with
    /// w = (high − low)/bins, the last bin also holds `high`. Values below
    /// `low` (or NaN) give 0, above `high` give `bins − 1`. A value within a
    /// relative 1e-9 of an edge counts as on it, so that a round value such as
    /// a goal threshold lands in the bin it starts, despite rounding in the
    /// arithmetic. If `high <= low`, values up to `low` give 0, others the last bin.
    public static func displayBin(of value: Double, low: Double, high: Double, bins: Int) -> Int {
        precondition(bins > 0, "displayBin needs at least one bin")
        let span = high - low
        guard span > 0 else { return value <= low ? 0 : bins - 1 }
        var position = (value - low) * (Double(bins) / span)
        let nearestEdge = position.rounded()
        if (nearestEdge - position).magnitude <= 1e-9 * Swift.max(1, nearestEdge.magnitude) {
            position = nearestEdge
        }
        if !(position >= 0) { return 0 }
        if position >= Double(bins) { return bins - 1 }
        return Int(position)
    }

    /// Shares per display bin, like `binCounts`, but with each fine bucket
    /// spread over the display bins that its range of values (within
    /// `[min, max]`) overlaps, in proportion to the overlap. A display bin
    /// spans a fractional number of fine buckets (9.4, say), so apportioning
    /// whole buckets gives neighbouring bins 9 and 10 buckets' worth alike:
    /// a comb of up to ±10% that the data do not have. Whole-numbered data
    /// (`integerValued`) keep `binCounts`: below 8192 a bucket holds one whole
    /// number at most. Values below `low` count in the first bin, above
    /// `high` in the last; the shares add up to `count` (up to rounding).
    public func binShares(low: Double, high: Double, bins: Int, integerValued: Bool = false) -> [Double] {
        guard !integerValued else { return binCounts(low: low, high: high, bins: bins, integerValued: true).map { Double($0) } }
        precondition(bins > 0, "binShares needs at least one bin")
        precondition(low.isFinite && high.isFinite, "binShares needs a finite range")
        var result = Array(repeating: 0.0, count: bins)
        let scale = Double(bins) / (high - low)
        forEachBucketRange { lower, upper, bucketCount in
            let count = Double(bucketCount)
            let from = (Swift.max(lower, minimum) - low) * scale, to = (Swift.min(upper, maximum) - low) * scale
            let width = to - from
            guard width > 0, width.isFinite else {
                // One value (zero, or a bucket cut to one value by min or max), or a range beyond arithmetic.
                result[Self.displayBin(of: clamped(Swift.max(lower, minimum)), low: low, high: high, bins: bins)] += count
                return
            }
            let end = Double(bins)
            if from < 0 { result[0] += count * (Swift.min(to, 0) - from) / width }
            if to > end { result[bins - 1] += count * (to - Swift.max(from, end)) / width }
            var position = Swift.max(from, 0)
            let stop = Swift.min(to, end)
            while position < stop {
                let bin = Swift.min(Int(position), bins - 1)
                let edge = Swift.min(Double(bin + 1), stop)
                result[bin] += count * (edge - position) / width
                position = edge
            }
        }
        return result
    }

    /// Visits nonempty buckets in ascending value order with their
    /// representative value (clamped to `[min, max]`) and count, until `body`
    /// returns false.
    private func forEachBucket(integerValued: Bool, _ body: (Double, UInt64) -> Bool) {
        forEachBucketKey { signBit, exponent, bucket, bucketCount in
            guard let exponent else { return body(clamped(0), bucketCount) }
            let value = representative(signBit: signBit, exponent: exponent, bucket: bucket, integerValued: integerValued)
            return body(clamped(value), bucketCount)
        }
    }

    /// Visits every nonempty bucket with the values it can hold, [lower, upper)
    /// (zero: [0, 0]), and its count.
    private func forEachBucketRange(_ body: (_ lower: Double, _ upper: Double, _ count: UInt64) -> Void) {
        forEachBucketKey { signBit, exponent, bucket, bucketCount in
            guard let exponent else {
                body(0, 0, bucketCount)
                return true
            }
            // The next bucket's start ends this one (the next power of two after the last bucket).
            let start = Double(bitPattern: exponent << 52 | bucket << Self.bucketShift)
            let end = Double(bitPattern: exponent << 52 &+ (bucket + 1) << Self.bucketShift)
            if signBit == 0 { body(start, end, bucketCount) } else { body(-end, -start, bucketCount) }
            return true
        }
    }

    /// Visits nonempty buckets in ascending value order, until `body` returns
    /// false: sign bit, exponent (nil for the zeros) and bucket within the
    /// power of two, and count.
    private func forEachBucketKey(_ body: (_ signBit: UInt64, _ exponent: UInt64?, _ bucket: UInt64, _ count: UInt64) -> Bool) {
        let width = Self.bucketsPerBlock
        var zerosDone = zeroCount == 0
        for (slot, key) in blockKeys.enumerated() {
            let isNegative = key < 2048
            if !isNegative && !zerosDone {
                zerosDone = true
                if !body(0, nil, 0, zeroCount) { return }
            }
            let exponent = UInt64(isNegative ? 2047 - Int(key) : Int(key) - 2048)
            let signBit: UInt64 = isNegative ? 1 << 63 : 0
            let base = slot * width
            // Within a negative block, larger significands are more negative.
            for step in 0..<width {
                let bucket = isNegative ? width - 1 - step : step
                let bucketCount = counts[base + bucket]
                if bucketCount == 0 { continue }
                if !body(signBit, exponent, UInt64(bucket), bucketCount) { return }
            }
        }
        if !zerosDone {
            _ = body(0, nil, 0, zeroCount)
        }
    }

    private func representative(signBit: UInt64, exponent: UInt64, bucket: UInt64, integerValued: Bool) -> Double {
        let lowerBits = exponent << 52 | bucket << Self.bucketShift
        let midpoint = Double(bitPattern: lowerBits | 1 << (Self.bucketShift - 1))
        var magnitude = midpoint
        if integerValued {
            // Bucket width is 2^(exponent - 1023 - 12); at most 1 up to exponent 1035.
            if exponent <= 1035 {
                magnitude = Double(bitPattern: lowerBits).rounded(.up)
            } else {
                magnitude = midpoint.rounded()
            }
        }
        return signBit != 0 ? -magnitude : magnitude
    }

    private func clamped(_ value: Double) -> Double {
        if value < minimum { return minimum }
        if value > maximum { return maximum }
        return value
    }
}

extension QuantileHistogram: Equatable {
    public static func == (lhs: QuantileHistogram, rhs: QuantileHistogram) -> Bool {
        // `slotForKey` is derived from `blockKeys`, so it is not compared.
        lhs.count == rhs.count && lhs.zeroCount == rhs.zeroCount
            && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum
            && lhs.blockKeys == rhs.blockKeys && lhs.counts == rhs.counts
    }
}

extension QuantileHistogram: Codable {
    /// One storage block in sparse form: its key and its nonzero buckets.
    private struct EncodedBlock: Codable {
        var key: UInt16
        var buckets: [UInt16]
        var counts: [UInt64]
    }

    private enum CodingKeys: String, CodingKey {
        case count, zeroCount, min, max, blocks
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        let total = try container.decode(UInt64.self, forKey: .count)
        let zeros = try container.decode(UInt64.self, forKey: .zeroCount)
        let blocks = try container.decode([EncodedBlock].self, forKey: .blocks)
        func corrupt(_ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .blocks, in: container, debugDescription: message)
        }
        var seen: UInt64 = zeros
        var previousKey = -1
        if !blocks.isEmpty {
            slotForKey = Array(repeating: 0, count: Self.blockKeyCount)
        }
        for block in blocks {
            guard Int(block.key) > previousKey, Int(block.key) < Self.blockKeyCount,
                  block.key != 2047 + 2048, block.key != 0,  // exponent 2047 holds no finite values
                  block.buckets.count == block.counts.count
            else { throw corrupt("invalid histogram block \(block.key)") }
            previousKey = Int(block.key)
            let slot = insertBlock(key: Int(block.key)) - 1
            for (bucket, bucketCount) in zip(block.buckets, block.counts) {
                guard Int(bucket) < Self.bucketsPerBlock else { throw corrupt("invalid bucket \(bucket)") }
                counts[slot * Self.bucketsPerBlock + Int(bucket)] &+= bucketCount
                seen &+= bucketCount
            }
        }
        guard seen == total else { throw corrupt("bucket counts do not add up to count") }
        count = total
        zeroCount = zeros
        if total > 0 {
            minimum = try container.decode(Double.self, forKey: .min)
            maximum = try container.decode(Double.self, forKey: .max)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(zeroCount, forKey: .zeroCount)
        if count > 0 {
            try container.encode(minimum, forKey: .min)
            try container.encode(maximum, forKey: .max)
        }
        var blocks: [EncodedBlock] = []
        blocks.reserveCapacity(blockKeys.count)
        for (slot, key) in blockKeys.enumerated() {
            var block = EncodedBlock(key: key, buckets: [], counts: [])
            for bucket in 0..<Self.bucketsPerBlock {
                let c = counts[slot * Self.bucketsPerBlock + bucket]
                if c != 0 {
                    block.buckets.append(UInt16(bucket))
                    block.counts.append(c)
                }
            }
            blocks.append(block)
        }
        try container.encode(blocks, forKey: .blocks)
    }
}
