internal import CLua
internal import CLuaShim
public import LiaoCore

/// One scenario file loaded into its own Lua state: the `Scenario` it
/// describes, and — when the file has an `on_month` hook or metrics of its
/// own — the per-run logic that the simulator calls as a `MonthObserver`.
///
/// An engine belongs to one worker thread; each worker loads its own.
public final class LuaScenarioEngine: MonthObserver {
    let lua: LuaState
    let source: ScenarioSource
    /// What the file describes, complete once `init` returns.
    public internal(set) var scenario: Scenario

    enum Phase: Equatable {
        case loading
        /// Inside `on_month` at month `month`.
        case hook(month: Int)
        /// Inside a metric function.
        case metrics
    }
    // Both are touched on every month of a run, and only ever by the thread
    // that owns this engine (one engine per worker, never shared), in
    // accesses that cannot overlap: the run-time exclusivity check would
    // only cost time.
    @exclusivity(unchecked) var phase = Phase.loading
    /// Instruments and lever changes scheduled by the hook this month.
    @exclusivity(unchecked) var pending = InstrumentSchedule()
    /// Project units every run draws: those of the file, and those its hook
    /// has scheduled in the run so far (see `maximumProjectUnits`).
    var loadProjectUnits = 0
    var runProjectUnits = 0
    /// Whether the load's globals were made read-only for runs (see `CLuaShim_freezeGlobals`).
    var globalsFrozen = false
    var goalOrigins: [String: String] = [:]
    /// Notes on the load, each with its position: values far outside anything
    /// plausible (a slip of unit, most likely; see `Plausibility`) and a
    /// module's `on_month` replaced by a later one.
    public private(set) var loadNotes: [String] = []
    /// The `on_month` each module set while the file loaded (registry references), by module name.
    var moduleHooks: [(name: String, reference: Int32)] = []
    /// Where the scenario file itself called `scenario{}` (once only).
    var scenarioDeclaredAt: String?
    /// Values given on the command line (`--set name=value`), by input name.
    let inputValues: [String: String]
    /// The input set through `--vary` (sweep, solve), named so in messages.
    let variedInput: String?
    /// The modules required so far, by this state and those sharing the log.
    public let modules: ModuleLog
    let printsWhileLoading: Bool
    /// The message of a `--set` value that did not fit its input: a load that
    /// fails with it is a command-line mistake.
    var badSetting: String?
    /// Tables and captured locals put back as each run starts (see `recordLoadState`).
    private(set) var recordedLoadState = 0
    /// The entries of those tables, which every run compares with their
    /// load-time values (0 when runs do not call into the scenario).
    public private(set) var loadStateEntries = 0

    // Registry references.
    var distributionMarker: Int32 = 0
    var chunk: Int32 = 0
    var environmentMetatable: Int32 = 0
    var hook: Int32?
    var metricFunctions: [Int32] = []
    var metricViews: [Int32] = []
    var stateView: Int32 = 0
    /// The cached views `state`, `state.va` and `state.ytd` with the hook
    /// (see `CLuaShim_linkCachedViews`); nil without a hook.
    var stateGroup: OpaquePointer?
    var monthLabels: Int32 = 0
    var randomSeed: Int32 = 0
    /// The sandbox's function that starts a run: gives `load` the run's environment and seeds math.random.
    var setRunEnvironment: Int32 = 0

    // Numbers the views read; owned here, freed in deinit.
    let stateValues: UnsafeMutablePointer<Double>
    let parameterValues: UnsafeMutablePointer<Double>
    var metricValues: UnsafeMutablePointer<Double>

    /// Loads and runs a scenario file once, collecting what it declares.
    public convenience init(
        path: String, inputs: [String: String] = [:], limits: ScenarioLimits = .standard
    ) throws(ScenarioError) {
        try self.init(source: ScenarioSource.read(path: path), inputs: inputs, limits: limits)
    }

