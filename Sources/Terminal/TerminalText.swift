import Foundation
import CNCurses

/// Text as a terminal sees it: what may reach it, and how many cells it takes.
public enum TerminalText {
    /// Shown where something that could drive the terminal was removed.
    public static let marker: Character = "\u{FFFD}"

    /// Removes everything from untrusted text that a terminal would act on rather than show:
    /// C0 and C1 controls, DEL, escape sequences (CSI, OSC, DCS, APC, PM, SOS, bare ESC) and
    /// bidi overrides. Each removal leaves one visible marker.
    public static func clean(_ text: String) -> String {
        if isPrintableASCII(text) || text.unicodeScalars.allSatisfy(isHarmless) { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func mark() {
            if out.last != marker.unicodeScalars.first { out.append(marker.unicodeScalars.first!) }
        }
        while index < scalars.count {
            let value = scalars[index].value
            index += 1
            switch value {
            case 0x1B:
                guard index < scalars.count else { mark(); continue }
                let next = scalars[index].value
                if next == 0x5B { // ESC [ : CSI
                    index = skipCSI(scalars, from: index + 1)
                } else if [0x5D, 0x50, 0x5F, 0x5E, 0x58].contains(next) { // OSC, DCS, APC, PM, SOS
                    index = skipString(scalars, from: index + 1)
                }
                mark()
            case 0x9B:
                index = skipCSI(scalars, from: index)
                mark()
            case 0x9D, 0x90, 0x9F, 0x9E, 0x98:
                index = skipString(scalars, from: index)
                mark()
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                mark()
            default:
                out.append(scalars[index - 1])
            }
        }
        return String(out)
    }

    /// Whether every byte is printable ASCII: then each byte is one character of one cell, and
    /// no grapheme or width table is needed. Nearly all text drawn is like this, and a frame
    /// draws a lot of it (docs/performance.md).
    public static func isPrintableASCII(_ text: String) -> Bool {
        let answer = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
        return answer ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Not a control, DEL or a bidi override: `clean` keeps it as it is.
    private static func isHarmless(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return false
        default: return true
        }
    }

    /// Parameters and intermediates, then one final byte.
    private static func skipCSI(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let value = scalars[index].value
            index += 1
            if (0x40...0x7E).contains(value) || !(0x20...0x3F).contains(value) { break }
        }
        return index
    }

    /// Up to BEL, ESC \ or ST; an unterminated string swallows the rest, as a terminal would.
    private static func skipString(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let value = scalars[index].value
            index += 1
            if value == 0x07 || value == 0x9C { break }
            if value == 0x1B {
                if index < scalars.count, scalars[index].value == 0x5C { index += 1 }
                break
            }
        }
        return index
    }

    /// Cells a string takes, by the C library's `wcwidth` (the table ncurses uses).
    public static func width(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        var total = 0
        walk(text) { _, cells in
            total += cells
            return true
        }
        return total
    }

    /// Each character of the text, as the range it covers, with the cells it takes, until
    /// `visit` says stop. A printable ASCII byte followed by another ASCII byte is a character
    /// of one cell by itself, so most text is walked a byte at a time; only the rest goes
    /// through the grapheme rules, which cost far more (docs/performance.md).
    static func walk(_ text: String, _ visit: (Range<String.Index>, Int) -> Bool) {
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte >= 0x20, byte < 0x7F, next == utf8.endIndex || utf8[next] < 0x80 {
                if !visit(index..<next, 1) { return }
                index = next
                continue
            }
            let end = text.index(after: index)
            if !visit(index..<end, width(of: text[index..<end].first!)) { return }
            index = end
        }
    }

    /// One user-perceived character: combining marks take no cells; an emoji sequence takes
    /// as many as its widest part, and never more than two.
    public static func width(of character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        var widest = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { widest = 2; continue }
            widest = max(widest, Int(wideWidth(scalar)))
        }
        return min(widest, 2)
    }

    /// Widths come from the UTF-8 tables whatever the process locale: the cells a string takes
    /// do not change with LANG, only whether the terminal can draw it.
    nonisolated(unsafe) private static let utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    private static func wideWidth(_ scalar: Unicode.Scalar) -> Int32 {
        let previous = utf8Locale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        let cells = wcwidth(wchar_t(scalar.value))
        // Unknown to the locale's table (or a non-UTF-8 locale): count what is printable as one.
        if cells < 0 { return scalar.properties.generalCategory == .control ? 0 : 1 }
        return cells
    }

    /// Cuts to at most `cells` cells, ending in an ellipsis when something was cut; never half
    /// a wide character.
    public static func truncate(_ text: String, to cells: Int) -> String {
        guard cells > 0 else { return "" }
        if isPrintableASCII(text) {
            return text.utf8.count <= cells ? text : String(decoding: text.utf8.prefix(cells - 1), as: UTF8.self) + "…"
        }
        if width(text) <= cells { return text }
        var end = text.startIndex
        var used = 0
        walk(text) { range, next in
            if used + next > cells - 1 { return false }
            used += next
            end = range.upperBound
            return true
        }
        return text[..<end] + "…"
    }

    /// Cut or padded with spaces to exactly `cells` cells.
    public static func pad(_ text: String, to cells: Int) -> String {
        let cut = truncate(text, to: cells)
        return cut + String(repeating: " ", count: max(0, cells - width(cut)))
    }

    /// The user's locale, as a curses program must set it before starting the screen.
    public static func prepareLocale() {
        setlocale(LC_ALL, "")
    }
}
