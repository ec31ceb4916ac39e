-- Question: if the city issued an extra 0.1亿元 of catering vouchers in every
-- month where year-to-date hospitality VA lags the straight path to 50亿元 in
-- 2025, how much would it spend, and how much would the odds improve?
--
-- Shows: the per-month hook on_month(state) reading live state and
-- scheduling instruments for the next month, a per-run counter, and metrics.

require("plan")

scenario {
  name = "adaptive_vouchers",
  description = "Plan + 0.1亿元 catering vouchers whenever hospitality lags the path to 50亿元",
}

local extra_budget = 0.1                 -- 亿元 per triggered month
local target_2025 = 50                   -- 亿元, the plan's level goal
local base_2023 = 34.72                  -- 亿元, base.hospitality

-- Globals written here start afresh in every run.
function on_month(state)
  if state.t == 0 then spent = 0 end
  -- The straight path: 2024 at the geometric midpoint, 2025 at the target.
  local annual = state.year == 2024 and math.sqrt(base_2023 * target_2025) or target_2025
  local path_so_far = annual * (state.t % 12 + 1) / 12
  if state.ytd.hospitality < path_so_far and state.month ~= "2025-12" then
    voucher { sector = "catering", start = state.next_month, budget = extra_budget }
    spent = spent + extra_budget
  end
end

metric("vouchers.extra_budget", function(m) return spent end)
