import LiaoLua
import LiaoCore
import Synchronization

/// Notes on stderr about a scenario as it loads: values far outside anything
/// plausible (a slip of unit, most likely; see `Plausibility`). Each note is
/// written once per command, however many times the scenario loads (a sweep
/// loads it for every value).
enum LoadNotes {
    private static let written = Mutex<Set<String>>([])

    static func show(_ engine: LuaScenarioEngine) {
        for note in engine.loadNotes where written.withLock({ $0.insert(note).inserted }) {
            StandardError.write("liaosim: note: \(note)\n")
        }
    }
}
