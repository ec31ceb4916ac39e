/// What one scenario's Lua state may use, so that a scenario file from
/// someone else can neither hang the terminal nor exhaust the machine.
///
/// - `timePerCall`: the longest one call into the scenario may run: loading
///   the file (with everything it requires), one `on_month` call, one metric
///   function. Past it the call stops with an error naming the file, line,
///   run and month; the scenario's own `pcall` cannot catch it. It is wall
///   time, so on a busy machine a scenario close to the limit may pass in one
///   batch and stop in another; a well-behaved hook takes microseconds. A
///   watchdog thread stops an overdue call (within about 20 ms of the
///   deadline); calls that keep to their time run at full speed. `nil`
///   removes the limit (trusted scenarios only).
/// - `memoryBytes`: the most the Lua state may allocate. Going past it is the
///   error "the scenario used more than N MiB of memory". `nil`: no cap.
///
/// See docs/sandbox.md for the design and the measured costs.
public struct ScenarioLimits: Sendable, Equatable {
    public var timePerCall: Duration?
    public var memoryBytes: Int?

    /// 3 seconds per call: an endless loop stops well within 5 seconds.
    public static let defaultTimePerCall: Duration = .seconds(3)
    /// 256 MiB per Lua state (one per worker thread).
    public static let defaultMemoryBytes = 256 << 20

    public init(timePerCall: Duration? = ScenarioLimits.defaultTimePerCall,
                memoryBytes: Int? = ScenarioLimits.defaultMemoryBytes) {
        self.timePerCall = timePerCall
        self.memoryBytes = memoryBytes
    }

    /// The defaults: 3 seconds per call, 256 MiB.
    public static let standard = ScenarioLimits()
    /// No limits at all (for trusted scenarios and measurements).
    public static let unlimited = ScenarioLimits(timePerCall: nil, memoryBytes: nil)

    /// The time limit in seconds for the C side; 0 means none.
    var timeLimitSeconds: Double {
        guard let timePerCall, timePerCall > .zero else { return 0 }
        let parts = timePerCall.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    /// The memory cap in bytes for the C side; 0 means none.
    var memoryCap: Int {
        guard let memoryBytes else { return 0 }
        return max(memoryBytes, 1)
    }
}
