import Foundation
import Testing
@testable import CtrlHubKit

@Suite struct PaginationTests {
    @Test func followsNewStyleOffsetsUntilNull() async throws {
        let transport = ScriptedTransport([json(200, page(["a", "b"], next: 2)), json(200, page(["c"], next: nil))])
        let standards = try await scriptedClient(transport).standards()
        #expect(standards.map(\.id) == ["a", "b", "c"])
        #expect(transport.sent.map { $0.url.query ?? "" } == ["offset=0&limit=100", "offset=2&limit=100"])
    }

    @Test func followsWhateverPageSizeTheServerChose() async throws {
        // Asked for 100, the server sends 7 at a time: the next offset is the server's, not ours.
        let pages = stride(from: 0, to: 21, by: 7).map { start in
            json(200, page((start..<start + 7).map(String.init), next: start + 7 < 21 ? start + 7 : nil))
        }
        let transport = ScriptedTransport(pages)
        let standards = try await scriptedClient(transport).standards()
        #expect(standards.count == 21)
        #expect(transport.sent.count == 3)
    }

    @Test func followsLegacyMetaPage() async throws {
        func legacy(_ ids: [String], next: Int?) -> JSON {
            ["data": .array(ids.map { ["type": "users", "id": .string($0), "attributes": ["email": .string("\($0)@x.test")]] }),
             "meta": ["page": ["limit": 2, "offset": ["current": 0, "next": next.map { .number(Double($0)) } ?? .null]]]]
        }
        let transport = ScriptedTransport([json(200, legacy(["u1", "u2"], next: 2)), json(200, legacy(["u3"], next: nil))])
        let members = try await scriptedClient(transport).members(org: "o1", search: "Seán O'Brien")
        #expect(members.map(\.email) == ["u1@x.test", "u2@x.test", "u3@x.test"])
        let query = try #require(transport.sent.first?.url.query)
        #expect(query.contains("filter%5Bsearch%5D=Se%C3%A1n%20O%27Brien"))
    }

    @Test func readsTheOffsetOfLinksNextWithoutFollowingItsHost() async throws {
        let first: JSON = ["data": [["type": "users", "id": "u1"]], "links": ["next": "https://evil.example/v3/orgs/o1/iam/members?offset=1&limit=1"]]
        let second: JSON = ["data": [["type": "users", "id": "u2"]], "links": ["self": "x"]]
        let transport = ScriptedTransport([json(200, first), json(200, second)])
        let members = try await scriptedClient(transport).members(org: "o1")
        #expect(members.map(\.id) == ["u1", "u2"])
        #expect(transport.sent.allSatisfy { $0.url.host == "127.0.0.1" })
        #expect(transport.sent[1].url.query == "offset=1&limit=100")
    }

    @Test func stopsOnARepeatedOffset() async throws {
        let transport = ScriptedTransport(always: json(200, page(["a"], next: 0)))
        let standards = try await scriptedClient(transport).standards()
        #expect(standards.count == 1)
        #expect(transport.sent.count == 1)
    }

    @Test func stopsOnAnEmptyPage() async throws {
        let transport = ScriptedTransport([json(200, page(["a"], next: 1)), json(200, page([], next: 2)), json(200, page(["never"], next: nil))])
        let standards = try await scriptedClient(transport).standards()
        #expect(standards.map(\.id) == ["a"])
        #expect(transport.sent.count == 2)
    }
}

@Suite struct RetryTests {
    @Test func retriesAGetOn503AndHonoursRetryAfter() async throws {
        let recorder = Recorder()
        let transport = ScriptedTransport([status(503, headers: ["Retry-After": "2"]), status(502), json(200, page(["a"], next: nil))])
        let standards = try await scriptedClient(transport, recorder: recorder).standards()
        #expect(standards.count == 1)
        #expect(transport.sent.count == 3)
        #expect(recorder.pauses == [2, 1])
    }

