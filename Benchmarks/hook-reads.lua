-- Benchmark scenario: hook.lua without its voucher: the same state reads and
-- tests every month, so that `Benchmarks/instructions hook-reads` against
-- hook-empty and hook gives the cost of the reads and of the voucher calls.

require("plan")

scenario { name = "bench_hook_reads", description = "Plan + hook.lua's state reads, no voucher" }

function on_month(state)
  local month = state.month
  local ytd = state.ytd.hospitality
  local occupancy = state.occupancy
  local workers = state.workers
  local catering = state.va.catering
  -- hook.lua's condition; next_month is read where hook.lua schedules its voucher.
  if month < "2025-12" and occupancy < 0.6 and workers > 1500 and catering < 0.1 * ytd then
    local _ = state.next_month
  end
end
