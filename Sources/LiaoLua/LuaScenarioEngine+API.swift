import Foundation
internal import CLua
internal import CLuaShim
internal import LiaoCore

/// The scenario API: what each Lua global does. Every function validates its
/// arguments and returns a status; errors are raised by the C trampoline.
extension LuaScenarioEngine {
    func dispatch(_ function: APIFunction, _ L: OpaquePointer) -> Int32 {
        do throws(APIError) {
            if function.isLoadTimeOnly && phase != .loading {
                throw APIError("\(function.luaName) can only be called while the scenario file loads, not in on_month or a metric")
            }
            if let arguments = function.arguments, lua_gettop(L) > arguments.maximum {
                throw APIError("\(function.luaName) takes \(arguments.names); got \(lua_gettop(L)) arguments: remove the extra \(lua_gettop(L) - arguments.maximum == 1 ? "one" : "ones")")
            }
            return try call(function)
        } catch {
            // Messages quote the scenario's own strings; keep them one readable line.
            let message = error.message.utf8.count <= 2000 ? error.message : String(error.message.prefix(1000)) + "..."
            lua.push(message)
            return error.positioned ? -2 : -1
        }
    }

    private func call(_ function: APIFunction) throws(APIError) -> Int32 {
        switch function {
        case .scenario: try declareScenario()
        case .param: try setParameter()
        case .lever: try setLever()
        case .goal: try addGoal()
        case .metric: try addMetric()
        case .input: return try readInput()
        case .correlate: try addCorrelation()
        case .fixed, .normal, .lognormal, .beta, .uniform, .triangular, .pert:
            try makeDistribution(function)
            return 1
        case .voucher:
            let voucher = try readVoucher()
            note(Plausibility.voucher(voucher))
            note(Plausibility.voucherPastPeriod(voucher))
            schedule(voucher: voucher)
        case .tradein:
            let tradeIn = try readTradeIn()
            note(Plausibility.tradeIn(tradeIn))
            schedule(tradeIn: tradeIn)
        case .event: try schedule(event: readEvent())
        case .project:
            let project = try readProject()
            note(Plausibility.project(project))
            try schedule(project: project)
        case .hotelProject:
            let hotel = try readHotelProject()
            note(Plausibility.hotel(hotel))
            schedule(hotelProject: hotel)
        case .printLine:
            guard printsWhileLoading || phase != .loading else { return 0 }
            // What the scenario prints is its own lines, but never escape sequences for the terminal.
            if let line = lua.string(at: 1) { StandardError.write(PrintableText.of(line, keepingLineBreaks: true) + "\n") }
        case .loadModule:
            return try loadModule()
        case .moduleHook:
            // Only what modules set while the file loads (requires in runs change no hook).
            // A module that requires another sees that one's hook set too: the first to see it set it.
            if phase == .loading, lua.type(at: 2) == LUA_TFUNCTION, let name = lua.string(at: 1),
               !moduleHooks.contains(where: { _, reference in
                   pushReference(reference)
                   defer { lua.pop() }
                   return lua_rawequal(lua.L, -1, 2) != 0
               }) {
                lua_pushvalue(lua.L, 2)
                moduleHooks.append((name, lua.reference()))
            }
        }
        return 0
    }

    /// Loads `name.lua` from the scenario's folder as a text chunk sharing the
    /// scenario's environment, and returns it for the sandbox's `require` to
    /// run; on failure returns nil, the message, and whether the message
    /// already names its position (a syntax error in the module).
    ///
    /// The name may hold letters, digits, `_` and `-` only (no path), and the
    /// file, with symbolic links resolved, must lie in the scenario's folder
    /// (also resolved) and be a regular file: a link to a file elsewhere, a
    /// device or a pipe is refused.
    private func loadModule() throws(APIError) -> Int32 {
        do throws(APIError) {
            try pushModule()
            return 1
        } catch {
            lua_pushnil(lua.L)
            lua.push(error.message)
            lua_pushboolean(lua.L, error.positioned ? 1 : 0)
            return 3
        }
    }

