import Foundation
import Glibc
@testable import CtrlHubSandbox

/// Runs `body` against a freshly started sandbox and stops it afterwards.
func withSandbox<T>(idleTimeout: Double = 5, _ body: (SandboxServer, URL) throws -> T) throws -> T {
    let server = SandboxServer(data: .generate(), idleTimeout: idleTimeout)
    let url = try server.start()
    defer { server.stop() }
    return try body(server, url)
}

func withSandbox<T>(_ body: (SandboxServer, URL) async throws -> T) async throws -> T {
    let server = SandboxServer(data: .generate(), idleTimeout: 5)
    let url = try server.start()
    defer { server.stop() }
    return try await body(server, url)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

/// A JSON value read loosely, so tests can say `reply.json["data"]["id"].string`.
struct JSON {
    let value: Any?

    init(value: Any?) { self.value = value }

    init(_ data: Data) { value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }

    subscript(_ key: String) -> JSON { JSON(value: (value as? [String: Any])?[key]) }

    subscript(_ index: Int) -> JSON {
        guard let items = value as? [Any], items.indices.contains(index) else { return JSON(value: nil) }
        return JSON(value: items[index])
    }

    var string: String? { value as? String }
    var int: Int? { value as? Int }
    var array: [JSON] { (value as? [Any] ?? []).map { JSON(value: $0) } }
    var keys: Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }
    var isNull: Bool { value is NSNull }
    var exists: Bool { value != nil }
}

struct Reply {
    let status: Int
    /// Names lowercased.
    let headers: [String: String]
    let body: Data

    var json: JSON { JSON(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

func percentEncoded(_ text: String) -> String {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: unreserved)!
}

func jsonData(_ object: Any) -> Data {
    try! JSONSerialization.data(withJSONObject: object)
}

/// A plain socket HTTP client, so tests control every byte and can reuse one connection.
final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(_ url: URL, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(url.port!).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw TestFailure(description: "connect failed: \(errno)")
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func write(_ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    func write(_ text: String) { write(Data(text.utf8)) }

    /// Sends one request with Host and Content-Length, and the admin's token unless told otherwise.
    func request(_ method: String, _ target: String, token: String? = SandboxServer.admin.token,
                 headers: [(String, String)] = [], body: Data? = nil) throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { head += "X-Session-Token: \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        write(Data((head + "\r\n").utf8) + (body ?? Data()))
        return try readReply()
    }

    func get(_ target: String, token: String? = SandboxServer.admin.token) throws -> Reply {
        try request("GET", target, token: token)
    }

    /// A PUT of a completion document with the JSON:API media type.
    func put(_ id: String, attributes: [String: Any], token: String? = SandboxServer.admin.token,
             type: String = "training-standard-completions", documentID: String? = nil,
             contentType: String = "application/vnd.api+json") throws -> Reply {
        let document = ["data": ["id": documentID ?? id, "type": type, "attributes": attributes]]
        return try request("PUT", "/v3/training-standard-completions/\(id)", token: token,
                           headers: [("Content-Type", contentType)], body: jsonData(document))
    }

    func readReply() throws -> Reply {
        while true {
            guard let end = headEnd() else {
                guard fill() else { throw TestFailure(description: "connection closed before a reply") }
                continue
            }
            let head = String(decoding: buffer[..<end], as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            let status = Int(lines[0].split(separator: " ")[1])!
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            buffer.removeFirst(end)
            if status == 100 { continue }
            let length = Int(headers["content-length"] ?? "0")!
            while buffer.count < length {
                guard fill() else { throw TestFailure(description: "connection closed inside a body") }
            }
            let body = Data(buffer[..<length])
            buffer.removeFirst(length)
            return Reply(status: status, headers: headers, body: body)
        }
    }

    /// Reads and drops whatever else comes; true if the server then closes its side (end of
    /// stream, or a reset) before the read timeout.
    func isClosedByServer() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count > 0 { continue }
            return count == 0 || errno != EAGAIN
        }
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index..<(index + 4)].elementsEqual("\r\n\r\n".utf8) {
            return index + 4
        }
        return nil
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }
}
