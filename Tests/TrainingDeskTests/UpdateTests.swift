import Foundation
import Testing
import CtrlHubKit
import Terminal
@testable import TrainingDesk

@Suite struct StartAndPickerTests {
    @Test func withoutUTF8TheStatusBarSaysSoOnceUntilTheNextMessage() {
        var state = State(width: 80, height: 24, now: World.now)
        #expect(update(&state, .started(unicode: false, themeProblem: nil)).isEmpty, "no timer: it does not fade")
        #expect(view(state, ascii: true).lines.last?.contains("no UTF-8 locale (set LANG=C.UTF-8)") == true)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        World.type(&state, "se")
        #expect(state.status?.text.contains("no UTF-8") == true, "keys leave it")
        _ = update(&state, .membersLoaded(query: "se", .failure(CtrlHubError(.transport(.timeout)))))
        #expect(state.status?.kind == .error, "the next message takes its place")
        _ = World.press(&state, .down)
        #expect(state.status == nil, "and it does not come back")

        var fine = State(width: 80, height: 24, now: World.now)
        _ = update(&fine, .started(unicode: true, themeProblem: nil))
        #expect(fine.status == nil, "nothing to say under UTF-8")
        _ = update(&fine, .started(unicode: false, themeProblem: "Theme x: no such theme."))
        #expect(fine.status?.text == "Theme x: no such theme. · no UTF-8 locale (set LANG=C.UTF-8)")
        #expect(fine.status?.kind == .error)
    }

    @Test func aLoadedSessionOpensThePickerAndSearchesAfterAPause() {
        var state = State(width: 80, height: 24, now: World.now)
        let effects = update(&state, .sessionLoaded(.success(World.session)))
        #expect(state.mode == .picker)
        #expect(effects == [.after(0.25, .searchDue(generation: 1)), .listDrafts(owner: "admin@demo.trainingdesk.test@127.0.0.1:8123")])
        #expect(update(&state, .searchDue(generation: 1)) == [.searchMembers("", org: "org-1")])
    }

    @Test func typingSearchesOnlyAfterTheLastKey() {
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        World.type(&state, "sea")
        #expect(state.picker.generation == 4)
        #expect(update(&state, .searchDue(generation: 2)).isEmpty, "a pause that was interrupted searches nothing")
        #expect(update(&state, .searchDue(generation: 4)) == [.searchMembers("sea", org: "org-1")])
        _ = update(&state, .membersLoaded(query: "se", .success(World.others)))
        #expect(state.picker.results.isEmpty, "an answer to an older query is ignored")
        _ = update(&state, .membersLoaded(query: "sea", .success([World.others[1]])))
        #expect(state.picker.results.map(\.id) == ["u-2"])
    }

    @Test func thePickerScrollsOnlyWhenTheSelectionWouldLeaveTheScreen() {
        var state = State(width: 80, height: 12, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        let many = (1...40).map { User(id: "u-\($0)", email: "p\($0)@x.test", firstName: "P\($0)") }
        _ = update(&state, .membersLoaded(query: "", .success(many)))
        _ = World.press(&state, .pageDown, .pageDown)
        let top = state.picker.top
        #expect(state.picker.selection >= top && state.picker.selection < top + pickerRows(state))
        _ = World.press(&state, .up)
        #expect(state.picker.top == top, "moving up inside the screen does not scroll")
        _ = World.press(&state, .pageUp, .pageUp, .pageUp)
        #expect(state.picker.top == 0 && state.picker.selection == 0)
    }

    @Test func upDownAndEnterOpenAPerson() {
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .membersLoaded(query: "", .success(World.others)))
        _ = World.press(&state, .down, .down, .up, .down, .down, .down, .down)
        #expect(state.picker.selection == 3, "clamped at the last person")
        let effects = World.press(&state, .enter)
        #expect(state.mode == .list)
        #expect(state.list?.person.id == "u-4")
        #expect(effects == [.loadCompletions(userID: "u-4")])
    }

