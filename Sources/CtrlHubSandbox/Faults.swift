import Foundation

/// Something going wrong between the client and the real API, for the next matching request(s).
public enum SandboxFault: Sendable, Equatable {
    /// 500 with no body.
    case serverError
    /// 502 with no body.
    case badGateway
    /// 503 with no body and a Retry-After header.
    case unavailable(retryAfter: Int)
    /// 504 with no body.
    case gatewayTimeout
    /// 429 with Retry-After and a JSON:API error body.
    case rateLimited(retryAfter: Int)
    /// Answers normally after a pause, so a client timeout can fire (the request still takes
    /// effect afterwards, as it would on a slow real server).
    case delay(seconds: Double)
    /// Closes the connection without any answer.
    case drop

    /// The answer given instead of handling the request; nil for `delay` and `drop`.
    var response: HTTPResponse? {
        switch self {
        case .serverError: return .empty(500)
        case .badGateway: return .empty(502)
        case .gatewayTimeout: return .empty(504)
        case .unavailable(let seconds):
            return HTTPResponse(status: 503, headers: [("Retry-After", String(seconds))])
        case .rateLimited(let seconds):
            var response = HTTPResponse.apiError(429, "Too Many Requests",
                                                 "Too many requests; retry after \(seconds) seconds.")
            response.headers.append(("Retry-After", String(seconds)))
            return response
        case .delay, .drop:
            return nil
        }
    }

    /// The fault named by the control route's JSON body, or why not.
    static func parse(_ body: JSONObject) -> Result<SandboxFault, SandboxError> {
        let retryAfter = body["retry_after"] ?? 1
        let seconds = body["seconds"] ?? 1.0
        guard let retryAfter = retryAfter as? Int, retryAfter >= 0 else {
            return .failure(SandboxError("retry_after must be a whole number of seconds, 0 or more."))
        }
        guard let seconds = seconds as? Double, seconds >= 0, seconds <= 600 else {
            return .failure(SandboxError("seconds must be a number from 0 to 600."))
        }
        switch body["kind"] as? String {
        case "500": return .success(.serverError)
        case "502": return .success(.badGateway)
        case "503": return .success(.unavailable(retryAfter: retryAfter))
        case "504": return .success(.gatewayTimeout)
        case "429": return .success(.rateLimited(retryAfter: retryAfter))
        case "delay": return .success(.delay(seconds: seconds))
        case "drop": return .success(.drop)
        default: return .failure(SandboxError(#"kind must be one of "500", "502", "503", "504", "429", "delay", "drop"."#))
        }
    }
}

/// An injected fault and which requests it applies to.
struct FaultRule {
    let fault: SandboxFault
    /// Uppercased; nil matches every method.
    let method: String?
    /// Matched as a prefix of the request path; nil matches every path.
    let path: String?
    var remaining: Int

    init(_ fault: SandboxFault, method: String?, path: String?, count: Int) {
        self.fault = fault
        self.method = method?.uppercased()
        self.path = path
        remaining = count
    }

    func matches(_ request: HTTPRequest) -> Bool {
        (method == nil || method == request.method) && (path.map { request.path.hasPrefix($0) } ?? true)
    }
}
