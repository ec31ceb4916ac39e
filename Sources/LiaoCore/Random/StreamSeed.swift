/// Derivation of the seed of one substream from (seed, run, component).
///
/// The derived value is
///
///     h0 = mix(seed ^ 0x243F6A8885A308D3)
///     h1 = mix(h0 ^ mix(run &+ 0x9E3779B97F4A7C15))
///     h  = mix(h1 ^ mix(component &+ 0xD1B54A32D192ED03))
///
/// where `mix` is the SplitMix64 finaliser. Every step is a bijection of its
/// chained input for fixed other arguments, so two runs of one seed (or two
/// components of one run) never share a derived seed, and the finaliser's
/// avalanche makes neighbouring runs and components give unrelated values.
/// The cost is five finalisers (ten multiplies); the stream's state is then
/// expanded from `h` by `SplitMix64`, as for `RandomStream(seed:)`.
///
/// The two halves can be computed apart: `runKey` (h1) once per run,
/// `componentKey` once per component, and `combine` joins them with one more
/// finaliser; `derive` is exactly `combine(runKey(seed, run), componentKey(component))`.
public enum StreamSeed {
    /// The seed of the stream for `component` in run `run` of a simulation
    /// seeded with `seed`.
    @inlinable
    public static func derive(seed: UInt64, run: UInt64, component: UInt64) -> UInt64 {
        combine(runKey: runKey(seed: seed, run: run), componentKey: componentKey(component))
    }

    /// h1: the part of a substream seed that depends on (seed, run) only.
    @inlinable
    public static func runKey(seed: UInt64, run: UInt64) -> UInt64 {
        let h0 = SplitMix64.mix(seed ^ 0x243F_6A88_85A3_08D3)
        return SplitMix64.mix(h0 ^ SplitMix64.mix(run &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The part of a substream seed that depends on the component only.
    @inlinable
    public static func componentKey(_ component: UInt64) -> UInt64 {
        SplitMix64.mix(component &+ 0xD1B5_4A32_D192_ED03)
    }

    /// The substream seed from its run and component parts.
    @inlinable
    public static func combine(runKey: UInt64, componentKey: UInt64) -> UInt64 {
        SplitMix64.mix(runKey ^ componentKey)
    }
}
