public import Foundation

/// A batch result written to a file (`--out`), so that shards of one study
/// run on several machines can be merged into exactly the result one machine
/// would have printed.
public struct BatchArchive: Codable, Sendable {
    public static let formatName = "liaosim-batch"
    /// 3: a checksum heads the file; the scenario digest covers the modules
    /// required while loading, `runModules` those required in runs; results
    /// record their sampling method and, for `--precision`, the target.
    public static let formatVersion = 3

    public var format = formatName
    public var formatVersion = BatchArchive.formatVersion
    public var toolVersion: String
    /// Fingerprint of the scenario: its source text, the modules it required
    /// while loading and everything it declared.
    public var scenarioDigest: String
    /// Checksums of the modules the scenario's runs required (`require`
    /// inside `on_month` or a metric), by module name; several, joined by
    /// "+", if the file changed while the batch ran. A run may require a
    /// module that another never does, so shards are compared only on the
    /// modules both loaded.
    public var runModules: [String: String]
    public var seed: UInt64
    /// Runs in the whole study, and which shard (1-based) of how many this is.
    public var totalRuns: Int
    public var shard: Int
    public var shardCount: Int
    /// How parameters were sampled (`random` or `lhs`).
    public var sampling: ParameterSampling.Mode
    public var result: BatchResult

    public init(
        result: BatchResult, scenarioDigest: String, runModules: [(name: String, bytes: [UInt8])] = [], totalRuns: Int,
        shard: Shard, sampling: ParameterSampling.Mode = .random
    ) {
        self.runModules = Dictionary(grouping: runModules, by: \.name).mapValues { versions in
            versions.map { Self.checksum($0.bytes) }.sorted().joined(separator: "+")
        }
        self.sampling = sampling
        toolVersion = LiaosimVersion.string
        self.scenarioDigest = scenarioDigest
        seed = result.seed
        self.totalRuns = totalRuns
        self.shard = shard.index
        shardCount = shard.count
        self.result = result
    }

