import Dispatch
import Foundation
import Synchronization
import LiaoCore
import LiaoLua
import LiaoReport

/// Runs a loaded scenario as a Monte Carlo batch: Lua states only on the
/// workers that need them (scenarios with a hook or metrics of their own), a
/// progress line on a terminal, and Ctrl-C to stop with a partial result.
struct BatchRunner {
    let source: ScenarioSource
    let engine: LuaScenarioEngine
    let compiled: CompiledScenario
    var threads: Int
    var keepGoing: Bool
    var quiet: Bool
    var inputs: [String: String]
    var samplingMode: ParameterSampling.Mode
    var limits: ScenarioLimits
    /// Runs in the whole study (all shards), for Latin hypercube strata; nil: the batch's own runs.
    var studyRuns: Int?

    init(source: ScenarioSource, engine: LuaScenarioEngine, options: BatchOptions) throws {
        self.source = source
        self.engine = engine
        compiled = try CompiledScenario(engine.scenario)
        threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
        keepGoing = options.keepGoing
        quiet = options.quiet
        inputs = options.inputs
        samplingMode = options.sampling.mode
        limits = options.limits
        // Notes of likely mistakes show whatever `--quiet` says: it only hides the progress line.
        if !options.noNotes {
            LoadNotes.show(engine)
            Self.noteLargeLoadState(engine)
        }
    }

    /// Load-time tables that runs compare entry by entry slow every run: say
    /// so once, with what to do about it.
    private static func noteLargeLoadState(_ engine: LuaScenarioEngine) {
        let entries = engine.loadStateEntries
        guard entries >= largeLoadState, !notedLargeLoadState.exchange(true, ordering: .relaxed) else { return }
        StandardError.write(
            "liaosim: note: \(engine.scenario.sourcePath ?? engine.scenario.name) keeps \(NumberFormat.grouped(entries)) table entries made while it loaded, which every run checks against their load-time values before it starts (docs/sandbox.md); keep large data out of the scenario, or build it in a function that a run calls\n")
    }

    /// Recorded entries from which a batch notes their cost.
    static let largeLoadState = 10_000
    private static let notedLargeLoadState = Atomic<Bool>(false)

    /// Runs `runs` runs from `firstRun`, or until `precision` is reached.
    func run(runs: Int, firstRun: Int = 0, seed: UInt64, precision: (halfWidth: Double, maxRuns: Int)? = nil) throws
        -> BatchResult
    {
        guard let precision else { return try run(runs: runs, firstRun: firstRun, seed: seed) { _ in NoVisitor() }.result }
        let progress = BatchProgress()
        let watch = Watch(progress: progress, total: nil, show: showProgress)
        defer { watch.stop() }
        return try MonteCarloBatch.runToPrecision(
            compiled, halfWidth: precision.halfWidth, initialRuns: runs, maxRuns: precision.maxRuns,
            options: batchOptions(runs: runs, firstRun: firstRun, seed: seed, progress: progress), makeObserver: observerFactory)
    }

    /// Runs `runs` runs from `firstRun`, showing each to a visitor (one per worker, in run order).
    func run<V: RunVisitor>(runs: Int, firstRun: Int = 0, seed: UInt64, makeVisitor: @Sendable (Int) throws -> V) throws
        -> (result: BatchResult, visitors: [V])
    {
        let progress = BatchProgress()
        let watch = Watch(progress: progress, total: runs, show: showProgress)
        defer { watch.stop() }
        return try MonteCarloBatch.run(
            compiled, batchOptions(runs: runs, firstRun: firstRun, seed: seed, progress: progress),
            makeObserver: observerFactory, makeVisitor: makeVisitor)
    }

    /// Each worker's observer: its own Lua state when the scenario has a hook
    /// or metrics of its own, nothing otherwise.
    private var observerFactory: @Sendable (Int) throws -> sending WorkerObserver {
        let (source, inputs, limits, modules) = (self.source, self.inputs, self.limits, engine.modules)
        guard engine.hasRunLogic else { return { _ in .plain } }
        return { _ in
            .lua(try LuaScenarioEngine(source: source, inputs: inputs, limits: limits, modules: modules, printsWhileLoading: false))
        }
    }

    /// The modules the scenario required, while loading or in its runs so far.
    func modulesRequired() -> [(name: String, bytes: [UInt8])] { engine.modules.modules }

    private var showProgress: Bool { !quiet && isatty(STDERR_FILENO) != 0 }

    private func batchOptions(runs: Int, firstRun: Int, seed: UInt64, progress: BatchProgress) -> MonteCarloBatch.Options {
        var options = MonteCarloBatch.Options(
            runs: runs, seed: seed, threads: threads, firstRun: firstRun, keepGoing: keepGoing, progress: progress)
        if samplingMode == .lhs {
            options.sampling = ParameterSampling(
                mode: .lhs, studyRuns: studyRuns ?? firstRun + runs, seed: seed, compiled: compiled)
        }
        return options
    }
}

/// A worker's scenario logic: none, or a Lua state of its own.
enum WorkerObserver: MonthObserver {
    case plain
    case lua(LuaScenarioEngine)

    var observesMonths: Bool {
        if case .lua(let engine) = self { return engine.observesMonths }
        return false
    }

    mutating func beginRun(_ run: Int, seed: UInt64, parameters: [Double]) throws {
        if case .lua(let engine) = self { try engine.beginRun(run, seed: seed, parameters: parameters) }
    }

    mutating func monthEnded(_ state: MonthState, schedule: inout InstrumentSchedule) throws {
        if case .lua(let engine) = self { try engine.monthEnded(state, schedule: &schedule) }
    }

    mutating func finishRun(metrics: inout [Double]) throws {
        if case .lua(let engine) = self { try engine.finishRun(metrics: &metrics) }
    }
}

/// The progress line while a batch runs, and the batch's registration with
/// `StopSignal`, so that Ctrl-C or SIGTERM stops it after the runs in progress.
final class Watch: @unchecked Sendable {
    // Touched only on `queue` after init, except `stop`, which waits for the queue.
    private let queue = DispatchQueue(label: "liaosim.progress")
    private var timer: (any DispatchSourceTimer)?
    private let started = ContinuousClock.now
    private var printed = false

    init(progress: BatchProgress, total: Int?, show: Bool) {
        StopSignal.watch(progress)
        guard show else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(300), repeating: .milliseconds(250))
        timer.setEventHandler { [unowned self] in self.draw(progress: progress, total: total) }
        timer.resume()
        self.timer = timer
    }

    private func draw(progress: BatchProgress, total: Int?) {
        let done = progress.completedRuns
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var line = "  \(NumberFormat.grouped(done))"
        if let total {
            line += " / \(NumberFormat.grouped(total)) runs   \(NumberFormat.grouped(Int(rate))) runs/s"
            if rate > 0 && done < total { line += "   ETA \(Int((Double(total - done) / rate).rounded(.up))) s" }
        } else {
            line += " runs   \(NumberFormat.grouped(Int(rate))) runs/s"
        }
        if progress.isCancelled { line += "   stopping… (again to stop at once)" }
        StandardError.write("\r" + line + "\u{1B}[K")
        printed = true
    }

    func stop() {
        StopSignal.batchEnded()
        queue.sync {
            timer?.cancel()
            if printed { StandardError.write("\r\u{1B}[K") }
        }
    }
}
