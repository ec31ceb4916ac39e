import LiaoCore
import Testing

/// Values far outside anything plausible get a note naming the likely slip
/// of unit; the plan's own values and bold but sane assumptions get none.
@Suite struct PlausibilityTests {
    @Test func unitSlipsAreNotedAndSaneValuesAreNot() throws {
        let catering = try #require(ParameterCatalog.id(forKey: "growth.catering"))
        let note = try #require(Plausibility.parameter(catering, .normal(mean: 7, sd: 3)))
        #expect(note.contains("param 'growth.catering': the median is 7 per year (real)") && note.contains("0.07 is 7%"), "\(note)")
        #expect(Plausibility.parameter(catering, .normal(mean: 0.25, sd: 0.1)) == nil)  // bold, not a slip
        let base = try #require(ParameterCatalog.id(forKey: "base.retail"))
        #expect(Plausibility.parameter(base, .fixed(287_000)) != nil)
        #expect(Plausibility.parameter(base, .fixed(350)) == nil)

        let voucher = Voucher(sector: .catering, start: 16, months: 1, budgetYi: 30_000_000)
        #expect(Plausibility.voucher(voucher)?.contains("budgets are in 亿元") == true)
        #expect(Plausibility.voucher(Voucher(sector: .catering, start: 16, months: 1, budgetYi: 2)) == nil)
        // A window past 2025-12 (month 23): its months after it count for nothing.
        #expect(Plausibility.voucherPastPeriod(Voucher(sector: .catering, start: 22, months: 6, budgetYi: 0.1))?
            .hasPrefix("voucher: 4 of its 6 months fall after 2025-12") == true)
        #expect(Plausibility.voucherPastPeriod(Voucher(sector: .catering, start: 18, months: 6, budgetYi: 0.1)) == nil)
        let tradeIn = TradeIn(category: "auto", start: 12, end: 17, units: 100, priceYuan: 15)
        #expect(Plausibility.tradeIn(tradeIn)?.contains("yuan per unit") == true)
        #expect(Plausibility.lever(.householdRecruitsPerMonth, value: 1e15) != nil)
        #expect(Plausibility.lever(.householdRecruitsPerMonth, value: 400) == nil)
        let goal = Goal(id: "g6", label: "", test: .conditions([.init(metric: "growth.retail.cagr", .atLeast, 6)]))
        #expect(Plausibility.goal(goal)?.contains("a growth of 600%") == true)
        for planGoal in Goal.planGoals { #expect(Plausibility.goal(planGoal) == nil) }
        // A scenario's own metric named growth.… may be a ratio: no note.
        let ratio = Goal(id: "r", label: "", test: .conditions([.init(metric: "growth.hospitality.ratio", .atLeast, 1.44)]))
        #expect(Plausibility.goal(ratio) == nil)
        for spec in ParameterCatalog.all { #expect(Plausibility.parameter(spec.id, spec.distribution) == nil, "\(spec.key)") }
    }
}
