import Foundation
import Testing
import Pty

/// What the program sends down the line, byte for byte, on a pseudo-terminal of the test's own:
/// how it leaves the terminal on every way out, and how little it writes.
@Suite struct TerminalBytesTests {
    /// The demo started from a shell that first records `stty -g`, as it was before launch.
    struct Launch {
        let terminal: PseudoTerminal
        let record: String

        init(_ variables: [String: String]) throws {
            record = FileManager.default.temporaryDirectory.appendingPathComponent("td-stty-\(UUID().uuidString)").path
            let script = "stty -g > '\(record)'; exec \"$0\" --demo"
            terminal = try PseudoTerminal(["/bin/sh", "-c", script, binary.path], environment: environment(variables),
                                          configure: TerminalBytesTests.personalSettings)
        }

        /// What `stty -g` printed before the program started.
        func before() throws -> String {
            for _ in 0..<100 where (try? String(contentsOfFile: record, encoding: .utf8))?.isEmpty ?? true {
                Thread.sleep(forTimeInterval: 0.02)
            }
            return try String(contentsOfFile: record, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The demo on a fresh terminal, showing its first screen.
    func start(_ extra: [String: String] = [:]) throws -> Launch {
        let launch = try Launch(["TERM": "xterm-256color"].merging(extra) { _, new in new })
        try #require(launch.terminal.wait(for: "Find a person"), "the picker never showed")
        return launch
    }

    /// Opens the busiest person's 262 records and waits for the screen to be still.
    func openList(_ terminal: PseudoTerminal) throws {
        terminal.send("dylan")
        try #require(terminal.wait(for: "kestrel-utilities.test"), "the search never answered")
        let mark = terminal.count
        terminal.send("\r")
        try #require(terminal.wait(for: "262 records", after: mark), "the list never showed")
        terminal.settle()
    }

    /// A person's own settings, unlike the defaults, so that restoring "some sane mode" would
    /// not pass for restoring theirs: erase is Ctrl-H, flow control off, no echo of Ctrl keys.
    static func personalSettings(_ settings: inout termios) {
        settings.c_iflag &= ~tcflag_t(IXON)
        settings.c_lflag &= ~tcflag_t(ECHOCTL)
        withUnsafeMutableBytes(of: &settings.c_cc) { $0[Int(VERASE)] = 8 }
    }

    /// The terminal's settings as `stty -g` prints them now.
    func stty(_ terminal: PseudoTerminal) throws -> String {
        let stty = Process()
        stty.executableURL = URL(fileURLWithPath: "/bin/stty")
        stty.arguments = ["-g", "-F", terminal.path]
        let output = Pipe()
        stty.standardOutput = output
        try stty.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        stty.waitUntilExit()
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func last(_ text: String, in bytes: [UInt8]) -> Int {
        let needle = Array(text.utf8)
        var found = -1
        var from = 0
        while let index = PseudoTerminal.find(needle, in: bytes[from...]) {
            found = index
            from = index + 1
        }
        return found
    }

    /// Every switch into full-screen mode was switched back: normal screen, cursor shown,
    /// bracketed paste off, and mouse reporting never turned on.
    func expectTerminalGivenBack(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for (on, off) in [("\u{1B}[?1049h", "\u{1B}[?1049l"), ("\u{1B}[?25l", "\u{1B}[?25h"), ("\u{1B}[?2004h", "\u{1B}[?2004l")] {
            #expect(last(off, in: bytes) > last(on, in: bytes), "\(off.debugDescription) must come after the last \(on.debugDescription)",
                    sourceLocation: sourceLocation)
        }
        for mouse in ["\u{1B}[?1000h", "\u{1B}[?1002h", "\u{1B}[?1003h", "\u{1B}[?1006h"] {
            #expect(last(mouse, in: bytes) < 0, "mouse reporting was turned on", sourceLocation: sourceLocation)
        }
    }

    enum Exit: String, CaseIterable, Sendable {
        case q, controlC, sigterm, sighup, sigquit, sigint, trap
    }

    @Test(arguments: Exit.allCases)
    func everyWayOutGivesTheTerminalBackAsItWas(_ exit: Exit) throws {
        // Without interactive=no, Swift's crash report waits 30 s on a terminal for someone to debug.
        let launch = try start(exit == .trap ? ["TRAININGDESK_DEBUG_TRAP": "1", "SWIFT_BACKTRACE": "interactive=no"] : [:])
        let terminal = launch.terminal
        let before = try launch.before()
        try openList(terminal)
        #expect(try stty(terminal) != before, "the program runs the terminal raw")
        switch exit {
        case .q: terminal.send("q")
        case .controlC: terminal.send("\u{03}")
        case .sigterm: kill(terminal.pid, SIGTERM)
        case .sighup: kill(terminal.pid, SIGHUP)
        case .sigquit: kill(terminal.pid, SIGQUIT)
        case .sigint: kill(terminal.pid, SIGINT)
        case .trap: terminal.send("\u{1B}[24~")
        }
        let end = try #require(terminal.finish(timeout: 60), "the program did not exit")
        switch exit {
        case .q, .controlC: #expect(end.status == 0)
        case .sigterm: #expect(end.status == 128 + SIGTERM)
        case .sighup: #expect(end.status == 128 + SIGHUP)
        case .sigquit: #expect(end.status == 128 + SIGQUIT)
        case .sigint: #expect(end.status == 128 + SIGINT)
        case .trap: #expect(end.status > 128, "a trap ends the program by a signal")
        }
        if exit == .trap {
            // The runtime's reason, written before the trap, is shown on the normal screen.
            let after = terminal.output[(last("\u{1B}[?1049l", in: terminal.output) + 1)...]
            #expect(PseudoTerminal.find(Array("Fatal error".utf8), in: after) != nil, "the crash says why, after the screen is back")
        }
        terminal.settle(quiet: 0.1)
        #expect(try stty(terminal) == before)
        expectTerminalGivenBack(terminal.output)
    }

    /// The program's state letter in /proc: T when stopped.
    func state(_ pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    @Test func suspendedItGivesTheTerminalBackAndContinuedItTakesItAgain() throws {
        let launch = try start()
        let terminal = launch.terminal
        try openList(terminal)
        let mark = terminal.count
        kill(terminal.pid, SIGTSTP)
        let deadline = Date().addingTimeInterval(10)
        while state(terminal.pid) != "T", Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        try #require(state(terminal.pid) == "T", "the program stopped")
        #expect(try stty(terminal) == launch.before(), "the shell gets its own settings while the program is stopped")
        expectTerminalGivenBack(Array(terminal.output[mark...]))

        let resumed = terminal.count
        kill(terminal.pid, SIGCONT)
        #expect(terminal.wait(for: "\u{1B}[?2004h", after: resumed), "bracketed paste on again")
        #expect(terminal.wait(for: "262 records", after: resumed), "the screen is drawn again")
        terminal.settle()
        // Still a paste, not keys: q would quit.
        terminal.send("\u{1B}[200~jjjq\u{1B}[201~")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(terminal.finish(timeout: 0) == nil, "a paste in the list did nothing")
        terminal.send("q")
        #expect(terminal.finish()?.status == 0)
    }

    @Test func aStartThatFailsLeavesTheTerminalUntouched() throws {
        for term in ["no-such-terminal", "dumb"] {
            let launch = try Launch(["TERM": term])
            let terminal = launch.terminal
            let before = try launch.before()
            let end = try #require(terminal.finish())
            terminal.settle(quiet: 0.1)
            let said = String(decoding: terminal.output, as: UTF8.self)
            #expect(end.status == 1)
            #expect(said.contains("TERM") && said.contains("xterm-256color"), "says what to set: \(said)")
            #expect(!said.contains("\u{1B}"), "nothing but the sentence is sent")
            #expect(try stty(terminal) == before)
        }
    }

    @Test func aHangupEndsTheProgramAtOnceWithoutSpinning() throws {
        let terminal = try start().terminal
        try openList(terminal)
        terminal.send("\r")
        #expect(terminal.wait(for: "Ctrl-S save"))
        terminal.hangUp()
        let end = try #require(terminal.finish(timeout: 5), "still running 5 s after the hangup")
        #expect(end.status == 128 + SIGHUP)
        // Starting, loading 262 records and drawing take a fraction of this; a loop spinning on
        // a dead terminal would use all of the 5 s.
        #expect(end.cpu < 2.5, "used \(end.cpu) s of CPU")
    }

    @Test func nothingIsWrittenWhileNothingChanges() throws {
        let terminal = try start().terminal
        try openList(terminal)
        let mark = terminal.count
        Thread.sleep(forTimeInterval: 10)
        #expect(terminal.count == mark, "wrote \(terminal.count - mark) bytes while idle")
    }

    @Test func theCursorShowsOnlyInAFieldBeingEdited() throws {
        let terminal = try start().terminal
        try openList(terminal)
        let bytes = terminal.output
        #expect(last("\u{1B}[?25l", in: bytes) > last("\u{1B}[?25h", in: bytes), "hidden in the list")
        let mark = terminal.count
        terminal.send("\r")
        #expect(terminal.wait(for: "Ctrl-S save", after: mark))
        terminal.settle()
        let form = Array(terminal.output[mark...])
        #expect(last("\u{1B}[?25h", in: form) > last("\u{1B}[?25l", in: form), "shown in the form's field")
    }

    @Test func movingOneRowWritesOnlyTheRowsThatChanged() throws {
        let terminal = try start().terminal
        try openList(terminal)
        for key in ["j", "j", "k", "\u{1B}[B"] {
            let mark = terminal.count
            terminal.send(key)
            #expect(terminal.wait { $0.count > mark })
            terminal.settle(quiet: 0.2)
            let sent = Array(terminal.output[mark...])
            #expect(sent.count < 1024, "one row move wrote \(sent.count) bytes")
            #expect(last("\u{1B}[2J", in: sent) < 0 && last("\u{1B}[J", in: sent) < 0, "no clearing for a row move")
        }
    }
}

