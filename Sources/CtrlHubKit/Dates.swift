import Foundation

/// A calendar day with no time or zone: what a person means by "completed on 2024-03-01".
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Only real Gregorian dates: 2024-02-29 exists, 2023-02-29 does not.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    init(daysSinceEpoch days: Int) {
        // Civil-from-days over 400-year eras of the proleptic Gregorian calendar.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        return CivilDate(year: newYear, month: newMonth, day: min(day, CivilDate.daysIn(month: newMonth, year: newYear)))!
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The day an instant falls on in a zone.
    public init(_ date: Date, in zone: TimeZone) {
        let local = Int((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))).rounded(.down))
        self.init(daysSinceEpoch: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The first instant of this day in a zone (midnight, or the first moment after a DST gap).
    public func start(in zone: TimeZone) -> Date {
        let midnight = Double(daysSinceEpoch) * 86_400
        var instant = Date(timeIntervalSince1970: midnight)
        // Twice, because the offset at the first guess can differ from the one at UTC midnight.
        for _ in 0..<2 {
            instant = Date(timeIntervalSince1970: midnight - Double(zone.secondsFromGMT(for: instant)))
        }
        // Where the clocks skip midnight, the day starts at the end of the gap.
        while CivilDate(instant, in: zone) < self { instant += 900 }
        return instant
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// ISO form, `2024-03-01`.
    public var description: String {
        digits([(year, 4), (month, 2), (day, 2)], separator: "-") ?? pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// UK form, `01/03/2024`.
    public var ukDescription: String {
        digits([(day, 2), (month, 2), (year, 4)], separator: "/") ?? pad(day, 2) + "/" + pad(month, 2) + "/" + pad(year, 4)
    }

    /// Written digit by digit for years 0 to 9999: a list frame shows forty dates, and string
    /// concatenation made them a good part of its cost. Nil for other years.
    private func digits(_ parts: [(Int, Int)], separator: Unicode.Scalar) -> String? {
        guard (0...9999).contains(year) else { return nil }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            var at = 0
            for (index, (value, width)) in parts.enumerated() {
                if index > 0 {
                    buffer[at] = UInt8(separator.value)
                    at += 1
                }
                var rest = value
                for position in stride(from: at + width - 1, through: at, by: -1) {
                    buffer[position] = UInt8(0x30 + rest % 10)
                    rest /= 10
                }
                at += width
            }
            return at
        }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// RFC 3339 timestamps as Ctrl Hub sends them: 0 to 9 fractional digits, `Z` or an offset, and
/// date-only values. Written without any locale, calendar or formatter state.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2), let date = CivilDate(year: year, month: month, day: day) else { return nil }
        let midnight = Double(date.daysSinceEpoch) * 86_400
        if index == bytes.count { return Date(timeIntervalSince1970: midnight) }
        guard index < bytes.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else { return nil }
        index += 1
        guard let hour = digits(2), hour < 24, expect(UInt8(ascii: ":")), let minute = digits(2), minute < 60,
              expect(UInt8(ascii: ":")), let second = digits(2), second <= 60 else { return nil }
        var fraction = 0.0
        if expect(UInt8(ascii: ".")) {
            var scale = 0.1
            var count = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                count += 1
                index += 1
            }
            guard (1...9).contains(count) else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = digits(2), hours < 24, expect(UInt8(ascii: ":")), let minutes = digits(2), minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        // A leap second is read as the last second of its minute.
        let seconds = Double(hour * 3600 + minute * 60 + min(second, 59) - offset)
        return Date(timeIntervalSince1970: midnight + seconds + fraction)
    }

    /// `2023-11-07T05:31:56Z`, or with `fractionalDigits` digits, or at an offset from UTC.
    public static func format(_ date: Date, fractionalDigits: Int = 0, offsetSeconds: Int = 0) -> String {
        let digits = min(max(fractionalDigits, 0), 9)
        let scale = pow(10.0, Double(digits))
        let local = (date.timeIntervalSince1970 + Double(offsetSeconds)) * scale
        let units = Int(local.rounded(.down))
        let perSecond = Int(scale)
        let wholeSeconds = units >= 0 ? units / perSecond : (units - perSecond + 1) / perSecond
        let fraction = units - wholeSeconds * perSecond
        let days = wholeSeconds >= 0 ? wholeSeconds / 86_400 : (wholeSeconds - 86_399) / 86_400
        let secondOfDay = wholeSeconds - days * 86_400
        var text = CivilDate(daysSinceEpoch: days).description + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if digits > 0 { text += "." + pad(fraction, digits) }
        if offsetSeconds == 0 { return text + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        return text + sign + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    }
}
