import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct CompletionWriteTests {
    private let valid: [String: Any] = [
        "completed_at": "2024-03-01T09:30:00.120+01:00",
        "expires_at": "2027-03-01T09:30:00.000000000Z",
        "certificate_number": "SMSTS-2024-001234",
        "training_provider_name": "Highways & Utilities Skills Academy (Midlands) – Approved Centre",
    ]

    private func merged(_ changes: [String: Any]) -> [String: Any] {
        valid.merging(changes) { _, new in new }
    }

    @Test func putStoresExactStringsAndAnswersTheFullDocument() throws {
        try withSandbox { server, url throws in
            let before = server.data.completions[0]
            let reply = try RawClient(url).put(before.id, attributes: valid)
            #expect(reply.status == 200)
            let data = reply.json["data"]
            #expect(data["id"].string == before.id)
            #expect(data["attributes"]["completed_at"].string == "2024-03-01T09:30:00.120+01:00")
            #expect(data["attributes"]["expires_at"].string == "2027-03-01T09:30:00.000000000Z")
            #expect(data["relationships"]["user"]["data"]["id"].string == before.userID)
            #expect(data["relationships"]["training_standard"]["data"]["id"].string == before.standardID)
            #expect(reply.json["jsonapi"]["version"].string == "1.0")
            let included = reply.json["included"].array
            #expect(included.contains { $0["type"].string == "users" && $0["id"].string == before.userID })
            #expect(included.contains { $0["type"].string == "training-standards" && $0["id"].string == before.standardID })

            let stored = try #require(server.completion(id: before.id))
            #expect(stored.completedAt == "2024-03-01T09:30:00.120+01:00")
            #expect(stored.expiresAt == "2027-03-01T09:30:00.000000000Z")
            #expect(stored.certificateNumber == "SMSTS-2024-001234")
            #expect(stored.providerName == valid["training_provider_name"] as? String)
            #expect(stored.createdAt == before.createdAt)
            #expect(stored.updatedAt != before.updatedAt)
            #expect(RFC3339.parse(stored.updatedAt)! > RFC3339.parse(before.updatedAt)!)
        }
    }

    @Test func putAcceptsNullsAndCharset() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[1].id
            let reply = try RawClient(url).put(id, attributes: merged(["expires_at": NSNull(), "certificate_number": NSNull()]),
                                               contentType: "application/vnd.api+json; charset=utf-8")
            #expect(reply.status == 200)
            #expect(reply.json["data"]["attributes"]["expires_at"].isNull)
            #expect(server.completion(id: id)?.expiresAt == nil)
            #expect(server.completion(id: id)?.certificateNumber == nil)
        }
    }

    /// One broken rule: `changes` are laid over the valid attributes, and `omit` leaves the field out.
    struct Case: Sendable, CustomTestStringConvertible {
        let field: String
        let rule: String
        var omit = false
        var changes: @Sendable () -> [String: Any] = { [:] }
        var testDescription: String { "\(field) \(rule)" }
    }

    static let cases: [Case] = [
        Case(field: "completed_at", rule: "required", omit: true),
        Case(field: "completed_at", rule: "required") { ["completed_at": NSNull()] },
        Case(field: "completed_at", rule: "type") { ["completed_at": 20240301] },
        Case(field: "completed_at", rule: "rfc3339") { ["completed_at": "2024-03-01"] },
        Case(field: "completed_at", rule: "rfc3339") { ["completed_at": "2024-03-01 09:30:00Z"] },
        Case(field: "completed_at", rule: "rfc3339") { ["completed_at": "2024-02-30T09:30:00Z"] },
        Case(field: "completed_at", rule: "rfc3339") { ["completed_at": "2024-03-01T09:30:00.1234567890Z"] },
        Case(field: "completed_at", rule: "rfc3339") { ["completed_at": "2024-03-01T09:30:00+0100"] },
        Case(field: "completed_at", rule: "not_future") {
            ["completed_at": RFC3339.format(Date().addingTimeInterval(3600), digits: 0), "expires_at": NSNull()]
        },
        Case(field: "expires_at", rule: "required", omit: true),
        Case(field: "expires_at", rule: "type") { ["expires_at": true] },
        Case(field: "expires_at", rule: "rfc3339") { ["expires_at": "next year"] },
        Case(field: "expires_at", rule: "after_completed_at") { ["expires_at": "2024-03-01T08:30:00.12Z"] },
        Case(field: "expires_at", rule: "after_completed_at") { ["expires_at": "2024-03-01T08:30:00.120Z"] },
        Case(field: "certificate_number", rule: "required", omit: true),
        Case(field: "certificate_number", rule: "type") { ["certificate_number": 1234] },
        Case(field: "certificate_number", rule: "max_length") { ["certificate_number": String(repeating: "9", count: 256)] },
        Case(field: "training_provider_name", rule: "required", omit: true),
        Case(field: "training_provider_name", rule: "required") { ["training_provider_name": NSNull()] },
        Case(field: "training_provider_name", rule: "type") { ["training_provider_name": ["name": "x"]] },
        Case(field: "training_provider_name", rule: "not_blank") { ["training_provider_name": "  "] },
        Case(field: "training_provider_name", rule: "max_length") {
            ["training_provider_name": String(repeating: "é", count: 256)]
        },
    ]

    @Test(arguments: cases)
    func eachRuleIsReportedOnItsField(_ rule: Case) throws {
        try withSandbox { server, url throws in
            let before = server.data.completions[2]
            var attributes = valid.merging(rule.changes()) { _, new in new }
            if rule.omit { attributes.removeValue(forKey: rule.field) }
            let reply = try RawClient(url).put(before.id, attributes: attributes)
            #expect(reply.status == 400)
            let errors = reply.json["errors"].array
            #expect(errors.count == 1)
            let error = try #require(errors.first)
            #expect(error["status"].string == "400")
            #expect(error["title"].string == "Invalid attribute")
            #expect(error["meta"]["field"].string == rule.field)
            #expect(error["meta"]["type"].string == rule.rule)
            #expect(error["source"]["pointer"].string == "/data/attributes/\(rule.field)")
            let detail = try #require(error["detail"].string)
            #expect(detail.first?.isUppercase == true && detail.hasSuffix("."))
            let names = ["completed_at": "completion date", "expires_at": "expiry date",
                         "certificate_number": "certificate number", "training_provider_name": "training provider"]
            #expect(detail.lowercased().contains(names[rule.field]!), "\(detail)")
            #expect(error["meta"]["value"].exists == (attributes[rule.field] != nil))
            #expect(server.completion(id: before.id) == before)
        }
    }

    @Test func severalProblemsAreReportedTogether() throws {
        try withSandbox { server, url throws in
            let reply = try RawClient(url).put(server.data.completions[0].id, attributes: [
                "completed_at": "yesterday", "expires_at": 5, "training_provider_name": "",
            ])
            #expect(reply.status == 400)
            let fields = reply.json["errors"].array.compactMap { $0["meta"]["field"].string }
            #expect(Set(fields) == ["completed_at", "expires_at", "certificate_number", "training_provider_name"])
            #expect(reply.json["errors"][0]["meta"]["value"].string == "yesterday")
        }
    }

    @Test func lengthLimitsCountCharactersNotBytes() throws {
        try withSandbox { server, url throws in
            let attributes = merged(["certificate_number": String(repeating: "é", count: 255),
                                     "training_provider_name": String(repeating: "佐", count: 255)])
            let reply = try RawClient(url).put(server.data.completions[0].id, attributes: attributes)
            #expect(reply.status == 200)
        }
    }

    @Test func wrongMediaTypeIs415() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[0].id
            for type in ["application/json", "text/plain", "application/vnd.api+json; ext=bulk"] {
                let reply = try RawClient(url).put(id, attributes: valid, contentType: type)
                #expect(reply.status == 415)
                #expect(reply.json["errors"][0]["status"].string == "415")
            }
        }
    }

    @Test func mismatchedIdOrTypeIs409() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[0].id
            let client = try RawClient(url)
            let wrongID = try client.put(id, attributes: valid, documentID: server.data.completions[1].id)
            #expect(wrongID.status == 409)
            #expect(wrongID.json["errors"][0]["title"].string == "Conflict")
            #expect(try client.put(id, attributes: valid, type: "training-standards").status == 409)
            #expect(server.completion(id: id) == server.data.completions[0])
        }
    }

    @Test func malformedDocumentsAre400() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[0].id
            let client = try RawClient(url)
            for body in [Data("{".utf8), Data("[]".utf8), jsonData(["data": "x"]), jsonData(["attributes": valid]),
                         jsonData(["data": ["id": id, "type": "training-standard-completions"]]),
                         Data([0xC3, 0x28, 0xA0, 0xA1])] {
                let reply = try client.request("PUT", "/v3/training-standard-completions/\(id)",
                                               headers: [("Content-Type", "application/vnd.api+json")], body: body)
                #expect(reply.status == 400)
                #expect(reply.json["errors"][0]["status"].string == "400")
            }
        }
    }

    @Test func viewerIsForbidden() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[0].id
            let reply = try RawClient(url).put(id, attributes: valid, token: SandboxServer.viewer.token)
            #expect(reply.status == 403)
            #expect(reply.json["errors"][0]["title"].string == "Forbidden")
            #expect(reply.json["errors"][0]["detail"].string == "Your role does not allow changing training records.")
        }
    }

    @Test func unknownCompletionIs404() throws {
        try withSandbox { _, url throws in
            let reply = try RawClient(url).put(UUID().uuidString.lowercased(), attributes: valid)
            #expect(reply.status == 404)
        }
    }

    @Test func changeCompletionActsLikeAnotherClient() throws {
        try withSandbox { server, url throws in
            let before = server.data.completions[3]
            try server.changeCompletion(id: before.id, ["certificate_number": nil, "training_provider_name": "St John Ambulance"])
            let reply = try RawClient(url).get("/v3/training-standard-completions/\(before.id)")
            #expect(reply.json["data"]["attributes"]["certificate_number"].isNull)
            #expect(reply.json["data"]["attributes"]["training_provider_name"].string == "St John Ambulance")
            #expect(reply.json["data"]["attributes"]["completed_at"].string == before.completedAt)
            #expect(server.completion(id: before.id)?.updatedAt != before.updatedAt)
            #expect(throws: SandboxError.self) { try server.changeCompletion(id: "nope", ["expires_at": nil]) }
            #expect(throws: SandboxError.self) { try server.changeCompletion(id: before.id, ["colour": "red"]) }
            let error = #expect(throws: SandboxError.self) {
                try server.changeCompletion(id: before.id, ["expires_at": "1999-01-01T00:00:00Z"])
            }
            #expect(error?.description.contains("after the completion date") == true)
        }
    }

    @Test func patchControlRouteChangesBehindTheClientsBack() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let id = server.data.completions[4].id
            let reply = try client.request("PATCH", "/_sandbox/completions/\(id)", token: nil,
                                           body: jsonData(["expires_at": NSNull(), "certificate_number": "X-1"]))
            #expect(reply.status == 200)
            #expect(reply.json["data"]["attributes"]["certificate_number"].string == "X-1")
            #expect(server.completion(id: id)?.expiresAt == nil)
            let invalid = try client.request("PATCH", "/_sandbox/completions/\(id)", token: nil,
                                             body: jsonData(["training_provider_name": ""]))
            #expect(invalid.status == 400)
            #expect(invalid.json["errors"][0]["meta"]["type"].string == "not_blank")
            let unknown = try client.request("PATCH", "/_sandbox/completions/\(id)", token: nil,
                                             body: jsonData(["colour": "red"]))
            #expect(unknown.status == 400)
            let missing = try client.request("PATCH", "/_sandbox/completions/\(UUID())", token: nil, body: jsonData([:]))
            #expect(missing.status == 404)
            #expect(server.requests().isEmpty)
        }
    }
}
