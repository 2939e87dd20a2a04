import Foundation
import CNCurses

/// Text as a terminal sees it: what may reach it, and how many cells it takes.
public enum TerminalText {
    /// Shown where something that could drive the terminal was removed.
    public static let marker: Character = "\u{FFFD}"
    private static let markerScalar: Unicode.Scalar = "\u{FFFD}"

    /// Replaces everything in untrusted text that a terminal would act on rather than show
    /// with one visible marker each: C0 and C1 controls (also as UTF-8, such as U+009B), DEL,
    /// whole escape sequences (CSI, OSC, DCS, APC, PM, SOS, other ESC sequences, 8-bit
    /// introducers too), a bare ESC, and bidi overrides and isolates. A sequence cut off at the
    /// end of the text is removed as far as it goes.
    public static func clean(_ text: String) -> String {
        if isPlain(text) { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x1B: index = endOfEscape(scalars, from: index)
            case 0x9B: index = endOfCSI(scalars, from: index)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: index = endOfControlString(scalars, from: index)
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: break
            default:
                out.append(scalar)
                continue
            }
            out.append(markerScalar)
        }
        return String(out)
    }

    /// Printable ASCII only: nothing to clean, one cell per byte. Nearly all text drawn is like
    /// this, and a frame draws a lot of it (docs/performance.md).
    static func isPlain(_ text: String) -> Bool {
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
        return plain ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// After ESC: `[` starts a CSI; `P`, `X`, `]`, `^`, `_` a control string; otherwise
    /// intermediates (0x20-0x2F) and one final character (0x30-0x7E), as in `ESC c` or `ESC ( 0`.
    /// Anything else leaves the ESC bare, and what follows is read on its own.
    private static func endOfEscape(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        guard start < scalars.count else { return start }
        switch scalars[start].value {
        case 0x5B: return endOfCSI(scalars, from: start + 1)
        case 0x50, 0x58, 0x5D, 0x5E, 0x5F: return endOfControlString(scalars, from: start + 1)
        default:
            var index = start
            while index < scalars.count, (0x20...0x2F).contains(scalars[index].value) { index += 1 }
            if index < scalars.count, (0x30...0x7E).contains(scalars[index].value) { return index + 1 }
            return index
        }
    }

    /// Parameters and intermediates, then one final character. Anything else ends the sequence
    /// without being part of it (a terminal acts on a control inside a CSI), so it is read on
    /// its own.
    private static func endOfCSI(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let value = scalars[index].value
            if (0x40...0x7E).contains(value) { return index + 1 }
            guard (0x20...0x3F).contains(value) else { return index }
            index += 1
        }
        return index
    }

    /// Up to BEL, ST (0x9C) or `ESC \`. An ESC without `\`, CAN or SUB abort the string, as in
    /// a terminal, and are read on their own; an unterminated string takes the rest of the text.
    private static func endOfControlString(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            switch scalars[index].value {
            case 0x07, 0x9C: return index + 1
            case 0x1B: return index + 1 < scalars.count && scalars[index + 1].value == 0x5C ? index + 2 : index
            case 0x18, 0x1A: return index
            default: index += 1
            }
        }
        return index
    }

    /// The text as it goes into terminal cells, so that ncurses (which lays out by `wcwidth`)
    /// and every terminal agree on where each character starts:
    /// - cleaned, as `clean` does;
    /// - accents composed (NFC), so `e` + U+0301 is drawn as `é`, also where a terminal cannot
    ///   combine marks (the Linux console);
    /// - emoji parts that some terminals join into one two-cell picture and others draw apart
    ///   are dropped or taken apart: variation selector 16, a zero width joiner after an
    ///   emoji, skin-tone modifiers after the emoji they modify, and tag characters. What is
    ///   left is drawn in the cells `wcwidth` gives by every terminal;
    /// - a character the width table does not know (unassigned here, U+2028) becomes the
    ///   marker, since ncurses would draw it as an escape of its own.
    public static func shown(_ text: String) -> String {
        if isSimple(text) { return text }
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        let cleaned = clean(text)
        for scalar in (composable(cleaned) ? cleaned.precomposedStringWithCanonicalMapping : cleaned).unicodeScalars {
            let value = scalar.value
            if value == 0xFE0F || (0xE0000...0xE007F).contains(value) { continue }
            if value == 0x200D, let previous, previous.value > 0x7F, previous.properties.isEmoji { continue }
            if (0x1F3FB...0x1F3FF).contains(value), previous?.properties.isEmojiModifierBase == true { continue }
            previous = scalar
            out.append(scalarWidth(scalar) < 0 ? markerScalar : scalar)
        }
        return String(out)
    }

    /// Text that `shown` leaves as it is, one cell a character: printable ASCII, Latin letters,
    /// and the marks views add (`…`, `·`, box lines). A frame is mostly this.
    static func isSimple(_ text: String) -> Bool {
        isPlain(text) || text.unicodeScalars.allSatisfy { oneCell($0) }
    }

    /// One cell in glibc's table, and neither a control nor a mark.
    private static func oneCell(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x2010...0x2027, 0x2500...0x257F: return true
        default: return false
        }
    }

    /// Whether composing (NFC) could change how the text is laid out: only combining marks and
    /// conjoining Hangul jamo join what comes before them. Most text has neither, and composing
    /// goes through Foundation, which costs more than the rest of a frame (docs/performance.md).
    private static func composable(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0..<0x300: return false
            case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return true
            default:
                switch scalar.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: return true
                default: return false
                }
            }
        }
    }

    /// Cells a string takes when drawn (see `shown`), by the C library's `wcwidth`, the table
    /// ncurses uses.
    public static func width(_ text: String) -> Int {
        if isPlain(text) { return text.utf8.count }
        return measure(shown(text))
    }

    /// Cells one user-perceived character takes when drawn: combining marks none, a wide
    /// character two, a control (drawn as the marker) one.
    public static func width(of character: Character) -> Int {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
        return width(String(character))
    }

    /// Cells of one character of `shown` text: what ncurses advances for it.
    static func cells(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + max(0, Int(scalarWidth($1))) }
    }

    /// Cells of text that is already `shown`.
    static func measure(_ shown: String) -> Int {
        isPlain(shown) ? shown.utf8.count : isSimple(shown) ? shown.unicodeScalars.count : shown.reduce(0) { $0 + cells($1) }
    }

    /// Widths come from the UTF-8 tables whatever the process locale: the cells a string takes
    /// do not change with LANG, only whether the terminal can draw it.
    nonisolated(unsafe) private static let utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    private static func scalarWidth(_ scalar: Unicode.Scalar) -> Int32 {
        if oneCell(scalar) { return 1 }
        let previous = utf8Locale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        return wcwidth(wchar_t(scalar.value))
    }

    /// The text as drawn (see `shown`), cut to at most `cells` cells and ending in an ellipsis
    /// when something was cut; never half a wide character.
    public static func truncate(_ text: String, to cells: Int) -> String {
        cut(shown(text), to: cells)
    }

    /// `truncate` for text that is already `shown`.
    static func cut(_ shown: String, to cells: Int) -> String {
        guard cells > 0 else { return "" }
        if measure(shown) <= cells { return shown }
        if isPlain(shown) { return String(decoding: shown.utf8.prefix(cells - 1), as: UTF8.self) + "…" }
        if isSimple(shown) { return String(String.UnicodeScalarView(shown.unicodeScalars.prefix(cells - 1))) + "…" }
        var out = ""
        var used = 0
        for character in shown {
            let next = self.cells(character)
            if used + next > cells - 1 { break }
            out.append(character)
            used += next
        }
        return out + "…"
    }

    /// Cut or padded with spaces to exactly `cells` cells.
    public static func pad(_ text: String, to cells: Int) -> String {
        let cut = truncate(text, to: cells)
        return cut + String(repeating: " ", count: max(0, cells - measure(cut)))
    }

    /// The user's locale, as a curses program must set it before starting the screen.
    public static func prepareLocale() {
        setlocale(LC_ALL, "")
    }
}
