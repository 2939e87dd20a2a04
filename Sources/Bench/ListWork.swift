import Foundation
import CtrlHubKit
import CtrlHubSandbox
import Terminal
import TrainingDesk

/// Case 2: what one key costs at 10,000 records, through the real update() and view(), as the
/// main loop runs them for each key. Compared with the same key on a list of 100, which shows
/// whether the cost follows the list or the screen.
enum ListCase {
    static let section = "2 list key"

    struct Key: Sendable {
        let name: String
        let budget: Budget?
        /// Keys pressed once before the measured ones (opening the filter line, say).
        let setUp: [Terminal.Key]
        /// One measured press each; the list is put back (unmeasured `reset`) between rounds.
        let presses: [Terminal.Key]
        let reset: [Terminal.Key]
    }

    static let keys: [Key] = [
        Key(name: "row down", budget: .below(0.2), setUp: [], presses: Array(repeating: .down, count: 60), reset: [.home]),
        Key(name: "page down", budget: .below(0.2), setUp: [], presses: Array(repeating: .pageDown, count: 20), reset: [.home]),
        Key(name: "filter character", budget: .below(5), setUp: [.character("/")],
            presses: "nrswa".map { .character($0) }, reset: [.escape, .character("/")]),
        Key(name: "sort change", budget: nil, setUp: [], presses: [.character("s")], reset: []),
    ]

    static func run(records: Int, small: Int, rounds: Int) throws -> [Row] {
        progress("list keys: \(records) and \(small) records")
        let large = try loaded(Dataset(records: records))
        let little = try loaded(Dataset(records: small))
        return keys.map { key in
            let measured = measure(key, large, rounds: rounds)
            let comparator = measure(key, little, rounds: rounds)
            return Row(section, "\(key.name) at \(records), CPU", .milliseconds, measured,
                       comparator: ("same at \(small) records", comparator), budget: key.budget)
        }
    }

    /// The list of the dataset's person, loaded, 80 wide, as the UI has it after opening them.
    static func loaded(_ dataset: Dataset, height: Int = 24) throws -> State {
        let completions = Completion.all(in: try Document(data: dataset.document))
        let person = User(id: dataset.person.id, email: dataset.person.email, firstName: dataset.person.firstName,
                          lastName: dataset.person.lastName, timezone: dataset.person.timezone)
        let admin = User(id: SandboxServer.admin.userID, email: SandboxServer.admin.email, timezone: "Europe/London")
        let organisation = Organisation(id: dataset.data.organisation.id, name: dataset.data.organisation.name)
        var state = State(width: 80, height: height, now: Dataset.today)
        _ = update(&state, .sessionLoaded(.success(SessionInfo(me: Me(user: admin, organisations: [organisation]), host: "127.0.0.1", demo: false))))
        _ = update(&state, .membersLoaded(query: "", .success([person])))
        _ = update(&state, .key(.enter))
        _ = update(&state, .completionsLoaded(userID: person.id, .success(completions)))
        guard state.list?.rows.count == completions.count else { throw BenchError("the list did not load its records") }
        return state
    }

    /// CPU time of update() and view() for each measured press, after one unmeasured round.
    static func measure(_ key: Key, _ start: State, rounds: Int) -> Sample {
        var state = start
        for press in key.setUp { _ = update(&state, .key(press)) }
        var figures: [Double] = []
        for round in 0...rounds {
            for press in key.presses {
                let before = threadCPU()
                _ = update(&state, .key(press))
                let frame = view(state)
                let after = threadCPU()
                precondition(frame.height == state.height)
                if round > 0 { figures.append((after - before) * 1000) }
            }
            for press in key.reset { _ = update(&state, .key(press)) }
        }
        return Sample(figures)
    }
}
