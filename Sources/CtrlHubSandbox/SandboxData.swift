import Foundation

/// Everything the sandbox serves. Dates are kept as the exact strings the API sends, so a
/// client that echoes a value back unchanged finds it unchanged.
public struct SandboxData: Sendable {
    public var organisation: SandboxOrganisation
    public var people: [SandboxPerson]
    public var standards: [SandboxStandard]
    public var completions: [SandboxCompletion]

    public init(organisation: SandboxOrganisation, people: [SandboxPerson], standards: [SandboxStandard],
                completions: [SandboxCompletion]) {
        self.organisation = organisation
        self.people = people
        self.standards = standards
        self.completions = completions
    }

    /// The person with the most completions (in generated data, the one with more than 250).
    /// `people` must not be empty.
    public var busiestPerson: SandboxPerson {
        var counts: [String: Int] = [:]
        for completion in completions { counts[completion.userID, default: 0] += 1 }
        return people.max { counts[$0.id, default: 0] < counts[$1.id, default: 0] }!
    }

    /// One person's completions as a single list document with their standards and person
    /// included, as the list endpoint writes a page, but with every record on it: for measuring
    /// a client's decoder on large documents (the benchmark).
    public func completionsDocument(personID: String) -> Data {
        let listed = Store.sorted(completions.filter { $0.userID == personID }, by: "-completed_at")
        let store = Store(data: self)
        let everything = Page(offset: 0, limit: max(1, listed.count))
        return store.completionList(listed, Store.completionIncludes, pagination: everything.pagination(total: listed.count)).body
    }

    func person(_ id: String) -> SandboxPerson? { people.first { $0.id == id } }
    func standard(_ id: String) -> SandboxStandard? { standards.first { $0.id == id } }
}

public struct SandboxOrganisation: Sendable, Equatable {
    public var id: String
    public var name: String
    public var slug: String

    public init(id: String, name: String, slug: String) {
        self.id = id
        self.name = name
        self.slug = slug
    }
}

public struct SandboxPerson: Sendable, Equatable {
    public var id: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var timezone: String
    public var occupation: String

    public init(id: String, email: String, firstName: String, lastName: String, timezone: String = "Europe/London",
                occupation: String = "Operative") {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.timezone = timezone
        self.occupation = occupation
    }
}

public struct SandboxStandard: Sendable, Equatable {
    public var id: String
    public var title: String
    public var code: String
    public var renewalPeriodMonths: Int?
    public var provenance: String
    public var standardsBody: String

    public init(id: String, title: String, code: String, renewalPeriodMonths: Int?, provenance: String,
                standardsBody: String) {
        self.id = id
        self.title = title
        self.code = code
        self.renewalPeriodMonths = renewalPeriodMonths
        self.provenance = provenance
        self.standardsBody = standardsBody
    }
}

public struct SandboxCompletion: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var standardID: String
    public var completedAt: String
    public var expiresAt: String?
    public var certificateNumber: String?
    public var providerName: String
    public var createdAt: String
    public var updatedAt: String
    /// Ids of `files` resources served alongside the completion; a client must cope with them.
    public var evidenceIDs: [String]

    public init(id: String, userID: String, standardID: String, completedAt: String, expiresAt: String?,
                certificateNumber: String?, providerName: String, createdAt: String? = nil,
                updatedAt: String? = nil, evidenceIDs: [String] = []) {
        self.id = id
        self.userID = userID
        self.standardID = standardID
        self.completedAt = completedAt
        self.expiresAt = expiresAt
        self.certificateNumber = certificateNumber
        self.providerName = providerName
        self.createdAt = createdAt ?? completedAt
        self.updatedAt = updatedAt ?? createdAt ?? completedAt
        self.evidenceIDs = evidenceIDs
    }
}