    @Test func givesUpAfterThreeTries() async throws {
        let recorder = Recorder()
        let transport = ScriptedTransport(always: status(504, headers: ["X-Trace-Id": "abc123"]))
        await #expect(throws: CtrlHubError(.server(status: 504), traceID: "abc123")) {
            try await scriptedClient(transport, recorder: recorder).standards()
        }
        #expect(transport.sent.count == 3)
        #expect(recorder.pauses == [0.5, 1])
    }

    @Test func backOffIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 4)
        #expect((1...6).map { policy.delay(after: $0, retryAfter: nil) } == [1, 2, 4, 4, 4, 4])
        #expect(policy.delay(after: 10, retryAfter: nil) == nil)
    }

    @Test func aLongRetryAfterIsReportedNotWaited() async throws {
        let recorder = Recorder()
        let transport = ScriptedTransport(always: status(429, headers: ["Retry-After": "120"]))
        await #expect(throws: CtrlHubError(.rateLimited(retryAfter: 120))) {
            try await scriptedClient(transport, recorder: recorder).standards()
        }
        #expect(transport.sent.count == 1)
        #expect(recorder.pauses.isEmpty)
    }

    @Test func retriesAPutButNeverA4xx() async throws {
        let done: JSON = ["data": ["type": "training-standard-completions", "id": "c1", "attributes": ["completed_at": "2024-01-01T00:00:00Z"]]]
        let put = ScriptedTransport([status(503, headers: ["Retry-After": "0"]), json(200, done)])
        let attributes = CompletionAttributes(completedAt: "2024-01-01T00:00:00Z", expiresAt: nil, certificateNumber: nil, trainingProviderName: "P")
        _ = try await scriptedClient(put).updateCompletion(id: "c1", attributes)
        #expect(put.sent.count == 2)

        let refused = ScriptedTransport(always: status(400))
        await #expect(throws: CtrlHubError.self) { try await scriptedClient(refused).updateCompletion(id: "c1", attributes) }
        #expect(refused.sent.count == 1)
    }

    @Test func retriesAConnectionResetForReadsOnly() async throws {
        let lost: (HTTPRequest) -> Result<HTTPResponse, CtrlHubError> = { _ in .failure(CtrlHubError(.transport(.connectionLost))) }
        let reads = ScriptedTransport([lost, json(200, page(["a"], next: nil))])
        #expect(try await scriptedClient(reads).standards().count == 1)
        #expect(reads.sent.count == 2)

        let login = ScriptedTransport([json(200, ["id": "flow"]), lost])
        await #expect(throws: CtrlHubError(.transport(.connectionLost))) {
            try await scriptedClient(login, token: nil).login(email: "a@b.test", password: "pw")
        }
        #expect(login.sent.count == 2, "a POST is never repeated")
    }

    @Test func readsRetryAfterAsAnHTTPDate() {
        let later = Date().addingTimeInterval(30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let seconds = CtrlHubClient.retryAfter(HTTPResponse(status: 503, headers: ["Retry-After": formatter.string(from: later)]))
        #expect(seconds.map { $0 > 25 && $0 <= 30 } == true)
    }
}

@Suite struct SecurityTests {
    @Test func plainHTTPIsRefusedExceptOnLoopback() throws {
        for url in ["http://api.ctrl-hub.com", "http://10.0.0.1:8080", "http://127.0.0.1.evil.test", "ftp://127.0.0.1",
                    "https://api.ctrl-hub.com/?x=1", "https://user:pw@api.ctrl-hub.com", "https://api.ctrl-hub.com/#f"] {
            #expect(throws: CtrlHubError.self, "\(url)") {
                try ClientConfiguration(apiURL: URL(string: url)!, authURL: URL(string: "https://auth.ctrl-hub.com")!)
            }
        }
        for url in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "http://127.1.2.3", "https://api.ctrl-hub.dev"] {
            #expect(throws: Never.self, "\(url)") {
                try ClientConfiguration(apiURL: URL(string: url)!, authURL: URL(string: url)!)
            }
        }
    }

    @Test func theTokenTravelsOnlyInItsHeader() async throws {
        let recorder = Recorder()
        let transport = ScriptedTransport([status(500, headers: ["X-Trace-Id": "t1"]), status(401), json(200, page(["a"], next: nil))])
        let client = try scriptedClient(transport, recorder: recorder)
        var messages: [String] = []
        for _ in 0..<2 {
            do { _ = try await client.completion(id: "c1") } catch { messages.append(error.message); messages.append("\(error)") }
        }
        _ = try await client.standards()
        let secret = testToken.secret
        #expect(transport.sent.allSatisfy { $0.headers["X-Session-Token"] == secret })
        #expect(transport.sent.allSatisfy { !$0.url.absoluteString.contains(secret) && !$0.description.contains(secret) })
        #expect(!recorder.lines.isEmpty && recorder.lines.allSatisfy { !$0.contains(secret) })
        #expect(messages.count == 4 && messages.allSatisfy { !$0.contains(secret) })
        #expect(!"\(client.token!)".contains(secret))
        var dumped = ""
        dump(client.token, to: &dumped)
        #expect(!dumped.contains(secret))
        #expect(!String(reflecting: client.token).contains(secret))
    }

    @Test func anIdCannotAddPathSegments() async throws {
        let transport = ScriptedTransport(always: status(404))
        _ = try? await scriptedClient(transport).completion(id: "../../iam/whoami?x=1#")
        let url = try #require(transport.sent.first?.url)
        #expect(url.path.hasPrefix("/v3/training-standard-completions/"))
        #expect(url.pathComponents.count == 4)
    }
}

