import Foundation
import Synchronization
import Testing
@testable import CtrlHubSandbox

@Suite struct ConcurrencyTests {
    @Test func twentyClientsEachReuseTheirConnection() throws {
        try withSandbox { server, url throws in
            let person = server.data.busiestPerson
            let clients = 20
            let rounds = 5
            let outcomes = Mutex<[String]>([])
            let finished = DispatchGroup()
            for index in 0..<clients {
                finished.enter()
                Thread {
                    defer { finished.leave() }
                    var outcome = "ok"
                    do {
                        let client = try RawClient(url)
                        for round in 0..<rounds {
                            let target = round % 2 == 0 ? "/v3/whoami"
                                : "/v3/training-standard-completions?filter=eq(user,\(person.id))&limit=20&offset=\(index)"
                            let reply = try client.get(target)
                            if reply.status != 200 || reply.headers["connection"] != nil {
                                outcome = "client \(index) round \(round): \(reply.status)"
                            }
                        }
                    } catch {
                        outcome = "client \(index): \(error)"
                    }
                    outcomes.withLock { $0.append(outcome) }
                }.start()
            }
            #expect(finished.wait(timeout: .now() + 20) == .success)
            let results = outcomes.withLock { $0 }
            #expect(results.count == clients)
            #expect(results.allSatisfy { $0 == "ok" }, "\(results.filter { $0 != "ok" })")
            // One connection per client: the log shows every request, keep-alive or not.
            #expect(server.requests().count == clients * rounds)
        }
    }

    @Test func writesFromManyClientsAllLand() throws {
        try withSandbox { server, url throws in
            let targets = Array(server.data.completions.prefix(20))
            let finished = DispatchGroup()
            for (index, completion) in targets.enumerated() {
                finished.enter()
                Thread {
                    defer { finished.leave() }
                    _ = try? RawClient(url).put(completion.id, attributes: [
                        "completed_at": completion.completedAt, "expires_at": NSNull(),
                        "certificate_number": "C-\(index)", "training_provider_name": "Provider \(index)",
                    ])
                }.start()
            }
            #expect(finished.wait(timeout: .now() + 20) == .success)
            for (index, completion) in targets.enumerated() {
                #expect(server.completion(id: completion.id)?.certificateNumber == "C-\(index)")
            }
        }
    }
}