    private func pushModule() throws(APIError) {
        guard let name = lua.string(at: 1) else { throw APIError("require expects a module name") }
        guard !name.isEmpty, name.utf8.count <= 200, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw APIError("require: '\(Self.shown(name))' is not a module name; scenarios may require only .lua files in their own folder, by name without \".lua\"")
        }
        guard let folder = source.folder else {
            throw APIError("require: '\(name)': a scenario that is not a file on disk has no folder to load modules from")
        }
        let path = folder == "." ? "\(name).lua" : "\(folder)/\(name).lua"
        if let problem = ScenarioSource.outsideFolder(path: path, folder: folder) {
            throw APIError("require: '\(name)': \(problem)")
        }
        let module: ScenarioSource
        do {
            module = try ScenarioSource.read(path: path)
        } catch {
            let hint = name == "plan"
                ? "; to build on the plan as written, copy plan.lua from liaosim's scenarios/ folder beside this file"
                    + (Self.repositoryPlanPath.map { ": cp \(ShellWord.quoted($0)) \(ShellWord.quoted(folder + "/"))" } ?? "")
                : ""
            throw APIError("require: no module '\(name)' beside the scenario (\(error.message))\(hint)")
        }
        do {
            try lua.load(source: module.bytes, chunkName: path)
        } catch {
            throw APIError(error.message, positioned: true)
        }
        modules.record(name: name, bytes: module.bytes)
        // Share the scenario's _ENV, so per-run environments cover module code too.
        pushReference(chunk)
        lua_upvaluejoin(lua.L, -2, 1, -1, 1)
        lua.pop()
    }

    /// A name from the scenario as shown in a message: long ones are cut, so
    /// that a huge string cannot make a huge message.
    static func shown(_ name: String) -> String {
        PrintableText.of(name.count <= 80 ? name : String(name.prefix(77)) + "...")
    }

    /// "Did you mean" for a name from the scenario; none for long names (the
    /// edit distance costs the product of the lengths).
    static func suggestion(_ name: String, among candidates: [String]) -> String {
        name.utf8.count <= 100 ? Suggest.didYouMean(name, among: candidates) : ""
    }

    // MARK: Load-time declarations

    /// `scenario{}`: the name and description count only from the scenario
    /// file itself, so that a file that requires another (`require("plan")`)
    /// is not reported under that one's name; runs and seed count from either.
    private func declareScenario() throws(APIError) {
        let f = try LuaFields<ScenarioField>(lua, argument: 1, what: "scenario", allowed: names.scenarioFields)
        let name = PrintableText.of(try f.string(.name, default: scenario.name))
        let description = PrintableText.of(try f.string(.description, default: scenario.description))
        if calledFromScenarioFile() {
            if let earlier = scenarioDeclaredAt {
                throw APIError("scenario{} is given twice in this file (first at \(earlier)); give name, description, runs and seed in one")
            }
            scenarioDeclaredAt = callerPosition()
            scenario.name = name
            scenario.description = description
        }
        if f.has(.runs) { scenario.defaultRuns = try f.integer(.runs, in: 1...1e12) }
        if f.has(.seed) { scenario.defaultSeed = UInt64(try f.integer(.seed, in: 0...9.007199254740991e15)) }
    }

    /// Whether the Lua code calling the current API function is the scenario
    /// file's own (not a module it required).
    private func calledFromScenarioFile() -> Bool {
        guard let caller = callerRecord()?.source else { return true }
        return String(cString: caller) == "@" + source.displayName
    }

    private func setParameter() throws(APIError) {
        guard let key = lua.string(at: 1) else {
            throw APIError("param expects a parameter key as its first argument, e.g. param(\"growth.catering\", normal(0.07, 0.03)); got \(lua.typeName(at: 1))")
        }
        guard let id = ParameterCatalog.id(forKey: key) else {
            throw APIError("param: unknown parameter '\(Self.shown(key))'\(LuaScenarioEngine.suggestion(key, among: ParameterCatalog.keys)); `liaosim params` lists them")
        }
        let distribution: Distribution
        if let x = lua.number(at: 2) {
            distribution = .fixed(x)
        } else {
            distribution = try readDistribution(at: 2, context: "param '\(key)'")
        }
        do throws(ModelError) {
            try scenario.parameters.set(id, distribution, origin: callerPosition())
        } catch {
            throw APIError("param: \(error.message)")
        }
        note(Plausibility.parameter(id, distribution))
    }

    private func setLever() throws(APIError) {
        // The common case (a known name, a number, no month or a valid one) builds no
        // Swift string: hooks may call this every month of every run.
        var length = 0
        let chars = lua.type(at: 1) == LUA_TSTRING ? lua_tolstring(lua.L, 1, &length) : nil
        guard let k = chars.flatMap({ names.levers.index(of: $0, length: length) }) else {
            let leverNames = names.levers.names
            guard let key = lua.string(at: 1) else {
                throw APIError("lever expects a lever name first, one of \(leverNames.joined(separator: ", "))")
            }
            if ParameterCatalog.id(forKey: key) != nil {
                throw APIError(phase == .loading
                    ? "lever: '\(Self.shown(key))' is a parameter, not a lever: set it for the whole run with param(\"\(key)\", value); levers are \(leverNames.joined(separator: ", "))"
                    : "lever: '\(Self.shown(key))' is a parameter, fixed for the whole run once drawn; only levers change during a run: \(leverNames.joined(separator: ", "))")
            }
            throw APIError("lever: unknown lever '\(Self.shown(key))'\(LuaScenarioEngine.suggestion(key, among: leverNames)); levers are \(leverNames.joined(separator: ", "))")
        }
        let lever = Lever.allCases[k]
        let key = names.levers.names[k]
        guard let value = lua.number(at: 2) else {
            throw APIError("lever '\(key)' needs a number as its value, got \(lua.typeName(at: 2))")
        }
        _ = try FieldCheck.check(value, "lever '\(key)' value", 0...Double.infinity)
        var from = 0
        if case .hook(let month) = phase { from = month + 1 }
        if lua.type(at: 3) != LUA_TNIL && lua.type(at: 3) != LUA_TNONE {
            var labelLength = 0
            let label = lua.type(at: 3) == LUA_TSTRING ? lua_tolstring(lua.L, 3, &labelLength) : nil
            if let t = label.flatMap({ FieldCheck.simulatedMonth($0, labelLength) }) {
                from = t
            } else {
                guard let label = lua.string(at: 3) else {
                    throw APIError("lever '\(key)': the third argument is the first month, written \"YYYY-MM\"; got \(lua.typeName(at: 3))")
                }
                from = try FieldCheck.month(label, "lever '\(key)': first month", latest: latestStart)
            }
        }
        try checkFuture(from, "lever '\(key)'")
        let change = LeverChange(lever: lever, from: from, value: value)
        if phase == .loading {
            note(Plausibility.lever(lever, value: value))
            scenario.schedule.leverChanges.append(change)
            scenario.schedule.leverChanges.sort { $0.from < $1.from }
        } else {
            pending.leverChanges.append(change)
        }
    }

    private func addGoal() throws(APIError) {
        let f = try LuaFields<GoalField>(lua, argument: 1, what: "goal", allowed: names.goalFields)
        let id = try f.string(.id)
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else {
            throw APIError("goal: id '\(Self.shown(id))' must be letters, digits, '_', '.' or '-'")
        }
        guard !scenario.goals.contains(where: { $0.id == id }) else {
            throw APIError("goal: there is already a goal with id '\(id)'")
        }
        let metric = try f.string(.metric)
        let hasLeast = f.has(.atLeast), hasMost = f.has(.atMost)
        guard hasLeast != hasMost else {
            throw APIError("goal '\(id)': give exactly one of at_least or at_most")
        }
        let comparison: Goal.Comparison = hasLeast ? .atLeast : .atMost
        let threshold = try f.number(hasLeast ? .atLeast : .atMost)
        let condition = Goal.Condition(metric: metric, comparison, threshold)
        let label = PrintableText.of(try f.string(.label, default: condition.display))
        let goal = Goal(id: id, label: label, test: .conditions([condition]))
        note(Plausibility.goal(goal))
        scenario.goals.append(goal)
        goalOrigins[id] = callerPosition()
    }

    private func addCorrelation() throws(APIError) {
        var keys: [String] = []
        for i in Int32(1)...2 {
            guard let key = lua.string(at: i) else {
                throw APIError("correlate expects two parameter keys and a rank correlation, e.g. correlate(\"growth.catering\", \"growth.accommodation\", 0.6)")
            }
            guard ParameterCatalog.id(forKey: key) != nil else {
                throw APIError("correlate: unknown parameter '\(key)'\(Suggest.didYouMean(key, among: ParameterCatalog.keys))")
            }
            keys.append(key)
        }
        guard keys[0] != keys[1] else { throw APIError("correlate: a parameter cannot be correlated with itself") }
        guard let rank = lua.number(at: 3) else {
            throw APIError("correlate: the third argument is a rank correlation between -1 and 1, got \(lua.typeName(at: 3))")
        }
        _ = try FieldCheck.check(rank, "correlate: the rank correlation", -1...1)
        if scenario.correlations.contains(where: { Set([$0.first, $0.second]) == Set(keys) }) {
            throw APIError("correlate: \(keys[0]) and \(keys[1]) are already correlated")
        }
        scenario.correlations.append(ParameterCorrelation(first: keys[0], second: keys[1], rank: rank, origin: callerPosition()))
    }

    private func addMetric() throws(APIError) {
        guard let name = lua.string(at: 1) else {
            throw APIError("metric expects a name and a function, e.g. metric(\"share\", function(m) return ... end)")
        }
        // Names become CSV and JSON column names and keys of `m`: kept to plain characters.
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else {
            throw APIError("metric: name '\(Self.shown(name))' must be letters, digits, '_', '.' or '-' (at most 100), e.g. \"hospitality.share\"")
        }
        // The per-run CSV has a column per parameter, one named run and one per goal (goal.ID), beside the metrics.
        guard name != "run" && name != "failure" && !name.hasPrefix("goal.") && !ParameterCatalog.all.contains(where: { $0.key == name }) else {
            let column = name == "run" ? "the run column" : name == "failure" ? "the failure column"
                : name.hasPrefix("goal.") ? "named like a goal column (goal.ID)" : "a parameter key"
            throw APIError("metric: '\(name)' is \(column) of the per-run CSV; give the metric another name")
        }
        guard !scenario.metricNames.contains(name) else {
            throw APIError("metric: there is already a metric named '\(name)'")
        }
        guard lua.type(at: 2) == LUA_TFUNCTION else {
            throw APIError("metric '\(name)': the second argument must be a function(m) returning a number, got \(lua.typeName(at: 2))")
        }
        lua_pushvalue(lua.L, 2)
        metricFunctions.append(lua.reference())
        scenario.customMetrics.append(name)
    }

    // MARK: Distributions

    /// A distribution function's arguments, as its errors name them.
    private static func distributionArguments(_ function: APIFunction) -> [String] {
        switch function {
        case .normal: ["mean", "sd"]
        case .lognormal: ["median", "sigma"]
        case .beta: ["a", "b"]
        case .uniform: ["lo", "hi"]
        case .triangular, .pert: ["lo", "mode", "hi"]
        default: ["x"]
        }
    }

    private func makeDistribution(_ function: APIFunction) throws(APIError) {
        let names = Self.distributionArguments(function)
        let arity = names.count
        let given = Int(lua_gettop(lua.L))
        guard given <= arity else {
            throw APIError("\(function.luaName)(\(names.joined(separator: ", "))) takes \(arity) number\(arity > 1 ? "s" : ""); got \(given) arguments")
        }
        var a = [Double]()
        for i in 1...arity {
            guard let x = lua.number(at: Int32(i)) else {
                throw APIError("\(function.luaName) expects \(arity) number\(arity > 1 ? "s" : ""); argument \(i) is \(lua.typeName(at: Int32(i)))")
            }
            a.append(x)
        }
        let d = Self.distribution(function, a)
        if let problem = d.argumentProblem { throw APIError(problem) }
        let L = lua.L
        lua_createtable(L, 3, 1)
        lua.push(function.luaName)
        lua_setfield(L, -2, "kind")
        for (i, x) in a.enumerated() {
            lua_pushnumber(L, x)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        pushReference(distributionMarker)
        lua_setmetatable(L, -2)
    }

    private static func distribution(_ function: APIFunction, _ a: [Double]) -> Distribution {
        switch function {
        case .normal: .normal(mean: a[0], sd: a[1])
        case .lognormal: .lognormal(median: a[0], sigma: a[1])
        case .beta: .beta(a: a[0], b: a[1])
        case .uniform: .uniform(low: a[0], high: a[1])
        case .triangular: .triangular(low: a[0], mode: a[1], high: a[2])
        case .pert: .pert(low: a[0], mode: a[1], high: a[2])
        default: .fixed(a[0])
        }
    }

    /// Reads a table made by one of the distribution functions.
    private func readDistribution(at index: Int32, context: String) throws(APIError) -> Distribution {
        let L = lua.L
        var isDistribution = false
        if lua.type(at: index) == LUA_TTABLE, lua_getmetatable(L, index) != 0 {
            pushReference(distributionMarker)
            isDistribution = lua_rawequal(L, -1, -2) != 0
            lua.pop(2)
        }
        guard isDistribution else {
            throw APIError("\(context): expected a number or a distribution such as normal(0.07, 0.03), lognormal(median, sigma), beta(a, b), uniform(lo, hi), triangular(lo, mode, hi), pert(lo, mode, hi) or fixed(x); got \(lua.typeName(at: index))")
        }
        lua.push("kind")
        lua_rawget(L, index)
        let kind = lua.string(at: -1) ?? ""
        lua.pop()
        // The table is the scenario's to change: read it as a new argument list.
        guard let function = APIFunction.allCases.first(where: { $0.luaName == kind }),
              [.fixed, .normal, .lognormal, .beta, .uniform, .triangular, .pert].contains(function) else {
            throw APIError("\(context): the distribution's kind was changed; make a new one with normal(...), beta(...) ...")
        }
        let arity = Self.distributionArguments(function).count
        var a = [Double]()
        for i in 1...arity {
            lua_rawgeti(L, index, lua_Integer(i))
            let x = lua.number(at: -1)
            lua.pop()
            guard let x else { throw APIError("\(context): the distribution's argument \(i) was changed to a non-number") }
            a.append(x)
        }
        let d = Self.distribution(function, a)
        if let problem = d.argumentProblem { throw APIError("\(context): \(problem)") }
        return d
    }

    // MARK: Instruments

    /// In `on_month` at month t, instruments must start in month t + 1 or later.
    /// `what` is only built for a message.
    /// The latest month an instrument may start: the last simulated month,
    /// except in on_month at that month, whose `state.next_month` is the month
    /// after the period. An instrument starting then is accepted and has no
    /// effect (the simulation ends first), as a lever set then has none, so
    /// that a rule scheduling "next month" needs no guard for the last one.
    private var latestStart: Int {
        if case .hook(let now) = phase, now == SimCalendar.months - 1 { return SimCalendar.months }
        return SimCalendar.months - 1
    }

    private func checkFuture(_ month: Int, _ what: @autoclosure () -> String) throws(APIError) {
        if case .hook(let now) = phase, month <= now {
            throw APIError("\(what()) scheduled in on_month at \(SimCalendar.label(now)) must start in \(SimCalendar.label(now + 1)) or later, got \(SimCalendar.label(month))")
        }
        if phase == .metrics {
            throw APIError("\(what()) cannot be scheduled from a metric function")
        }
    }

    private func readVoucher() throws(APIError) -> Voucher {
        let f = try LuaFields<VoucherField>(lua, argument: 1, what: "voucher", allowed: names.voucherFields)
        let v = Voucher(
            sector: try f.sector(.sector), start: try f.month(.start, latest: latestStart),
            months: try f.integer(.months, default: 1, in: 1...24),
            budgetYi: try f.number(.budget, in: 0...Double.infinity),
            kind: Voucher.Kind.allCases[try f.choice(.kind, names.voucherKinds, default: "threshold")])
        try checkFuture(v.start, "voucher")
        return v
    }

    private func readTradeIn() throws(APIError) -> TradeIn {
        let f = try LuaFields<TradeInField>(lua, argument: 1, what: "tradein", allowed: names.tradeInFields)
        let start = try f.month(.start, latest: latestStart)
        guard f.has(.end) != f.has(.finish) else {
            throw APIError("tradein: give the last month as finish = \"YYYY-MM\" (or [\"end\"] = \"YYYY-MM\"), once")
        }
        let end = try f.month(f.has(.end) ? .end : .finish, latest: start < SimCalendar.months ? SimCalendar.months - 1 : .max)
        // A programme that starts after the last simulated month (from the last
        // month's hook) has no effect whatever its last month: not a mistake.
        guard end >= start || start >= SimCalendar.months else {
            throw APIError("tradein: the last month (\(SimCalendar.label(end))) is before the first (\(SimCalendar.label(start)))")
        }
        try checkFuture(start, "tradein")
        return TradeIn(
            category: PrintableText.of(try f.string(.category, default: "goods")), start: start, end: end,
            units: try f.number(.units, in: 0...Double.infinity), priceYuan: try f.number(.price, in: 0...Double.infinity))
    }

    private func readEvent() throws(APIError) -> PromotionEvent {
        let f = try LuaFields<EventField>(lua, argument: 1, what: "event", allowed: names.eventFields)
        let e = PromotionEvent(
            month: try f.month(.month, latest: latestStart), cateringYi: try f.number(.catering, default: 0, in: 0...Double.infinity),
            roomNights: try f.number(.roomNights, default: 0, in: 0...Double.infinity))
        try checkFuture(e.month, "event")
        return e
    }

    private func readProject() throws(APIError) -> Project {
        let f = try LuaFields<ProjectField>(lua, argument: 1, what: "project", allowed: names.projectFields)
        let p = Project(
            name: PrintableText.of(try f.string(.name)), sector: try f.sector(.sector), count: try f.integer(.count, in: 0...100_000),
            planned: try f.month(.planned, latest: latestStart), delayMeanMonths: try f.number(.delayMean, default: 0, in: 0...240),
            cancelProbability: try f.number(.cancel, default: 0, in: 0...1),
            upliftYiPerYear: try f.number(.uplift, in: 0...Double.infinity),
            sigma: try f.number(.sigma, default: 0, in: 0...10), rampMonths: try f.number(.ramp, default: 0, in: 0...240))
        if p.upliftYiPerYear == 0 && p.sigma > 0 {
            throw APIError("project '\(p.name)': uplift must be > 0 when sigma is set (the effect is lognormal around it)")
        }
        try checkFuture(p.planned, "project '\(p.name)'")
        return p
    }

    /// The most project units a run may draw (each unit's cancellation and
    /// delay is drawn in every run): about a tenth of a second a run, so that
    /// a run stays short enough for a stop to take effect soon.
    static let maximumProjectUnits = 2_000_000

    /// `2,100,000`.
    private static func grouped(_ n: Int) -> String {
        var digits = String(n)
        for position in stride(from: digits.count - 3, to: 0, by: -3) { digits.insert(",", at: digits.index(digits.startIndex, offsetBy: position)) }
        return digits
    }

    private func countProjectUnits(_ count: Int, name: String) throws(APIError) {
        let total = (phase == .loading ? loadProjectUnits : runProjectUnits) + count
        guard total <= Self.maximumProjectUnits else {
            throw APIError("project '\(Self.shown(name))': the projects would add up to \(Self.grouped(total)) units a run, more than \(Self.grouped(Self.maximumProjectUnits)) (each unit is drawn in every run); make fewer, larger units: uplift is per unit")
        }
        if phase == .loading { loadProjectUnits = total } else { runProjectUnits = total }
    }

    private func readHotelProject() throws(APIError) -> HotelProject {
        let f = try LuaFields<HotelProjectField>(lua, argument: 1, what: "hotel_project", allowed: names.hotelProjectFields)
        let h = HotelProject(
            rooms: Double(try f.integer(.rooms, in: 1...100_000)), planned: try f.month(.planned, latest: latestStart),
            delayMeanMonths: try f.number(.delayMean, default: 0, in: 0...240),
            cancelProbability: try f.number(.cancel, default: 0, in: 0...1))
        try checkFuture(h.planned, "hotel_project")
        return h
    }

    /// Adds an instrument to the load's schedule or, in a run, to this
    /// month's; one starting after the period (see `latestStart`) has been
    /// checked and is dropped.
    private func schedule<I>(_ instrument: I, startingIn month: Int, to list: WritableKeyPath<InstrumentSchedule, [I]>) {
        guard month < SimCalendar.months else { return }
        if phase == .loading { scenario.schedule[keyPath: list].append(instrument) } else { pending[keyPath: list].append(instrument) }
    }
    private func schedule(voucher: Voucher) { schedule(voucher, startingIn: voucher.start, to: \.vouchers) }
    private func schedule(tradeIn: TradeIn) { schedule(tradeIn, startingIn: tradeIn.start, to: \.tradeIns) }
    private func schedule(event: PromotionEvent) { schedule(event, startingIn: event.month, to: \.events) }
    private func schedule(project: Project) throws(APIError) {
        guard project.planned < SimCalendar.months else { return }
        try countProjectUnits(project.count, name: project.name)
        schedule(project, startingIn: project.planned, to: \.projects)
    }
    private func schedule(hotelProject: HotelProject) { schedule(hotelProject, startingIn: hotelProject.planned, to: \.hotelProjects) }

    /// The repository's `scenarios/plan.lua`, when liaosim runs on the machine
    /// it was built on (the folder is known from this file's path), or nil.
    public static var repositoryPlanPath: String? {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = repository.appendingPathComponent("scenarios/plan.lua").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
