import Foundation
import Testing
import CtrlHubSandbox

@Suite struct CLISessionTests {
    @Test func whoamiWithAnEnvironmentToken() throws {
        let sandbox = try CLISandbox()
        let table = try sandbox.run(["whoami"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains(SandboxServer.admin.email))
        #expect(table.stdout.contains(sandbox.server.data.organisation.name))
        let json = try sandbox.run(["whoami", "--format", "json"])
        let object = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect(object["email"] as? String == SandboxServer.admin.email)
    }

    @Test func withoutASessionTheExitStatusIs4() throws {
        let sandbox = try CLISandbox()
        let outcome = try sandbox.run(["whoami"], token: nil)
        #expect(outcome.status == 4)
        #expect(outcome.stderr.contains("trainingdesk login"))
        let rejected = try sandbox.run(["whoami"], token: "ory_st_revoked")
        #expect(rejected.status == 4)
        #expect(rejected.stderr.contains("sign in again"))
    }

    @Test func loginStoresASessionPrivatelyAndLogoutRevokesIt() throws {
        let sandbox = try CLISandbox()
        let environment = sandbox.environment(token: nil)
        let login = try run(["login", "--email", SandboxServer.admin.email], environment: environment, input: SandboxServer.admin.password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let file = environment["XDG_STATE_HOME"]! + "/trainingdesk/session.json"
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(environment["XDG_STATE_HOME"]! + "/trainingdesk", &info) == 0 && info.st_mode & 0o777 == 0o700)
        let stored = try #require(try parseJSON(String(contentsOfFile: file, encoding: .utf8)) as? [String: Any])
        let token = try #require(stored["token"] as? String)
        #expect(!login.stdout.contains(token) && !login.stderr.contains(token))
        #expect(!login.stderr.contains(SandboxServer.admin.password))

        let whoami = try run(["whoami"], environment: environment)
        #expect(whoami.status == 0, "\(whoami.stderr)")

        let logout = try run(["logout"], environment: environment)
        #expect(logout.status == 0, "\(logout.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try sandbox.run(["whoami"], token: token).status == 4, "the server revoked it")
    }

    @Test func aWrongPasswordSaysSoAndStoresNothing() throws {
        let sandbox = try CLISandbox()
        let environment = sandbox.environment(token: nil)
        let login = try run(["login", "--email", SandboxServer.admin.email], environment: environment, input: "wrong\n")
        #expect(login.status == 4)
        #expect(login.stderr.contains("email or password is not right"))
        #expect(!FileManager.default.fileExists(atPath: environment["XDG_STATE_HOME"]! + "/trainingdesk/session.json"))
    }

    @Test func aFailedRevokeStillSignsOutLocally() throws {
        let sandbox = try CLISandbox()
        let environment = sandbox.environment(token: nil)
        _ = try run(["login", "--email", SandboxServer.admin.email], environment: environment, input: SandboxServer.admin.password + "\n")
        sandbox.server.inject(.serverError, method: "DELETE")
        let logout = try run(["logout"], environment: environment)
        #expect(logout.status == 1)
        #expect(logout.stderr.contains("server was not told"))
        #expect(!FileManager.default.fileExists(atPath: environment["XDG_STATE_HOME"]! + "/trainingdesk/session.json"))
    }

    @Test func logoutRevokesOnlyAtTheHostTheSessionCameFrom() throws {
        let home = try CLISandbox(), elsewhere = try CLISandbox()
        var variables = home.environment(token: nil)
        _ = try run(["login", "--email", SandboxServer.admin.email], environment: variables, input: SandboxServer.admin.password + "\n")
        variables["CTRLHUB_API_URL"] = elsewhere.url.absoluteString
        let logout = try run(["logout"], environment: variables)
        #expect(logout.status == 0, "\(logout.stderr)")
        #expect(home.requests("DELETE").count == 1)
        #expect(elsewhere.server.requests().isEmpty, "the token never went to the other host")
    }

    @Test func aDamagedSessionFileIsRefusedAndLogoutRemovesIt() throws {
        let sandbox = try CLISandbox()
        let variables = sandbox.environment(token: nil)
        let directory = variables["XDG_STATE_HOME"]! + "/trainingdesk"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: directory + "/session.json", contents: Data("garbage".utf8), attributes: [.posixPermissions: 0o600])
        #expect(try run(["whoami"], environment: variables).status == 4)
        let logout = try run(["logout"], environment: variables)
        #expect(logout.stderr.contains("damaged"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/session.json"))
    }

    @Test func verboseLogsRequestsButNeverTheToken() throws {
        let sandbox = try CLISandbox()
        let outcome = try sandbox.run(["completions", "list", "--user", sandbox.person.email, "--verbose", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("GET \(sandbox.url.absoluteString)/v3/training-standard-completions"))
        #expect(!outcome.stderr.contains(SandboxServer.admin.token) && !outcome.stdout.contains(SandboxServer.admin.token))
    }

    @Test func plainHTTPToARemoteHostIsRefused() throws {
        let outcome = try run(["whoami", "--api-url", "http://api.example.com"], environment: environment(["CTRLHUB_SESSION_TOKEN": "x"]))
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("plain HTTP"))
    }
}

