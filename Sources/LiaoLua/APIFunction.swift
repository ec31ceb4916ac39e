/// The functions a scenario can call, registered as Lua globals.
enum APIFunction: Int32, CaseIterable {
    case scenario, param, lever, goal, metric, input, correlate
    case fixed, normal, lognormal, beta, uniform, triangular, pert
    case voucher, tradein, event, project, hotelProject
    /// Internal: writes a line to stderr (behind the scenario's `print`).
    case printLine
    /// Internal: loads a helper module beside the scenario (behind `require`).
    case loadModule
    /// Internal: told the `on_month` a module set while it loaded (by `require`).
    case moduleHook

    /// The prelude's helpers: handed to it, never globals of the scenario.
    var isInternal: Bool { self == .printLine || self == .loadModule || self == .moduleHook }

    var luaName: String {
        switch self {
        case .hotelProject: "hotel_project"
        case .printLine: "__liaosim_print"
        case .loadModule: "__liaosim_load_module"
        case .moduleHook: "__liaosim_module_hook"
        default: "\(self)"
        }
    }

    /// The most arguments the function reads, and what they are, for the
    /// message when more are given (an argument silently dropped is a
    /// mistake the scenario would never hear of). Nil: checked where read.
    var arguments: (maximum: Int32, names: String)? {
        switch self {
        case .scenario, .goal, .voucher, .tradein, .event, .project, .hotelProject: (1, "a table of fields")
        case .param: (2, "a key and a distribution or number")
        case .lever: (3, "a name, a value and the first month")
        case .metric: (2, "a name and a function")
        case .input: (2, "a name and a default")
        case .correlate: (3, "two keys and a rank correlation")
        default: nil
        }
    }

    /// Functions that only make sense while the scenario file loads.
    var isLoadTimeOnly: Bool {
        switch self {
        case .scenario, .param, .goal, .metric, .input, .correlate: true
        default: false
        }
    }
}
