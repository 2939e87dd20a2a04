import Foundation

/// Every path, query and parameter name the client uses. Several are inferred from the
/// vendor's SDKs rather than documented (docs/api.md says which); this is the one place to
/// change them.
public enum Endpoints {
    // Auth host (Ory Kratos native flow).
    static let loginFlow = "/self-service/login/api"
    static let login = "/self-service/login"
    static let logout = "/self-service/logout/api"

    // API host.
    static let whoami = "/v3/iam/whoami"
    static let standards = "/v3/training-standards"
    static let completions = "/v3/training-standard-completions"

    static func members(org: String) -> String { "/v3/orgs/\(segment(org))/iam/members" }
    static func member(org: String, id: String) -> String { members(org: org) + "/" + segment(id) }
    static func standard(id: String) -> String { standards + "/" + segment(id) }
    static func completion(id: String) -> String { completions + "/" + segment(id) }

    /// Inferred: the list is filtered in the RQL style of the newer endpoints.
    static func completionsQuery(user: String) -> [(String, String)] {
        [("filter", "eq(user,\(user))"), includeCompletionRelations]
    }

    static let includeCompletionRelations = ("include", "training_standard,user")

    /// Inferred: the older members endpoint filters with `filter[field]=value`.
    static func memberSearch(_ text: String) -> [(String, String)] {
        text.isEmpty ? [] : [("filter[search]", text)]
    }

    static let sessionHeader = "X-Session-Token"

    /// The largest page the client asks for. Servers may send fewer; the client follows
    /// whatever next offset they give.
    public static let pageLimit = 100

    /// One path segment, escaped so that an id typed by a person cannot add segments (`../`).
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// RFC 3986 unreserved characters, minus `.` so that `..` cannot survive as a segment.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~")

    static func url(_ base: URL, _ path: String, _ query: [(String, String)] = []) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += path
        if !query.isEmpty {
            text += "?" + query.map { segment($0.0) + "=" + segment($0.1) }.joined(separator: "&")
        }
        return URL(string: text)!
    }
}
