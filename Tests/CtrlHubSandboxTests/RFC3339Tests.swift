import Foundation
import Testing
@testable import CtrlHubSandbox

@Suite struct RFC3339Tests {
    @Test(arguments: ["2024-03-01T09:30:00Z", "2024-03-01T09:30:00.5Z", "2024-03-01T09:30:00.123+01:00",
                      "2024-03-01T09:30:00.123456789-05:30", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00-00:00"])
    func accepts(_ text: String) {
        #expect(RFC3339.parse(text) != nil)
    }

    @Test(arguments: ["2024-03-01", "2024-03-01T09:30Z", "2024-03-01T09:30:00", "2024-03-01t09:30:00Z",
                      "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-03-01T24:00:00Z",
                      "2024-03-01T09:60:00Z", "2024-03-01T09:30:60Z", "2024-03-01T09:30:00.Z",
                      "2024-03-01T09:30:00.1234567890Z", "2024-03-01T09:30:00+01", "2024-03-01T09:30:00+0100",
                      "2024-03-01T09:30:00Z ", "２０２４-03-01T09:30:00Z", ""])
    func refuses(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func offsetsAndFractionsCompareAsInstants() throws {
        let a = try #require(RFC3339.parse("2024-03-01T10:30:00.100+01:00"))
        let b = try #require(RFC3339.parse("2024-03-01T09:30:00.1Z"))
        let c = try #require(RFC3339.parse("2024-03-01T09:30:00.100000001Z"))
        #expect(a == b)
        #expect(b < c)
        #expect(a.seconds == 1_709_285_400)
    }

    @Test func formatsRoundTrip() throws {
        let instant = Instant(seconds: 1_709_285_400, nanos: 123_456_789)
        #expect(RFC3339.format(instant, digits: 0) == "2024-03-01T09:30:00Z")
        #expect(RFC3339.format(instant, digits: 3) == "2024-03-01T09:30:00.123Z")
        #expect(RFC3339.format(instant, digits: 9, offsetMinutes: 60) == "2024-03-01T10:30:00.123456789+01:00")
        #expect(RFC3339.format(Instant(seconds: -1), digits: 0) == "1969-12-31T23:59:59Z")
        for days in stride(from: -800_000, to: 800_000, by: 997) as StrideTo<Int64> {
            let date = Civil.date(days: days)
            #expect(Civil.days(year: date.year, month: date.month, day: date.day) == days)
        }
    }

    @Test func monthArithmeticClampsTheDay() {
        let march31 = Civil.days(year: 2024, month: 3, day: 31)
        #expect(Civil.date(days: Civil.adding(months: -1, to: march31)) == (2024, 2, 29))
        #expect(Civil.date(days: Civil.adding(months: -13, to: march31)) == (2023, 2, 28))
        #expect(Civil.date(days: Civil.adding(months: 60, to: march31)) == (2029, 3, 31))
    }
}
