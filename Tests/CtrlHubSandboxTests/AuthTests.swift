import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct AuthTests {
    private func login(_ client: RawClient, email: String, password: String) throws -> (flow: String, reply: Reply) {
        let flow = try client.get("/self-service/login/api", token: nil)
        #expect(flow.status == 200)
        let id = try #require(flow.json["id"].string)
        let body = jsonData(["identifier": email, "password": password, "method": "password"])
        let reply = try client.request("POST", "/self-service/login?flow=\(id)", token: nil,
                                       headers: [("Content-Type", "application/json")], body: body)
        return (id, reply)
    }

    @Test func loginFlowHasKratosShape() throws {
        try withSandbox { _, url throws in
            let reply = try RawClient(url).get("/self-service/login/api", token: nil)
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            let id = try #require(reply.json["id"].string)
            #expect(reply.json["type"].string == "api")
            #expect(reply.json["ui"]["action"].string == "\(url.absoluteString)/self-service/login?flow=\(id)")
            #expect(reply.json["ui"]["method"].string == "POST")
            #expect(reply.json["ui"]["nodes"].array.isEmpty)
            #expect(RFC3339.parse(reply.json["expires_at"].string ?? "") != nil)
            #expect(RFC3339.parse(reply.json["issued_at"].string ?? "") != nil)
        }
    }

    @Test func goodLoginGivesAWorkingToken() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let (_, reply) = try login(client, email: "Admin@Demo.TrainingDesk.test", password: "demo-admin")
            #expect(reply.status == 200)
            let token = try #require(reply.json["session_token"].string)
            #expect(token.hasPrefix("ory_st_") && token.count == 39)
            #expect(token.dropFirst(7).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            let session = reply.json["session"]
            #expect(session["active"].value as? Bool == true)
            #expect(session["identity"]["id"].string == SandboxServer.admin.userID)
            #expect(session["identity"]["traits"]["email"].string == SandboxServer.admin.email)
            let expires = try #require(RFC3339.parse(session["expires_at"].string ?? ""))
            let authenticated = try #require(RFC3339.parse(session["authenticated_at"].string ?? ""))
            #expect(expires.seconds - authenticated.seconds == 24 * 3600)
            #expect(session["expires_at"].string?.hasSuffix("Z") == true)
            #expect(try client.get("/v3/iam/whoami", token: token).status == 200)
        }
    }

    @Test func wrongPasswordIsAKratos400AndTheFlowStaysUsable() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let (flow, reply) = try login(client, email: SandboxServer.admin.email, password: "wrong")
            #expect(reply.status == 400)
            #expect(reply.json["id"].string == flow)
            let message = reply.json["ui"]["messages"][0]
            #expect(message["id"].int == 4_000_006)
            #expect(message["type"].string == "error")
            #expect(message["text"].string?.hasPrefix("The provided credentials are invalid") == true)
            let retry = try client.request("POST", "/self-service/login?flow=\(flow)", token: nil,
                headers: [("Content-Type", "application/json")],
                body: jsonData(["identifier": SandboxServer.viewer.email, "password": "demo-viewer",
                                "method": "password"]))
            #expect(retry.status == 200)
        }
    }

    @Test func usedOrUnknownFlowIsGone() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let (flow, first) = try login(client, email: SandboxServer.admin.email, password: "demo-admin")
            #expect(first.status == 200)
            let body = jsonData(["identifier": SandboxServer.admin.email, "password": "demo-admin", "method": "password"])
            for id in [flow, UUID().uuidString.lowercased()] {
                let again = try client.request("POST", "/self-service/login?flow=\(id)", token: nil, body: body)
                #expect(again.status == 410)
                #expect(again.json["error"]["code"].int == 410)
                #expect(again.json["error"]["status"].string == "Gone")
                #expect(again.json["error"]["message"].string?.isEmpty == false)
            }
        }
    }

    @Test func malformedLoginBodyIsAKratosError() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let flow = try #require(try client.get("/self-service/login/api", token: nil).json["id"].string)
            for body in [Data("not json".utf8), jsonData(["identifier": "x"]), Data([0xFF, 0xFE, 0x00])] {
                let reply = try client.request("POST", "/self-service/login?flow=\(flow)", token: nil, body: body)
                #expect(reply.status == 400)
                #expect(reply.json["error"]["code"].int == 400)
            }
            #expect(try client.request("POST", "/self-service/login", token: nil, body: Data("{}".utf8)).status == 400)
        }
    }

    @Test func logoutRevokesTheToken() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let token = try #require(try login(client, email: SandboxServer.admin.email, password: "demo-admin")
                .reply.json["session_token"].string)
            let body = jsonData(["session_token": token])
            #expect(try client.request("DELETE", "/self-service/logout/api", token: nil, body: body).status == 204)
            #expect(try client.get("/v3/iam/whoami", token: token).status == 401)
            let again = try client.request("DELETE", "/self-service/logout/api", token: nil, body: body)
            #expect(again.status == 401)
            #expect(again.json["error"]["status"].string == "Unauthorized")
            #expect(try client.request("DELETE", "/self-service/logout/api", token: nil, body: Data("[]".utf8)).status == 400)
        }
    }

    @Test func apiNeedsAValidToken() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            for token in [nil, "ory_st_nonsense"] {
                let reply = try client.get("/v3/training-standards", token: token)
                #expect(reply.status == 401)
                #expect(reply.headers["content-type"] == "application/vnd.api+json")
                #expect(reply.json["errors"][0]["status"].string == "401")
                #expect(reply.json["errors"][0]["title"].string == "Unauthorized")
                #expect(reply.json["errors"][0]["detail"].string?.isEmpty == false)
            }
        }
    }

    @Test func bearerTokenIsAccepted() throws {
        try withSandbox { _, url throws in
            let client = try RawClient(url)
            let reply = try client.request("GET", "/v3/whoami", token: nil,
                                           headers: [("Authorization", "Bearer \(SandboxServer.viewer.token)")])
            #expect(reply.status == 200)
            #expect(reply.json["data"]["id"].string == SandboxServer.viewer.userID)
            let wrong = try client.request("GET", "/v3/whoami", token: nil, headers: [("Authorization", "Basic abc")])
            #expect(wrong.status == 401)
        }
    }

    @Test func expiringSessionsRevokesEveryTokenButLoginStillWorks() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let token = try #require(try login(client, email: SandboxServer.viewer.email, password: "demo-viewer")
                .reply.json["session_token"].string)
            server.expireSessions()
            for old in [token, SandboxServer.admin.token, SandboxServer.viewer.token] {
                #expect(try client.get("/v3/iam/whoami", token: old).status == 401)
            }
            let fresh = try #require(try login(client, email: SandboxServer.admin.email, password: "demo-admin")
                .reply.json["session_token"].string)
            #expect(try client.get("/v3/iam/whoami", token: fresh).status == 200)
            #expect(try client.request("POST", "/_sandbox/expire-sessions", token: nil).status == 204)
            #expect(try client.get("/v3/iam/whoami", token: fresh).status == 401)
        }
    }
}
