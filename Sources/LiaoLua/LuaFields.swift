internal import CLua
internal import Foundation
internal import CLuaShim
internal import LiaoCore

/// Reads the named fields of one Lua table argument of an API call, checking
/// names, types and ranges and saying what is wrong in the analyst's terms.
/// Only raw accesses are used, so no metamethod can run (and raise) while
/// Swift frames are on the stack. `Name` lists the fields (see `APIField`).
struct LuaFields<Name: APIField> {
    let lua: LuaState
    let table: Int32
    /// The API function, for messages: `voucher`, `project` …
    let what: String
    /// The field names the function takes, in the order of `Name`'s cases.
    let allowed: NameList
    /// What the table holds under each allowed name, read in the one pass
    /// that checks the names (`CLuaShim_readFields`), so the common cases
    /// need no further Lua call. The storage is the state's
    /// (`LuaState.fieldScratch`): one API call reads one table at a time.
    private let fields: UnsafeMutablePointer<Field>

    /// One field's value as the table holds it. A string's bytes stay valid
    /// while the table is on the stack (it keeps the string alive) and no
    /// Lua code runs, which holds for the whole of an API call.
    typealias Field = CLuaShim_Field

    init(_ lua: LuaState, argument: Int32, what: String, allowed: NameList) throws(APIError) {
        precondition(allowed.fields == ObjectIdentifier(Name.self), "the field list of \(what) is not that of its fields")
        self.lua = lua
        self.what = what
        self.allowed = allowed
        fields = lua.fieldScratch
        fields.update(repeating: Field(type: LUA_TNIL, number: 0, chars: nil, length: 0), count: allowed.count)
        guard lua.type(at: argument) == LUA_TTABLE else {
            throw APIError("\(what) expects a table of fields, e.g. \(what) { ... }, got \(lua.typeName(at: argument))")
        }
        table = lua_absindex(lua.L, argument)
        switch CLuaShim_readFields(lua.L, table, allowed.interned, allowed.lengths, Int32(allowed.count), fields) {
        case 0: break
        case 1: throw APIError("\(what): every field needs a name (name = value); found a positional value")
        default:
            let key = lua.string(at: -1) ?? ""
            lua.pop()
            throw APIError("\(what): unknown field '\(LuaScenarioEngine.shown(key))'\(LuaScenarioEngine.suggestion(key, among: allowed.names)); fields are \(allowed.names.joined(separator: ", "))")
        }
    }

    /// The field read by `init`.
    private func captured(_ name: Name) -> Field { fields[name.rawValue] }

    /// Pushes field `name` (raw) and runs `body` with its stack index, then pops it.
    private func withField<T>(_ name: Name, _ body: (Int32) throws(APIError) -> T) throws(APIError) -> T {
        lua.push(name.key)
        lua_rawget(lua.L, table)
        defer { lua.pop() }
        return try body(-1)
    }

    func has(_ name: Name) -> Bool { captured(name).type != LUA_TNIL }

    /// A finite number in `range`; `defaultValue` when absent (required when nil).
    func number(_ name: Name, default defaultValue: Double? = nil, in range: ClosedRange<Double> = -Double.infinity...Double.infinity) throws(APIError) -> Double {
        let what = self.what
        // The common cases, a number or an absent field with a default, from what init read.
        let field = captured(name)
        if field.type == LUA_TNUMBER { return try FieldCheck.check(field.number, "\(what): field '\(name.key)'", range) }
        if field.type == LUA_TNIL {
            guard let defaultValue else { throw APIError("\(what): field '\(name.key)' is required") }
            return defaultValue
        }
        return try withField(name) { index throws(APIError) in
            throw APIError("\(what): field '\(name.key)' must be a number, got \(lua.typeName(at: index))")
        }
    }

    /// A whole number in `range`.
    func integer(_ name: Name, default defaultValue: Int? = nil, in range: ClosedRange<Double>) throws(APIError) -> Int {
        let x = try number(name, default: defaultValue.map { Double($0) }, in: range)
        guard x == x.rounded() else { throw APIError("\(what): field '\(name.key)' must be a whole number, got \(Distribution.format(x))") }
        return Int(x)
    }

