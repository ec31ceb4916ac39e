-- Benchmark scenario: the plan as written plus an on_month hook that reads
-- five state fields every month and now and then schedules a catering
-- voucher for the next month. Loaded by liaosim-bench with the repository's
-- scenarios/ folder as its module folder, so require("plan") finds plan.lua.

require("plan")

scenario { name = "bench_hook", description = "Plan + a per-month hook reading five state fields" }

function on_month(state)
  local month = state.month
  local ytd = state.ytd.hospitality
  local occupancy = state.occupancy
  local workers = state.workers
  local catering = state.va.catering
  -- Late in the year, hotels not full, the household platform growing and
  -- catering below a tenth of the year's hospitality so far: top up catering.
  if month < "2025-12" and occupancy < 0.6 and workers > 1500 and catering < 0.1 * ytd then
    voucher { sector = "catering", start = state.next_month, budget = 0.02 }
  end
end
