import Foundation

/// The Ory Kratos native ("api") login flow, answered in Kratos's own JSON rather than JSON:API.
extension Store {
    static let flowLifetime: TimeInterval = 600
    static let sessionLifetime: TimeInterval = 24 * 3600

    mutating func createLoginFlow(_ call: Call) -> HTTPResponse {
        flows = flows.filter { $0.value.expiresAt > call.now }
        let id = Random.uuid()
        let expiresAt = call.now.addingTimeInterval(Self.flowLifetime)
        flows[id] = LoginFlow(expiresAt: expiresAt)
        return .json(200, flowDocument(id, call, expiresAt: expiresAt, messages: []))
    }

    mutating func login(_ call: Call) throws(Failure) -> HTTPResponse {
        guard let flowID = call.query["flow"], !flowID.isEmpty else {
            throw Failure(response: .kratosError(400, "The flow query parameter is missing.", reason: "flow is required"))
        }
        guard let flow = flows[flowID], flow.expiresAt > call.now else {
            throw Failure(response: .kratosError(410, "The login flow has expired or was already used; start a new one.",
                                                 reason: "self_service_flow_expired"))
        }
        let body = try jsonObject(call.request.body, else: .kratosError(400,
            "The request was malformed or contained invalid parameters.", reason: "The body is not a JSON object."))
        guard let identifier = body["identifier"] as? String, let password = body["password"] as? String,
              body["method"] as? String == "password"
        else {
            throw Failure(response: .kratosError(400, "The request was malformed or contained invalid parameters.",
                reason: #"Send "identifier", "password" and "method": "password"."#))
        }
        let email = identifier.trimmingCharacters(in: .whitespaces).lowercased()
        guard let account = SandboxServer.accounts.first(where: { $0.email == email && $0.password == password }) else {
            let message: JSONObject = [
                "id": 4_000_006, "type": "error",
                "text": "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.",
            ]
            return .json(400, flowDocument(flowID, call, expiresAt: flow.expiresAt, messages: [message]))
        }
        flows[flowID] = nil
        let token = Random.sessionToken()
        let expiresAt = call.now.addingTimeInterval(Self.sessionLifetime)
        sessions[token] = Session(userID: account.userID, expiresAt: expiresAt)
        let session: JSONObject = [
            "id": Random.uuid(),
            "active": true,
            "expires_at": RFC3339.format(expiresAt, digits: 9),
            "authenticated_at": RFC3339.format(call.now, digits: 9),
            "identity": ["id": account.userID, "traits": ["email": account.email]],
        ]
        return .json(200, ["session_token": token, "session": session])
    }

    mutating func logout(_ call: Call) throws(Failure) -> HTTPResponse {
        let body = try jsonObject(call.request.body, else: .kratosError(400,
            "The request was malformed or contained invalid parameters.", reason: "The body is not a JSON object."))
        guard let token = body["session_token"] as? String else {
            throw Failure(response: .kratosError(400, "The request was malformed or contained invalid parameters.",
                                                 reason: #"Send "session_token"."#))
        }
        guard sessions.removeValue(forKey: token) != nil else {
            throw Failure(response: .kratosError(401, "The session token is unknown or already revoked."))
        }
        return .empty(204)
    }

    private func flowDocument(_ id: String, _ call: Call, expiresAt: Date, messages: [JSONObject]) -> JSONObject {
        [
            "id": id,
            "type": "api",
            "issued_at": RFC3339.format(expiresAt.addingTimeInterval(-Self.flowLifetime), digits: 9),
            "expires_at": RFC3339.format(expiresAt, digits: 9),
            "ui": ["action": "\(call.base)/self-service/login?flow=\(id)", "method": "POST", "nodes": [Any](),
                   "messages": messages],
        ]
    }
}