    @Test func aQuickEnterWaitsForTheNewResultsInsteadOfOpeningAStaleRow() {
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .membersLoaded(query: "", .success(World.others)))
        World.type(&state, "zoe")
        #expect(World.press(&state, .enter).isEmpty, "the rows shown are for an older query")
        #expect(state.mode == .picker)
        #expect(view(state).row(3).allSatisfy { $0.role == .dim }, "stale rows are dimmed")
        let effects = update(&state, .membersLoaded(query: "zoe", .success([World.others[3]])))
        #expect(effects == [.loadCompletions(userID: "u-4")])
        #expect(state.list?.person.id == "u-4")
    }

    @Test func aPersonNamedAtStartOpensDirectly() {
        var state = State(width: 80, height: 24, now: World.now)
        state.wantedPerson = "wang.fang@kestrel-utilities.test"
        #expect(update(&state, .sessionLoaded(.success(World.session))) == [.loadPerson("wang.fang@kestrel-utilities.test", org: "org-1"), .listDrafts(owner: "admin@demo.trainingdesk.test@127.0.0.1:8123")])
        #expect(update(&state, .personLoaded(.success(World.person))) == [.loadCompletions(userID: "u-1")])
        #expect(state.mode == .list)
    }

    @Test func aRejectedStoredSessionAsksToSignIn() {
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.failure(CtrlHubError(.unauthorised))))
        #expect(state.mode == .signIn)
        var unreachable = State(width: 80, height: 24, now: World.now)
        _ = update(&unreachable, .sessionLoaded(.failure(CtrlHubError(.transport(.refused)))))
        #expect(unreachable.startupError?.contains("connection refused") == true)
        #expect(update(&unreachable, .key(.character("q"))) == [.quit])
    }

    @Test func signInSendsTheCredentialsAndAFailureKeepsTheEmail() {
        var state = State(width: 80, height: 24, now: World.now)
        state.mode = .signIn
        World.type(&state, "admin@demo.trainingdesk.test")
        _ = World.press(&state, .tab)
        World.type(&state, "pw")
        let effects = World.press(&state, .enter)
        #expect(effects == [.signIn(email: "admin@demo.trainingdesk.test", password: "pw")])
        _ = update(&state, .signedIn(.failure(CtrlHubError(.invalidCredentials))))
        #expect(state.signIn.email.text == "admin@demo.trainingdesk.test")
        #expect(state.signIn.password.text.isEmpty)
        #expect(state.status?.kind == .error)
        _ = update(&state, .signedIn(.success(World.session)))
        #expect(state.mode == .picker)
    }
}

@Suite struct ListTests {
    @Test func sortsByExpirySoonestFirstWithNoExpiryLast() {
        let state = World.listState()
        #expect(state.list?.rows.map { state.list!.all[$0].id } == ["c-1", "c-2", "c-4", "c-3"])
    }

    @Test func movesWithArrowsJKPagesAndEnds() {
        var state = World.listState()
        _ = World.press(&state, .character("j"), .down)
        #expect(state.list?.selection == 2)
        _ = World.press(&state, .character("k"))
        #expect(state.list?.selection == 1)
        _ = World.press(&state, .character("G"))
        #expect(state.list?.selection == 3)
        _ = World.press(&state, .character("g"))
        #expect(state.list?.selection == 0)
        _ = World.press(&state, .end, .up, .home, .pageDown)
        #expect(state.list?.selection == 3, "a page down past the end stops at the last")
        _ = World.press(&state, .pageUp)
        #expect(state.list?.selection == 0)
    }

    @Test func filtersOnStandardProviderAndCertificate() {
        var state = World.listState()
        _ = World.press(&state, .character("/"))
        World.type(&state, "ambulance")
        #expect(state.list?.rows.count == 1)
        _ = World.press(&state, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        World.type(&state, "eusr")
        #expect(state.list?.selected?.id == "c-4")
        _ = World.press(&state, .enter)
        #expect(state.list?.filtering == false)
        #expect(state.list?.rows.count == 1, "Enter keeps the filter")
        _ = World.press(&state, .character("/"), .escape)
        #expect(state.list?.rows.count == 4, "Esc clears it")
        #expect(state.list?.filter.text == "")
    }

    @Test func escClearsAnAcceptedFilterAndArrowsLeaveTheFilterLine() {
        var state = World.listState()
        _ = World.press(&state, .character("/"))
        World.type(&state, "a")
        _ = World.press(&state, .down)
        #expect(state.list?.filtering == false)
        #expect(state.list?.selection == 1, "Down leaves the filter line and moves")
        _ = World.press(&state, .escape)
        #expect(state.list?.filter.text == "")
        #expect(state.list?.rows.count == 4)
    }

    @Test func keysDoNothingWhileTheTerminalIsTooSmall() {
        var state = World.formState()
        _ = update(&state, .resized(width: 30, height: 8))
        _ = World.press(&state, .tab)
        World.type(&state, "zz")
        #expect(state.form?.focus == .completed)
        #expect(state.form?.changed == false)
        #expect(World.press(&state, .control("c")) == [.quit], "an unchanged form can still be quit")
    }

    @Test func sCyclesTheSortAndKeepsTheSelection() {
        var state = World.listState()
        _ = World.press(&state, .character("j"))
        let selected = state.list?.selected?.id
        _ = World.press(&state, .character("s"))
        #expect(state.list?.sort == .completedNewest)
        #expect(state.list?.rows.map { state.list!.all[$0].id } == ["c-4", "c-2", "c-1", "c-3"])
        #expect(state.list?.selected?.id == selected)
        _ = World.press(&state, .character("s"))
        #expect(state.list?.sort == .standardAZ)
        #expect(state.list?.rows.first.map { state.list!.all[$0].id } == "c-2")
        _ = World.press(&state, .character("s"))
        #expect(state.list?.sort == .expirySoonest)
    }

    @Test func theSelectionStaysOnScreenWhenASortMovesIt() {
        var state = World.listState(height: 12)
        let many = (1...40).map { index in
            World.completion("m-\(index)", index % 2 == 0 ? World.smsts : World.firstAid, String(format: "20%02d-01-01T00:00:00Z", index % 30),
                             String(format: "20%02d-06-01T00:00:00Z", 60 - index), certificate: "C\(index)", provider: "P")
        }
        _ = update(&state, .completionsLoaded(userID: World.person.id, .success(many)))
        for sort in 0..<3 {
            _ = World.press(&state, .character(sort == 0 ? "G" : "g"), .character("s"))
            let list = try! #require(state.list)
            let visible = listRows(state)
            #expect(list.selection >= list.top && list.selection < list.top + visible,
                    "selection \(list.selection) shown from \(list.top) for \(visible) rows after sort \(sort)")
        }
    }

