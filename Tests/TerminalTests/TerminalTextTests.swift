import Foundation
import Testing
import Terminal

@Suite struct TerminalTextTests {
    init() { TerminalText.prepareLocale() }

    @Test(arguments: [
        ("plain text", "plain text"),
        // CSI: colours, clearing, private modes, a device status report (which makes a terminal type a reply).
        ("a\u{1B}[31mred\u{1B}[0m", "a\u{FFFD}red\u{FFFD}"),
        ("x\u{1B}[2Jy", "x\u{FFFD}y"),
        ("\u{1B}[?1049l\u{1B}[6n", "\u{FFFD}\u{FFFD}"),
        // OSC 52 (clipboard) ended by BEL, by ESC \ and by the 8-bit ST.
        ("copy\u{1B}]52;c;ZXZpbA==\u{07}me", "copy\u{FFFD}me"),
        ("copy\u{1B}]52;c;ZXZpbA==\u{1B}\\me", "copy\u{FFFD}me"),
        ("copy\u{1B}]52;c;ZXZpbA==\u{9C}me", "copy\u{FFFD}me"),
        // OSC 8 hyperlink: both halves go, the text between stays.
        ("link\u{1B}]8;;http://x\u{1B}\\text\u{1B}]8;;\u{1B}\\", "link\u{FFFD}text\u{FFFD}"),
        ("dcs\u{1B}Pq#0;2;0;0;0#0~~\u{1B}\\end", "dcs\u{FFFD}end"),
        ("apc\u{1B}_Gf=100;AAAA\u{1B}\\end", "apc\u{FFFD}end"),
        ("pm\u{1B}^private\u{1B}\\sos\u{1B}Xstring\u{1B}\\", "pm\u{FFFD}sos\u{FFFD}"),
        // ESC sequences without a bracket: reset, a character set, a cursor save.
        ("bare\u{1B}c reset", "bare\u{FFFD} reset"),
        ("x\u{1B}(0lqk", "x\u{FFFD}lqk"),
        ("\u{1B}7saved", "\u{FFFD}saved"),
        // A bare ESC: before something that starts no sequence, twice, at the very end.
        ("\u{1B}é", "\u{FFFD}é"),
        ("\u{1B}\u{1B}[31m", "\u{FFFD}\u{FFFD}"),
        ("end\u{1B}", "end\u{FFFD}"),
        // 8-bit introducers, as UTF-8-encoded C1 characters.
        ("c1\u{9B}2Jcsi", "c1\u{FFFD}csi"),
        ("\u{9D}0;title\u{9C}after", "\u{FFFD}after"),
        ("\u{90}q#0\u{9C}dcs\u{9F}apc\u{9C}", "\u{FFFD}dcs\u{FFFD}"),
        ("next\u{85}line", "next\u{FFFD}line"),
        // C0 controls and DEL: one marker each.
        ("tab\tnew\nline\r\u{7F}", "tab\u{FFFD}new\u{FFFD}line\u{FFFD}\u{FFFD}"),
        ("nul\u{0}bel\u{7}bs\u{8}", "nul\u{FFFD}bel\u{FFFD}bs\u{FFFD}"),
        // Bidi overrides and isolates, every one.
        ("rtl\u{202E}evil\u{2066}x\u{2069}", "rtl\u{FFFD}evil\u{FFFD}x\u{FFFD}"),
        ("\u{202A}\u{202B}\u{202C}\u{202D}\u{2067}\u{2068}", String(repeating: "\u{FFFD}", count: 6)),
        // Cut off at the end of the text.
        ("unterminated\u{1B}]0;title", "unterminated\u{FFFD}"),
        ("half\u{1B}[", "half\u{FFFD}"),
        ("half\u{1B}[38;5", "half\u{FFFD}"),
        ("half\u{9B}", "half\u{FFFD}"),
        // A control inside a CSI ends it and is marked on its own; so is an ESC inside a string.
        ("a\u{1B}[3\u{7}m", "a\u{FFFD}\u{FFFD}m"),
        ("\u{1B}]0;t\u{1B}[2Jx", "\u{FFFD}\u{FFFD}x"),
        ("Seán 王芳 👩‍🔧", "Seán 王芳 👩‍🔧"),
    ])
    func cleansControlsAndSequences(_ input: String, _ expected: String) {
        #expect(TerminalText.clean(input).unicodeScalars.elementsEqual(expected.unicodeScalars))
    }

