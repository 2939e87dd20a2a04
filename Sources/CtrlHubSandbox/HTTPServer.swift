import Dispatch
import Foundation
import Glibc
import Synchronization

/// A small threaded HTTP/1.1 server on POSIX sockets. It knows nothing of Ctrl Hub: it parses
/// requests, hands each to `Handler`, and writes the answer back. A nil answer drops the
/// connection without replying.
final class HTTPServer: Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse?

    static let maxConnections = 64

    /// How long a connection may sit without sending before its thread gives up on it.
    let idleTimeout: Double

    private struct State {
        var listener: Int32 = -1
        /// A pipe whose read end becomes readable once `stop()` begins; the accept loop and
        /// paused handlers wait on it so they wake at once.
        var wake: (read: Int32, write: Int32) = (-1, -1)
        var connections: Set<Int32> = []
        var stopping = false
        var url: URL?
    }

    private let state = Mutex(State())
    private let threads = DispatchGroup()

    init(idleTimeout: Double) {
        self.idleTimeout = idleTimeout
    }

    var url: URL? { state.withLock { $0.url } }

    func start(host: String, port: UInt16, handler: @escaping Handler) throws(SandboxError) -> URL {
        try state.withLock { state throws(SandboxError) -> URL in
            guard state.url == nil else { throw SandboxError("The sandbox is already running at \(state.url!).") }
            let (listener, url) = try Socket.listen(host: host, port: port)
            var pipeEnds: [Int32] = [-1, -1]
            guard pipe(&pipeEnds) == 0 else {
                close(listener)
                throw SandboxError("Could not create the sandbox's wake-up pipe: \(Socket.lastError()).")
            }
            pipeEnds.forEach(Socket.closeOnExec)
            let wake = (read: pipeEnds[0], write: pipeEnds[1])
            state = State(listener: listener, wake: wake, url: url)
            threads.enter()
            Thread { [self] in acceptLoop(listener: listener, wake: wake.read, handler: handler) }.start()
            return url
        }
    }

    func stop() {
        let wake: Int32? = state.withLock { state in
            guard state.url != nil, !state.stopping else { return nil }
            state.stopping = true
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            return state.wake.write
        }
        guard let wake else { return }
        var byte: UInt8 = 1
        _ = write(wake, &byte, 1)
        threads.wait()
        state.withLock { state in
            close(state.listener)
            close(state.wake.read)
            close(state.wake.write)
            state = State()
        }
    }

    /// Waits up to `seconds`, returning early if the server is stopping.
    func pause(_ seconds: Double) {
        let wake = state.withLock { $0.wake.read }
        guard wake >= 0, seconds > 0 else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int(min(seconds, 86_400) * 1000))
        var poller = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            if milliseconds <= 0 { return }
            let ready = poll(&poller, 1, milliseconds)
            if ready > 0 || (ready < 0 && errno != EINTR) { return }
        }
    }

    private func acceptLoop(listener: Int32, wake: Int32, handler: @escaping Handler) {
        defer { threads.leave() }
        var pollers = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&pollers, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if pollers[1].revents != 0 { return }
            guard pollers[0].revents & Int16(POLLIN) != 0 else { continue }
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                // Out of descriptors: back off instead of spinning until some close.
                if errno == EMFILE || errno == ENFILE { usleep(10_000) }
                continue
            }
            Socket.closeOnExec(connection)
            admit(connection, handler: handler)
        }
    }

    private enum Admission { case serve, refuse, discard }

    private func admit(_ connection: Int32, handler: @escaping Handler) {
        let admission = state.withLock { state -> Admission in
            if state.stopping { return .discard }
            if state.connections.count >= Self.maxConnections { return .refuse }
            state.connections.insert(connection)
            threads.enter()
            return .serve
        }
        switch admission {
        case .serve:
            Thread { [self] in serve(connection, handler: handler) }.start()
        case .refuse:
            var busy = HTTPResponse.apiError(503, "Service Unavailable", "Too many connections are open; retry shortly.")
            busy.headers.append(("Retry-After", "1"))
            _ = Socket.send(connection, busy.serialized(connection: "close"), flags: Int32(MSG_DONTWAIT))
            close(connection)
        case .discard:
            close(connection)
        }
    }

    private func serve(_ fd: Int32, handler: Handler) {
        var graceful = true
        defer {
            if graceful { Socket.lingerClose(fd) }
            state.withLock { _ = $0.connections.remove(fd) }
            close(fd)
            threads.leave()
        }
        Socket.setTimeouts(fd, seconds: idleTimeout)
        var connection = Connection(fd: fd)
        while true {
            switch connection.next() {
            case .closed:
                return
            case .rejected(let error):
                let refusal = HTTPResponse.apiError(error.status, HTTPResponse.reason(error.status), error.detail)
                _ = Socket.send(fd, refusal.serialized(connection: "close"))
                return
            case .request(let request):
                guard let response = handler(request) else {
                    graceful = false
                    return
                }
                let keepAlive = request.keepAlive
                let connectionHeader = keepAlive ? (request.minorVersion == 0 ? "keep-alive" : nil) : "close"
                guard Socket.send(fd, response.serialized(connection: connectionHeader)), keepAlive else { return }
            }
        }
    }
}

