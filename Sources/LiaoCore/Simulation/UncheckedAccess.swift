extension Array {
    /// Element `i`, bounds-checked in debug builds only.
    ///
    /// For the inner loops of a run, whose indices come from the fixed
    /// layouts of `RunRecord` and `CompiledScenario` (sector · 24 + month,
    /// lever · 24 + month, sector · 12 + calendar month): the arrays get
    /// their sizes once, when they are made, and the loops' ranges are those
    /// sizes' factors. The test suite runs in debug builds, where every such
    /// access is still checked.
    @inline(__always)
    subscript(unchecked i: Int) -> Element {
        get { withUnsafeBufferPointer { $0[i] } }
        set { withUnsafeMutableBufferPointer { $0[i] = newValue } }
    }
}
