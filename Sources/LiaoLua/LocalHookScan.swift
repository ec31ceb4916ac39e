/// Finds where a Lua file makes `on_month` a local (`local function
/// on_month`, `local on_month = …`, `local a, on_month = …`): a hook that is
/// never called. It reads the file's words as Lua does, leaving out comments
/// and strings (long brackets included) and counting lines as Lua counts them
/// (`\n`, `\r`, `\r\n` and `\n\r` each end one line).
enum LocalHookScan {
    /// The line of the first `on_month` made local, if any.
    static func line(in bytes: [UInt8]) -> Int? {
        let words = self.words(bytes)
        for (k, word) in words.enumerated() where word.text == "local" {
            var j = k + 1
            if j < words.count && words[j].text == "function" {
                if j + 1 < words.count && words[j + 1].text == "on_month" { return words[j + 1].line }
                continue
            }
            // A list of names, each perhaps with an attribute (<const>, <close>).
            while j < words.count && isName(words[j].text) {
                if words[j].text == "on_month" { return words[j].line }
                j += 1
                if j + 2 < words.count && words[j].text == "<" && words[j + 2].text == ">" { j += 3 }
                guard j < words.count && words[j].text == "," else { break }
                j += 1
            }
        }
        return nil
    }

    private struct Word { var text: String; var line: Int }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        return isNameStart(first)
    }

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
                    }
                    i += 1
                }
                i += 1
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
