import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CtrlHubSandbox

/// The sandbox through Foundation's own HTTP client, as CtrlHubKit will use it.
@Suite struct URLSessionTests {
    private func send(_ request: URLRequest, timeout: Double = 5) async throws -> (Data, HTTPURLResponse) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = request
        request.timeoutInterval = timeout
        let (data, response) = try await session.data(for: request)
        return (data, response as! HTTPURLResponse)
    }

    @Test func loginThenReadThenWrite() async throws {
        try await withSandbox { server, url async throws in
            let (flowData, _) = try await send(URLRequest(url: url.appendingPathComponent("self-service/login/api")))
            let action = try #require(JSON(flowData)["ui"]["action"].string)
            var login = URLRequest(url: URL(string: action)!)
            login.httpMethod = "POST"
            login.setValue("application/json", forHTTPHeaderField: "Content-Type")
            login.httpBody = jsonData(["identifier": SandboxServer.admin.email, "password": "demo-admin",
                                       "method": "password"])
            let (loginData, loginResponse) = try await send(login)
            #expect(loginResponse.statusCode == 200)
            let token = try #require(JSON(loginData)["session_token"].string)

            let person = server.data.busiestPerson
            var list = URLRequest(url: URL(string:
                "\(url.absoluteString)/v3/training-standard-completions?filter=eq(user,\(person.id))&include=training_standard,user")!)
            list.setValue(token, forHTTPHeaderField: "X-Session-Token")
            let (listData, listResponse) = try await send(list)
            #expect(listResponse.statusCode == 200)
            #expect(listResponse.value(forHTTPHeaderField: "X-Trace-Id")?.count == 32)
            let first = JSON(listData)["data"][0]
            let id = try #require(first["id"].string)

            var put = URLRequest(url: url.appendingPathComponent("v3/training-standard-completions/\(id)"))
            put.httpMethod = "PUT"
            put.setValue(token, forHTTPHeaderField: "X-Session-Token")
            put.setValue("application/vnd.api+json", forHTTPHeaderField: "Content-Type")
            put.httpBody = jsonData(["data": ["id": id, "type": "training-standard-completions", "attributes": [
                "completed_at": first["attributes"]["completed_at"].string!,
                "expires_at": first["attributes"]["expires_at"].value!,
                "certificate_number": "NEW-1",
                "training_provider_name": first["attributes"]["training_provider_name"].string!,
            ]]])
            let (_, putResponse) = try await send(put)
            #expect(putResponse.statusCode == 200)
            let stored = try #require(server.completion(id: id))
            #expect(stored.certificateNumber == "NEW-1")
            #expect(stored.completedAt == first["attributes"]["completed_at"].string)
        }
    }

    @Test func clientTimeoutFiresOnADelay() async throws {
        try await withSandbox { server, url async throws in
            server.inject(.delay(seconds: 3))
            var request = URLRequest(url: url.appendingPathComponent("v3/whoami"))
            request.setValue(SandboxServer.admin.token, forHTTPHeaderField: "X-Session-Token")
            // Whole seconds: FoundationNetworking on Linux times out at once when given less than 1 s.
            let error = await #expect(throws: URLError.self) { try await send(request, timeout: 1) }
            #expect(error?.code == .timedOut)
        }
    }
}
