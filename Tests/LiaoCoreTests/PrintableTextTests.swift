import LiaoCore
import Testing

/// Scenario text as printed: control characters become visible escapes.
@Suite struct PrintableTextTests {
    @Test(arguments: [
        ("plain 亿元", "plain 亿元"), ("a\u{1B}[2J", "a\\e[2J"), ("d\nx\r", "d / x\\r"), ("one\r\ntwo", "one / two"),
        ("t\tab", "t ab"), ("nul\0end", "nul\\0end"), ("bell\u{07}", "bell\\x07"), ("c1\u{9B}", "c1\\x9B"), ("del\u{7F}", "del\\x7F"),
    ])
    func controlCharactersAreShown(text: String, expected: String) {
        #expect(PrintableText.of(text) == expected)
    }

    /// What a scenario prints keeps its own lines and tabs, never an escape sequence.
    @Test func printedLinesKeepTheirBreaks() {
        #expect(PrintableText.of("a\u{1B}[31mred\tb\nline2", keepingLineBreaks: true) == "a\\e[31mred\tb\nline2")
        #expect(PrintableText.of("x\r\ny", keepingLineBreaks: true) == "x\\r\ny")
    }
}

/// The folder of a path the user gives, one-character names included.
@Suite struct PathNameTests {
    @Test func folderOfAPath() {
        let cases: [(String, String)] = [
            ("a", ""), ("a/", ""), ("r.json", ""), ("/", "/"), ("/a", "/"), ("//a", "/"),
            ("data/r.json", "data"), ("data//r.json/", "data"), ("./a", "."), ("/x/y/z", "/x/y"), ("", ""),
        ]
        for (path, folder) in cases { #expect(PathName.folder(of: path) == folder, "\(path)") }
        #expect(PathName.folderOrCurrent(of: "a") == ".")
        #expect(PathName.folderOrCurrent(of: "s/a") == "s")
    }
}
