import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct SeedTests {
    private let today = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func sameSeedSameData() {
        let a = SandboxData.generate(seed: 7, today: today)
        let b = SandboxData.generate(seed: 7, today: today)
        let c = SandboxData.generate(seed: 8, today: today)
        #expect(a.completions == b.completions)
        #expect(a.people == b.people)
        #expect(a.completions.map(\.id) != c.completions.map(\.id))
        // The sign-in accounts keep their ids whatever the seed.
        #expect(c.people.contains { $0.id == SandboxServer.admin.userID })
        #expect(c.people.contains { $0.id == SandboxServer.viewer.userID })
    }

    @Test func idsAreLowercaseVersion4UUIDs() {
        let data = SandboxData.generate(today: today)
        let ids = [data.organisation.id] + data.people.map(\.id) + data.standards.map(\.id) + data.completions.map(\.id)
            + data.completions.flatMap(\.evidenceIDs)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(UUID(uuidString: id) != nil && id == id.lowercased() && id.count == 36)
            #expect(Array(id)[14] == "4")
        }
    }

    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func everyCategoryIsPresentRelativeToToday(_ seed: UInt64) throws {
        let data = SandboxData.generate(seed: seed, today: today)
        let now = Instant(today)
        let soon = Instant(today.addingTimeInterval(30 * 86_400))
        var expired = 0, expiring = 0, valid = 0, never = 0
        for completion in data.completions {
            let completed = try #require(RFC3339.parse(completion.completedAt))
            #expect(completed < now)
            guard let text = completion.expiresAt else {
                never += 1
                continue
            }
            let expires = try #require(RFC3339.parse(text))
            #expect(completed < expires)
            if expires < now { expired += 1 } else if expires < soon { expiring += 1 } else { valid += 1 }
        }
        #expect(expired > 20 && expiring > 20 && valid > 20 && never > 10)
        #expect((350...450).contains(data.completions.count))
    }

    @Test func shapesAClientMustCopeWith() {
        let data = SandboxData.generate(today: today)
        #expect((35...45).contains(data.people.count))
        #expect((24...30).contains(data.standards.count))
        let stamps = data.completions.flatMap { [$0.completedAt] + ($0.expiresAt.map { [$0] } ?? []) }
        #expect(stamps.contains { $0.hasSuffix("+01:00") })
        #expect(stamps.contains { $0.count == 20 })
        #expect(stamps.contains { $0.count == 24 })
        #expect(stamps.contains { $0.count == 30 })
        #expect(data.completions.contains { $0.certificateNumber == nil })
        #expect(data.completions.contains { (60...120).contains($0.providerName.count) })
        #expect(data.standards.contains { $0.renewalPeriodMonths == nil })
        let names = data.people.map { $0.firstName + " " + $0.lastName }
        #expect(names.contains { $0.unicodeScalars.contains("\u{301}") })
        #expect(names.contains { $0.contains("é") || $0.contains("á") })
        #expect(names.contains { $0.contains("'") })
        #expect(names.contains { $0.contains("王") })
        #expect(names.contains { $0.contains("-") })
        #expect(Set(data.people.map(\.timezone)) == ["Europe/London", "America/New_York", "Pacific/Auckland", "UTC"])
    }

    @Test func onePersonCarriesEveryHostilePayload() throws {
        let data = SandboxData.generate(today: today)
        let person = try #require(data.people.first { $0.email == Catalog.hostileEmail })
        let records = data.completions.filter { $0.userID == person.id }
        let titles = records.compactMap { data.standard($0.standardID)?.title }
        let texts = [person.firstName, person.lastName] + titles + records.flatMap { [$0.certificateNumber ?? "", $0.providerName] }
        let scalars = Set(texts.flatMap(\.unicodeScalars).map(\.value))
        for introducer in ["\u{1B}[", "\u{1B}]52;", "\u{1B}]8;;", "\u{1B}P", "\u{1B}_", "\u{1B}c"] {
            #expect(texts.contains { $0.contains(introducer) }, "\(introducer.debugDescription)")
        }
        for value: UInt32 in [0x00, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x7F, 0x85, 0x9B, 0x9C, 0x9D, 0x202A, 0x202B, 0x202D, 0x202E,
                              0x202C, 0x2066, 0x2067, 0x2068, 0x2069] {
            #expect(scalars.contains(value), "U+\(String(value, radix: 16))")
        }
        #expect(texts.contains { $0.hasSuffix("\u{1B}") }, "a bare ESC at the very end")
        #expect(texts.contains { $0.contains("\u{1B}]0;") && !$0.contains("\u{7}") }, "a string never ended")
        #expect(titles.contains(Catalog.hostileStandard.title))
        #expect(!data.completions.contains { $0.standardID == Catalog.hostileStandardID && $0.userID != person.id },
                "nobody else has the hostile standard")
    }

    @Test func onePersonHasWideAndCombiningText() throws {
        let data = SandboxData.generate(today: today)
        let person = try #require(data.people.first { $0.email == Catalog.wideEmail })
        let texts = [person.firstName, person.lastName] + data.completions.filter { $0.userID == person.id }.flatMap { [$0.certificateNumber ?? "", $0.providerName] }
        let scalars = Set(texts.flatMap(\.unicodeScalars).map(\.value))
        for value: UInt32 in [0x7F8E, 0xFF26, 0x0301, 0x00E9, 0x200D, 0x1F3FD, 0x1F1EC, 0xFE0F, 0xE007F] {
            #expect(scalars.contains(value), "U+\(String(value, radix: 16))")
        }
    }

    @Test func oneBusyPersonAndEveryoneElseAHandful() {
        let data = SandboxData.generate(today: today)
        var counts: [String: Int] = [:]
        for completion in data.completions { counts[completion.userID, default: 0] += 1 }
        let busiest = data.busiestPerson
        #expect(busiest.email == "dylan.pritchard@kestrel-utilities.test")
        #expect(busiest.id != SandboxServer.admin.userID)
        #expect(counts[busiest.id]! > 250)
        for person in data.people where person.id != busiest.id {
            #expect((2...6).contains(counts[person.id] ?? 0))
        }
    }

    @Test func theBusiestPersonCanBeGivenAnyNumberOfRecords() throws {
        let data = SandboxData.generate(seed: 3, today: today, busiest: 2_000)
        let busiest = data.busiestPerson
        #expect(data.completions.filter { $0.userID == busiest.id }.count == 2_000)
        #expect(SandboxData.generate(seed: 3, today: today, busiest: 2_000).completions == data.completions)
    }

    @Test func aPersonsWholeListAsOneDocument() throws {
        let data = SandboxData.generate(today: today, busiest: 300)
        let person = data.busiestPerson
        let document = try #require(try JSONSerialization.jsonObject(with: data.completionsDocument(personID: person.id)) as? [String: Any])
        let records = try #require(document["data"] as? [[String: Any]])
        #expect(records.count == 300)
        let included = try #require(document["included"] as? [[String: Any]])
        #expect(included.contains { $0["type"] as? String == "users" && $0["id"] as? String == person.id })
        #expect(included.contains { $0["type"] as? String == "training-standards" })
        let pagination = (document["meta"] as? [String: Any])?["pagination"] as? [String: Any]
        #expect((pagination?["counts"] as? [String: Any])?["resources"] as? Int == 300)
    }
}
