import ArgumentParser
import Dispatch
import Foundation
import LiaoCore
import LiaoLua
import Synchronization

/// SIGINT (Ctrl-C) and SIGTERM (what cluster schedulers send at a job's time
/// limit), handled from the first batch on for the rest of the process. While
/// a batch runs, the first signal stops it, leaving out the runs in progress
/// (their calls into the scenario are cut short), so that its partial result
/// of the runs done is reported (exit code 128 + the signal); copies
/// of that signal arriving within a second count as the same one. Any other
/// signal ends the command at once, without a result, after removing the
/// `TemporaryFiles` and the outputs already written: a second one during a
/// batch (the way out of a scenario call that never returns when the time
/// limit is off), or one that comes while results are written.
enum StopSignal {
    private struct State {
        var sources: [any DispatchSourceSignal] = []
        var batch: BatchProgress?
        /// A command of several batches (sweep, solve) stops between them too.
        var holding = false
        var stopRequested = false
        var received: Int32 = 0
        /// When the first signal came (system uptime, nanoseconds).
        var firstAt: UInt64?
    }
    /// Signals within this time of the first are the same stop: `timeout`, for
    /// one, sends its signal to the command and again to its process group.
    static let sameStopNanoseconds: UInt64 = 1_000_000_000
    private static let state = Mutex(State())
    private static let queue = DispatchQueue(label: "liaosim.signals")
    static let numbers = [SIGINT, SIGTERM, SIGHUP]

    /// Makes `progress` the batch that the next signal stops (at once, if a
    /// command holding stops was asked to stop before the batch began).
    static func watch(_ progress: BatchProgress) {
        state.withLock { state in
            if state.stopRequested { progress.cancel() }
            handleSignals(&state)
            state.batch = progress
        }
    }

    /// Takes the signals over, once for the rest of the process; a signal
    /// ignored when the process started (SIGHUP under `nohup`, SIGINT of a
    /// job started with `&`) stays ignored.
    private static func handleSignals(_ state: inout State) {
        guard state.sources.isEmpty else { return }
        for number in numbers {
            var current = sigaction()
            if sigaction(number, nil, &current) == 0, let handler = current.__sigaction_handler.sa_handler, case let ignore = SIG_IGN,
               unsafeBitCast(handler, to: Int.self) == unsafeBitCast(ignore, to: Int.self) { continue }
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            // `data`: the signals delivered since the handler last ran. (Two sent at
            // the same instant may reach the process as one: the system merges them.)
            source.setEventHandler { received(number, times: source.data) }  // the source lives as long as the process
            source.resume()
            state.sources.append(source)
        }
    }

    /// The batch is over: a signal from now on ends the command at once,
    /// unless the command holds stops (`holdStops`).
    static func batchEnded() { state.withLock { $0.batch = nil } }

    /// For a command of several batches, which prints those it finished: a
    /// first signal between batches (while the next value's scenario loads,
    /// say) asks it to stop, as one during a batch does, rather than ending
    /// it at once. The command checks `stopRequested` between batches.
    static func holdStops() {
        state.withLock { state in
            state.holding = true
            handleSignals(&state)
        }
    }

    /// Whether a first signal asked the command to stop.
    static var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// What `make` gives, or nil when it failed because a stop cut it short.
    static func unlessStopped<T>(_ make: () throws -> T) throws -> T? {
        do {
            return try make()
        } catch {
            if stopRequested { return nil }
            throw error
        }
    }