@Suite struct CLIReadTests {
    @Test func listsEveryCompletionAsJSON() throws {
        let sandbox = try CLISandbox()
        let outcome = try sandbox.run(["completions", "list", "--user", sandbox.person.email, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try #require(try parseJSON(outcome.stdout) as? [[String: Any]])
        let expected = sandbox.server.data.completions.filter { $0.userID == sandbox.person.id }
        #expect(rows.count == expected.count)
        #expect(rows.count > 250)
        let statuses = Set(rows.compactMap { $0["status"] as? String })
        #expect(statuses.isSubset(of: ["expired", "expiring", "valid", "no-expiry"]))
        #expect(statuses.count >= 3)
        let first = try #require(rows.first)
        #expect(Set(first.keys) == ["id", "training_standard", "completed_at", "expires_at", "certificate_number", "training_provider_name", "status"])
        #expect((first["training_standard"] as? [String: Any])?["title"] is String)
    }

    @Test func listsAsCSVAndTableByIdToo() throws {
        let sandbox = try CLISandbox()
        let count = sandbox.server.data.completions.filter { $0.userID == sandbox.person.id }.count
        let csv = try sandbox.run(["completions", "list", "--user", sandbox.person.id, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "id,training_standard_id,training_standard,completed_at,expires_at,status,certificate_number,training_provider_name")
        #expect(lines.count == count + 1)
        let table = try sandbox.run(["completions", "list", "--user", sandbox.person.id])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("Training standard"))
        #expect(table.stderr.contains("\(count) completions"))
    }

    @Test func anUnknownPersonOrRecordIsExit5() throws {
        let sandbox = try CLISandbox()
        #expect(try sandbox.run(["completions", "list", "--user", "nobody@nowhere.test"]).status == 5)
        #expect(try sandbox.run(["completions", "list", "--user", "00000000-0000-4000-8000-000000000000"]).status == 5)
        #expect(try sandbox.run(["completions", "show", "00000000-0000-4000-8000-000000000000"]).status == 5)
    }

    @Test func showsOneRecord() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let json = try sandbox.run(["completions", "show", record.id, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect(object["completed_at"] as? String == record.completedAt)
        let table = try sandbox.run(["completions", "show", record.id])
        #expect(table.stdout.contains("Training standard:"))
        #expect(table.stdout.contains(sandbox.person.email))
    }

    @Test func aFullDiskIsAFailureNotACrash() throws {
        let sandbox = try CLISandbox()
        for format in ["table", "csv", "json"] {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["completions", "list", "--user", sandbox.person.id, "--format", format]
            process.environment = sandbox.environment()
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 1, "\(format): \(message)")
            #expect(message.contains("Could not write the output"))
        }
    }

    @Test func textFromTheServerInAnErrorIsCleaned() throws {
        let sandbox = try CLISandbox()
        let outcome = try sandbox.run(["completions", "update", sandbox.record.id, "--provider", "x\u{1B}[2Jy"])
        #expect(outcome.status == 3)
        #expect(!outcome.stderr.contains("\u{1B}"))
    }

    @Test func aServerFailureGivesItsTraceID() throws {
        let sandbox = try CLISandbox()
        sandbox.server.inject(.serverError, method: "GET", path: "/v3/training-standard-completions")
        let outcome = try sandbox.run(["completions", "show", sandbox.record.id])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.range(of: "trace id [0-9a-f]{32}", options: .regularExpression) != nil)
    }
}

@Suite struct CLIUpdateTests {
    @Test func updatesOneFieldAndKeepsTheOthersExactly() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let outcome = try sandbox.run(["completions", "update", record.id, "--certificate", "CERT-NEW-1", "--provider", " Acme Training "])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let now = try #require(sandbox.server.completion(id: record.id))
        #expect(now.certificateNumber == "CERT-NEW-1")
        #expect(now.providerName == "Acme Training")
        #expect(now.completedAt == record.completedAt)
        #expect(now.expiresAt == record.expiresAt)
        #expect(sandbox.requests("PUT").count == 1)
    }

    @Test func noneClearsAndADateIsTheStartOfThatDay() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let outcome = try sandbox.run(["completions", "update", record.id, "--completed", "01/07/2025", "--expires", "none", "--certificate", "none"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let now = try #require(sandbox.server.completion(id: record.id))
        #expect(now.expiresAt == nil)
        #expect(now.certificateNumber == nil)
        // The admin's profile zone is Europe/London: 1 July starts at 23:00 UTC the day before.
        #expect(now.completedAt == "2025-06-30T23:00:00Z")
    }

    @Test func invalidInputIsRefusedWithNothingSent() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        for arguments in [["--completed", "2024-05-02", "--expires", "2024-05-01"], ["--completed", "2023-02-29"],
                          ["--completed", "2999-01-01"], ["--provider", ""], ["--certificate", String(repeating: "x", count: 256)],
                          ["--provider", "Evil\u{1B}]52;c;eA==\u{07}"]] {
            let outcome = try sandbox.run(["completions", "update", record.id] + arguments)
            #expect(outcome.status == 3, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("Not sent:"))
        }
        #expect(sandbox.server.requests().isEmpty, "not even a read was sent")
    }

