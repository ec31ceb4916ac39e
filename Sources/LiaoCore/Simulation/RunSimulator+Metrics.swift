import Foundation

/// Annual metrics of MODEL §8 from a run's monthly series.
extension RunSimulator {
    func computeMetrics(p: [Double], record: inout RunRecord) {
        let months = SimCalendar.months
        typealias Group = MetricCatalog.ValueGroup
        var nominal = [[Double]](repeating: [0, 0], count: Group.allCases.count)
        var real = nominal
        for s in Sector.allCases {
            let inflation = 1 + p[ParameterID.inflation(s).rawValue]
            for t in 0..<months {
                let va = record.monthlyValueAdded[s.rawValue * months + t]
                let year = t / 12
                // Sector s maps onto the value group of the same index.
                nominal[s.rawValue + (s.rawValue >= Group.hospitality.rawValue ? 1 : 0)][year] += va
                real[s.rawValue + (s.rawValue >= Group.hospitality.rawValue ? 1 : 0)][year] +=
                    va / pow(inflation, SimCalendar.yearsSinceBase(t))
            }
        }
        for year in 0..<2 {
            nominal[Group.hospitality.rawValue][year] = nominal[Group.catering.rawValue][year] + nominal[Group.accommodation.rawValue][year]
            real[Group.hospitality.rawValue][year] = real[Group.catering.rawValue][year] + real[Group.accommodation.rawValue][year]
        }
        for g in Group.allCases {
            for year in 0..<2 {
                record.metrics[MetricCatalog.nominal(g, year: year)] = nominal[g.rawValue][year]
                record.metrics[MetricCatalog.real(g, year: year)] = real[g.rawValue][year]
            }
        }
        for g in MetricCatalog.GrowthGroup.allCases {
            let base = p[g.baseParameter.rawValue]
            let real2024 = real[g.valueGroup.rawValue][0]
            let real2025 = real[g.valueGroup.rawValue][1]
            record.metrics[MetricCatalog.growth(g, period: 0)] = real2024 / base - 1
            record.metrics[MetricCatalog.growth(g, period: 1)] = real2025 / real2024 - 1
            record.metrics[MetricCatalog.growth(g, period: 2)] = (real2025 / base).squareRoot() - 1
        }
        let last = months - 1
        record.metrics[MetricCatalog.starCount] = record.monthlyStarHotels[last]
        record.metrics[MetricCatalog.rooms] = record.monthlyStarRooms[last]
        var occupancy = 0.0
        for t in 12..<months { occupancy += record.monthlyOccupancy[t] }
        record.metrics[MetricCatalog.occupancy2025] = occupancy / 12
        record.metrics[MetricCatalog.workers] = record.monthlyWorkers[last]
        record.metrics[MetricCatalog.firms] = record.monthlyFirms[last]
    }
}
