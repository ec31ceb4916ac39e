import Foundation
import LiaoCore
import Testing

/// Batch files (`--out`) read back exactly, and a file that was changed or
/// whose counts contradict each other is refused rather than merged.
@Suite struct BatchArchiveTests {
    /// A whole study of `runs` made-up runs: metric i of run r is r + i, even runs meet every goal.
    private func archive(runs: Int) -> BatchArchive {
        let scenario = Scenario(name: "archive_test")
        var result = BatchResult(scenario: scenario, seed: 7)
        for r in 0..<runs {
            result.add(metrics: scenario.metricNames.indices.map { Double(r + $0) }, goalsMet: scenario.goals.map { _ in r % 2 == 0 })
        }
        result.requestedRuns = runs
        return BatchArchive(result: result, scenarioDigest: "0123456789abcdef", totalRuns: runs, shard: .whole)
    }

    private func message(_ body: () throws(ModelError) -> Void) -> String? {
        do throws(ModelError) {
            try body()
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aFileReadsBackExactly() throws {
        let written = archive(runs: 10)
        let data = try written.encoded()
        #expect(String(decoding: data.prefix(13), as: UTF8.self) == "{\"checksum\":\"")
        let read = try BatchArchive.decode(data, file: "a.json")
        #expect(try read.encoded() == data)
        let merged = try BatchArchive.merge([("a.json", read)])
        #expect(merged.runs == 10 && merged.goalTallies.allSatisfy { $0.successes == 5 && $0.trials == 10 })
        #expect(merged.metrics[1].sum.value == 55)
    }

    @Test func aChangedByteIsRefused() throws {
        var data = try archive(runs: 10).encoded()
        // A digit of a count, far from the checksum: still valid JSON, different numbers.
        let index = try #require(data.lastIndex { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "8") })
        data[index] += 1
        let error = message { () throws(ModelError) in _ = try BatchArchive.decode(data, file: "a.json") }
        #expect(error?.contains("a.json was changed after liaosim wrote it") == true, "\(error ?? "accepted")")
    }

    @Test func contradictoryCountsAreRefused() throws {
        var moreRuns = archive(runs: 10)
        moreRuns.result.runs = 12
        var tally = archive(runs: 10)
        tally.result.goalTallies[0] = ProportionEstimate(successes: 3, trials: 9)
        var shard = archive(runs: 10)
        shard.shard = 3
        for (file, fragment) in [(moreRuns, "do not make the 10 asked for"), (tally, "counts 3 successes in 9 runs"),
                                 (shard, "is not a shard")] {
            let data = try file.encoded()  // a valid checksum over contradictory counts
            let error = message { () throws(ModelError) in _ = try BatchArchive.decode(data, file: "b.json") }
            #expect(error?.contains("b.json is damaged") == true && error?.contains(fragment) == true, "\(error ?? "accepted")")
        }
    }
}
