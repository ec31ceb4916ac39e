import Foundation
import LiaoCore

/// Where an output goes. A regular file (new, or existing; through a
/// symbolic link, the file the link names) is written whole or not at all: a
/// temporary file beside it, renamed into place. A stream that already exists
/// (a pipe, a terminal, `/dev/stdout`, `/dev/null`) is written through as it
/// is, never replaced.
struct OutputDestination {
    /// The file to rename onto, or the stream to write to.
    let file: String
    let isStream: Bool

    init(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { (file, isStream) = (path, false); return }
        var target = path
        if info.st_mode & S_IFMT == S_IFLNK {
            guard stat(path, &info) == 0 else {
                throw UsageError("\(path) is a symbolic link to a file that cannot be reached (\(String(cString: strerror(errno)))); give the file itself")
            }
            // A link to a regular file: rename onto the file, keeping the link.
            // A link to a stream (/dev/stdout to a pipe) is written through as it is.
            if info.st_mode & S_IFMT == S_IFREG, let resolved = realpath(path, nil) {
                target = String(cString: resolved)
                free(resolved)
            }
        }
        let kind = info.st_mode & S_IFMT
        // A regular file that is this process's stdout or stderr (`/dev/stdout` with stdout
        // sent to a file) is written through that descriptor: never renamed onto.
        (file, isStream) = (target, kind == S_IFCHR || kind == S_IFIFO || kind == S_IFSOCK || Self.standardDescriptor(of: info) != nil)
    }

    /// STDOUT_FILENO or STDERR_FILENO when `info` is the file it writes to.
    private static func standardDescriptor(of info: stat) -> Int32? {
        [STDOUT_FILENO, STDERR_FILENO].first { standard in
            var own = stat()
            return fstat(standard, &own) == 0 && own.st_dev == info.st_dev && own.st_ino == info.st_ino
        }
    }

    /// The descriptor to write a stream through: this process's stdout or
    /// stderr when the stream is one of them (so that the output lands where
    /// the report does, in order), else the stream opened to append.
    private func streamDescriptor() -> Int32 {
        var target = stat()
        if stat(file, &target) == 0, let standard = Self.standardDescriptor(of: target) {
            fflush(nil)
            return dup(standard)
        }
        return Glibc.open(file, O_WRONLY | O_APPEND | O_CLOEXEC)
    }

    /// A path for a temporary file of this output: beside the file, or for a
    /// stream in the system's temporary folder.
    func scratch(_ suffix: String) -> String {
        let pid = ProcessInfo.processInfo.processIdentifier
        if isStream { return NSTemporaryDirectory() + "/liaosim-\(pid)-\(suffix)" }
        let beside = file + ".\(suffix)-\(pid)"
        // A name near the system's limit of 255 bytes has no room for the
        // suffix: a short name in the same folder instead (renamed within it).
        guard (beside as NSString).lastPathComponent.utf8.count > 255 else { return beside }
        return PathName.folderOrCurrent(of: file) + "/.liaosim-\(pid)-\(suffix)"
    }

