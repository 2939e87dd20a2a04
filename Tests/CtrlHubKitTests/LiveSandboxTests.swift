import Foundation
import Testing
import CtrlHubSandbox
@testable import CtrlHubKit

/// A sandbox on a free loopback port, stopped when the test's value goes away.
final class LiveSandbox: @unchecked Sendable {
    let server = SandboxServer()
    let url: URL
    let recorder = Recorder()

    init() throws { url = try server.start() }
    deinit { server.stop() }

    func client(token: String? = SandboxServer.admin.token, timeout: TimeInterval = 5) throws(CtrlHubError) -> CtrlHubClient {
        var configuration = try ClientConfiguration(apiURL: url, authURL: url)
        configuration.timeout = timeout
        configuration.retry = RetryPolicy(baseDelay: 0.01, maxDelay: 0.05)
        return CtrlHubClient(configuration: configuration, token: token.map(SessionToken.init),
                             log: { [recorder] in recorder.log($0) })
    }

    var someCompletion: SandboxCompletion { server.data.completions.first { $0.userID == server.data.busiestPerson.id }! }

    func requests(_ method: String) -> [SandboxRequest] { server.requests().filter { $0.method == method } }
}

@Suite struct LiveSessionTests {
    @Test func signsInReadsWhoamiAndSignsOut() async throws {
        let live = try LiveSandbox()
        let session = try await live.client(token: nil).login(email: SandboxServer.admin.email, password: SandboxServer.admin.password)
        #expect(session.email == SandboxServer.admin.email)
        #expect((session.expiresAt ?? .distantPast) > Date())
        let client = try live.client(token: nil).with(token: session.token)
        let me = try await client.whoami()
        #expect(me.user.email == SandboxServer.admin.email)
        #expect(me.organisations.map(\.id) == [live.server.data.organisation.id])
        #expect(me.organisations.first?.name == live.server.data.organisation.name)
        try await client.logout()
        await expectKind(.unauthorised) { try await client.whoami() }
    }

    @Test func aWrongPasswordIsInvalidCredentials() async throws {
        let live = try LiveSandbox()
        await expectKind(.invalidCredentials) {
            try await live.client(token: nil).login(email: SandboxServer.admin.email, password: "not-it")
        }
    }

    @Test func aBadOrExpiredTokenIsUnauthorisedWithATraceID() async throws {
        let live = try LiveSandbox()
        do {
            _ = try await live.client(token: "ory_st_forged").whoami()
            Issue.record("a forged token was accepted")
        } catch {
            #expect(error.kind == .unauthorised)
            #expect(error.traceID?.count == 32)
        }
        live.server.expireSessions()
        await expectKind(.unauthorised) { try await live.client().whoami() }
    }
}

