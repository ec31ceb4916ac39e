import Foundation
import LiaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of a scenario file, checked before Lua sees it.
public struct ScenarioSource: Sendable {
    /// Name used in messages (`file:line:`): the path as the user wrote it.
    public let displayName: String
    public let bytes: [UInt8]
    /// Folder of the file, for the scenario's own helper modules.
    public let folder: String?

    public init(displayName: String, bytes: [UInt8], folder: String? = nil) {
        self.displayName = displayName
        self.bytes = bytes
        self.folder = folder
    }

    /// Reads and checks a scenario file.
    public static func read(path: String) throws(ScenarioError) -> ScenarioSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(.noInput, "\(path): no such scenario file")
        }
        if isDirectory.boolValue {
            throw ScenarioError(.noInput, "\(path) is a folder; give the path of a .lua scenario file")
        }
        // Reading a pipe or a device could block or never end: regular files only.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ScenarioError(.noInput, "\(path) is not a regular file; give the path of a .lua scenario file")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw ScenarioError(.badScenario, "\(path) is larger than \(maximumBytes >> 20) MiB; a scenario is a small text file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(.noInput, "\(path): cannot read the file (check its permissions)")
        }
        var bytes = [UInt8](data)
        // A byte order mark (Windows editors write one) is not Lua: drop it. Line numbers do not change.
        let markBytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        bytes.removeFirst(markBytes)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ScenarioError(.badScenario, "\(path): the scenario file is empty; see scenarios/plan.lua for an example")
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = Self.firstInvalidUTF8(bytes)
            let line = bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let byte = offset < bytes.count ? " 0x" + String(bytes[offset], radix: 16, uppercase: true) : ""
            throw ScenarioError(.badScenario, "\(path):\(line): not UTF-8 text (byte\(byte) at offset \(offset + markBytes)); save the file as UTF-8 (one saved as GBK converts with: iconv -f GBK -t UTF-8 old.lua > new.lua)")
        }
        if bytes.first == 0x1B {
            throw ScenarioError(.badScenario, "\(path): precompiled Lua chunks are not accepted; give the .lua source")
        }
        return ScenarioSource(displayName: path, bytes: bytes, folder: PathName.folderOrCurrent(of: path))
    }

    /// The largest scenario or module file read: far more than any scenario
    /// needs, small enough to read into memory without a thought.
    public static let maximumBytes = 16 << 20

    /// Why `path` does not lie in `folder` once symbolic links are resolved,
    /// or nil when it does (or does not exist, which reading then reports).
    static func outsideFolder(path: String, folder: String) -> String? {
        guard let realFile = realPath(path) else { return nil }
        guard let realFolder = realPath(folder) else { return "the scenario's folder cannot be resolved" }
        let parent = PathName.folder(of: realFile)
        guard parent == realFolder else {
            return "\(path) leads outside the scenario's folder (to \(realFile)); modules must be files in the scenario's own folder"
        }
        return nil
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
