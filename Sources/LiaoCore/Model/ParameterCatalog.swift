/// What a parameter is: its key, default distribution, unit, provenance and
/// the values it may take.
public struct ParameterSpec: Sendable {
    public let id: ParameterID
    /// The key scenarios and `liaosim params` use, e.g. `growth.catering`.
    public let key: String
    public let distribution: Distribution
    public let unit: String
    /// Where the default comes from (a named source, or "assumption").
    public let source: String
    /// Closed range of admissible values; a replacement distribution's support must lie inside.
    public let domain: ClosedRange<Double>
    /// A whole-number count (of months, hotels, workers or firms): may only be fixed, to a whole number.
    public let isWholeCount: Bool
    /// A policy lever: scenarios may also change it during a run with `lever`.
    public let isLever: Bool
}

/// The model's parameters with their defaults and sources (MODEL §2).
public enum ParameterCatalog {
    private static let positive = 0.0...Double.infinity
    private static let unitInterval = 0.0...1.0
    /// Months of a payback: up to 50 years, far past the simulated two (a
    /// bound keeps every month index a run computes in range).
    private static let paybackMonths = 0.0...600.0
    private static let realLine = -Double.infinity...Double.infinity

    private static func p(
        _ id: ParameterID, _ key: String, _ d: Distribution, _ unit: String, _ source: String,
        domain: ClosedRange<Double>, whole: Bool = false, lever: Bool = false
    ) -> ParameterSpec {
        ParameterSpec(id: id, key: key, distribution: d, unit: unit, source: source, domain: domain, isWholeCount: whole, isLever: lever)
    }

    private static let sharedShockNote = "assumption"

