/// The functions a scenario can call, registered as Lua globals.
enum APIFunction: Int32, CaseIterable {
    case scenario, param, lever, goal, metric, input, correlate
    case fixed, normal, lognormal, beta, uniform, triangular, pert
    case voucher, tradein, event, project, hotelProject
    /// Internal: writes a line to stderr (behind the scenario's `print`).
    case printLine
    /// Internal: loads a helper module beside the scenario (behind `require`).
    case loadModule

    var luaName: String {
        switch self {
        case .hotelProject: "hotel_project"
        case .printLine: "__liaosim_print"
        case .loadModule: "__liaosim_load_module"
        default: "\(self)"
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