    /// Loads a scenario into a new Lua state limited by `limits` (time per
    /// call into the scenario, memory of the state); workers of a batch
    /// should each be given the same limits.
    /// - Parameter inputs: values for the scenario's `input(name, default)` calls;
    ///   a name the scenario does not read is an error unless `allowsUnreadInputs`
    ///   (`compare`, whose `--set` goes to the scenarios that read the name).
    /// - Parameter variedInput: the input that `sweep` or `solve` sets through
    ///   `--vary`, so that a message about it names that option.
    /// - Parameter modules: where the modules it requires are recorded; the
    ///   workers of a batch share the loading engine's.
    /// - Parameter printsWhileLoading: whether `print` and `warn` write while
    ///   the file loads; a batch's workers load the file again, silently, so
    ///   that what it prints appears once.
    public init(
        source: ScenarioSource, inputs: [String: String] = [:], limits: ScenarioLimits = .standard,
        modules: ModuleLog = ModuleLog(), printsWhileLoading: Bool = true, allowsUnreadInputs: Bool = false,
        variedInput: String? = nil
    ) throws(ScenarioError) {
        _ = Self.installDispatch
        self.source = source
        inputValues = inputs
        self.variedInput = variedInput
        self.modules = modules
        self.printsWhileLoading = printsWhileLoading
        lua = try LuaState(limits: limits)
        lua.sourceName = source.displayName
        let baseName = source.displayName.split(separator: "/").last.map(String.init) ?? source.displayName
        scenario = Scenario(
            name: baseName.hasSuffix(".lua") ? String(baseName.dropLast(4)) : baseName,
            sourcePath: source.displayName)
        stateValues = .allocate(capacity: StateLayout.count)
        stateValues.initialize(repeating: 0, count: StateLayout.count)
        parameterValues = .allocate(capacity: ParameterID.count)
        parameterValues.initialize(repeating: 0, count: ParameterID.count)
        metricValues = .allocate(capacity: MetricCatalog.count)
        metricValues.initialize(repeating: 0, count: MetricCatalog.count)
        try openSandbox()
        CLuaShim_markHostObjects(lua.L)
        do {
            try runScenarioFile()
        } catch where badSetting.map(error.message.contains) == true {
            throw ScenarioError(.badCommandLine, error.message)
        }
        try finishLoading()
        if !allowsUnreadInputs { try checkInputsWereRead() }
        // What the file left, helpers it added to the libraries included; then
        // the library tables, which runs share, become read-only.
        try recordLoadState()
        if hasRunLogic {
            CLuaShim_guardLibraries(lua.L)
            pushReference(environmentMetatable)
            CLuaShim_freezeGlobals(lua.L, -1)
            lua.pop()
            globalsFrozen = true
            try startEnvironment(run: 0, seed: 0)
        }
    }

    deinit {
        stateValues.deallocate()
        parameterValues.deallocate()
        metricValues.deallocate()
    }

    /// The limits this engine's Lua state runs under.
    public var limits: ScenarioLimits { lua.limits }
    /// Bytes the Lua state uses now (what the memory cap counts).
    public var memoryInUse: Int { lua.memoryInUse }
    /// The most the Lua state has used since it was created.
    public var peakMemory: Int { lua.memoryPeak }

    /// Whether runs need this engine at all (a hook or metrics of its own).
    public var hasRunLogic: Bool { hook != nil || !metricFunctions.isEmpty }

    public var observesMonths: Bool { hook != nil }

    // MARK: Loading

    private static let installDispatch: Void = {
        CLuaShim_setDispatch { L, context, function in
            guard let context, let L else { return 0 }
            let engine = Unmanaged<LuaScenarioEngine>.fromOpaque(context).takeUnretainedValue()
            return engine.dispatch(APIFunction(rawValue: function)!, L)
        }
    }()

