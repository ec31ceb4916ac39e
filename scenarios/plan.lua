-- The plan as written: 聊城市批发零售、住宿餐饮、居民服务业提质增效专项行动方案(2024-2025年).
--
-- Every instrument below is one of the plan's measures, with the sizes the
-- model specification (MODEL section 9) assigns to it. Amounts are in 亿元
-- (1亿元 = 100 million yuan); unit prices in yuan; months are "YYYY-MM".
-- Parameters keep the defaults that `liaosim params` lists with their sources.

scenario {
  name = "plan",
  description = "The 2024-2025 action plan as written: vouchers, trade-ins, events, projects, hotels",
  runs = 20000,
  seed = 20240101,
}

-- 三(一)四 推动大宗商品消费: the city's 家电以旧换新消费券, 1,000,000 yuan issued from
-- 2024-03 (Liaocheng Commerce Bureau, 2024-03-26).
voucher { sector = "retail", start = "2024-03", months = 3, budget = 0.01, kind = "threshold" }

-- 三(二)一是 培育壮大餐饮消费: counties are encouraged to issue catering vouchers; assumed
-- 0.05亿元 each in May and October of both years.
for _, month in ipairs({ "2024-05", "2024-10", "2025-05", "2025-10" }) do
  voucher { sector = "catering", start = month, months = 1, budget = 0.05, kind = "threshold" }
end

-- 三(一)四 汽车、家电以旧换新: the national trade-in programme, Liaocheng's share
-- taken as 0.42% of China's population (national 6.8 m cars and 62 m appliances
-- in 2024, about 11.5 m and 130 m in 2025, MOFCOM).
tradein { category = "auto", start = "2024-04", finish = "2024-12", units = 28500, price = 150000 }
tradein { category = "auto", start = "2025-01", finish = "2025-12", units = 48000, price = 150000 }
tradein { category = "appliance", start = "2024-08", finish = "2024-12", units = 260000, price = 3000 }
tradein { category = "appliance", start = "2025-01", finish = "2025-12", units = 540000, price = 3000 }

-- 三(二)一是 美食节等促消费活动: golden-week promotions (assumption).
event { month = "2024-10", catering = 0.08, room_nights = 3000 }
event { month = "2025-10", catering = 0.08, room_nights = 3000 }

-- Structural measures. Counts are the plan's; timings, effects and risks are
-- assumptions (uplift: 亿元 of VA per year per unit at full effect).
local projects = {
  -- 三(一)一是 一刻钟便民生活圈: 11 pilot circles in 2024
  { name = "convenience_circles", sector = "retail", count = 11, planned = "2024-06", delay_mean = 2, cancel = 0.05, uplift = 0.03, ramp = 6 },
  -- 三(一)六是 商品交易市场: 8 markets upgraded ...
  { name = "market_upgrades", sector = "retail", count = 8, planned = "2024-09", delay_mean = 3, cancel = 0.10, uplift = 0.08, ramp = 6 },
  -- ... and 7 new markets planned
  { name = "new_markets", sector = "retail", count = 7, planned = "2025-03", delay_mean = 6, cancel = 0.25, uplift = 0.15, ramp = 12 },
  -- 三(一)五是 电商: 10 live-streaming, supply-chain and industry-belt e-commerce bases
  { name = "ecommerce_bases", sector = "retail", count = 10, planned = "2025-01", delay_mean = 3, cancel = 0.15, uplift = 0.05, ramp = 6 },
  -- 三(一)五是 跨境电商: 10 cross-border e-commerce industrial parks ...
  { name = "crossborder_parks", sector = "retail", count = 10, planned = "2025-06", delay_mean = 4, cancel = 0.20, uplift = 0.04, ramp = 12 },
  -- ... and 10 public overseas warehouses by 2025
  { name = "overseas_warehouses", sector = "retail", count = 10, planned = "2025-06", delay_mean = 4, cancel = 0.20, uplift = 0.02, ramp = 12 },
  -- 三(二)一是 打造特色美食街区: food streets
  { name = "food_streets", sector = "catering", count = 5, planned = "2024-10", delay_mean = 2, cancel = 0.10, uplift = 0.10, ramp = 6 },
  -- 三(三)三是 惠循环以旧换新社区服务站: 10 trade-in service stations
  { name = "tradein_service_stations", sector = "services", count = 10, planned = "2024-10", delay_mean = 2, cancel = 0.05, uplift = 0.01, ramp = 6 },
}
for _, p in ipairs(projects) do
  p.sigma = 0.8
  project(p)
end

-- 三(二)三是 打造“乐宿聊城”品牌 (new and upgraded high-quality hotels): six new
-- hotels of three stars or more opened in 2024 ...
for _, month in ipairs({ "2024-02", "2024-04", "2024-06", "2024-08", "2024-09", "2024-10" }) do
  hotel_project { rooms = 150, planned = month, delay_mean = 2, cancel = 0.10 }
end
-- ... and four more assumed for 2025.
for _, month in ipairs({ "2025-03", "2025-06", "2025-09", "2025-11" }) do
  hotel_project { rooms = 180, planned = month, delay_mean = 3, cancel = 0.15 }
end

-- 三(三)一是/二是 家政服务: training and registration on the MOFCOM credit platform
-- (target: 30 firms, over 4,000 authorised workers by end 2025) keep the
-- defaults (130 recruits and 0.75 new firms a month); see `liaosim params`.
