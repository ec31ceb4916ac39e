-- Question: how many household-service recruits a month, from mid-2024, make
-- the platform target (4,000 authorised workers in 30 firms by end 2025) likely?
--
-- Shows: policy levers changed from a given month on, and parameter changes.
-- Try other values with `liaosim compare scenarios/plan.lua scenarios/household_drive.lua`.

require("plan")

scenario {
  name = "household_drive",
  description = "Plan + 160 household-service recruits and 1 new firm a month from 2024-07",
}

-- 三(三)一是/二是: more training places and firm registration drives from July 2024.
lever("household.recruits_per_month", 160, "2024-07")
lever("household.firms_per_month", 1.0, "2024-07")

-- Attrition is uncertain rather than a fixed 1% a month.
param("household.attrition", triangular(0.005, 0.01, 0.02))

goal { id = "workers_4000", metric = "household.workers", at_least = 4000,
       label = "4,000 authorised workers (whatever the firms)" }