    /// Whatever is glued together, nothing a terminal acts on survives.
    @Test func nothingThatDrivesATerminalSurvives() {
        let pieces = ["\u{1B}", "[", "]", "P", "_", "^", "X", "\\", "\u{7}", "\u{9C}", "\u{9B}", "\u{9D}", "\u{90}",
                      "\u{9F}", "\u{85}", "\u{7F}", "\u{0}", "\n", "\u{202E}", "\u{2066}", "\u{18}", "2", ";", "m", "é", "王"]
        var state: UInt64 = 42
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<12 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            for output in [TerminalText.clean(text), TerminalText.shown(text)] {
                let bad = output.unicodeScalars.filter { scalar in
                    switch scalar.value {
                    case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
                    default: return false
                    }
                }
                #expect(bad.isEmpty, "\(text.debugDescription) gave \(output.debugDescription)")
            }
        }
    }

    @Test func measuresCells() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("王芳") == 4)
        #expect(TerminalText.width("ＡＢ") == 4, "fullwidth forms")
        #expect(TerminalText.width("e\u{301}") == 1)
        #expect(TerminalText.width("\u{E9}") == 1)
        #expect(TerminalText.width("Nguye\u{302}\u{303}n") == 6, "two marks on one letter")
        #expect(TerminalText.width("🇬🇧") == 2)
        #expect(TerminalText.width("👍🏽") == 2, "the skin tone is dropped")
        #expect(TerminalText.width("❤️") == 1, "text presentation: VS16 is dropped")
        #expect(TerminalText.width("👩‍🔧") == 4, "a ZWJ sequence is drawn as its parts")
        #expect(TerminalText.width("🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}") == 2, "tag flag")
        #expect(TerminalText.width("\u{1B}[31m") == 1, "a sequence is one marker")
        #expect(TerminalText.width(of: "\u{202E}") == 1)
        #expect(TerminalText.width(of: "\u{2028}") == 1, "unknown to the width table: the marker")
    }

    @Test func drawsComposedAndDecomposedAlike() {
        #expect(TerminalText.shown("Sea\u{301}n").unicodeScalars.elementsEqual("Se\u{E1}n".unicodeScalars))
        #expect(TerminalText.shown("Zoe\u{308}") == TerminalText.shown("Zo\u{EB}"))
    }

    @Test func takesEmojiApartWhereTerminalsDisagree() {
        #expect(TerminalText.shown("👩🏽‍🔧").unicodeScalars.elementsEqual("👩🔧".unicodeScalars))
        #expect(TerminalText.shown("❤️‍🔥").unicodeScalars.elementsEqual("❤🔥".unicodeScalars))
        #expect(TerminalText.shown("🇬🇧") == "🇬🇧")
        // A joiner inside a word of an Indic script is part of the spelling and stays.
        #expect(TerminalText.shown("क्\u{200D}ष").unicodeScalars.contains("\u{200D}"))
        #expect(TerminalText.shown("\u{2028}") == "\u{FFFD}")
    }

    @Test func cutsAtCellBoundariesWithAnEllipsis() {
        #expect(TerminalText.truncate("abcdef", to: 4) == "abc…")
        #expect(TerminalText.truncate("abc", to: 4) == "abc")
        #expect(TerminalText.truncate("王芳王芳", to: 5) == "王芳…")
        #expect(TerminalText.truncate("王芳王芳", to: 4) == "王…")
        #expect(TerminalText.truncate("x", to: 0) == "")
        #expect(TerminalText.truncate("王芳", to: 1) == "…")
        #expect(TerminalText.truncate("a\u{1B}[31mbcdef", to: 4) == "a\u{FFFD}b…", "cut after cleaning, never inside a sequence")
        #expect(TerminalText.pad("王", to: 4) == "王  ")
        #expect(TerminalText.width(TerminalText.pad("王芳王芳", to: 5)) == 5)
        #expect(TerminalText.width(TerminalText.pad("👩‍🔧👩‍🔧", to: 7)) == 7)
    }
}
