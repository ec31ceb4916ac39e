internal import CLua
internal import CLuaShim
internal import LiaoCore

/// Owns one `lua_State` and closes it exactly once. A state belongs to one
/// worker thread and is never shared.
///
/// The state is guarded (see `CLuaShim_newGuardedState`): its allocations
/// are counted and capped, and each `call` runs under the time limit. Every
/// call into Lua that can raise goes through `load` or `call`, which are
/// protected; the other `lua_*` calls made from Swift are raw accesses, pushes
/// and references, which cannot raise except for lack of memory, and the
/// allocator never refuses memory while Swift code is running.
final class LuaState {
    let L: OpaquePointer
    let limits: ScenarioLimits
    /// The names of the chunks loaded from files (`load(source:chunkName:)`).
    private(set) var chunkNames: [String] = []
    /// Names the scenario in messages that Lua cannot position (the memory
    /// cap, a call stuck in a library function).
    var sourceName = "" {
        didSet { CLuaShim_setSourceName(L, sourceName) }
    }

    /// The global functions a scenario starts with, for "did you mean" when
    /// it calls a global that is not there (a misspelt `voucher`, say).
    var globalFunctionNames: [String] = []

    /// The names API calls match, this state's own (see `APINames`).
    let names = APINames()
    /// Where `LuaFields` keeps the fields of the table it reads.
    let fieldScratch: UnsafeMutablePointer<CLuaShim_Field>
    /// Most fields an API function's table may have.
    static let maxFields = 16

    init(limits: ScenarioLimits = .standard) throws(ScenarioError) {
        guard let state = CLuaShim_newGuardedState(limits.memoryCap, limits.timeLimitSeconds) else {
            let watchdog = limits.timeLimitSeconds > 0
                ? " or start the watchdog of its time limit (its signal may be taken; a time limit of 0 runs without it)" : ""
            throw ScenarioError(.badScenario, "could not create a Lua state\(watchdog)")
        }
        L = state
        self.limits = limits
        fieldScratch = .allocate(capacity: Self.maxFields)
        fieldScratch.initialize(repeating: CLuaShim_Field(), count: Self.maxFields)
        names.intern(in: state)
    }

    deinit {
        CLuaShim_closeGuardedState(L)
        fieldScratch.deallocate()
    }

    /// Bytes the state uses now, and the most it has used.
    var memoryInUse: Int { CLuaShim_memoryInUse(L) }
    var memoryPeak: Int { CLuaShim_memoryPeak(L) }

    var top: Int32 { lua_gettop(L) }
    func pop(_ n: Int32 = 1) { CLuaShim_pop(L, n) }

    func type(at index: Int32) -> Int32 { lua_type(L, index) }

