import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct CompletionReadTests {
    private let list = "/v3/training-standard-completions"

    @Test func busiestPersonPagesInHundredsWithCounts() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let person = server.data.busiestPerson
            let expected = server.data.completions.filter { $0.userID == person.id }.count
            #expect(expected > 250)
            var ids: [String] = []
            var offset: Int? = 0
            while let current = offset {
                let reply = try client.get("\(list)?filter=eq(user,\(person.id))&limit=500&offset=\(current)")
                #expect(reply.status == 200)
                let pagination = reply.json["meta"]["pagination"]
                #expect(pagination["requested"]["limit"].int == 100)
                #expect(pagination["requested"]["offset"].int == current)
                #expect(pagination["current_page"].int == current / 100 + 1)
                #expect(pagination["counts"]["resources"].int == expected)
                #expect(pagination["counts"]["pages"].int == (expected + 99) / 100)
                #expect(pagination["offsets"]["previous"].int == (current == 0 ? nil : current - 100))
                let data = reply.json["data"].array
                #expect(data.allSatisfy { $0["relationships"]["user"]["data"]["id"].string == person.id })
                ids += data.compactMap { $0["id"].string }
                offset = pagination["offsets"]["next"].int
                #expect(offset != nil || pagination["offsets"]["next"].isNull)
            }
            #expect(ids.count == expected)
            #expect(Set(ids).count == expected)
        }
    }

    @Test func defaultPageIsTwentyNewestFirst() throws {
        try withSandbox { server, url throws in
            let reply = try RawClient(url).get(list)
            let data = reply.json["data"].array
            #expect(data.count == 20)
            #expect(reply.json["meta"]["pagination"]["counts"]["resources"].int == server.data.completions.count)
            let stamps = data.compactMap { RFC3339.parse($0["attributes"]["completed_at"].string ?? "") }
            #expect(stamps.count == 20)
            #expect(stamps == stamps.sorted(by: >))
            let params = reply.json["meta"]["features"]["params"]
            #expect(params["sort"].array.compactMap(\.string).contains("-expires_at"))
            #expect(Set(params["include"].array.compactMap(\.string)) == ["training_standard", "user"])
            #expect(!params["filter"].array.isEmpty)
        }
    }

    @Test func resourcesHaveTheDocumentedShapeAndExtras() throws {
        try withSandbox { server, url throws in
            let id = server.data.completions[0].id
            let reply = try RawClient(url).get("\(list)/\(id)")
            #expect(reply.status == 200)
            let data = reply.json["data"]
            #expect(data["type"].string == "training-standard-completions")
            let attributes = data["attributes"]
            #expect(attributes.keys.isSuperset(of: ["completed_at", "expires_at", "certificate_number",
                                                     "training_provider_name", "created_at", "updated_at",
                                                     "evidence_count"]))
            #expect(data["relationships"]["user"]["data"]["type"].string == "users")
            #expect(data["relationships"]["training_standard"]["data"]["type"].string == "training-standards")
            #expect(data["relationships"]["organisation"]["data"]["id"].string == server.data.organisation.id)
            #expect(reply.json["jsonapi"]["version"].string == "1.0")
            #expect(try RawClient(url).get("\(list)/\(UUID().uuidString.lowercased())").status == 404)
        }
    }

    @Test func includePutsEachUserAndStandardInIncludedOnce() throws {
        try withSandbox { server, url throws in
            let person = server.data.busiestPerson
            let reply = try RawClient(url).get("\(list)?filter=eq(user,\(person.id))&include=training_standard,user&limit=100")
            let data = reply.json["data"].array
            let included = reply.json["included"].array
            let keys = included.map { "\($0["type"].string ?? "")/\($0["id"].string ?? "")" }
            #expect(Set(keys).count == keys.count)
            #expect(included.filter { $0["type"].string == "users" }.count == 1)
            let standards = Set(data.compactMap { $0["relationships"]["training_standard"]["data"]["id"].string })
            #expect(Set(included.filter { $0["type"].string == "training-standards" }.compactMap { $0["id"].string })
                == standards)
            // An unknown resource type rides along, as a newer server might send.
            #expect(included.contains { $0["type"].string == "files" })

            let plain = try RawClient(url).get("\(list)?filter=eq(user,\(person.id))&limit=100")
            #expect(!plain.json["included"].array.contains { $0["type"].string == "users" })
        }
    }

    @Test func filtersCombine() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let person = server.data.busiestPerson
            let standard = server.data.standards[0]
            let both = server.data.completions.filter { $0.userID == person.id && $0.standardID == standard.id }
            let reply = try client.get("\(list)?filter=and(eq(user,\(person.id)),eq(training_standard,\(standard.id)))")
            #expect(reply.json["meta"]["pagination"]["counts"]["resources"].int == both.count)
            let byStandard = server.data.completions.filter { $0.standardID == standard.id }.count
            let reply2 = try client.get("\(list)?filter=\(percentEncoded("eq(training_standard,\(standard.id))"))")
            #expect(reply2.json["meta"]["pagination"]["counts"]["resources"].int == byStandard)
            let none = try client.get("\(list)?filter=eq(user,\(UUID().uuidString.lowercased()))")
            #expect(none.status == 200)
            #expect(none.json["data"].array.isEmpty)
            #expect(none.json["meta"]["pagination"]["counts"]["pages"].int == 0)
        }
    }

    @Test(arguments: ["filter=ne(user,x)", "filter=eq(email,x)", "filter=eq(user,x", "filter=eq(user)",
                      "filter=or(eq(user,x),eq(user,y))", "filter=user", "filter[user]=x",
                      "include=organisation", "include=user.organisations", "sort=title", "sort=-updated_at",
                      "limit=-1", "limit=ten", "offset=-5"])
    func badParametersAreRefused(_ query: String) throws {
        try withSandbox { _, url throws in
            let reply = try RawClient(url).get("\(list)?\(query)")
            #expect(reply.status == 400)
            let error = reply.json["errors"][0]
            #expect(error["status"].string == "400")
            let name = String(query.prefix { $0 != "=" })
            #expect(error["source"]["parameter"].string == name)
        }
    }

    @Test func sortsByInstantWithNullsLast() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let person = server.data.busiestPerson
            for sort in ["completed_at", "-completed_at", "expires_at", "-expires_at"] {
                var values: [String?] = []
                var ids: [String] = []
                for offset in stride(from: 0, to: 300, by: 100) {
                    let reply = try client.get("\(list)?filter=eq(user,\(person.id))&sort=\(sort)&limit=100&offset=\(offset)")
                    let field = String(sort.drop { $0 == "-" })
                    values += reply.json["data"].array.map { $0["attributes"][field].string }
                    ids += reply.json["data"].array.compactMap { $0["id"].string }
                }
                #expect(Set(ids).count == ids.count)
                let present = values.compactMap { $0.flatMap(RFC3339.parse) }
                #expect(present == (sort.hasPrefix("-") ? present.sorted(by: >) : present.sorted()))
                if sort.hasSuffix("expires_at") {
                    let firstNull = try #require(values.firstIndex { $0 == nil })
                    #expect(values[firstNull...].allSatisfy { $0 == nil })
                }
            }
        }
    }
}
