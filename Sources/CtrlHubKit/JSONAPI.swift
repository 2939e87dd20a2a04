import Foundation

/// Points at a resource: all a relationship needs to carry, and all a client has when the
/// target is not in `included`.
public struct ResourceIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let type: String
    public let id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    init?(_ json: JSON) {
        guard let type = json["type"]?.string, let id = json["id"].flatMap(JSONAPI.idString) else { return nil }
        self.init(type: type, id: id)
    }

    public var description: String { "\(type)/\(id)" }
}

public enum Relationship: Sendable, Equatable {
    case one(ResourceIdentifier?)
    case many([ResourceIdentifier])
    /// A relationship given only as links, or in a shape this client does not know.
    case unspecified

    public var identifier: ResourceIdentifier? {
        if case .one(let identifier) = self { return identifier }
        return nil
    }

    public var identifiers: [ResourceIdentifier] {
        switch self {
        case .one(let identifier): return identifier.map { [$0] } ?? []
        case .many(let identifiers): return identifiers
        case .unspecified: return []
        }
    }
}

public struct Resource: Sendable, Equatable {
    public let identifier: ResourceIdentifier
    public let attributes: JSONObject
    /// As the server sent them: each is read when asked for, as most are never used.
    public let relationships: JSONObject
    public let meta: JSONObject

    public var type: String { identifier.type }
    public var id: String { identifier.id }

    public init(identifier: ResourceIdentifier, attributes: JSONObject = JSONObject(),
                relationships: JSONObject = JSONObject(), meta: JSONObject = JSONObject()) {
        self.identifier = identifier
        self.attributes = attributes
        self.relationships = relationships
        self.meta = meta
    }

    init?(_ json: JSON) {
        guard let object = json.object, let identifier = ResourceIdentifier(json) else { return nil }
        var attributes = JSONObject(), relationships = JSONObject(), meta = JSONObject()
        for member in object.members {
            switch member.key {
            case "attributes": attributes = member.value.object ?? attributes
            case "relationships": relationships = member.value.object ?? relationships
            case "meta": meta = member.value.object ?? meta
            default: break
            }
        }
        self.init(identifier: identifier, attributes: attributes, relationships: relationships, meta: meta)
    }

    public subscript(attribute: String) -> JSON? { attributes[attribute] }

    public func relationship(_ name: String) -> Relationship? { relationships[name].map(JSONAPI.relationship) }
}

/// One error object of a JSON:API error document.
public struct APIErrorObject: Sendable, Equatable {
    public let status: String?
    public let title: String?
    public let detail: String?
    /// The attribute the error is about, from `meta.field` or the last part of `source.pointer`.
    public let field: String?

    public init(status: String? = nil, title: String? = nil, detail: String? = nil, field: String? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
    }

    init(_ json: JSON) {
        let pointer = json["source"]?["pointer"]?.string
        self.init(status: json["status"]?.string ?? json["status"]?.int.map(String.init),
                  title: json["title"]?.string,
                  detail: json["detail"]?.string,
                  field: json["meta"]?["field"]?.string ?? pointer.flatMap(JSONAPI.field(fromPointer:)))
    }
}

/// A JSON:API document. `included` is indexed once by (type, id); relationships are resolved
/// only when asked for.
public struct Document: Sendable {
    public enum Primary: Sendable {
        case none
        case one(Resource?)
        case many([Resource])
    }

    public let primary: Primary
    public let included: [ResourceIdentifier: Resource]
    public let meta: JSON
    public let links: JSON
    public let errors: [APIErrorObject]

    public init(_ json: JSON) throws(CtrlHubError) {
        guard case .object = json else { throw CtrlHubError(.malformed("the answer is not a JSON:API document")) }
        switch json["data"] {
        case nil: primary = .none
        case .null?: primary = .one(nil)
        case .array(let elements)?: primary = .many(elements.compactMap(Resource.init))
        case let value?:
            guard let resource = Resource(value) else {
                throw CtrlHubError(.malformed("the document's data has no type or id"))
            }
            primary = .one(resource)
        }
        var index: [ResourceIdentifier: Resource] = [:]
        for element in json["included"]?.array ?? [] {
            if let resource = Resource(element), index[resource.identifier] == nil {
                index[resource.identifier] = resource
            }
        }
        included = index
        meta = json["meta"] ?? .null
        links = json["links"] ?? .null
        errors = (json["errors"]?.array ?? []).map(APIErrorObject.init)
    }

    public init(data: Data) throws(CtrlHubError) {
        let json: JSON
        do {
            json = try JSON.parse(data)
        } catch {
            throw CtrlHubError(.malformed(error.description))
        }
        try self.init(json)
    }

    public var resources: [Resource] {
        switch primary {
        case .none: return []
        case .one(let resource): return resource.map { [$0] } ?? []
        case .many(let resources): return resources
        }
    }

    public var resource: Resource? {
        if case .one(let resource) = primary { return resource }
        return nil
    }

    /// The resource behind an identifier: from `included`, or the primary data itself.
    public func resolve(_ identifier: ResourceIdentifier?) -> Resource? {
        guard let identifier else { return nil }
        if let resource = included[identifier] { return resource }
        return resources.first { $0.identifier == identifier }
    }
}

enum JSONAPI {
    static let mediaType = "application/vnd.api+json"

    /// Ids are strings in JSON:API, but a server that sends a number should still be understood.
    static func idString(_ json: JSON) -> String? {
        json.string ?? json.int.map(String.init)
    }

    static func relationship(_ json: JSON) -> Relationship {
        switch json["data"] {
        case .null?: return .one(nil)
        case .array(let elements)?: return .many(elements.compactMap(ResourceIdentifier.init))
        case let value?: return ResourceIdentifier(value).map { .one($0) } ?? .unspecified
        case nil: return .unspecified
        }
    }

    /// `/data/attributes/expires_at` names the field `expires_at`.
    static func field(fromPointer pointer: String) -> String? {
        let parts = pointer.split(separator: "/")
        guard let last = parts.last, parts.count >= 2 else { return nil }
        return last.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
