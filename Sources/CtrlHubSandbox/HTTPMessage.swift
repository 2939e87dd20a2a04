import Foundation

/// One request as it came off the wire. `path` and `query` are kept exactly as sent so the
/// request log shows what the client really asked for.
struct HTTPRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    var minorVersion: Int
    /// Names lowercased; repeated headers stay separate entries.
    var headers: [(name: String, value: String)]
    var body = Data()

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    var keepAlive: Bool {
        let tokens = headers.filter { $0.name == "connection" }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }
}

struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body = Data()

    static let reasons: [Int: String] = [
        200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone",
        411: "Length Required", 413: "Content Too Large", 415: "Unsupported Media Type",
        429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported",
    ]

    static func reason(_ status: Int) -> String { reasons[status] ?? "Unknown" }

    /// `connection` is the value of a Connection header to add, if any.
    func serialized(connection: String?) -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(body.count)\r\nX-Trace-Id: \(Random.traceID())\r\n"
        if let connection { head += "Connection: \(connection)\r\n" }
        head += "\r\n"
        return Data(head.utf8) + body
    }
}

/// A request the server refuses before routing; the connection is closed after the answer.
struct HTTPError: Error {
    let status: Int
    let detail: String
}

enum HTTPLimits {
    static let head = 16 * 1024
    static let body = 1024 * 1024
}

/// The parsed head of a request and what it says about the body still to be read.
struct RequestHead {
    var request: HTTPRequest
    var contentLength: Int
    var expectsContinue: Bool
}

enum HTTPParser {
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// The number of bytes up to and including the blank line ending the head, if it is there.
    /// A bare LF is accepted as a line end, as RFC 9112 allows, so `nc` without `-C` works.
    static func headLength(_ bytes: [UInt8]) -> Int? {
        let end = min(bytes.count, HTTPLimits.head + 4)
        var index = 0
        while index < end {
            if bytes[index] == lf {
                if index + 1 < end, bytes[index + 1] == lf { return index + 2 }
                if index + 2 < end, bytes[index + 1] == cr, bytes[index + 2] == lf { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// True as soon as what has arrived cannot begin a request line: a TLS handshake sent to
    /// this plain port, say. Answering at once spares the client a wait for the idle timeout.
    static func cannotBeRequest(_ bytes: [UInt8]) -> Bool {
        let method = bytes.prefix { $0 != UInt8(ascii: " ") }
        return !method.isEmpty && !isToken(method)
    }

    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPError) -> RequestHead {
        if bytes.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != lf && $0 != cr) || $0 == 0x7F }) {
            throw HTTPError(status: 400, detail: "The request head contains a control character.")
        }
        var lines = bytes.split(separator: lf, omittingEmptySubsequences: false).map { line in
            line.last == cr ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        if lines.contains(where: { $0.contains(cr) }) {
            throw HTTPError(status: 400, detail: "The request head contains a bare carriage return.")
        }
        guard let requestLine = lines.first else {
            throw HTTPError(status: 400, detail: "The request line is missing.")
        }
        var request = try parseRequestLine(requestLine)
        for line in lines.dropFirst() {
            request.headers.append(try parseHeader(line))
        }
        return RequestHead(
            request: request,
            contentLength: try contentLength(request),
            expectsContinue: request.header("expect")?.lowercased() == "100-continue"
        )
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> HTTPRequest {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, isToken(parts[0]), parts[1].first == UInt8(ascii: "/"),
              parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }), isPercentEncoded(parts[1])
        else {
            throw HTTPError(status: 400, detail: "The request line is not `METHOD /path HTTP/1.1`.")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        let minor: Int
        switch version {
        case "HTTP/1.1": minor = 1
        case "HTTP/1.0": minor = 0
        case _ where version.hasPrefix("HTTP/"):
            throw HTTPError(status: 505, detail: "Only HTTP/1.0 and HTTP/1.1 are spoken here.")
        default:
            throw HTTPError(status: 400, detail: "The request line has no HTTP version.")
        }
        let target = String(decoding: parts[1], as: UTF8.self)
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return HTTPRequest(
            method: String(decoding: parts[0], as: UTF8.self),
            path: String(pieces[0]),
            query: pieces.count > 1 ? String(pieces[1]) : nil,
            minorVersion: minor,
            headers: []
        )
    }

    private static func parseHeader(_ line: ArraySlice<UInt8>) throws(HTTPError) -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), isToken(line[..<colon]) else {
            throw HTTPError(status: 400, detail: "A header line is not `Name: value`.")
        }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        var value = line[(colon + 1)...]
        while let first = value.first, blank(first) { value = value.dropFirst() }
        while let last = value.last, blank(last) { value = value.dropLast() }
        return (String(decoding: line[..<colon], as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self))
    }

    private static func contentLength(_ request: HTTPRequest) throws(HTTPError) -> Int {
        if request.header("transfer-encoding") != nil {
            throw HTTPError(status: 411, detail: "Send the body with a Content-Length; transfer codings are not accepted.")
        }
        if request.minorVersion == 1, request.headers.filter({ $0.name == "host" }).count != 1 {
            throw HTTPError(status: 400, detail: "An HTTP/1.1 request needs exactly one Host header.")
        }
        let values = Set(request.headers.filter { $0.name == "content-length" }.map(\.value))
        guard let value = values.first else { return 0 }
        guard values.count == 1, (1...12).contains(value.utf8.count),
              value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let length = Int(value)
        else {
            throw HTTPError(status: 400, detail: "The Content-Length header is not one decimal number.")
        }
        return length
    }

    /// Every `%` starts a two-digit hex escape.
    private static func isPercentEncoded(_ bytes: ArraySlice<UInt8>) -> Bool {
        let hexDigits = Set("0123456789abcdefABCDEF".utf8)
        var index = bytes.startIndex
        while let percent = bytes[index...].firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 2 < bytes.endIndex, hexDigits.contains(bytes[percent + 1]),
                  hexDigits.contains(bytes[percent + 2])
            else { return false }
            index = percent + 3
        }
        return true
    }

    private static let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)

    private static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || tokenPunctuation.contains(byte)
        }
    }
}
