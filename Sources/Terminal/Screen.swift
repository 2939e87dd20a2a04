import Foundation
import CNCurses

/// The terminal, through ncurses: the only code in the program that calls curses. One thread
/// owns it; everything else reaches the screen by handing it a Canvas.
public final class Screen {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    private let window: UnsafeMutablePointer<WINDOW>
    private let screen: OpaquePointer
    private let theme: Theme
    /// Nil on a terminal without colour (vt100), for a mono theme, or when the terminal's own
    /// colours cannot be kept: then every role draws by its attributes alone.
    private var pairs: ColourPairs?
    /// Whether the locale is UTF-8: if not, the program's marks are ASCII and other
    /// characters `?`.
    public let unicode: Bool
    private var last: Canvas?

    // Attribute bits as ncurses defines them (NCURSES_BITS(1, n) = 1 << (n + 8)).
    private static let underline: attr_t = 1 << 17
    private static let reverse: attr_t = 1 << 18
    private static let dim: attr_t = 1 << 20
    private static let bold: attr_t = 1 << 21

    /// Takes over the terminal. Fails with a sentence when TERM is unknown or unusable.
    public init(theme: Theme) throws(StartError) {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" {
            throw StartError(description: "TERM is \(term.isEmpty ? "not set" : "\"dumb\""): TrainingDesk needs a full-screen terminal; set TERM (for example TERM=xterm-256color).")
        }
        setlocale(LC_ALL, "")
        unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, output, input) else {
            throw StartError(description: "The terminal type TERM=\(term) is not known here; set TERM to one this machine has (for example TERM=xterm-256color).")
        }
        self.screen = screen
        set_term(screen)
        guard let window = cn_stdscr() else {
            endwin()
            throw StartError(description: "The terminal could not be started (TERM=\(term)).")
        }
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(50)
        Screen.teachKeys()
        // The terminal's own foreground and background stay (use_default_colors), so a theme
        // never assumes a dark or a light background.
        if theme.usesColour, has_colors(), start_color() == OK, use_default_colors() == OK {
            pairs = ColourPairs(colours: Int(cn_colors()), limit: Int(cn_color_pairs()))
        }
        self.theme = theme
        curs_set(0)
    }

    /// Gives the terminal back as it was. The screen is cleared first, so a terminal without
    /// an alternate screen (vt100, linux) is not left showing the last frame.
    public func end() {
        werase(window)
        wrefresh(window)
        endwin()
        delscreen(screen)
    }

    /// Home, End and function keys as PuTTY, rxvt, the Linux console and tmux send them, which
    /// the terminfo entry for TERM may not list. Without this they arrive as Esc and letters.
    private static func teachKeys() {
        let keys: [(String, Int32)] = [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
            ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
            ("\u{1B}[3~", KEY_DC), ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[Z", KEY_BTAB),
            ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
            ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
            ("\u{1B}[11~", KEY_F0 + 1), ("\u{1B}[12~", KEY_F0 + 2), ("\u{1B}[13~", KEY_F0 + 3), ("\u{1B}[14~", KEY_F0 + 4),
            ("\u{1B}OP", KEY_F0 + 1), ("\u{1B}OQ", KEY_F0 + 2), ("\u{1B}OR", KEY_F0 + 3), ("\u{1B}OS", KEY_F0 + 4),
            ("\u{1B}[[A", KEY_F0 + 1), ("\u{1B}[[B", KEY_F0 + 2),
        ]
        for (sequence, code) in keys where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
    }

    public var size: (width: Int, height: Int) {
        (max(0, Int(getmaxx(window))), max(0, Int(getmaxy(window))))
    }

    /// Draws a frame. Rows equal to the last frame's are skipped; ncurses sends only the cells
    /// that differ from what the terminal shows.
    public func draw(_ canvas: Canvas) {
        let full = last.map { $0.width != canvas.width || $0.height != canvas.height } ?? true
        if full { werase(window) }
        for y in 0..<canvas.height {
            if !full, let last, last.row(y) == canvas.row(y) { continue }
            var x = 0
            let row = Array(canvas.row(y))
            while x < row.count {
                let role = row[x].role
                var text = ""
                var end = x
                while end < row.count, row[end].role == role {
                    text += printable(row[end].character)
                    end += 1
                }
                apply(role)
                // The last cell of the screen is written too: with nonl and no scrolling region
                // ncurses handles it without scrolling.
                _ = mvwaddnstr(window, Int32(y), Int32(x), text, -1)
                x = end
            }
        }
        if let cursor = canvas.cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wrefresh(window)
        last = canvas
    }

    /// Takes the terminal's new size after SIGWINCH and repaints everything on the next draw.
    /// Called from the loop, never from the signal handler.
    public func resize() -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        last = nil
        clearok(window, true)
        return self.size
    }

    /// Outside a UTF-8 locale the program's own marks become ASCII; anything else the locale
    /// cannot show becomes `?`, one per cell it takes, so later columns stay where they are.
    private func printable(_ character: String) -> String {
        if unicode || character.allSatisfy(\.isASCII) { return character }
        if let mark = Screen.asciiMarks[character] { return mark }
        return String(repeating: "?", count: max(1, TerminalText.width(character)))
    }

    private static let asciiMarks: [String: String] = [
        "…": "~", "·": "-", "│": "|", "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "•": "*", "\u{FFFD}": "?",
    ]

    private func apply(_ role: Role) {
        let look = theme.look(role)
        var attributes: attr_t = 0
        if look.bold { attributes |= Screen.bold }
        if look.reverse { attributes |= Screen.reverse }
        if look.underline { attributes |= Screen.underline }
        if look.dim { attributes |= Screen.dim }
        var pair: Int16 = 0
        if let answer = pairs?.pair(look.foreground, look.background) {
            if let new = answer.new { init_pair(answer.number, new.foreground, new.background) }
            pair = answer.number
        }
        wattr_set(window, attributes, pair, nil)
    }

    /// Every key waiting, without blocking. An escape sequence ncurses did not know is
    /// dropped whole rather than read as Esc and a few letters.
    public func keys() -> [Key] {
        var keys: [Key] = []
        var code: wint_t = 0
        var sequence: [UInt32]?
        while true {
            let kind = wget_wch(window, &code)
            if kind == ERR { break }
            if kind == KEY_CODE_YES {
                sequence = nil
                if let key = Screen.functionKey(Int32(code)) { keys.append(key) }
                continue
            }
            let value = UInt32(code)
            if var pending = sequence {
                pending.append(value)
                sequence = Screen.sequenceGoesOn(pending) ? pending : nil
                if sequence == nil, pending.count == 2, !Screen.introducers.contains(value) {
                    // Esc then an ordinary key: Alt-key, read as the two keys.
                    keys.append(.escape)
                    if let scalar = Unicode.Scalar(value), let key = Key.fromCharacter(scalar) { keys.append(key) }
                }
                continue
            }
            if value == 27 {
                sequence = [value]
                continue
            }
            if let scalar = Unicode.Scalar(value), let key = Key.fromCharacter(scalar) { keys.append(key) }
        }
        if sequence?.count == 1 { keys.append(.escape) }
        return keys
    }

    /// `[` (CSI) and `O` (SS3) after Esc start a sequence.
    private static let introducers: Set<UInt32> = [0x5B, 0x4F]

    /// Whether the bytes after Esc are still an unfinished CSI or SS3 sequence.
    private static func sequenceGoesOn(_ bytes: [UInt32]) -> Bool {
        guard bytes.count >= 2, introducers.contains(bytes[1]) else { return false }
        if bytes.count == 2 { return true }
        let last = bytes[bytes.count - 1]
        if bytes[1] == 0x4F { return false }
        // Parameters and intermediates go on; a final byte in 0x40-0x7E ends it.
        return (0x20...0x3F).contains(last) || (bytes.count == 3 && last == 0x5B)
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
