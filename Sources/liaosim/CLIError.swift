import ArgumentParser
import Foundation
import LiaoCore
import LiaoLua

/// A command line that does not fit what it names (a goal or metric the
/// scenario lacks, an output path that cannot be written): exit code 64, as
/// for options the parser refuses.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Turns errors into one line on stderr and a sysexits code.
enum CLIError {
    static let usage: Int32 = 64
    static let badData: Int32 = 65
    static let noInput: Int32 = 66
    static let software: Int32 = 70
    static let ioError: Int32 = 74

    /// Prints `error` and returns the exit code to use. For a run that failed,
    /// `replay` (a command ending in `--run `, see `BatchOptions.replayCommand`)
    /// and the run's index make the line that shows that run again.
    static func report(_ error: any Error, replay: String? = nil) -> ExitCode {
        let (message, code): (String, Int32) =
            switch error {
            case let e as ScenarioError: (e.description, e.kind == .noInput ? noInput : e.kind == .badCommandLine ? usage : badData)
            case let e as UsageError: (e.message, usage)
            case let e as RunFailure: (e.description, badData)
            case let e as ModelError: (e.message, badData)
            case let e as ScenarioInputError: (e.description, noInput)
            case let e as ReportLost: (e.description, ioError)
            case let e as WriteFailed: (e.description, ioError)
            default: ("\(error)", software)
            }
        // A reader that went away (`liaosim ... | head`): the usual quiet end, status 128 + SIGPIPE.
        if let reason = (error as? WriteFailed)?.reason ?? (error as? ReportLost)?.reason, reason == String(cString: strerror(EPIPE)) {
            return ExitCode(128 + SIGPIPE)
        }
        // One line, whatever the scenario put in its message (error("a\nb")).
        let line = PrintableText.of(message)
        var text = "liaosim: error: \(line)\n"
        if let replay, let run = (error as? RunFailure)?.run { text += "liaosim: replay with: \(replay)\(run)\n" }
        StandardError.write(text)
        return ExitCode(code)
    }
}

extension CLIError {
    /// A `--keep-going` result that kept no run at all: its odds are of nothing,
    /// so after it is printed the command fails (exit 65) for scripts to see.
    static func failIfNoRunKept(_ result: BatchResult, study: String = "") throws {
        guard result.runs == 0 && result.failedRuns > 0 else { return }
        StandardError.write("liaosim: every run\(study) failed (--keep-going kept none): see the failures in the result\n")
        throw ExitCode(badData)
    }
}
