import Foundation
import Testing

/// A short fuzz run through the built `liaosim-fuzz` binary: the regression
/// corpus in Tests/Fuzz/corpus, then a few hundred generated cases. Run as a
/// separate process, so that a crash fails this test instead of the suite.
/// The full run is `scripts/fuzz`.
@Suite struct FuzzCorpusTests {
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("liaosim-fuzz"),
            repositoryRoot.appendingPathComponent(".build/release/liaosim-fuzz"),
            repositoryRoot.appendingPathComponent(".build/debug/liaosim-fuzz"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    @Test func corpusAndAShortRunNeverCrash() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--corpus", repositoryRoot.appendingPathComponent("Tests/Fuzz/corpus").path, "--cases", "300", "--seed", "20240101"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(text.contains("corpus + 300 generated cases") && text.contains("0 crashes"), "\(text)")
    }
}
