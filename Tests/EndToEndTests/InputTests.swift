import Foundation
import Testing
import CtrlHubSandbox

/// Keys as they arrive over a slow link or from a paste, on the built binary in tmux.
@Suite(.serialized) struct InputTests {
    let ui = InterfaceTests()

    /// The certificate line of the form as shown.
    func certificate(_ screen: String) -> String {
        let line = screen.split(separator: "\n").first { $0.contains("Certificate number") } ?? ""
        return line.replacingOccurrences(of: "Certificate number", with: "").trimmingCharacters(in: .whitespaces)
    }

    @Test func keysSplitAcrossReadsStillDecodeAndALoneEscStillActs() throws {
        let sandbox = try CLISandbox()
        let tmux = try ui.openList(sandbox)
        _ = try ui.openForm(tmux, sandbox)
        // Down twice, each arrow's Esc in one write and the rest in the next, 40 ms later.
        for _ in 0..<2 {
            try tmux.send(bytes: [0x1B])
            Thread.sleep(forTimeInterval: 0.04)
            try tmux.send(bytes: Array("[B".utf8))
        }
        try tmux.press("C-u")
        try tmux.type("SPLIT-")
        // A two-byte character split the same way.
        try tmux.send(bytes: [0xC3])
        Thread.sleep(forTimeInterval: 0.04)
        try tmux.send(bytes: [0xA9])
        try tmux.wait("the split keys as keys") { self.certificate($0) == "SPLIT-é" }
        try tmux.press("Escape")
        try tmux.wait(for: "Discard changes? (y/N)")
    }

    @Test func aPasteIsTextInTheFieldAndNeverKeys() throws {
        let sandbox = try CLISandbox()
        let tmux = try ui.openList(sandbox)
        let record = try ui.openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        // Tab would move on, Enter too, y would answer a question, Esc would close the form.
        try tmux.paste("PASTE-2\tq\ry\u{1B}")
        try tmux.wait("the pasted text without its control characters") { self.certificate($0) == "PASTE-2qy" }
        try tmux.press("C-s")
        try tmux.wait(forAll: ["Save these changes?", "-> PASTE-2qy"])
        try tmux.press("y")
        try tmux.wait(for: "Saved")
        #expect(sandbox.server.completion(id: record.id)?.certificateNumber == "PASTE-2qy")
    }

    @Test func aPasteIntoTheSearchFindsThePerson() throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux([], environment: sandbox.environment())
        try tmux.wait(for: "Find a person")
        try tmux.paste("dylan.pritchard\n")
        try tmux.wait(for: sandbox.person.email)
        try tmux.press("Enter")
        try tmux.wait(for: "\(sandbox.completions.count) records")
    }

    @Test func ctrlLRepaintsOverWhatElseWroteOnTheTerminal() throws {
        let sandbox = try CLISandbox()
        let tmux = try ui.openList(sandbox)
        Thread.sleep(forTimeInterval: 0.3)
        let clean = try tmux.screen()
        // As `wall` would: text written to the terminal behind the program's back.
        let tty = try tmux.tmux(["display-message", "-p", "-t", tmux.target, "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try "\r\nBroadcast message from root\r\n\r\n".write(toFile: tty, atomically: false, encoding: .utf8)
        try tmux.wait(for: "Broadcast message")
        try tmux.press("C-l")
        try tmux.wait("the screen as it was") { $0 == clean }
    }

    @Test func aStormOfResizesWithTheFormOpenLosesNothing() throws {
        let sandbox = try CLISandbox()
        let tmux = try ui.openList(sandbox)
        _ = try ui.openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("STORM-1")
        try tmux.wait(for: "STORM-1")
        let sizes = [(200, 60), (40, 10), (20, 5), (1, 1), (120, 40), (60, 16), (81, 25), (39, 9), (100, 30), (45, 12)]
        for index in 0..<50 {
            let (width, height) = sizes[index % sizes.count]
            try tmux.resize(width: width, height: height)
        }
        try tmux.resize(width: 80, height: 24)
        try tmux.wait("the form at 80x24 with the value") { self.certificate($0) == "STORM-1" && $0.contains("Ctrl-S save") }
        try tmux.type("x")
        try tmux.wait("typing still works") { self.certificate($0) == "STORM-1x" }
        #expect(try !tmux.screen().contains("[exit"))
    }
}