    private func openSandbox() throws(ScenarioError) {
        let L = lua.L
        let libraries: [(String, lua_CFunction)] = [
            ("_G", luaopen_base), ("table", luaopen_table), ("string", luaopen_string),
            ("math", luaopen_math), ("utf8", luaopen_utf8),
        ]
        for (name, open) in libraries {
            luaL_requiref(L, name, open, 1)
            lua.pop()
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        for function in APIFunction.allCases where !function.isInternal {
            CLuaShim_pushSwiftFunction(L, context, function.rawValue)
            CLuaShim_rawSetGlobal(L, function.luaName)
        }
        CLuaShim_installSandboxSetmetatable(L)
        CLuaShim_installSandboxPairs(L)
        // The marker metatable of distribution tables; protected, so that a
        // scenario can neither read nor forge it.
        CLuaShim_newtable(L)
        lua.push("distribution")
        lua_setfield(L, -2, "__name")
        lua_pushboolean(L, 0)
        lua_setfield(L, -2, "__metatable")
        distributionMarker = lua.reference()
        // math.randomseed, kept for reseeding each run (raw reads: nothing
        // of the scenario has run yet, but no metamethod could run anyway).
        CLuaShim_rawGetGlobal(L, "math")
        lua.push("randomseed")
        lua_rawget(L, -2)
        randomSeed = lua.reference()
        lua.pop()

        try lua.load(source: Array(Sandbox.prelude.utf8), chunkName: "liaosim sandbox")
        CLuaShim_pushSwiftFunction(L, context, APIFunction.printLine.rawValue)
        CLuaShim_pushSwiftFunction(L, context, APIFunction.loadModule.rawValue)
        CLuaShim_pushStoppingFunction(L)
        CLuaShim_pushSwiftFunction(L, context, APIFunction.moduleHook.rawValue)
        try lua.call(arguments: 4, results: 1, kind: .badScenario)
        setRunEnvironment = lua.reference()
        lua.globalFunctionNames = globalFunctionNames()

        // Deterministic math.random while the file loads.
        pushReference(randomSeed)
        lua_pushinteger(L, 20_240_101)
        try lua.call(arguments: 1, results: 0, kind: .badScenario)
    }

    /// The names of the global functions, the host's internal ones left out.
    private func globalFunctionNames() -> [String] {
        let L = lua.L
        var names: [String] = []
        CLuaShim_rawGetGlobal(L, "_G")
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION, let name = lua.string(at: -2),
               !name.hasPrefix("__"), !Sandbox.unavailableFunctions.contains(name) {
                names.append(name)
            }
            lua.pop()
        }
        lua.pop()
        return names.sorted()
    }

    /// Records what each run must start from: the tables and captured locals
    /// the file made, reachable from its globals, hook and metric functions.
    private func recordLoadState() throws(ScenarioError) {
        let L = lua.L
        lua_createtable(L, Int32(metricFunctions.count + 1), 0)
        var roots: lua_Integer = 0
        for function in (hook.map { [$0] } ?? []) + metricFunctions {
            pushReference(function)
            roots += 1
            lua_rawseti(L, -2, roots)
        }
        pushReference(chunk)
        recordedLoadState = Int(CLuaShim_recordLoadState(L, -2, -1))
        lua.pop(2)
        if hasRunLogic && recordedLoadState > 0 { loadStateEntries = Int(CLuaShim_loadStateEntries(L)) }
        if recordedLoadState < 0 && hasRunLogic {
            throw ScenarioError(.badScenario, "\(source.displayName): the file keeps an iterator from load time (made by string.gmatch or pairs), which would carry its position from one run to the next; make it inside the function that uses it")
        }
    }

    private func runScenarioFile() throws(ScenarioError) {
        try lua.load(source: source.bytes, chunkName: source.displayName)
        lua_pushvalue(lua.L, -1)
        chunk = lua.reference()
        try lua.call(arguments: 0, results: 0, kind: .badScenario)
    }

    private func finishLoading() throws(ScenarioError) {
        let L = lua.L
        defer {  // the modules' hooks, once the final one is known
            for (_, reference) in moduleHooks { luaL_unref(L, CLuaShim_registryIndex(), reference) }
            moduleHooks = []
        }
        // Raw: the scenario may have given _G a metatable whose __index raises.
        CLuaShim_rawGetGlobal(L, "on_month")
        switch lua.type(at: -1) {
        case LUA_TNIL:
            lua.pop()
            let lookalikes = lookalikeHookNames()
            if let name = lookalikes.sure {
                throw ScenarioError(.badScenario, "\(source.displayName): the function '\(name)' is never called: the monthly hook must be named on_month")
            }
            if let name = lookalikes.likely {
                loadNotes.append("\(source.displayName): the function '\(name)' is never called each month; if it is meant as the monthly hook, name it on_month")
            }
            if let place = localHookLine() {
                throw ScenarioError(.badScenario, "\(place): on_month is local here, so it is never called: the monthly hook must be a global function; write function on_month(state) without `local`")
            }
        case LUA_TFUNCTION:
            let reference = lua.reference()
            hook = reference
            let position = definitionPosition(reference)
            noteReplacedHooks(by: position)
            // A module's hook runs, and the file's own on_month is a local beside it.
            if !position.hasPrefix(source.displayName + ":"), let place = localHookLine(mainFileOnly: true) {
                loadNotes.append("\(place): this on_month is local, so it is never called; the hook that runs is the one at \(position)")
            }
        default:
            let type = lua.typeName(at: -1)
            lua.pop()
            throw ScenarioError(.badScenario, "\(source.displayName): on_month must be a function, got \(type); define it as function on_month(state) ... end")
        }
        do {
            _ = try CompiledScenario(scenario)
        } catch {
            let origin = error.position ?? scenario.goals.first { error.message.hasPrefix("goal '\($0.id)'") }.flatMap { goalOrigins[$0.id] }
            throw ScenarioError(.badScenario, "\(origin ?? source.displayName): \(error.message)")
        }
        // Per-run environments read through to the globals of the load.
        CLuaShim_newtable(L)
        CLuaShim_pushglobaltable(L)
        lua_setfield(L, -2, "__index")
        lua_pushboolean(L, 0)
        lua_setfield(L, -2, "__metatable")  // getmetatable(_ENV) is false; it cannot be replaced
        environmentMetatable = lua.reference()
        buildViews()
    }

