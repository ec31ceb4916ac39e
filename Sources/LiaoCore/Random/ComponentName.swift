/// Stable 64-bit identifiers for named simulation components, used as the
/// `component` argument of `RandomStream(seed:run:component:)`.
public enum ComponentName {
    /// The 64-bit FNV-1a hash of the name's UTF-8 bytes, passed through the
    /// SplitMix64 finaliser.
    ///
    /// Depends only on the bytes of `name`, so it is the same on every
    /// platform, build and run. Does not allocate.
    public static func id(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a 64-bit offset basis
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3  // FNV-1a 64-bit prime
        }
        return SplitMix64.mix(hash)
    }
}
