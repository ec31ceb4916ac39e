import ArgumentParser
import Foundation
import LiaoCore
import LiaoReport

/// `--vary name=v1,v2,...`, `--vary name=start:stop:step` or `--vary name=lo:hi`.
struct InputVariation {
    var name: String
    /// Listed values, or the range start, stop and step (step nil for lo:hi).
    var values: [Double]
    var range: (low: Double, high: Double, step: Double?)?

    init(_ text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("--vary takes name=v1,v2,... or name=start:stop:step; got \(text)")
        }
        name = String(text[..<eq])
        let spec = text[text.index(after: eq)...]
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0?.isFinite == true }) else {
                throw ValidationError("--vary \(name)=\(spec): write numbers, as a range start:stop:step (sweep) or lo:hi (solve), or a list v1,v2,...")
            }
            let low = parts[0]!, high = parts[1]!
            guard low < high else { throw ValidationError("--vary \(name)=\(spec): the start must be below the stop") }
            let step = parts.count == 3 ? parts[2]! : nil
            if let step, !(step > 0) { throw ValidationError("--vary \(name)=\(spec): the step must be positive") }
            range = (low, high, step)
            if let step {
                // Counted as a Double first: a wide range or a tiny step would not fit an Int.
                let steps = ((high - low) / step + 1e-9).rounded(.down)
                guard steps < 1000 else {
                    let count = steps.isFinite ? NumberFormat.compact(steps + 1) : "more than 1000"
                    throw ValidationError("--vary \(name)=\(spec) gives \(count) values; at most 1000")
                }
                let count = Int(steps) + 1
                values = (0..<count).map { Self.decimalStep(low: low, step: step, index: $0) }
            } else {
                values = [low, high]
            }
        } else {
            let parsed = spec.split(separator: ",").map { Double($0) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0?.isFinite == true }) else {
                throw ValidationError("--vary \(name)=\(spec): write numbers, as a list v1,v2,... or a range start:stop:step (sweep) or lo:hi (solve)")
            }
            values = parsed.map { $0! }
            range = nil
        }
    }
}

extension InputVariation {
    /// low + index·step, as the decimal it is written as: 0:1:0.1 gives 0.3,
    /// not 0.30000000000000004, and -0.3:0.3:0.1 gives 0, as `--set name=0.3`
    /// would. With d the fewest decimal places (at most 12) that write both
    /// low and step, the value is rounded to d places; where none do (a step
    /// of 1/3), it is left as computed.
    static func decimalStep(low: Double, step: Double, index: Int) -> Double {
        let raw = low + Double(index) * step
        for places in 0...12 {
            let scale = pow(10, Double(places))
            func isWhole(_ x: Double) -> Bool {
                let scaled = x * scale
                return abs(scaled - scaled.rounded()) <= max(1e-6, 1e-14 * abs(scaled))  // rounding of the scaling only
            }
            guard isWhole(low) && isWhole(step) else { continue }
            let scaled = (raw * scale).rounded()
            // Past 2^53 the scaled value is no longer exact: keep the sum.
            return abs(scaled) < 0x1p53 ? scaled / scale : raw
        }
        return raw
    }

    /// For start:stop:step whose stop is not a whole number of steps from the
    /// start (0:8:3): which values run instead, and what to write to include it.
    var unreachedStop: String? {
        guard let (low, high, step) = range, let step, let last = values.last else { return nil }
        guard abs(last - high) > 1e-9 * max(1, abs(high)) else { return nil }
        let shown = values.count <= 6 ? values.map(Distribution.format).joined(separator: ", ")
            : values.prefix(3).map(Distribution.format).joined(separator: ", ") + ", …, " + Distribution.format(last)
        return "--vary \(name)=\(Distribution.format(low)):\(Distribution.format(high)):\(Distribution.format(step)) runs \(shown): "
            + "the stop \(Distribution.format(high)) is not a whole number of steps from the start, so it is left out; "
            + "to end at \(Distribution.format(high)), list the values: \(name)=\((values + [high]).map(Distribution.format).joined(separator: ","))"
    }

    /// The one `--vary` of a command (given once: a second would silently win).
    static func single(_ texts: [String], command: String) throws -> InputVariation {
        guard texts.count == 1 else {
            throw ValidationError("\(command) varies one input: give --vary once (got \(texts.count))")
        }
        return try InputVariation(texts[0])
    }

    /// Refuses a `--set` of the varied input, which the variation would override.
    func checkNotSet(_ settings: [String]) throws {
        if let setting = settings.first(where: { $0.hasPrefix(name + "=") }) {
            throw ValidationError("--set \(setting) and --vary \(name) both give \(name); drop the --set")
        }
    }

    /// Refuses an input that the scenario reads as a string: only numbers can be varied.
    func checkIsNumber(in scenario: Scenario) throws {
        if let input = scenario.inputs.first(where: { $0.name == name }), !input.isNumber {
            throw UsageError("\(scenario.sourcePath ?? "the scenario"): input '\(name)' is a string (default \"\(input.defaultValue)\"); --vary takes numbers: run each value with --set \(name)=VALUE")
        }
    }
}
