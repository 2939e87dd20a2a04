import Foundation
import Testing
import CtrlHubKit
import Terminal
@testable import TrainingDesk

/// Every screen and overlay at every size a terminal can have, from 0x0 up: never a trap,
/// a whole frame from 40x10 up, the too-small notice below it.
@Suite struct SizeTests {
    /// Each screen and overlay a person can reach.
    enum Screenful: String, CaseIterable {
        case starting, signIn, picker, list, filter, form, help, formHelp, confirm, discard, audit
        case signInAgain, restore, draftsWaiting, conflict

        var hasBox: Bool { ![.starting, .signIn, .picker, .list, .filter, .form].contains(self) }
    }

    static func state(_ screen: Screenful, width: Int = 80, height: Int = 24) -> State {
        var state = World.listState()
        func form(_ certificate: String) {
            state = World.formState()
            _ = World.press(&state, .tab, .tab, .control("u"))
            World.type(&state, certificate)
        }
        switch screen {
        case .starting: state = State(width: 80, height: 24, now: World.now)
        case .signIn:
            state = State(width: 80, height: 24, now: World.now)
            state.mode = .signIn
        case .picker:
            _ = World.press(&state, .character("p"))
            _ = update(&state, .membersLoaded(query: "", .success(World.others)))
        case .list: break
        case .filter:
            _ = World.press(&state, .character("/"))
            World.type(&state, "a")
        case .form: form("SMSTS-0043")
        case .help: _ = World.press(&state, .character("?"))
        case .formHelp:
            form("SMSTS-0043")
            _ = World.press(&state, .function(1))
        case .confirm:
            form("SMSTS-0043")
            _ = World.press(&state, .tab, .control("u"))
            World.type(&state, "Acme Street Works Training")
            _ = World.press(&state, .control("s"))
        case .discard:
            form("SMSTS-0043")
            _ = World.press(&state, .escape)
        case .audit:
            let before = World.completions[0].attributes
            var after = before
            after.certificateNumber = "NEW"
            let entry = AuditEntry(time: World.now, email: World.admin.email, api: "http://127.0.0.1:1", completionID: "c-1",
                                   person: World.person, standard: "SMSTS", before: before, after: after, error: nil)
            _ = update(&state, .auditLoaded([entry, entry, entry]))
        case .signInAgain:
            form("SMSTS-0043")
            _ = World.press(&state, .control("s"), .character("y"))
            _ = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.unauthorised))))
        case .restore, .draftsWaiting:
            form("DRAFT-1")
            let draft = state.form!.draft(at: World.now, owner: state.draftOwner)
            state = World.listState()
            if screen == .restore {
                _ = World.press(&state, .enter)
                _ = update(&state, .draftLoaded(id: "c-1", draft))
            } else {
                _ = update(&state, .draftsListed([draft]))
            }
        case .conflict:
            form("MINE")
            _ = World.press(&state, .control("s"))
            if case .save(let request)? = World.press(&state, .character("y")).last {
                var theirs = World.completions[0]
                theirs.attributes.certificateNumber = "THEIRS"
                _ = update(&state, .changed(request, server: theirs))
            }
        }
        _ = update(&state, .resized(width: width, height: height))
        return state
    }

    static let tiny = [(0, 0), (1, 1), (1, 0), (0, 1), (2, 1), (20, 5), (39, 10), (40, 9), (39, 60), (200, 9)]
    static let usable = [(40, 10), (41, 10), (40, 11), (40, 24), (80, 10), (80, 24), (200, 60)]
        + stride(from: 40, through: 200, by: 40).flatMap { width in [10, 17, 30, 45, 60].map { (width, $0) } }

    @Test(arguments: Screenful.allCases)
    func belowTheMinimumOnlyTheNoticeShows(_ screen: Screenful) {
        for (width, height) in Self.tiny {
            var state = Self.state(screen, width: width, height: height)
            let canvas = view(state)
            #expect(canvas.width == width && canvas.height == height)
            if width >= 20, height >= 3 {
                let words = canvas.lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
                #expect(words.contains("terminal too small (need 40x10)"), "\(width)x\(height)")
            }
            #expect(canvas.cursor == nil, "no cursor in a field that is not drawn")
            // Keys change nothing that cannot be seen; the next frame still draws.
            _ = World.press(&state, .character("x"), .enter, .down, .escape, .control("s"))
            #expect(view(state).width == width)
        }
    }

    @Test(arguments: Screenful.allCases)
    func fromTheMinimumUpEveryFrameIsWhole(_ screen: Screenful) {
        for ascii in [false, true] {
            for (width, height) in Self.usable {
                let canvas = view(Self.state(screen, width: width, height: height), ascii: ascii)
                let size = "\(width)x\(height)\(ascii ? " ascii" : "")"
                #expect(canvas.lines[0].hasPrefix(" TrainingDesk"), "\(size): the title")
                #expect(canvas.row(height - 1).allSatisfy { [.status, .statusError, .statusSuccess, .statusWarning].contains($0.role) },
                        "\(size): the status bar")
                if let cursor = canvas.cursor {
                    #expect(cursor.x >= 0 && cursor.x < width && cursor.y > 0 && cursor.y < height - 1, "\(size): the cursor")
                }
                if screen.hasBox { expectWholeBox(canvas, ascii: ascii, size) }
                #expect(!canvas.lines.joined().contains(ascii ? "┌" : "+--"), "\(size): one kind of border")
            }
        }
    }

    /// Both corners of the frame on screen, its sides unbroken between them, above the bar.
    func expectWholeBox(_ canvas: Canvas, ascii: Bool, _ size: String) {
        let (corner, side) = ascii ? ("+", "|") : ("┌", "│")
        let cells = (0..<canvas.height).flatMap { y in (0..<canvas.width).map { (x: $0, y: y) } }
        // The top left corner is the first corner followed by a border line.
        guard let top = cells.first(where: { canvas[$0.x, $0.y].character == corner && $0.x + 1 < canvas.width
                  && canvas[$0.x + 1, $0.y].character == (ascii ? "-" : "─") }) else {
            Issue.record("\(size): no box\n\(canvas.lines.joined(separator: "\n"))")
            return
        }
        let bottom = (top.y + 1..<canvas.height).first { canvas[top.x, $0].character != side } ?? canvas.height
        #expect(bottom < canvas.height - 1, "\(size): the bottom border is above the status bar")
        #expect(canvas[top.x, min(bottom, canvas.height - 1)].character == (ascii ? "+" : "└"),
                "\(size): the sides are unbroken down to the bottom corner\n\(canvas.lines.joined(separator: "\n"))")
    }

    @Test func theHelpScrollsWhenTheTerminalIsShort() {
        var state = Self.state(.formHelp, width: 40, height: 10)
        var seen = Set<String>()
        var screens = [view(state).lines.joined(separator: "\n")]
        #expect(screens[0].contains("Down/Up scroll"))
        #expect(screens[0].contains("more lines)"), "the help says more follows")
        for _ in 0..<40 {
            _ = World.press(&state, .down)
            screens.append(view(state).lines.joined(separator: "\n"))
        }
        #expect(state.overlay != nil, "scrolling keeps the help open")
        #expect(screens.last!.contains("lines above)"), "it stops at the end")
        #expect(screens.suffix(2).allSatisfy { $0 == screens.last }, "and goes no further")
        for screen in screens { seen.formUnion(screen.split(separator: "\n").map(String.init)) }
        let all = seen.joined(separator: "\n")
        for binding in KeyTable.bindings(.form) {
            #expect(all.contains(binding.keyNames), "\(binding.keyNames) is reached by scrolling")
        }
        for _ in 0..<10 { _ = World.press(&state, .pageUp) }
        #expect(state.overlay == .help(top: 0))
        _ = World.press(&state, .character("x"))
        #expect(state.overlay == nil, "any other key closes it")
        #expect(state.form?.text(.certificate) == "SMSTS-0043", "and typed nothing")
    }

    @Test func whenTheHelpFitsAnyKeyClosesIt() {
        var state = Self.state(.help, width: 80, height: 24)
        #expect(view(state).lines.joined().contains("any key closes this help"))
        _ = World.press(&state, .down)
        #expect(state.overlay == nil)
    }

    @Test func aCutBoxKeepsItsKeysInSight() {
        let keys: [Screenful: [String]] = [.confirm: ["y: save", "n, Esc: back"], .conflict: ["k: keep mine", "t: take theirs", "b or Esc"],
                                           .restore: ["y: restore it", "d: discard the draft", "n: not now"], .audit: ["any key closes"]]
        for (screen, keys) in keys {
            let screenText = view(Self.state(screen, width: 40, height: 10)).lines.joined(separator: "\n")
            #expect(screenText.contains("more lines)"), "\(screen) says more follows")
            for key in keys { #expect(screenText.contains(key), "\(screen): \(key)\n\(screenText)") }
        }
    }

    @Test func aWindowShrunkToNothingAndBackKeepsTheEdit() {
        var state = Self.state(.form)
        for (width, height) in [(0, 0), (1, 1), (40, 10), (0, 0), (80, 24)] {
            _ = update(&state, .resized(width: width, height: height))
            World.type(&state, "?")
        }
        #expect(state.form?.text(.certificate) == "SMSTS-0043??", "typed only where it could be seen")
        #expect(view(state).lines.contains { $0.contains("SMSTS-0043??") })
    }
}
