import LiaoLua
import Testing

/// The host reads API tables by field enums (`APIField`); their keys are what
/// scenarios write, so they must match the case names and the editor annotations.
@Suite struct APIFieldTests {
    static func snakeCase(_ name: String) -> String {
        name.map { $0.isUppercase ? "_" + $0.lowercased() : String($0) }.joined()
    }

    /// The lines of the annotations' `---@class liaosim.<name>` block.
    static func annotations(ofClass name: String) -> [Substring] {
        let lines = LuaDefinitions.text().split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == "---@class liaosim.\(name)" }) else { return [] }
        return Array(lines[(start + 1)...].prefix { $0.hasPrefix("---@field ") })
    }

    static func check<Field: APIField>(_ type: Field.Type, annotatedAs className: String) -> [String] {
        var problems: [String] = []
        if Field.keys.count != Field.allCases.count { problems.append("\(type): \(Field.keys.count) keys for \(Field.allCases.count) cases") }
        if Field.allCases.map(\.rawValue) != Array(0..<Field.allCases.count) { problems.append("\(type): raw values are not 0, 1, 2 ...") }
        let block = annotations(ofClass: className)
        if block.isEmpty { problems.append("\(type): no ---@class liaosim.\(className) in the annotations") }
        for field in Field.allCases where field.rawValue < Field.keys.count {
            let expected = snakeCase(String(describing: field))
            if field.key != expected { problems.append("\(type).\(field): key '\(field.key)', expected '\(expected)'") }
            // A Lua keyword (`end`) can only be written as a string key: the block names it in a comment.
            let annotated = block.contains { $0.hasPrefix("---@field \(field.key) ") || $0.hasPrefix("---@field \(field.key)? ") }
                || (field.key == "end" && block.contains { $0.contains("[\"end\"]") })
            if !annotated { problems.append("\(type).\(field): no '---@field \(field.key)' in liaosim.\(className)") }
        }
        if block.count > Field.allCases.count { problems.append("\(className): \(block.count) fields annotated, \(Field.allCases.count) read") }
        return problems
    }

    @Test func keysAreTheCaseNamesInSnakeCaseAndAnnotated() {
        let problems = Self.check(ScenarioField.self, annotatedAs: "ScenarioFields")
            + Self.check(GoalField.self, annotatedAs: "GoalFields")
            + Self.check(VoucherField.self, annotatedAs: "VoucherFields")
            + Self.check(TradeInField.self, annotatedAs: "TradeInFields")
            + Self.check(EventField.self, annotatedAs: "EventFields")
            + Self.check(ProjectField.self, annotatedAs: "ProjectFields")
            + Self.check(HotelProjectField.self, annotatedAs: "HotelProjectFields")
        #expect(problems.isEmpty, "\(problems)")
    }
}
