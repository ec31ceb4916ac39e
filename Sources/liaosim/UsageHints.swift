import ArgumentParser
import LiaoCore

/// What to add to the argument parser's one-line messages: the command meant
/// by a misspelt one, and the form a whole number takes.
enum UsageHints {
    static func hint(for message: String, arguments: [String]) -> String {
        let commands = Liaosim.configuration.subcommands.map { $0._commandName } + ["help"]
        // A first word that is no command (liaosim comapre a.lua b.lua): whatever the parser
        // made of the rest, that is the mistake.
        if let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) {
            let suggestion = Suggest.didYouMean(first, among: commands)
            return "; '\(first)' is not a command" + (suggestion.isEmpty ? ": commands are " + commands.dropLast().joined(separator: ", ") : suggestion)
        }
        if let invalid = message.firstMatch(of: /^The value '(.*)' is invalid for '(--[a-z-]+)/),
           wholeNumberOptions.contains(String(invalid.2)) {
            let value = String(invalid.1)
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                if value.hasPrefix("-") {
                    return invalid.2 == "--seed" ? "; a seed is not negative (0 to 18446744073709551615)" : "; it cannot be negative"
                }
                return "; it is too large for a whole number here (at most \(invalid.2 == "--seed" ? UInt64.max.description : Int.max.description))"
            }
            return "; give a whole number, without separators or exponent: 100000, not 100,000 or 1e5"
        }
        return ""
    }

    private static let wholeNumberOptions: Set<String> = ["--runs", "--threads", "--max-runs", "--first-run", "--seed", "--memory-limit", "--run"]
}