    func pushReference(_ ref: Int32) { lua.pushReference(ref) }

    /// A module whose `on_month` (as `require` saw it set) is not the hook in
    /// the end: a later definition replaced it, and only the last one runs,
    /// which would silently drop the module's monthly rules unless the new
    /// hook calls the old one. Noted, with how to keep both, unless the new
    /// hook can reach the module's (`hookKeeps`).
    private func noteReplacedHooks(by position: String) {
        for (name, reference) in moduleHooks where !hookKeeps(reference) {
            loadNotes.append("\(position): on_month replaces the one that module '\(name)' set; that one now runs only if yours "
                + "calls it: save it first (local module_hook = on_month) and call module_hook(state) from yours")
        }
    }

    /// Whether the hook is the function behind `reference` or can reach it:
    /// through its upvalues (a saved local, a helper that calls it, a module's
    /// table, the globals through `_ENV`) and the fields of tables, three
    /// steps deep at most. The search looks at 20,000 values at most; one
    /// that would need more says yes (no note rather than a wrong one).
    private func hookKeeps(_ reference: Int32) -> Bool {
        guard let hook else { return false }
        let L = lua.L
        guard lua_checkstack(L, 40) != 0 else { return true }  // no room to look: say nothing
        pushReference(reference)
        let target = lua.top
        CLuaShim_newtable(L)  // values seen
        let seen = lua.top
        pushReference(hook)
        defer { lua_settop(L, target - 1) }
        var budget = 20_000
        return reaches(target, seen: seen, depth: 3, budget: &budget) || budget <= 0
    }

    /// Whether the value on top of the stack (popped) is the value at
    /// `target` or reaches it within `depth` steps; each value looked at
    /// takes one from `budget`, and none is looked at once it is used up.
    private func reaches(_ target: Int32, seen: Int32, depth: Int, budget: inout Int) -> Bool {
        let L = lua.L
        defer { lua.pop() }
        budget -= 1
        if lua_rawequal(L, -1, target) != 0 { return true }
        let type = lua.type(at: -1)
        guard depth > 0, budget > 0, type == LUA_TFUNCTION || type == LUA_TTABLE else { return false }
        // Each function or table again only with more steps left than before.
        lua_pushvalue(L, -1)
        let before = lua_rawget(L, seen) == LUA_TNUMBER ? Int(lua_tointegerx(L, -1, nil)) : -1
        lua.pop()
        guard depth > before else { return false }
        lua_pushvalue(L, -1)
        lua_pushinteger(L, lua_Integer(depth))
        lua_rawset(L, seen)
        let node = lua.top
        if type == LUA_TFUNCTION {
            var index: Int32 = 1
            while budget > 0, lua_getupvalue(L, node, index) != nil {
                if reaches(target, seen: seen, depth: depth - 1, budget: &budget) { return true }
                index += 1
            }
        } else {
            lua_pushnil(L)
            while lua_next(L, node) != 0 {
                if reaches(target, seen: seen, depth: depth - 1, budget: &budget) || budget <= 0 {
                    lua.pop()  // the key
                    return budget > 0
                }
            }
        }
        return false
    }