    /// Makes `path` a new, empty regular file and opens it for writing: never
    /// through something already at that name (a link, a pipe), which is refused.
    static func createNew(_ path: String) throws -> FileHandle {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw WriteFailed(path: path, reason: String(cString: strerror(errno))) }
        TemporaryFiles.add(path)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Opens the output for writing: for a file, a new temporary file
    /// (exclusively, never through a link someone left at its name) that
    /// `finish` renames into place; for a stream, the stream itself.
    func open(temporary: String) throws -> FileHandle {
        guard isStream else {
            let handle = try Self.createNew(temporary)
            keepPermissions(on: handle.fileDescriptor)
            return handle
        }
        let descriptor = streamDescriptor()
        guard descriptor >= 0 else { throw WriteFailed(path: file, reason: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Gives a new temporary file the permissions (and, where this process
    /// may, the owner and group) of the file it will replace, so that
    /// replacing an output does not change who can read it. A new output
    /// keeps the permissions the umask gives.
    private func keepPermissions(on descriptor: Int32) {
        var existing = stat()
        guard stat(file, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG else { return }
        // Owner and group (root), else the group alone (a group this user is in).
        if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 { _ = fchown(descriptor, uid_t.max, existing.st_gid) }
        // Where the group could not be kept, its permissions are not given to another group.
        var now = stat()
        let sameGroup = fstat(descriptor, &now) == 0 && now.st_gid == existing.st_gid
        _ = fchmod(descriptor, existing.st_mode & (sameGroup ? 0o777 : 0o707))
    }

    /// Puts a finished temporary file in place (nothing to do for a stream).
    func finish(temporary: String) throws {
        if !isStream { try TemporaryFiles.publish(temporary, as: file) }
    }
}

/// An output file that could not be written (a full disk, a folder gone):
/// exit 74 (EX_IOERR), as for a report that cannot reach stdout.
struct WriteFailed: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}

/// Output files: checked before a batch, written whole or not at all.
enum OutputFile {
    /// Refuses, before any work is done, an output path whose folder is
    /// missing or not writable, or that names a folder.
    static func check(_ path: String, option: String) throws {
        let example = option == "--runs-csv" ? "runs.csv" : "result.json"
        guard !path.isEmpty else { throw UsageError("\(option) needs a file name, e.g. \(option) \(example)") }
        // Not a file named "-": what other tools mean by it is spelt out here.
        if path == "-" {
            throw UsageError("\(option) - would write a file named '-'; give a file name, e.g. \(option) \(example), or \(option) /dev/stdout for standard output (ahead of the report)")
        }
        if path.hasSuffix("/") {
            throw UsageError("\(option) \(path) names a folder (it ends in /); give a file name, e.g. \(path)\(example)")
        }
        if ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].contains(path) {
            throw UsageError("\(option) \(path) is this command's input, not an output; give a file name, e.g. \(option) \(example), or /dev/stdout")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw UsageError("\(option) \(path) is a folder; give a file name, e.g. \(path)/\(example)")
        }
        let destination: OutputDestination
        do { destination = try OutputDestination(path) } catch let error as UsageError { throw UsageError("\(option) \(error.message)") }
        if destination.isStream { return }  // a pipe or device: written through, checked when opened
        // A file given as this command's stdin (`< input.txt`), however named.
        var target = stat(), input = stat()
        if stat(destination.file, &target) == 0, fstat(STDIN_FILENO, &input) == 0,
           target.st_dev == input.st_dev, target.st_ino == input.st_ino {
            throw UsageError("\(option) \(path) is this command's input (its stdin), not an output; give a file name, e.g. \(option) \(example)")
        }
        let path = destination.file
        // A scenario or a module (perhaps one first required in a run, found only after the batch).
        if path.hasSuffix(".lua") && FileManager.default.fileExists(atPath: path) {
            throw UsageError("\(option) \(path) is a Lua file; writing there would replace it: give a new file name, e.g. \(example)")
        }
        let folder = PathName.folderOrCurrent(of: path)
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw UsageError("\(option) \(path): there is no folder \(folder); make it first (mkdir -p \(folder))")
        }
        guard isFolder.boolValue else { throw UsageError("\(option) \(path): \(folder) is a file, not a folder") }
        // Make (and remove) a file beside it: a permission check alone passes for
        // root where nothing can be written (/proc, a read-only filesystem).
        // (A short name of its own, so that a long output name still fits the system's limit.)
        let probe = folder + "/.liaosim-check-\(ProcessInfo.processInfo.processIdentifier)"
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
                throw UsageError(other.path == output.path
                    ? "\(other.option) and \(output.option) both name \(output.path); give each its own file"
                    : "\(other.option) \(other.path) and \(output.option) \(output.path) are the same file; give each its own file")
            }
        }
    }

    /// Device and inode of an existing file.
    private static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// The path with its symbolic links resolved, the file's own too when it
    /// exists (two links to one file are the same output); else its folder's.
    private static func canonicalPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().path
        guard let resolved = realpath(folder, nil) else { return url.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }

    /// Writes `data` to a temporary file beside `path`, then renames it into
    /// place (`TemporaryFiles.publish`): the file is whole or absent. A stream
    /// (`OutputDestination`) is written through.
    static func write(_ data: Data, to path: String) throws {
        let destination = try OutputDestination(path)
        let temporary = destination.scratch("tmp")
        defer {
            if !destination.isStream {
                unlink(temporary)
                TemporaryFiles.forget(temporary)
            }
        }
        let handle = try destination.open(temporary: temporary)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw WriteFailed(path: path, reason: systemReason(error))
        }
        try destination.finish(temporary: temporary)
    }

    /// The system's reason for a failed file operation ("No space left on
    /// device"), rather than Foundation's message naming its error domain.
    static func systemReason(_ error: any Error) -> String {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0 : nil }
        return posix.map { String(cString: strerror(Int32($0.code))) } ?? ns.localizedDescription
    }
}