    @Test func otherKeysReloadPickHelpAndQuit() {
        var state = World.listState()
        #expect(World.press(&state, .character("r")) == [.loadCompletions(userID: "u-1")])
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(World.press(&state, .character("?")).isEmpty)
        #expect(state.overlay == .help(top: 0))
        _ = World.press(&state, .character("x"))
        #expect(state.overlay == nil, "any key closes help")
        _ = World.press(&state, .character("p"))
        #expect(state.mode == .picker)
        _ = World.press(&state, .escape)
        #expect(state.mode == .list, "Esc goes back to the open list")
        #expect(World.press(&state, .character("q")) == [.quit])
        #expect(World.press(&state, .control("c")) == [.quit])
    }

    /// The list as the first of two pages leaves it: c-1 and c-2 of four.
    static func firstPageShown() -> State {
        var state = State(width: 80, height: 24, now: World.now, demo: true)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .membersLoaded(query: "", .success(World.others)))
        _ = World.press(&state, .enter)
        _ = update(&state, .firstCompletions(userID: "u-1", Array(World.completions.prefix(2)), total: 4))
        return state
    }

    @Test func theFirstPageShowsAtOnceAndKeysWorkOnIt() {
        var state = Self.firstPageShown()
        #expect(state.list?.all.count == 2)
        #expect(state.list?.loading == true)
        #expect(view(state).lines[1].contains("loading, 2 of 4…"))
        _ = World.press(&state, .down)
        #expect(state.list?.selected?.id == "c-2", "not held until the rest come")
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(state.list?.all.count == 4)
        #expect(state.list?.selected?.id == "c-2", "the same record stays selected")
        #expect(view(state).lines[1].contains("4 records"))
    }

    @Test func aFailedLaterPageSaysHowManyCame() {
        var state = Self.firstPageShown()
        _ = update(&state, .completionsLoaded(userID: "u-1", .failure(CtrlHubError(.server(status: 500), traceID: "t9"))))
        #expect(state.list?.all.count == 2)
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.contains("Only 2 of 4 records came") == true)
        #expect(view(state).lines[1].contains("only 2 of 4 records"))
        #expect(World.press(&state, .character("r")) == [.loadCompletions(userID: "u-1")])
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(view(state).lines[1].contains("4 records"))
    }

    @Test func aReloadKeepsTheWholeListUntilTheNewOneIsIn() {
        var state = World.listState()
        _ = World.press(&state, .character("r"))
        _ = update(&state, .firstCompletions(userID: "u-1", Array(World.completions.prefix(1)), total: 4))
        #expect(state.list?.all.count == 4)
    }

    @Test func aFailedLoadSaysWhyAndKeepsWhatWasShown() {
        var state = World.listState()
        _ = World.press(&state, .character("r"))
        _ = update(&state, .completionsLoaded(userID: "u-1", .failure(CtrlHubError(.server(status: 503), traceID: "abc"))))
        #expect(state.list?.all.count == 4)
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.contains("abc") == true)
    }

    @Test func namesFromTheServerAreCleanedOnArrival() {
        var state = World.listState()
        let hostile = User(id: "u-9", email: "x@y.test", firstName: "Evil\u{1B}]0;owned\u{07}", lastName: "\u{202E}Name")
        _ = update(&state, .membersLoaded(query: state.picker.query.text, .success([hostile])))
        let name = state.picker.results.first?.displayName ?? ""
        #expect(!name.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }
}

@Suite struct FormTests {
    @Test func opensWithTheCurrentValuesInTheZone() {
        let state = World.formState()
        #expect(state.mode == .form)
        let form = state.form!
        #expect(form.completion.id == "c-1")
        #expect(form.text(.completed) == "2021-06-01")
        #expect(form.text(.expires) == "2026-06-01")
        #expect(form.text(.certificate) == "SMSTS-0042")
        #expect(!form.changed)
    }

    @Test func aHostileRecordIsEditedAsShownAndAnUntouchedFieldGoesBackExactly() throws {
        let certificate = "CSI\u{1B}[2J\u{1B}[31mRED", provider = "OSC\u{1B}]52;c;ZXZpbA==\u{7}Clip"
        var state = World.listState()
        let hostile = World.completion("c-9", World.smsts, "2021-06-01T08:00:00Z", "2026-06-01T08:00:00Z",
                                       certificate: certificate, provider: provider)
        _ = update(&state, .completionsLoaded(userID: World.person.id, .success([hostile])))
        _ = World.press(&state, .enter)
        #expect(state.form?.text(.certificate) == "CSI\u{FFFD}\u{FFFD}RED")
        #expect(state.form?.text(.provider) == "OSC\u{FFFD}Clip")
        #expect(state.form?.changed == false, "opening changes nothing")
        _ = World.press(&state, .tab, .tab, .tab, .end)
        World.type(&state, "s")
        _ = World.press(&state, .control("s"))
        #expect(state.form?.problems[.provider]?.contains("remove the \u{FFFD} marks") == true, "a marker is never saved")
        _ = World.press(&state, .home, .right, .right, .right, .delete, .control("s"))
        let attributes = try #require(sent(World.press(&state, .character("y"))))
        #expect(attributes.certificateNumber == certificate, "the field left alone goes back as the server sent it")
        #expect(attributes.trainingProviderName == "OSCClips", "the edited field is what was shown and typed")
    }

