import Foundation
import Testing
import CtrlHubKit
@testable import TrainingDesk

@Suite struct SessionStoreTests {
    func temporaryState() -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("td-state-\(UUID().uuidString)")
        return ["XDG_STATE_HOME": directory.path, "HOME": "/nonexistent"]
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    let session = StoredSession(apiURL: "http://127.0.0.1:1", authURL: "http://127.0.0.1:1", email: "a@b.test",
                                expiresAt: Date(timeIntervalSince1970: 2_000_000_000), token: SessionToken("secret-token"))

    @Test func savesPrivatelyAndReadsBack() throws {
        let store = SessionStore(environment: temporaryState())
        try store.save(session)
        #expect(mode(store.directory.path) == 0o700)
        #expect(mode(store.file.path) == 0o600)
        #expect(try store.load() == session)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(leftovers == ["session.json"], "no temporary files left behind")
        try store.delete()
        #expect(try store.load() == nil)
    }

    @Test func refusesAFileOthersCanRead() throws {
        let store = SessionStore(environment: temporaryState())
        try store.save(session)
        chmod(store.file.path, 0o644)
        #expect(throws: StoreError.self) { try store.load() }
        do { _ = try store.load() } catch {
            #expect(error.message.contains("chmod 600 \(store.file.path)"))
        }
        chmod(store.file.path, 0o600)
        chmod(store.directory.path, 0o755)
        #expect(throws: StoreError.self) { try store.load() }
    }

    @Test func theEnvironmentTokenWinsAndAStoredOneMustMatchTheAPI() throws {
        var environment = temporaryState()
        let store = SessionStore(environment: environment)
        try store.save(session)
        let here = try Connection(apiURL: "http://127.0.0.1:1", authURL: nil, org: nil, environment: environment)
        let elsewhere = try Connection(apiURL: "https://api.ctrl-hub.dev", authURL: nil, org: nil, environment: environment)
        #expect(try here.session(store: store, environment: environment)?.secret == "secret-token")
        #expect(try elsewhere.session(store: store, environment: environment) == nil)
        #expect(try here.session(store: store, environment: environment, now: Date(timeIntervalSince1970: 2_000_000_001)) == nil)
        environment["CTRLHUB_SESSION_TOKEN"] = "from-env"
        #expect(try elsewhere.session(store: store, environment: environment)?.secret == "from-env")
    }

    @Test func theAuthHostFollowsTheAPIHost() throws {
        let production = try Connection(apiURL: nil, authURL: nil, org: nil, environment: [:])
        #expect(production.configuration.authURL.absoluteString == "https://auth.ctrl-hub.com")
        let staging = try Connection(apiURL: "https://api.ctrl-hub.dev", authURL: nil, org: nil, environment: [:])
        #expect(staging.configuration.authURL.absoluteString == "https://auth.ctrl-hub.dev")
        let sandbox = try Connection(apiURL: nil, authURL: nil, org: nil, environment: ["CTRLHUB_API_URL": "http://127.0.0.1:5000"])
        #expect(sandbox.configuration.authURL.absoluteString == "http://127.0.0.1:5000")
        #expect(throws: CtrlHubError.self) { try Connection(apiURL: "http://example.com", authURL: nil, org: nil, environment: [:]) }
    }
}

@Suite struct DraftStoreTests {
    @Test func draftsArePrivateAndReadBackNewestFirst() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("td-drafts-\(UUID().uuidString)")
        let store = DraftStore(environment: ["XDG_STATE_HOME": directory.path])
        let person = User(id: "u-1", email: "a@b.test", firstName: "Seán", lastName: "O'Brien")
        let completion = Completion(id: "c-1", attributes: CompletionAttributes(completedAt: "2024-01-01T00:00:00.123456789Z", expiresAt: nil,
                                                                              certificateNumber: "X", trainingProviderName: "P"),
                                    standardRef: ResourceIdentifier(type: "training-standards", id: "s-1"),
                                    standard: TrainingStandard(id: "s-1", title: "SMSTS", renewalPeriodMonths: 60))
        let older = Draft(completion: completion, person: person, fields: [.certificate: "Y", .provider: "P", .completed: "2024-01-01", .expires: ""],
                          savedAt: Date(timeIntervalSince1970: 1_700_000_000), owner: "admin@x.test@host")
        var newer = older
        newer.completion = Completion(id: "c-2", attributes: completion.attributes)
        newer.savedAt = Date(timeIntervalSince1970: 1_700_000_100)
        try store.save(older)
        try store.save(newer)
        var info = stat()
        stat(store.directory.appendingPathComponent("c-1.json").path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let loaded = try #require(store.load("c-1"))
        #expect(loaded.fields == older.fields)
        #expect(loaded.completion.attributes == completion.attributes, "the server's strings are kept exactly")
        #expect(loaded.completion.standard?.renewalPeriodMonths == 60)
        #expect(loaded.person.displayName == "Seán O'Brien")
        #expect(store.all().map(\.completion.id) == ["c-2", "c-1"])
        #expect(store.all(owner: "viewer@x.test@host").isEmpty, "a draft is offered to its owner only")
        #expect(store.load("c-1", owner: "viewer@x.test@host") == nil)
        store.delete("c-1")
        #expect(store.load("c-1") == nil)
        #expect(store.file("../x") == nil, "an id never names a path")
    }
}

@Suite struct AuditLogTests {
    func entry(_ certificate: String, error: CtrlHubError? = nil) -> AuditEntry {
        let before = CompletionAttributes(completedAt: "2024-01-01T00:00:00Z", expiresAt: nil, certificateNumber: "OLD", trainingProviderName: "P")
        var after = before
        after.certificateNumber = certificate
        return AuditEntry(time: Date(timeIntervalSince1970: 1_700_000_000), email: "admin@x.test", api: "https://api.ctrl-hub.com",
                          completionID: "c-1", person: User(id: "u-1", email: "p@x.test", firstName: "Pat"), standard: "SMSTS",
                          before: before, after: after, error: error)
    }

