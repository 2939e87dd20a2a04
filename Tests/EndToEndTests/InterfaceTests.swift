import Foundation
import Testing
import CtrlHubSandbox

/// The UI as a person uses it: the built binary in tmux at 80x24 against a sandbox.
@Suite(.serialized) struct InterfaceTests {
    /// Opens the busiest person's records in the UI.
    func openList(_ sandbox: CLISandbox, environment: [String: String]? = nil) throws -> Tmux {
        let tmux = try Tmux([], environment: environment ?? sandbox.environment())
        try tmux.wait(for: "Find a person")
        try tmux.type("dylan")
        try tmux.wait(for: sandbox.person.email)
        try tmux.press("Enter")
        try tmux.wait(for: "\(sandbox.completions.count) records")
        return tmux
    }

    /// The selected row's record, found by the certificate the form shows (once it is drawn).
    func openForm(_ tmux: Tmux, _ sandbox: CLISandbox) throws -> SandboxCompletion {
        try tmux.press("Enter")
        func shown(_ screen: String) -> SandboxCompletion? {
            guard let line = screen.split(separator: "\n").first(where: { $0.contains("Certificate number") }) else { return nil }
            let text = line.replacingOccurrences(of: "Certificate number", with: "").trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : sandbox.completions.first { ($0.certificateNumber ?? "") == text }
        }
        let screen = try tmux.wait("the form with a known record") { shown($0) != nil && $0.contains("Ctrl-S save") }
        return try #require(shown(screen))
    }

