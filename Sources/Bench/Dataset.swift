import Foundation
import CtrlHubSandbox

/// The benchmark's data: the sandbox's generator with one busy person of `records` completions,
/// on a fixed day, so every run measures the same bytes.
struct Dataset {
    /// 5 January 2026, 00:00 UTC.
    static let today = Date(timeIntervalSince1970: 1_767_571_200)

    let data: SandboxData
    let person: SandboxPerson

    init(records: Int) {
        data = SandboxData.generate(seed: 1, today: Dataset.today, busiest: records)
        person = data.busiestPerson
    }

    /// The person's whole list as one document, standards and person included.
    var document: Data { data.completionsDocument(personID: person.id) }
}
