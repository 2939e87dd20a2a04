/// What a piece of the screen means; a theme decides how each looks.
public enum Role: String, CaseIterable, Sendable, Codable {
    case normal, title, header, selected, status, error, success, warning, expired, dim, label, field, focus, key

    /// One letter per role, for text snapshots of a canvas's styling.
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
        }
    }
}

/// One cell: a character (empty for the right half of a wide one) and its role.
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

    /// Writes text from (x, y), cut to `limit` cells (default: to the right edge). Returns the
    /// cells used. Never splits a wide character: one that does not fit leaves a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + max(0, limit ?? width))
        var column = x
        // Whatever a view hands over, nothing that could drive the terminal gets into a cell.
        let clean = TerminalText.clean(text)
        TerminalText.walk(clean) { range, cells in
            if cells == 0 { return true }
            if column + cells > end {
                if column < end, column >= 0 { set(column, y, Cell(character: " ", role: role)) }
                column = end
                return false
            }
            if column >= 0 {
                let byte = clean.utf8[range.lowerBound]
                let single = clean.utf8.index(after: range.lowerBound) == range.upperBound
                let character = single && byte < 0x80 ? Canvas.ascii[Int(byte)] : String(clean[range])
                set(column, y, Cell(character: character, role: role))
                if cells == 2, column + 1 < width { set(column + 1, y, Cell(character: "", role: role)) }
            }
            column += cells
            return true
        }
        return max(0, column - x)
    }

    /// Paints a run of cells with a role, keeping their characters.
    public mutating func paint(x: Int, y: Int, width count: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, max(0, x + count)) {
            cells[y * width + column].role = role
        }
    }

    /// Fills a whole row with spaces in a role. No wide character is left half on the row, so
    /// the cells are simply replaced.
    public mutating func clear(row y: Int, role: Role = .normal) {
        guard y >= 0, y < height else { return }
        let blank = Cell(character: " ", role: role)
        for index in (y * width)..<((y + 1) * width) { cells[index] = blank }
    }

    /// Each printable ASCII character as a one-character string, made once.
    private static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        // Overwriting half of a wide character blanks its other half, as a terminal would.
        let index = y * width + x
        if cells[index].character.isEmpty, x > 0 { cells[index - 1].character = " " }
        if x + 1 < width, cells[index + 1].character.isEmpty, !cells[index].character.isEmpty,
           TerminalText.width(cells[index].character) == 2 {
            cells[index + 1].character = " "
        }
        cells[index] = cell
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
