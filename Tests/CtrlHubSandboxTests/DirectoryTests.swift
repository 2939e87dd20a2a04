import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct DirectoryTests {
    @Test func whoamiDescribesTheCallerAndOrganisation() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            for path in ["/v3/iam/whoami", "/v3/whoami"] {
                let reply = try client.get(path)
                #expect(reply.status == 200)
                #expect(reply.headers["content-type"] == "application/vnd.api+json")
                let json = reply.json
                #expect(json["jsonapi"]["version"].string == "1.0")
                let user = json["data"]
                #expect(user["type"].string == "users")
                #expect(user["id"].string == SandboxServer.admin.userID)
                #expect(user["attributes"]["email"].string == SandboxServer.admin.email)
                let profile = user["attributes"]["profile"]
                #expect(profile["personal"]["first_name"].string == "Helen")
                #expect(profile["personal"]["last_name"].string == "Marsh")
                #expect(profile["personal"]["username"].string == "admin")
                #expect(profile["work"]["occupation"].string == "Training Administrator")
                #expect(profile["settings"]["timezone"].string == "Europe/London")
                #expect(profile["settings"]["preferred_language"].string == "en-GB")
                #expect(user["meta"]["grants"].array.contains { $0.string == "training:completions:write" })
                let organisation = user["relationships"]["organisations"]["data"][0]
                #expect(organisation["type"].string == "organisations")
                #expect(organisation["id"].string == server.data.organisation.id)
                let included = json["included"][0]
                #expect(included["id"].string == server.data.organisation.id)
                #expect(included["attributes"]["name"].string == "Kestrel Utility Services Ltd")
                #expect(included["attributes"]["slug"].string == "kestrel-utility-services")
            }
            let viewer = try client.get("/v3/iam/whoami", token: SandboxServer.viewer.token).json["data"]
            #expect(!viewer["meta"]["grants"].array.contains { $0.string == "training:completions:write" })
        }
    }

    private func search(_ client: RawClient, _ organisation: String, _ text: String) throws -> [String] {
        let reply = try client.get("/v3/orgs/\(organisation)/iam/members?filter%5Bsearch%5D=\(percentEncoded(text))")
        #expect(reply.status == 200)
        return reply.json["data"].array.compactMap { $0["attributes"]["email"].string }
    }

    @Test func memberSearchIgnoresCaseAccentsAndApostrophes() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let organisation = server.data.organisation.id
            let seans = ["sean.gallagher@kestrel-utilities.test", "sean.murphy@kestrel-utilities.test"]
            // "Seán" composed, "Seán" decomposed, and plain "sean" all find both spellings.
            for text in ["sean", "SEAN", "Seán", "Sea\u{301}n"] {
                #expect(try search(client, organisation, text).sorted() == seans)
            }
            #expect(try search(client, organisation, "zoe") == ["zoe.clarke@kestrel-utilities.test"])
            #expect(try search(client, organisation, "Zoë Clarke") == ["zoe.clarke@kestrel-utilities.test"])
            for text in ["o'brien", "O’Brien", "obrien", "Ciarán O'Brien"] {
                #expect(try search(client, organisation, text) == ["ciaran.obrien@kestrel-utilities.test"])
            }
            #expect(try search(client, organisation, "d'arcy") == ["niamh.darcy@kestrel-utilities.test"])
            #expect(try search(client, organisation, "lukasz") == ["lukasz.nowak@kestrel-utilities.test"])
            #expect(try search(client, organisation, "王") == ["fang.wang@kestrel-utilities.test"])
            #expect(try search(client, organisation, "佐藤 健") == ["ken.sato@kestrel-utilities.test"])
            #expect(try search(client, organisation, "harrington-smythe").count == 1)
            #expect(try search(client, organisation, "DYLAN.PRITCHARD@") == [Catalog.busiestEmail])
            #expect(try search(client, organisation, "hostile") == [Catalog.hostileEmail], "found past the payloads in the name")
            #expect(try search(client, organisation, "wide") == [Catalog.wideEmail])
            #expect(try search(client, organisation, "nobody-like-this").isEmpty)
        }
    }

    @Test func memberSearchKeepsDecomposedNamesAsStored() throws {
        try withSandbox { server, url throws in
            let reply = try RawClient(url).get("/v3/orgs/\(server.data.organisation.id)/iam/members?filter[search]=gallagher")
            let first = try #require(reply.json["data"][0]["attributes"]["profile"]["personal"]["first_name"].string)
            #expect(Array(first.unicodeScalars) == Array("Sea\u{301}n".unicodeScalars))
        }
    }

    @Test func membersPageAtMost25WithOldStyleMeta() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let organisation = server.data.organisation.id
            let total = server.data.people.count
            #expect(total > 25)
            var emails: [String] = []
            var next: String? = "/v3/orgs/\(organisation)/iam/members?limit=100"
            var pages = 0
            while let target = next {
                let reply = try client.get(target)
                #expect(reply.status == 200)
                let page = reply.json["meta"]["page"]
                #expect(page["limit"].int == 25)
                #expect(page["offset"]["current"].int == emails.count)
                emails += reply.json["data"].array.compactMap { $0["attributes"]["email"].string }
                let link = reply.json["links"]["next"].string
                #expect(reply.json["links"]["self"].string?.hasPrefix(url.absoluteString) == true)
                if pages == 0 {
                    #expect(reply.json["data"].array.count == 25)
                    #expect(page["offset"]["next"].int == 25)
                    #expect(page["offset"]["previous"].isNull)
                    #expect(link == "\(url.absoluteString)/v3/orgs/\(organisation)/iam/members?limit=25&offset=25")
                } else {
                    #expect(page["offset"]["next"].isNull)
                    #expect(page["offset"]["previous"].int == 0)
                    #expect(link == nil)
                }
                next = link.map { String($0.dropFirst(url.absoluteString.count)) }
                pages += 1
            }
            #expect(pages == 2)
            #expect(Set(emails).count == total)
            let searched = try client.get("/v3/orgs/\(organisation)/iam/members?filter[search]=e&limit=2")
            #expect(searched.json["links"]["next"].string?.contains("filter%5Bsearch%5D=e&limit=2&offset=2") == true)
        }
    }

    @Test func memberByIdAndUnknownOrganisation() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let organisation = server.data.organisation.id
            let person = server.data.busiestPerson
            let one = try client.get("/v3/orgs/\(organisation)/iam/members/\(person.id)")
            #expect(one.status == 200)
            #expect(one.json["data"]["attributes"]["email"].string == person.email)
            #expect(try client.get("/v3/orgs/\(organisation)/iam/members/\(UUID())").status == 404)
            let unknown = try client.get("/v3/orgs/\(UUID().uuidString.lowercased())/iam/members")
            #expect(unknown.status == 404)
            #expect(unknown.json["errors"][0]["status"].string == "404")
            #expect(try client.get("/v3/orgs/\(organisation)/iam/members?limit=0").status == 400)
            let badFilter = try client.get("/v3/orgs/\(organisation)/iam/members?filter[email]=x")
            #expect(badFilter.status == 400)
            #expect(badFilter.json["errors"][0]["source"]["parameter"].string == "filter[email]")
        }
    }

    @Test func standardsListAndSingle() throws {
        try withSandbox { server, url throws in
            let client = try RawClient(url)
            let reply = try client.get("/v3/training-standards?limit=500")
            #expect(reply.status == 200)
            let data = reply.json["data"].array
            #expect(data.count == server.data.standards.count)
            #expect(reply.json["meta"]["pagination"]["requested"]["limit"].int == 100)
            #expect(reply.json["meta"]["pagination"]["counts"]["resources"].int == data.count)
            let manual = try #require(data.first { $0["attributes"]["title"].string == "Manual Handling" })
            #expect(manual["type"].string == "training-standards")
            #expect(manual["attributes"]["renewal_period_months"].isNull)
            let smsts = try #require(data.first { $0["attributes"]["code"].string == "SMSTS" })
            #expect(smsts["attributes"]["renewal_period_months"].int == 60)
            #expect(smsts["attributes"]["provenance"].string == "CITB")
            #expect(smsts["attributes"]["standards_body"].string == "CITB")
            let id = try #require(smsts["id"].string)
            let single = try client.get("/v3/training-standards/\(id)")
            #expect(single.json["data"]["attributes"]["title"].string == smsts["attributes"]["title"].string)
            #expect(try client.get("/v3/training-standards/\(UUID())").status == 404)
            let paged = try client.get("/v3/training-standards?limit=10&offset=20")
            #expect(paged.json["data"].array.count == data.count - 20)
            #expect(paged.json["meta"]["pagination"]["current_page"].int == 3)
            #expect(paged.json["meta"]["pagination"]["offsets"]["next"].isNull)
            #expect(paged.json["meta"]["pagination"]["offsets"]["previous"].int == 10)
        }
    }
}
