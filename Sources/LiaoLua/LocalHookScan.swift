/// Finds where a Lua file makes `on_month` a local (`local function
/// on_month`, `local on_month = …`, `local a, on_month = …`): a hook that is
/// never called. It reads the file's words as Lua does, leaving out comments
/// and strings (long brackets included) and counting lines as Lua counts them
/// (`\n`, `\r`, `\r\n` and `\n\r` each end one line).
enum LocalHookScan {
    /// The line of the first `on_month` made a local function at the top
    /// level of the file (`local function on_month`, `local on_month =
    /// function`), if any. Locals inside functions or blocks, and locals
    /// holding something else (a copy of a module's hook, a table), are left
    /// alone: they are not a hook written in the wrong way.
    static func line(in bytes: [UInt8]) -> Int? {
        let words = self.words(bytes)
        var depth = 0
        for (k, word) in words.enumerated() {
            switch word.text {
            case "function", "do", "if", "repeat": depth += 1
            case "end", "until": depth -= 1
            default: break
            }
            guard word.text == "local", depth == 0, k + 2 < words.count else { continue }
            if words[k + 1].text == "function" && words[k + 2].text == "on_month" { return words[k + 2].line }
            if words[k + 1].text == "on_month" && words[k + 2].text == "=" && k + 3 < words.count && words[k + 3].text == "function" {
                return words[k + 1].line
            }
        }
        return nil
    }

    private struct Word { var text: String; var line: Int }

    private static func isNameStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
    private static func isNamePart(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }

    /// Names, numbers (as "#") and single punctuation characters, with their lines.
    private static func words(_ b: [UInt8]) -> [Word] {
        var words: [Word] = []
        var i = 0, line = 1
        let n = b.count
        /// Steps over a line break at i (one line, whatever its two bytes), if there is one.
        func lineBreak() -> Bool {
            guard i < n, b[i] == 0x0A || b[i] == 0x0D else { return false }
            let first = b[i]
            i += 1
            if i < n, b[i] == 0x0A || b[i] == 0x0D, b[i] != first { i += 1 }
            line += 1
            return true
        }
        /// The level of a long bracket opening at i (`[[` 0, `[==[` 2), or nil.
        func longBracketLevel() -> Int? {
            guard i < n, b[i] == 0x5B else { return nil }
            var j = i + 1, level = 0
            while j < n && b[j] == 0x3D { level += 1; j += 1 }
            return j < n && b[j] == 0x5B ? level : nil
        }
        /// Skips a long bracket of `level` opening at i, through its close (or the end of the file).
        func skipLongBracket(_ level: Int) {
            i += level + 2
            while i < n {
                if lineBreak() { continue }
                if b[i] == 0x5D {
                    var j = i + 1, closing = 0
                    while j < n && b[j] == 0x3D { closing += 1; j += 1 }
                    if closing == level && j < n && b[j] == 0x5D {
                        i = j + 1
                        return
                    }
                }
                i += 1
            }
        }
        while i < n {
            if lineBreak() { continue }
            let c = b[i]
            if c == 0x2D && i + 1 < n && b[i + 1] == 0x2D {  // --
                i += 2
                if let level = longBracketLevel() {
                    skipLongBracket(level)
                } else {
                    while i < n && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
                }
            } else if let level = longBracketLevel() {
                skipLongBracket(level)
            } else if c == 0x22 || c == 0x27 {  // a quoted string; a backslash escapes what follows (a line break too)
                i += 1
                while i < n && b[i] != c {
                    if b[i] == 0x0A || b[i] == 0x0D { break }  // unfinished: Lua would not have loaded it
                    if b[i] == 0x5C {
                        i += 1
                        if lineBreak() { continue }
                        if i < n && b[i] == 0x7A {  // \z: skips the white space after it, line breaks too
                            i += 1
                            while i < n && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0B || b[i] == 0x0C || b[i] == 0x0A || b[i] == 0x0D) {
                                if !lineBreak() { i += 1 }
                            }
                            continue
                        }
                    }
                    i += 1
                }
                if i < n && b[i] == c { i += 1 }  // an unfinished string leaves its line break to be counted
            } else if isNameStart(c) {
                let start = i
                while i < n && isNamePart(b[i]) { i += 1 }
                words.append(Word(text: String(decoding: b[start..<i], as: UTF8.self), line: line))
            } else if c >= 48 && c <= 57 {
                while i < n && (isNamePart(b[i]) || b[i] == 0x2E) { i += 1 }
                words.append(Word(text: "#", line: line))
            } else {
                if c != 0x20 && c != 0x09 { words.append(Word(text: String(UnicodeScalar(c)), line: line)) }
                i += 1
            }
        }
        return words
    }
}
