import Foundation
import Glibc
import Testing
@testable import CtrlHubSandbox

@Suite struct HTTPTests {
    /// Sends raw bytes on a fresh connection and reads the one answer, which must close.
    private func refusal(_ url: URL, _ bytes: Data) throws -> Reply {
        let client = try RawClient(url)
        client.write(bytes)
        let reply = try client.readReply()
        #expect(reply.headers["connection"] == "close")
        #expect(reply.headers["x-trace-id"]?.count == 32)
        #expect(client.isClosedByServer())
        return reply
    }

    private func stillServes(_ url: URL) throws {
        #expect(try RawClient(url).get("/v3/whoami").status == 200)
    }

    @Test func startReportsTheBoundPortAndStopFreesIt() throws {
        let server = SandboxServer()
        let url = try server.start()
        #expect(url.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(!url.absoluteString.hasSuffix("/"))
        #expect(server.url == url)
        #expect(throws: (any Error).self) { try SandboxServer().start(port: UInt16(url.port!)) }
        let error = #expect(throws: (any Error).self) { try SandboxServer().start(host: "192.0.2.1") }
        #expect(error.map { "\($0)".contains("Cannot bind") } == true)
        let idle = try RawClient(url)
        server.stop()
        #expect(idle.isClosedByServer())
        #expect(throws: TestFailure.self) { try RawClient(url) }
        server.stop()
    }

    @Test(arguments: [
        "garbage\r\n\r\n",
        "GET /v3/whoami\r\n\r\n",
        "GET v3/whoami HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET /v3/who\rami HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v3/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
    ])
    func malformedRequestsGet400AndClose(_ request: String) throws {
        try withSandbox { _, url throws in
            let reply = try refusal(url, Data(request.utf8))
            #expect(reply.status == 400)
            try stillServes(url)
        }
    }

