internal import Foundation
internal import LiaoCore

/// A fixed list of names (the fields an API function takes, or the choices
/// of a field) whose bytes are kept side by side, so that a Lua string can
/// be matched against them in place, without making a Swift string.
final class NameList: @unchecked Sendable {
    let names: [String]
    /// Every name's UTF-8 bytes, back to back; name k is `offsets[k] ..< offsets[k + 1]`.
    /// Immutable after `init`, hence safe to share between threads.
    private let bytes: UnsafeMutablePointer<CChar>
    private let offsets: [Int]

    init(_ names: [String]) {
        self.names = names
        var offsets = [0]
        for name in names { offsets.append(offsets.last! + name.utf8.count) }
        self.offsets = offsets
        bytes = .allocate(capacity: max(offsets.last!, 1))
        for (k, name) in names.enumerated() {
            for (i, byte) in name.utf8.enumerated() { bytes[offsets[k] + i] = CChar(bitPattern: byte) }
        }
    }

    deinit { bytes.deallocate() }

    var count: Int { names.count }

    /// The index of the name made of the `length` bytes at `chars`, if any.
    func index(of chars: UnsafePointer<CChar>, length: Int) -> Int? {
        for k in 0..<names.count where offsets[k + 1] - offsets[k] == length {
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
    let scenarioFields = NameList(["name", "description", "runs", "seed"])
    let goalFields = NameList(["id", "metric", "at_least", "at_most", "label"])
    let voucherFields = NameList(["sector", "start", "months", "budget", "kind"])
    let voucherKinds = NameList(Voucher.Kind.allCases.map(\.rawValue))
    let tradeInFields = NameList(["category", "start", "end", "finish", "units", "price"])
    let eventFields = NameList(["month", "catering", "room_nights"])
    let projectFields = NameList(["name", "sector", "count", "planned", "delay_mean", "cancel", "uplift", "sigma", "ramp"])
    let hotelProjectFields = NameList(["rooms", "planned", "delay_mean", "cancel"])
    let sectors = NameList(Sector.allCases.map(\.key))
    /// Lever keys, in `Lever.allCases` order.
    let levers = NameList(Lever.allCases.map(\.key))
}
