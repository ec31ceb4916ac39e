/// Finding the input value that gives a goal the odds wanted, by bisection.
/// Every evaluation uses the same seed and runs (common random numbers), so
/// the estimated probability is a deterministic function of the input and
/// bisection on it is well defined.
public enum InputSearch {
    /// One evaluated point.
    public struct Point: Sendable, Equatable {
        public var value: Double
        public var probability: Double
    }

    public struct Answer: Sendable {
        /// The smallest value found with probability ≥ target (nil when even
        /// the upper end falls short).
        public var value: Double?
        /// Every point evaluated, sorted by value.
        public var points: [Point]
        /// The evaluated probabilities never fall as the value rises.
        public var isMonotone: Bool
        /// The largest fall in probability between neighbouring points (0 when monotone).
        public var largestFall: Double
        /// The low end of the range already meets the target (the search
        /// stopped at its first point): `value` is the range's start, and
        /// the smallest value that meets it may lie below.
        public var metAtLowEnd: Bool { points.count == 1 && value != nil }
    }

    /// Bisects [low, high] until the bracket is narrower than `tolerance`.
    /// - Parameter evaluate: the goal's probability at an input value.
    public static func smallestValue(
        low: Double, high: Double, target: Double, tolerance: Double, evaluate: (Double) throws -> Double
    ) rethrows -> Answer {
        var points: [Point] = []
        func p(_ x: Double) throws -> Double {
            let probability = try evaluate(x)
            points.append(Point(value: x, probability: probability))
            return probability
        }
        var value: Double?
        if try p(low) >= target {
            value = low
        } else if try p(high) >= target {
            var below = low, above = high
            while above - below > tolerance {
                let middle = below / 2 + above / 2  // (below + above) / 2 without overflow near the largest double
                // Neighbouring doubles have no value between them: the bracket is as narrow as it gets.
                guard middle > below && middle < above else { break }
                if try p(middle) >= target { above = middle } else { below = middle }
            }
            value = above
        }
        points.sort { $0.value < $1.value }
        var largestFall = 0.0
        for (a, b) in zip(points, points.dropFirst()) { largestFall = max(largestFall, a.probability - b.probability) }
        return Answer(value: value, points: points, isMonotone: largestFall <= 0, largestFall: largestFall)
    }
}