    @Test func tabAndArrowsMoveBetweenFields() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        #expect(state.form?.focus == .certificate)
        _ = World.press(&state, .backTab)
        #expect(state.form?.focus == .expires)
        _ = World.press(&state, .down, .down, .down)
        #expect(state.form?.focus == .completed, "wraps round")
        _ = World.press(&state, .up)
        #expect(state.form?.focus == .provider)
    }

    @Test func editingKeysWorkAtTheCursor() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .home, .delete, .end, .backspace, .left)
        World.type(&state, "王")
        #expect(state.form?.text(.certificate) == "MSTS-00王4")
        _ = World.press(&state, .control("u"))
        #expect(state.form?.text(.certificate) == "")
    }

    @Test func aFieldIsCheckedWhenLeftAndEverythingOnSave() {
        var state = World.formState()
        _ = World.press(&state, .tab, .control("u"))
        World.type(&state, "2020-01-01")
        #expect(state.form?.problems.isEmpty == true, "not while typing")
        _ = World.press(&state, .tab)
        #expect(state.form?.problems[.expires]?.contains("after the completion date") == true)
        let effects = World.press(&state, .control("s"))
        #expect(state.overlay == nil, "nothing to confirm while a field is invalid")
        #expect(!effects.contains { if case .save = $0 { return true } else { return false } })
        #expect(state.status?.kind == .error)
    }

    @Test func savingNothingSaysSoAndSendsNothing() {
        var state = World.formState()
        let effects = World.press(&state, .control("s"))
        #expect(state.overlay == nil)
        #expect(state.status?.text.contains("Nothing changed") == true)
        #expect(!effects.contains { if case .save = $0 { return true } else { return false } })
    }

    @Test func saveConfirmsEachChangeThenSendsTheExactRecord() throws {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "SMSTS-0043")
        _ = World.press(&state, .control("s"))
        guard case .confirm(let changes, let attributes)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(changes == [Overlay.Change(field: .certificate, old: "SMSTS-0042", new: "SMSTS-0043")])
        #expect(attributes.completedAt == "2021-06-01T08:00:00.123Z", "unchanged fields go back exactly")
        _ = World.press(&state, .character("n"))
        #expect(state.overlay == nil)
        #expect(state.form?.text(.certificate) == "SMSTS-0043", "n keeps everything typed")
        _ = World.press(&state, .control("s"))
        let effects = World.press(&state, .character("y"))
        #expect(sent(effects) == attributes)
        #expect(state.form?.submitting == true)
        #expect(state.status?.kind == .busy)
    }

    @Test func theConfirmationShowsADateAsItWillBeSaved() {
        var state = World.formState()
        _ = World.press(&state, .control("u"))
        World.type(&state, "1/2/2021")
        _ = World.press(&state, .control("s"))
        guard case .confirm(let changes, _)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(changes.first?.new == "2021-02-01")
    }

    @Test func keysTypedWhileSavingAreHeldThenHandledInOrder() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "X")
        _ = World.press(&state, .control("s"), .character("y"))
        _ = World.press(&state, .tab)
        World.type(&state, "Z")
        #expect(state.heldKeys == [.tab, .character("Z")])
        #expect(state.form?.focus == .certificate, "nothing moves under the save")
        var saved = World.completions[0]
        saved.attributes.certificateNumber = "SMSTS-0042X"
        _ = update(&state, .saved(id: "c-1", .success(saved)))
        #expect(state.mode == .form, "the form stays open for what was typed meanwhile")
        #expect(state.form?.focus == .provider)
        #expect(state.form?.text(.provider).hasSuffix("Z") == true)
        #expect(state.form?.text(.certificate) == "SMSTS-0042X")
        #expect(state.heldKeys.isEmpty)
    }

    @Test func keysTypedBeforeTheRecordsArriveAreNotLost() {
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .membersLoaded(query: "", .success(World.others)))
        _ = World.press(&state, .enter, .character("j"), .enter)
        #expect(state.heldKeys == [.character("j"), .enter])
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(state.mode == .form)
        #expect(state.form?.completion.id == "c-2", "j then Enter opened the second record")
    }

    @Test func aSuccessfulSaveClosesTheFormAndShowsTheServersValues() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "NEW-1")
        _ = World.press(&state, .control("s"), .character("y"))
        var saved = World.completions[0]
        saved.attributes.certificateNumber = "NEW-1 (as stored)"
        _ = update(&state, .saved(id: "c-1", .success(saved)))
        #expect(state.mode == .list)
        #expect(state.form == nil)
        #expect(state.list?.all.first { $0.id == "c-1" }?.attributes.certificateNumber == "NEW-1 (as stored)")
        #expect(state.status?.kind == .success)
        #expect(state.status?.text.contains("SMSTS") == true)
    }

    @Test func aServerValidationErrorAppearsAtItsField() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "NEW-1")
        _ = World.press(&state, .control("s"), .character("y"))
        let refusal = CtrlHubError(.validation([APIErrorObject(status: "400", detail: "Certificate already used", field: "certificate_number")]))
        _ = update(&state, .saved(id: "c-1", .failure(refusal)))
        #expect(state.mode == .form)
        #expect(state.form?.problems[.certificate] == "Certificate already used")
        #expect(state.form?.text(.certificate) == "NEW-1")
        #expect(state.form?.submitting == false)
    }

    @Test(arguments: [CtrlHubError(.server(status: 500), traceID: "trace123"), CtrlHubError(.transport(.timeout)),
                      CtrlHubError(.forbidden("Your role does not allow it"))])
    func anyOtherFailureKeepsTheFormAndSaysWhy(_ error: CtrlHubError) {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "KEEP")
        _ = World.press(&state, .control("s"), .character("y"))
        _ = update(&state, .saved(id: "c-1", .failure(error)))
        #expect(state.mode == .form)
        #expect(state.form?.text(.certificate) == "KEEP")
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.contains(error.message) == true)
    }

    @Test func escapeAsksBeforeDiscarding() {
        var state = World.formState()
        _ = World.press(&state, .escape)
        #expect(state.mode == .list, "nothing changed: closes at once")
        _ = World.press(&state, .enter, .tab, .tab)
        World.type(&state, "9")
        _ = World.press(&state, .escape)
        #expect(state.overlay == .discard)
        _ = World.press(&state, .character("n"))
        #expect(state.mode == .form)
        #expect(state.form?.text(.certificate) == "SMSTS-00429")
        _ = World.press(&state, .escape, .character("y"))
        #expect(state.mode == .list)
        #expect(state.form == nil)
    }

    @Test func ctrlCWithChangesAsksFirst() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "9")
        #expect(World.press(&state, .control("c")).isEmpty)
        #expect(state.overlay == .discard)
        #expect(World.press(&state, .character("y")) == [.deleteDraft("c-1"), .quit], "an explicit discard removes the draft")
    }

    @Test func ctrlRSetsExpiryFromTheRenewalPeriod() {
        var state = World.formState()
        _ = World.press(&state, .control("u"))
        World.type(&state, "31/01/2024")
        _ = World.press(&state, .control("r"))
        #expect(state.form?.text(.expires) == "2029-01-31")
    }

    @Test func aResizeKeepsEveryValue() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "-X")
        let before = state.form
        for (width, height) in [(200, 60), (40, 10), (1, 1), (0, 0), (80, 24)] {
            _ = update(&state, .resized(width: width, height: height))
            _ = view(state)
        }
        #expect(state.form == before)
    }
}

