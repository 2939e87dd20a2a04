import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: URL
    /// Header names as sent. The session token travels here and nowhere else.
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Method and URL only: headers and bodies carry tokens and passwords.
    public var description: String { "\(method) \(url.absoluteString)" }

    /// GET reads and PUT replaces the whole record, so repeating either is harmless.
    public var isIdempotent: Bool { method == "GET" || method == "PUT" }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    /// Names lowercased.
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public var traceID: String? { headers["x-trace-id"] }
}

/// How requests leave the process. The client is written against this so tests can watch
/// the exact requests; production uses `URLSessionTransport`.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(CtrlHubError) -> HTTPResponse
}

/// URLSession with no cache, no cookies and no redirects: a redirect would carry the
/// session token to wherever the server points.
public final class URLSessionTransport: HTTPTransport {
    private let reads: (URLSession, TaskTable)

    public init() { reads = URLSessionTransport.makeSession() }

    deinit { reads.0.invalidateAndCancel() }

    private static func makeSession() -> (URLSession, TaskTable) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpAdditionalHeaders = ["User-Agent": "TrainingDesk/\(CtrlHubClient.version)"]
        let tasks = TaskTable()
        return (URLSession(configuration: configuration, delegate: tasks, delegateQueue: nil), tasks)
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(CtrlHubError) -> HTTPResponse {
        // A request with a body goes on a connection of its own: when a server drops a reused
        // connection under a PUT or POST, libcurl stalls instead of failing, so the loss (and
        // the retry it allows) would only show at the timeout.
        let (session, tasks) = request.body == nil ? reads : URLSessionTransport.makeSession()
        defer { if request.body != nil { session.finishTasksAndInvalidate() } }
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout + 5)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let task = session.dataTask(with: urlRequest)
        // URLSession on Linux does not honour timeoutInterval reliably (under 1 s it fails at
        // once), so the deadline is ours and URLSession's own is only a later backstop.
        let deadline = DispatchWorkItem { tasks.finish(task, .failure(CtrlHubError(.transport(.timeout)))) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        defer { deadline.cancel() }
        let result: Result<HTTPResponse, CtrlHubError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                tasks.start(task, continuation)
            }
        } onCancel: {
            tasks.finish(task, .failure(CtrlHubError(.transport(.other("the request was cancelled")))))
        }
        return try result.get()
    }
}

/// URLSession's delegate: collects each task's answer and resumes its caller once.
private final class TaskTable: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<Result<HTTPResponse, CtrlHubError>, Never>
        var response: HTTPURLResponse?
        var body = Data()
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<Result<HTTPResponse, CtrlHubError>, Never>) {
        lock.withLock { pending[task.taskIdentifier] = Pending(continuation: continuation) }
        task.resume()
    }

    /// Answers the caller now and abandons the task; whatever URLSession says later is ignored.
    func finish(_ task: URLSessionTask, _ result: Result<HTTPResponse, CtrlHubError>) {
        guard let entry = lock.withLock({ pending.removeValue(forKey: task.taskIdentifier) }) else { return }
        task.cancel()
        entry.continuation.resume(returning: result)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { pending[dataTask.taskIdentifier]?.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { pending[dataTask.taskIdentifier]?.body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let entry = lock.withLock({ pending.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let error {
            entry.continuation.resume(returning: .failure(TaskTable.transportError(error)))
        } else if let response = entry.response ?? task.response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            entry.continuation.resume(returning: .success(HTTPResponse(status: response.statusCode, headers: headers, body: entry.body)))
        } else {
            entry.continuation.resume(returning: .failure(CtrlHubError(.malformed("no HTTP response"))))
        }
    }

    private static func transportError(_ error: Error) -> CtrlHubError {
        guard let urlError = error as? URLError else {
            return CtrlHubError(.transport(.other(error.localizedDescription)))
        }
        // libcurl reports a failed handshake under several codes; its text names the library.
        let text = urlError.localizedDescription
        if text.contains("SSL") || text.contains("TLS") { return CtrlHubError(.transport(.tls)) }
        switch urlError.code {
        case .timedOut:
            return CtrlHubError(.transport(.timeout))
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed:
            return CtrlHubError(.transport(.refused))
        case .networkConnectionLost, .notConnectedToInternet, .badServerResponse, .zeroByteResource:
            return CtrlHubError(.transport(.connectionLost))
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired:
            return CtrlHubError(.transport(.tls))
        case .cancelled:
            return CtrlHubError(.transport(.other("the request was cancelled")))
        default:
            return CtrlHubError(.transport(.other(urlError.localizedDescription)))
        }
    }
}
