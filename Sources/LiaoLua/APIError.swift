/// A misuse of the scenario API, raised back into Lua as an error at the
/// caller's line (the C trampoline adds `file:line:`).
struct APIError: Error {
    let message: String
    /// The message already starts with `file:line:` (a module's syntax error).
    var positioned = false
    init(_ message: String, positioned: Bool = false) {
        self.message = message
        self.positioned = positioned
    }
}
