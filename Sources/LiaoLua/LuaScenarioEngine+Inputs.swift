internal import CLua
internal import CLuaShim
internal import LiaoCore

/// `input(name, default)`: a named value the command line can set with
/// `--set name=value`, so that `sweep` and `solve` can vary it.
extension LuaScenarioEngine {
    func readInput() throws(APIError) -> Int32 {
        guard let name = lua.string(at: 1) else {
            throw APIError("input expects a name and a default value, e.g. input(\"catering_budget\", 0.2)")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
            throw APIError("input: '\(name)' is not a valid input name (letters, digits, '_' and '.')")
        }
        if let earlier = scenario.inputs.first(where: { $0.name == name }) {
            throw APIError("input '\(name)' is read twice (it was \(earlier.value)); read it once into a local")
        }
        let given = inputValues[name]
        if let defaultValue = lua.number(at: 2) {
            _ = try FieldCheck.check(defaultValue, "input '\(name)' default", -Double.infinity...Double.infinity)
            var value = defaultValue
            if let given {
                guard let parsed = Double(given), parsed.isFinite else {
                    let message = "--set \(name)=\(given): input '\(name)' takes a number (its default is \(Distribution.format(defaultValue)))"
                    badSetting = message
                    throw APIError(message)
                }
                value = parsed
            }
            scenario.inputs.append(ScenarioInput(
                name: name, value: Distribution.format(value), defaultValue: Distribution.format(defaultValue), isNumber: true))
            // Always a float, whatever the default or --set value looks like: inputs are
            // recorded, merged and varied as numbers, so 4 and 4.0 must be the same input.
            lua_pushnumber(lua.L, value)
            return 1
        }
        guard let defaultValue = lua.string(at: 2) else {
            throw APIError("input '\(name)' needs a default value, a number or a string; got \(lua.typeName(at: 2))")
        }
        let value = given ?? defaultValue
        scenario.inputs.append(ScenarioInput(name: name, value: value, defaultValue: defaultValue, isNumber: false))
        lua.push(value)
        return 1
    }

    /// Every `--set` name must be an input the scenario read.
    func checkInputsWereRead() throws(ScenarioError) {
        let read = Set(scenario.inputs.map(\.name))
        for name in inputValues.keys.sorted() where !read.contains(name) {
            let known = scenario.inputs.map(\.name)
            let list = known.isEmpty ? "it reads no inputs" : "its inputs are \(known.joined(separator: ", "))"
            throw ScenarioError(
                .badCommandLine,
                "\(source.displayName): \(name == variedInput ? "--vary" : "--set") \(name): the scenario has no input '\(name)'\(Suggest.didYouMean(name, among: known)); \(list)")
        }
    }
}
