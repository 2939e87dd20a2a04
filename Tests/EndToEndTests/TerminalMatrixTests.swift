import Foundation
import Testing
import CtrlHubSandbox

/// A terminal a person might reach TrainingDesk from: its TERM, locale, size, colour and theme.
struct TerminalSetup: Sendable, CustomTestStringConvertible {
    var term = "xterm-256color"
    var locale = ["LANG": "C.UTF-8"]
    var width = 80
    var height = 24
    var noColour = false
    var theme: String?
    var extra: [String: String] = [:]

    var unicode: Bool { (locale["LC_ALL"] ?? locale["LANG"] ?? "").hasSuffix("UTF-8") }
    var tooSmall: Bool { width < 40 || height < 10 }
    /// Colour is drawn unless the terminal has none (vt100), NO_COLOR is set or the theme is mono.
    var colour: Bool { !(term == "vt100" || noColour || theme == "mono") }

    var testDescription: String {
        var words = [term]
        words += locale.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        words.append("\(width)x\(height)")
        if noColour { words.append("NO_COLOR=1") }
        if let theme { words.append("--theme \(theme)") }
        words += extra.map { "\($0.key)=\($0.value)" }
        return words.joined(separator: " ")
    }
}

/// The built binary in tmux under each TERM, locale, size, colour setting and theme, against a
/// sandbox: each terminal once, not every combination.
@Suite struct TerminalMatrixTests {
    static let setups: [TerminalSetup] = [
        // Each TERM at 80x24 under UTF-8, with the themes spread over them.
        TerminalSetup(theme: "default"),
        TerminalSetup(term: "xterm", theme: "light"),
        TerminalSetup(term: "screen-256color", theme: "high-contrast"),
        TerminalSetup(term: "screen", theme: "mono"),
        TerminalSetup(term: "tmux-256color"),
        TerminalSetup(term: "linux", extra: ["NCURSES_NO_UTF8_ACS": "1"]),
        TerminalSetup(term: "vt100"),
        // Each size.
        TerminalSetup(width: 200, height: 60),
        TerminalSetup(width: 40, height: 10),
        TerminalSetup(width: 20, height: 5),
        // No UTF-8: as under sudo or a service account.
        TerminalSetup(locale: ["LANG": "C"]),
        TerminalSetup(term: "vt100", locale: ["LANG": "C"]),
        TerminalSetup(term: "screen-256color", locale: ["LANG": "C.UTF-8", "LC_ALL": "POSIX"]),
        TerminalSetup(noColour: true),
    ]

