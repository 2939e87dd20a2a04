import Foundation

/// The completion write, and the control routes that steer the sandbox.
extension Store {
    /// Checked in the order a typical JSON:API server checks: media type, permission,
    /// existence, document shape, id and type, then the attribute rules.
    mutating func updateCompletion(_ call: Call) throws(Failure) -> HTTPResponse {
        guard Self.isJSONAPI(call.request.header("content-type")) else {
            throw Failure(response: .apiError(415, "Unsupported Media Type",
                                              "Send the body as \(MediaType.jsonAPI)."))
        }
        guard call.caller!.canWrite else {
            throw Failure(response: .apiError(403, "Forbidden", "Your role does not allow changing training records."))
        }
        guard let index = data.completions.firstIndex(where: { $0.id == call["id"] }) else {
            throw .notFound("No training standard completion has the id \(call["id"]).")
        }
        let malformed = HTTPResponse.apiError(400, "Bad Request",
            #"The body must be a JSON:API document: {"data": {"id", "type", "attributes": {…}}}."#)
        let body = try jsonObject(call.request.body, else: malformed)
        guard let resource = body["data"] as? JSONObject, let id = resource["id"] as? String,
              let type = resource["type"] as? String
        else { throw Failure(response: malformed) }
        guard id == call["id"], type == Self.completionType else {
            throw Failure(response: .apiError(409, "Conflict",
                "The document's type and id must be \(Self.completionType) and \(call["id"]), as in the URL."))
        }
        guard let attributes = resource["attributes"] as? JSONObject else { throw Failure(response: malformed) }
        switch CompletionRules.check(attributes, now: call.now) {
        case .invalid(let problems):
            throw Failure(response: .apiErrors(400, problems.map(\.json)))
        case .valid(let change):
            apply(change, at: index, now: call.now)
        }
        return completionDocument(data.completions[index], Self.completionIncludes)
    }

    enum ChangeOutcome {
        case changed(SandboxCompletion)
        case notFound
        case unknownAttributes([String])
        case invalid([FieldProblem])
    }

    /// A partial change made behind the client's back, held to the same rules as a PUT.
    mutating func change(_ id: String, _ changes: JSONObject, now: Date) -> ChangeOutcome {
        guard let index = data.completions.firstIndex(where: { $0.id == id }) else { return .notFound }
        let unknown = changes.keys.filter { !CompletionRules.attributes.contains($0) }.sorted()
        guard unknown.isEmpty else { return .unknownAttributes(unknown) }
        let current = data.completions[index]
        var attributes: JSONObject = [
            "completed_at": current.completedAt,
            "expires_at": nullable(current.expiresAt),
            "certificate_number": nullable(current.certificateNumber),
            "training_provider_name": current.providerName,
        ]
        attributes.merge(changes) { _, new in new }
        switch CompletionRules.check(attributes, now: now) {
        case .invalid(let problems):
            return .invalid(problems)
        case .valid(let change):
            apply(change, at: index, now: now)
            return .changed(data.completions[index])
        }
    }

    mutating func patchCompletion(_ call: Call) throws(Failure) -> HTTPResponse {
        let changes = try jsonObject(call.request.body, else: .apiError(400, "Bad Request",
            "The body must be a JSON object of attributes, such as {\"expires_at\": null}."))
        switch change(call["id"], changes, now: call.now) {
        case .changed(let completion):
            return completionDocument(completion, Self.completionIncludes)
        case .notFound:
            throw .notFound("No training standard completion has the id \(call["id"]).")
        case .unknownAttributes(let names):
            throw Failure(response: .apiError(400, "Bad Request",
                "Unknown attributes: \(names.joined(separator: ", ")). Use \(CompletionRules.attributes.joined(separator: ", "))."))
        case .invalid(let problems):
            throw Failure(response: .apiErrors(400, problems.map(\.json)))
        }
    }

    private mutating func apply(_ change: CompletionChange, at index: Int, now: Date) {
        data.completions[index].completedAt = change.completedAt
        data.completions[index].expiresAt = change.expiresAt
        data.completions[index].certificateNumber = change.certificateNumber
        data.completions[index].providerName = change.providerName
        data.completions[index].updatedAt = RFC3339.format(now, digits: 6)
    }

    /// `application/vnd.api+json`, optionally with a charset; JSON:API refuses other parameters.
    private static func isJSONAPI(_ header: String?) -> Bool {
        let parts = (header ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return parts.first == MediaType.jsonAPI && parts.dropFirst().allSatisfy { $0.hasPrefix("charset=") }
    }

    mutating func addFault(_ call: Call) throws(Failure) -> HTTPResponse {
        func refuse(_ detail: String) -> Failure { Failure(response: .apiError(400, "Bad Request", detail)) }
        let body = try jsonObject(call.request.body, else: .apiError(400, "Bad Request",
            #"The body must be a JSON object such as {"kind": "503", "path": "/v3/"}."#))
        let fault: SandboxFault
        switch SandboxFault.parse(body) {
        case .success(let parsed): fault = parsed
        case .failure(let error): throw refuse(error.description)
        }
        let method = body["method"]
        let path = body["path"]
        let count = body["count"] ?? 1
        guard method == nil || method is String else { throw refuse("method must be a string such as \"PUT\".") }
        guard path == nil || (path as? String)?.hasPrefix("/") == true else {
            throw refuse("path must be a string starting with /.")
        }
        guard let count = count as? Int, count >= 1 else { throw refuse("count must be a whole number, 1 or more.") }
        faults.append(FaultRule(fault, method: method as? String, path: path as? String, count: count))
        return .empty(204)
    }

    func requestLog() -> HTTPResponse {
        .json(200, ["requests": requests.map { request -> JSONObject in
            [
                "method": request.method, "path": request.path, "query": nullable(request.query),
                "headers": request.headers, "body": String(decoding: request.body, as: UTF8.self),
            ]
        }])
    }
}
