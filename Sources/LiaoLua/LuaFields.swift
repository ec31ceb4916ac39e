internal import CLua
internal import Foundation
internal import CLuaShim
internal import LiaoCore

/// Reads the named fields of one Lua table argument of an API call, checking
/// names, types and ranges and saying what is wrong in the analyst's terms.
/// Only raw accesses are used, so no metamethod can run (and raise) while
/// Swift frames are on the stack.
struct LuaFields {
    let lua: LuaState
    let table: Int32
    /// The API function, for messages: `voucher`, `project` …
    let what: String
    /// The field names the function takes.
    let allowed: NameList
    /// What the table holds under each allowed name, read in the one pass
    /// that checks the names, so the common cases need no further Lua call.
    /// The storage is the state's (`LuaState.fieldScratch`): one API call
    /// reads one table at a time.
    private let fields: UnsafeMutablePointer<Field>

    /// One field's value as the table holds it. A string's bytes stay valid
    /// while the table is on the stack (it keeps the string alive) and no
    /// Lua code runs, which holds for the whole of an API call.
    struct Field {
        var type: Int32 = LUA_TNIL
        var number: Double = 0
        var chars: UnsafePointer<CChar>? = nil
        var length: Int = 0
    }

    /// Most names a table of fields may have.
    static let maxFields = 16

    init(_ lua: LuaState, argument: Int32, what: String, allowed: NameList) throws(APIError) {
        precondition(allowed.count <= Self.maxFields, "LuaFields holds at most \(Self.maxFields) field names")
        self.lua = lua
        self.what = what
        self.allowed = allowed
        fields = lua.fieldScratch
        fields.update(repeating: Field(), count: allowed.count)
        guard lua.type(at: argument) == LUA_TTABLE else {
            throw APIError("\(what) expects a table of fields, e.g. \(what) { ... }, got \(lua.typeName(at: argument))")
        }
        table = lua_absindex(lua.L, argument)
        lua_pushnil(lua.L)
        while lua_next(lua.L, table) != 0 {
            defer { lua.pop() }
            // The key's bytes are compared in place: no String unless it is wrong.
            var length = 0
            let chars = lua.type(at: -2) == LUA_TSTRING ? lua_tolstring(lua.L, -2, &length) : nil
            guard let chars else {
                lua.pop(1)  // the key; the deferred pop takes the value
                throw APIError("\(what): every field needs a name (name = value); found a positional value")
            }
            guard let k = allowed.index(of: chars, length: length) else {
                let key = String(decoding: UnsafeRawBufferPointer(start: chars, count: length), as: UTF8.self)
                lua.pop(1)  // the key; the deferred pop takes the value
                throw APIError("\(what): unknown field '\(LuaScenarioEngine.shown(key))'\(LuaScenarioEngine.suggestion(key, among: allowed.names)); fields are \(allowed.names.joined(separator: ", "))")
            }
            var field = Field(type: lua.type(at: -1))
            if field.type == LUA_TNUMBER {
                field.number = lua_tonumberx(lua.L, -1, nil)
            } else if field.type == LUA_TSTRING {
                field.chars = lua_tolstring(lua.L, -1, &field.length)
            }
            fields[k] = field
        }
    }

    /// The field read by `init`, if `name` is one of the allowed names.
    private func captured(_ name: String) -> Field? {
        allowed.index(of: name).map { fields[$0] }
    }

    /// Pushes field `name` (raw) and runs `body` with its stack index, then pops it.
    private func withField<T>(_ name: String, _ body: (Int32) throws(APIError) -> T) throws(APIError) -> T {
        lua.push(name)
        lua_rawget(lua.L, table)
        defer { lua.pop() }
        return try body(-1)
    }

    func has(_ name: String) -> Bool {
        if let field = captured(name) { return field.type != LUA_TNIL }
        return (try? withField(name) { index in lua.type(at: index) != LUA_TNIL }) ?? false
    }

    /// A finite number in `range`; `defaultValue` when absent (required when nil).
    func number(_ name: String, default defaultValue: Double? = nil, in range: ClosedRange<Double> = -Double.infinity...Double.infinity) throws(APIError) -> Double {
        let what = self.what
        // The common cases, a number or an absent field with a default, from what init read.
        if let field = captured(name) {
            if field.type == LUA_TNUMBER { return try LuaFields.check(field.number, "\(what): field '\(name)'", range) }
            if field.type == LUA_TNIL, let defaultValue { return defaultValue }
        }
        return try withField(name) { index throws(APIError) in
            if lua.type(at: index) == LUA_TNIL {
                guard let defaultValue else { throw APIError("\(what): field '\(name)' is required") }
                return defaultValue
            }
            guard let x = lua.number(at: index) else {
                throw APIError("\(what): field '\(name)' must be a number, got \(lua.typeName(at: index))")
            }
            return try LuaFields.check(x, "\(what): field '\(name)'", range)
        }
    }