    @Test(arguments: setups)
    func theBusiestPersonsListIsUsable(_ setup: TerminalSetup) throws {
        let sandbox = try CLISandbox()
        var variables = setup.locale.merging(setup.extra) { _, new in new }
        variables["TERM"] = setup.term
        if setup.noColour { variables["NO_COLOR"] = "1" }
        let bytes = FileManager.default.temporaryDirectory.appendingPathComponent("td-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bytes) }
        // The program waits for Enter until everything it writes is being recorded.
        let tmux = try Tmux(["--user", sandbox.person.email] + (setup.theme.map { ["--theme", $0] } ?? []),
                            environment: sandbox.environment(variables), width: setup.width, height: setup.height,
                            before: "read -r _")
        try tmux.tmux(["pipe-pane", "-o", "-t", tmux.target, "cat > " + Tmux.quote(bytes.path)])
        try tmux.press("Enter")

        if setup.tooSmall {
            try tmux.wait(forAll: ["terminal too small", "(need 40x10)"])
            try tmux.resize(width: 1, height: 1)
            try tmux.wait("one cell, and no crash") { $0.trimmingCharacters(in: .whitespacesAndNewlines) == (setup.unicode ? "…" : "~") }
            try tmux.resize(width: 80, height: 24)
        }
        let (width, height) = setup.tooSmall ? (80, 24) : (setup.width, setup.height)
        let count = sandbox.completions.count
        let name = "\(sandbox.person.firstName) \(sandbox.person.lastName)"
        let list = try tmux.wait("the busiest person's records and the status bar") { screen in
            let lines = Self.lines(screen)
            let rows = lines.filter { $0.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) != nil }
            return lines.count == height && lines[0].contains("TrainingDesk") && lines[0].contains("training records")
                && rows.count == min(count, height - 4) && lines[height - 1].contains("127.0.0.1:")
                && (width < 80 || (lines[1].contains("\(count) records") && lines[height - 1].contains("\(name) (\(count))")))
        }

        let lines = Self.lines(list)
        if setup.unicode {
            #expect(lines[0].contains("TrainingDesk · training records"))
            #expect(lines[height - 1].contains(" │ "))
        } else {
            #expect(list.unicodeScalars.allSatisfy { $0.isASCII }, "nothing the locale cannot show")
            #expect(lines[0].contains("TrainingDesk - training records"))
            #expect(lines[height - 1].contains(" | "))
            #expect(lines[height - 1].contains("no UTF-8 locale"), "the status bar says why")
        }

        let styled = try tmux.styledScreen()
        #expect(Self.hasColour(styled) == setup.colour, "colour as the terminal and settings allow")
        #expect(Self.parameters(styled).contains("7"), "reverse video, for the selection and the bar, in every case")

        try tmux.press("?")
        // The whole box, not just its first line: a frame may be read while it is drawn.
        let help = try tmux.wait(forAll: setup.unicode ? ["Keys", "│ Down j", "─┘"] : ["Keys", "| Down j", "-+"])
        if setup.unicode {
            #expect(help.contains("┌─") && help.contains("─┘") && help.contains("│ Down j"), "Unicode box drawing")
        } else {
            #expect(help.contains("+-") && help.contains("-+") && help.contains("| Down j"), "ASCII borders")
            #expect(help.unicodeScalars.allSatisfy { $0.isASCII })
        }
        if height < 24 { #expect(help.contains("more lines)"), "the help says more follows") }
        try tmux.press("Escape")
        try tmux.wait(for: "sorted by")
        try tmux.press("q")
        try tmux.wait(for: "[exit 0]")

        // Box lines are our own characters: the alternate character set is never switched in.
        let written = try Data(contentsOf: bytes)
        #expect(written.count > 1000, "the program's output was recorded")
        #expect(!written.contains(0x0E), "no SO (shift to the line-drawing set)")
        #expect(written.range(of: Data("\u{1B}(0".utf8)) == nil, "no ESC ( 0 (line drawing as G0)")
    }

    /// A TERM ncurses cannot drive exits with one sentence and leaves the terminal as it was.
    @Test(arguments: ["dumb", "no-such-terminal-9000", ""])
    func anUnusableTermSaysWhatToSet(_ term: String) throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux([], environment: sandbox.environment(["TERM": term]), before: "saved=$(stty -g)",
                            then: "[ \"$(stty -g)\" = \"$saved\" ] && echo '[stty same]'")
        try tmux.wait(for: "[stty same]")
        let screen = try tmux.tmux(["capture-pane", "-p", "-J", "-t", tmux.target])
        let said = Self.lines(screen).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("[") }
        #expect(said.count == 1, "one sentence, nothing from ncurses: \(said)")
        let sentence = said.first ?? ""
        let named = term.isEmpty ? "TERM is not set" : (term == "dumb" ? "TERM is \"dumb\"" : "TERM=\(term)")
        #expect(sentence.contains(named) && sentence.contains("set TERM") && sentence.hasSuffix("."), "\(sentence)")
        #expect(screen.contains("[exit 1]"))
    }

    /// `NCURSES_NO_UTF8_ACS=1` (PuTTY advice) changes nothing: the borders are ours.
    @Test func ncursesNoUTF8ACSLooksTheSame() throws {
        let sandbox = try CLISandbox()
        var screens: [String] = []
        for extra in [[:], ["NCURSES_NO_UTF8_ACS": "1"]] {
            let tmux = try Tmux(["--user", sandbox.person.email], environment: sandbox.environment(extra.merging(["TERM": "screen"]) { a, _ in a }))
            try tmux.wait(for: "\(sandbox.completions.count) records")
            try tmux.press("?")
            screens.append(try tmux.wait(forAll: ["┌", "└", "q Ctrl-C"]))
        }
        #expect(screens[0] == screens[1])
    }

    /// Screen lines, without the newline after the last.
    static func lines(_ screen: String) -> [String] {
        var lines = screen.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Every parameter of every SGR sequence in a styled capture.
    static func parameters(_ styled: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "\u{1B}\\[([0-9;]*)m")
        let range = NSRange(styled.startIndex..., in: styled)
        return pattern.matches(in: styled, range: range).flatMap { match in
            Range(match.range(at: 1), in: styled).map { styled[$0].split(separator: ";").map(String.init) } ?? []
        }
    }

    /// Whether any SGR sets a colour (39 and 49, the terminal's own colours, do not count).
    static func hasColour(_ styled: String) -> Bool {
        parameters(styled).contains { parameter in
            guard let number = Int(parameter) else { return false }
            return (30...38).contains(number) || (40...48).contains(number) || (90...97).contains(number) || (100...107).contains(number)
        }
    }
}
