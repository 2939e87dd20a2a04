import Foundation
import Terminal

/// Enough of an xterm to follow what ncurses and less send for TERM=xterm-256color: where the
/// text lands. Colours and attributes are ignored; the benchmark only asks what the screen says,
/// at the moment the bytes that say it arrive.
final class VirtualTerminal {
    let width: Int
    let height: Int
    /// One string per cell: a character, or "" for the right half of a wide one.
    private var cells: [[String]]
    private var x = 0
    private var y = 0
    /// At the right edge after writing the last column: the next character wraps first.
    private var wrapPending = false
    private var top = 0
    private var bottom: Int
    private var saved = (x: 0, y: 0)
    private var last = " "

    private enum Mode { case text, escape, csi, osc, string, charset }
    private var mode = Mode.text
    private var sequence: [UInt8] = []
    private var pending: [UInt8] = []

    init(width: Int = 80, height: Int = 24) {
        self.width = width
        self.height = height
        bottom = height - 1
        cells = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    var lines: [String] { cells.map { $0.joined() } }

    func line(_ row: Int) -> String { cells[row].joined() }

    func contains(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { take(byte) }
    }

    private func take(_ byte: UInt8) {
        switch mode {
        case .text: text(byte)
        case .escape: escape(byte)
        case .csi:
            if (0x40...0x7E).contains(byte) {
                control(final: byte)
                mode = .text
            } else {
                sequence.append(byte)
            }
        case .osc:
            // Ends at BEL, or at ESC \ (the backslash arrives in text mode and is dropped there).
            if byte == 0x07 { mode = .text } else if byte == 0x1B { mode = .escape }
        case .string:
            if byte == 0x1B { mode = .escape }
        case .charset:
            mode = .text
        }
    }

    private func text(_ byte: UInt8) {
        if !pending.isEmpty || byte >= 0x80 {
            pending.append(byte)
            let expected = pending[0] >= 0xF0 ? 4 : pending[0] >= 0xE0 ? 3 : pending[0] >= 0xC0 ? 2 : 1
            guard pending.count >= expected else { return }
            let character = String(decoding: pending, as: UTF8.self)
            pending = []
            put(character)
            return
        }
        switch byte {
        case 0x1B: mode = .escape
        case 0x0D: x = 0; wrapPending = false
        case 0x0A, 0x0B, 0x0C: lineFeed()
        case 0x08: x = max(0, x - 1); wrapPending = false
        case 0x09: x = min(width - 1, (x / 8 + 1) * 8); wrapPending = false
        case 0x20..<0x7F: put(String(UnicodeScalar(byte)))
        default: break
        }
    }

    private func escape(_ byte: UInt8) {
        mode = .text
        switch byte {
        case UInt8(ascii: "["): mode = .csi; sequence = []
        case UInt8(ascii: "]"): mode = .osc
        case UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"): mode = .string
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"): mode = .charset
        case UInt8(ascii: "7"): saved = (x, y)
        case UInt8(ascii: "8"): (x, y) = saved; wrapPending = false
        case UInt8(ascii: "D"): lineFeed()
        case UInt8(ascii: "E"): x = 0; lineFeed()
        case UInt8(ascii: "M"):
            wrapPending = false
            if y == top { scroll(down: 1) } else { y = max(0, y - 1) }
        case UInt8(ascii: "c"): reset()
        default: break
        }
    }

    private func put(_ character: String) {
        let cells = character.first.map(TerminalText.width(of:)) ?? 0
        if cells == 0 {
            // A combining mark joins the character before it.
            let column = max(0, wrapPending ? x : x - 1)
            self.cells[y][column] += character
            return
        }
        if wrapPending || x + cells > width {
            x = 0
            lineFeed()
        }
        self.cells[y][x] = character
        if cells == 2 { self.cells[y][x + 1] = "" }
        last = character
        x += cells
        if x >= width {
            x = width - 1
            wrapPending = true
        }
    }

    private func lineFeed() {
        wrapPending = false
        if y == bottom { scroll(up: 1) } else { y = min(height - 1, y + 1) }
    }

    private func blankLine() -> [String] { Array(repeating: " ", count: width) }

    private func scroll(up count: Int) {
        for _ in 0..<min(count, bottom - top + 1) {
            cells.remove(at: top)
            cells.insert(blankLine(), at: bottom)
        }
    }

    private func scroll(down count: Int) {
        for _ in 0..<min(count, bottom - top + 1) {
            cells.remove(at: bottom)
            cells.insert(blankLine(), at: top)
        }
    }

    private func reset() {
        cells = Array(repeating: blankLine(), count: height)
        (x, y, top, bottom, wrapPending) = (0, 0, 0, height - 1, false)
    }

    private func erase(row: Int, from start: Int, to end: Int) {
        for column in max(0, start)..<min(width, end) { cells[row][column] = " " }
    }

    private func control(final: UInt8) {
        let privateMode = sequence.first.map { (0x3C...0x3F).contains($0) } ?? false
        let text = String(decoding: sequence.filter { (0x30...0x3B).contains($0) }, as: UTF8.self)
        let numbers = text.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        func number(_ index: Int, default value: Int = 1) -> Int {
            index < numbers.count && numbers[index] > 0 ? numbers[index] : value
        }
        let count = number(0)
        if final != UInt8(ascii: "m") { wrapPending = false }
        switch final {
        case UInt8(ascii: "A"): y = max(0, y - count)
        case UInt8(ascii: "B"), UInt8(ascii: "e"): y = min(height - 1, y + count)
        case UInt8(ascii: "C"), UInt8(ascii: "a"): x = min(width - 1, x + count)
        case UInt8(ascii: "D"): x = max(0, x - count)
        case UInt8(ascii: "E"): y = min(height - 1, y + count); x = 0
        case UInt8(ascii: "F"): y = max(0, y - count); x = 0
        case UInt8(ascii: "G"), UInt8(ascii: "`"): x = min(width - 1, count - 1)
        case UInt8(ascii: "d"): y = min(height - 1, count - 1)
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            y = min(height - 1, number(0) - 1)
            x = min(width - 1, number(1) - 1)
        case UInt8(ascii: "J"):
            switch numbers.first ?? 0 {
            case 0:
                erase(row: y, from: x, to: width)
                for row in (y + 1)..<height { erase(row: row, from: 0, to: width) }
            case 1:
                for row in 0..<y { erase(row: row, from: 0, to: width) }
                erase(row: y, from: 0, to: x + 1)
            default:
                for row in 0..<height { erase(row: row, from: 0, to: width) }
            }
        case UInt8(ascii: "K"):
            switch numbers.first ?? 0 {
            case 0: erase(row: y, from: x, to: width)
            case 1: erase(row: y, from: 0, to: x + 1)
            default: erase(row: y, from: 0, to: width)
            }
        case UInt8(ascii: "X"): erase(row: y, from: x, to: x + count)
        case UInt8(ascii: "@"):
            for _ in 0..<min(count, width - x) {
                cells[y].insert(" ", at: x)
                cells[y].removeLast()
            }
        case UInt8(ascii: "P"):
            for _ in 0..<min(count, width - x) {
                cells[y].remove(at: x)
                cells[y].append(" ")
            }
        case UInt8(ascii: "L") where (top...bottom).contains(y):
            for _ in 0..<min(count, bottom - y + 1) {
                cells.remove(at: bottom)
                cells.insert(blankLine(), at: y)
            }
        case UInt8(ascii: "M") where (top...bottom).contains(y):
            for _ in 0..<min(count, bottom - y + 1) {
                cells.remove(at: y)
                cells.insert(blankLine(), at: bottom)
            }
        case UInt8(ascii: "S"): scroll(up: count)
        case UInt8(ascii: "T") where !privateMode: scroll(down: count)
        case UInt8(ascii: "r") where !privateMode:
            top = min(height - 1, number(0) - 1)
            bottom = min(height - 1, number(1, default: height) - 1)
            (x, y) = (0, 0)
        case UInt8(ascii: "b"):
            for _ in 0..<count { put(last) }
        case UInt8(ascii: "s") where !privateMode: saved = (x, y)
        case UInt8(ascii: "u") where !privateMode: (x, y) = saved
        case UInt8(ascii: "h") where privateMode && numbers.contains(1049),
             UInt8(ascii: "l") where privateMode && numbers.contains(1049):
            // The alternate screen: a program starts and ends on a clear one.
            reset()
        default:
            break
        }
    }
}
