-- Question: how robust are the plan's odds if consumer demand is weaker than
-- the defaults assume: slower growth, less voucher leverage, a rougher economy?
--
-- Shows: replacing parameter distributions with pert, triangular, lognormal
-- and fixed values. `liaosim params scenarios/weak_demand.lua` shows every
-- change with this file's line next to the default and its source.

require("plan")

scenario {
  name = "weak_demand",
  description = "Plan under weaker demand assumptions",
}

-- Real growth: most likely 3.5% for retail and 4% for catering, with long
-- downside tails (PERT and triangular take minimum, most likely, maximum).
param("growth.retail", pert(0.00, 0.035, 0.06))
param("growth.catering", triangular(-0.02, 0.04, 0.09))
param("growth.services", pert(0.02, 0.05, 0.08))

-- Threshold coupons lever less spending than the studies found.
param("voucher.leverage", lognormal(1.8, 0.5))

-- A rougher economy: larger common shocks.
param("shock.sd", 0.03)
