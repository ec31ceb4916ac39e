import Foundation

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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(.noInput, "\(path): cannot read the file (check its permissions)")
        }
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ScenarioError(.badScenario, "\(path): the scenario file is empty; see scenarios/plan.lua for an example")
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = Self.firstInvalidUTF8(bytes)
            throw ScenarioError(.badScenario, "\(path): not UTF-8 text (bad byte at offset \(offset)); save the file as UTF-8")
        }
        if bytes.first == 0x1B {
            throw ScenarioError(.badScenario, "\(path): precompiled Lua chunks are not accepted; give the .lua source")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return ScenarioSource(displayName: path, bytes: bytes, folder: folder.isEmpty ? "." : folder)
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
