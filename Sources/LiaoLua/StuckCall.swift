internal import CLuaShim

/// A call into a scenario that stays inside a C library function long past
/// its time limit (a string pattern that backtracks over a long string, say)
/// cannot be interrupted on its thread, so the watchdog stops the process.
/// The host may run `handler` first, with the one-line message, to remove its
/// temporary files; the process then exits with code 70 unless the handler
/// exits itself.
public enum StuckCall {
    public static func setHandler(_ handler: @convention(c) (UnsafePointer<CChar>?) -> Void) {
        CLuaShim_setStuckCallHandler(handler)
    }
}
