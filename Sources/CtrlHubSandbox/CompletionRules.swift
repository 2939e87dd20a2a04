import Foundation

/// The four writable attributes of a completion, once they have passed the rules.
struct CompletionChange {
    let completedAt: String
    let expiresAt: String?
    let certificateNumber: String?
    let providerName: String
}

/// One broken rule, reported as one JSON:API error.
struct FieldProblem {
    let field: String
    let rule: String
    let detail: String
    /// The value as sent; nil when the attribute was missing.
    let sent: Any?

    var json: JSONObject {
        var meta: JSONObject = ["field": field, "type": rule]
        meta["value"] = sent
        return [
            "status": "400", "title": "Invalid attribute", "detail": detail, "meta": meta,
            "source": ["pointer": "/data/attributes/\(field)"],
        ]
    }
}

/// The server's rules for a completion write. All four attributes are required (null is a
/// value, absence is not); lengths count Unicode scalars, as the API's backend does.
enum CompletionRules {
    static let attributes = ["completed_at", "expires_at", "certificate_number", "training_provider_name"]
    static let maxLength = 255

    enum Outcome {
        case valid(CompletionChange)
        case invalid([FieldProblem])
    }

    private enum Value {
        case missing, null, text(String), other

        init(_ value: Any?) {
            switch value {
            case nil: self = .missing
            case is NSNull: self = .null
            case let text as String: self = .text(text)
            default: self = .other
            }
        }
    }

    static func check(_ sent: JSONObject, now: Date) -> Outcome {
        var problems: [FieldProblem] = []
        func problem(_ field: String, _ rule: String, _ detail: String) {
            problems.append(FieldProblem(field: field, rule: rule, detail: detail, sent: sent[field]))
        }

        var completed: (text: String, instant: Instant)?
        switch Value(sent["completed_at"]) {
        case .missing, .null:
            problem("completed_at", "required", "The completion date is required.")
        case .other:
            problem("completed_at", "type", "The completion date must be a string.")
        case .text(let text):
            if let instant = RFC3339.parse(text) {
                completed = (text, instant)
                if instant > Instant(now) {
                    problem("completed_at", "not_future", "The completion date cannot be in the future.")
                }
            } else {
                problem("completed_at", "rfc3339",
                        "The completion date must be an RFC 3339 date and time, such as 2024-03-01T09:00:00Z.")
            }
        }

        var expiresAt: String?
        switch Value(sent["expires_at"]) {
        case .missing:
            problem("expires_at", "required", "The expiry date must be sent; send null if the training never expires.")
        case .null:
            break
        case .other:
            problem("expires_at", "type", "The expiry date must be a string or null.")
        case .text(let text):
            if let instant = RFC3339.parse(text) {
                expiresAt = text
                if let completed, instant <= completed.instant {
                    problem("expires_at", "after_completed_at", "The expiry date must be after the completion date.")
                }
            } else {
                problem("expires_at", "rfc3339",
                        "The expiry date must be an RFC 3339 date and time, such as 2027-03-01T09:00:00Z.")
            }
        }

        var certificate: String?
        switch Value(sent["certificate_number"]) {
        case .missing:
            problem("certificate_number", "required",
                    "The certificate number must be sent; send null if there is none.")
        case .null:
            break
        case .other:
            problem("certificate_number", "type", "The certificate number must be a string or null.")
        case .text(let text):
            certificate = text
            if text.unicodeScalars.count > maxLength {
                problem("certificate_number", "max_length", "The certificate number must be at most 255 characters.")
            }
        }

        var provider: String?
        switch Value(sent["training_provider_name"]) {
        case .missing, .null:
            problem("training_provider_name", "required", "The training provider is required.")
        case .other:
            problem("training_provider_name", "type", "The training provider must be a string.")
        case .text(let text):
            provider = text
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problem("training_provider_name", "not_blank", "The training provider cannot be blank.")
            } else if text.unicodeScalars.count > maxLength {
                problem("training_provider_name", "max_length",
                        "The training provider must be at most 255 characters.")
            }
        }

        guard problems.isEmpty, let completed, let provider else { return .invalid(problems) }
        return .valid(CompletionChange(completedAt: completed.text, expiresAt: expiresAt,
                                       certificateNumber: certificate, providerName: provider))
    }
}