    @Test func aRuleThatNeedsTheRecordStillSendsNoPut() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let outcome = try sandbox.run(["completions", "update", record.id, "--expires", "1901-01-01"])
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("--expires"))
        #expect(sandbox.requests("PUT").isEmpty)
        #expect(sandbox.server.completion(id: record.id) == record)
    }

    @Test func aRefusalByTheServerIsReported() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let outcome = try sandbox.run(["completions", "update", record.id, "--certificate", "X-1"], token: SandboxServer.viewer.token)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("not allowed"))
        #expect(sandbox.requests("PUT").count == 1)
        #expect(sandbox.server.completion(id: record.id) == record)
    }

    @Test func aRecordChangedSinceAGivenTimeIsExit6() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let stale = try sandbox.run(["completions", "update", record.id, "--certificate", "X-6", "--if-unchanged-since", "2000-01-01T00:00:00Z"])
        #expect(stale.status == 6, "\(stale.stderr)")
        #expect(stale.stderr.contains("nothing was sent"))
        #expect(sandbox.requests("PUT").isEmpty)
        let fresh = try sandbox.run(["completions", "update", record.id, "--certificate", "X-6", "--if-unchanged-since", "2100-01-01T00:00:00Z"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
    }

    @Test func nothingChangedSendsNothing() throws {
        let sandbox = try CLISandbox()
        let record = sandbox.record
        let outcome = try sandbox.run(["completions", "update", record.id, "--provider", record.providerName])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("Nothing changed"))
        #expect(sandbox.requests("PUT").isEmpty)
    }
}

@Suite struct CLIUsageTests {
    @Test(arguments: [[], ["whoami"], ["login"], ["logout"], ["completions"], ["completions", "list"], ["completions", "show"],
                      ["completions", "update"], ["sandbox"]])
    func everyCommandHasHelp(_ command: [String]) throws {
        let outcome = try run(command + ["--help"], environment: environment())
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("trainingdesk"))
    }

    @Test(arguments: [["whoami", "--bogus"], ["completions", "list"], ["completions", "frobnicate"], ["completions", "show"],
                      ["completions", "update", "x"], ["completions", "list", "--user", "a", "--format", "xml"], ["login", "--password", "pw"],
                      ["completions", "list", "--user", "x),eq(user,y"], ["completions", "show", ""], ["completions", "show", "../x"],
                      ["whoami", "--api-url", "ftp://127.0.0.1"], ["whoami", "--api-url", "http://127.0.0.1:9/?a=b"],
                      ["sandbox", "--host", "0.0.0.0"]])
    func badUsageIsExit2(_ arguments: [String]) throws {
        let outcome = try run(arguments, environment: environment(["CTRLHUB_SESSION_TOKEN": "x", "CTRLHUB_API_URL": "http://127.0.0.1:9"]))
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(!outcome.stderr.isEmpty)
    }
}

@Suite struct SandboxCommandTests {
    /// `trainingdesk sandbox` with `extra` arguments, and the URL its first line gives.
    func start(_ extra: [String] = []) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sandbox", "--port", "0"] + extra
        process.environment = environment()
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n"), let chunk = try output.fileHandleForReading.read(upToCount: 1), !chunk.isEmpty {
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = text.trimmingCharacters(in: .newlines)
        #expect(line.range(of: #"^sandbox listening on http://127\.0\.0\.1:[0-9]+$"#, options: .regularExpression) != nil)
        return (process, try #require(URL(string: String(line.dropFirst("sandbox listening on ".count)))))
    }

    func signedIn(_ url: URL) -> [String: String] {
        environment(["CTRLHUB_API_URL": url.absoluteString, "CTRLHUB_SESSION_TOKEN": SandboxServer.admin.token])
    }

    @Test func theSandboxCommandServesAndStopsOnSIGTERM() async throws {
        let (process, url) = try start()
        let outcome = try run(["whoami"], environment: signedIn(url))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func theBusiestPersonCanBeGivenAnyNumberOfRecords() throws {
        let (process, url) = try start(["--records", "450"])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let outcome = try run(["completions", "list", "--user", "dylan.pritchard@kestrel-utilities.test", "--format", "json"],
                              environment: signedIn(url))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect((try parseJSON(outcome.stdout) as? [Any])?.count == 450)
        #expect(try run(["sandbox", "--records", "lots"], environment: environment()).status == 2)
    }

    @Test(arguments: [nil, "dumb"])
    func withoutAUsableTerminalTheUISaysWhatToSet(_ term: String?) throws {
        var variables = environment()
        variables["TERM"] = term
        let outcome = try run(["--demo"], environment: variables)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("set TERM"))
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one sentence")
        #expect(outcome.stdout.isEmpty, "no escape sequences were written")
    }
}