/// A list server that answers by offset: `total` records named r0, r1, ... in pages of
/// `size`, with the count on every page, and keeps count of the requests it holds at once.
final class PagedTransport: HTTPTransport, @unchecked Sendable {
    let total: Int
    let size: Int
    /// Offsets answered with a 500.
    let failing: Set<Int>
    /// How long each answer takes, by offset: later pages can be made to finish first.
    let delay: @Sendable (Int) -> TimeInterval
    private let lock = NSLock()
    private var inFlight = 0
    private(set) var mostAtOnce = 0
    private(set) var offsets: [Int] = []

    init(total: Int, size: Int, failing: Set<Int> = [], delay: @escaping @Sendable (Int) -> TimeInterval = { _ in 0.02 }) {
        self.total = total
        self.size = size
        self.failing = failing
        self.delay = delay
    }

    var asked: [Int] { lock.withLock { offsets } }
    var most: Int { lock.withLock { mostAtOnce } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(CtrlHubError) -> HTTPResponse {
        let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        let offset = Int(items.first { $0.name == "offset" }?.value ?? "0") ?? 0
        lock.withLock {
            offsets.append(offset)
            inFlight += 1
            mostAtOnce = max(mostAtOnce, inFlight)
        }
        try? await Task.sleep(for: .seconds(delay(offset)))
        lock.withLock { inFlight -= 1 }
        if failing.contains(offset) { return HTTPResponse(status: 500, headers: ["X-Trace-Id": "t-\(offset)"]) }
        let ids = (offset..<min(total, offset + size)).map { "r\($0)" }
        let next = offset + size < total ? JSON.number(Double(offset + size)) : .null
        let body: JSON = [
            "data": .array(ids.map { ["type": "training-standard-completions", "id": .string($0),
                                      "attributes": ["completed_at": "2024-01-02T00:00:00Z"]] }),
            "meta": ["pagination": ["counts": ["resources": .number(Double(total))], "offsets": ["next": next]]],
        ]
        return HTTPResponse(status: 200, body: body.serialized())
    }
}

/// Once the first page gives the count, the other pages are asked for together.
@Suite struct ConcurrentPagingTests {
    func client(_ transport: PagedTransport, concurrency: Int = 4) throws -> CtrlHubClient {
        var configuration = try ClientConfiguration(apiURL: loopback, authURL: loopback)
        configuration.pageConcurrency = concurrency
        return CtrlHubClient(configuration: configuration, token: testToken, transport: transport, pause: { _ in })
    }

    @Test func keepsTheServersOrderWhenLaterPagesComeFirst() async throws {
        // The last page answers first, the second page last.
        let transport = PagedTransport(total: 95, size: 10) { offset in offset == 0 ? 0 : Double(100 - offset) / 1000 }
        let completions = try await client(transport).completions(user: "u1")
        #expect(completions.map(\.id) == (0..<95).map { "r\($0)" })
        #expect(transport.asked.count == 10, "each page once")
    }

    @Test func asksForNoMoreThanItsLimitAtOnce() async throws {
        let transport = PagedTransport(total: 200, size: 10)
        let completions = try await client(transport, concurrency: 3).completions(user: "u1")
        #expect(completions.count == 200)
        #expect(transport.most <= 3)
        #expect(transport.most > 1, "pages after the first are asked for together")
    }

    @Test func theFirstPageIsHandedOverBeforeTheRestAreAskedFor() async throws {
        let transport = PagedTransport(total: 35, size: 10)
        let seen = Recorder()
        _ = try await client(transport).completions(user: "u1") { first, total in
            seen.log("\(first.count) of \(total ?? -1) after \(transport.asked.count) request(s)")
        }
        #expect(seen.lines == ["10 of 35 after 1 request(s)"])
    }

    @Test func aFailedLaterPageFailsTheLoadWithItsReason() async throws {
        let transport = PagedTransport(total: 60, size: 10, failing: [30])
        let seen = Recorder()
        do {
            _ = try await client(transport).completions(user: "u1") { first, _ in seen.log("\(first.count)") }
            Issue.record("a load with a failed page must not succeed")
        } catch let error as CtrlHubError {
            #expect(error.kind == .server(status: 500))
            #expect(error.traceID == "t-30")
        }
        #expect(seen.lines == ["10"], "the first page was shown all the same")
    }

    @Test func oneSmallPageIsTheWholeList() async throws {
        let transport = PagedTransport(total: 4, size: 10)
        let seen = Recorder()
        let completions = try await client(transport).completions(user: "u1") { first, _ in seen.log("\(first.count)") }
        #expect(completions.count == 4)
        #expect(seen.lines.isEmpty, "nothing partial to show")
        #expect(transport.asked == [0])
    }
}