    private static func received(_ number: Int32, times: UInt) {
        let now = DispatchTime.now().uptimeNanoseconds
        let (batch, sinceFirst) = state.withLock { state -> (BatchProgress?, UInt64?) in
            let since = state.firstAt.map { now &- $0 }
            if state.firstAt == nil {
                state.firstAt = now
                state.received = number
            }
            return (state.batch, since)
        }
        // Copies of the first signal (and several merged into one delivery) stop once.
        let first = state.withLock { $0.received }
        if let sinceFirst, sinceFirst < sameStopNanoseconds, number == first { return }
        let holding = state.withLock { state -> Bool in
            let first = !state.stopRequested
            if state.batch != nil || state.holding { state.stopRequested = true }
            return state.holding && first
        }
        if let batch, !batch.isCancelled {
            batch.cancel()
            // The runs in progress are left out: a scenario call need not run on for seconds.
            LuaScenarioEngine.interruptCallsInProgress()
            return
        }
        if holding {
            LuaScenarioEngine.interruptCallsInProgress()
            return
        }
        let note = batch != nil ? "\nliaosim: stopped at once (second signal); no result\n" : "\nliaosim: stopped; no result\n"
        StandardError.write(note)
        TemporaryFiles.removeAllAndExit(128 + number)
    }

    /// A scenario call stuck in a library function past its time limit ends
    /// the process (see `StuckCall`), on the watchdog's thread: the message,
    /// no result, no temporary files, exit code 65; or, when a stop was asked
    /// for and could not cut the call short, the stop's exit code (130, 143).
    static func handleStuckCalls() {
        StuckCall.setHandler { message in
            // A stop that could not cut the call short: the stop's own exit, no result.
            let stop = StopSignal.requestedStop
            if stop != 0 {
                StandardError.write("\nliaosim: stopped; a call into the scenario stuck inside a library function could not be cut short, so there is no result\n")
                TemporaryFiles.removeAllAndExit(128 + stop)
            }
            TemporaryFiles.removeAll()
            let text = message.map { String(cString: $0) } ?? "a call into the scenario is stuck"
            StandardError.write("\nliaosim: error: \(text)\n")
            _exit(65)
        }
    }

    /// The signal of a stop asked for (one that a command acts on), else 0.
    static var requestedStop: Int32 { state.withLock { $0.stopRequested ? $0.received : 0 } }

    /// 128 + the signal that stopped the batch: 130 after Ctrl-C, 143 after SIGTERM.
    static var exitCode: ExitCode {
        let number = state.withLock { $0.received }
        return ExitCode(128 + (number == 0 ? SIGINT : number))
    }
}

/// Files a command writes on the way to its output (parts of `--runs-csv`),
/// removed when it fails or is stopped at once, so that no half-written file
/// is left behind; and the outputs it has finished, removed only when it is
/// stopped at once ("no result": not a part of one either).
enum TemporaryFiles {
    private static let paths = Mutex<(temporary: Set<String>, outputs: Set<String>)>(([], []))

    static func add(_ path: String) { paths.withLock { _ = $0.temporary.insert(path) } }

    static func forget(_ path: String) { paths.withLock { _ = $0.temporary.remove(path) } }

    /// Renames the finished `temporary` into place as `path`, an output of
    /// this command; under the lock that `removeAllAndExit` holds to the end,
    /// so a stop either comes before (and removes the temporary file) or
    /// after (and removes the output).
    static func publish(_ temporary: String, as path: String) throws {
        try paths.withLock { paths in
            guard rename(temporary, path) == 0 else { throw WriteFailed(path: path, reason: String(cString: strerror(errno))) }
            paths.temporary.remove(temporary)
            paths.outputs.insert(path)
        }
    }

    /// Removes the temporary files and the outputs written, and ends the
    /// process with `status` without letting go of the list, so that
    /// nothing can be written in between.
    static func removeAllAndExit(_ status: Int32) -> Never {
        paths.withLock { paths in
            for path in paths.temporary.union(paths.outputs) { unlink(path) }
            _exit(status)
        }
    }

    /// Removes every temporary file listed (unlink only: this also runs on the way out of a stuck call).
    static func removeAll() {
        paths.withLock { paths in
            for path in paths.temporary { unlink(path) }
            paths.temporary.removeAll()
        }
    }
}
