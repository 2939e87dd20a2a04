import Foundation

public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// A Retry-After longer than this is not waited out: the error goes to the caller, who can
    /// tell the person how long to wait.
    public var maxRetryAfter: TimeInterval

    public init(maxAttempts: Int = 3, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 4, maxRetryAfter: TimeInterval = 10) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// How long to wait before try `attempt + 1`, or nil to give up.
    func delay(after attempt: Int, retryAfter: TimeInterval?) -> TimeInterval? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            return retryAfter <= maxRetryAfter ? max(0, retryAfter) : nil
        }
        return min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
    }
}

public struct ClientConfiguration: Sendable {
    public let apiURL: URL
    public let authURL: URL
    public var timeout: TimeInterval = 15
    public var retry = RetryPolicy()
    /// How many pages of a list are asked for at once, once its first page says how many
    /// records there are (docs/api.md).
    public var pageConcurrency = 4

    public static let productionAPI = URL(string: "https://api.ctrl-hub.com")!
    public static let productionAuth = URL(string: "https://auth.ctrl-hub.com")!

    /// Refuses plain `http://` anywhere but loopback: the token would cross the network in clear.
    public init(apiURL: URL, authURL: URL) throws(CtrlHubError) {
        for url in [apiURL, authURL] {
            try ClientConfiguration.check(url)
        }
        self.apiURL = apiURL
        self.authURL = authURL
    }

