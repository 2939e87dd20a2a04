import Foundation

/// Resource type names, kept in one place: they are inferred, not documented (see docs/api.md).
public enum ResourceType {
    public static let completion = "training-standard-completions"
    public static let standard = "training-standards"
    public static let user = "users"
    public static let organisation = "organisations"
}

public struct TrainingStandard: Sendable, Equatable, Identifiable {
    public let id: String
    public let title: String
    public let code: String?
    public let renewalPeriodMonths: Int?
    public let provenance: String?
    public let standardsBody: String?

    public init(id: String, title: String, code: String? = nil, renewalPeriodMonths: Int? = nil,
                provenance: String? = nil, standardsBody: String? = nil) {
        self.id = id
        self.title = title
        self.code = code
        self.renewalPeriodMonths = renewalPeriodMonths
        self.provenance = provenance
        self.standardsBody = standardsBody
    }

    public init(_ resource: Resource) {
        self.init(id: resource.id,
                  title: resource["title"]?.string ?? resource["name"]?.string ?? resource.id,
                  code: resource["code"]?.string,
                  renewalPeriodMonths: resource["renewal_period_months"]?.int,
                  provenance: resource["provenance"]?.string,
                  standardsBody: resource["standards_body"]?.string ?? resource["standards_body"]?["name"]?.string)
    }
}

public struct Organisation: Sendable, Equatable, Identifiable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public init(_ resource: Resource) {
        self.init(id: resource.id, name: resource["name"]?.string ?? resource.id)
    }
}

public struct User: Sendable, Equatable, Identifiable {
    public let id: String
    public let email: String
    public let firstName: String?
    public let lastName: String?
    public let timezone: String?
    public let grants: [String]
    public let organisationIDs: [String]

    public init(id: String, email: String, firstName: String? = nil, lastName: String? = nil,
                timezone: String? = nil, grants: [String] = [], organisationIDs: [String] = []) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.timezone = timezone
        self.grants = grants
        self.organisationIDs = organisationIDs
    }

    public init(_ resource: Resource) {
        let profile = resource["profile"]
        self.init(id: resource.id,
                  email: resource["email"]?.string ?? "",
                  firstName: profile?["personal"]?["first_name"]?.string,
                  lastName: profile?["personal"]?["last_name"]?.string,
                  timezone: profile?["settings"]?["timezone"]?.string,
                  grants: resource.meta["grants"]?.array?.compactMap(\.string) ?? [],
                  organisationIDs: resource.relationship("organisations")?.identifiers.map(\.id) ?? [])
    }

    /// Whether the grants let this user change training completions; nil when no grant speaks
    /// of completions at all. The grant names are inferred (docs/api.md), so only a clear "read
    /// but not write" counts as no.
    public var mayWriteCompletions: Bool? {
        let about = grants.filter { $0.contains("completions") }
        guard !about.isEmpty else { return nil }
        return about.contains { $0.contains("completions:write") }
    }

    /// "First Last", else the email, else the id: something a person recognises.
    public var displayName: String {
        let name = [firstName, lastName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        if !name.isEmpty { return name }
        return email.isEmpty ? id : email
    }
}

/// The caller, from whoami, with the organisations they belong to.
public struct Me: Sendable, Equatable {
    public let user: User
    public let organisations: [Organisation]

    public init(user: User, organisations: [Organisation]) {
        self.user = user
        self.organisations = organisations
    }
}

/// The four attributes a completion PUT carries, as the exact strings the server gave or the
/// user typed. Keeping the server's strings is what stops an edit of one field from rewriting
/// another's formatting.
public struct CompletionAttributes: Sendable, Equatable {
    public var completedAt: String
    public var expiresAt: String?
    public var certificateNumber: String?
    public var trainingProviderName: String?

    public init(completedAt: String, expiresAt: String?, certificateNumber: String?, trainingProviderName: String?) {
        self.completedAt = completedAt
        self.expiresAt = expiresAt
        self.certificateNumber = certificateNumber
        self.trainingProviderName = trainingProviderName
    }

