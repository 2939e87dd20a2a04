import Foundation

/// JSON:API resource objects, built from the stored records.
extension Store {
    static let completionType = "training-standard-completions"

    func userResource(_ person: SandboxPerson) -> JSONObject {
        let canWrite = SandboxServer.accounts.first { $0.userID == person.id }?.canWrite
        let grants: [String] = switch canWrite {
        case true?: ["iam:members:read", "training:standards:read", "training:completions:read",
                     "training:completions:write"]
        case false?: ["iam:members:read", "training:standards:read", "training:completions:read"]
        case nil: ["training:completions:read:self"]
        }
        let profile: JSONObject = [
            "personal": [
                "first_name": person.firstName, "last_name": person.lastName,
                "username": String(person.email.prefix { $0 != "@" }),
            ],
            "work": ["occupation": person.occupation],
            "settings": ["timezone": person.timezone, "preferred_language": "en-GB"],
        ]
        return [
            "type": "users", "id": person.id,
            "attributes": ["email": person.email, "identities": [Any](), "profile": profile],
            "meta": ["grants": grants],
            "relationships": ["organisations": ["data": [reference("organisations", data.organisation.id)]]],
        ]
    }

    func organisationResource() -> JSONObject {
        let organisation = data.organisation
        return [
            "type": "organisations", "id": organisation.id,
            "attributes": ["name": organisation.name, "slug": organisation.slug],
        ]
    }

    func standardResource(_ standard: SandboxStandard) -> JSONObject {
        [
            "type": "training-standards", "id": standard.id,
            "attributes": [
                "title": standard.title, "code": standard.code,
                "renewal_period_months": standard.renewalPeriodMonths ?? NSNull(),
                "provenance": standard.provenance, "standards_body": standard.standardsBody,
            ] as JSONObject,
        ]
    }

    func completionResource(_ completion: SandboxCompletion) -> JSONObject {
        [
            "type": Self.completionType, "id": completion.id,
            "attributes": [
                "completed_at": completion.completedAt,
                "expires_at": nullable(completion.expiresAt),
                "certificate_number": nullable(completion.certificateNumber),
                "training_provider_name": completion.providerName,
                "created_at": completion.createdAt,
                "updated_at": completion.updatedAt,
                "evidence_count": completion.evidenceIDs.count,
            ] as JSONObject,
            "relationships": [
                "user": ["data": reference("users", completion.userID)],
                "training_standard": ["data": reference("training-standards", completion.standardID)],
                "organisation": ["data": reference("organisations", data.organisation.id)],
                "evidence": ["data": completion.evidenceIDs.map { reference("files", $0) }],
            ],
        ]
    }

    /// The related resources for a set of completions, each once. Evidence `files` come along
    /// whether asked for or not: a resource type the client has never heard of must not break it.
    func included(for completions: [SandboxCompletion], _ include: Set<String>) -> [JSONObject] {
        var seen = Set<String>()
        var resources: [JSONObject] = []
        func add(_ key: String, _ make: () -> JSONObject?) {
            guard !seen.contains(key), let resource = make() else { return }
            seen.insert(key)
            resources.append(resource)
        }
        for completion in completions {
            if include.contains("user") {
                add("users/" + completion.userID) { data.person(completion.userID).map(userResource) }
            }
            if include.contains("training_standard") {
                add("training-standards/" + completion.standardID) {
                    data.standard(completion.standardID).map(standardResource)
                }
            }
            for (index, file) in completion.evidenceIDs.enumerated() {
                add("files/" + file) {
                    [
                        "type": "files", "id": file,
                        "attributes": ["filename": "certificate-\(index + 1).pdf", "content_type": "application/pdf"],
                    ]
                }
            }
        }
        return resources
    }

    /// The document for one completion, as GET, PUT and the sandbox's PATCH answer it.
    func completionDocument(_ completion: SandboxCompletion, _ include: Set<String>) -> HTTPResponse {
        .document(200, ["data": completionResource(completion), "included": included(for: [completion], include)])
    }

    private func reference(_ type: String, _ id: String) -> JSONObject { ["type": type, "id": id] }
}
