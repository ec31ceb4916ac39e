/// Sees every run of a batch, in run-index order within a worker (a run that
/// failed under `keepGoing` through `visitFailure`): for per-run exports,
/// sensitivity analysis and paired comparisons.
public protocol RunVisitor: Sendable {
    mutating func visit(run: Int, record: RunRecord, goalsMet: [Bool]) throws
    /// A run that failed and was skipped (`keepGoing`): `record` holds its
    /// drawn parameters, but no metrics.
    mutating func visitFailure(run: Int, record: RunRecord, message: String) throws
}

extension RunVisitor {
    /// Failed runs are not visited unless a visitor says otherwise.
    public mutating func visitFailure(run: Int, record: RunRecord, message: String) throws {}
}

/// Visits nothing.
public struct NoVisitor: RunVisitor {
    public init() {}
    public mutating func visit(run: Int, record: RunRecord, goalsMet: [Bool]) throws {}
}

/// Keeps, for every run, its index, the values of chosen parameters and
/// metrics, and which goals it met (as bits): enough for rank correlations
/// and paired differences. Memory grows with the runs kept.
public struct RunTable: RunVisitor {
    public let parameterIDs: [ParameterID]
    public let metricIndices: [Int]
    public private(set) var runs: [Int] = []
    /// Row-major: one row of parameters then metrics per run.
    public private(set) var values: [Double] = []
    /// Bit g set when goal g was met (goals beyond 64 are not kept).
    public private(set) var goalBits: [UInt64] = []

    public init(parameters: [ParameterID], metrics: [Int]) {
        parameterIDs = parameters
        metricIndices = metrics
    }

    public var width: Int { parameterIDs.count + metricIndices.count }

    public mutating func visit(run: Int, record: RunRecord, goalsMet: [Bool]) throws {
        runs.append(run)
        for id in parameterIDs { values.append(record.parameters[id.rawValue]) }
        for i in metricIndices { values.append(record.metrics[i]) }
        var bits: UInt64 = 0
        for (g, met) in goalsMet.prefix(64).enumerated() where met { bits |= 1 << UInt64(g) }
        goalBits.append(bits)
    }

    /// Joins the tables of several workers, in order.
    public static func joined(_ parts: [RunTable]) -> RunTable? {
        guard var whole = parts.first else { return nil }
        for part in parts.dropFirst() {
            whole.runs += part.runs
            whole.values += part.values
            whole.goalBits += part.goalBits
        }
        return whole
    }

    /// Column `c` (parameters first, then metrics) over all runs.
    public func column(_ c: Int) -> [Double] {
        stride(from: c, to: values.count, by: width).map { values[$0] }
    }
}