    @Test func aSequenceLeftOpenInOneValueDoesNotSwallowTheNextChange() {
        let before = CompletionAttributes(completedAt: "2024-01-01T00:00:00Z", expiresAt: nil, certificateNumber: "Cut\u{1B}]0;x",
                                          trainingProviderName: "Old\u{1B}")
        var after = before
        after.certificateNumber = "NEWCERT"
        after.trainingProviderName = "NEWPROV"
        let entry = AuditEntry(time: Date(timeIntervalSince1970: 1_700_000_000), email: "admin@x.test", api: "https://api.ctrl-hub.com",
                               completionID: "c-1", person: User(id: "u-1", email: "p@x.test"), standard: "S",
                               before: before, after: after, error: nil)
        #expect(entry.changeSummary == "certificate_number: Cut\u{FFFD} -> NEWCERT; training_provider_name: Old\u{FFFD} -> NEWPROV")
    }

    @Test func linesArePrivateOnePerAttemptAndSafeAcrossConcurrentWriters() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("td-audit-\(UUID().uuidString)")
        let log = AuditLog(environment: ["XDG_STATE_HOME": directory.path])
        try log.append(entry("NEW"))
        try log.append(entry("FAILED", error: CtrlHubError(.server(status: 500), traceID: "t123")))
        var info = stat()
        stat(log.file.path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let entries = try log.entries()
        #expect(entries.map(\.changeSummary) == ["certificate_number: OLD -> NEW", "certificate_number: OLD -> FAILED"])
        #expect(entries[0].error == nil)
        #expect(entries[1].traceID == "t123")
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            try? log.append(entry("C\(index)" + String(repeating: "x", count: 3000)))
        }
        let lines = try String(contentsOf: log.file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 202)
        #expect(lines.allSatisfy { (try? JSON.parse(String($0))) != nil }, "no line is torn")
    }
}

@Suite struct OutputTests {
    @Test func tableColumnsAlignInCellsWithWideText() {
        let text = Output.table(["Name", "Status"], [["王芳", "valid"], ["Zoe\u{308}", "EXPIRED"], ["Ann", "x"]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines == ["Name  Status", "王芳  valid", "Zoë   EXPIRED", "Ann   x"])
    }

    @Test func tableCellsAreCleanedAndCut() {
        let long = String(repeating: "Provider ", count: 20)
        let text = Output.table(["A", "B"], [["\u{1B}]52;c;SGVsbG8=\u{07}x", long], [long, "y"]])
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("\u{FFFD}x"))
        for line in text.split(separator: "\n") {
            #expect(line.count <= Output.maxColumnWidth * 2 + 2)
        }
        #expect(text.contains("…"))
    }

    /// One of each kind of text that could drive a terminal.
    static let payloads = ["\u{1B}[2J\u{1B}[31mred", "\u{1B}]52;c;ZXZpbA==\u{7}", "\u{1B}]8;;http://x/\u{1B}\\link\u{1B}]8;;\u{1B}\\",
                           "\u{1B}Pq#0~\u{1B}\\", "\u{1B}_Gf=1\u{1B}\\", "\u{9B}6n", "\u{9D}0;t\u{9C}", "\u{0}\u{7}\u{8}\r\n\t\u{7F}",
                           "\u{202E}exe.txt\u{2066}\u{2069}", "cut\u{1B}]0;never ended", "bare\u{1B}"]

    static func drivesATerminal(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return !"\n\r".unicodeScalars.contains(scalar)
            default: return false
            }
        }
    }

    @Test func noOutputButJSONCarriesAPayload() {
        let rows = Self.payloads.map { [$0, "after"] }
        let table = Output.table(["Text", "Next"], rows)
        let csv = Output.csv(["Text", "Next"], rows)
        let record = Output.record(Self.payloads.map { ("Text", $0) })
        for output in [table, csv, record] {
            #expect(!Self.drivesATerminal(output))
            // Only the output's own line ends are left.
            #expect(output.utf8.filter { $0 == 0x0A }.count == Self.payloads.count + (output == record ? 0 : 1))
        }
        #expect(table.contains("\u{FFFD}\u{FFFD}red"))
        #expect(csv.contains("\u{FFFD}link\u{FFFD}"))
    }

    @Test func tableColumnsStayPutAfterEmoji() {
        let text = Output.table(["Who", "Next"], [["👩‍🔧 Ann", "x"], ["👍🏽 Bo", "y"], ["🇬🇧 Cy", "z"], ["Dee", "w"]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines == ["Who       Next", "👩🔧 Ann  x", "👍 Bo     y", "🇬🇧 Cy     z", "Dee       w"])
    }

    @Test func csvDisarmsSpreadsheetFormulas() {
        let text = Output.csv(["a"], [["=HYPERLINK(\"http://x\")"], ["+1"], ["@SUM(A1)"], ["-2"], ["plain=1"]])
        #expect(text == "a\r\n\"'=HYPERLINK(\"\"http://x\"\")\"\r\n'+1\r\n'@SUM(A1)\r\n'-2\r\nplain=1\r\n")
    }

    @Test func csvQuotesWhatNeedsIt() {
        let text = Output.csv(["a", "b", "c"], [["O'Brien, Seán", "say \"hi\"", "plain"], ["line\nbreak", " pad", "\u{9B}31m"]])
        #expect(text == "a,b,c\r\n\"O'Brien, Seán\",\"say \"\"hi\"\"\",plain\r\nline\u{FFFD}break,\" pad\",\u{FFFD}\r\n")
    }
}
