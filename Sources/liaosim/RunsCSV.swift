import Foundation
import LiaoCore

/// `--runs-csv FILE`: one row per run (index, drawn parameters, metrics,
/// whether each goal was met as `goal.ID` = 1 or 0, and with `--keep-going`
/// the failure) for Excel and pandas. Each worker writes its own part; the parts are joined in
/// run order into a temporary file that is renamed into place, so the file is
/// complete or absent. The parts are listed in `TemporaryFiles`, so a batch
/// that fails or is stopped at once leaves none behind.
struct RunsCSVWriter: RunVisitor {
    let partPath: String
    private let handle: FileHandle
    private let uncertain: [ParameterID]
    /// Failed runs get rows too (`--keep-going`), with empty metrics and the
    /// message in a last `failure` column, empty for the runs that succeeded.
    private let marksFailures: Bool
    /// Goals of the scenario: a failed run's row leaves their cells empty.
    private let goalCount: Int
    private var buffer = ""

    init(partPath: String, uncertain: [ParameterID], goalCount: Int, marksFailures: Bool) throws {
        self.partPath = partPath
        self.uncertain = uncertain
        self.goalCount = goalCount
        self.marksFailures = marksFailures
        // A part is always a new regular file, wherever the CSV itself goes.
        handle = try OutputDestination.createNew(partPath)
    }

    static func header(uncertain: [ParameterID], metricNames: [String], goalIDs: [String], marksFailures: Bool) -> String {
        (["run"] + uncertain.map { ParameterCatalog.spec($0).key } + metricNames + goalIDs.map { "goal.\($0)" }
            + (marksFailures ? ["failure"] : []))
            .joined(separator: ",") + "\n"
    }

    mutating func visit(run: Int, record: RunRecord, goalsMet: [Bool]) throws {
        buffer += String(run)
        for id in uncertain { buffer += "," + Self.format(record.parameters[id.rawValue]) }
        for x in record.metrics { buffer += "," + Self.format(x) }
        for met in goalsMet { buffer += met ? ",1" : ",0" }
        if marksFailures { buffer += "," }
        buffer += "\n"
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    mutating func visitFailure(run: Int, record: RunRecord, message: String) throws {
        guard marksFailures else { return }
        buffer += String(run)
        for id in uncertain { buffer += "," + Self.format(record.parameters[id.rawValue]) }
        buffer += String(repeating: ",", count: record.metrics.count + goalCount)
        buffer += ",\"" + message.replacingOccurrences(of: "\"", with: "\"\"") + "\"\n"
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        do { try handle.write(contentsOf: Data(buffer.utf8)) } catch { throw WriteFailed(path: partPath, reason: OutputFile.systemReason(error)) }
        buffer = ""
    }

    mutating func close() throws {
        try flush()
        try handle.close()
    }

    /// A number as pandas and numpy read it back: NaN and infinities as
    /// `nan`, `inf` and `-inf`, so they stay apart from each other and from
    /// the empty cells of a failed run.
    static func format(_ x: Double) -> String {
        if x.isFinite { return "\(x)" }
        return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")
    }

    /// Joins the parts behind the header into `path`, atomically (a stream is
    /// written through), and removes the parts.
    static func finish(_ writers: [RunsCSVWriter], header: String, to path: String) throws {
        let destination = try OutputDestination(path)
        let temporary = destination.scratch("tmp")
        defer {
            for w in writers {
                unlink(w.partPath)
                TemporaryFiles.forget(w.partPath)
            }
            if !destination.isStream {
                unlink(temporary)
                TemporaryFiles.forget(temporary)
            }
        }
        var writers = writers
        let out = try destination.open(temporary: temporary)
        do {
            try out.write(contentsOf: Data(header.utf8))
            for i in writers.indices {
                try writers[i].close()
                let part = try FileHandle(forReadingFrom: URL(fileURLWithPath: writers[i].partPath))
                while let chunk = try part.read(upToCount: 1 << 22), !chunk.isEmpty { try out.write(contentsOf: chunk) }
                try part.close()
            }
            try out.close()
        } catch let error as WriteFailed {
            throw error
        } catch {
            throw WriteFailed(path: path, reason: OutputFile.systemReason(error))
        }
        try destination.finish(temporary: temporary)
    }
}