@Suite struct HelpTests {
    @Test(arguments: [Mode.list, .picker, .form, .signIn])
    func helpShowsEveryBindingOfTheKeyTable(_ mode: Mode) {
        var state = World.listState(width: 120, height: 40)
        state.mode = mode
        if mode == .form { _ = World.press(&state, .enter) }
        state.overlay = .help(top: 0)
        let screen = view(state).lines.joined(separator: "\n")
        for binding in KeyTable.bindings(mode) {
            #expect(screen.contains(binding.help), "\(binding.help)")
            #expect(screen.contains(binding.keyNames), "\(binding.keyNames)")
        }
    }

    @Test func theTableDrivesTheInput() {
        for binding in KeyTable.bindings(.list) {
            for key in binding.keys {
                #expect(KeyTable.action(for: key, in: .list) == binding.action)
            }
        }
    }
}

@Suite struct ExpiredSessionTests {
    @Test func aSaveRefusedWith401OffersSignInThenTheSameSaveBehindItsConfirmation() throws {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "AFTER-401")
        _ = World.press(&state, .control("s"))
        guard case .confirm(_, let attributes)? = state.overlay else { throw CancellationError() }
        _ = World.press(&state, .character("y"))
        _ = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.unauthorised))))
        #expect(state.overlay == .signIn)
        #expect(state.mode == .form)
        #expect(state.form?.text(.certificate) == "AFTER-401", "the form survives")
        #expect(state.signIn.email.text == World.admin.email, "the email is known")
        World.type(&state, "secret")
        #expect(state.form?.text(.certificate) == "AFTER-401", "typing goes to the dialog")
        #expect(World.press(&state, .enter) == [.signIn(email: World.admin.email, password: "secret")])
        let resumed = update(&state, .signedIn(.success(World.session)))
        #expect(!resumed.contains { if case .save = $0 { return true } else { return false } }, "not without a yes")
        guard case .confirm(_, let again)? = state.overlay else {
            Issue.record("the save is offered again")
            return
        }
        #expect(again == attributes)
        #expect(sent(World.press(&state, .character("y"))) == attributes)
    }

    @Test func cancellingTheSignInLeavesTheFormAsItWas() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "X")
        let before = state.form
        _ = World.press(&state, .control("s"), .character("y"))
        _ = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.unauthorised))))
        _ = World.press(&state, .escape)
        #expect(state.overlay == nil)
        #expect(state.resume == nil)
        #expect(state.form?.fields == before?.fields)
        #expect(state.form?.submitting == false)
    }

    @Test func anInterruptedLoadRunsAgainBySelfAfterSigningIn() {
        var state = World.listState()
        _ = World.press(&state, .character("r"))
        _ = update(&state, .completionsLoaded(userID: "u-1", .failure(CtrlHubError(.unauthorised))))
        #expect(state.overlay == .signIn)
        World.type(&state, "pw")
        _ = World.press(&state, .enter)
        #expect(update(&state, .signedIn(.success(World.session))).contains(.loadCompletions(userID: "u-1")))
        #expect(state.overlay == nil)
    }

    @Test func aFailedSignInKeepsTheDialogOpen() {
        var state = World.listState()
        _ = update(&state, .completionsLoaded(userID: "u-1", .failure(CtrlHubError(.unauthorised))))
        World.type(&state, "wrong")
        _ = World.press(&state, .enter)
        _ = update(&state, .signedIn(.failure(CtrlHubError(.invalidCredentials))))
        #expect(state.overlay == .signIn)
        #expect(state.status?.text.contains("email or password") == true)
        #expect(state.signIn.password.text.isEmpty)
    }
}

