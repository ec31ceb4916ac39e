import Foundation

/// Words of a command line that can be pasted into a POSIX shell as printed.
public enum ShellWord {
    /// `word` as is when it holds only characters no shell treats specially,
    /// else in single quotes (a quote inside as '\'').
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-./=:,+@%".unicodeScalars.contains($0)))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
