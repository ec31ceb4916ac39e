-- Benchmark scenario: the plan with an on_month that does nothing, so that
-- `Benchmarks/instructions hook-empty` gives the cost of calling a hook at
-- all (the protected call, its time guard, the Swift hand-off).

require("plan")

scenario { name = "bench_hook_empty", description = "Plan + an empty per-month hook" }

function on_month(state) end
