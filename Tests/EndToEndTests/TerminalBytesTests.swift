import Foundation
import Testing
import Pty

/// What the program sends down the line, byte for byte, on a pseudo-terminal of the test's own.
@Suite(.serialized) struct TerminalBytesTests {
    @Test func demoStartsAndQuits() throws {
        let before = try PseudoTerminal([binary.path, "--demo"], environment: environment(["TERM": "xterm-256color"]))
        #expect(before.wait(for: "Find a person"))
        before.send("\u{3}")
        let end = try #require(before.finish())
        #expect(end.status == 0)
    }
}