    @Test func opensAPersonFiltersAndSorts() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        try tmux.press("/")
        try tmux.type("nrswa")
        let expected = sandbox.completions.filter { completion in
            let title = sandbox.server.data.standards.first { $0.id == completion.standardID }?.title ?? ""
            return [title, completion.providerName, completion.certificateNumber ?? ""].contains { $0.lowercased().contains("nrswa") }
        }.count
        func rows(_ screen: String) -> [Substring] {
            screen.split(separator: "\n").dropFirst(3).dropLast().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        try tmux.wait("only NRSWA rows and the count") { screen in
            screen.contains("\(expected) of \(sandbox.completions.count) match") && !rows(screen).isEmpty
                && rows(screen).allSatisfy { $0.contains("NRSWA") }
        }
        try tmux.press("Escape")
        try tmux.wait(for: "sorted by expiry")
        try tmux.press("s")
        func dates(_ screen: String) -> [String] {
            screen.split(separator: "\n").dropFirst(3).dropLast().compactMap { line in
                line.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression).map { String(line[$0]) }
            }
        }
        try tmux.wait("completed dates newest first") { screen in
            screen.contains("sorted by completed, newest first") && dates(screen).count >= 10 && dates(screen) == dates(screen).sorted(by: >)
        }
        try tmux.press("?")
        try tmux.wait(forAll: ["Keys (any key closes this help)", "filter on standard", "q Ctrl-C"])
        try tmux.press("Escape")
        try tmux.wait(for: "sorted by completed")
        try tmux.press("q")
        try tmux.wait(for: "[exit 0]")
    }

    @Test func editsSavesAndTheServerHasIt() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        let record = try openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("CERT-E2E-1")
        try tmux.press("Tab", "C-u")
        try tmux.type("Acme Street Works Training")
        try tmux.press("C-s")
        try tmux.wait(forAll: ["Save these changes?", "-> CERT-E2E-1", "y: save"])
        #expect(sandbox.requests("PUT").isEmpty, "nothing is sent before y")
        try tmux.press("y")
        try tmux.wait(for: "Saved")
        let now = try #require(sandbox.server.completion(id: record.id))
        #expect(now.certificateNumber == "CERT-E2E-1")
        #expect(now.providerName == "Acme Street Works Training")
        #expect(now.completedAt == record.completedAt, "an unchanged field goes back exactly")
        #expect(now.expiresAt == record.expiresAt)
        #expect(try tmux.screen().contains("CERT-E"), "the list shows the saved value")
    }

    @Test func anExpiryBeforeCompletionIsRefusedWithNothingSent() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        _ = try openForm(tmux, sandbox)
        try tmux.press("Tab", "C-u")
        try tmux.type("2001-01-01")
        try tmux.press("Tab")
        try tmux.wait(for: "the expiry date must be after the completion date")
        try tmux.press("C-s")
        try tmux.wait(for: "Not saved: fix the fields")
        #expect(sandbox.requests("PUT").isEmpty)
    }

    @Test func aFailedSaveKeepsTheInputAndSaysWhy() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        let record = try openForm(tmux, sandbox)
        sandbox.server.inject(.serverError, method: "PUT")
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("KEEP-ME-42")
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(forAll: ["trace id", "Not saved", "KEEP-ME-42"])
        #expect(sandbox.server.completion(id: record.id) == record)
        // The same input saves once the server is well again.
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(for: "Saved")
        #expect(sandbox.server.completion(id: record.id)?.certificateNumber == "KEEP-ME-42")
    }

    @Test func homeAndEndFromOtherTerminalsMoveAndUnknownSequencesTypeNothing() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        _ = try openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("MIDDLE")
        for home in ["\u{1B}[1~", "\u{1B}[7~", "\u{1B}[H"] {
            try tmux.type(home)
            try tmux.type("<")
        }
        try tmux.type("\u{1B}[4~")
        try tmux.type(">")
        try tmux.type("\u{1B}[99;5~")
        try tmux.type("\u{1B}[1;2Q")
        let screen = try tmux.wait(for: "<<<MIDDLE>")
        #expect(!screen.contains("~"))
        #expect(screen.contains("edit a record"), "no Esc was seen: the form is still open")
    }

    @Test func anExpiredSessionMidEditSignsInAgainAndTheSaveLands() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        let record = try openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("AFTER-EXPIRY")
        sandbox.server.expireSessions()
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(forAll: ["Sign in again to carry on", SandboxServer.admin.email, "Esc: cancel"])
        try tmux.type(SandboxServer.admin.password)
        try tmux.press("Enter")
        try tmux.wait(for: "Save now?")
        #expect(sandbox.server.completion(id: record.id) == record, "nothing saved without a yes")
        try tmux.press("y")
        try tmux.wait(for: "Saved")
        #expect(sandbox.server.completion(id: record.id)?.certificateNumber == "AFTER-EXPIRY")
    }

    @Test func aHangupKeepsTheEditAsADraftThatTheNextRunRestores() throws {
        let sandbox = try CLISandbox()
        let variables = sandbox.environment()
        let first = try openList(sandbox, environment: variables)
        let record = try openForm(first, sandbox)
        try first.press("Tab", "Tab", "C-u")
        try first.type("DRAFT-AFTER-HUP")
        // Typed and seen: tmux may not have passed every key on yet when send-keys returns.
        try first.wait(for: "DRAFT-AFTER-HUP")
        first.hangUp()
        let file = variables["XDG_STATE_HOME"]! + "/trainingdesk/drafts/\(record.id).json"
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: file), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var info = stat()
        #expect(stat(file, &info) == 0, "the draft was written on SIGHUP")
        #expect(info.st_mode & 0o777 == 0o600)

        let second = try Tmux([], environment: variables)
        try second.wait(for: "An edit was not saved last time")
        try second.press("Enter")
        try second.wait(for: "DRAFT-AFTER-HUP")
        try second.press("C-s")
        try second.wait(for: "Save these changes?")
        try second.press("y")
        try second.wait(for: "Saved")
        #expect(sandbox.server.completion(id: record.id)?.certificateNumber == "DRAFT-AFTER-HUP")
        let gone = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: file), Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!FileManager.default.fileExists(atPath: file), "the draft goes after the save")
    }

    @Test func theViewerSeesReadOnlyAndCannotEdit() throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux([], environment: sandbox.environment(token: SandboxServer.viewer.token))
        try tmux.wait(for: "READ-ONLY")
        try tmux.type("dylan")
        try tmux.wait(for: sandbox.person.email)
        try tmux.press("Enter")
        try tmux.wait(for: "\(sandbox.completions.count) records")
        try tmux.press("e")
        #expect(!(try tmux.screen().contains("view a record")), "e does nothing")
        try tmux.press("Enter")
        try tmux.wait(for: "view a record")
        try tmux.press("Tab", "Tab")
        try tmux.type("typed")
        try tmux.press("C-s")
        let screen = try tmux.wait(for: "cannot be changed here")
        #expect(!screen.contains("typed"))
        #expect(sandbox.requests("PUT").isEmpty)
    }

    @Test func everySaveAttemptHasOneAuditLineAndNoTokenIsKept() throws {
        let sandbox = try CLISandbox()
        let variables = sandbox.environment()
        let tmux = try openList(sandbox, environment: variables)
        let record = try openForm(tmux, sandbox)
        sandbox.server.inject(.serverError, method: "PUT")
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("AUDITED-1")
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(for: "trace id")
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(for: "Saved")
        try tmux.press("a")
        try tmux.wait(for: "The last saves for this person")
        let state = variables["XDG_STATE_HOME"]! + "/trainingdesk"
        let lines = try String(contentsOfFile: state + "/audit.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let entries = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(entries.map { $0["outcome"] as? String } == ["error", "ok"])
        #expect((entries[0]["trace_id"] as? String)?.count == 32)
        for entry in entries {
            #expect(entry["completion_id"] as? String == record.id)
            #expect(entry["email"] as? String == SandboxServer.admin.email)
            let changes = try #require(entry["changes"] as? [[String: Any]])
            #expect(changes.count == 1)
            #expect(changes.first?["field"] as? String == "certificate_number")
            #expect(changes.first?["old"] as? String == record.certificateNumber)
            #expect(changes.first?["new"] as? String == "AUDITED-1")
        }
        // The CLI's saves go in the same log.
        let cli = try run(["completions", "update", record.id, "--provider", "Audited Provider"], environment: variables)
        #expect(cli.status == 0, "\(cli.stderr)")
        let listed = try run(["audit", "--user", sandbox.person.email, "--format", "json"], environment: variables)
        #expect((try parseJSON(listed.stdout) as? [Any])?.count == 3)
        // Nothing under the state directory holds the token.
        let files = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String } ?? []
        for file in files {
            let text = (try? String(contentsOfFile: state + "/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains(SandboxServer.admin.token), "\(file)")
        }
    }

    @Test func aChangeBehindTheUIsBackIsShownAndNeverSilentlyOverwritten() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        let record = try openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("MINE-1")
        // Another administrator, through the CLI: the certificate (a clash) and the provider.
        let other = try sandbox.run(["completions", "update", record.id, "--certificate", "THEIRS-1", "--provider", "Theirs Training Ltd"])
        #expect(other.status == 0, "\(other.stderr)")
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(forAll: ["changed on the server since you opened it", "THEIRS-1", "MINE-1", "k: keep mine"])
        #expect(sandbox.server.completion(id: record.id)?.certificateNumber == "THEIRS-1", "nothing was sent yet")
        try tmux.press("t")
        try tmux.wait(for: "The form now shows")
        #expect(try tmux.screen().contains("THEIRS-1"))
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("MINE-2")
        try sandbox.server.changeCompletion(id: record.id, ["certificate_number": "THEIRS-2"])
        try tmux.press("C-s")
        try tmux.wait(for: "Save these changes?")
        try tmux.press("y")
        try tmux.wait(for: "changed on the server since you opened it")
        try tmux.press("k")
        try tmux.wait(for: "Saved")
        let now = try #require(sandbox.server.completion(id: record.id))
        #expect(now.certificateNumber == "MINE-2", "keep mine sent mine")
        #expect(now.providerName == "Theirs Training Ltd", "a field changed only on the server is kept")
    }

    @Test func aSessionFileOthersCanReadIsRefusedAndAPrivateOneWorks() throws {
        let sandbox = try CLISandbox()
        let variables = sandbox.environment(token: nil)
        let login = try run(["login", "--email", SandboxServer.admin.email], environment: variables, input: SandboxServer.admin.password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let file = variables["XDG_STATE_HOME"]! + "/trainingdesk/session.json"
        chmod(file, 0o644)
        let refused = try Tmux([], environment: variables)
        let screen = try refused.wait(for: "[exit 4]")
        #expect(screen.contains("accessible by others") && screen.contains("chmod 600"), "the message says how to fix it")
        chmod(file, 0o600)
        let works = try Tmux([], environment: variables)
        try works.wait(for: "Find a person")
        try works.wait(for: SandboxServer.admin.email)
    }

    @Test func resizingDuringTheFormKeepsTheInput() throws {
        let sandbox = try CLISandbox()
        let tmux = try openList(sandbox)
        _ = try openForm(tmux, sandbox)
        try tmux.press("Tab", "Tab", "C-u")
        try tmux.type("RESIZE-1")
        for (width, height) in [(120, 40), (60, 16), (30, 8), (100, 30), (80, 24)] {
            try tmux.resize(width: width, height: height)
            if width < 40 { try tmux.wait(for: "terminal too small") }
        }
        try tmux.wait(for: "RESIZE-1")
        try tmux.type("x")
        try tmux.wait(for: "RESIZE-1x")
    }

    @Test func signsInThroughTheFormAndAFailureKeepsTheEmail() throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux([], environment: sandbox.environment(token: nil))
        try tmux.wait(for: "Sign in to")
        try tmux.type(SandboxServer.admin.email)
        try tmux.press("Tab")
        try tmux.type("wrong")
        try tmux.press("Enter")
        let failed = try tmux.wait(forAll: ["email or password is not right", SandboxServer.admin.email])
        #expect(!failed.contains("wrong"), "the password is never shown")
        try tmux.type(SandboxServer.admin.password)
        try tmux.press("Enter")
        try tmux.wait(for: "Find a person")
        try tmux.wait(for: SandboxServer.admin.email)
    }

    @Test func anUnreachableAPIIsReportedOnANormalScreen() throws {
        let sandbox = try CLISandbox()
        let variables = sandbox.environment()
        sandbox.server.stop()
        let tmux = try Tmux([], environment: variables)
        try tmux.wait(forAll: ["could not start", "connection refused", "Press q to quit"])
        try tmux.press("q")
        try tmux.wait(for: "[exit 0]")
    }

    @Test func ctrlCAtThePasswordPromptGivesTheTerminalBack() throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux(["login", "--email", SandboxServer.admin.email], environment: sandbox.environment(token: nil),
                            then: "stty -a | tr ' ' '\\n' | grep -x -- '-\\?echo' | sed 's/^/[stty /;s/$/]/'")
        try tmux.wait(for: "Password for")
        try tmux.press("C-c")
        let screen = try tmux.wait(for: "[stty ")
        #expect(screen.contains("[exit 130]"))
        #expect(screen.contains("[stty echo]"), "echo is back on")
    }

    @Test func theDemoOpensTheUIOnItsOwnSandboxAndGivesTheTerminalBack() throws {
        let tmux = try Tmux(["--demo"], environment: environment(),
                            then: "stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon\\|-\\?echo' | tr '\\n' ' ' | sed 's/^/[stty /;s/ $/]/'")
        let screen = try tmux.wait(for: "Find a person")
        try tmux.wait(for: "DEMO")
        #expect(screen.contains("TrainingDesk"))
        try tmux.press("C-c")
        let after = try tmux.wait(for: "[stty ")
        #expect(after.contains("[exit 0]"))
        #expect(after.contains("[stty icanon echo]"), "cooked mode and echo are back")
    }
}

extension CLISandbox {
    var completions: [SandboxCompletion] { server.data.completions.filter { $0.userID == person.id } }
}