    /// The file's JSON text: `{"checksum":"…",` and then the archive's own
    /// fields, whose bytes the checksum covers (see `checksum(_:)`), so that
    /// a file changed after it was written is refused, not merged.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(self)  // starts with `{"format":`
        return Data("{\"checksum\":\"\(Self.checksum(body))\",".utf8) + body.dropFirst()
    }

    /// 64-bit FNV-1a of `bytes`, as 16 hexadecimal digits: it catches damage
    /// and edits, not deliberate forgery.
    public static func checksum<D: Collection<UInt8>>(_ bytes: D) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The archive's own bytes of a file written by `encoded()` if its
    /// checksum matches them, nil if it does not or there is none.
    static func verifiedBody(_ data: Data) -> Data? {
        let prefix = Data("{\"checksum\":\"".utf8)
        let start = data.startIndex
        guard data.count > prefix.count + 18, data[start..<(start + prefix.count)] == prefix else { return nil }
        let digitsEnd = start + prefix.count + 16
        guard data[digitsEnd] == UInt8(ascii: "\""), data[digitsEnd + 1] == UInt8(ascii: ",") else { return nil }
        let stated = String(decoding: data[(start + prefix.count)..<digitsEnd], as: UTF8.self)
        let body = Data("{".utf8) + data[(digitsEnd + 2)...]
        return checksum(body) == stated ? body : nil
    }

    /// Reads a file written by `encoded()`, saying clearly what is wrong with one that is not.
    public static func decode(_ data: Data, file: String) throws(ModelError) -> BatchArchive {
        struct Header: Decodable { var format: String?; var formatVersion: Int?; var toolVersion: String? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == formatName else {
            if data.range(of: Data("\"format\":\"\(formatName)\"".utf8)) != nil {
                throw ModelError("\(file) is a damaged or truncated liaosim batch file (it is not valid JSON); write it again with the same `liaosim run ... --out` command")
            }
            throw ModelError("\(file) is not a liaosim batch file (write one with `liaosim run ... --out FILE`)")
        }
        guard header.formatVersion == formatVersion, header.toolVersion == LiaosimVersion.string else {
            throw ModelError("\(file) was written by liaosim \(header.toolVersion ?? "?") in batch file format \(header.formatVersion ?? 0); this liaosim \(LiaosimVersion.string) reads format \(formatVersion): run the shards again with one version")
        }
        // Some tools add a line break at the end of a file they copy: it is not part of the contents.
        var data = data
        while let last = data.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 { data.removeLast() }
        guard let body = verifiedBody(data) else {
            throw ModelError("\(file) was changed after liaosim wrote it (its checksum does not match its contents); write it again with the same `liaosim run ... --out` command")
        }
        let archive: BatchArchive
        do {
            archive = try JSONDecoder().decode(BatchArchive.self, from: body)
        } catch {
            throw ModelError("\(file) is damaged: \(error)")
        }
        if let problem = archive.inconsistency {
            throw ModelError("\(file) is damaged: \(problem); write it again with the same `liaosim run ... --out` command")
        }
        return archive
    }

    /// What in the file contradicts the rest of it, or nil: the counts a run
    /// writes always agree, so a file where they do not was altered or damaged.
    var inconsistency: String? {
        let r = result
        guard shardCount >= 1, shard >= 1, shard <= shardCount, totalRuns >= 0 else {
            return "shard \(shard)/\(shardCount) of \(totalRuns) runs is not a shard"
        }
        guard seed == r.seed else { return "it names seed \(seed) for a result of seed \(r.seed)" }
        let expected = Shard(index: shard, count: shardCount).runs(of: totalRuns).count
        guard r.requestedRuns == expected else {
            return "shard \(shard)/\(shardCount) of \(totalRuns) runs holds \(expected) runs, the file says \(r.requestedRuns) were asked for"
        }
        guard r.runs >= 0, r.failedRuns >= 0, r.runs + r.failedRuns <= r.requestedRuns,
              r.interrupted || r.runs + r.failedRuns == r.requestedRuns
        else {
            return "\(r.runs) runs done and \(r.failedRuns) failed do not make the \(r.requestedRuns) asked for"
        }
        guard r.goalTallies.count == r.goals.count, r.metrics.count == r.metricNames.count else {
            return "it has \(r.goalTallies.count) goal counts for \(r.goals.count) goals and \(r.metrics.count) metric summaries for \(r.metricNames.count) metrics"
        }
        for (goal, tally) in zip(r.goals, r.goalTallies) where tally.trials != UInt64(r.runs) || tally.successes > tally.trials {
            return "goal '\(goal.id)' counts \(tally.successes) successes in \(tally.trials) runs, of \(r.runs) runs done"
        }
        for (name, summary) in zip(r.metricNames, r.metrics) where summary.totalCount != UInt64(r.runs) {
            return "metric '\(name)' summarises \(summary.totalCount) values, of \(r.runs) runs done"
        }
        return nil
    }

    /// Merges the shards of one study, refusing files that do not belong together.
    public static func merge(_ archives: [(file: String, archive: BatchArchive)]) throws(ModelError) -> BatchResult {
        guard let (firstFile, first) = archives.first else { throw ModelError("merge needs at least one file") }
        var seen: [Int: String] = [:]
        var stopped: [(shard: Int, file: String, runs: Int, of: Int)] = []
        for (file, a) in archives {
            func refuse(_ what: String, _ mine: String, _ theirs: String) -> ModelError {
                ModelError("\(file) and \(firstFile) come from different \(what) (\(mine) vs \(theirs)); only shards of one run can be merged")
            }
            if a.result.interrupted { stopped.append((a.shard, file, a.result.runs, a.result.requestedRuns)) }
            if a.result.scenarioName == first.result.scenarioName && a.result.inputs != first.result.inputs {
                func shown(_ inputs: [ScenarioInput]) -> String {
                    inputs.isEmpty ? "none" : inputs.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                }
                throw refuse("inputs", shown(a.result.inputs), shown(first.result.inputs))
            }
            if a.scenarioDigest != first.scenarioDigest {
                throw refuse("scenarios", "'\(a.result.scenarioName)' \(a.scenarioDigest)", "'\(first.result.scenarioName)' \(first.scenarioDigest)")
            }
            for (other, b) in archives {
                for (name, text) in a.runModules.sorted(by: { $0.key < $1.key }) where b.runModules[name].map({ $0 != text }) ?? false {
                    throw ModelError("\(file) and \(other) ran with different texts of module '\(name)' (\(text) vs \(b.runModules[name]!)); only shards of one run can be merged")
                }
            }
            if a.result.goals != first.result.goals || a.result.metricNames != first.result.metricNames {
                throw ModelError("\(file) and \(firstFile) have the same scenario fingerprint but different goals or metrics: one of them was altered; write it again")
            }
            if a.seed != first.seed { throw refuse("seeds", "\(a.seed)", "\(first.seed)") }
            if a.totalRuns != first.totalRuns { throw refuse("run counts", "\(a.totalRuns)", "\(first.totalRuns)") }
            if a.sampling != first.sampling { throw refuse("sampling methods", a.sampling.rawValue, first.sampling.rawValue) }
            if a.shardCount != first.shardCount { throw refuse("shard counts", "\(a.shardCount)", "\(first.shardCount)") }
            if let other = seen[a.shard] { throw ModelError("\(file) and \(other) are both shard \(a.shard)/\(a.shardCount)") }
            seen[a.shard] = file
        }
        let missing = (1...first.shardCount).filter { seen[$0] == nil }
        if let problem = incompleteStudy(stopped: stopped.sorted { $0.shard < $1.shard }, missing: missing, of: first.shardCount) {
            throw ModelError(problem)
        }
        var result = archives.sorted { $0.archive.shard < $1.archive.shard }.map(\.archive.result)
            .reduce(into: nil as BatchResult?) { merged, part in
                if merged == nil { merged = part } else { merged!.merge(part) }
            }!
        result.threads = archives.map(\.archive.result.threads).max() ?? 1
        return result
    }

    /// What keeps a set of shards, all of one study, from being the whole
    /// study: every shard stopped before its end and every shard missing, in
    /// one message, so that all of them can be run again at once.
    private static func incompleteStudy(stopped: [(shard: Int, file: String, runs: Int, of: Int)], missing: [Int], of shardCount: Int) -> String? {
        func shards(_ numbers: [Int]) -> String { "shard\(numbers.count > 1 ? "s" : "") \(numbers.map(String.init).joined(separator: ", "))" }
        switch (stopped.count, missing.isEmpty) {
        case (0, true):
            return nil
        case (0, false):
            return "\(shards(missing)) of \(shardCount) missing; merge needs every shard"
        case (1, true):
            let s = stopped[0]
            return "\(s.file) holds shard \(s.shard)/\(shardCount) stopped before its end (\(s.runs) of \(s.of) runs done); run that shard again and merge the complete file"
        default:
            let files = stopped.map { "\($0.file): \($0.runs) of \($0.of) runs done" }.joined(separator: "; ")
            let stoppedPart = "\(shards(stopped.map(\.shard))) of \(shardCount) stopped before \(stopped.count > 1 ? "their" : "its") end (\(files))"
            return stoppedPart + (missing.isEmpty ? "" : " and \(shards(missing)) missing") + "; run those shards again and merge the complete set"
        }
    }

    /// A fingerprint of a scenario: its source bytes, the modules it required
    /// (each as its name and bytes, in name order) and what it declared;
    /// 16 hexadecimal digits.
    public static func digest(source: [UInt8], modules: [(name: String, bytes: [UInt8])] = [], scenario: Scenario) -> String {
        var text = source
        for module in modules.sorted(by: { $0.name != $1.name ? $0.name < $1.name : $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
            // Lengths first, so that no two lists of modules give the same bytes.
            text += Array("|module \(module.name) \(module.bytes.count)|".utf8)
            text += module.bytes
        }
        // What the scenario declares, not where: a correlation's origin names the file
        // as the command line gave it (x.lua, ./x.lua or a path of one machine).
        let correlations = scenario.correlations.map { "\($0.first)~\($0.second)=\($0.rank.bitPattern)" }
        text += Array("\(scenario.parameters.distributions)|\(scenario.schedule)|\(scenario.goals)|\(scenario.customMetrics)|\(scenario.inputs)|\(correlations)".utf8)
        return checksum(text)
    }
}

/// Shard K of N: a contiguous, deterministic share of the run indices.
public struct Shard: Sendable, Equatable {
    /// 1-based shard number.
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses "K/N" with 1 ≤ K ≤ N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    /// Run indices of this shard in a study of `totalRuns` runs.
    public func runs(of totalRuns: Int) -> Range<Int> {
        (totalRuns * (index - 1) / count)..<(totalRuns * index / count)
    }
}

/// The version written into result files; files of different versions are
/// not merged. Raised whenever the numbers a seed gives change (0.2.0: the
/// growth and price series are computed with log1p and exp; 0.3.0: with
/// correlations and random sampling, the parameters outside the copula are
/// drawn as without correlations; 0.4.0: `table.sort` is stable, and counts
/// of 2^52 and more are drawn from their normal approximation; 0.5.0: no run
/// can pass state to the next through the load's globals or a local named
/// `_ENV`, and a stop leaves out the runs in progress; 0.6.0: an API call
/// with more arguments than it reads fails instead of dropping them, and a
/// trade-in that the last month's hook starts after the period no longer
/// fails its run; 0.7.0: a lever change made by the hook holds until the next
/// change scheduled for a later month instead of to the end, and a hook named
/// like `on_month` but not quite, or made local, is an error).
public enum LiaosimVersion {
    public static let string = "0.7.0"
}
