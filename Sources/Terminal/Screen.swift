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
    private var decoder = KeyDecoder()

    // Attribute bits as ncurses defines them (NCURSES_BITS(1, n) = 1 << (n + 8)).
    private static let underline: attr_t = 1 << 17
    private static let reverse: attr_t = 1 << 18
    private static let dim: attr_t = 1 << 20
    private static let bold: attr_t = 1 << 21

    /// Takes over the terminal. Fails with a sentence when TERM is unknown or unusable.
    public init(theme: Theme) throws(StartError) {
        let environment = ProcessInfo.processInfo.environment
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" {
            throw StartError(description: "TERM is \(term.isEmpty ? "not set" : "\"dumb\""): TrainingDesk needs a full-screen terminal; set TERM (for example TERM=xterm-256color).")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(description: "TrainingDesk's screen needs a terminal on its input and output; for scripts use the commands (trainingdesk help).")
        }
        Screen.chooseLocale(environment)
        unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        Rescue.save()
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, output, input) else {
            // TERM is anyone's text: cleaned and cut before it goes to the terminal.
            let shown = TerminalText.truncate(TerminalText.clean(term), to: 40)
            throw StartError(description: "The terminal type TERM=\(shown) is not known here; set TERM to one this machine has (for example TERM=xterm-256color).")
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
        // Keys are read and decoded here, not by ncurses (see KeyDecoder); keypad mode still
        // makes the terminal send the key sequences terminfo lists.
        keypad(window, true)
        let delay = environment["ESCDELAY"].flatMap(Double.init).flatMap { (0...10_000).contains($0) ? $0 / 1000 : nil }
        decoder = KeyDecoder(sequences: Screen.terminfoKeys(), escapeDelay: delay ?? KeyDecoder.escapeDelay)
        // The terminal's own foreground and background stay (use_default_colors), so a theme
        // never assumes a dark or a light background.
        if theme.usesColour, has_colors(), start_color() == OK, use_default_colors() == OK {
            pairs = ColourPairs(colours: Int(cn_colors()), limit: Int(cn_color_pairs()))
        }
        self.theme = theme
        curs_set(0)
        Screen.send(Screen.pasteOn)
        Rescue.arm(reset: Screen.reset)
        Rescue.holdErrors()
    }

    /// The person's locale; if it asks for UTF-8 but is not installed here (en_GB.UTF-8 on a
    /// minimal jump host), C.UTF-8 for characters rather than falling back to ASCII.
    private static func chooseLocale(_ environment: [String: String]) {
        setlocale(LC_ALL, "")
        let asked = ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let wantsUTF8 = asked.lowercased().contains("utf-8") || asked.lowercased().contains("utf8")
        if wantsUTF8, String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }

    private static let pasteOn = Array("\u{1B}[?2004h".utf8)
    private static let pasteOff = Array("\u{1B}[?2004l".utf8)

    /// What puts the terminal back if the program dies where `end` cannot run: the normal
    /// screen, a visible cursor, plain text, normal keys, no bracketed paste.
    private static var reset: [UInt8] {
        ["sgr0", "cnorm", "rmkx", "rmcup"].compactMap(capability).joined() + pasteOff
    }

    /// Bytes straight to the terminal, for what ncurses has no call for. ncurses has flushed
    /// its own output by the time this runs (after newterm, after endwin).
    private static func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Gives the terminal back as it was. The screen is cleared first, so a terminal without
    /// an alternate screen (vt100, linux) is not left showing the last frame.
    public func end() {
        werase(window)
        wrefresh(window)
        endwin()
        Screen.send(Screen.pasteOff)
        delscreen(screen)
        Rescue.disarm()
        Rescue.releaseErrors()
    }

    public var size: (width: Int, height: Int) {
        (max(0, Int(getmaxx(window))), max(0, Int(getmaxy(window))))
    }

    /// Gives the terminal back and stops the program, as SIGTSTP would; when it is continued
    /// (`fg`), takes the terminal again: ncurses restores its modes on the next refresh, the
    /// rest is ours. The caller redraws everything (after a resize: the size may have changed).
    public func suspend() {
        endwin()
        Screen.send(Screen.pasteOff)
        raise(SIGSTOP)
        Screen.send(Screen.pasteOn)
        keypad(window, true)
        wrefresh(window)
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
        invalidate()
        return self.size
    }

    /// The next frame is drawn whole, over whatever else has written on the terminal.
    public func invalidate() {
        last = nil
        clearok(window, true)
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

    /// The keys that came since the last call: one read when the terminal has bytes, then any
    /// Esc whose wait is over. Nil when the terminal is gone (a hangup): the caller must stop.
    public func keys(readable: Bool) -> [Key]? {
        var keys: [Key] = []
        if readable {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) { return nil }
            if count > 0 { keys += decoder.feed(buffer[..<count], at: Screen.clock()) }
        }
        return keys + decoder.expire(at: Screen.clock())
    }

    /// How long the loop may sleep before `keys` has something to give, for poll(): -1 is for ever.
    public var wait: Int32 {
        guard let deadline = decoder.deadline else { return -1 }
        return Int32(min(10_000, max(0, ((deadline - Screen.clock()) * 1000).rounded(.up))))
    }

    private static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The terminal's own key sequences from terminfo, for keys whose bytes differ by terminal.
    private static func terminfoKeys() -> [[UInt8]: Key] {
        var capabilities: [(String, Key)] = [
            ("kcuu1", .up), ("kcud1", .down), ("kcub1", .left), ("kcuf1", .right), ("khome", .home), ("kend", .end),
            ("kpp", .pageUp), ("knp", .pageDown), ("kdch1", .delete), ("kcbt", .backTab), ("kent", .enter),
        ]
        capabilities += (1...12).map { ("kf\($0)", .function($0)) }
        var keys: [[UInt8]: Key] = [:]
        for (name, key) in capabilities {
            if let bytes = capability(name), bytes.count > 1, bytes[0] == 0x1B { keys[bytes] = key }
        }
        return keys
    }

    /// A terminfo string without its padding (`$<5>`), or nil when the terminal has none.
    static func capability(_ name: String) -> [UInt8]? {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return nil }
        var bytes = Array(String(cString: value).utf8)
        while let start = bytes.indices.first(where: { bytes[$0] == UInt8(ascii: "$") && $0 + 1 < bytes.count && bytes[$0 + 1] == UInt8(ascii: "<") }),
              let end = bytes[start...].firstIndex(of: UInt8(ascii: ">")) {
            bytes.removeSubrange(start...end)
        }
        return bytes
    }
}