    @Test func nonUTF8AndBinaryGarbageGet400() throws {
        try withSandbox { _, url throws in
            #expect(try refusal(url, Data([0xFF, 0xFE, 0x80, 0x0D, 0x0A, 0x0D, 0x0A])).status == 400)
            var target = Data("GET /v3/\u{FF}".utf8)
            target += Data([0xC3, 0x28]) + Data(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            #expect(try refusal(url, target).status == 400)
            let noise = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            #expect(try refusal(url, noise + Data("\r\n\r\n".utf8)).status == 400)
            try stillServes(url)
        }
    }

    @Test func aTLSHandshakeIsRefusedWithoutWaitingForALineEnd() throws {
        try withSandbox { _, url throws in
            // The start of a TLS ClientHello: no line end will ever come.
            let reply = try refusal(url, Data([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]))
            #expect(reply.status == 400)
            try stillServes(url)
        }
    }

    @Test func otherVersionsAndChunkedBodiesAreRefused() throws {
        try withSandbox { _, url throws in
            #expect(try refusal(url, Data("GET / HTTP/2.0\r\nHost: x\r\n\r\n".utf8)).status == 505)
            let chunked = "PUT /v3/training-standard-completions/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            #expect(try refusal(url, Data(chunked.utf8)).status == 411)
            try stillServes(url)
        }
    }

    @Test func hugeHeadersGet431() throws {
        try withSandbox { _, url throws in
            let big = "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n"
            #expect(try refusal(url, Data(big.utf8)).status == 431)
            let endless = "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 70_000))"
            #expect(try refusal(url, Data(endless.utf8)).status == 431)
            try stillServes(url)
        }
    }

    @Test func oversizedBodyGets413WithoutReadingIt() throws {
        try withSandbox { _, url throws in
            let head = "PUT /v3/training-standard-completions/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
            let client = try RawClient(url)
            client.write(Data(head.utf8) + Data(repeating: 0x41, count: 300_000))
            let reply = try client.readReply()
            #expect(reply.status == 413)
            #expect(reply.headers["connection"] == "close")
            try stillServes(url)
        }
    }

    @Test func bodyOfExactlyOneMebibyteIsRead() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let body = Data(repeating: 0x20, count: HTTPLimits.body)
            let reply = try client.request("DELETE", "/self-service/logout/api", token: nil, body: body)
            #expect(reply.status == 400)
            #expect(try client.get("/v3/whoami").status == 200)
        }
    }

    @Test func deeplyNestedJSONIsJustInvalid() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let id = server.data.completions[0].id
            let body = Data(repeating: UInt8(ascii: "["), count: 500_000)
            let reply = try client.request("PUT", "/v3/training-standard-completions/\(id)",
                                           headers: [("Content-Type", "application/vnd.api+json")], body: body)
            #expect(reply.status == 400)
            try stillServes(url)
        }
    }

    @Test func truncatedRequestsThenCloseLeaveTheServerWell() throws {
        try withSandbox { _, url throws in
            for partial in ["GET /v3/who", "GET /v3/whoami HTTP/1.1\r\nHost: x\r\n",
                            "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"data\":"] {
                let client = try RawClient(url)
                client.write(partial)
                shutdown(client.fd, Int32(SHUT_WR))
                #expect(client.isClosedByServer())
            }
            try stillServes(url)
        }
    }

    @Test func idleConnectionsAreClosedAfterTheTimeout() throws {
        try withSandbox(idleTimeout: 0.3) { _, url throws in
            let client = try RawClient(url)
            #expect(try client.get("/v3/whoami").status == 200)
            let start = Date()
            #expect(client.isClosedByServer())
            #expect(Date().timeIntervalSince(start) < 3)
        }
    }

    @Test func keepAliveRulesFollowTheVersionAndConnectionHeader() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            for _ in 0..<3 {
                let reply = try client.get("/v3/whoami")
                #expect(reply.status == 200)
                #expect(reply.headers["connection"] == nil)
            }
            let last = try client.request("GET", "/v3/whoami", headers: [("Connection", "close")])
            #expect(last.headers["connection"] == "close")
            #expect(client.isClosedByServer())

            let old = try RawClient(url)
            old.write("GET /v3/whoami HTTP/1.0\r\nX-Session-Token: \(SandboxServer.admin.token)\r\n\r\n")
            #expect(try old.readReply().headers["connection"] == "close")
            #expect(old.isClosedByServer())

            let oldKept = try RawClient(url)
            for _ in 0..<2 {
                oldKept.write("GET /v3/whoami HTTP/1.0\r\nConnection: keep-alive\r\nX-Session-Token: \(SandboxServer.admin.token)\r\n\r\n")
                #expect(try oldKept.readReply().headers["connection"] == "keep-alive")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let one = "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nX-Session-Token: \(SandboxServer.admin.token)\r\n\r\n"
            let two = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
            client.write(one + "\r\n" + two + one)
            #expect(try client.readReply().status == 200)
            #expect(try client.readReply().status == 404)
            #expect(try client.readReply().status == 200)
        }
    }

    @Test func expectContinueIsHonoured() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let body = #"{"session_token": "nope"}"#
            client.write("DELETE /self-service/logout/api HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)
            client.write(body)
            #expect(try client.readReply().status == 401)
        }
    }

    @Test func unknownPathsAndMethods() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let missing = try client.get("/v3/nothing-here")
            #expect(missing.status == 404)
            #expect(missing.headers["content-type"] == "application/vnd.api+json")
            #expect(missing.json["errors"][0]["status"].string == "404")
            #expect(try client.get("/v3/training-standards/").status == 404)
            let wrong = try client.request("DELETE", "/v3/training-standards")
            #expect(wrong.status == 405)
            #expect(wrong.headers["allow"] == "GET")
            let completion = try client.request("POST", "/v3/training-standard-completions/x")
            #expect(completion.headers["allow"] == "GET, PUT")
        }
    }

    @Test func connectionsPastTheLimitGet503() throws {
        try withSandbox(idleTimeout: 30) { _, url throws in
            let held = try (0..<HTTPServer.maxConnections).map { _ in try RawClient(url) }
            #expect(try held[0].get("/v3/whoami").status == 200)
            let extra = try RawClient(url)
            let reply = try extra.readReply()
            #expect(reply.status == 503)
            #expect(reply.headers["retry-after"] == "1")
            #expect(try held[1].get("/v3/whoami").status == 200)
        }
    }
}