    /// The type of the value at `index` for messages: "integer" or "number",
    /// and a view by its name ("state", as its metatable's `__name` says).
    func typeName(at index: Int32) -> String {
        let t = lua_type(L, index)
        if t == LUA_TNUMBER && lua_isinteger(L, index) != 0 { return "integer" }
        if t == LUA_TUSERDATA {
            // luaL_getmetafield pushes the field only when there is one.
            let field = luaL_getmetafield(L, index, "__name")
            if field != LUA_TNIL {
                defer { pop() }
                if field == LUA_TSTRING, let name = lua_tolstring(L, -1, nil) { return String(cString: name) }
            }
        }
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

    /// Pushes `s` whole (a NUL byte in it does not end it).
    func push(_ s: String) {
        var s = s
        s.withUTF8 { bytes in bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) } }
    }
    func push(_ x: Double) { lua_pushnumber(L, x) }

    /// Creates a registry reference to the value on top of the stack (popping it).
    func reference() -> Int32 { luaL_ref(L, CLuaShim_registryIndex()) }
    func pushReference(_ ref: Int32) { lua_rawgeti(L, CLuaShim_registryIndex(), lua_Integer(ref)) }

    /// Loads text (never binary) Lua source as a function on the stack.
    func load(source: [UInt8], chunkName: String) throws(ScenarioError) {
        if !chunkNames.contains(chunkName) { chunkNames.append(chunkName) }
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                CLuaShim_guardedLoad(L, chars.baseAddress, chars.count, "@" + chunkName)
            }
        }
        guard status != LUA_OK else { return }
        var error = popError(.badScenario, status: status)
        if status == LUA_ERRSYNTAX, Self.namesAFieldEnd(error.message, in: source) {
            error.message += " (end is a Lua keyword, not a field name: a trade-in's last month is finish = \"YYYY-MM\", or [\"end\"] = \"YYYY-MM\")"
        }
        throw error
    }

    /// Whether a syntax error is Lua's "unexpected symbol near 'end'" on a
    /// line where `end` stands as a field name (`{ ..., end = ...`).
    private static func namesAFieldEnd(_ message: String, in source: [UInt8]) -> Bool {
        guard message.hasSuffix("unexpected symbol near 'end'"),
              let found = message.firstMatch(of: /:(\d+): unexpected symbol near 'end'$/), let number = Int(found.1), number > 0
        else { return false }
        let lines = source.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard number <= lines.count else { return false }
        return String(decoding: lines[number - 1], as: UTF8.self).contains(/(^|[{,;])\s*end\s*=($|[^=])/)
    }

    /// Calls the function below `arguments` arguments under the time limit and
    /// the memory cap; a Lua error, or going past a limit, becomes a `ScenarioError`.
    func call(arguments: Int32, results: Int32, kind: ScenarioError.Kind) throws(ScenarioError) {
        let status = CLuaShim_guardedPcall(L, arguments, results)
        if status != LUA_OK { throw popError(kind, status: status) }
    }

    /// The whole name of a file that Lua shortened for a message ("...folder/plan.lua"
    /// keeps only the last 60 characters): the one file loaded into this state
    /// (the scenario, a module) whose name ends so; else the shortened name as it is.
    func fullFileName(shortSource: String) -> String {
        guard shortSource.hasPrefix("...") else { return shortSource }
        let tail = shortSource.dropFirst(3)
        let matching = chunkNames.filter { $0.hasSuffix(tail) }
        return matching.count == 1 ? matching[0] : shortSource
    }

    /// Pops the error value on top of the stack into a ScenarioError.
    func popError(_ kind: ScenarioError.Kind, status: Int32 = LUA_ERRRUN) -> ScenarioError {
        var message: String
        if let s = string(at: -1) {
            message = s
        } else {
            // error() with a table, nil or the like: Lua gives no position for it.
            let what = number(at: -1).map { "the number \(lua_isinteger(L, -1) != 0 ? String(lua_tointegerx(L, -1, nil)) : "\($0)")" }
                ?? "a \(typeName(at: -1)) value"
            message = "an error was raised with \(what) instead of a message (its line is unknown); pass a string, e.g. error(\"budget too high\")"
        }
        pop()
        if let cut = message.firstMatch(of: /^\.\.\.([^\n:]*):(\d+):/) {
            let file = fullFileName(shortSource: "..." + cut.1)
            message.replaceSubrange(cut.range, with: "\(file):\(cut.2):")
        }
        if let call = message.firstMatch(of: /attempt to call a nil value \(global '([^']+)'\)/) {
            let hint = Suggest.didYouMean(String(call.1), among: globalFunctionNames)
            if !hint.isEmpty { message.insert(contentsOf: hint, at: call.range.upperBound) }
        }
        // Control characters are shown, never sent to the terminal (nor made into lines of a report).
        message = PrintableText.of(message)
        // A message without `file:line:` (a memory error, "C stack overflow", error(msg, 0))
        // still names the scenario.
        if !sourceName.isEmpty && message.firstMatch(of: /^[^\n:]*:\d+:/) == nil && !message.hasPrefix(sourceName + ":") {
            message = "\(sourceName): \(message)"
        }
        return ScenarioError(kind, message)
    }
}
