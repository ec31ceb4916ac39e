/// A mistake in a scenario's model inputs, described for the analyst. The Lua
/// bridge adds the file and line where the offending call was made.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// `file:line` of the scenario call the error is about, when one is known.
    public let position: String?
    public init(_ message: String, at position: String? = nil) {
        self.message = message
        self.position = position
    }
    public var description: String { message }
}