    /// Global functions named like `on_month` (see `hookLikeness`) when there
    /// is no `on_month`: `sure` those that are surely a misnamed hook (the same
    /// letters, or a near name whose first parameter is `state`), `likely` the
    /// near names of other functions of one parameter (`on_months(s)`), which
    /// get a note. Helpers of other shapes (`in_month(y, m)`) are neither.
    private func lookalikeHookNames() -> (sure: String?, likely: String?) {
        let L = lua.L
        let top = lua.top
        defer { lua_settop(L, top) }
        CLuaShim_pushglobaltable(L)
        lua_pushnil(L)
        var sure: [String] = [], likely: [String] = []
        while lua_next(L, -2) != 0 {
            // Only string keys are read as text (lua_tolstring would change a number key in place).
            if lua.type(at: -1) == LUA_TFUNCTION, lua.type(at: -2) == LUA_TSTRING, let name = lua.string(at: -2),
               let likeness = Self.hookLikeness(name) {
                // With the function on top, lua_getlocal(L, nil, k) names its k-th parameter.
                let first = lua_getlocal(L, nil, 1).map { String(cString: $0) }
                if likeness == .sameLetters || first == "state" {
                    sure.append(name)
                } else if first != nil && lua_getlocal(L, nil, 2) == nil {
                    likely.append(name)
                }
            }
            lua.pop()  // the value; the key stays for lua_next
        }
        // The first by bytes: the table's own order changes from one invocation to the next.
        func firstByBytes(_ names: [String]) -> String? { names.min { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        return (firstByBytes(sure), firstByBytes(likely))
    }

    enum HookLikeness { case sameLetters, near }

    /// How a global function's name resembles `on_month`: the same letters in
    /// another case or with other underscores (`onMonth`, `On_Month`), or
    /// near it: one letter off (`on_months`, `on_moth`) or `on_month` with
    /// something after it (`on_month_hook`). Nil for others.
    static func hookLikeness(_ name: String) -> HookLikeness? {
        guard name != "on_month", name.utf8.count <= 40 else { return nil }
        let letters = name.lowercased().filter { $0 != "_" }
        if letters == "onmonth" { return .sameLetters }
        return letters.hasPrefix("onmonth") || Suggest.editDistance(letters, "onmonth") == 1 ? .near : nil
    }

    /// "file:line" where the scenario file or a module it required makes
    /// `on_month` a local (see `LocalHookScan`): a hook that is never called.
    private func localHookLine(mainFileOnly: Bool = false) -> String? {
        if let line = LocalHookScan.line(in: source.bytes) { return "\(source.displayName):\(line)" }
        guard !mainFileOnly else { return nil }
        for module in modules.modules.sorted(by: { $0.name < $1.name }) {
            guard let line = LocalHookScan.line(in: module.bytes) else { continue }
            let folder = source.folder ?? "."
            return "\(folder == "." ? "" : folder + "/")\(module.name).lua:\(line)"
        }
        return nil
    }

    /// The names the API matches (this engine's own).
    var names: APINames { lua.names }

    /// The debug record (source and line) of the Lua code calling the
    /// current API function, or nil when there is none.
    func callerRecord() -> lua_Debug? {
        var record = lua_Debug()
        guard lua_getstack(lua.L, 1, &record) != 0, lua_getinfo(lua.L, "Sl", &record) != 0 else { return nil }
        return record
    }

    /// The file of a function's record, whole (Lua keeps 60 characters).
    private func fileName(_ record: lua_Debug) -> String {
        let short = withUnsafeBytes(of: record.short_src) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return lua.fullFileName(shortSource: short)
    }

    /// `file:line` where the Lua function behind `ref` is defined (the
    /// scenario's name alone for a C function).
    func definitionPosition(_ ref: Int32) -> String {
        pushReference(ref)
        var record = lua_Debug()
        guard lua_getinfo(lua.L, ">S", &record) != 0, record.linedefined > 0 else { return source.displayName }
        return "\(fileName(record)):\(record.linedefined)"
    }

    /// Keeps a plausibility note, with the caller's position, for a value
    /// the file gives while it loads (not for each run's hook calls).
    func note(_ text: String?) {
        guard let text, phase == .loading else { return }
        loadNotes.append("\(callerPosition()): \(text)")
    }

    /// `file:line` of the Lua code calling the current API function.
    func callerPosition() -> String {
        guard let record = callerRecord() else { return source.displayName }
        return "\(fileName(record)):\(record.currentline)"
    }
}
