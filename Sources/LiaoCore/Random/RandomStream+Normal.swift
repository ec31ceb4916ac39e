extension RandomStream {
    /// A standard normal draw: mean 0, variance 1, support the whole real line.
    ///
    /// Exact ziggurat method (Marsaglia–Tsang layout, 256 layers; see
    /// `NormalZiggurat`). One 64-bit draw supplies independent bit fields: bits
    /// 0–7 pick the layer, bit 8 the sign and bits 11–63 the 53-bit position
    /// within the layer. About 99% of draws finish with one table comparison;
    /// the rest test a layer edge (one `exp`) or sample the tail beyond
    /// r ≈ 3.654 (logs of two uniforms), restarting on rejection. The stream
    /// holds no cached values: the result depends only on the xoshiro state.
    @inline(__always)
    public mutating func standardNormal() -> Double {
        // The common case (about 99% of draws) inline: one draw inside a layer's rectangle.
        let bits = next()
        let layer = Int(truncatingIfNeeded: bits & 0xFF)
        // Bit 8 moved to the sign bit: applied without a (50% mispredicted) branch.
        let sign = (bits & 0x100) << 55
        let table = NormalZiggurat.table
        let x = Double(bits >> 11) * 0x1p-53 * table[layer]
        if x < table[layer + 1] {
            return Double(bitPattern: x.bitPattern | sign)
        }
        return standardNormalBeyondRectangle(layer: layer, magnitude: x, sign: sign)
    }

    /// The rest of a `standardNormal` draw whose first attempt fell outside
    /// its layer's rectangle: that attempt's edge test, then new attempts.
    @inline(never)
    mutating func standardNormalBeyondRectangle(layer: Int, magnitude x: Double, sign: UInt64) -> Double {
        if let edge = NormalZiggurat.edge(layer: layer, magnitude: x, stream: &self) {
            return Double(bitPattern: edge.bitPattern | sign)
        }
        let table = NormalZiggurat.table
        while true {
            let bits = next()
            let layer = Int(truncatingIfNeeded: bits & 0xFF)
            let sign = (bits & 0x100) << 55
            let x = Double(bits >> 11) * 0x1p-53 * table[layer]
            if x < table[layer + 1] {
                return Double(bitPattern: x.bitPattern | sign)
            }
            if let edge = NormalZiggurat.edge(layer: layer, magnitude: x, stream: &self) {
                return Double(bitPattern: edge.bitPattern | sign)
            }
        }
    }

    /// Normal(mean, sd): `mean + sd · Z`.
    /// Domain: finite mean, sd ≥ 0 (sd = 0 returns `mean`). Mean `mean`,
    /// variance sd², support the real line.
    public mutating func normal(mean: Double, sd: Double) -> Double {
        mean + sd * standardNormal()
    }
}
