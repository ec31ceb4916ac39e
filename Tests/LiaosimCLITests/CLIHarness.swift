import Foundation
import Synchronization

/// Runs the built `liaosim` binary and captures what it prints.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLIHarness {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `liaosim` binary next to the test bundle (same build configuration).
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("liaosim"),
            Bundle.main.bundleURL.appendingPathComponent("liaosim"),
            repositoryRoot.appendingPathComponent(".build/release/liaosim"),
            repositoryRoot.appendingPathComponent(".build/debug/liaosim"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs the binary (or the repository's script `script` with bash, or
    /// the program `executable`, given these extra environment variables);
    /// one still running after `timeLimit` seconds is killed (its status is
    /// then that of the signal), so a hang fails its test.
    static func run(
        _ arguments: [String], in directory: URL? = nil, timeLimit: Double = 900,
        script: String? = nil, executable: String? = nil, environment: [String: String] = [:]
    ) throws -> CLIResult {
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else if let script {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [repositoryRoot.appendingPathComponent(script).path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory ?? repositoryRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: killer)
        defer { killer.cancel() }
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh folder under the system's temporary folder (made unless
    /// `create` is false), removed with everything in it when the test
    /// process exits.
    static func temporaryFolder(_ prefix: String, create: Bool = true) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        if create { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        TemporaryFolders.remember(folder)
        return folder
    }

    /// Writes a scenario into a fresh temporary folder and returns its path.
    static func scenarioFile(_ text: String, name: String = "scenario.lua") throws -> String {
        let folder = try temporaryFolder("liaosim-cli")
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// The JSON text without its `timing` block, which is the only part allowed to differ between runs.
    static func withoutTiming(_ text: String) -> String {
        guard let range = text.range(of: "\"timing\": {") else { return text }
        let end = text[range.upperBound...].range(of: "}")!.upperBound
        return String(text[..<range.lowerBound] + text[end...])
    }
}

/// The temporary folders the tests made, removed when the test process exits.
private enum TemporaryFolders {
    private static let folders: Mutex<[URL]> = {
        atexit { TemporaryFolders.folders.withLock { for folder in $0 { try? FileManager.default.removeItem(at: folder) } } }
        return Mutex([])
    }()

    static func remember(_ folder: URL) { folders.withLock { $0.append(folder) } }
}
