import Foundation
import Testing
@testable import CtrlHubKit

@Suite struct DocumentTests {
    @Test func decodesTheSeedPageResponse() throws {
        let document = try Document(data: try fixture("seed-response.json"))
        let resource = try #require(document.resource)
        let completion = Completion(resource, in: document)
        #expect(completion.id == "3c90c3cc-0d44-4b50-8888-8dd25736052a")
        #expect(completion.attributes.completedAt == "2023-11-07T05:31:56Z")
        #expect(completion.attributes.certificateNumber == "<string>")
        #expect(completion.completedAt == Date(timeIntervalSince1970: 1_699_335_116))
        // The seed's included user has type "<string>", so it resolves only by that type.
        #expect(completion.userRef == ResourceIdentifier(type: "<string>", id: "3c90c3cc-0d44-4b50-8888-8dd25736052a"))
        #expect(completion.user?.email == "jsmith@example.com")
        #expect(completion.user?.timezone == "<string>")
        #expect(completion.user?.grants == ["<string>"])
    }

    @Test func aListDocumentGivesEveryRecordWithItsPersonAndStandard() throws {
        let document = try Document(JSON.parse("""
        {"data": [
          {"type": "training-standard-completions", "id": "c1", "attributes": {"completed_at": "2024-01-02T00:00:00Z"},
           "relationships": {"user": {"data": {"type": "users", "id": "u1"}},
                             "training_standard": {"data": {"type": "training-standards", "id": "s1"}}}},
          {"type": "training-standard-completions", "id": "c2", "attributes": {"completed_at": "2024-02-03T00:00:00Z"},
           "relationships": {"user": {"data": {"type": "users", "id": "u1"}},
                             "training_standard": {"data": {"type": "training-standards", "id": "s2"}}}}],
         "included": [{"type": "users", "id": "u1", "attributes": {"email": "a@b.test"}},
                      {"type": "training-standards", "id": "s1", "attributes": {"title": "SMSTS"}}]}
        """))
        let all = Completion.all(in: document)
        #expect(all == document.resources.map { Completion($0, in: document) })
        #expect(all.map(\.id) == ["c1", "c2"])
        #expect(all.map { $0.user?.email } == ["a@b.test", "a@b.test"])
        #expect(all.map(\.standardTitle) == ["SMSTS", "s2"], "a standard missing from included shows its id")
    }

    @Test func aRelationshipMissingFromIncludedStaysUsable() throws {
        let document = try Document(JSON.parse("""
        {"data": {"type": "training-standard-completions", "id": "c1",
          "attributes": {"completed_at": "2024-01-02T00:00:00Z", "expires_at": null},
          "relationships": {"training_standard": {"data": {"type": "training-standards", "id": "s9"}},
                            "user": {"data": null}, "files": {"links": {"related": "/x"}}}}}
        """))
        let completion = Completion(try #require(document.resource), in: document)
        #expect(completion.standard == nil)
        #expect(completion.standardRef?.id == "s9")
        #expect(completion.standardTitle == "s9")
        #expect(completion.userRef == nil)
        #expect(document.resource?.relationship("files") == .unspecified)
    }

    @Test func ignoresUnknownAttributesMetaAndTypes() throws {
        let document = try Document(JSON.parse("""
        {"data": [{"type": "training-standards", "id": "s1", "attributes": {"title": "SMSTS", "renewal_period_months": 60,
                    "new_thing": {"deep": [1, 2]}}, "meta": {"whatever": true}},
                  {"type": "training-standards"}],
         "included": [{"type": "holograms", "id": "h1", "attributes": {}}],
         "meta": {"pagination": {"offsets": {"next": null}}, "surprise": 1}, "jsonapi": {"version": "1.1"}}
        """))
        #expect(document.resources.count == 1)
        let standard = TrainingStandard(document.resources[0])
        #expect(standard.title == "SMSTS")
        #expect(standard.renewalPeriodMonths == 60)
        #expect(document.included[ResourceIdentifier(type: "holograms", id: "h1")] != nil)
    }

    @Test func readsTheFieldOfAnErrorFromMetaOrPointer() throws {
        let document = try Document(JSON.parse("""
        {"errors": [{"status": "400", "detail": "bad date", "meta": {"field": "expires_at"}},
                    {"status": "422", "title": "Too long", "source": {"pointer": "/data/attributes/certificate_number"}},
                    {"status": 400, "detail": "no field"}]}
        """))
        #expect(document.errors.map(\.field) == ["expires_at", "certificate_number", nil])
        #expect(document.errors[2].status == "400")
    }

    @Test func rejectsWhatIsNotADocument() {
        #expect(throws: CtrlHubError.self) { try Document(data: Data("<html>".utf8)) }
        #expect(throws: CtrlHubError.self) { try Document(data: Data("[1]".utf8)) }
        #expect(throws: CtrlHubError.self) { try Document(data: Data(#"{"data": {"id": "x"}}"#.utf8)) }
    }

    @Test func thePutBodyMatchesTheGoldenFile() throws {
        let attributes = CompletionAttributes(completedAt: "2023-11-07T05:31:56Z", expiresAt: "2028-11-07T05:31:56.120+01:00",
                                              certificateNumber: "SMSTS/0042/\"B\"", trainingProviderName: "Acme Safety Training Ltd")
        let body = CtrlHubClient.updateBody(id: "3c90c3cc-0d44-4b50-8888-8dd25736052a", attributes)
        #expect(String(decoding: body, as: UTF8.self) == String(decoding: try fixture("put-body.golden.json"), as: UTF8.self))
    }

    @Test func thePutBodyHasTheSeedPageShape() throws {
        func paths(_ value: JSON, _ prefix: String = "") -> [String] {
            guard let object = value.object else { return [prefix] }
            return zip(object.keys, object.values).flatMap { paths($1, prefix + "/" + $0) }
        }
        let seed = try JSON.parse(try fixture("seed-request.json"))
        let ours = try JSON.parse(CtrlHubClient.updateBody(id: "x", CompletionAttributes(
            completedAt: "2023-11-07T05:31:56Z", expiresAt: nil, certificateNumber: nil, trainingProviderName: "P")))
        #expect(paths(ours) == paths(seed))
        #expect(ours["data"]?["type"]?.string == "training-standard-completions")
        #expect(ours["data"]?["attributes"]?["expires_at"] == .null)
        #expect(ours["data"]?["attributes"]?["certificate_number"] == .null)
    }
}
