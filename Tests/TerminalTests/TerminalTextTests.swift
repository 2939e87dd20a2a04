import Foundation
import Testing
import Terminal

@Suite struct TerminalTextTests {
    init() { TerminalText.prepareLocale() }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("a\u{1B}[31mred\u{1B}[0m", "a\u{FFFD}red\u{FFFD}"),
        ("copy\u{1B}]52;c;ZXZpbA==\u{07}me", "copy\u{FFFD}me"),
        ("link\u{1B}]8;;http://x\u{1B}\\text\u{1B}]8;;\u{1B}\\", "link\u{FFFD}text\u{FFFD}"),
        ("dcs\u{1B}Pq#0;2;0;0;0\u{1B}\\end", "dcs\u{FFFD}end"),
        ("apc\u{1B}_payload\u{1B}\\end", "apc\u{FFFD}end"),
        ("bare\u{1B}c reset", "bare\u{FFFD}c reset"),
        ("c1\u{9B}2Jcsi", "c1\u{FFFD}csi"),
        ("tab\tnew\nline\r\u{7F}", "tab\u{FFFD}new\u{FFFD}line\u{FFFD}"),
        ("rtl\u{202E}evil\u{2066}x\u{2069}", "rtl\u{FFFD}evil\u{FFFD}x\u{FFFD}"),
        ("unterminated\u{1B}]0;title", "unterminated\u{FFFD}"),
        ("Seán 王芳 👩‍🔧", "Seán 王芳 👩‍🔧"),
    ])
    func cleansControlsAndSequences(_ input: String, _ expected: String) {
        #expect(TerminalText.clean(input) == expected)
    }

    @Test func measuresCells() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("王芳") == 4)
        #expect(TerminalText.width("e\u{301}") == 1)
        #expect(TerminalText.width("\u{E9}") == 1)
        #expect(TerminalText.width("👩‍🔧") == 2)
        #expect(TerminalText.width("🇬🇧") <= 2)
    }

    @Test func cutsAtCellBoundariesWithAnEllipsis() {
        #expect(TerminalText.truncate("abcdef", to: 4) == "abc…")
        #expect(TerminalText.truncate("abc", to: 4) == "abc")
        #expect(TerminalText.truncate("王芳王芳", to: 5) == "王芳…")
        #expect(TerminalText.truncate("王芳王芳", to: 4) == "王…")
        #expect(TerminalText.truncate("x", to: 0) == "")
        #expect(TerminalText.pad("王", to: 4) == "王  ")
        #expect(TerminalText.width(TerminalText.pad("王芳王芳", to: 5)) == 5)
    }
}