@Suite struct DraftTests {
    func edited() -> State {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "DRAFT-1")
        return state
    }

    @Test func aDraftIsWrittenWhenTypingPauses() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        let first = World.press(&state, .character("A"))
        #expect(first == [.after(1, .draftDue(generation: 1))])
        _ = World.press(&state, .character("B"))
        #expect(update(&state, .draftDue(generation: 1)).isEmpty, "typing went on")
        guard case .saveDraft(let draft)? = update(&state, .draftDue(generation: 2)).first else {
            Issue.record("no draft written")
            return
        }
        #expect(draft.fields[.certificate] == "SMSTS-0042AB")
        #expect(draft.completion.attributes == World.completions[0].attributes, "the record as loaded")
    }

    @Test func openingARecordLooksForItsDraftAndOffersIt() throws {
        var state = World.listState()
        #expect(World.press(&state, .enter) == [.loadDraft("c-1", owner: state.draftOwner)])
        let draft = edited().form!.draft(at: World.now, owner: edited().draftOwner)
        _ = update(&state, .draftLoaded(id: "c-1", draft))
        #expect(state.overlay == .restore(draft))
        let screen = view(state).lines.joined(separator: "\n")
        #expect(screen.contains("draft DRAFT-1"))
        #expect(screen.contains("now SMSTS-0042"))
        _ = World.press(&state, .character("y"))
        #expect(state.form?.text(.certificate) == "DRAFT-1")
        #expect(state.form?.changed == true)
    }

    @Test func dDiscardsTheDraftAndNotNowKeepsIt() {
        var state = World.listState()
        _ = World.press(&state, .enter)
        let draft = edited().form!.draft(at: World.now, owner: edited().draftOwner)
        _ = update(&state, .draftLoaded(id: "c-1", draft))
        #expect(World.press(&state, .character("d")).contains(.deleteDraft("c-1")))
        _ = update(&state, .draftLoaded(id: "c-1", draft))
        #expect(!World.press(&state, .character("n")).contains(.deleteDraft("c-1")))
        #expect(state.form?.text(.certificate) == "SMSTS-0042")
    }

    @Test func aSaveDeletesTheDraftAndAFailureKeepsOne() {
        var state = edited()
        _ = World.press(&state, .control("s"), .character("y"))
        let failed = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.server(status: 500)))))
        #expect(failed.contains { if case .saveDraft(let draft) = $0 { return draft.fields[.certificate] == "DRAFT-1" } else { return false } })
        _ = World.press(&state, .control("s"), .character("y"))
        var saved = World.completions[0]
        saved.attributes.certificateNumber = "DRAFT-1"
        #expect(update(&state, .saved(id: "c-1", .success(saved))).contains(.deleteDraft("c-1")))
    }

    @Test func draftsLeftFromBeforeAreOfferedAtStartAndReopened() {
        let draft = edited().form!.draft(at: World.now, owner: edited().draftOwner)
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .draftsListed([draft]))
        #expect(state.overlay == .draftsWaiting([draft]))
        #expect(view(state).lines.joined().contains("An edit was not saved last time"))
        #expect(view(state).lines.joined().contains("changed: Certificate number"))
        #expect(World.press(&state, .enter) == [.loadCompletions(userID: "u-1")])
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(state.mode == .form)
        #expect(state.form?.completion.id == "c-1")
        #expect(state.form?.text(.certificate) == "DRAFT-1")
    }

    @Test func aDraftToReopenWaitsForTheWholeListNotItsFirstPage() {
        let draft = edited().form!.draft(at: World.now, owner: edited().draftOwner)
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .draftsListed([draft]))
        _ = World.press(&state, .enter)
        _ = update(&state, .firstCompletions(userID: "u-1", [World.completions[1]], total: 4))
        _ = World.press(&state, .down, .enter)
        #expect(state.mode == .list, "keys wait: the draft's record may be on a later page")
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(World.completions)))
        #expect(state.form?.completion.id == "c-1", "the draft's record opened first")
        #expect(state.form?.text(.certificate) == "DRAFT-1")
    }
}

