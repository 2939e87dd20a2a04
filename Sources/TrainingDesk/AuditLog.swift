import Foundation
import Terminal
import CtrlHubKit

/// One save attempt as the audit log keeps it. Never a token or a password.
public struct AuditEntry: Equatable, Sendable {
    public struct Change: Equatable, Sendable {
        public let field: String
        public let old: String?
        public let new: String?
    }

    public var time: Date
    public var email: String
    public var api: String
    public var completionID: String
    public var person: User
    public var standard: String
    public var changes: [Change]
    /// nil for success; else the error's message and trace id.
    public var error: String?
    public var traceID: String?

    /// The entry for an attempt to replace `before` with `after`.
    public init(time: Date, email: String, api: String, completionID: String, person: User, standard: String,
                before: CompletionAttributes, after: CompletionAttributes, error: CtrlHubError?) {
        self.time = time
        self.email = email
        self.api = api
        self.completionID = completionID
        self.person = person
        self.standard = standard
        let pairs: [(String, String?, String?)] = [
            ("completed_at", before.completedAt, after.completedAt), ("expires_at", before.expiresAt, after.expiresAt),
            ("certificate_number", before.certificateNumber, after.certificateNumber),
            ("training_provider_name", before.trainingProviderName, after.trainingProviderName),
        ]
        changes = pairs.filter { $0.1 != $0.2 }.map { Change(field: $0.0, old: $0.1, new: $0.2) }
        self.error = error?.message
        traceID = error?.traceID
    }

    /// The line as stored, and as `trainingdesk audit --format json` prints it.
    public var json: JSON {
        var object = JSONObject([
            "time": .string(RFC3339.format(time, fractionalDigits: 3)),
            "email": .string(email),
            "api": .string(api),
            "completion_id": .string(completionID),
            "person": ["id": .string(person.id), "email": .string(person.email), "name": .string(person.displayName)],
            "training_standard": .string(standard),
            "changes": .array(changes.map { ["field": .string($0.field), "old": JSON($0.old), "new": JSON($0.new)] }),
            "outcome": .string(error == nil ? "ok" : "error"),
        ])
        if let error { object["error"] = .string(error) }
        if let traceID { object["trace_id"] = .string(traceID) }
        return .object(object)
    }

    init?(_ json: JSON) {
        guard let time = json["time"]?.string.flatMap(RFC3339.parse), let id = json["completion_id"]?.string,
              let person = json["person"], let personID = person["id"]?.string else { return nil }
        self.time = time
        email = json["email"]?.string ?? ""
        api = json["api"]?.string ?? ""
        completionID = id
        self.person = User(id: personID, email: person["email"]?.string ?? "", firstName: person["name"]?.string)
        standard = json["training_standard"]?.string ?? ""
        changes = (json["changes"]?.array ?? []).compactMap { change in
            change["field"]?.string.map { Change(field: $0, old: change["old"]?.string, new: change["new"]?.string) }
        }
        error = json["outcome"]?.string == "ok" ? nil : (json["error"]?.string ?? "failed")
        traceID = json["trace_id"]?.string
    }

    /// `certificate_number: A -> B; expires_at: X -> none`, each value cleaned on its own: the
    /// values are the server's exact strings, and an escape sequence left open in one must not
    /// swallow the next.
    public var changeSummary: String {
        func shown(_ value: String?) -> String { value.map(TerminalText.clean) ?? "none" }
        return changes.map { "\($0.field): \(shown($0.old)) -> \(shown($0.new))" }.joined(separator: "; ")
    }
}

/// `$XDG_STATE_HOME/trainingdesk/audit.jsonl`: one line per save attempt, appended with a
/// single write so that concurrent instances never interleave within a line.
public struct AuditLog: Sendable {
    public let file: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = stateDirectory(environment).appendingPathComponent("audit.jsonl")
    }

    public func append(_ entry: AuditEntry) throws(StoreError) {
        let directory = file.deletingLastPathComponent().path
        try ensurePrivateDirectory(directory)
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(message: "Cannot write the audit log \(file.path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        try checkPrivate(file.path, mode: 0o600)
        let line = entry.json.serialized() + Data("\n".utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw StoreError(message: "Cannot write the audit log \(file.path): \(String(cString: strerror(errno))).")
        }
    }

    /// Every entry, oldest first; a damaged line is skipped.
    public func entries() throws(StoreError) -> [AuditEntry] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        try checkPrivate(file.path, mode: 0o600)
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSON.parse(Data(line))).flatMap(AuditEntry.init)
        }
    }
}
