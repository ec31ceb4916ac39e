import LiaoLua
import LiaoCore
import Synchronization

/// Notes on stderr about a scenario as it loads: values far outside anything
/// plausible (a slip of unit, most likely; see `Plausibility`) and hooks
/// replaced. One note per place in the scenario (file and line) and kind,
/// however many times the scenario loads: a sweep loads it for every value,
/// and the value in the note may change with the input.
enum LoadNotes {
    private static let written = Mutex<Set<String>>([])

    static func show(_ engine: LuaScenarioEngine) {
        for note in engine.loadNotes where written.withLock({ $0.insert(key(note)).inserted }) {
            StandardError.write("liaosim: note: \(note)\n")
        }
    }

    /// A plausibility note up to its first " is " ("file:line: param 'x': the
    /// median is "): the value after it may change with an input. Any other
    /// note is its whole text.
    private static func key(_ note: String) -> String {
        guard note.hasSuffix(". Check the unit") else { return note }
        return note.firstMatch(of: #/^[^:]*:\d+: .*? is /#).map { String($0.output) } ?? note
    }
}
