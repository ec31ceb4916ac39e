import Foundation

/// Annual metrics of MODEL §8 from a run's monthly series.
extension RunSimulator {
    func computeMetrics(p: [Double], record: inout RunRecord) {
        let months = SimCalendar.months
        typealias Group = MetricCatalog.ValueGroup
        // Annual sums by sector, 2024 then 2025; real VA divides by the
        // month's price level P_s(t) = (1 + π_s)^τ(t) used in the simulation.
        var nominal2024 = SIMD4<Double>(), nominal2025 = SIMD4<Double>()
        var real2024 = SIMD4<Double>(), real2025 = SIMD4<Double>()
        for s in 0..<Sector.count {
            var nominal = (0.0, 0.0)
            var real = (0.0, 0.0)
            // Unchecked reads: both series are sector · 24 + month (see `RunRecord`).
            for t in 0..<12 {
                let va = record.monthlyValueAdded[unchecked: s &* months &+ t]
                nominal.0 += va
                real.0 += va / record.priceLevel[unchecked: s &* months &+ t]
            }
            for t in 12..<months {
                let va = record.monthlyValueAdded[unchecked: s &* months &+ t]
                nominal.1 += va
                real.1 += va / record.priceLevel[unchecked: s &* months &+ t]
            }
            nominal2024[s] = nominal.0
            nominal2025[s] = nominal.1
            real2024[s] = real.0
            real2025[s] = real.1
        }
        let catering = Sector.catering.rawValue, accommodation = Sector.accommodation.rawValue
        // Value groups: the sectors in order with hospitality (catering + accommodation) before services.
        func group(_ g: Group, _ bySector: SIMD4<Double>) -> Double {
            switch g {
            case .retail: bySector[Sector.retail.rawValue]
            case .catering: bySector[catering]
            case .accommodation: bySector[accommodation]
            case .hospitality: bySector[catering] + bySector[accommodation]
            case .services: bySector[Sector.services.rawValue]
            }
        }
        for raw in 0..<5 {
            let g = Group(rawValue: raw)!
            record.metrics[MetricCatalog.nominal(g, year: 0)] = group(g, nominal2024)
            record.metrics[MetricCatalog.nominal(g, year: 1)] = group(g, nominal2025)
            record.metrics[MetricCatalog.real(g, year: 0)] = group(g, real2024)
            record.metrics[MetricCatalog.real(g, year: 1)] = group(g, real2025)
        }
        for raw in 0..<3 {
            let g = MetricCatalog.GrowthGroup(rawValue: raw)!
            let base = p[g.baseParameter.rawValue]
            let real2024 = group(g.valueGroup, real2024)
            let real2025 = group(g.valueGroup, real2025)
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
