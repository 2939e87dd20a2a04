/// What a piece of the screen means; a theme decides how each looks.
public enum Role: String, CaseIterable, Sendable, Codable {
    case normal, title, header, selected, status, error, success, warning, expired, dim, label, field, focus, key
    /// A message on the status bar: it keeps the bar's look (reverse video, say) and adds the
    /// message's, so the bar stays one bar. A theme may name these; if not, they are derived.
    case statusError = "status-error", statusSuccess = "status-success", statusWarning = "status-warning"

    /// One letter per role, for text snapshots of a canvas's styling; a message on the status
    /// bar is the lower-case letter of its kind.
    public var letter: Character {
        switch self {
        case .normal: return "."
        case .title: return "T"
        case .header: return "H"
        case .selected: return "S"
        case .status: return "B"
        case .error: return "E"
        case .success: return "O"
        case .warning: return "W"
        case .expired: return "X"
        case .dim: return "d"
        case .label: return "L"
        case .field: return "F"
        case .focus: return "U"
        case .key: return "K"
        case .statusError: return "e"
        case .statusSuccess: return "o"
        case .statusWarning: return "w"
        }
    }
}

/// One cell: a character (empty for the cells after the first of a wide one) and its role.
public struct Cell: Equatable, Sendable {
    public var character: String
    public var role: Role

    public static let blank = Cell(character: " ", role: .normal)
}

/// An in-memory screen that views draw on: pure, so a view can be snapshot-tested, and
/// compared with the last frame so only changed rows go to the terminal.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (an editable field), or nil to hide it.
    public var cursor: (x: Int, y: Int)? {
        get { cursorX.map { ($0, cursorY) } }
        set {
            cursorX = newValue?.x
            cursorY = newValue?.y ?? 0
        }
    }
    private var cursorX: Int?
    private var cursorY = 0

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes text from (x, y), cut to `limit` cells (default: to the right edge) with an
    /// ellipsis when it does not fit. Returns the cells used. The text is drawn as
    /// `TerminalText.shown` has it, so nothing that could drive the terminal gets into a cell
    /// and every character takes the cells ncurses will give it; a wide character that does
    /// not fit before the ellipsis leaves a space, never half of itself.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + max(0, limit ?? width))
        guard end > x, end > 0 else { return 0 }
        let whole = TerminalText.shown(text)
        if TerminalText.isSimple(whole) { return putSimple(whole, x: x, y: y, role: role, end: end) }
        let cut = TerminalText.measure(whole) > end - x
        let shown = cut ? TerminalText.cut(whole, to: end - x) : whole
        var column = x
        for character in shown {
            let cells = TerminalText.cells(character)
            if cells == 0 { continue }
            if column >= 0 {
                place(String(character), cells: cells, x: column, y: y, role: role)
            } else {
                // Starts left of the canvas: only its visible part shows, as spaces.
                for part in max(0, column)..<max(0, column + cells) { place(" ", cells: 1, x: part, y: y, role: role) }
            }
            column += cells
        }
        if cut {
            // A wide character cut before the ellipsis leaves cells over: blank them too.
            for rest in max(0, column)..<end { place(" ", cells: 1, x: rest, y: y, role: role) }
            column = end
        }
        return max(0, column - x)
    }

    /// `put` for text of one cell a character (`TerminalText.isSimple`), without the grapheme
    /// and width work.
    private mutating func putSimple(_ text: String, x: Int, y: Int, role: Role, end: Int) -> Int {
        let scalars = text.unicodeScalars
        let count = TerminalText.isPlain(text) ? text.utf8.count : scalars.count
        let cut = count > end - x
        var column = x
        for scalar in scalars.prefix(cut ? end - x - 1 : count) {
            if column >= 0 {
                let character = scalar.value < 0x80 ? Canvas.ascii[Int(scalar.value)] : String(Character(scalar))
                place(character, cells: 1, x: column, y: y, role: role)
            }
            column += 1
        }
        if cut {
            if column >= 0 { place("…", cells: 1, x: column, y: y, role: role) }
            column += 1
        }
        return max(0, column - x)
    }

    /// Each ASCII character as a one-character string, made once.
    private static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Paints a run of cells with a role, keeping their characters.
    public mutating func paint(x: Int, y: Int, width count: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, max(0, x + count)) {
            cells[y * width + column].role = role
        }
    }

    /// Fills a whole row with spaces in a role.
    public mutating func clear(row y: Int, role: Role = .normal) {
        guard y >= 0, y < height else { return }
        for column in 0..<width { cells[y * width + column] = Cell(character: " ", role: role) }
    }

    /// Puts one character taking `cells` cells at (x, y): its first cell holds it, the others
    /// are empty. A wide character it overlaps at either edge is blanked whole, as a terminal
    /// would, so no half of one is left.
    private mutating func place(_ character: String, cells count: Int, x: Int, y: Int, role: Role) {
        let row = y * width
        var head = x
        while head > 0, cells[row + head].character.isEmpty { head -= 1 }
        for column in head..<x { cells[row + column].character = " " }
        var tail = x + count
        while tail < width, cells[row + tail].character.isEmpty {
            cells[row + tail].character = " "
            tail += 1
        }
        cells[row + x] = Cell(character: character, role: role)
        for column in (x + 1)..<(x + count) { cells[row + column] = Cell(character: "", role: role) }
    }

    public func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * width)..<((y + 1) * width)]
    }

    /// The text of each row, trailing spaces kept so the width shows.
    public var lines: [String] {
        (0..<height).map { y in row(y).map(\.character).joined() }
    }

    /// Text lines, then the role letters of each cell: a reviewable snapshot of a frame.
    public var snapshot: String {
        let roles = (0..<height).map { y in String(row(y).map(\.role.letter)) }
        return (lines + ["--- roles ---"] + roles).joined(separator: "\n") + "\n"
    }

    public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells
            && lhs.cursorX == rhs.cursorX && lhs.cursorY == rhs.cursorY
    }
}
