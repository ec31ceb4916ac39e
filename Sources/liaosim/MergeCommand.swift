import ArgumentParser
import Foundation
import LiaoCore
import LiaoReport

/// `liaosim merge`: combines shard files into the result one machine would have printed.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the shard files of one study (from `run --shard K/N --out FILE`).",
        discussion: """
            Refuses files from different scenarios (or modules, inputs), seeds, run counts, shard counts, \
            sampling methods or liaosim versions; incomplete sets; shards stopped before their end; and \
            files changed after they were written.
            """
    )

    @Argument(help: "Shard files.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("merge needs the shard files, e.g. liaosim merge shards/*.json") }
    }

    func run() throws {
        do {
            var archives: [(file: String, archive: BatchArchive)] = []
            for file in files {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
                    throw ScenarioInputError.folder(file)
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ScenarioInputError.missing(file)
                }
                archives.append((file, try BatchArchive.decode(data, file: file)))
            }
            let result = try BatchArchive.merge(archives)
            try ReportOutput.print(format == .json ? JSONReport.batch(result).serialized() : TextReport.batch(result, mergedShards: archives.count))
            try CLIError.failIfNoRunKept(result, study: " of the study")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.report(error)
        }
    }
}

/// A file named on the command line that cannot be read.
enum ScenarioInputError: Error, CustomStringConvertible {
    case missing(String)
    case folder(String)
    var description: String {
        switch self {
        case .missing(let file): "\(file): no such file, or it cannot be read"
        case .folder(let folder): "\(folder) is a folder; give the shard files in it, e.g. liaosim merge \(ShellWord.quoted(folder.hasSuffix("/") ? String(folder.dropLast()) : folder))/*.json"
        }
    }
}
