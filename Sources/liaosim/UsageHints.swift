import ArgumentParser
import LiaoCore

/// What to add to the argument parser's one-line messages: the command meant
/// by a misspelt one, and the form a whole number takes.
enum UsageHints {
    static func hint(for message: String, arguments: [String]) -> String {
        if let unexpected = message.firstMatch(of: /^Unexpected argument '(.+)'$/), arguments.first == String(unexpected.1) {
            let commands = Liaosim.configuration.subcommands.map { $0._commandName }
            let suggestion = Suggest.didYouMean(String(unexpected.1), among: commands)
            return suggestion.isEmpty ? "; commands are " + commands.joined(separator: ", ") : suggestion
        }
        if let invalid = message.firstMatch(of: /^The value '.*' is invalid for '(--[a-z-]+)/),
           wholeNumberOptions.contains(String(invalid.1)) {
            return "; give a whole number, without separators or exponent: 100000, not 100,000 or 1e5"
        }
        return ""
    }

    private static let wholeNumberOptions: Set<String> = ["--runs", "--threads", "--max-runs", "--first-run", "--seed", "--memory-limit", "--run"]
}