@Suite struct ReadOnlyTests {
    func readOnlyList() -> State {
        var state = World.listState()
        state.readOnly = true
        return state
    }

    @Test func editingKeysDoNothingAndLeaveTheHelp() {
        var state = readOnlyList()
        #expect(World.press(&state, .character("e")).isEmpty)
        #expect(state.mode == .list, "e does nothing")
        _ = World.press(&state, .enter)
        #expect(state.mode == .form, "Enter opens the record as a view")
        World.type(&state, "x")
        _ = World.press(&state, .control("u"), .backspace, .control("r"))
        #expect(state.form?.changed == false)
        #expect(World.press(&state, .control("s")).isEmpty)
        #expect(state.overlay == nil)
        state.overlay = .help(top: 0)
        let help = view(state).lines.joined(separator: "\n")
        #expect(!help.contains("save"))
        #expect(help.contains("close the record"))
        #expect(view(state).lines.last?.contains("READ-ONLY") == true)
    }

    @Test func a403OnSaveTurnsReadOnlyAndKeepsTheInput() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "-X")
        _ = World.press(&state, .control("s"), .character("y"))
        _ = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.forbidden("Your role does not allow changing training records.")))))
        #expect(state.readOnly)
        #expect(state.form?.text(.certificate) == "SMSTS-0042-X")
        #expect(state.status?.text.contains("not allowed") == true)
    }

    @Test func grantsThatSayReadButNotWriteStartReadOnly() {
        var viewer = World.session
        viewer.me = Me(user: User(id: "v", email: "viewer@x.test", grants: ["training:completions:read"]), organisations: [World.organisation])
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(viewer)))
        #expect(state.readOnly)
        var other = State(width: 80, height: 24, now: World.now)
        _ = update(&other, .sessionLoaded(.success(World.session)))
        #expect(!other.readOnly, "no grants at all changes nothing")
    }
}

/// What a save effect among these would send.
func sent(_ effects: [Effect]) -> CompletionAttributes? {
    for effect in effects {
        if case .save(let request) = effect { return request.attributes }
    }
    return nil
}

@Suite struct AuditTests {
    @Test func aSaveCarriesWhatTheAuditLogNeeds() throws {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "NEW")
        _ = World.press(&state, .control("s"))
        guard case .save(let request)? = World.press(&state, .character("y")).last else {
            Issue.record("no save")
            return
        }
        #expect(request.before == World.completions[0].attributes)
        #expect(request.person.id == "u-1")
        #expect(request.standard.contains("SMSTS"))
    }

    @Test func aShowsTheLastSavesForThePerson() {
        var state = World.listState()
        #expect(World.press(&state, .character("a")) == [.loadAudit(personID: "u-1")])
        let entry = AuditEntry(time: World.now, email: World.admin.email, api: "http://127.0.0.1:1", completionID: "c-1",
                               person: World.person, standard: "SMSTS", before: World.completions[0].attributes,
                               after: CompletionAttributes(completedAt: World.completions[0].attributes.completedAt,
                                                           expiresAt: World.completions[0].attributes.expiresAt,
                                                           certificateNumber: "NEW", trainingProviderName: World.completions[0].attributes.trainingProviderName),
                               error: nil)
        _ = update(&state, .auditLoaded([entry]))
        let screen = view(state).lines.joined(separator: "\n")
        #expect(screen.contains("certificate_number: SMSTS-0042 -> NEW"))
        _ = World.press(&state, .character("x"))
        #expect(state.overlay == nil)
    }
}

@Suite struct ConflictTests {
    /// The form on c-1 with the certificate changed and the save confirmed.
    func confirmed() throws -> (State, SaveRequest) {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab, .control("u"))
        World.type(&state, "MINE")
        _ = World.press(&state, .control("s"))
        guard case .save(let request)? = World.press(&state, .character("y")).last else { throw CancellationError() }
        return (state, request)
    }

    func server(_ change: (inout CompletionAttributes) -> Void) -> Completion {
        var record = World.completions[0]
        change(&record.attributes)
        return record
    }

    @Test func fieldsOnlyTheServerChangedMergeWithoutAsking() throws {
        var (state, request) = try confirmed()
        let theirs = server { $0.trainingProviderName = "Changed by another admin" }
        let effects = update(&state, .changed(request, server: theirs))
        #expect(state.overlay == nil)
        guard case .save(let merged)? = effects.last else {
            Issue.record("merged save not sent")
            return
        }
        #expect(merged.attributes.certificateNumber == "MINE")
        #expect(merged.attributes.trainingProviderName == "Changed by another admin", "theirs is kept")
        #expect(merged.before == theirs.attributes, "the next check is against the server's record")
    }

    @Test func aFieldBothChangedIsPutToThePerson() throws {
        var (state, request) = try confirmed()
        let theirs = server { $0.certificateNumber = "THEIRS"; $0.trainingProviderName = "Other" }
        #expect(!update(&state, .changed(request, server: theirs)).contains { if case .save = $0 { return true } else { return false } })
        guard case .conflict(let clashes, let keep, _)? = state.overlay else {
            Issue.record("no conflict shown")
            return
        }
        #expect(clashes == [Overlay.Clash(field: .certificate, opened: "SMSTS-0042", server: "THEIRS", mine: "MINE")])
        let screen = view(state).lines.joined(separator: "\n")
        #expect(screen.contains("when opened SMSTS-0042") && screen.contains("server now THEIRS") && screen.contains("yours MINE"))
        #expect(keep.attributes.trainingProviderName == "Other", "a field only they changed is kept even when keeping mine")
        #expect(World.press(&state, .character("k")) .contains(.save(keep)))
    }

    @Test func takeTheirsReloadsTheFormAndBackKeepsMine() throws {
        var (state, request) = try confirmed()
        let theirs = server { $0.certificateNumber = "THEIRS" }
        _ = update(&state, .changed(request, server: theirs))
        let conflict = state.overlay
        _ = World.press(&state, .character("b"))
        #expect(state.form?.text(.certificate) == "MINE")
        state.overlay = conflict
        _ = World.press(&state, .character("t"))
        #expect(state.form?.text(.certificate) == "THEIRS")
        #expect(state.form?.changed == false)
        #expect(state.list?.all.first { $0.id == "c-1" }?.attributes.certificateNumber == "THEIRS")
    }
}

