-- Question: would four times the catering vouchers (0.2亿元 a round instead of
-- 0.05) and two more golden-week promotions put the 50亿元 hospitality target
-- within reach, and how far short does it still fall?
--
-- Shows: reusing the plan with require, adding instruments, a goal of the
-- analyst's own and a metric computed at the end of each run.

require("plan")   -- every measure of scenarios/plan.lua

scenario {
  name = "catering_push",
  description = "Plan + 4x catering vouchers + two extra promotion events",
}

-- Three more rounds of 0.15亿元 on top of the plan's 0.05 in each voucher month.
for _, month in ipairs({ "2024-05", "2024-10", "2025-05", "2025-10" }) do
  voucher { sector = "catering", start = month, months = 1, budget = 0.15 }
end

-- Spring-festival promotions in both years.
event { month = "2024-02", catering = 0.08, room_nights = 2000 }
event { month = "2025-01", catering = 0.08, room_nights = 2000 }

-- A less ambitious level the bureau could defend.
goal { id = "hospitality_45", metric = "va.hospitality.2025", at_least = 45,
       label = "Accommodation & catering VA of 45亿元 in 2025" }

-- How much of the distance to 50亿元 is left (亿元; negative once reached).
metric("hospitality.gap_to_50", function(m) return 50 - m["va.hospitality.2025"] end)
