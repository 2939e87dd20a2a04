import Foundation
import Synchronization

/// A sign-in account of the sandbox. Its token is already valid when the server starts.
public struct SandboxAccount: Sendable {
    public let email: String
    public let password: String
    public let token: String
    public let userID: String
    public let canWrite: Bool
}

/// A request as the sandbox received it, for tests to check what a client really sent.
public struct SandboxRequest: Sendable {
    public let method: String
    /// As sent, before any `?`, not percent-decoded.
    public let path: String
    public let query: String?
    /// Names lowercased; repeated headers joined with ", ".
    public let headers: [String: String]
    public let body: Data

    init(_ request: HTTPRequest) {
        method = request.method
        path = request.path
        query = request.query
        headers = Dictionary(request.headers.map { ($0.name, $0.value) }) { first, second in "\(first), \(second)" }
        body = request.body
    }
}

/// A loopback HTTP server that behaves like the Ctrl Hub API and its Kratos login, on one
/// base URL, with seeded data, injectable faults and a log of what it was sent.
public final class SandboxServer: Sendable {
    public static let admin = SandboxAccount(
        email: "admin@demo.trainingdesk.test", password: "demo-admin",
        token: "ory_st_SandboxAdmin00000000000000000001",
        userID: "0c5a3e71-9d2b-4f6e-8a14-6b7d2e9f0a01", canWrite: true)

    public static let viewer = SandboxAccount(
        email: "viewer@demo.trainingdesk.test", password: "demo-viewer",
        token: "ory_st_SandboxViewer0000000000000000002",
        userID: "7e2b9c40-5f1a-4d83-b6c9-1a0e4f7d2b02", canWrite: false)

    static let accounts = [admin, viewer]

    private let store: Mutex<Store>
    private let http: HTTPServer

    public convenience init(data: SandboxData = SandboxData.generate()) {
        self.init(data: data, idleTimeout: 30)
    }

    /// `idleTimeout` is how long an idle keep-alive connection is kept; tests shorten it.
    init(data: SandboxData, idleTimeout: Double) {
        store = Mutex(Store(data: data))
        http = HTTPServer(idleTimeout: idleTimeout)
    }

    /// Starts listening and returns the base URL (`http://127.0.0.1:PORT`, no trailing slash).
    /// Port 0 picks a free port.
    public func start(host: String = "127.0.0.1", port: UInt16 = 0) throws -> URL {
        // The server holds itself while running; stop() lets go.
        try http.start(host: host, port: port) { [self] request in respond(to: request) }
    }

    /// The base URL; before start() it has port 0.
    public var url: URL { http.url ?? URL(string: "http://127.0.0.1:0")! }

    /// Closes the listener and every connection, and waits for their threads to finish.
    public func stop() { http.stop() }

    /// Makes the next `count` requests whose method is `method` (nil: any) and whose path
    /// starts with `path` (nil: any) fail with `fault`. Control routes are never faulted; a
    /// count below 1 does nothing.
    public func inject(_ fault: SandboxFault, method: String? = nil, path: String? = nil, count: Int = 1) {
        guard count > 0 else { return }
        store.withLock { $0.faults.append(FaultRule(fault, method: method, path: path, count: count)) }
    }

    /// Forgets every fault not yet used.
    public func clearFaults() {
        store.withLock { $0.faults.removeAll() }
    }

    /// Revokes every session, the pre-issued ones too; signing in again works.
    public func expireSessions() {
        store.withLock { $0.sessions.removeAll() }
    }

    /// Changes a stored completion as another administrator would, under the same rules as a
    /// PUT. Keys: completed_at, expires_at, certificate_number, training_provider_name; a nil
    /// value is JSON null.
    public func changeCompletion(id: String, _ attributes: [String: String?]) throws {
        let changes = attributes.mapValues { nullable($0) }
        let outcome = store.withLock { store -> SandboxError? in
            switch store.change(id, changes, now: Date()) {
            case .changed: return nil
            case .notFound: return SandboxError("No completion has the id \(id).")
            case .unknownAttributes(let names):
                return SandboxError("Unknown completion attributes: \(names.joined(separator: ", ")).")
            case .invalid(let problems):
                return SandboxError(problems.map { "\($0.field): \($0.detail)" }.joined(separator: " "))
            }
        }
        if let outcome { throw outcome }
    }

    /// Every request received, oldest first, except the /_sandbox/ control routes.
    public func requests() -> [SandboxRequest] { store.withLock { $0.requests } }

    public func clearRequests() { store.withLock { $0.requests.removeAll() } }

    public func completion(id: String) -> SandboxCompletion? {
        store.withLock { store in store.data.completions.first { $0.id == id } }
    }

    /// A snapshot of the current data.
    public var data: SandboxData { store.withLock { $0.data } }

    private func respond(to request: HTTPRequest) -> HTTPResponse? {
        switch store.withLock({ $0.admit(request) }) {
        case .drop?:
            return nil
        case .delay(let seconds)?:
            http.pause(seconds)
        case let fault?:
            return fault.response
        case nil:
            break
        }
        let base = url.absoluteString
        let (snapshot, prepared) = store.withLock { store in
            (store, store.prepare(request, now: Date(), base: base))
        }
        do throws(Failure) {
            let (action, call) = try prepared.get()
            switch action {
            case .read(let handler):
                return try handler(snapshot, call)
            case .write(let handler):
                return try store.withLock { store throws(Failure) in try handler(&store, call) }
            }
        } catch {
            return error.response
        }
    }
}
