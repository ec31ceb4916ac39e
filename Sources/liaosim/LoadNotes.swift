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

    /// The note's place ("file:line: ") and its text with every number
    /// written as "#": the values in a note may change with an input (a
    /// budget, a voucher's months), and the note should still show once.
    static func key(_ note: String) -> String {
        guard let place = note.firstMatch(of: #/^[^:]*:\d+: /#) else { return note }
        let text = note[place.range.upperBound...].replacing(#/-?[0-9][0-9.,eE+-]*/#, with: "#")
        return String(place.output) + text
    }
}
