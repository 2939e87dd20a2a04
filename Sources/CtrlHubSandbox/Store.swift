import Foundation

/// Everything the sandbox remembers, and the routing of requests to the code that answers
/// them. It lives behind one lock in `SandboxServer`: writes run with the lock held, reads on a
/// snapshot after it is released, so slow JSON encoding of big pages never queues other clients.
struct Store: Sendable {
    struct Session {
        let userID: String
        let expiresAt: Date
    }

    struct LoginFlow {
        let expiresAt: Date
    }

    static let requestLogLimit = 10_000

    var data: SandboxData
    var sessions: [String: Session] = [:]
    var flows: [String: LoginFlow] = [:]
    var faults: [FaultRule] = []
    var requests: [SandboxRequest] = []

    init(data: SandboxData) {
        self.data = data
        for account in SandboxServer.accounts {
            sessions[account.token] = Session(userID: account.userID, expiresAt: .distantFuture)
        }
    }

    /// Logs the request and takes the fault it triggers, if any. Control routes are neither
    /// logged nor faulted, so a test can always steer the sandbox.
    mutating func admit(_ request: HTTPRequest) -> SandboxFault? {
        if request.path.hasPrefix("/_sandbox/") { return nil }
        requests.append(SandboxRequest(request))
        if requests.count > Self.requestLogLimit { requests.removeFirst(requests.count - Self.requestLogLimit) }
        guard let index = faults.firstIndex(where: { $0.matches(request) }) else { return nil }
        let fault = faults[index].fault
        faults[index].remaining -= 1
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        return fault
    }

