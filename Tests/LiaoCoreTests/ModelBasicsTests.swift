import LiaoCore
import Testing

/// Calendar, parameter catalogue and distributions: the definitions every run relies on.
@Suite struct ModelBasicsTests {
    @Test func calendarParsesAndPrintsMonths() {
        #expect(SimCalendar.index(of: "2024-01") == 0)
        #expect(SimCalendar.index(of: "2025-12") == 23)
        #expect(SimCalendar.index(of: "2026-03") == 26)
        for bad in ["2024-00", "2024-13", "2024-5", "24-05", "2024/05", "2024-05 ", "", "२०२४-05"] {
            #expect(SimCalendar.index(of: bad) == nil, "\(bad)")
        }
        #expect((0..<24).allSatisfy { SimCalendar.index(of: SimCalendar.label($0)) == $0 })
        #expect(SimCalendar.days(1) == 29 && SimCalendar.days(13) == 28)
        #expect(abs(SimCalendar.yearsSinceBase(0) - 6.5 / 12) < 1e-15)
    }

    @Test func catalogueIsInIdentifierOrderWithUniqueKeys() {
        #expect(ParameterCatalog.all.count == ParameterID.count)
        for (i, spec) in ParameterCatalog.all.enumerated() {
            #expect(spec.id.rawValue == i, "\(spec.key)")
            #expect(ParameterCatalog.id(forKey: spec.key) == spec.id)
            #expect(!spec.source.isEmpty && !spec.unit.isEmpty)
            #expect(ParameterSet.problem(spec.id, spec.distribution) == nil, "default of \(spec.key)")
        }
        #expect(Set(ParameterCatalog.keys).count == ParameterID.count)
    }

    @Test func centralValuesFollowTheSpecification() {
        #expect(Distribution.normal(mean: 0.05, sd: 0.015).centralValue == 0.05)
        #expect(Distribution.lognormal(median: 2.7, sigma: 0.44).centralValue == 2.7)
        #expect(Distribution.beta(a: 14, b: 6).centralValue == 0.7)
        #expect(Distribution.uniform(low: 0.35, high: 0.5).centralValue == 0.425)
        #expect(Distribution.pert(low: 0, mode: 0.3, high: 1).centralValue == 0.3)
    }

    @Test func parameterDomainsAreEnforced() {
        #expect(ParameterSet.problem(.voucherRedemption, .normal(mean: 0.7, sd: 0.1)) != nil)
        #expect(ParameterSet.problem(.voucherRedemption, .beta(a: 2, b: 2)) == nil)
        #expect(ParameterSet.problem(.hotelsStarCount0, .fixed(30.5)) != nil)
        #expect(ParameterSet.problem(.hotelsStarCount0, .uniform(low: 20, high: 30)) != nil)
        #expect(ParameterSet.problem(.baseRetail, .fixed(-1)) != nil)
        #expect(ParameterSet.problem(.growthRetail, .normal(mean: 0.05, sd: 0.02)) == nil)
        #expect(Suggest.nearest("growth.cateing", among: ParameterCatalog.keys) == "growth.catering")
        #expect(Suggest.nearest("zzz", among: ParameterCatalog.keys) == nil)
    }
}
