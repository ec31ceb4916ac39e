-- Question: what catering voucher budget per round gives even odds of the
-- 50亿元 hospitality target in 2025?
--
-- Shows: a named input that the command line sets, sweeps and solves for:
--   liaosim run scenarios/catering_budget.lua --set catering_budget=5
--   liaosim sweep scenarios/catering_budget.lua --vary catering_budget=0:20:4
--   liaosim solve scenarios/catering_budget.lua --vary catering_budget=0:40 \
--     --goal hospitality_level --probability 0.5

require("plan")

scenario {
  name = "catering_budget",
  description = "Plan + extra catering vouchers of `catering_budget` 亿元 in each voucher month",
}

-- 亿元 per round, on top of the plan's own 0.05; four rounds in May and October.
local budget = input("catering_budget", 0.5)

for _, month in ipairs({ "2024-05", "2024-10", "2025-05", "2025-10" }) do
  voucher { sector = "catering", start = month, months = 1, budget = budget }
end
