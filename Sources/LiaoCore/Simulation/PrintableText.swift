/// Text from a scenario (its name, description, labels, error messages) as
/// it may be printed: control characters would otherwise reach the terminal
/// (an escape sequence that clears it) or draw lines of their own in a
/// report (a carriage return, a newline). A line break becomes " / ", a tab
/// a space, and any other control character a visible escape: `\e`, `\r`,
/// `\0`, `\x07`. With `keepingLineBreaks` (what a scenario prints, which is
/// its own lines), line breaks and tabs stay as they are.
public enum PrintableText {
    public static func of(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\r" where pending == "\n" && !keepingLineBreaks:
                continue  // \r\n is one line break
            case "\n" where keepingLineBreaks, "\t" where keepingLineBreaks:
                out.unicodeScalars.append(scalar)
            case "\n":
                out += " / "
            case "\t":
                out += " "
            case "\u{1B}":
                out += "\\e"
            case "\r":
                out += "\\r"
            case "\0":
                out += "\\0"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 controls, DEL and the C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
