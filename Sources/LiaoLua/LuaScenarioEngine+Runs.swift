internal import CLua
internal import CLuaShim
public import LiaoCore

/// The per-run side of a scenario: a fresh global environment each run, the
/// `on_month` hook and the scenario's metric functions.
extension LuaScenarioEngine {
    /// Ends every call into a scenario now running, in every engine of the
    /// process, and every later one, as if its time limit had passed (only
    /// under a time limit): a stopped batch leaves out its runs in progress,
    /// so they need not run on. Cannot be undone.
    public static func interruptCallsInProgress() { CLuaShim_interruptCalls() }

    /// Substream of the scenario's own `math.random`.
    static let mathRandomComponent = ComponentName.id("lua.math.random")

    public func beginRun(_ run: Int, seed: UInt64, parameters: [Double]) throws {
        for (i, x) in parameters.enumerated() { parameterValues[i] = x }
        let L = lua.L
        // The tables and captured locals of the load, as the file left them
        // (a file that keeps none has nothing to put back).
        if recordedLoadState > 0 && CLuaShim_restoreLoadState(L) != LUA_OK {
            let error = lua.popError(.runFailed)
            throw RunFailure(message: "\(source.displayName): could not put back the scenario's load-time state (\(error.message))", run: run)
        }
        if globalsFrozen { CLuaShim_clearGlobalsOfTheLoad(L) }
        runProjectUnits = loadProjectUnits
        do {
            try startEnvironment(run: run, seed: seed)
        } catch {
            throw RunFailure(message: error.message, run: run)
        }
    }

    /// Gives the scenario a fresh global environment and seeds its
    /// `math.random` for run `run` (also once after loading, so that a call
    /// before the first run never writes to the globals of the load).
    func startEnvironment(run: Int, seed: UInt64) throws(ScenarioError) {
        let L = lua.L
        // A clean global environment: globals written in one run are never
        // seen by another; reads fall through to what the file defined. Its
        // `_G` is itself, so `_G.x = 1` and `rawset(_G, ...)` stay in the run,
        // and `load` gives it to chunks loaded without an environment.
        pushReference(setRunEnvironment)
        pushReference(chunk)
        lua_createtable(L, 0, 1)  // room for _G: setting it allocates nothing more
        pushReference(environmentMetatable)
        lua_setmetatable(L, -2)
        lua.push("_G")
        lua_pushvalue(L, -2)
        lua_rawset(L, -3)
        lua_pushvalue(L, -1)
        _ = lua_setupvalue(L, -3, 1)
        lua_copy(L, -1, -2)
        lua.pop()
        // math.random draws from this run's own stream.
        var stream = RandomStream(seed: seed, run: UInt64(run), component: Self.mathRandomComponent)
        lua_pushinteger(L, lua_Integer(bitPattern: stream.next()))
        lua_pushinteger(L, lua_Integer(bitPattern: stream.next()))
        try lua.call(arguments: 3, results: 0, kind: .runFailed)
    }

    public func monthEnded(_ state: MonthState, schedule: inout InstrumentSchedule) throws {
        guard let stateGroup else { return }
        let t = state.month
        stateValues[StateLayout.t] = Double(t)
        stateValues[StateLayout.year] = Double(SimCalendar.year(t))
        // Groups in `StateLayout` order: retail, catering, accommodation, hospitality, services.
        let va = state.valueAdded, ytd = state.yearToDate
        stateValues[StateLayout.valueAdded] = va[0]
        stateValues[StateLayout.valueAdded + 1] = va[1]
        stateValues[StateLayout.valueAdded + 2] = va[2]
        stateValues[StateLayout.valueAdded + 3] = va[1] + va[2]
        stateValues[StateLayout.valueAdded + 4] = va[3]
        stateValues[StateLayout.yearToDate] = ytd[0]
        stateValues[StateLayout.yearToDate + 1] = ytd[1]
        stateValues[StateLayout.yearToDate + 2] = ytd[2]
        stateValues[StateLayout.yearToDate + 3] = ytd[1] + ytd[2]
        stateValues[StateLayout.yearToDate + 4] = ytd[3]
        stateValues[StateLayout.starHotels] = state.starHotels
        stateValues[StateLayout.rooms] = state.starRooms
        stateValues[StateLayout.occupancy] = state.occupancy
        stateValues[StateLayout.workers] = state.householdWorkers
        stateValues[StateLayout.firms] = state.householdFirms
        // By `Lever.rawValue` (written out: `Lever.allCases` would make an array every month).
        stateValues[StateLayout.levers] = state.levers[0]
        stateValues[StateLayout.levers + 1] = state.levers[1]
        stateValues[StateLayout.levers + 2] = state.levers[2]

        // The hook with its view and the fields of the view read so far: the
        // call rewrites them first (see CLuaShim_pushCachedViewCall).
        let arguments = CLuaShim_pushCachedViewCall(lua.L, stateGroup, stateValues)

        phase = .hook(month: t)
        defer { phase = .loading }
        do {
            try lua.call(arguments: arguments, results: 0, kind: .runFailed)
        } catch {
            pending.removeAll()
            throw RunFailure(message: error.message, month: t)
        }
        if !pending.isEmpty {
            if schedule.isEmpty {
                // Hand over the lists; the schedule's empty ones (with their storage) come back.
                swap(&schedule, &pending)
            } else {
                schedule.append(contentsOf: pending)
                pending.removeAll()
            }
        }
    }

    public func finishRun(metrics: inout [Double]) throws {
        guard !metricFunctions.isEmpty else { return }
        for i in 0..<MetricCatalog.count { metricValues[i] = metrics[i] }
        phase = .metrics
        defer { phase = .loading }
        for (i, function) in metricFunctions.enumerated() {
            let name = scenario.customMetrics[i]
            pushReference(function)
            pushReference(metricViews[i])
            do {
                try lua.call(arguments: 1, results: 1, kind: .runFailed)
            } catch {
                throw RunFailure(message: error.message)
            }
            guard let x = lua.number(at: -1) else {
                let type = lua.typeName(at: -1)
                lua.pop()
                throw RunFailure(message: "\(definitionPosition(function)): metric '\(name)' must return a number, got \(type)")
            }
            lua.pop()
            metrics[MetricCatalog.count + i] = x
            metricValues[MetricCatalog.count + i] = x
        }
    }
}