    static func check(_ url: URL) throws(CtrlHubError) {
        let scheme = url.scheme?.lowercased()
        guard let host = url.host, !host.isEmpty, scheme == "https" || scheme == "http" else {
            throw CtrlHubError(.badURL(url.absoluteString, "it must be an http:// or https:// URL with a host"))
        }
        // Paths are appended to the base, so a query, fragment or credentials in it would end
        // up in the wrong place, or in logs.
        if url.query != nil || url.fragment != nil || url.user != nil || url.password != nil {
            throw CtrlHubError(.badURL(url.absoluteString, "it must not carry a query, a fragment or credentials"))
        }
        if scheme == "http" && !isLoopback(host) { throw CtrlHubError(.insecureURL(url.absoluteString)) }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

/// The Ctrl Hub API client shared by the terminal UI and the CLI. It knows nothing of either.
public final class CtrlHubClient: Sendable {
    public static let version = "0.2.0"

    public let configuration: ClientConfiguration
    public let token: SessionToken?
    private let transport: any HTTPTransport
    private let log: (@Sendable (String) -> Void)?
    private let pause: @Sendable (TimeInterval) async -> Void

    /// `log` receives one line per request (method, URL, status, trace id): never a header or
    /// a body. `pause` is how retries wait; tests pass one that records instead.
    public init(configuration: ClientConfiguration, token: SessionToken?, transport: any HTTPTransport = URLSessionTransport(),
                log: (@Sendable (String) -> Void)? = nil,
                pause: @escaping @Sendable (TimeInterval) async -> Void = { try? await Task.sleep(for: .seconds($0)) }) {
        self.configuration = configuration
        self.token = token
        self.transport = transport
        self.log = log
        self.pause = pause
    }

    /// The same client signed in with another session.
    public func with(token: SessionToken?) -> CtrlHubClient {
        CtrlHubClient(configuration: configuration, token: token, transport: transport, log: log, pause: pause)
    }

    // MARK: Sessions

    /// The Kratos native login flow: fetch a flow, then post the credentials to it. A flow that
    /// expired between the two steps is started once more.
    public func login(email: String, password: String) async throws(CtrlHubError) -> Session {
        var attempt = 0
        while true {
            attempt += 1
            let flow = try await send(HTTPRequest(method: "GET", url: authURL(Endpoints.loginFlow), headers: ["Accept": "application/json"]), auth: false)
            guard flow.status == 200, let flowID = try? JSON.parse(flow.body)["id"]?.string else {
                throw CtrlHubClient.authError(flow)
            }
            let body: JSON = ["identifier": .string(email), "password": .string(password), "method": "password"]
            let answer = try await send(HTTPRequest(method: "POST", url: authURL(Endpoints.login, [("flow", flowID)]),
                                                    headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                                    body: body.serialized()), auth: false)
            if answer.status == 410 && attempt == 1 { continue }
            guard answer.status == 200 else { throw CtrlHubClient.authError(answer) }
            guard let json = try? JSON.parse(answer.body), let secret = json["session_token"]?.string, !secret.isEmpty else {
                throw CtrlHubError(.malformed("the sign-in answer has no session token"), traceID: answer.traceID)
            }
            let session = json["session"]
            return Session(token: SessionToken(secret),
                           expiresAt: session?["expires_at"]?.string.flatMap(RFC3339.parse),
                           email: session?["identity"]?["traits"]?["email"]?.string ?? email)
        }
    }

    /// Revokes this client's session on the server.
    public func logout() async throws(CtrlHubError) {
        guard let token else { throw CtrlHubError(.unauthorised) }
        let body: JSON = ["session_token": .string(token.secret)]
        let answer = try await send(HTTPRequest(method: "DELETE", url: authURL(Endpoints.logout),
                                                headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                                body: body.serialized()), auth: false)
        guard (200..<300).contains(answer.status) else { throw CtrlHubClient.authError(answer) }
    }

    // MARK: API

    public func whoami() async throws(CtrlHubError) -> Me {
        let document = try await get(Endpoints.whoami)
        guard let resource = document.resource else { throw CtrlHubError(.malformed("whoami returned no user")) }
        let user = User(resource)
        let organisations = resource.relationship("organisations")?.identifiers.map { identifier in
            document.resolve(identifier).map(Organisation.init) ?? Organisation(id: identifier.id, name: identifier.id)
        } ?? []
        return Me(user: user, organisations: organisations)
    }

    /// Members of an organisation whose name or email matches `search` (all of them when empty).
    public func members(org: String, search: String = "") async throws(CtrlHubError) -> [User] {
        try await allPages(Endpoints.members(org: org), Endpoints.memberSearch(search)) { $0.resources.map(User.init) }
    }

    public func member(org: String, id: String) async throws(CtrlHubError) -> User {
        try await one(Endpoints.member(org: org, id: id), User.init)
    }

    public func standards() async throws(CtrlHubError) -> [TrainingStandard] {
        try await allPages(Endpoints.standards) { $0.resources.map(TrainingStandard.init) }
    }

    public func standard(id: String) async throws(CtrlHubError) -> TrainingStandard {
        try await one(Endpoints.standard(id: id), TrainingStandard.init)
    }

    /// Every completion of one person, in the server's order, each with its standard and person
    /// resolved where the server included them. When there is more than one page, `firstPage`
    /// gets the first one's records and the total the server gave before the others are asked
    /// for, so that a screen can show them at once.
    public func completions(user: String, firstPage: (@Sendable ([Completion], _ total: Int?) -> Void)? = nil)
        async throws(CtrlHubError) -> [Completion] {
        try await allPages(Endpoints.completions, Endpoints.completionsQuery(user: user), firstPage: firstPage, Completion.all)
    }

    public func completion(id: String) async throws(CtrlHubError) -> Completion {
        let document = try await get(Endpoints.completion(id: id), [Endpoints.includeCompletionRelations])
        guard let resource = document.resource else { throw CtrlHubError(.notFound("completion \(id)")) }
        return Completion(resource, in: document)
    }

    /// Replaces the four attributes of a completion and returns the record as the server now has it.
    public func updateCompletion(id: String, _ attributes: CompletionAttributes) async throws(CtrlHubError) -> Completion {
        let request = HTTPRequest(method: "PUT", url: apiURL(Endpoints.completion(id: id)),
                                  headers: ["Content-Type": JSONAPI.mediaType, "Accept": JSONAPI.mediaType],
                                  body: CtrlHubClient.updateBody(id: id, attributes))
        let document = try await document(from: request)
        guard let resource = document.resource else { throw CtrlHubError(.malformed("the update returned no record")) }
        return Completion(resource, in: document)
    }

    public enum GuardedUpdate: Sendable, Equatable {
        case saved(Completion)
        /// Someone changed the record since `before` was read; nothing was sent. The record now.
        case changed(Completion)
    }

    /// Replaces the attributes only if the record still has the `before` values. The API has no
    /// ETags or If-Match, so this re-reads first: it narrows the window for a silent overwrite
    /// to the time between the read and the write, without closing it.
    public func updateCompletion(id: String, _ attributes: CompletionAttributes,
                                 unlessChangedFrom before: CompletionAttributes) async throws(CtrlHubError) -> GuardedUpdate {
        let current = try await completion(id: id)
        guard current.attributes == before else { return .changed(current) }
        return .saved(try await updateCompletion(id: id, attributes))
    }

    /// The PUT body, exactly as the vendor's documentation shows it.
    public static func updateBody(id: String, _ attributes: CompletionAttributes) -> Data {
        let body: JSON = ["data": ["id": .string(id), "type": .string(ResourceType.completion), "attributes": attributes.json]]
        return body.serialized()
    }

    // MARK: Plumbing

    private func apiURL(_ path: String, _ query: [(String, String)] = []) -> URL { Endpoints.url(configuration.apiURL, path, query) }
    private func authURL(_ path: String, _ query: [(String, String)] = []) -> URL { Endpoints.url(configuration.authURL, path, query) }

    private func get(_ path: String, _ query: [(String, String)] = []) async throws(CtrlHubError) -> Document {
        try await document(from: HTTPRequest(method: "GET", url: apiURL(path, query), headers: ["Accept": JSONAPI.mediaType]))
    }

    private func one<Model>(_ path: String, _ make: (Resource) -> Model) async throws(CtrlHubError) -> Model {
        guard let resource = try await get(path).resource else { throw CtrlHubError(.notFound(nil)) }
        return make(resource)
    }

    private func document(from request: HTTPRequest) async throws(CtrlHubError) -> Document {
        let response = try await send(request, auth: true)
        guard (200..<300).contains(response.status) else { throw CtrlHubClient.apiError(response) }
        do {
            return try Document(data: response.body)
        } catch {
            throw CtrlHubError(error.kind, traceID: response.traceID)
        }
    }

    /// Follows the server's next offsets, in either pagination style, until there are none, and
    /// returns the records of every page in the server's order. Each page becomes records as it
    /// arrives, so only a few documents are ever held. Once a page says how many records there
    /// are in all, the pages still to come are known and are fetched `pageConcurrency` at a
    /// time. A repeated offset or an empty page ends the walk: a confused server must not loop us.
    private func allPages<Record: Sendable>(_ path: String, _ query: [(String, String)] = [],
                                            firstPage: (@Sendable ([Record], Int?) -> Void)? = nil,
                                            _ records: @escaping @Sendable (Document) -> [Record]) async throws(CtrlHubError) -> [Record] {
        var all: [Record] = []
        var offset = 0
        var seen: Set<Int> = []
        while seen.insert(offset).inserted {
            let page = try await get(path, query + CtrlHubClient.paging(offset))
            let found = records(page)
            all += found
            guard !found.isEmpty, let next = CtrlHubClient.nextOffset(page) else { break }
            if offset == 0 { firstPage?(found, CtrlHubClient.total(page)) }
            guard let total = CtrlHubClient.total(page), next > offset, next < total else {
                offset = next
                continue
            }
            // The rest is known. More than this many pages, and the walk plans again after them.
            let offsets = Array(stride(from: next, to: total, by: next - offset).prefix(1000)).filter { !seen.contains($0) }
            let pages = try await fetch(offsets) { [self] offset throws(CtrlHubError) in
                let page = try await get(path, query + CtrlHubClient.paging(offset))
                return (records: records(page), next: CtrlHubClient.nextOffset(page))
            }
            seen.formUnion(offsets)
            for page in pages { all += page.records }
            // Records added since the first page: the last page points on.
            guard let last = pages.last, !last.records.isEmpty, let after = last.next else { break }
            offset = after
        }
        return all
    }

    /// Runs `get` for each offset, at most `pageConcurrency` at once, and returns the answers in
    /// the offsets' order. The first failure cancels the rest and is what the caller gets.
    private func fetch<Answer: Sendable>(_ offsets: [Int],
                                         _ get: @escaping @Sendable (Int) async throws(CtrlHubError) -> Answer) async throws(CtrlHubError) -> [Answer] {
        let width = max(1, configuration.pageConcurrency)
        do {
            return try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
                var answers = [Answer?](repeating: nil, count: offsets.count)
                var started = 0
                while started < min(width, offsets.count) {
                    let index = started
                    group.addTask { (index, try await get(offsets[index])) }
                    started += 1
                }
                while let (index, answer) = try await group.next() {
                    answers[index] = answer
                    if started < offsets.count {
                        let index = started
                        group.addTask { (index, try await get(offsets[index])) }
                        started += 1
                    }
                }
                return answers.compactMap { $0 }
            }
        } catch let error as CtrlHubError {
            throw error
        } catch {
            throw CtrlHubError(.transport(.other("\(error)")))
        }
    }

    private static func paging(_ offset: Int) -> [(String, String)] {
        [("offset", String(offset)), ("limit", String(Endpoints.pageLimit))]
    }

    /// How many records the list has in all, where the page says (`meta.pagination.counts`).
    static func total(_ page: Document) -> Int? {
        page.meta["pagination"]?["counts"]?["resources"]?.int
    }

    static func nextOffset(_ page: Document) -> Int? {
        if let pagination = page.meta["pagination"] {
            return pagination["offsets"]?["next"]?.int
        }
        if let next = page.meta["page"]?["offset"]?["next"]?.int {
            return next
        }
        // `links.next` is read for its offset only; following the URL itself could send the
        // session token to another host.
        guard let link = page.links["next"]?.string ?? page.links["next"]?["href"]?.string,
              let items = URLComponents(string: link)?.queryItems else { return nil }
        return items.first { $0.name == "offset" || $0.name == "page[offset]" }?.value.flatMap { Int($0) }
    }

    private func send(_ request: HTTPRequest, auth: Bool) async throws(CtrlHubError) -> HTTPResponse {
        var request = request
        if auth {
            guard let token else { throw CtrlHubError(.unauthorised) }
            request.headers[Endpoints.sessionHeader] = token.secret
        }
        var attempt = 0
        while true {
            attempt += 1
            let started = Date()
            let outcome: Result<HTTPResponse, CtrlHubError>
            do {
                outcome = .success(try await transport.send(request, timeout: configuration.timeout))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = Int(Date().timeIntervalSince(started) * 1000)
            switch outcome {
            case .success(let response):
                log?("\(request) -> \(response.status) in \(elapsed) ms" + (response.traceID.map { " (trace \($0))" } ?? ""))
                guard request.isIdempotent, [429, 502, 503, 504].contains(response.status),
                      let wait = configuration.retry.delay(after: attempt, retryAfter: CtrlHubClient.retryAfter(response)) else {
                    return response
                }
                await pause(wait)
            case .failure(let error):
                log?("\(request) -> \(error.message) after \(elapsed) ms")
                guard request.isIdempotent, error.kind == .transport(.connectionLost),
                      let wait = configuration.retry.delay(after: attempt, retryAfter: nil) else {
                    throw error
                }
                await pause(wait)
            }
            if Task.isCancelled { throw CtrlHubError(.transport(.other("the request was cancelled"))) }
        }
    }

    /// Seconds, or an HTTP date.
    static func retryAfter(_ response: HTTPResponse) -> TimeInterval? {
        guard let value = response.headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = TimeInterval(value) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func apiError(_ response: HTTPResponse) -> CtrlHubError {
        let errors = (try? Document(data: response.body))?.errors ?? []
        let detail = errors.first.flatMap { $0.detail ?? $0.title }
        let kind: CtrlHubError.Kind
        switch response.status {
        case 401: kind = .unauthorised
        case 403: kind = .forbidden(detail)
        case 404: kind = .notFound(detail)
        case 409: kind = .conflict(detail)
        case 400, 422: kind = .validation(errors)
        case 429: kind = .rateLimited(retryAfter: retryAfter(response))
        case 500...599: kind = .server(status: response.status)
        default: kind = .rejected(status: response.status, detail)
        }
        return CtrlHubError(kind, traceID: response.traceID)
    }

    /// Kratos answers in its own shapes, not JSON:API.
    static func authError(_ response: HTTPResponse) -> CtrlHubError {
        let json = try? JSON.parse(response.body)
        let messages = json?["ui"]?["messages"]?.array ?? []
        // 4000006 is Kratos' id for "the provided credentials are invalid".
        if messages.contains(where: { $0["id"]?.int == 4_000_006 })
            || messages.contains(where: { $0["text"]?.string?.localizedCaseInsensitiveContains("credentials are invalid") == true }) {
            return CtrlHubError(.invalidCredentials, traceID: response.traceID)
        }
        let detail = messages.first?["text"]?.string ?? json?["error"]?["message"]?.string ?? json?["error"]?["reason"]?.string
        switch response.status {
        case 401: return CtrlHubError(.unauthorised, traceID: response.traceID)
        case 429: return CtrlHubError(.rateLimited(retryAfter: retryAfter(response)), traceID: response.traceID)
        case 500...599: return CtrlHubError(.server(status: response.status), traceID: response.traceID)
        default: return CtrlHubError(.rejected(status: response.status, detail), traceID: response.traceID)
        }
    }
}
