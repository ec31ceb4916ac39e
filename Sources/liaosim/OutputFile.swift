import Foundation
import LiaoCore

/// Output files are written whole or not at all: a temporary file renamed into place.
enum OutputFile {
    /// Refuses, before any work is done, an output path whose folder is
    /// missing or not writable, or that names a folder.
    static func check(_ path: String, option: String) throws {
        let example = option == "--runs-csv" ? "runs.csv" : "result.json"
        guard !path.isEmpty else { throw UsageError("\(option) needs a file name, e.g. \(option) \(example)") }
        if path.hasSuffix("/") {
            throw UsageError("\(option) \(path) names a folder (it ends in /); give a file name, e.g. \(path)\(example)")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw UsageError("\(option) \(path) is a folder; give a file name, e.g. \(path)/\(example)")
        }
        // A scenario or a module (perhaps one first required in a run, found only after the batch).
        if path.hasSuffix(".lua") && FileManager.default.fileExists(atPath: path) {
            throw UsageError("\(option) \(path) is a Lua file; writing there would replace it: give a new file name, e.g. \(example)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw UsageError("\(option) \(path): there is no folder \(folder); make it first (mkdir -p \(folder))")
        }
        guard isFolder.boolValue else { throw UsageError("\(option) \(path): \(folder) is a file, not a folder") }
        // Make (and remove) a file beside it: a permission check alone passes for
        // root where nothing can be written (/proc, a read-only filesystem).
        let probe = path + ".check-\(ProcessInfo.processInfo.processIdentifier)"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw UsageError("\(option) \(path): cannot write in \(folder) (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Refuses outputs that are one of the command's inputs (the same file,
    /// however named: compared by device and inode) or each other.
    static func checkDistinct(_ outputs: [(path: String, option: String)], inputs: [(path: String, role: String)]) throws {
        for (i, output) in outputs.enumerated() {
            if let id = fileIdentity(output.path), let input = inputs.first(where: { fileIdentity($0.path) == id }) {
                throw UsageError("\(output.option) \(output.path) is \(input.role) (\(input.path)); writing there would replace it: give a new file name")
            }
            for other in outputs[..<i] where canonicalPath(other.path) == canonicalPath(output.path) {
                throw UsageError("\(other.option) and \(output.option) both name \(output.path); give each its own file")
            }
        }
    }

    /// Device and inode of an existing file.
    private static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// The path with its folder's symbolic links resolved (the file itself need not exist).
    private static func canonicalPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().path
        guard let resolved = realpath(folder, nil) else { return url.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }

    /// Writes `data` to a temporary file beside `path`, then renames it into
    /// place (`TemporaryFiles.publish`): the file is whole or absent.
    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        TemporaryFiles.add(temporary)
        defer {
            unlink(temporary)
            TemporaryFiles.forget(temporary)
        }
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            // Foundation's message for a failed write names its own error domain; the system's reason reads better.
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)
                .flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
            throw ModelError("cannot write \(path): \(reason ?? error.localizedDescription)")
        }
        try TemporaryFiles.publish(temporary, as: path)
    }
}
