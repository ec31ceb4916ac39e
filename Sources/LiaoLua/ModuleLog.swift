import Synchronization

/// The modules a scenario loaded with `require`, shared by the Lua states of
/// one command: the loading state and every worker's, so that a module first
/// required inside `on_month` is seen too. A result file's scenario
/// fingerprint covers them (see `BatchArchive.digest`), so shards run with
/// different helper files are not merged.
public final class ModuleLog: Sendable {
    /// Each module's texts by name (more than one if the file changed while
    /// the command ran).
    private let texts = Mutex<[String: Set<[UInt8]>]>([:])

    public init() {}

    func record(name: String, bytes: [UInt8]) {
        texts.withLock { _ = $0[name, default: []].insert(bytes) }
    }

    /// Every module text loaded so far, with its name.
    public var modules: [(name: String, bytes: [UInt8])] {
        texts.withLock { $0.flatMap { name, versions in versions.map { (name, $0) } } }
    }
}
