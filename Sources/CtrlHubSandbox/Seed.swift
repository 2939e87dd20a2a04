import Foundation

extension SandboxData {
    /// The same seed always gives the same ids and records. Dates are placed relative to
    /// `today`, so there are always expired, soon-expiring, valid and never-expiring records.
    /// `busiest` is how many completions the busiest person has: the benchmark asks for 10,000.
    public static func generate(seed: UInt64 = 1, today: Date = Date(), busiest: Int = 262) -> SandboxData {
        var random = SeededRandom(seed: seed)
        let organisation = SandboxOrganisation(id: random.uuid(), name: Catalog.organisationName,
                                               slug: Catalog.organisationSlug)
        let people = Catalog.people.map { entry in
            SandboxPerson(id: entry.id ?? random.uuid(), email: entry.email, firstName: entry.first,
                          lastName: entry.last, timezone: entry.timezone, occupation: entry.occupation)
        }
        func standard(_ entry: Catalog.Standard, id: String) -> SandboxStandard {
            SandboxStandard(id: id, title: entry.title, code: entry.code, renewalPeriodMonths: entry.renewal,
                            provenance: entry.provenance, standardsBody: entry.body)
        }
        let standards = Catalog.standards.map { standard($0, id: random.uuid()) }
        let hostileStandard = standard(Catalog.hostileStandard, id: Catalog.hostileStandardID)
        var factory = CompletionFactory(random: random, today: today)
        var completions: [SandboxCompletion] = []
        for person in people {
            if let records = Catalog.records[person.email] {
                for record in records {
                    var completion = factory.make(person, record.standard.map { standards[$0] } ?? hostileStandard)
                    completion.certificateNumber = record.certificate
                    completion.providerName = record.provider
                    completions.append(completion)
                }
            } else if person.email == Catalog.busiestEmail {
                // Standards cycle, so every one recurs about ten times in this person's history.
                for index in 0..<busiest {
                    completions.append(factory.make(person, standards[index % standards.count]))
                }
            } else {
                let count = factory.random.int(2...6)
                for standard in factory.random.shuffled(standards).prefix(count) {
                    completions.append(factory.make(person, standard))
                }
            }
        }
        return SandboxData(organisation: organisation, people: people, standards: standards + [hostileStandard],
                           completions: completions)
    }
}

/// SplitMix64, written out here rather than using the standard library's generators, whose
/// output for a given seed is not promised to stay the same between Swift releases.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var items = items
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, int(0...index))
        }
        return items
    }

    mutating func uuid() -> String {
        uuidText { UInt8(truncatingIfNeeded: next()) }
    }
}

private struct CompletionFactory {
    var random: SeededRandom
    let today: Int64

    init(random: SeededRandom, today: Date) {
        self.random = random
        self.today = Int64((today.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// How stamps are written: fractional digits and UTC offset in minutes. Mostly plain `Z`, as
    /// the real API mostly sends, but every form a client must parse turns up.
    private static let styles = [(0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0),
                                 (0, 0), (3, 0), (3, 0), (3, 0), (9, 0), (9, 0), (0, 60), (0, 60), (3, 60), (9, 60)]

    mutating func make(_ person: SandboxPerson, _ standard: SandboxStandard) -> SandboxCompletion {
        let completedDay: Int64
        var expiresDay: Int64?
        if let months = standard.renewalPeriodMonths {
            // Margins of several days keep each record in its category all day, in any zone.
            let roll = random.int(1...100)
            let offset = roll <= 35 ? -random.int(5...1500)
                : roll <= 50 ? random.int(4...28)
                : random.int(35...max(36, months * 30 - 5))
            let expiry = today + Int64(offset)
            expiresDay = expiry
            completedDay = Civil.adding(months: -Int64(months), to: expiry)
        } else {
            completedDay = today - Int64(random.int(20...3000))
        }
        let timeOfDay = Int64(random.int(7...16) * 3600 + random.pick([0, 15, 30, 45]) * 60)
        let (digits, offset) = random.pick(Self.styles)
        let nanos: Int64 = switch digits {
        case 3: Int64(random.int(0...999)) * 1_000_000
        case 9: Int64(random.int(0...999_999_999))
        default: 0
        }
        func stamp(_ day: Int64) -> String {
            RFC3339.format(Instant(seconds: day * 86_400 + timeOfDay, nanos: nanos), digits: digits, offsetMinutes: offset)
        }
        let created = Instant(seconds: completedDay * 86_400 + timeOfDay + Int64(random.int(3600...259_200)),
                              nanos: Int64(random.int(0...999_999)) * 1000)
        let createdAt = RFC3339.format(created, digits: 6)
        let evidenceRoll = random.int(1...100)
        let evidence = evidenceRoll <= 5 ? 2 : evidenceRoll <= 30 ? 1 : 0
        return SandboxCompletion(
            id: random.uuid(), userID: person.id, standardID: standard.id,
            completedAt: stamp(completedDay), expiresAt: expiresDay.map(stamp),
            certificateNumber: random.int(1...100) <= 15 ? nil : certificate(standard, year: completedDay),
            providerName: random.pick(Catalog.providers),
            createdAt: createdAt, updatedAt: createdAt,
            evidenceIDs: (0..<evidence).map { _ in random.uuid() }
        )
    }

    private mutating func certificate(_ standard: SandboxStandard, year day: Int64) -> String {
        let year = Civil.date(days: day).year
        switch standard.provenance {
        case "CITB": return "\(standard.code)-\(year)-\(random.int(100_000...999_999))"
        case "EUSR": return "EUSR\(random.int(1_000_000...9_999_999))"
        default: return "KUS/\(standard.code)/\(year)/\(random.int(1000...9999))"
        }
    }
}
