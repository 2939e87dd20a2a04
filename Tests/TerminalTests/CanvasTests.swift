import Foundation
import Testing
import CNCurses
@testable import Terminal

/// Layout on canvas rows: where each character lands, checked against what ncurses will do
/// with the cells (it advances by the C library's `wcwidth` of every character it is given).
@Suite struct CanvasTests {
    /// The cells ncurses advances for a cell's text.
    private static func ncursesWidth(_ text: String) -> Int {
        let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
        let previous = utf8.map { uselocale($0) }
        defer {
            if let previous { uselocale(previous) }
            if let utf8 { freelocale(utf8) }
        }
        return text.unicodeScalars.reduce(0) { $0 + Int(wcwidth(wchar_t($1.value))) }
    }

    /// Every cell's text takes exactly the cells the canvas gives it, so drawing the row
    /// leaves every later character where the canvas put it.
    private func expectNoShift(_ canvas: Canvas, row y: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let cells = Array(canvas.row(y))
        var x = 0
        while x < cells.count {
            var span = 1
            while x + span < cells.count, cells[x + span].character.isEmpty { span += 1 }
            #expect(!cells[x].character.isEmpty, "column \(x) is the rest of nothing", sourceLocation: sourceLocation)
            #expect(Self.ncursesWidth(cells[x].character) == span,
                    "\(cells[x].character.debugDescription) at \(x) spans \(span) cells", sourceLocation: sourceLocation)
            x += span
        }
    }

    private func row(_ text: String, width: Int = 20, limit: Int? = nil) -> Canvas {
        var canvas = Canvas(width: width, height: 1)
        canvas.put(text, x: 0, y: 0, limit: limit)
        canvas.put("|", x: width - 1, y: 0)
        return canvas
    }

    /// The column where `|` landed after `text`.
    private func bar(after text: String) -> Int? {
        var canvas = Canvas(width: 20, height: 1)
        let used = canvas.put(text, x: 0, y: 0)
        canvas.put("|", x: used, y: 0)
        expectNoShift(canvas, row: 0)
        return (0..<20).first { canvas[$0, 0].character == "|" }
    }

    @Test func wideCharactersTakeTwoCells() {
        #expect(bar(after: "王芳") == 4)
        #expect(bar(after: "ＡＢ") == 4)
        #expect(bar(after: "佐藤 健") == 7)
        let canvas = row("王芳")
        #expect(canvas[0, 0].character == "王" && canvas[1, 0].character.isEmpty)
        #expect(canvas[2, 0].character == "芳" && canvas[3, 0].character.isEmpty)
        expectNoShift(canvas, row: 0)
    }

    @Test func combiningMarksTakeNoCellAndAccentsLookTheSame() {
        #expect(bar(after: "Sea\u{301}n") == 4)
        #expect(bar(after: "Nguye\u{302}\u{303}n") == 6)
        #expect(row("Sea\u{301}n Zoe\u{308}").cells == row("Se\u{E1}n Zo\u{EB}").cells)
        // Composed in the cell, so a terminal that cannot combine marks still shows the letter.
        #expect(row("Sea\u{301}n")[2, 0].character.unicodeScalars.elementsEqual(["\u{E1}"]))
    }

    @Test(arguments: ["👩‍🔧", "👩🏽‍🔧", "👍🏽", "🇬🇧", "❤️", "1️⃣", "🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}", "👨‍👩‍👧‍👦"])
    func emojiNeverShiftLaterColumns(_ emoji: String) throws {
        let canvas = row("a" + emoji + "b" + emoji + "c")
        expectNoShift(canvas, row: 0)
        let column = try #require(bar(after: "a" + emoji))
        #expect(bar(after: "a" + emoji + "b" + emoji) == 2 * column)
    }

    @Test func controlsAndSequencesBecomeMarkersInTheirCells() {
        let canvas = row("a\u{1B}[2Jb\u{1B}]52;c;eA==\u{7}c\u{9B}31md\u{202E}e")
        #expect(canvas.lines[0].hasPrefix("a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e "))
        expectNoShift(canvas, row: 0)
    }

    @Test func cutsAtACellBoundaryWithAnEllipsis() {
        #expect(row("abcdefgh", limit: 5).lines[0].hasPrefix("abcd… "))
        // Four cells: 王 and the ellipsis, and a space where 芳 would not fit whole.
        let wide = row("王芳王芳", limit: 4)
        #expect(wide.lines[0].hasPrefix("王…  "))
        #expect(wide[3, 0] == Cell(character: " ", role: .normal))
        expectNoShift(wide, row: 0)
        let emoji = row("👩‍🔧👩‍🔧", limit: 6)
        #expect(emoji.lines[0].hasPrefix("👩🔧… "))
        expectNoShift(emoji, row: 0)
        #expect(row("abc", limit: 3).lines[0].hasPrefix("abc "), "text that fits is not cut")
        #expect(row("abc…", limit: 8).lines[0].hasPrefix("abc…     "), "an ellipsis of its own is kept, not a cut")
    }

    @Test func writingOverHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("王芳王", x: 0, y: 0)
        canvas.put("x", x: 1, y: 0)
        canvas.put("y", x: 4, y: 0)
        #expect(canvas.lines[0] == " x芳y     ")
        expectNoShift(canvas, row: 0)
        canvas.put("字", x: 2, y: 0)
        #expect(canvas.lines[0] == " x字y     ")
        canvas.put("字", x: 3, y: 0)
        #expect(canvas.lines[0] == " x 字     ")
        expectNoShift(canvas, row: 0)
    }

    @Test func aWideCharacterAtTheEdgeIsNeverHalfDrawn() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("abcd王", x: 0, y: 0)
        #expect(canvas.lines[0] == "abcd…")
        canvas.put("王芳", x: -1, y: 0)
        #expect(canvas.lines[0] == " 芳d…", "the part of 王 on the canvas is a space")
        expectNoShift(canvas, row: 0)
    }
}
