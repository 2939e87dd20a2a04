import Foundation

/// Every failure the client reports. `kind` is what a front end switches on; `message` is a
/// sentence a person can read; `traceID` is what support asks for.
public struct CtrlHubError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case invalidCredentials
        /// 401: the session expired or was revoked.
        case unauthorised
        case forbidden(String?)
        case notFound(String?)
        /// 400 or 422: one entry per problem, each naming its field where the server did.
        case validation([APIErrorObject])
        case conflict(String?)
        case rateLimited(retryAfter: TimeInterval?)
        case server(status: Int)
        /// Any other refusal, with the status and the server's own words.
        case rejected(status: Int, String?)
        case transport(Transport)
        case malformed(String)
        /// A URL this client will not send a session token to.
        case insecureURL(String)
        /// A URL that cannot be a Ctrl Hub base URL, and why.
        case badURL(String, String)
    }

    public enum Transport: Equatable, Sendable {
        case timeout
        case refused
        case connectionLost
        case tls
        case other(String)
    }

    public let kind: Kind
    public let traceID: String?

    public init(_ kind: Kind, traceID: String? = nil) {
        self.kind = kind
        self.traceID = traceID
    }

    public var message: String {
        let sentence: String
        switch kind {
        case .invalidCredentials:
            sentence = "The email or password is not right."
        case .unauthorised:
            sentence = "The session has expired or was revoked; sign in again."
        case .forbidden(let detail):
            sentence = "You are not allowed to do that" + Self.because(detail)
        case .notFound(let detail):
            sentence = "Not found" + Self.because(detail)
        case .validation(let problems):
            let parts = problems.map { problem in
                let text = problem.detail ?? problem.title ?? "is not valid"
                return problem.field.map { "\($0): \(text)" } ?? text
            }
            sentence = "The server refused the request: " + (parts.isEmpty ? "no reason given." : Self.sentence(parts.joined(separator: "; ")))
        case .conflict(let detail):
            sentence = "The server reported a conflict" + Self.because(detail)
        case .rateLimited(let retryAfter):
            sentence = "The server is busy" + (retryAfter.map { "; try again in \(Int($0.rounded(.up))) s." } ?? "; try again shortly.")
        case .server(let status):
            sentence = "The server failed (HTTP \(status))."
        case .rejected(let status, let detail):
            sentence = "The server refused the request (HTTP \(status))" + Self.because(detail)
        case .transport(.timeout):
            sentence = "The server did not answer in time."
        case .transport(.refused):
            sentence = "Could not connect to the server (connection refused)."
        case .transport(.connectionLost):
            sentence = "The connection to the server was lost."
        case .transport(.tls):
            sentence = "A secure connection to the server could not be made (TLS)."
        case .transport(.other(let detail)):
            sentence = "Could not reach the server: \(detail)"
        case .malformed(let detail):
            sentence = "The server's answer could not be understood: \(detail)"
        case .badURL(let url, let reason):
            sentence = "\(url) cannot be used: \(reason)."
        case .insecureURL(let url):
            sentence = "Refusing to send credentials over plain HTTP to \(url); use https:// (plain http is allowed only for loopback addresses)."
        }
        return traceID.map { "\(sentence) (trace id \($0))" } ?? sentence
    }

    public var description: String { message }

    /// The problems of a validation error, for a form to show beside each field.
    public var fieldProblems: [APIErrorObject] {
        if case .validation(let problems) = kind { return problems }
        return []
    }

    private static func because(_ detail: String?) -> String {
        guard let detail, !detail.isEmpty else { return "." }
        return ": " + sentence(detail)
    }

    private static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }
}

extension CtrlHubError: LocalizedError {
    public var errorDescription: String? { message }
}