    /// Every parameter, indexed by `ParameterID.rawValue`.
    public static let all: [ParameterSpec] = [
        p(.baseRetail, "base.retail", .fixed(287.0), "亿元 (2023 VA)",
          "assumption: national share of wholesale & retail in GDP 2023 (9.8%) × Liaocheng GDP 2023 (≈2,928 = services VA 1,429 ÷ 48.8%, Liaocheng NDRC, 2024-02-28)", domain: positive),
        p(.baseHospitality, "base.hospitality", .fixed(34.72), "亿元 (2023 VA)", "implied by the plan: 50 ÷ 1.2²", domain: positive),
        p(.baseServices, "base.services", .fixed(50.97), "亿元 (2023 VA)", "implied by the plan: 60 ÷ 1.085²", domain: positive),
        p(.baseAccommodationShare, "base.accommodation_share", .fixed(0.18), "share", "assumption: accommodation's share of hospitality VA", domain: unitInterval),
        p(.growthRetail, "growth.retail", .normal(mean: 0.050, sd: 0.015), "per year (real)",
          "national W&R real VA growth 2024 ≈ 5.5%; retail sales 2024 +3.5% (NBS)", domain: realLine),
        p(.growthCatering, "growth.catering", .normal(mean: 0.070, sd: 0.030), "per year (real)",
          "national catering revenue 2024 +5.3%, 2015–19 ≈ 9–11%; city-level spread wider", domain: realLine),
        p(.growthAccommodation, "growth.accommodation", .normal(mean: 0.050, sd: 0.030), "per year (real)", "assumption", domain: realLine),
        p(.growthServices, "growth.services", .normal(mean: 0.060, sd: 0.020), "per year (real)", "assumption", domain: realLine),
        p(.inflationRetail, "inflation.retail", .normal(mean: 0.000, sd: 0.010), "per year", "China CPI 2024 +0.2%", domain: realLine),
        p(.inflationCatering, "inflation.catering", .normal(mean: 0.010, sd: 0.010), "per year", "assumption", domain: realLine),
        p(.inflationAccommodation, "inflation.accommodation", .normal(mean: 0.000, sd: 0.015), "per year", "assumption", domain: realLine),
        p(.inflationServices, "inflation.services", .normal(mean: 0.015, sd: 0.010), "per year", "assumption", domain: realLine),
        p(.shockRho, "shock.rho", .fixed(0.8), "per month (AR(1) persistence)", "assumption", domain: -1...1),
        p(.shockSD, "shock.sd", .fixed(0.02), "log points", "assumption (gives ≈1.5–2 pp annual spread, as city-level data suggest)", domain: positive),
        p(.loadingRetail, "shock.loading.retail", .fixed(1.0), "loading", "assumption", domain: realLine),
        p(.loadingCatering, "shock.loading.catering", .fixed(1.2), "loading", "assumption", domain: realLine),
        p(.loadingAccommodation, "shock.loading.accommodation", .fixed(1.5), "loading", "assumption", domain: realLine),
        p(.loadingServices, "shock.loading.services", .fixed(0.8), "loading", "assumption", domain: realLine),
        p(.noiseRetail, "noise.retail", .fixed(0.02), "log points per month", "assumption", domain: positive),
        p(.noiseCatering, "noise.catering", .fixed(0.03), "log points per month", "assumption", domain: positive),
        p(.noiseAccommodation, "noise.accommodation", .fixed(0.05), "log points per month", "assumption", domain: positive),
        p(.noiseServices, "noise.services", .fixed(0.02), "log points per month", "assumption", domain: positive),
        p(.vaRatioCatering, "va_ratio.catering", .uniform(low: 0.35, high: 0.50), "VA ÷ spending",
          "NBS: A&C VA ÷ catering revenue ≈ 0.40 (2023 Q1–Q3); IO tables 0.43–0.53", domain: unitInterval),
        p(.vaRatioAccommodation, "va_ratio.accommodation", .uniform(low: 0.35, high: 0.50), "VA ÷ spending",
          "NBS: A&C VA ÷ catering revenue ≈ 0.40 (2023 Q1–Q3); IO tables 0.43–0.53", domain: unitInterval),
        p(.vaRatioServices, "va_ratio.services", .uniform(low: 0.45, high: 0.55), "VA ÷ spending", "IO tables 1997–2007: 0.46–0.49", domain: unitInterval),
        p(.retailMargin, "retail.margin", .uniform(low: 0.10, high: 0.20), "margin ÷ sales",
          "assumption; retail VA ratio = 0.5 × margin (IO tables count trade margins, not sales)", domain: unitInterval),
        p(.voucherLeverage, "voucher.leverage", .lognormal(median: 2.7, sigma: 0.44), "spending ÷ redeemed value",
          "threshold coupons: 3.0 (Xing et al., AEJ:Macro 2023), 3.1–3.3 (Ding et al., AER:Insights), 3.4 (Chen et al. 2025), 3.4–5.8 (Liu et al. 2020)", domain: positive),
        p(.voucherLeverageCash, "voucher.leverage_cash", .lognormal(median: 0.3, sigma: 0.7), "spending ÷ redeemed value",
          "cash-like vouchers: MPC 0.1–0.3 (Hsieh et al. 2010, Japan), ≈0.25 (Kan et al. 2017, Taiwan)", domain: positive),
        p(.voucherRedemption, "voucher.redemption", .beta(a: 14, b: 6), "share redeemed", "70.2% (Guanghua–Ant Group, Hangzhou 2020)", domain: unitInterval),
        p(.voucherPullforward, "voucher.pullforward", .beta(a: 2, b: 4), "share paid back",
          "0 (Ding et al.; Liu et al.) to pull-forward of 4 months (Xing et al.)", domain: unitInterval),
        p(.voucherPaybackMonths, "voucher.payback_months", .fixed(3), "months", "assumption", domain: paybackMonths, whole: true),
        p(.tradeInInframarginal, "tradein.inframarginal", .beta(a: 9, b: 6), "share of subsidised sales",
          "≈60% inframarginal (Hoekstra, Puller & West 2015)", domain: unitInterval),
        p(.tradeInPullforward, "tradein.pullforward", .beta(a: 7, b: 1.25), "share paid back",
          "almost all pulled forward within 7–10 months (Mian & Sufi, QJE 2012)", domain: unitInterval),
        p(.tradeInPaybackStart, "tradein.payback_start", .fixed(6), "months after the last month", "months after the programme's last month (Mian & Sufi)", domain: paybackMonths, whole: true),
        p(.tradeInPaybackMonths, "tradein.payback_months", .fixed(5), "months", "Mian & Sufi, QJE 2012", domain: paybackMonths, whole: true),
        p(.eventMultiplier, "event.multiplier", .lognormal(median: 1.0, sigma: 0.5), "multiplier", "assumption; one draw per run, shared by all events", domain: positive),
        p(.hotelsStarCount0, "hotels.star_count0", .fixed(25), "hotels (end 2023)",
          "assumption: 31 in 2014, 20 planned for 2022; +6 three-star-or-above added in 2024 (Liaocheng Culture & Tourism Bureau, 2025-02-24)", domain: 1...Double.infinity, whole: true),
        p(.hotelsRoomsPerHotel, "hotels.rooms_per_hotel", .fixed(150), "rooms", "national star hotels 134–201 rooms each (MCT 2014–2023)", domain: 1...Double.infinity),
        p(.hotelsStarShare, "hotels.star_share", .fixed(0.30), "share", "assumption: star hotels' share of accommodation VA in 2023", domain: unitInterval),
        p(.hotelsOccupancy0, "hotels.occupancy0", .beta(a: 54, b: 44), "share of room-nights",
          "Shandong star hotels ≈ 56% (MCT quarterly report); national 53–61% in normal years", domain: unitInterval),
        p(.hotelsOccupancyMax, "hotels.occupancy_max", .fixed(0.92), "share of room-nights", "assumption", domain: unitInterval),
        p(.hotelsInducedDemand, "hotels.induced_demand", .beta(a: 2.5, b: 2.5), "elasticity",
          "assumption: 0 = new rooms only dilute occupancy, 1 = new rooms bring their own guests", domain: unitInterval),
        p(.hotelsDelistRate, "hotels.delist_rate", .uniform(low: 0.01, high: 0.06), "per year",
          "national star-hotel count fell from ≈10,000 (2018) to ≈6,300 (2023)", domain: unitInterval),
        p(.hotelsUpgradesPerYear, "hotels.upgrades_per_year", .fixed(1.0), "hotels per year (Poisson rate)",
          "assumption: existing hotels newly rated each year (Poisson rate)", domain: positive, lever: true),
        p(.householdWorkers0, "household.workers0", .fixed(1500), "workers (end 2023)",
          "assumption: workers authorised on the MOFCOM household-service credit platform, end 2023", domain: positive, whole: true),
        p(.householdFirms0, "household.firms0", .fixed(12), "firms (end 2023)", "assumption: registered firms, end 2023", domain: positive, whole: true),
        p(.householdRecruitsPerMonth, "household.recruits_per_month", .fixed(130), "workers per month (Poisson mean)", "assumption (policy lever)", domain: positive, lever: true),
        p(.householdAttrition, "household.attrition", .fixed(0.01), "per month", "assumption", domain: unitInterval),
        p(.householdFirmsPerMonth, "household.firms_per_month", .fixed(0.75), "firms per month (Poisson mean)", "assumption (policy lever)", domain: positive, lever: true),
        p(.householdRevenuePerWorkerMonth, "household.revenue_per_worker_month", .fixed(5000), "yuan per worker-month", "assumption", domain: positive),
        p(.householdAdditionality, "household.additionality", .beta(a: 3, b: 7), "share",
          "assumption: share of newly authorised workers who are new supply", domain: unitInterval),
    ]

    private static let byKey: [String: ParameterID] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0.id) })

    /// The spec of a parameter.
    public static func spec(_ id: ParameterID) -> ParameterSpec { all[id.rawValue] }

    /// Looks a parameter up by its scenario key.
    public static func id(forKey key: String) -> ParameterID? { byKey[key] }

    /// Every key, in catalogue order.
    public static var keys: [String] { all.map(\.key) }
}
