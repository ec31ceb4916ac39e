/// The folder part of a file path, for the paths users give (`--out r.json`,
/// `scenarios/plan.lua`). Foundation's `NSString.deletingLastPathComponent`
/// is not used: on Linux it traps on a one-character name ("a", "a/").
public enum PathName {
    /// The path without its last component and the slashes before it: ""
    /// for a bare name ("r.json", "a"), "/" for a file at the root, and
    /// "data" for "data/r.json" or "data//r.json/".
    public static func folder(of path: String) -> String {
        var rest = Substring(path)
        while rest.count > 1, rest.hasSuffix("/") { rest.removeLast() }
        guard let slash = rest.lastIndex(of: "/") else { return "" }
        var folder = rest[..<slash]
        while folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `folder(of:)`, or "." for a bare name: the folder to look in.
    public static func folderOrCurrent(of path: String) -> String {
        let folder = folder(of: path)
        return folder.isEmpty ? "." : folder
    }
}