/// The bytes read so far on one connection, and the reading of whole requests out of them.
private struct Connection {
    enum Next {
        case request(HTTPRequest)
        case rejected(HTTPError)
        case closed
    }

    let fd: Int32
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> Next {
        var headLength: Int
        while true {
            // Clients may send stray line ends between requests (RFC 9112 section 2.2).
            if let start = buffer.firstIndex(where: { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }) {
                buffer.removeFirst(start)
            } else {
                buffer.removeAll()
            }
            if let length = HTTPParser.headLength(buffer) {
                headLength = length
                break
            }
            if HTTPParser.cannotBeRequest(buffer) {
                return .rejected(HTTPError(status: 400, detail: "This is not an HTTP request."))
            }
            if buffer.count > HTTPLimits.head {
                return .rejected(HTTPError(status: 431, detail: "The request line and headers exceed 16 KiB."))
            }
            guard fill() else { return .closed }
        }
        if headLength > HTTPLimits.head {
            return .rejected(HTTPError(status: 431, detail: "The request line and headers exceed 16 KiB."))
        }
        let head: RequestHead
        do {
            head = try HTTPParser.parseHead(buffer[..<headLength])
        } catch {
            return .rejected(error)
        }
        if head.contentLength > HTTPLimits.body {
            return .rejected(HTTPError(status: 413, detail: "The request body exceeds 1 MiB."))
        }
        let total = headLength + head.contentLength
        if head.expectsContinue, buffer.count < total {
            guard Socket.send(fd, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return .closed }
        }
        while buffer.count < total {
            guard fill() else { return .closed }
        }
        var request = head.request
        request.body = Data(buffer[headLength..<total])
        buffer.removeFirst(total)
        return .request(request)
    }

    /// Reads once more; false on end of stream, error or idle timeout.
    private mutating func fill() -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count < 0, errno == EINTR { continue }
            return false
        }
    }
}

enum Socket {
    static func lastError() -> String { String(cString: strerror(errno)) }

    static func listen(host: String, port: UInt16) throws(SandboxError) -> (Int32, URL) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw SandboxError("Cannot bind the sandbox to \(host): \(String(cString: gai_strerror(status))).")
        }
        defer { freeaddrinfo(found) }
        var failure = "no usable address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate?.pointee {
            candidate = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            guard fd >= 0 else {
                failure = lastError()
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.ai_addr, info.ai_addrlen) == 0, Glibc.listen(fd, 128) == 0 else {
                failure = lastError()
                close(fd)
                continue
            }
            if let url = boundURL(fd) { return (fd, url) }
            failure = lastError()
            close(fd)
        }
        throw SandboxError("Cannot bind the sandbox to \(host) port \(port): \(failure).")
    }

    /// The URL of the address the kernel actually bound, so port 0 reports the chosen port.
    private static func boundURL(_ fd: Int32) -> URL? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                getsockname(fd, raw, &length) == 0
                    && getnameinfo(raw, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                                   NI_NUMERICHOST | NI_NUMERICSERV) == 0
            }
        }
        guard named else { return nil }
        let hostText = text(host)
        let authority = hostText.contains(":") ? "[\(hostText)]" : hostText
        return URL(string: "http://\(authority):\(text(service))")
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// So a program the host process runs does not inherit the sandbox's sockets.
    static func closeOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func setTimeouts(_ fd: Int32, seconds: Double) {
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// MSG_NOSIGNAL: a client that hung up must not raise SIGPIPE in the host process.
    static func send(_ fd: Int32, _ data: Data, flags: Int32 = 0) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL) | flags)
                if sent > 0 {
                    offset += sent
                } else if sent < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// Closing with unread input makes the kernel send a reset, which can destroy an answer the
    /// client has not read yet (a 413 sent before the body arrived, say). So send FIN first and
    /// read what is still coming, briefly, before the caller closes.
    static func lingerClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        setTimeouts(fd, seconds: 0.5)
        var sink = [UInt8](repeating: 0, count: 64 * 1024)
        var discarded = 0
        while discarded < 2 * HTTPLimits.body {
            let count = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                discarded += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
