import Foundation

/// Documents are built as plain dictionaries and written with JSONSerialization, on purpose:
/// the client's JSON:API codec is never reused here, so one bug cannot hide on both sides.
typealias JSONObject = [String: Any]

enum MediaType {
    static let jsonAPI = "application/vnd.api+json"
    static let json = "application/json"
}

/// A JSON value or JSON null, for optional strings.
func nullable(_ value: String?) -> Any { value ?? NSNull() }

/// An answer that ends a handler early.
struct Failure: Error {
    let response: HTTPResponse
}

extension HTTPResponse {
    static func document(_ status: Int, _ document: JSONObject) -> HTTPResponse {
        var document = document
        document["jsonapi"] = ["version": "1.0"]
        return encoded(status, document, type: MediaType.jsonAPI)
    }

    static func json(_ status: Int, _ object: JSONObject) -> HTTPResponse {
        encoded(status, object, type: MediaType.json)
    }

    static func empty(_ status: Int) -> HTTPResponse {
        HTTPResponse(status: status)
    }

    static func apiError(_ status: Int, _ title: String, _ detail: String, source: JSONObject? = nil) -> HTTPResponse {
        var error: JSONObject = ["status": String(status), "title": title, "detail": detail]
        error["source"] = source
        return apiErrors(status, [error])
    }

    static func apiErrors(_ status: Int, _ errors: [JSONObject]) -> HTTPResponse {
        document(status, ["errors": errors])
    }

    /// Ory Kratos's error shape, which is not JSON:API.
    static func kratosError(_ status: Int, _ message: String, reason: String? = nil) -> HTTPResponse {
        var error: JSONObject = ["code": status, "status": Self.reason(status), "message": message]
        error["reason"] = reason
        return json(status, ["error": error])
    }

    private static func encoded(_ status: Int, _ object: JSONObject, type: String) -> HTTPResponse {
        guard let body = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return HTTPResponse(status: 500) }
        return HTTPResponse(status: status, headers: [("Content-Type", type)], body: body)
    }
}

extension Failure {
    static func parameter(_ name: String, _ detail: String) -> Failure {
        Failure(response: .apiError(400, "Invalid parameter", detail, source: ["parameter": name]))
    }

    static func notFound(_ detail: String) -> Failure {
        Failure(response: .apiError(404, "Not Found", detail))
    }
}

/// A readable error from the sandbox's Swift API (binding, changing records).
public struct SandboxError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }

    public var errorDescription: String? { description }
}

/// A JSON request body that must be an object; anything else is answered with `failure`.
func jsonObject(_ body: Data, else failure: @autoclosure () -> HTTPResponse) throws(Failure) -> JSONObject {
    guard let object = (try? JSONSerialization.jsonObject(with: body)) as? JSONObject else {
        throw Failure(response: failure())
    }
    return object
}
