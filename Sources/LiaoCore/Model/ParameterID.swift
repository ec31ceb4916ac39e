/// Every model parameter, in a fixed order; a run's values live in an array
/// indexed by `rawValue`. The string keys (`ParameterCatalog`) are what
/// scenarios use.
public enum ParameterID: Int, CaseIterable, Sendable {
    case baseRetail, baseHospitality, baseServices, baseAccommodationShare
    case growthRetail, growthCatering, growthAccommodation, growthServices
    case inflationRetail, inflationCatering, inflationAccommodation, inflationServices
    case shockRho, shockSD
    case loadingRetail, loadingCatering, loadingAccommodation, loadingServices
    case noiseRetail, noiseCatering, noiseAccommodation, noiseServices
    case vaRatioCatering, vaRatioAccommodation, vaRatioServices, retailMargin
    case voucherLeverage, voucherLeverageCash, voucherRedemption, voucherPullforward, voucherPaybackMonths
    case tradeInInframarginal, tradeInPullforward, tradeInPaybackStart, tradeInPaybackMonths
    case eventMultiplier
    case hotelsStarCount0, hotelsRoomsPerHotel, hotelsStarShare, hotelsOccupancy0, hotelsOccupancyMax
    case hotelsInducedDemand, hotelsDelistRate, hotelsUpgradesPerYear
    case householdWorkers0, householdFirms0, householdRecruitsPerMonth, householdAttrition
    case householdFirmsPerMonth, householdRevenuePerWorkerMonth, householdAdditionality

    public static let count = allCases.count

    /// Annual real growth of a sector's baseline.
    public static func growth(_ s: Sector) -> ParameterID {
        [.growthRetail, .growthCatering, .growthAccommodation, .growthServices][s.rawValue]
    }
    /// Annual price inflation of a sector.
    public static func inflation(_ s: Sector) -> ParameterID {
        [.inflationRetail, .inflationCatering, .inflationAccommodation, .inflationServices][s.rawValue]
    }
    /// Loading of a sector on the common demand shock.
    public static func loading(_ s: Sector) -> ParameterID {
        [.loadingRetail, .loadingCatering, .loadingAccommodation, .loadingServices][s.rawValue]
    }
    /// Standard deviation of a sector's own monthly noise.
    public static func noise(_ s: Sector) -> ParameterID {
        [.noiseRetail, .noiseCatering, .noiseAccommodation, .noiseServices][s.rawValue]
    }
}