@Suite struct LiveReadTests {
    @Test func readsEveryPageOfTheBusiestPerson() async throws {
        let live = try LiveSandbox()
        let person = live.server.data.busiestPerson
        let expected = live.server.data.completions.filter { $0.userID == person.id }.count
        let completions = try await live.client().completions(user: person.id)
        #expect(expected > 250)
        #expect(completions.count == expected)
        #expect(Set(completions.map(\.id)).count == expected)
        #expect(completions.allSatisfy { $0.standard != nil && $0.user?.email == person.email })
        #expect(live.requests("GET").count == (expected + 99) / 100, "pages of the server's maximum, 100")
        let whole = try JSONSerialization.jsonObject(with: live.server.data.completionsDocument(personID: person.id)) as? [String: Any]
        let order = (whole?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(completions.map(\.id) == order, "the pages, fetched together, in the server's order")
    }

    /// The models keep the server's exact strings, payloads and all: only what draws them cleans.
    @Test func readsHostileTextExactly() async throws {
        let live = try LiveSandbox()
        let person = try #require(live.server.data.people.first { $0.email == "hostile.payload@kestrel-utilities.test" })
        let stored = live.server.data.completions.filter { $0.userID == person.id }
        let completions = try await live.client().completions(user: person.id)
        #expect(completions.count == stored.count)
        for completion in completions {
            let original = try #require(stored.first { $0.id == completion.id })
            #expect(completion.attributes.certificateNumber?.unicodeScalars.elementsEqual(original.certificateNumber!.unicodeScalars) == true)
            #expect(completion.attributes.trainingProviderName?.unicodeScalars.elementsEqual(original.providerName.unicodeScalars) == true)
            let title = try #require(live.server.data.standards.first { $0.id == original.standardID }?.title)
            #expect(completion.standard?.title.unicodeScalars.elementsEqual(title.unicodeScalars) == true)
            #expect(completion.user?.firstName?.unicodeScalars.elementsEqual(person.firstName.unicodeScalars) == true)
            #expect(completion.user?.lastName?.unicodeScalars.elementsEqual(person.lastName.unicodeScalars) == true)
        }
    }

    @Test func readsAllMembersAndSearchesThem() async throws {
        let live = try LiveSandbox()
        let org = live.server.data.organisation.id
        let members = try await live.client().members(org: org)
        #expect(members.count == live.server.data.people.count)
        #expect(live.requests("GET").count > 1, "the members endpoint pages at 25")
        let person = live.server.data.busiestPerson
        let found = try await live.client().members(org: org, search: person.email.uppercased())
        #expect(found.map(\.id) == [person.id])
    }

    @Test func readsStandardsAndOneCompletion() async throws {
        let live = try LiveSandbox()
        let standards = try await live.client().standards()
        #expect(standards.count == live.server.data.standards.count)
        #expect(standards.contains { $0.title.contains("SMSTS") && $0.renewalPeriodMonths == 60 })
        let first = try #require(standards.first)
        #expect(try await live.client().standard(id: first.id) == first)
        let stored = live.someCompletion
        let completion = try await live.client().completion(id: stored.id)
        #expect(completion.attributes.completedAt == stored.completedAt)
        #expect(completion.standard?.id == stored.standardID)
    }

    @Test func theTokenNeverReachesAURLOrALogLine() async throws {
        let live = try LiveSandbox()
        _ = try await live.client().completions(user: live.server.data.busiestPerson.id)
        _ = try? await live.client().completion(id: "missing")
        let secret = SandboxServer.admin.token
        #expect(live.server.requests().allSatisfy { !$0.path.contains(secret) && !($0.query ?? "").contains(secret) })
        #expect(live.server.requests().allSatisfy { $0.headers["x-session-token"] == secret })
        #expect(!live.recorder.lines.isEmpty && live.recorder.lines.allSatisfy { !$0.contains(secret) })
    }
}

@Suite struct LiveUpdateTests {
    @Test func anEditOfOneFieldEchoesTheOthersExactly() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let client = try live.client()
        var attributes = try await client.completion(id: stored.id).attributes
        attributes.certificateNumber = "NEW-0001"
        let saved = try await client.updateCompletion(id: stored.id, attributes)
        #expect(saved.attributes == attributes)
        let now = try #require(live.server.completion(id: stored.id))
        #expect(now.certificateNumber == "NEW-0001")
        #expect(now.completedAt == stored.completedAt)
        #expect(now.expiresAt == stored.expiresAt)
        let put = try #require(live.requests("PUT").first)
        #expect(put.headers["content-type"] == "application/vnd.api+json")
        #expect(put.body == CtrlHubClient.updateBody(id: stored.id, attributes))
    }

    @Test func aGuardedUpdateSendsNothingWhenTheRecordChanged() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let client = try live.client()
        let read = try await client.completion(id: stored.id)
        #expect(read.updatedAt != nil)
        var mine = read.attributes
        mine.certificateNumber = "MINE"
        try live.server.changeCompletion(id: stored.id, ["certificate_number": "THEIRS"])
        guard case .changed(let now) = try await client.updateCompletion(id: stored.id, mine, unlessChangedFrom: read.attributes) else {
            Issue.record("the change on the server was not noticed")
            return
        }
        #expect(now.attributes.certificateNumber == "THEIRS")
        #expect(live.requests("PUT").isEmpty)
        guard case .saved = try await client.updateCompletion(id: stored.id, mine, unlessChangedFrom: now.attributes) else {
            Issue.record("an unchanged record must be saved")
            return
        }
        #expect(live.server.completion(id: stored.id)?.certificateNumber == "MINE")
    }

    @Test func serverValidationNamesTheField() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let attributes = CompletionAttributes(completedAt: "2024-05-01T00:00:00Z", expiresAt: "2024-04-01T00:00:00Z",
                                              certificateNumber: nil, trainingProviderName: "Acme")
        do {
            _ = try await live.client().updateCompletion(id: stored.id, attributes)
            Issue.record("an expiry before completion was accepted")
        } catch {
            #expect(error.fieldProblems.map(\.field) == ["expires_at"])
            #expect(error.message.contains("expires_at"))
        }
        #expect(live.server.completion(id: stored.id) == stored)
    }

    @Test func theViewerIsForbiddenAndAnUnknownIdIsNotFound() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let attributes = try await live.client(token: SandboxServer.viewer.token).completion(id: stored.id).attributes
        await #expect(throws: CtrlHubError.self) { try await live.client(token: SandboxServer.viewer.token).updateCompletion(id: stored.id, attributes) }
        do { _ = try await live.client(token: SandboxServer.viewer.token).updateCompletion(id: stored.id, attributes) } catch {
            guard case .forbidden = error.kind else { Issue.record("expected forbidden, got \(error)"); return }
        }
        do { _ = try await live.client().completion(id: "00000000-0000-4000-8000-000000000000") } catch {
            guard case .notFound = error.kind else { Issue.record("expected not found, got \(error)"); return }
        }
    }

    @Test func aMismatchedIdIsAConflict() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let body = CtrlHubClient.updateBody(id: "another-id", CompletionAttributes(
            completedAt: stored.completedAt, expiresAt: stored.expiresAt, certificateNumber: nil, trainingProviderName: "Acme"))
        let response = try await URLSessionTransport().send(HTTPRequest(
            method: "PUT", url: live.url.appendingPathComponent("v3/training-standard-completions/\(stored.id)"),
            headers: ["Content-Type": "application/vnd.api+json", "X-Session-Token": SandboxServer.admin.token], body: body), timeout: 5)
        guard case .conflict = CtrlHubClient.apiError(response).kind else {
            Issue.record("expected a conflict, got \(CtrlHubClient.apiError(response))")
            return
        }
    }
}

