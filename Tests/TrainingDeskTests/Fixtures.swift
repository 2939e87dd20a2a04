import Foundation
import CtrlHubKit
import Terminal
@testable import TrainingDesk

/// A fixed world for update and view tests: 15 June 2026 in London.
enum World {
    static let now = Date(timeIntervalSince1970: 1_781_524_800)
    static let organisation = Organisation(id: "org-1", name: "Kestrel Utility Services Ltd")
    static let admin = User(id: "u-admin", email: "admin@demo.trainingdesk.test", firstName: "Helen", lastName: "Marsh",
                            timezone: "Europe/London", organisationIDs: ["org-1"])
    static let session = SessionInfo(me: Me(user: admin, organisations: [organisation]), host: "127.0.0.1:8123", demo: true)
    static let person = User(id: "u-1", email: "wang.fang@kestrel-utilities.test", firstName: "王", lastName: "芳", timezone: "Europe/London")
    static let others = [
        person,
        User(id: "u-2", email: "sean.gallagher@kestrel-utilities.test", firstName: "Seán", lastName: "Gallagher"),
        User(id: "u-3", email: "niamh.darcy@kestrel-utilities.test", firstName: "Niamh", lastName: "D'Arcy"),
        User(id: "u-4", email: "zoe.clarke@kestrel-utilities.test", firstName: "Zoe\u{308}", lastName: "Clarke"),
    ]

    static let smsts = TrainingStandard(id: "s-1", title: "Site Management Safety Training Scheme (SMSTS)", renewalPeriodMonths: 60)
    static let firstAid = TrainingStandard(id: "s-2", title: "First Aid at Work", renewalPeriodMonths: 36)
    static let manual = TrainingStandard(id: "s-3", title: "Manual Handling")
    static let nrswa = TrainingStandard(id: "s-4", title: "NRSWA Unit 002 Signing, Lighting and Guarding", renewalPeriodMonths: 60)

    static func completion(_ id: String, _ standard: TrainingStandard, _ completed: String, _ expires: String?,
                           certificate: String?, provider: String) -> Completion {
        Completion(id: id, attributes: CompletionAttributes(completedAt: completed, expiresAt: expires,
                                                            certificateNumber: certificate, trainingProviderName: provider),
                   userRef: ResourceIdentifier(type: "users", id: person.id),
                   standardRef: ResourceIdentifier(type: "training-standards", id: standard.id), user: person, standard: standard)
    }

    static let completions = [
        completion("c-1", smsts, "2021-06-01T08:00:00.123Z", "2026-06-01T08:00:00.123Z", certificate: "SMSTS-0042",
                   provider: "CITB National Construction College, Bircham Newton Training Centre, King's Lynn"),
        completion("c-2", firstAid, "2023-07-10T00:00:00Z", "2026-07-01T00:00:00Z", certificate: nil, provider: "St John Ambulance"),
        completion("c-3", manual, "2019-02-15T09:30:00+01:00", nil, certificate: "MH-1", provider: "Kestrel in-house"),
        completion("c-4", nrswa, "2024-01-20T00:00:00.000000000Z", "2029-01-20T00:00:00.000000000Z", certificate: "EUSR123456",
                   provider: "Water Industry Training Partnership"),
    ]

    /// The list of `person` loaded, 80x24 unless told.
    static func listState(width: Int = 80, height: Int = 24) -> State {
        var state = State(width: width, height: height, now: now, demo: true)
        _ = update(&state, .sessionLoaded(.success(session)))
        _ = update(&state, .membersLoaded(query: "", .success(others)))
        _ = update(&state, .key(.enter))
        _ = update(&state, .completionsLoaded(userID: person.id, .success(completions)))
        return state
    }

    /// The form open on the first row (c-1, expiring soonest... or expired).
    static func formState(width: Int = 80, height: Int = 24) -> State {
        var state = listState(width: width, height: height)
        _ = update(&state, .key(.enter))
        return state
    }

    static func press(_ state: inout State, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }

    static func type(_ state: inout State, _ text: String) {
        for character in text { _ = update(&state, .key(.character(character))) }
    }
}
