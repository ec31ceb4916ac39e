import Foundation
import LiaoCore
import Testing

// Reference values in this file were computed once with a separate Python
// program that re-implements SplitMix64, xoshiro256**, FNV-1a and the
// documented StreamSeed formula with arbitrary-precision integers masked to
// 64 bits. The SplitMix64 outputs for seed 1234567 also agree with the
// widely published test vector for that seed, and the FNV-1a hashes of "a" and
// "foobar" (0xAF63DC4C8601EC8C, 0x85944171F73967E8) with the FNV reference
// test vectors.

@Suite struct RandomStreamTests {
    @Test func splitMix64ReproducesReferenceOutputsForSeed1234567() {
        var generator = SplitMix64(seed: 1_234_567)
        let outputs = (0..<5).map { _ in generator.next() }
        #expect(outputs == [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ])
    }

    @Test func xoshiroSeededFromSplitMixReproducesReferenceOutputs() {
        var stream = RandomStream(seed: 1_234_567)
        let outputs = (0..<5).map { _ in stream.next() }
        #expect(outputs == [
            3_504_822_795_582_309_479,
            1_819_558_768_956_484_042,
            1_250_851_346_055_027_673,
            16_940_231_675_099_994_102,
            11_585_879_347_611_423_030,
        ])
    }

    @Test func substreamDerivationIsPinned() {
        #expect(StreamSeed.derive(seed: 1, run: 2, component: 3) == 16_003_485_618_546_151_684)
        var stream = RandomStream(seed: 1, run: 2, component: 3)
        #expect((0..<3).map { _ in stream.next() } == [
            7_439_557_130_235_254_255, 8_691_195_187_582_894_017, 6_280_534_062_872_050_201,
        ])
        var labour = RandomStream(seed: 20_240_601, run: 7, component: ComponentName.id("labour"))
        #expect((0..<3).map { _ in labour.next() } == [
            12_640_300_924_783_925_210, 12_208_709_297_295_222_471, 15_680_820_688_665_747_458,
        ])
    }

    @Test func componentNameIsFNV1aFollowedBySplitMixFinaliser() {
        #expect(ComponentName.id("") == SplitMix64.mix(0xCBF2_9CE4_8422_2325))
        #expect(ComponentName.id("a") == SplitMix64.mix(0xAF63_DC4C_8601_EC8C))
        #expect(ComponentName.id("foobar") == SplitMix64.mix(0x8594_4171_F739_67E8))
        #expect(ComponentName.id("") == 17_665_956_581_633_026_203)
        #expect(ComponentName.id("a") == 198_367_012_849_983_736)
        #expect(ComponentName.id("labour") == 14_071_732_160_558_587_449)
        #expect(ComponentName.id("labour") != ComponentName.id("Labour"))
    }

    @Test func sameSeedGivesIdenticalSequence() {
        var a = RandomStream(seed: 42)
        var b = RandomStream(seed: 42)
        #expect((0..<1000).map { _ in a.next() } == (0..<1000).map { _ in b.next() })
        var c = RandomStream(seed: 42, run: 9, component: 4)
        var d = RandomStream(seed: 42, run: 9, component: 4)
        #expect((0..<1000).map { _ in c.standardNormal() } == (0..<1000).map { _ in d.standardNormal() })
    }

    @Test func copiedStreamContinuesWithTheSameDraws() {
        var original = RandomStream(seed: 7)
        _ = original.poisson(mean: 130)
        var copy = original
        #expect((0..<100).map { _ in original.binomial(trials: 3000, probability: 0.01) }
            == (0..<100).map { _ in copy.binomial(trials: 3000, probability: 0.01) })
    }

    @Test func differentSeedRunOrComponentGivesDifferentSequence() {
        var firstOutputs = Set<UInt64>()
        for run in UInt64(0)..<64 {
            for component in UInt64(0)..<64 {
                var stream = RandomStream(seed: 2024, run: run, component: component)
                firstOutputs.insert(stream.next())
            }
        }
        #expect(firstOutputs.count == 64 * 64)
        var base = RandomStream(seed: 2024, run: 0, component: 0)
        var otherSeed = RandomStream(seed: 2025, run: 0, component: 0)
        #expect((0..<8).map { _ in base.next() } != (0..<8).map { _ in otherSeed.next() })
        // Swapping run and component must not give the same stream.
        var swappedA = RandomStream(seed: 2024, run: 1, component: 2)
        var swappedB = RandomStream(seed: 2024, run: 2, component: 1)
        #expect(swappedA.next() != swappedB.next())
    }

    /// Neighbouring runs (and components) should give unrelated streams: the
    /// first outputs of adjacent runs differ in 32 bits on average. Over 4,000
    /// pairs (256,000 bits, SE of the mean 0.089 bits) the mean Hamming
    /// distance must lie within 5 SE of 32.
    @Test func neighbouringRunsAndComponentsGiveUnrelatedStreams() {
        func meanDistance(_ pair: (UInt64) -> (RandomStream, RandomStream)) -> Double {
            var total = 0
            for i in UInt64(0)..<4000 {
                var (a, b) = pair(i)
                total += (a.next() ^ b.next()).nonzeroBitCount
            }
            return Double(total) / 4000
        }
        let runs = meanDistance { i in
            (RandomStream(seed: 99, run: i, component: 5), RandomStream(seed: 99, run: i + 1, component: 5))
        }
        let components = meanDistance { i in
            (RandomStream(seed: 99, run: 5, component: i), RandomStream(seed: 99, run: 5, component: i + 1))
        }
        let seeds = meanDistance { i in
            (RandomStream(seed: i, run: 0, component: 0), RandomStream(seed: i + 1, run: 0, component: 0))
        }
        let se = (64.0 * 0.25 / 4000).squareRoot()
        for (label, distance) in [("runs", runs), ("components", components), ("seeds", seeds)] {
            #expect(abs(distance - 32) <= 5 * se, "\(label): mean Hamming distance \(distance)")
        }
    }

    @Test func unitIsInHalfOpenIntervalOnA53BitGrid() {
        var stream = RandomStream(seed: 11)
        var sum = 0.0
        var outside = 0
        var offGrid = 0
        let count = 1_000_000
        for _ in 0..<count {
            let u = stream.unit()
            if !(u >= 0 && u < 1) { outside += 1 }
            let scaled = u * 0x1p53
            if scaled != scaled.rounded() { offGrid += 1 }
            sum += u
        }
        #expect(outside == 0)
        #expect(offGrid == 0)
        // Mean 1/2, SE √(1/12/N).
        #expect(abs(sum / Double(count) - 0.5) <= 5 * (1.0 / 12 / Double(count)).squareRoot())
    }

    @Test func openUnitIsInOpenInterval() {
        var stream = RandomStream(seed: 12)
        var sum = 0.0
        var outside = 0
        let count = 1_000_000
        for _ in 0..<count {
            let u = stream.openUnit()
            if !(u > 0 && u < 1) { outside += 1 }
            sum += u
        }
        #expect(outside == 0)
        #expect(abs(sum / Double(count) - 0.5) <= 5 * (1.0 / 12 / Double(count)).squareRoot())
    }

    @Test func worksAsASwiftRandomNumberGenerator() {
        var stream = RandomStream(seed: 3)
        let values = (0..<1000).map { _ in Int.random(in: 0..<10, using: &stream) }
        #expect(values.allSatisfy { (0..<10).contains($0) })
        #expect(Set(values).count == 10)
    }

    @Test func streamSeedHalvesCombineToTheFullDerivation() {
        for (seed, run, component) in [(UInt64(0), UInt64(0), UInt64(0)), (20_240_101, 7, 0xDEAD_BEEF), (.max, 123_456, .max)] {
            let split = StreamSeed.combine(
                runKey: StreamSeed.runKey(seed: seed, run: run), componentKey: StreamSeed.componentKey(component))
            #expect(split == StreamSeed.derive(seed: seed, run: run, component: component))
        }
    }

    @Test func geometricWithPrecomputedLogQMatchesGeometricWithMean() {
        for mean in [0.3, 2.0, 3.0, 6.0, 40.0] {
            var byMean = RandomStream(seed: 99)
            var byLogQ = byMean
            let logQ = -log1p(1 / mean)
            for _ in 0..<1000 {
                #expect(byMean.geometric(mean: mean) == byLogQ.geometric(logQ: logQ))
            }
        }
    }
}
