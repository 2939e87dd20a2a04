import Foundation
import Testing
import CtrlHubKit
import Terminal
@testable import TrainingDesk

/// Frames compared with reviewed text files in Snapshots/. A missing file is written and the
/// test fails, so a new snapshot is always read before it is committed.
@Suite struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// The text, the role of every cell, then how two themes draw each cell: the default
    /// theme's foreground colour (k r g y b m c w by ANSI number, upper case when reversed,
    /// . for the terminal's own) and the mono theme's attribute (R reverse, B bold,
    /// U underline, D dim, . plain). So a review sees what a colour and a mono terminal show.
    static func render(_ canvas: Canvas) throws -> String {
        let (mono, monoWarning) = Themes.choose("mono", environment: [:])
        let (colour, colourWarning) = Themes.choose("default", environment: [:])
        #expect(monoWarning == nil && colourWarning == nil)
        func layer(_ letter: (Theme.Look) -> Character, _ theme: Theme) -> String {
            (0..<canvas.height).map { y in String(canvas.row(y).map { letter(theme.look($0.role)) }) }.joined(separator: "\n")
        }
        let colours = Array("krgybmcw")
        let colourLayer = layer({ look in
            guard let foreground = look.foreground else { return look.reverse ? "#" : "." }
            let name = colours[foreground % 8]
            return look.reverse ? Character(name.uppercased()) : name
        }, colour)
        let monoLayer = layer({ look in
            look.reverse ? "R" : look.bold ? "B" : look.underline ? "U" : look.dim ? "D" : "."
        }, mono)
        return canvas.snapshot + "--- default theme ---\n" + colourLayer + "\n--- mono ---\n" + monoLayer + "\n"
    }

    func check(_ name: String, _ state: State, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Self.directory.appendingPathComponent(name + ".txt")
        let actual = try Self.render(view(state))
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("new snapshot \(name).txt written: review it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "\(name) differs from its snapshot", sourceLocation: sourceLocation)
    }

    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes)
    func picker(_ width: Int, _ height: Int) throws {
        var state = World.listState(width: width, height: height)
        _ = World.press(&state, .character("p"))
        World.type(&state, "a")
        _ = update(&state, .membersLoaded(query: "a", .success(World.others)))
        _ = World.press(&state, .down)
        try check("picker-\(width)x\(height)", state)
    }

    @Test(arguments: sizes)
    func list(_ width: Int, _ height: Int) throws {
        var state = World.listState(width: width, height: height)
        _ = World.press(&state, .down)
        try check("list-\(width)x\(height)", state)
    }

    @Test(arguments: sizes)
    func formWithErrors(_ width: Int, _ height: Int) throws {
        var state = World.formState(width: width, height: height)
        _ = World.press(&state, .control("u"))
        World.type(&state, "31/02/2024")
        _ = World.press(&state, .tab, .control("u"))
        World.type(&state, "2001-01-01")
        _ = World.press(&state, .control("s"))
        try check("form-errors-\(width)x\(height)", state)
    }

    @Test(arguments: sizes)
    func confirmation(_ width: Int, _ height: Int) throws {
        var state = World.formState(width: width, height: height)
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "SMSTS-0043")
        _ = World.press(&state, .tab, .control("u"))
        World.type(&state, "Acme Street Works Training")
        _ = World.press(&state, .control("s"))
        try check("confirm-\(width)x\(height)", state)
    }

    @Test(arguments: sizes)
    func help(_ width: Int, _ height: Int) throws {
        var state = World.listState(width: width, height: height)
        _ = World.press(&state, .character("?"))
        try check("help-\(width)x\(height)", state)
    }

    @Test func tooSmall() throws {
        try check("too-small-39x10", World.listState(width: 39, height: 10))
    }
}
