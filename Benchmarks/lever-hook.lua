-- Benchmark scenario: the plan as written plus an on_month hook that sets the
-- recruitment lever from the state every month (the kind of rule analysts
-- write: recruit harder while the hotels are busy). Each month's Poisson mean
-- is new, and every month makes an API call. Loaded by liaosim-bench like
-- hook.lua.

require("plan")

scenario { name = "bench_lever", description = "Plan + a per-month hook setting a lever from the state" }

function on_month(state)
  lever("household.recruits_per_month", 100 + 100 * state.occupancy)
end