@Suite struct SessionClockTests {
    func state(minutesLeft: Double) -> (State, [Effect]) {
        var session = World.session
        session.expiresAt = World.now.addingTimeInterval(minutesLeft * 60)
        var state = State(width: 80, height: 24, now: World.now)
        let effects = update(&state, .sessionLoaded(.success(session)))
        return (state, effects)
    }

    @Test func theStatusBarCountsDownTheLastHourAndWarnsAtTenMinutes() {
        let (hours, far) = state(minutesLeft: 180)
        #expect(far.contains(.after(7201, .clock)), "one wake-up when the last hour begins")
        #expect(view(hours).lines.last?.contains("left") == false)
        let (soon, _) = state(minutesLeft: 42)
        #expect(view(soon).lines.last?.contains("session 42m left") == true)
        let (close, ticking) = state(minutesLeft: 9)
        #expect(ticking.contains { if case .after(_, .clock) = $0 { return true } else { return false } })
        let bar = view(close)
        #expect(bar.lines.last?.contains("SESSION ENDS IN 9m") == true)
        #expect(bar.row(bar.height - 1).contains { $0.role == .statusWarning })
    }

    @Test func signingOutRevokesAndShowsTheSignInForm() {
        var state = World.listState()
        #expect(World.press(&state, .character("L")).contains(.signOut))
        _ = update(&state, .signedOut(nil))
        #expect(state.mode == .signIn)
        #expect(state.session == nil)
        #expect(state.status?.text == "Signed out.")
        _ = update(&state, .signedOut(CtrlHubError(.transport(.refused))))
        #expect(state.status?.text.contains("server was not told") == true)
    }
}

@Suite struct DraftSafetyTests {
    @Test func aRestoredDraftSavesAgainstTheRecordItWasMadeFromSoAChangeSinceIsAConflict() throws {
        var editing = World.formState()
        _ = World.press(&editing, .tab, .tab, .control("u"))
        World.type(&editing, "MINE")
        let draft = editing.form!.draft(at: World.now, owner: editing.draftOwner)
        var changed = World.completions
        changed[0].attributes.certificateNumber = "OTHER-ADMIN"
        var state = State(width: 80, height: 24, now: World.now)
        _ = update(&state, .sessionLoaded(.success(World.session)))
        _ = update(&state, .draftsListed([draft]))
        _ = World.press(&state, .enter)
        _ = update(&state, .completionsLoaded(userID: "u-1", .success(changed)))
        #expect(state.form?.text(.certificate) == "MINE")
        _ = World.press(&state, .control("s"))
        guard case .save(let request)? = World.press(&state, .character("y")).last else {
            Issue.record("no save")
            return
        }
        #expect(request.before.certificateNumber == "SMSTS-0042", "compared against the draft's record, not today's")
        _ = update(&state, .changed(request, server: changed[0]))
        guard case .conflict(let clashes, _, _)? = state.overlay else {
            Issue.record("the other admin's change must be shown")
            return
        }
        #expect(clashes.first?.server == "OTHER-ADMIN")
    }

    @Test func aFailedSaveStaysOnScreenThroughKeysTypedDuringIt() {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "X")
        _ = World.press(&state, .control("s"), .character("y"))
        World.type(&state, "QQ")
        _ = update(&state, .saved(id: "c-1", .failure(CtrlHubError(.server(status: 500), traceID: "t9"))))
        #expect(state.form?.text(.certificate) == "SMSTS-0042XQQ")
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.contains("t9") == true)
    }

    @Test func takingTheirsRemovesTheDraft() throws {
        var state = World.formState()
        _ = World.press(&state, .tab, .tab)
        World.type(&state, "X")
        _ = World.press(&state, .control("s"))
        guard case .save(let request)? = World.press(&state, .character("y")).last else { throw CancellationError() }
        var theirs = World.completions[0]
        theirs.attributes.certificateNumber = "THEIRS"
        _ = update(&state, .changed(request, server: theirs))
        #expect(World.press(&state, .character("t")).contains(.deleteDraft("c-1")))
    }
}
