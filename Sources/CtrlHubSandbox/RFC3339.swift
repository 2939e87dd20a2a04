import Foundation

/// A point in time with whole nanoseconds, so nine fractional digits compare exactly.
struct Instant: Comparable, Sendable {
    var seconds: Int64
    var nanos: Int64

    init(seconds: Int64, nanos: Int64 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    init(_ date: Date) {
        let time = date.timeIntervalSince1970
        let whole = time.rounded(.down)
        seconds = Int64(whole)
        nanos = min(Int64((time - whole) * 1_000_000_000), 999_999_999)
    }

    static func < (a: Instant, b: Instant) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (after Howard Hinnant's
/// civil-date algorithms), so no Calendar or time zone database is involved.
enum Civil {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Moves by whole calendar months, clamping the day to the target month's length.
    static func adding(months: Int64, to days: Int64) -> Int64 {
        let start = date(days: days)
        let index = start.year * 12 + (start.month - 1) + months
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        return self.days(year: year, month: month, day: min(start.day, daysInMonth(year: year, month: month)))
    }
}

/// RFC 3339 date-times as the API uses them: `T`, seconds, 0 to 9 fractional digits, and `Z`
/// or a `±hh:mm` offset.
enum RFC3339 {
    static func parse(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
            index < bytes.count && bytes[index] == UInt8(ascii: character)
        }
        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
              let day = number(8, 2), byte(10, is: "T"), let hour = number(11, 2), byte(13, is: ":"),
              let minute = number(14, 2), byte(16, is: ":"), let second = number(17, 2),
              (1...12).contains(month), (1...Civil.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if byte(index, is: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            let digits = index - start
            guard (1...9).contains(digits), let fraction = number(start, digits) else { return nil }
            nanos = fraction * Int64(pow(10, Double(9 - digits)))
        }
        var offsetMinutes: Int64 = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard index + 6 == bytes.count, let hours = number(index + 1, 2), byte(index + 3, is: ":"),
                  let minutes = number(index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (byte(index, is: "-") ? -1 : 1)
            index += 6
        }
        guard index == bytes.count else { return nil }
        let days = Civil.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return Instant(seconds: seconds, nanos: nanos)
    }

    static func format(_ instant: Instant, digits: Int, offsetMinutes: Int = 0) -> String {
        let local = instant.seconds + Int64(offsetMinutes) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let date = Civil.date(days: days)
        var text = "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if digits > 0 { text += "." + pad(instant.nanos, 9).prefix(digits) }
        if offsetMinutes == 0 { return text + "Z" }
        let magnitude = Int64(abs(offsetMinutes))
        return text + (offsetMinutes < 0 ? "-" : "+") + "\(pad(magnitude / 60, 2)):\(pad(magnitude % 60, 2))"
    }

    /// The current time as the sandbox writes its own stamps (`updated_at`, session times).
    static func format(_ date: Date, digits: Int) -> String {
        format(Instant(date), digits: digits)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
