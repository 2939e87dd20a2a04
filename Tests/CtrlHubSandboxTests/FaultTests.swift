import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct FaultTests {
    private let path = "/v3/training-standards"

    @Test(arguments: [(SandboxFault.serverError, 500), (.badGateway, 502), (.gatewayTimeout, 504)])
    func gatewayErrorsHaveNoBodyButATraceId(_ fault: SandboxFault, _ status: Int) throws {
        try withSandbox { server, url throws in
            server.inject(fault)
            let client = try RawClient(url)
            let reply = try client.get(path)
            #expect(reply.status == status)
            #expect(reply.body.isEmpty)
            #expect(reply.headers["content-length"] == "0")
            let trace = try #require(reply.headers["x-trace-id"])
            #expect(trace.count == 32 && trace.allSatisfy { "0123456789abcdef".contains($0) })
            // Only one request was spoiled, and the connection is still good.
            #expect(try client.get(path).status == 200)
        }
    }

    @Test func unavailableAndRateLimitedSayWhenToRetry() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            server.inject(.unavailable(retryAfter: 7))
            let unavailable = try client.get(path)
            #expect(unavailable.status == 503)
            #expect(unavailable.headers["retry-after"] == "7")
            server.inject(.rateLimited(retryAfter: 3))
            let limited = try client.get(path)
            #expect(limited.status == 429)
            #expect(limited.headers["retry-after"] == "3")
            #expect(limited.headers["content-type"] == "application/vnd.api+json")
            #expect(limited.json["errors"][0]["status"].string == "429")
        }
    }

    @Test func delayAnswersNormallyAfterThePause() throws {
        try withSandbox { server, url throws in
            server.inject(.delay(seconds: 0.3))
            let start = Date()
            let reply = try RawClient(url).get(path)
            #expect(reply.status == 200)
            #expect(Date().timeIntervalSince(start) >= 0.3)
        }
    }

    @Test func delayedWriteStillLandsAfterTheClientGaveUp() throws {
        try withSandbox { server, url throws in
            let completion = server.data.completions[0]
            server.inject(.delay(seconds: 0.4), method: "put")
            let client = try RawClient(url, timeout: 0.1)
            let body = jsonData(["data": ["id": completion.id, "type": "training-standard-completions", "attributes": [
                "completed_at": completion.completedAt, "expires_at": NSNull(), "certificate_number": NSNull(),
                "training_provider_name": "Late Provider",
            ]]])
            #expect(throws: TestFailure.self) {
                try client.request("PUT", "/v3/training-standard-completions/\(completion.id)",
                                   headers: [("Content-Type", "application/vnd.api+json")], body: body)
            }
            #expect(server.completion(id: completion.id)?.providerName == completion.providerName)
            let deadline = Date().addingTimeInterval(5)
            while server.completion(id: completion.id)?.providerName != "Late Provider", Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(server.completion(id: completion.id)?.providerName == "Late Provider")
        }
    }

    @Test func dropClosesWithoutAnAnswer() throws {
        try withSandbox { server, url throws in
            server.inject(.drop)
            #expect(throws: TestFailure.self) { try RawClient(url).get(path) }
            #expect(try RawClient(url).get(path).status == 200)
        }
    }

    @Test func faultsMatchMethodAndPathPrefixAndCount() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            server.inject(.serverError, method: "GET", path: "/v3/training-standard-completions", count: 2)
            #expect(try client.get(path).status == 200)
            #expect(try client.get("/v3/whoami").status == 200)
            #expect(try client.get("/v3/training-standard-completions?limit=1").status == 500)
            #expect(try client.get("/v3/training-standard-completions/x").status == 500)
            #expect(try client.get("/v3/training-standard-completions?limit=1").status == 200)
            server.inject(.serverError, method: "PUT")
            #expect(try client.get(path).status == 200)
            #expect(try client.put("x", attributes: [:]).status == 500)
            server.inject(.badGateway)
            #expect(try client.get("/self-service/login/api", token: nil).status == 502)
            server.inject(.serverError, count: 0)
            #expect(try client.get(path).status == 200)
        }
    }

    @Test func controlRouteInjectsEachKind() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            func inject(_ body: [String: Any]) throws {
                #expect(try client.request("POST", "/_sandbox/faults", token: nil, body: jsonData(body)).status == 204)
            }
            for (kind, status) in [("500", 500), ("502", 502), ("504", 504)] {
                try inject(["kind": kind])
                #expect(try client.get(path).status == status)
            }
            try inject(["kind": "503", "retry_after": 2])
            #expect(try client.get(path).headers["retry-after"] == "2")
            try inject(["kind": "429", "method": "GET", "path": "/v3/", "count": 2])
            #expect(try client.get(path).status == 429)
            #expect(try client.get(path).status == 429)
            #expect(try client.get(path).status == 200)
            try inject(["kind": "delay", "seconds": 0.2])
            let start = Date()
            #expect(try client.get(path).status == 200)
            #expect(Date().timeIntervalSince(start) >= 0.2)
            try inject(["kind": "drop"])
            #expect(throws: TestFailure.self) { try client.get(path) }
            let fresh = try RawClient(url)
            for bad in [["kind": "418"], ["kind": "500", "count": 0], ["kind": "500", "path": "v3"],
                        ["kind": "delay", "seconds": "long"], ["kind": "503", "retry_after": -1]] as [[String: Any]] {
                #expect(try fresh.request("POST", "/_sandbox/faults", token: nil, body: jsonData(bad)).status == 400)
            }
            #expect(try fresh.request("POST", "/_sandbox/faults", token: nil, body: Data("x".utf8)).status == 400)
            #expect(try fresh.get(path).status == 200)
        }
    }

    @Test func controlRoutesAreNeverFaulted() throws {
        try withSandbox { server, url throws in
            server.inject(.serverError, count: 5)
            let client = try RawClient(url)
            #expect(try client.get("/_sandbox/requests", token: nil).status == 200)
            #expect(try client.request("POST", "/_sandbox/expire-sessions", token: nil).status == 204)
        }
    }

    @Test func requestLogRecordsWhatWasSent() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            #expect(try client.get("/v3/training-standards?limit=2&offset=1").status == 200)
            let body = jsonData(["session_token": "nope"])
            _ = try client.request("DELETE", "/self-service/logout/api", token: nil,
                                   headers: [("X-Custom", "a"), ("x-custom", "b")], body: body)
            _ = try client.get("/_sandbox/requests", token: nil)
            let logged = server.requests()
            #expect(logged.count == 2)
            #expect(logged[0].method == "GET")
            #expect(logged[0].path == "/v3/training-standards")
            #expect(logged[0].query == "limit=2&offset=1")
            #expect(logged[0].headers["x-session-token"] == SandboxServer.admin.token)
            #expect(logged[0].headers["host"] == "127.0.0.1")
            #expect(logged[1].headers["x-custom"] == "a, b")
            #expect(logged[1].body == body)

            let remote = try client.get("/_sandbox/requests", token: nil).json["requests"].array
            #expect(remote.count == 2)
            #expect(remote[0]["method"].string == "GET")
            #expect(remote[0]["path"].string == "/v3/training-standards")
            #expect(remote[0]["query"].string == "limit=2&offset=1")
            #expect(remote[1]["query"].isNull)
            #expect(remote[1]["headers"]["content-length"].string == String(body.count))

            #expect(try client.request("DELETE", "/_sandbox/requests", token: nil).status == 204)
            #expect(server.requests().isEmpty)
            _ = try client.get("/v3/whoami")
            server.clearRequests()
            #expect(server.requests().isEmpty)
        }
    }
}
