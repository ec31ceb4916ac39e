/// A seedable xoshiro256** generator: the source of every random number in a
/// simulation.
///
/// A stream is a plain value: its 256-bit state is its whole identity, so a
/// copy continues with exactly the same draws as the original, and draws never
/// depend on anything outside the value. liaosim gives each component of each
/// run its own stream (`init(seed:run:component:)`), so a component's draws do
/// not change when other components draw more or fewer numbers.
///
/// xoshiro256** has period 2^256 − 1 and passes the standard statistical test
/// batteries; its state is filled from `SplitMix64(seed)`, which can never
/// produce the forbidden all-zero state (four consecutive SplitMix64 outputs
/// are finaliser images of four distinct inputs, so at most one is zero).
///
/// The samplers (extensions in `RandomStream+*.swift`) assume valid parameters:
/// callers validate them, each sampler documents its domain, and debug builds
/// assert it.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A stream whose state is the first four outputs of `SplitMix64(seed)`.
    @inlinable
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
    }

    /// The stream for one component of one run: depends only on
    /// (seed, run, component), through `StreamSeed.derive`.
    @inlinable
    public init(seed: UInt64, run: UInt64, component: UInt64) {
        self.init(seed: StreamSeed.derive(seed: seed, run: run, component: component))
    }

    /// The next 64 uniformly distributed bits (xoshiro256**).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform on [0, 1): the top 53 bits of one draw, times 2^−53.
    /// Every multiple of 2^−53 in [0, 1) is equally likely.
    @inlinable @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform on (0, 1), never 0 or 1: (k + ½)·2^−52 for the top 52 bits k of
    /// one draw. Smallest value 2^−53, largest 1 − 2^−53; safe for `log`.
    @inlinable @inline(__always)
    public mutating func openUnit() -> Double {
        (Double(next() >> 12) + 0.5) * 0x1p-52
    }
}