    /// In the order of the vendor's documentation page; `nil` is sent as JSON null.
    var json: JSON {
        .object(JSONObject([
            "completed_at": .string(completedAt),
            "expires_at": JSON(expiresAt),
            "certificate_number": JSON(certificateNumber),
            "training_provider_name": JSON(trainingProviderName),
        ]))
    }
}

public struct Completion: Sendable, Equatable, Identifiable {
    public let id: String
    public var attributes: CompletionAttributes
    public let userRef: ResourceIdentifier?
    public let standardRef: ResourceIdentifier?
    /// Resolved from `included` when the server sent them; the refs work without.
    public let user: User?
    public let standard: TrainingStandard?
    /// When the record last changed, where the server says (`updated_at`, inferred).
    public let updatedAt: Date?

    public init(id: String, attributes: CompletionAttributes, userRef: ResourceIdentifier? = nil,
                standardRef: ResourceIdentifier? = nil, user: User? = nil, standard: TrainingStandard? = nil,
                updatedAt: Date? = nil) {
        self.id = id
        self.attributes = attributes
        self.userRef = userRef
        self.standardRef = standardRef
        self.user = user
        self.standard = standard
        self.updatedAt = updatedAt
    }

    public init(_ resource: Resource, in document: Document) {
        self.init(resource, user: { document.resolve($0).map(User.init) },
                  standard: { document.resolve($0).map(TrainingStandard.init) })
    }

    /// Every completion of a list document, in its order. Each person and standard is made
    /// once and shared: a person's list names the same ones on every record.
    public static func all(in document: Document) -> [Completion] {
        var users: [ResourceIdentifier: User] = [:]
        var standards: [ResourceIdentifier: TrainingStandard] = [:]
        return document.resources.map { resource in
            Completion(resource, user: { identifier in
                if let known = users[identifier] { return known }
                let made = document.resolve(identifier).map(User.init)
                users[identifier] = made
                return made
            }, standard: { identifier in
                if let known = standards[identifier] { return known }
                let made = document.resolve(identifier).map(TrainingStandard.init)
                standards[identifier] = made
                return made
            })
        }
    }

    private init(_ resource: Resource, user: (ResourceIdentifier) -> User?, standard: (ResourceIdentifier) -> TrainingStandard?) {
        let userRef = resource.relationship("user")?.identifier
        let standardRef = resource.relationship("training_standard")?.identifier
        self.init(id: resource.id,
                  attributes: CompletionAttributes(
                      completedAt: resource["completed_at"]?.string ?? "",
                      expiresAt: resource["expires_at"]?.string,
                      certificateNumber: resource["certificate_number"]?.string,
                      trainingProviderName: resource["training_provider_name"]?.string),
                  userRef: userRef,
                  standardRef: standardRef,
                  user: userRef.flatMap(user),
                  standard: standardRef.flatMap(standard),
                  updatedAt: resource["updated_at"]?.string.flatMap(RFC3339.parse))
    }

    public var completedAt: Date? { RFC3339.parse(attributes.completedAt) }
    public var expiresAt: Date? { attributes.expiresAt.flatMap(RFC3339.parse) }

    /// The standard's title, or its id when the server did not include it.
    public var standardTitle: String { standard?.title ?? standardRef?.id ?? "" }
}

/// A session token. It prints as a redaction everywhere, so that no log line, error or `dump`
/// can carry it; only the HTTP layer reads `secret`.
public struct SessionToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let secret: String

    public init(_ secret: String) { self.secret = secret }

    public var description: String { "<session token>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

public struct Session: Sendable, Equatable {
    public let token: SessionToken
    public let expiresAt: Date?
    public let email: String?

    public init(token: SessionToken, expiresAt: Date?, email: String?) {
        self.token = token
        self.expiresAt = expiresAt
        self.email = email
    }
}
