import LiaoCore
import LiaoLua
import Testing

/// Mistakes in scenario files give one message naming the file, the line and,
/// where possible, the fix.
@Suite struct ScenarioErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let script: String
        let line: Int
        let expected: [String]
        init(_ script: String, line: Int = 1, _ expected: String...) {
            self.script = script
            self.line = line
            self.expected = expected
        }
        var testDescription: String { expected.joined(separator: " … ") }
    }

    static let cases: [Case] = [
        Case("voucher {", "expected"),
        Case("\nlocal t = nil\nlocal x = t.field", line: 3, "attempt to index a nil value"),
        Case("param(\"growth.cateing\", 0.1)", "unknown parameter 'growth.cateing'", "did you mean 'growth.catering'"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budjet = 0.1 }", "unknown field 'budjet'", "did you mean 'budget'"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = \"lots\" }", "field 'budget' must be a number, got string"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = 0/0 }", "field 'budget' must be a finite number, got NaN (a 0/0?)"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = -0.1 }", "field 'budget' must be at least 0"),
        Case("voucher { sector = \"catring\", start = \"2024-05\", budget = 0.1 }", "did you mean 'catering'"),
        Case("voucher { sector = \"catering\", start = \"2026-01\", budget = 0.1 }", "outside the simulated period 2024-01 to 2025-12"),
        Case("voucher { sector = \"catering\", start = \"May 2024\", budget = 0.1 }", "must be a month written \"YYYY-MM\""),
        // Every run draws every project unit: their number is bounded, so that runs stay short.
        Case("\nfor i = 1, 21 do project { name = 'p' .. i, sector = 'retail', count = 100000, planned = '2024-03', uplift = 0.1 } end",
             line: 2, "project 'p21': the projects would add up to 2,100,000 units a run, more than 2,000,000"),
        // Errors raised inside the sandbox's own functions name the scenario's line and the function called.
        Case("\nmath.randomseed({})", line: 2, "bad argument #1 to 'math.randomseed' (number expected, got table)"),
        Case("\n\nload(nil)", line: 3, "bad argument #1 to 'load'"),
        Case("\nprint(setmetatable({}, { __tostring = function() return {} end }))", line: 2, "'__tostring' must return a string"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = 0/0 }", "must be a finite number"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = 0.1, kind = \"coupon\" }", "\"threshold\", \"cash\""),
        Case("voucher \"catering\"", "voucher expects a table of fields"),
        Case("voucher { \"catering\", start = \"2024-05\", budget = 0.1 }", "voucher: every field needs a name (name = value)"),
        Case("voucher { [1.5] = 1 }", "voucher: every field needs a name (name = value)"),
        // Fields are read raw: a metatable's __index supplies none of them.
        Case("voucher(setmetatable({}, { __index = { sector = \"catering\", start = \"2024-05\", budget = 0.1 } }))",
             "voucher: field 'sector' is required"),
        Case("voucher { sector = \"catering\", start = \"2024-05\", budget = 0.1, " + String(repeating: "k", count: 60) + " = 1 }",
             "voucher: unknown field '" + String(repeating: "k", count: 60) + "'", "fields are sector, start, months, budget, kind"),
        Case("project { name = \"x\", sector = \"retail\", count = 2, planned = \"2024-06\", cancel = 1.5, uplift = 0.1 }", "field 'cancel' must be between 0 and 1"),
        Case("project { name = \"x\", sector = \"retail\", count = 2.5, planned = \"2024-06\", uplift = 0.1 }", "must be a whole number"),
        Case("hotel_project { rooms = 150, planned = \"2024-06\", delay_mean = -1 }", "field 'delay_mean' must be"),
        Case("hotel_project { rooms = 150.5, planned = \"2024-06\" }", "field 'rooms' must be a whole number, got 150.5"),
        Case("voucher { sector = \"catering\", start = 202405, budget = 1 }", "field 'start' must be a month written as a string \"YYYY-MM\", e.g. \"2024-05\", got the number 202405"),
        Case("scenario { name = \"x\", seed = -1 }", "must be between 0 and 9007199254740991, got -1"),
        Case("tradein { start = \"2024-06\", finish = \"2024-03\", units = 1, price = 1 }", "before the first"),
        Case("param(\"hotels.occupancy0\", beta(0, 2))", "beta: a must be at least 0.05, got 0"),
        Case("param(\"growth.retail\", normal(0.05, -0.01))", "standard deviation must be >= 0"),
        Case("param(\"voucher.redemption\", normal(0.7, 0.1))", "must lie in [0, 1]", "use beta, uniform"),
        Case("param(\"base.hospitality\", normal(34.72, 2))", "must lie in [0, ∞]", "use lognormal, uniform, triangular, pert or fixed"),
        Case("param(\"shock.rho\", normal(0.8, 0.1))", "must lie in [-1, 1]", "use uniform, triangular, pert or fixed"),
        Case("param(\"hotels.rooms_per_hotel\", normal(150, 20))", "must lie in [1, ∞]", "; use uniform, triangular, pert or fixed"),
        Case("param(\"voucher.redemption\", 1.2)", "must lie in [0, 1]"),
        Case("param(\"voucher.payback_months\", uniform(2, 4))", "may only be fixed to a whole number"),
        Case("param(\"voucher.leverage\", \"high\")", "expected a number or a distribution"),
        Case("param(\"growth.retail\", pert(0.02, 0.01, 0.08))", "need low <= mode <= high"),
        Case("param(\"growth.catering\", pert(0.03, 0.08, 0.12, 6))", "pert(lo, mode, hi) takes 3 numbers; got 4 arguments"),
        Case("param(\"growth.retail\", normal(0.07, 0.03, 0.1))", "normal(mean, sd) takes 2 numbers; got 3 arguments"),
        Case("lever(\"household.recruits\", 200)", "unknown lever", "did you mean 'household.recruits_per_month'"),
        Case("lever(5, 200)", "lever expects a lever name first", "household.recruits_per_month"),
        Case("lever(\"household.attrition\", 0.02)", "lever: 'household.attrition' is a parameter, not a lever: set it for the whole run with param(\"household.attrition\", value)"),
        Case("tradein { category = \"auto\", start = \"2025-01\", end = \"2025-06\", units = 10, price = 150000 }",
             "unexpected symbol near 'end' (end is a Lua keyword, not a field name: a trade-in's last month is finish = \"YYYY-MM\""),
        Case("lever(\"household.firms_per_month\", 2, \"2025-01\", \"extra\")", "lever takes a name, a value and the first month; got 4 arguments: remove the extra one"),
        Case("voucher({ sector = \"retail\", start = \"2024-05\", budget = 0.1 }, 2, 3)", "voucher takes a table of fields; got 3 arguments: remove the extra ones"),
        Case("param(\"growth.retail\", 0.05, 0.01)", "param takes a key and a distribution or number; got 3 arguments"),
        Case("lever(\"household.firms_per_month\", \"many\")", "lever 'household.firms_per_month' needs a number as its value, got string"),
        Case("lever(\"household.firms_per_month\", -1)", "lever 'household.firms_per_month' value must be at least 0"),
        Case("lever(\"household.firms_per_month\", 2, \"July\")", "first month must be a month written \"YYYY-MM\""),
        Case("lever(\"household.firms_per_month\", 2, \"2026-01\")", "outside the simulated period 2024-01 to 2025-12"),
        Case("lever(\"household.firms_per_month\", 2, 7)", "the third argument is the first month"),
        Case("goal { id = \"g\", metric = \"va.hospitality.2025\", at_least = 45, at_most = 50 }", "exactly one of at_least or at_most"),
        Case("goal { id = \"retail_growth\", metric = \"va.retail.2025\", at_least = 1 }", "already a goal with id 'retail_growth'"),
        Case("\n\ngoal { id = \"g\", metric = \"va.hospitalty.2025\", at_least = 45 }", line: 3, "unknown metric 'va.hospitalty.2025'", "did you mean 'va.hospitality.2025'"),
        Case("metric(\"va.retail.2024\", function(m) return 1 end)", "already a metric named"),
        Case("metric(\"share, 2025\", function(m) return 1 end)", "name 'share, 2025' must be letters, digits"),
        Case("metric(\"\", function(m) return 1 end)", "name '' must be letters, digits"),
        Case("metric(\"growth.retail\", function(m) return 1 end)", "'growth.retail' is a parameter key of the per-run CSV"),
        Case("metric(\"run\", function(m) return 1 end)", "'run' is the run column of the per-run CSV"),
        Case("correlate(\"growth.retail\", \"base.retail\", 0.5)", "correlate: base.retail is fixed in this scenario; give it a distribution first (param)"),
        Case("correlate(\"growth.retail\", \"growth.catering\", 0.5)\nparam(\"growth.catering\", 0.07)", line: 2,
             "param: growth.catering is fixed here, but correlate (at test.lua:1) needs it uncertain; give it a distribution, or drop the correlation"),
        Case("on_month = 5", line: 0, "on_month must be a function, got integer; define it as function on_month(state) ... end"),
        Case("function onMonth(state) end", line: 0, "the function 'onMonth' is never called: the monthly hook must be named on_month"),
        Case("local it = string.gmatch(\"a b\", \"%a\")\nmetric(\"m\", function(m) return it() and 1 or 0 end)", line: 0,
             "keeps an iterator from load time (made by string.gmatch or pairs)"),
        Case("On_Month = function(state) end", line: 0, "the function 'On_Month' is never called"),
        Case("function on__month(state) end", line: 0, "the function 'on__month' is never called"),
        Case("function on_months(state) end", line: 0, "the function 'on_months' is never called: the monthly hook must be named on_month"),
        Case("function on_moth(state) end", line: 0, "the function 'on_moth' is never called"),
        Case("function on_month_hook(state) end", line: 0, "the function 'on_month_hook' is never called"),
        Case("\nlocal function on_month(state) error(\"x\") end", line: 2, "on_month is local here, so it is never called: the monthly hook must be a global function; write function on_month(state) without `local`"),
        Case("\n\n  local on_month = function(state) end", line: 3, "on_month is local here, so it is never called"),
        // Of several, the first by bytes, whatever the hash order of this Lua state.
        Case("function onMonth(s) end\nfunction On_month(s) end\nfunction ON_MONTH(s) end", line: 0, "the function 'ON_MONTH' is never called"),
        Case("local f = io.open(\"/etc/passwd\")", "'io.open' is not available in scenarios"),
        Case("os.execute(\"ls\")", "'os.execute' is not available in scenarios"),
        Case("dofile(\"x.lua\")", "'dofile' is not available in scenarios"),
        Case("load(string.dump(print))", "'string.dump' is not available in scenarios"),
        Case("scenario { name = \"x\", runs = 0 }", "field 'runs' must be between 1"),
        Case("scenario { name = \"x\" }\nscenario { name = \"y\" }", line: 2, "scenario{} is given twice in this file (first at test.lua:1)"),
        Case("error(\"my own message\")", "my own message"),
        Case("error({})", line: 0, "raised with a table value instead of a message", "pass a string"),
        Case("error(42)", line: 0, "raised with the number 42 instead of a message"),
    ]

    @Test(arguments: cases)
    func mistakeIsReportedWithFileAndLine(_ c: Case) throws {
        let message = try #require(loadError(c.script), "the scenario loaded without error")
        // Line 0: a mistake found after loading, with no line to point at.
        #expect(message.hasPrefix(c.line > 0 ? "test.lua:\(c.line):" : "test.lua: "), "message: \(message)")
        for fragment in c.expected {
            #expect(message.contains(fragment), "message: \(message)")
        }
        #expect(!message.contains("\n"), "one line: \(message)")
    }

    /// Helpers with names near on_month but no `state` parameter are no hooks;
    /// nor is an on_month made local in a comment or a long string, in any line ending.
    @Test func nearNamesAndCommentsAreNotHooks() {
        for script in [
            "function in_month(y, m) return 1 end\nfunction one_month() end\nfunction of_month(a, b) end",
            "--[[\nlocal function on_month(state) end\n]]",
            "--[==[ local on_month = 1 ]==]\nlocal s = [[\nlocal function on_month(state)\n]]",
            "local s = \"local on_month = 1\"",
            "local s = \"abc\\z\n   local on_month\"",
            "local on_month = { [\"2024-05\"] = 0.05 }",
            "function helper()\n  local function on_month(state) end\nend",
        ] {
            #expect(loadError(script) == nil, "\(script)")
        }
        for (script, line) in [("x = 1\r\nlocal function on_month(state) end\r\n", 2), ("local x = \"a\\z\n   b\"\nlocal on_month = function(state) end", 3),
                               ("s = [[ ]] local function on_month(state) end", 1), ("--[[ ]] local on_month = function(s) end", 1)] {
            let message = loadError(script)
            #expect(message?.hasPrefix("test.lua:\(line): on_month is local here") == true, "\(script): \(message ?? "loaded")")
        }
        // A near name of one parameter not named state may be a hook or a helper: a note, not an error.
        let engine = try? loadScenario("function on_months(s) end")
        #expect(engine?.loadNotes.contains { $0.contains("the function 'on_months' is never called each month; if it is meant as the monthly hook, name it on_month") } == true)
    }

    /// The hint about `end` comes only where `end` stands as a field name,
    /// not for other code cut short before an `end`.
    @Test func theEndHintIsForFieldsOnly() throws {
        for script in ["function on_month(state)\n  local budget =\nend", "local t = { a = 1, end_month = 2 }\nfunction f()\n  return t.a +\nend"] {
            let message = try #require(loadError(script))
            #expect(message.contains("unexpected symbol near 'end'") && !message.contains("Lua keyword"), "\(message)")
        }
        let field = try #require(loadError("tradein { category = 'auto', start = '2025-01',\n  end = '2025-06', units = 10, price = 150000 }"))
        #expect(field.hasPrefix("test.lua:2:") && field.contains("end is a Lua keyword"), "\(field)")
        let lineEnd = try #require(loadError("tradein { category = 'auto', start = '2025-01', end =\n  '2025-06', units = 10, price = 150000 }"))
        #expect(lineEnd.contains("end is a Lua keyword"), "\(lineEnd)")
    }

    @Test func validScenarioLoads() throws {
        let engine = try loadScenario("""
            scenario { name = "ok", description = "d", runs = 10, seed = 3 }
            param("growth.catering", pert(0.02, 0.07, 0.12))
            param("hotels.delist_rate", triangular(0.01, 0.03, 0.06))
            param("base.retail", 290)
            voucher { sector = "catering", start = "2024-05", budget = 0.1, kind = "cash" }
            tradein { category = "auto", start = "2024-04", ["end"] = "2024-12", units = 10, price = 100000 }
            lever("household.recruits_per_month", 200, "2024-07")
            goal { id = "hosp45", metric = "va.hospitality.2025", at_least = 45, label = "45亿元" }
            metric("hosp_share", function(m) return m["va.hospitality.2025"] / m["va.retail.2025"] end)
            """)
        let s = engine.scenario
        #expect(s.name == "ok")
        #expect(s.defaultRuns == 10 && s.defaultSeed == 3)
        #expect(s.parameters[.growthCatering] == .pert(low: 0.02, mode: 0.07, high: 0.12))
        #expect(s.parameters[.baseRetail] == .fixed(290))
        #expect(s.parameters.origins[ParameterID.baseRetail.rawValue] == "test.lua:4")
        #expect(s.schedule.vouchers == [Voucher(sector: .catering, start: 4, months: 1, budgetYi: 0.1, kind: .cash)])
        #expect(s.schedule.tradeIns.first?.end == 11)
        #expect(s.schedule.leverChanges == [LeverChange(lever: .householdRecruitsPerMonth, from: 6, value: 200)])
        #expect(s.goals.last?.id == "hosp45")
        #expect(s.customMetrics == ["hosp_share"])
    }

    @Test func errorInOnMonthNamesRunAndMonth() throws {
        let text = """
            function on_month(state)
              if state.month == "2024-07" then error("stop here") end
            end
            """
        #expect {
            _ = try runBatch(text, runs: 3, threads: 1)
        } throws: { error in
            let failure = error as? RunFailure
            return failure?.run == 0 && failure?.month == 6 && failure?.message.hasPrefix("test.lua:2:") == true
                && failure?.description.contains("run 0, month 2024-07") == true
        }
    }

    @Test func schedulingInThePastFromOnMonthIsAnError() throws {
        let text = """
            function on_month(state)
              voucher { sector = "catering", start = state.month, budget = 0.1 }
            end
            """
        #expect {
            _ = try runBatch(text, runs: 1, threads: 1)
        } throws: { error in
            (error as? RunFailure)?.message.contains("must start in 2024-02 or later") == true
        }
    }

    /// In on_month at the last month, every instrument may start at
    /// state.next_month (2026-01): it is checked and has no effect, so the
    /// batch equals one whose hook skips that month. Later months stay errors,
    /// as does 2026-01 while the scenario loads.
    @Test func instrumentsForTheMonthAfterThePeriodAreAcceptedInTheLastHook() throws {
        func scenario(_ guarded: Bool) -> String {
            """
            function on_month(state)
              if \(guarded ? "state.month < '2025-12' and " : "")state.t % 4 == 3 then
                local m = state.next_month
                voucher { sector = "catering", start = m, budget = 0.05 }
                tradein { category = "appliance", start = m, finish = m, units = 1000, price = 3000 }
                -- A programme running to the year's end, started "next month": in the last month, after it.
                tradein { category = "auto", start = m, finish = "2025-12", units = 10, price = 150000 }
                event { month = m, catering = 0.01, room_nights = 100 }
                project { name = "p" .. state.t, sector = "retail", count = 1, planned = m, uplift = 0.01 }
                hotel_project { rooms = 40, planned = m }
                lever("household.recruits_per_month", 150, m)
              end
            end
            """
        }
        let open = try runBatch(scenario(false), runs: 200)
        let guarded = try runBatch(scenario(true), runs: 200)
        for (a, b) in zip(open.metrics, guarded.metrics) { #expect(a.mean == b.mean && a.variance == b.variance && a.quantile(0.5) == b.quantile(0.5)) }
        #expect(open.goalTallies.map(\.successes) == guarded.goalTallies.map(\.successes))

        let later = "function on_month(state) if state.month == '2025-12' then voucher { sector = 'retail', start = '2026-02', budget = 1 } end end"
        #expect {
            _ = try runBatch(later, runs: 1, threads: 1)
        } throws: { error in
            (error as? RunFailure)?.message.contains("voucher: field 'start' is 2026-02, outside the simulated period") == true
        }
        #expect {
            _ = try loadScenario("voucher { sector = 'retail', start = '2026-01', budget = 1 }")
        } throws: { error in
            "\(error)".contains("outside the simulated period")
        }
    }

    /// A lever set from the hook with a month of its own must name a later month.
    @Test func leverForThePastFromOnMonthIsAnError() throws {
        let text = """
            function on_month(state)
              if state.month == "2024-03" then lever("household.recruits_per_month", 200, "2024-03") end
            end
            """
        #expect {
            _ = try runBatch(text, runs: 1, threads: 1)
        } throws: { error in
            let failure = error as? RunFailure
            return failure?.month == 2
                && failure?.message.contains("lever 'household.recruits_per_month' scheduled in on_month at 2024-03 must start in 2024-04 or later, got 2024-03") == true
        }
    }

    @Test func loadTimeFunctionsAreRefusedInOnMonth() throws {
        let text = "function on_month(state) param(\"growth.retail\", 0.1) end"
        #expect {
            _ = try runBatch(text, runs: 1, threads: 1)
        } throws: { error in
            (error as? RunFailure)?.message.contains("only be called while the scenario file loads") == true
        }
    }

    @Test func stateIsReadOnlyAndNamesItsFields() throws {
        for (script, fragment) in [
            ("function on_month(state) state.workers = 1 end", "state is read-only"),
            // Raw access cannot get round the view either: it is not a table.
            ("function on_month(state) local w = state.workers; rawset(state, \"workers\", 1) end", "table expected, got state"),
            ("function on_month(state) rawset(state.va, \"retail\", 1) end", "table expected, got state.va"),
            ("function on_month(state) setmetatable(state, {}) end", "table expected, got state"),
            // The placeholders of absent libraries cannot carry values from run to run either.
            ("function on_month(state) rawset(io, \"n\", 1) end", "table expected, got userdata"),
            ("function on_month(state) math.randomseed() end", "math.randomseed needs a seed in scenarios"),
            ("function on_month(state) local n = #state end", "state has no length"),
            ("function on_month(state) voucher(state) end", "voucher expects a table of fields, e.g. voucher { ... }, got state"),
            ("function on_month(state) local x = state.worker end", "state has no field 'worker' (did you mean 'workers'?)"),
            ("function on_month(state) local x = state.va.cater end", "state.va has no field 'cater' (did you mean 'catering'?)"),
            ("metric(\"m\", function(m) return m[\"va.hospitalty.2025\"] end)", "metrics has no field 'va.hospitalty.2025' (did you mean 'va.hospitality.2025'?)"),
            ("function on_month(state) local x = state.zzzzqqq end", "state has no field 'zzzzqqq'; fields are"),
            ("function on_month(state) local x = state.params[\"growth.x\"] end", "state.params has no field 'growth.x'"),
            ("metric(\"m\", function(m) return m.nothing end)", "metrics has no field 'nothing'"),
            ("metric(\"m\", function(m) return \"text\" end)", "must return a number, got string"),
            // The function's own line, and the run, as for a failing on_month.
            ("\nmetric(\"m\",\n  function(m) return nil end)", "test.lua:3: metric 'm' must return a number, got nil (run 0)"),
            ("metric(\"m\", function(m) error(\"no data\") end)", "test.lua:1: no data (run 0)"),
        ] {
            #expect {
                _ = try runBatch(script, runs: 1, threads: 1)
            } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }
}
