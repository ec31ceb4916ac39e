internal import CLua
internal import CLuaShim

/// Owns one `lua_State` and closes it exactly once. A state belongs to one
/// worker thread and is never shared.
final class LuaState {
    let L: OpaquePointer

    init() throws(ScenarioError) {
        guard let state = luaL_newstate() else { throw ScenarioError(.badScenario, "could not create a Lua state") }
        L = state
    }

    deinit { lua_close(L) }

    var top: Int32 { lua_gettop(L) }
    func pop(_ n: Int32 = 1) { CLuaShim_pop(L, n) }

    func type(at index: Int32) -> Int32 { lua_type(L, index) }

    func typeName(at index: Int32) -> String {
        let t = lua_type(L, index)
        if t == LUA_TNUMBER && lua_isinteger(L, index) != 0 { return "integer" }
        return String(cString: lua_typename(L, t))
    }

    /// The string at `index`, only if it is a string (numbers are not converted).
    func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let chars = lua_tolstring(L, index, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: chars, count: length), as: UTF8.self)
    }

    /// The number at `index`, only if it is a number (strings are not converted).
    func number(at index: Int32) -> Double? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        return lua_tonumberx(L, index, nil)
    }

    func push(_ s: String) { _ = s.withCString { lua_pushstring(L, $0) } }
    func push(_ x: Double) { lua_pushnumber(L, x) }

    /// Creates a registry reference to the value on top of the stack (popping it).
    func reference() -> Int32 { luaL_ref(L, CLuaShim_registryIndex()) }
    func pushReference(_ ref: Int32) { lua_rawgeti(L, CLuaShim_registryIndex(), lua_Integer(ref)) }

    /// Loads text (never binary) Lua source as a function on the stack.
    func load(source: [UInt8], chunkName: String) throws(ScenarioError) {
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                CLuaShim_loadbuffer(L, chars.baseAddress, chars.count, "@" + chunkName, "t")
            }
        }
        if status != LUA_OK { throw popError(.badScenario) }
    }

    /// Calls the function below `arguments` arguments; a Lua error becomes a `ScenarioError`.
    func call(arguments: Int32, results: Int32, kind: ScenarioError.Kind) throws(ScenarioError) {
        let status = CLuaShim_pcall(L, arguments, results, 0)
        if status != LUA_OK { throw popError(kind) }
    }

    /// Pops the error value on top of the stack into a ScenarioError.
    func popError(_ kind: ScenarioError.Kind) -> ScenarioError {
        let message: String
        if let s = string(at: -1) {
            message = s
        } else if let n = number(at: -1) {
            message = "error object is a number (\(n))"
        } else {
            message = "error object is a \(typeName(at: -1)) value"
        }
        pop()
        return ScenarioError(kind, message)
    }
}