    /// Finds the route, parses the query and checks the session; changes nothing.
    func prepare(_ request: HTTPRequest, now: Date, base: String) -> Result<(Route.Action, Call), Failure> {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.removingPercentEncoding }
        guard !segments.contains(nil) else {
            return .failure(Failure(response: .apiError(400, "Bad Request",
                                                        "The request path is not validly percent-encoded.")))
        }
        let matching = Self.routes.compactMap { route in route.match(segments.map { $0! }).map { (route, $0) } }
        guard !matching.isEmpty else {
            return .failure(.notFound("Nothing is served at \(request.path)."))
        }
        guard let (route, parameters) = matching.first(where: { $0.0.method == request.method }) else {
            var refusal = HTTPResponse.apiError(405, "Method Not Allowed",
                                                "\(request.method) is not allowed on \(request.path).")
            refusal.headers.append(("Allow", matching.map(\.0.method).joined(separator: ", ")))
            return .failure(Failure(response: refusal))
        }
        guard let query = Query(request.query) else {
            return .failure(Failure(response: .apiError(400, "Bad Request",
                                                        "The query string is not validly percent-encoded.")))
        }
        var call = Call(request: request, parameters: parameters, query: query, now: now, base: base)
        if route.needsSession {
            switch authenticate(request, now: now) {
            case .success(let caller): call.caller = caller
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success((route.action, call))
    }

    private func authenticate(_ request: HTTPRequest, now: Date) -> Result<Caller, Failure> {
        let bearer = request.header("authorization").flatMap { value -> String? in
            let parts = value.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        guard let token = request.header("x-session-token") ?? bearer else {
            return .failure(Failure(response: .apiError(401, "Unauthorized",
                "Send a session token in X-Session-Token or Authorization: Bearer.")))
        }
        guard let session = sessions[token], session.expiresAt > now, let person = data.person(session.userID) else {
            return .failure(Failure(response: .apiError(401, "Unauthorized",
                "The session token is invalid or has expired; sign in again.")))
        }
        let account = SandboxServer.accounts.first { $0.userID == person.id }
        return .success(Caller(person: person, canWrite: account?.canWrite ?? false))
    }
}

struct Caller: Sendable {
    let person: SandboxPerson
    let canWrite: Bool
}

/// What a handler gets: the request, the path's named segments, the parsed query, the clock
/// and the base URL for links.
struct Call: Sendable {
    let request: HTTPRequest
    let parameters: [String: String]
    let query: Query
    let now: Date
    let base: String
    var caller: Caller?

    subscript(_ name: String) -> String { parameters[name] ?? "" }
}

struct Query: Sendable {
    let pairs: [(name: String, value: String)]

    /// nil when the text is not validly percent-encoded UTF-8.
    init?(_ text: String?) {
        var pairs: [(name: String, value: String)] = []
        for item in (text ?? "").split(separator: "&") {
            let halves = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = halves.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], let value = decoded.count > 1 ? decoded[1] : "" else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The first value given for `name`.
    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
}

struct Route: Sendable {
    /// Reads get a snapshot and cannot change it; writes get the locked store itself.
    enum Action: Sendable {
        case read(@Sendable (Store, Call) throws(Failure) -> HTTPResponse)
        case write(@Sendable (inout Store, Call) throws(Failure) -> HTTPResponse)
    }

    let method: String
    let pattern: [String]
    let needsSession: Bool
    let action: Action

    /// `pattern` segments starting with ":" capture a parameter.
    private init(_ method: String, _ pattern: String, _ needsSession: Bool, _ action: Action) {
        self.method = method
        self.pattern = pattern.split(separator: "/").map(String.init)
        self.needsSession = needsSession
        self.action = action
    }

    static func read(_ method: String, _ pattern: String, session: Bool,
                     _ handler: @escaping @Sendable (Store, Call) throws(Failure) -> HTTPResponse) -> Route {
        Route(method, pattern, session, .read(handler))
    }

    static func write(_ method: String, _ pattern: String, session: Bool,
                      _ handler: @escaping @Sendable (inout Store, Call) throws(Failure) -> HTTPResponse) -> Route {
        Route(method, pattern, session, .write(handler))
    }

    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            if expected.hasPrefix(":") {
                guard !actual.isEmpty else { return nil }
                parameters[String(expected.dropFirst())] = actual
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}

extension Store {
    static let routes: [Route] = [
        .write("GET", "/self-service/login/api", session: false) { store, call in store.createLoginFlow(call) },
        .write("POST", "/self-service/login", session: false) { store, call throws(Failure) in try store.login(call) },
        .write("DELETE", "/self-service/logout/api", session: false) { store, call throws(Failure) in
            try store.logout(call)
        },
        .read("GET", "/v3/iam/whoami", session: true) { store, call in store.whoami(call) },
        .read("GET", "/v3/whoami", session: true) { store, call in store.whoami(call) },
        .read("GET", "/v3/orgs/:org/iam/members", session: true) { store, call throws(Failure) in
            try store.members(call)
        },
        .read("GET", "/v3/orgs/:org/iam/members/:id", session: true) { store, call throws(Failure) in
            try store.member(call)
        },
        .read("GET", "/v3/training-standards", session: true) { store, call throws(Failure) in
            try store.standards(call)
        },
        .read("GET", "/v3/training-standards/:id", session: true) { store, call throws(Failure) in
            try store.standard(call)
        },
        .read("GET", "/v3/training-standard-completions", session: true) { store, call throws(Failure) in
            try store.completions(call)
        },
        .read("GET", "/v3/training-standard-completions/:id", session: true) { store, call throws(Failure) in
            try store.completion(call)
        },
        .write("PUT", "/v3/training-standard-completions/:id", session: true) { store, call throws(Failure) in
            try store.updateCompletion(call)
        },
        .write("POST", "/_sandbox/faults", session: false) { store, call throws(Failure) in try store.addFault(call) },
        .write("DELETE", "/_sandbox/faults", session: false) { store, _ in
            store.faults.removeAll()
            return .empty(204)
        },
        .write("POST", "/_sandbox/expire-sessions", session: false) { store, _ in
            store.sessions.removeAll()
            return .empty(204)
        },
        .read("GET", "/_sandbox/requests", session: false) { store, _ in store.requestLog() },
        .write("DELETE", "/_sandbox/requests", session: false) { store, _ in
            store.requests.removeAll()
            return .empty(204)
        },
        .write("PATCH", "/_sandbox/completions/:id", session: false) { store, call throws(Failure) in
            try store.patchCompletion(call)
        },
    ]
}
