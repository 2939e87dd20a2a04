import Foundation
import Testing
@testable import CtrlHubKit

/// A transport that answers from a script and keeps every request, for tests of what the
/// client sends and how it reacts to answers no real server gives on demand.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [(HTTPRequest) -> Result<HTTPResponse, CtrlHubError>]
    private(set) var requests: [HTTPRequest] = []

    init(_ script: [(HTTPRequest) -> Result<HTTPResponse, CtrlHubError>]) {
        self.script = script
    }

    /// The same answer for every request.
    convenience init(always answer: @escaping (HTTPRequest) -> Result<HTTPResponse, CtrlHubError>) {
        self.init(Array(repeating: answer, count: 1000))
    }

    var sent: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(CtrlHubError) -> HTTPResponse {
        let step: (HTTPRequest) -> Result<HTTPResponse, CtrlHubError> = lock.withLock {
            requests.append(request)
            return script.isEmpty ? { _ in .failure(CtrlHubError(.malformed("script ran out"))) } : script.removeFirst()
        }
        return try step(request).get()
    }
}

func json(_ status: Int, _ body: JSON, headers: [String: String] = [:]) -> (HTTPRequest) -> Result<HTTPResponse, CtrlHubError> {
    { _ in .success(HTTPResponse(status: status, headers: headers, body: body.serialized())) }
}

func status(_ code: Int, headers: [String: String] = [:]) -> (HTTPRequest) -> Result<HTTPResponse, CtrlHubError> {
    { _ in .success(HTTPResponse(status: code, headers: headers)) }
}

let loopback = URL(string: "http://127.0.0.1:9")!
let testToken = SessionToken("ory_st_TESTSECRET1234567890")

/// Collects what a client logs and the pauses it asks for, instead of sleeping.
final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var linesStore: [String] = []
    private var pausesStore: [TimeInterval] = []

    var lines: [String] { lock.withLock { linesStore } }
    var pauses: [TimeInterval] { lock.withLock { pausesStore } }

    func log(_ line: String) { lock.withLock { linesStore.append(line) } }
    func pause(_ seconds: TimeInterval) { lock.withLock { pausesStore.append(seconds) } }
}

func scriptedClient(_ transport: ScriptedTransport, recorder: Recorder = Recorder(), token: SessionToken? = testToken) throws -> CtrlHubClient {
    CtrlHubClient(configuration: try ClientConfiguration(apiURL: loopback, authURL: loopback), token: token,
                  transport: transport, log: { recorder.log($0) }, pause: { recorder.pause($0) })
}

func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
    return try Data(contentsOf: url)
}

/// A list page in the newer pagination style.
func page(_ ids: [String], next: Int?) -> JSON {
    .object(JSONObject([
        "data": .array(ids.map { ["type": "training-standards", "id": .string($0), "attributes": ["title": .string("T\($0)")]] }),
        "meta": ["pagination": ["offsets": ["next": next.map { JSON.number(Double($0)) } ?? .null]]],
    ]))
}
