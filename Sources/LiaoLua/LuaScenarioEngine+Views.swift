internal import CLua
internal import CLuaShim
internal import LiaoCore

/// Slots of the numbers behind the `state` view that `on_month` receives.
enum StateLayout {
    static let t = 0
    static let year = 1
    /// This month's VA: retail, catering, accommodation, hospitality, services.
    static let valueAdded = 2
    /// Year-to-date VA, same order.
    static let yearToDate = 7
    static let starHotels = 12
    static let rooms = 13
    static let occupancy = 14
    static let workers = 15
    static let firms = 16
    /// The levers' values this month, by `Lever.rawValue`.
    static let levers = 17
    static let count = 20

    static let topLevel: [(String, Int)] = [
        ("t", t), ("year", year), ("star_hotels", starHotels), ("rooms", rooms),
        ("occupancy", occupancy), ("workers", workers), ("firms", firms),
    ]
    static let groups = MetricCatalog.ValueGroup.allCases.map(\.key)
    /// Every field name of `state`, for docs and messages.
    static let fieldNames = ["month", "next_month"] + topLevel.map(\.0) + ["va", "ytd", "params", "levers"]
}

extension LuaScenarioEngine {
    /// Builds the read-only views: `state` (with `va`, `ytd`, `params`, `levers`) and one
    /// metrics view per metric function, each seeing the metrics before it.
    ///
    /// `state`, `state.va` and `state.ytd` are cached views (see
    /// `CLuaShim_pushCachedView`): a field the hook reads becomes a plain
    /// table field, refreshed before each call, so reading it costs a table
    /// lookup. `state.params` changes only between runs and is read rarely:
    /// it is a view that reads the parameter values on demand.
    func buildViews() {
        let L = lua.L
        // Month labels, so the hook can be handed a ready string.
        lua_createtable(L, Int32(SimCalendar.months + 1), 0)
        for t in 0...SimCalendar.months {
            lua.push(SimCalendar.label(t))
            lua_rawseti(L, -2, lua_Integer(t))
        }
        monthLabels = lua.reference()

        pushReference(monthLabels)
        let labels = lua.top
        var books: [Int32] = []
        /// Pushes a cached view over `stateValues` with the names table on top of the stack (popped).
        func pushCachedView(what: String, hint: String) {
            CLuaShim_pushCachedView(L, -1, labels, stateValues, what, hint)
            CLuaShim_insert(L, -3)  // proxy below the names table
            books.append(lua.reference())
            lua.pop()               // the names table
        }
        let groups = "; fields are " + StateLayout.groups.joined(separator: ", ")
        CLuaShim_newtable(L)  // names of state
        for (name, slot) in StateLayout.topLevel { setSlot(name, slot) }
        setSlot("month", Int(CLUASHIM_LABEL_SLOT))
        setSlot("next_month", Int(CLUASHIM_LABEL_SLOT) + 1)
        CLuaShim_newtable(L)
        for (i, group) in StateLayout.groups.enumerated() { setSlot(group, StateLayout.valueAdded + i) }
        pushCachedView(what: "state.va", hint: groups)
        lua_setfield(L, -2, "va")
        CLuaShim_newtable(L)
        for (i, group) in StateLayout.groups.enumerated() { setSlot(group, StateLayout.yearToDate + i) }
        pushCachedView(what: "state.ytd", hint: groups)
        lua_setfield(L, -2, "ytd")
        pushView(names: ParameterCatalog.all.map { ($0.key, $0.id.rawValue) }, values: parameterValues,
                 what: "state.params", hint: "; `liaosim params` lists the keys")
        lua_setfield(L, -2, "params")
        // The levers this month, read on demand like `params` (rarely read).
        pushView(names: Lever.allCases.map { ($0.key, StateLayout.levers + $0.rawValue) }, values: stateValues,
                 what: "state.levers", hint: "; levers are " + Lever.allCases.map(\.key).joined(separator: ", "))
        lua_setfield(L, -2, "levers")
        pushCachedView(what: "state", hint: "; fields are " + StateLayout.fieldNames.joined(separator: ", "))
        stateView = lua.reference()
        lua.pop()  // the labels
        lua_createtable(L, Int32(books.count), 0)
        for (i, book) in books.enumerated() {
            pushReference(book)
            lua_rawseti(L, -2, lua_Integer(i + 1))
            luaL_unref(L, CLuaShim_registryIndex(), book)
        }
        if let hook {
            stateGroup = CLuaShim_linkCachedViews(L, -1, hook, stateView)
        }
        lua.pop()  // the group table: the group keeps it

        // Metric views: built-ins plus the scenario's metrics before each one.
        let builtIn = MetricCatalog.count
        let total = builtIn + scenario.customMetrics.count
        metricValues.deallocate()
        metricValues = .allocate(capacity: total)
        metricValues.initialize(repeating: 0, count: total)
        metricViews = scenario.customMetrics.indices.map { i in
            let visible = scenario.metricNames.prefix(builtIn + i).enumerated().map { ($1, $0) }
            pushView(names: visible, values: metricValues, what: "metrics",
                     hint: "; metrics are the built-in names (see the README) and the scenario's metrics defined before this one")
            return lua.reference()
        }
    }

    private func setSlot(_ name: String, _ slot: Int) {
        lua_pushinteger(lua.L, lua_Integer(slot))
        lua_setfield(lua.L, -2, name)
    }

    /// Pushes a view over `values` with the given name → slot pairs.
    private func pushView(names: [(String, Int)], values: UnsafeMutablePointer<Double>, what: String, hint: String) {
        CLuaShim_newtable(lua.L)
        for (name, slot) in names { setSlot(name, slot) }
        CLuaShim_pushView(lua.L, -1, values, what, hint)
        CLuaShim_remove(lua.L, -2)
    }
}
