/// SplitMix64: a 64-bit generator with a Weyl-sequence state and a strong
/// output finaliser.
///
/// liaosim uses it only for seeding: it expands one 64-bit seed into the
/// xoshiro256** state of a `RandomStream`, and its finaliser (`mix`) derives
/// substream seeds (see `StreamSeed`). Each call to `next()` adds the golden
/// ratio constant 0x9E3779B97F4A7C15 to the state and returns `mix(state)`.
public struct SplitMix64: Sendable {
    /// The Weyl-sequence state; advances by 0x9E3779B97F4A7C15 per draw.
    @usableFromInline var state: UInt64

    /// A generator whose first output is `mix(seed &+ 0x9E3779B97F4A7C15)`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// Advances the state and returns the next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output finaliser: a bijection on UInt64 with full
    /// avalanche (every input bit affects every output bit), computed with two
    /// multiplies and three xor-shifts.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
