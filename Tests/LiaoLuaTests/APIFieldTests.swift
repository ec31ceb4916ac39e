import Testing
import LiaoLua

/// The host reads API tables by field enums (`APIField`); their keys are what
/// scenarios write, so they must match the case names and the editor annotations.
@Suite struct APIFieldTests {
    static func snakeCase(_ name: String) -> String {
        name.map { $0.isUppercase ? "_" + $0.lowercased() : String($0) }.joined()
    }

    static func check<Field: APIField>(_ type: Field.Type) -> [String] {
        var problems: [String] = []
        if Field.keys.count != Field.allCases.count { problems.append("\(type): \(Field.keys.count) keys for \(Field.allCases.count) cases") }
        for field in Field.allCases where field.rawValue < Field.keys.count {
            let expected = snakeCase(String(describing: field))
            if field.key != expected { problems.append("\(type).\(field): key '\(field.key)', expected '\(expected)'") }
            let annotations = LuaDefinitions.text()
            // A Lua keyword (`end`) can only be written as a string key: `["end"]`.
            let spellings = ["---@field \(field.key) ", "---@field \(field.key)? ", "[\"\(field.key)\"]"]
            if !spellings.contains(where: annotations.contains) {
                problems.append("\(type).\(field): no '---@field \(field.key)' in the editor annotations")
            }
        }
        return problems
    }

    @Test func keysAreTheCaseNamesInSnakeCaseAndAnnotated() {
        let problems = Self.check(ScenarioField.self) + Self.check(GoalField.self) + Self.check(VoucherField.self)
            + Self.check(TradeInField.self) + Self.check(EventField.self) + Self.check(ProjectField.self)
            + Self.check(HotelProjectField.self)
        #expect(problems.isEmpty, "\(problems)")
    }
}
