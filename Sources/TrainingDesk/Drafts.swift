import Foundation
import CtrlHubKit

/// An edit not yet saved: the record as it was loaded and the text of every field.
public struct Draft: Equatable, Sendable {
    public var completion: Completion
    public var person: User
    public var fields: [CompletionField: String]
    public var savedAt: Date
    /// Whose edit it is, and against which Ctrl Hub: a draft is offered to no one else.
    public var owner: String

    public init(completion: Completion, person: User, fields: [CompletionField: String], savedAt: Date, owner: String) {
        self.completion = completion
        self.person = person
        self.fields = fields
        self.savedAt = savedAt
        self.owner = owner
    }
}

/// Drafts under `$XDG_STATE_HOME/trainingdesk/drafts/`, one file per record, private and
/// written atomically like the session. A draft goes only after a save or an explicit discard.
public struct DraftStore: Sendable {
    public let directory: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        directory = stateDirectory(environment).appendingPathComponent("drafts")
    }

    func file(_ id: String) -> URL? {
        // Ids name files: only the characters an id has, never a path.
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        return directory.appendingPathComponent(id + ".json")
    }

    public func save(_ draft: Draft) throws(StoreError) {
        guard let file = file(draft.completion.id) else { throw StoreError(message: "A draft for \(draft.completion.id) cannot be named.") }
        try writePrivately(DraftStore.encode(draft).serialized(pretty: true), to: file)
    }

    /// The draft of one record, if it belongs to `owner`.
    public func load(_ id: String, owner: String) -> Draft? {
        load(id).flatMap { $0.owner == owner ? $0 : nil }
    }

    public func load(_ id: String) -> Draft? {
        guard let file = file(id), let data = FileManager.default.contents(atPath: file.path),
              (try? checkPrivate(file.path, mode: 0o600)) != nil, let json = try? JSON.parse(data) else { return nil }
        return DraftStore.decode(json)
    }

    /// Every draft of `owner`, newest first.
    public func all(owner: String) -> [Draft] {
        all().filter { $0.owner == owner }
    }

    /// Every draft, newest first.
    public func all() -> [Draft] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { load(String($0.dropLast(5))) }.sorted { $0.savedAt > $1.savedAt }
    }

    public func delete(_ id: String) {
        if let file = file(id) { unlink(file.path) }
    }

    static func encode(_ draft: Draft) -> JSON {
        let attributes = draft.completion.attributes
        var fields = JSONObject()
        for field in CompletionField.allCases { fields[field.rawValue] = JSON(draft.fields[field]) }
        return [
            "saved_at": .string(RFC3339.format(draft.savedAt, fractionalDigits: 3)),
            "owner": .string(draft.owner),
            "person": ["id": .string(draft.person.id), "email": .string(draft.person.email),
                       "first_name": JSON(draft.person.firstName), "last_name": JSON(draft.person.lastName)],
            "completion": [
                "id": .string(draft.completion.id),
                "completed_at": .string(attributes.completedAt), "expires_at": JSON(attributes.expiresAt),
                "certificate_number": JSON(attributes.certificateNumber), "training_provider_name": JSON(attributes.trainingProviderName),
                "training_standard": ["id": JSON(draft.completion.standardRef?.id), "title": JSON(draft.completion.standard?.title),
                                      "renewal_period_months": draft.completion.standard?.renewalPeriodMonths.map { .number(Double($0)) } ?? .null],
            ],
            "fields": .object(fields),
        ]
    }

    static func decode(_ json: JSON) -> Draft? {
        guard let saved = json["saved_at"]?.string.flatMap(RFC3339.parse), let person = json["person"], let record = json["completion"],
              let personID = person["id"]?.string, let id = record["id"]?.string, let completed = record["completed_at"]?.string else {
            return nil
        }
        let standardID = record["training_standard"]?["id"]?.string
        let standard = standardID.map { TrainingStandard(id: $0, title: record["training_standard"]?["title"]?.string ?? $0,
                                                         renewalPeriodMonths: record["training_standard"]?["renewal_period_months"]?.int) }
        let user = User(id: personID, email: person["email"]?.string ?? "", firstName: person["first_name"]?.string,
                        lastName: person["last_name"]?.string)
        let completion = Completion(id: id, attributes: CompletionAttributes(
            completedAt: completed, expiresAt: record["expires_at"]?.string, certificateNumber: record["certificate_number"]?.string,
            trainingProviderName: record["training_provider_name"]?.string),
            userRef: ResourceIdentifier(type: ResourceType.user, id: personID),
            standardRef: standardID.map { ResourceIdentifier(type: ResourceType.standard, id: $0) }, user: user, standard: standard)
        var fields: [CompletionField: String] = [:]
        for field in CompletionField.allCases { fields[field] = json["fields"]?[field.rawValue]?.string }
        return Draft(completion: completion, person: user, fields: fields, savedAt: saved, owner: json["owner"]?.string ?? "")
    }
}
