import ArgumentParser
import Foundation
import LiaoCore

// Entry point: parse the command line and run the chosen command. A bad
// command line gets one line on stderr and exit code 64 (EX_USAGE); help
// and version requests print as usual.
StopSignal.handleStuckCalls()
// A reader that goes away (`| head`) makes writes fail with EPIPE, handled
// like any failed write (temporary files removed), instead of killing the process.
signal(SIGPIPE, SIG_IGN)

do {
    var command = try Liaosim.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Liaosim.exit(withError: exit)
} catch {
    let code = Liaosim.exitCode(for: error)
    if code == .success {
        Liaosim.exit(withError: error)  // --help, --version
    }
    var message = Liaosim.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    message += UsageHints.hint(for: message, arguments: Array(CommandLine.arguments.dropFirst()))
    StandardError.write("liaosim: error: \(PrintableText.of(message)) (see liaosim --help)\n")
    Liaosim.exit(withError: ExitCode(64))
}
