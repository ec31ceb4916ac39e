internal import CLua
internal import CLuaShim
internal import Foundation
internal import LiaoCore

/// A fixed list of names (the fields an API function takes, or the choices
/// of a field) whose bytes are kept side by side, so that a Lua string can
/// be matched against them in place, without making a Swift string.
///
/// Once `intern(in:)` has given it the state's own copies of its names, a
/// name is found by comparing pointers first: Lua keeps a single copy of
/// each short string, so a key or value a scenario writes as `"catering"`
/// has the very bytes of the list's copy.
final class NameList: @unchecked Sendable {
    let names: [String]
    /// Every name's UTF-8 bytes, back to back; name k is `offsets[k] ..< offsets[k + 1]`.
    /// A list belongs to one Lua state (see `APINames`) and does not change
    /// after `init` and `intern`.
    private let bytes: UnsafeMutablePointer<CChar>
    private let offsets: [Int]
    /// Name k as the Lua state holds it (nil until `intern`), and its length:
    /// the arrays `CLuaShim_readFields` matches keys with.
    let interned: UnsafeMutablePointer<UnsafePointer<CChar>?>
    let lengths: UnsafeMutablePointer<Int>
    /// The `APIField` type whose keys these are, if any.
    let fields: ObjectIdentifier?

    convenience init(_ names: [String]) {
        self.init(names, fields: nil)
    }

    /// The names of an API function's fields, in the order of its cases.
    convenience init<Names: APIField>(_ fields: Names.Type) {
        precondition(Names.keys.count == Names.allCases.count && Names.keys.count <= LuaState.maxFields
                     && Names.allCases.map(\.rawValue) == Array(Names.allCases.indices),
                     "\(Names.self) needs one key per case, at most \(LuaState.maxFields), and raw values 0, 1, 2 ...")
        self.init(Names.keys, fields: ObjectIdentifier(fields))
    }

    private init(_ names: [String], fields: ObjectIdentifier?) {
        self.names = names
        self.fields = fields
        var offsets = [0]
        for name in names { offsets.append(offsets.last! + name.utf8.count) }
        self.offsets = offsets
        bytes = .allocate(capacity: max(offsets.last!, 1))
        for (k, name) in names.enumerated() {
            for (i, byte) in name.utf8.enumerated() { bytes[offsets[k] + i] = CChar(bitPattern: byte) }
        }
        interned = .allocate(capacity: max(names.count, 1))
        interned.initialize(repeating: nil, count: max(names.count, 1))
        lengths = .allocate(capacity: max(names.count, 1))
        for k in names.indices { lengths[k] = offsets[k + 1] - offsets[k] }
    }

    deinit {
        bytes.deallocate()
        interned.deallocate()
        lengths.deallocate()
    }

    var count: Int { names.count }

    /// Takes the state's copy of every name, and keeps the copies alive in
    /// `anchor` (a table on the stack) for as long as the state lives.
    func intern(in L: OpaquePointer, anchor: Int32) {
        for k in names.indices {
            interned[k] = lua_pushlstring(L, bytes + offsets[k], lengths[k])
            lua_rawseti(L, anchor, lua_Integer(lua_rawlen(L, anchor)) + 1)
        }
    }

    /// The index of the name made of the `length` bytes at `chars`, if any.
    func index(of chars: UnsafePointer<CChar>, length: Int) -> Int? {
        for k in 0..<names.count where interned[k] == chars { return k }
        for k in 0..<names.count where lengths[k] == length {
            if memcmp(bytes + offsets[k], chars, length) == 0 { return k }
        }
        return nil
    }

    /// The index of `name`, if it is in the list.
    func index(of name: String) -> Int? {
        for k in 0..<names.count where names[k] == name { return k }
        return nil
    }
}

/// The names the scenario API matches: the fields of each API function that
/// takes a table, and the choices of its fields. Each engine has its own
/// (`LuaState.names`), never a global: matching retains these objects, and a
/// reference count that several workers change would move its cache line
/// from core to core on every API call.
final class APINames {
    let scenarioFields = NameList(ScenarioField.self)
    let goalFields = NameList(GoalField.self)
    let voucherFields = NameList(VoucherField.self)
    let voucherKinds = NameList(Voucher.Kind.allCases.map(\.rawValue))
    let tradeInFields = NameList(TradeInField.self)
    let eventFields = NameList(EventField.self)
    let projectFields = NameList(ProjectField.self)
    let hotelProjectFields = NameList(HotelProjectField.self)
    let sectors = NameList(Sector.allCases.map(\.key))
    /// Lever keys, in `Lever.allCases` order.
    let levers = NameList(Lever.allCases.map(\.key))

    private var all: [NameList] {
        [scenarioFields, goalFields, voucherFields, voucherKinds, tradeInFields, eventFields, projectFields,
         hotelProjectFields, sectors, levers]
    }

    /// Gives every list the state's copies of its names (see `NameList`),
    /// anchored in a registry table for the state's life.
    func intern(in L: OpaquePointer) {
        lua_createtable(L, 64, 0)
        let anchor = lua_gettop(L)
        for list in all { list.intern(in: L, anchor: anchor) }
        _ = luaL_ref(L, CLuaShim_registryIndex())
    }
}
