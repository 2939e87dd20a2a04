import Terminal

/// One line of editable text with a cursor, counted in characters.
public struct TextField: Equatable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    /// Shown as bullets (a password).
    public var masked = false

    public init(_ text: String = "", masked: Bool = false) {
        characters = Array(text)
        cursor = characters.count
        self.masked = masked
    }

    public var text: String { String(characters) }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            insert(String(character))
        case .paste(let text):
            insert(text)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .control("u"):
            characters.removeAll()
            cursor = 0
        default:
            return false
        }
        return true
    }

    /// Inserts text at the cursor; control characters are dropped, so pasted text cannot
    /// smuggle keys or escape sequences into a field.
    public mutating func insert(_ text: String) {
        let clean = text.filter { character in
            !character.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }.prefix(max(0, TextField.longest - characters.count))
        characters.insert(contentsOf: clean, at: cursor)
        cursor += clean.count
    }

    /// No field takes more: Ctrl Hub keeps 255 characters at most, and a paste of megabytes
    /// must not make every redraw slow.
    public static let longest = 1000

    /// What to draw in `cells` cells and the cursor's column: scrolled so the cursor shows
    /// when `following`, else from the start.
    public func visible(in cells: Int, following: Bool) -> (text: String, cursor: Int) {
        let shown = masked ? Array(repeating: Character("*"), count: characters.count) : characters
        func width(_ range: Range<Int>) -> Int { shown[range].reduce(0) { $0 + TerminalText.width(of: $1) } }
        // Back from the cursor while what lies before it still leaves its own cell free.
        var start = following ? cursor : 0
        var before = 0
        while following, start > 0, before + TerminalText.width(of: shown[start - 1]) < cells {
            start -= 1
            before += TerminalText.width(of: shown[start])
        }
        var end = start
        var used = 0
        while end < shown.count, used + TerminalText.width(of: shown[end]) <= cells {
            used += TerminalText.width(of: shown[end])
            end += 1
        }
        return (String(shown[start..<end]), width(start..<cursor))
    }
}
