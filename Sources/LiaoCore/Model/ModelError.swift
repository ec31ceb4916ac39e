/// A mistake in a scenario's model inputs, described for the analyst. The Lua
/// bridge adds the file and line where the offending call was made.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