    func string(_ name: Name, default defaultValue: String? = nil) throws(APIError) -> String {
        let field = captured(name)
        if field.type == LUA_TSTRING, let chars = field.chars {
            return String(decoding: UnsafeRawBufferPointer(start: chars, count: field.length), as: UTF8.self)
        }
        if field.type == LUA_TNIL {
            guard let defaultValue else { throw APIError("\(what): field '\(name.key)' is required") }
            return defaultValue
        }
        return try withField(name) { index throws(APIError) in
            throw APIError("\(what): field '\(name.key)' must be a string, got \(lua.typeName(at: index))")
        }
    }

    /// What `match` makes of the field's string bytes, if the field is a
    /// string; `absent` if it is nil; nil otherwise (the caller then goes the
    /// long way, for its message).
    private func matchString<T>(_ name: Name, absent: @autoclosure () -> T? = nil, _ match: (UnsafePointer<CChar>, Int) -> T?) -> T? {
        let field = captured(name)
        if field.type == LUA_TNIL { return absent() }
        guard field.type == LUA_TSTRING, let chars = field.chars else { return nil }
        return match(chars, field.length)
    }

    /// One of `choices`, as its index in the list.
    func choice(_ name: Name, _ choices: NameList, default defaultValue: String? = nil) throws(APIError) -> Int {
        // The common cases, a valid choice or the default, are matched on the bytes.
        if let k = matchString(name, absent: defaultValue.flatMap { choices.index(of: $0) },
                               { chars, length in choices.index(of: chars, length: length) }) {
            return k
        }
        let s = try string(name, default: defaultValue)
        guard let k = choices.index(of: s) else {
            throw APIError("\(what): field '\(name.key)' must be one of \(choices.names.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(LuaScenarioEngine.shown(s))\"\(LuaScenarioEngine.suggestion(s, among: choices.names))")
        }
        return k
    }

    func sector(_ name: Name) throws(APIError) -> Sector {
        Sector.allCases[try choice(name, lua.names.sectors)]
    }

    /// A month written "YYYY-MM" inside the simulated period, or up to `latest`
    /// (a month index; the month after the period is `SimCalendar.months`).
    func month(_ name: Name, latest: Int = SimCalendar.months - 1) throws(APIError) -> Int {
        // The common case, a valid month, is parsed from the bytes; the rest
        // goes the long way, for its message.
        if let t = matchString(name, FieldCheck.simulatedMonth) { return t }
        let field = captured(name)
        if field.type == LUA_TNUMBER {
            throw APIError("\(what): field '\(name.key)' must be a month written as a string \"YYYY-MM\", e.g. \"2024-05\", got the number \(Distribution.format(field.number))")
        }
        return try FieldCheck.month(try string(name), "\(what): field '\(name.key)'", latest: latest)
    }
}

/// The checks of API arguments that need no table: a month label, a number's range.
enum FieldCheck {
    /// The month written "YYYY-MM" in the `length` bytes at `chars`, if it is
    /// one of the simulated months: the common case, with no Swift string.
    /// Anything else goes to `month(_:_:)` for its message.
    static func simulatedMonth(_ chars: UnsafePointer<CChar>, _ length: Int) -> Int? {
        guard let t = SimCalendar.index(ofUTF8: UnsafeRawBufferPointer(start: chars, count: length)),
              SimCalendar.contains(t) else { return nil }
        return t
    }

    static func month(_ label: String, _ context: @autoclosure () -> String, latest: Int = SimCalendar.months - 1) throws(APIError) -> Int {
        guard let t = SimCalendar.index(of: label) else {
            throw APIError("\(context()) must be a month written \"YYYY-MM\", e.g. \"2024-05\", got \"\(LuaScenarioEngine.shown(label))\"")
        }
        guard t >= 0 && t <= latest else {
            throw APIError("\(context()) is \(label), outside the simulated period 2024-01 to 2025-12")
        }
        return t
    }

    /// `context` is only built for a message, so the common case allocates nothing.
    static func check(_ x: Double, _ context: @autoclosure () -> String, _ range: ClosedRange<Double>) throws(APIError) -> Double {
        guard x.isFinite else { throw APIError("\(context()) must be a finite number, got \(x.isNaN ? "NaN (a 0/0?)" : "\(x)")") }
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
