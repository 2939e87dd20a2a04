import Foundation
import Glibc
import Testing
@testable import CtrlHubSandbox

/// Throws junk at the server and the rules; nothing may crash, hang or answer 500.
@Suite struct FuzzTests {
    @Test func randomBytesNeverUpsetTheServer() throws {
        try withSandbox { _, url throws in
            var random = SeededRandom(seed: 99)
            let prefixes = ["", "GET / HTTP/1.1\r\n", "PUT /v3/training-standard-completions/x HTTP/1.1\r\nHost: x\r\n",
                            "GET /v3/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: ", "\r\n\r\n"]
            let alphabet = Array("GET /:\r\n\r\nHTTP/1.1%?&=[]()Content-Length: 0123456789\u{0}é".utf8)
            for _ in 0..<150 {
                let client = try RawClient(url)
                var bytes = Data(random.pick(prefixes).utf8)
                for _ in 0..<random.int(0...600) {
                    let byte = random.int(0...3) == 0 ? UInt8(random.int(0...255)) : random.pick(alphabet)
                    bytes.append(byte)
                }
                client.write(bytes)
                shutdown(client.fd, Int32(SHUT_WR))
                #expect(client.isClosedByServer())
            }
            #expect(try RawClient(url).get("/v3/whoami").status == 200)
        }
    }

    @Test func everyMixOfAttributeTypesIsAnsweredWithRules() {
        let values: [Any?] = [nil, NSNull(), "2024-03-01T09:30:00Z", "", "2999-01-01T00:00:00Z", 12, ["x": [1]]]
        let fields = CompletionRules.attributes
        var checked = 0
        for a in values {
            for b in values {
                for c in values {
                    for d in values {
                        var attributes: [String: Any] = [:]
                        for (field, value) in zip(fields, [a, b, c, d]) { attributes[field] = value }
                        switch CompletionRules.check(attributes, now: Date()) {
                        case .valid(let change):
                            #expect(RFC3339.parse(change.completedAt) != nil)
                        case .invalid(let problems):
                            #expect(!problems.isEmpty)
                            #expect(problems.allSatisfy { fields.contains($0.field) })
                            #expect((try? JSONSerialization.data(withJSONObject: problems.map(\.json))) != nil)
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 2401)
    }
}
