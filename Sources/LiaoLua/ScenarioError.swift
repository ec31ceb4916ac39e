import LiaoCore

/// A mistake in a scenario file, found while loading it or during a run.
/// `description` is the one line the CLI prints: `file:line: message`, plus
/// the run and month when it happened inside a run.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file is missing or unreadable.
        case noInput
        /// The file's contents are wrong: syntax, API misuse, bad values.
        case badScenario
        /// A run failed (an error in `on_month` or a metric function).
        case runFailed
        /// The command line does not fit the scenario: a `--set` name it does
        /// not read, or a value its input cannot take.
        case badCommandLine
    }
    public var kind: Kind
    /// The message, starting with `file:line:` when Lua knows the position.
    public var message: String
    public var run: Int?
    public var month: Int?

    public init(_ kind: Kind, _ message: String, run: Int? = nil, month: Int? = nil) {
        self.kind = kind
        self.message = message
        self.run = run
        self.month = month
    }

    public var description: String {
        RunFailure(message: message, run: run, month: month).description
    }
}