@Suite struct LiveFailureTests {
    @Test func a500CarriesTheTraceIDAndIsNotRetried() async throws {
        let live = try LiveSandbox()
        live.server.inject(.serverError, method: "GET", path: "/v3/training-standards")
        do {
            _ = try await live.client().standards()
            Issue.record("the fault did not fire")
        } catch {
            #expect(error.kind == .server(status: 500))
            #expect(error.traceID?.count == 32)
            #expect(error.message.contains(error.traceID!))
        }
        #expect(live.requests("GET").count == 1)
    }

    @Test func a503IsRetriedAndThenWorks() async throws {
        let live = try LiveSandbox()
        live.server.inject(.unavailable(retryAfter: 0), method: "GET", count: 2)
        #expect(try await live.client().standards().count == live.server.data.standards.count)
        #expect(live.requests("GET").count == 3)
    }

    @Test func aPersistent429IsRateLimitedAfterThreeTries() async throws {
        let live = try LiveSandbox()
        live.server.inject(.rateLimited(retryAfter: 0), count: 5)
        await expectKind(.rateLimited(retryAfter: 0)) { try await live.client().standards() }
        #expect(live.server.requests().count == 3)
    }

    @Test func aPutIsRetriedOnABadGateway() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        var attributes = try await live.client().completion(id: stored.id).attributes
        attributes.trainingProviderName = "Retried Ltd"
        live.server.inject(.badGateway, method: "PUT")
        _ = try await live.client().updateCompletion(id: stored.id, attributes)
        #expect(live.requests("PUT").count == 2)
        #expect(live.server.completion(id: stored.id)?.providerName == "Retried Ltd")
    }

    @Test func aDroppedPutIsRetriedAtOnce() async throws {
        let live = try LiveSandbox()
        let stored = live.someCompletion
        let client = try live.client()
        var attributes = try await client.completion(id: stored.id).attributes
        attributes.certificateNumber = "AFTER-DROP"
        live.server.inject(.drop, method: "PUT")
        _ = try await client.updateCompletion(id: stored.id, attributes)
        #expect(live.requests("PUT").count == 2)
        #expect(live.server.completion(id: stored.id)?.certificateNumber == "AFTER-DROP")
    }

    @Test func aSilentServerTimesOut() async throws {
        let live = try LiveSandbox()
        live.server.inject(.delay(seconds: 3), method: "GET", count: 1)
        await expectKind(.transport(.timeout)) { try await live.client(timeout: 0.5).standards() }
    }

    @Test func aDroppedConnectionIsRetriedThenReported() async throws {
        let live = try LiveSandbox()
        live.server.inject(.drop, method: "GET", count: 1)
        #expect(try await live.client().standards().count > 0)
        live.server.inject(.drop, method: "GET", count: 3)
        await expectKind(.transport(.connectionLost)) { try await live.client().standards() }
    }

    @Test func aClosedPortIsRefused() async throws {
        let live = try LiveSandbox()
        let client = try live.client()
        live.server.stop()
        await expectKind(.transport(.refused)) { try await client.whoami() }
    }

    @Test func httpsToAPlainServerIsATLSFailure() async throws {
        let live = try LiveSandbox()
        var parts = URLComponents(url: live.url, resolvingAgainstBaseURL: false)!
        parts.scheme = "https"
        let configuration = try ClientConfiguration(apiURL: parts.url!, authURL: parts.url!)
        let client = CtrlHubClient(configuration: configuration, token: SessionToken(SandboxServer.admin.token))
        await expectKind(.transport(.tls)) { try await client.whoami() }
    }
}

/// Asserts the kind only: trace ids differ on every answer.
func expectKind<T>(_ kind: CtrlHubError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected \(kind), but it succeeded", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? CtrlHubError)?.kind == kind, sourceLocation: sourceLocation)
    }
}