    /// A whole number in `range`.
    func integer(_ name: String, default defaultValue: Int? = nil, in range: ClosedRange<Double>) throws(APIError) -> Int {
        let x = try number(name, default: defaultValue.map(Double.init), in: range)
        guard x == x.rounded() else { throw APIError("\(what): field '\(name)' must be a whole number, got \(Distribution.format(x))") }
        return Int(x)
    }

    func string(_ name: String, default defaultValue: String? = nil) throws(APIError) -> String {
        let what = self.what
        if let field = captured(name), field.type == LUA_TSTRING, let chars = field.chars {
            return String(decoding: UnsafeRawBufferPointer(start: chars, count: field.length), as: UTF8.self)
        }
        return try withField(name) { index throws(APIError) in
            if lua.type(at: index) == LUA_TNIL {
                guard let defaultValue else { throw APIError("\(what): field '\(name)' is required") }
                return defaultValue
            }
            guard let s = lua.string(at: index) else {
                throw APIError("\(what): field '\(name)' must be a string, got \(lua.typeName(at: index))")
            }
            return s
        }
    }

    /// What `match` makes of the field's string bytes, if the field is a
    /// string; `absent` if it is nil; nil otherwise (the caller then goes the
    /// long way, for its message).
    private func matchString<T>(_ name: String, absent: T? = nil, _ match: (UnsafePointer<CChar>, Int) -> T?) -> T? {
        if let field = captured(name) {
            if field.type == LUA_TNIL { return absent }
            guard field.type == LUA_TSTRING, let chars = field.chars else { return nil }
            return match(chars, field.length)
        }
        return (try? withField(name) { index -> T? in
            if lua.type(at: index) == LUA_TNIL { return absent }
            var length = 0
            guard lua.type(at: index) == LUA_TSTRING, let chars = lua_tolstring(lua.L, index, &length) else { return nil }
            return match(chars, length)
        }) ?? nil
    }

    /// One of `choices`, as its index in the list.
    func choice(_ name: String, _ choices: NameList, default defaultValue: String? = nil) throws(APIError) -> Int {
        // The common cases, a valid choice or the default, are matched on the bytes.
        let absent = defaultValue.flatMap { choices.index(of: $0) }
        if let k = matchString(name, absent: absent, { chars, length in choices.index(of: chars, length: length) }) {
            return k
        }
        let s = try string(name, default: defaultValue)
        guard let k = choices.index(of: s) else {
            throw APIError("\(what): field '\(name)' must be one of \(choices.names.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(LuaScenarioEngine.shown(s))\"\(LuaScenarioEngine.suggestion(s, among: choices.names))")
        }
        return k
    }

    func sector(_ name: String = "sector") throws(APIError) -> Sector {
        Sector.allCases[try choice(name, lua.names.sectors)]
    }

    /// A month written "YYYY-MM" inside the simulated period.
    func month(_ name: String) throws(APIError) -> Int {
        // The common case, a valid month, is parsed from the bytes; the rest
        // goes the long way, for its message.
        if let t = matchString(name, { SimCalendar.index(ofUTF8: UnsafeRawBufferPointer(start: $0, count: $1)) }),
           SimCalendar.contains(t) { return t }
        return try LuaFields.month(try string(name), "\(what): field '\(name)'")
    }

    static func month(_ label: String, _ context: @autoclosure () -> String) throws(APIError) -> Int {
        guard let t = SimCalendar.index(of: label) else {
            throw APIError("\(context()) must be a month written \"YYYY-MM\", e.g. \"2024-05\", got \"\(LuaScenarioEngine.shown(label))\"")
        }
        guard SimCalendar.contains(t) else {
            throw APIError("\(context()) is \(label), outside the simulated period 2024-01 to 2025-12")
        }
        return t
    }

    /// `context` is only built for a message, so the common case allocates nothing.
    static func check(_ x: Double, _ context: @autoclosure () -> String, _ range: ClosedRange<Double>) throws(APIError) -> Double {
        guard x.isFinite else { throw APIError("\(context()) must be a finite number, got \(x)") }
        guard range.contains(x) else {
            let lo = range.lowerBound, hi = range.upperBound
            let bound: String
            if lo.isFinite && hi.isFinite {
                bound = "between \(Distribution.format(lo)) and \(Distribution.format(hi))"
            } else if lo.isFinite {
                bound = lo == 0 ? "at least 0 (not negative)" : "at least \(Distribution.format(lo))"
            } else {
                bound = "at most \(Distribution.format(hi))"
            }
            throw APIError("\(context()) must be \(bound), got \(Distribution.format(x))")
        }
        return x
    }
}
