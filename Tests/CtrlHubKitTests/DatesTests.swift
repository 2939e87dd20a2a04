import Foundation
import Testing
@testable import CtrlHubKit

@Suite struct DatesTests {
    let base = 1_699_335_116.0 // 2023-11-07T05:31:56Z

    @Test(arguments: [
        ("2023-11-07T05:31:56Z", 0.0),
        ("2023-11-07T05:31:56.123Z", 0.123),
        ("2023-11-07T05:31:56.123456789Z", 0.123456789),
        ("2023-11-07T05:31:56.5z", 0.5),
        ("2023-11-07T06:31:56+01:00", 0.0),
        ("2023-11-07T00:01:56.000-05:30", 0.0),
        ("2023-11-07 05:31:56Z", 0.0),
    ])
    func parsesTimestamps(_ text: String, _ fraction: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - (base + fraction)) < 1e-6)
    }

    @Test func parsesDateOnlyAsUTCMidnight() {
        #expect(RFC3339.parse("2023-12-25") == Date(timeIntervalSince1970: 1_703_462_400))
    }

    @Test(arguments: ["2023-02-29", "2023-13-01", "2023-11-07T24:00:00Z", "2023-11-07T05:31:56", "2023-11-07T05:31:56.Z",
                      "2023-11-07T05:31:56.1234567890Z", "2023-11-07T05:31:56+0100", "23-11-07", "", "2023-11-07T05:31:56Zjunk"])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsWithoutLocale() {
        let date = Date(timeIntervalSince1970: base + 0.25)
        #expect(RFC3339.format(date) == "2023-11-07T05:31:56Z")
        #expect(RFC3339.format(date, fractionalDigits: 3) == "2023-11-07T05:31:56.250Z")
        #expect(RFC3339.format(date, offsetSeconds: 3600) == "2023-11-07T06:31:56+01:00")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func civilDatesFollowTheGregorianCalendar() throws {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        let leap = try #require(CivilDate(year: 2024, month: 1, day: 31))
        #expect(leap.adding(months: 1).description == "2024-02-29")
        #expect(leap.adding(months: 60).description == "2029-01-31")
        #expect(leap.adding(days: 366).description == "2025-01-31")
        for days in stride(from: -800_000, through: 800_000, by: 7919) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test(arguments: ["Europe/London", "America/New_York", "Pacific/Auckland", "UTC", "America/Santiago"])
    func aDayStartsAndReadsBackInItsZone(_ name: String) throws {
        let zone = try #require(TimeZone(identifier: name))
        for text in ["2024-01-15", "2024-07-15", "2024-03-31", "2024-10-27", "2024-09-08", "2024-04-07"] {
            let day = try #require(RFC3339.parse(text)).timeIntervalSince1970
            let civil = CivilDate(daysSinceEpoch: Int(day) / 86_400)
            let start = civil.start(in: zone)
            #expect(CivilDate(start, in: zone) == civil, "\(text) in \(name)")
            #expect(CivilDate(start - 1, in: zone) < civil, "\(text) in \(name) starts at its first instant")
            #expect(CivilDate(try #require(RFC3339.parse(RFC3339.format(start))), in: zone) == civil)
        }
    }
}
