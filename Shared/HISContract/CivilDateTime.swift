import Foundation

/// A local date and time as the national interface writes it ("yyyy-MM-dd HH:mm:ss", China time,
/// no zone). Calendar arithmetic is done on the civil calendar, so no time-zone conversion can
/// shift a fee to another day.
public struct CivilDateTime: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var date: CivilDate
    /// Seconds since midnight.
    public var secondOfDay: Int

    public init(date: CivilDate, secondOfDay: Int = 0) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    /// Parses "yyyy-MM-dd HH:mm:ss" (or a bare "yyyy-MM-dd", as midnight); nil when malformed.
    /// Read over the bytes: every fee line carries one, and splitting strings made this a tenth
    /// of intake's and smart-review's CPU per claim (scripts/profile.sh).
    /// `separator` is what stands between date and time: " " nationally, "T" in ISO 8601.
    public init?(_ text: String, separator: UInt8 = UInt8(ascii: " ")) {
        guard let value = text.withASCII({ bytes -> CivilDateTime? in
            guard bytes.count == 10 || bytes.count == 19, let date = CivilDate(ascii: bytes) else { return nil }
            guard bytes.count == 19 else { return CivilDateTime(date: date) }
            guard bytes[10] == separator, bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  let h = bytes.number(11..<13), let m = bytes.number(14..<16), let s = bytes.number(17..<19),
                  h < 24, m < 60, s < 60 else { return nil }
            return CivilDateTime(date: date, secondOfDay: h * 3600 + m * 60 + s)
        }) else { return nil }
        self = value
    }

    /// Now on China's civil clock (UTC+8, no daylight saving).
    public static func chinaNow() -> CivilDateTime {
        let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
        let day = seconds / 86_400
        return CivilDateTime(date: CivilDate(dayNumber: day), secondOfDay: seconds - day * 86_400)
    }

    /// Seconds since 1970-01-01 00:00:00 on the civil calendar.
    public var secondsSinceEpoch: Int { date.dayNumber * 86_400 + secondOfDay }

    public static func < (a: Self, b: Self) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    public func adding(seconds: Int) -> CivilDateTime {
        let total = secondsSinceEpoch + seconds
        let day = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        return CivilDateTime(date: CivilDate(dayNumber: day), secondOfDay: total - day * 86_400)
    }

    public var description: String {
        let h = secondOfDay / 3600, m = secondOfDay / 60 % 60, s = secondOfDay % 60
        return "\(date) \(pad(h)):\(pad(m)):\(pad(s))"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CivilDateTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected yyyy-MM-dd HH:mm:ss, got '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A calendar date ("yyyy-MM-dd") in the proleptic Gregorian calendar.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        guard let value = text.withASCII({ $0.count == 10 ? CivilDate(ascii: $0) : nil }) else { return nil }
        self = value
    }

    /// "yyyy-MM-dd" at the start of `bytes`.
    init?(ascii bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = bytes.number(0..<4), let m = bytes.number(5..<7), let d = bytes.number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Calendar days from `self` to `other` (negative when `other` is earlier).
    public func days(to other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// Completed years of a person born on `self`, on `date`.
    public func completedYears(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String { "\(year)-\(pad(month))-\(pad(day))" }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CivilDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected yyyy-MM-dd, got '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

extension String {
    /// `body` over the string's UTF-8 bytes, without a copy where the string is native.
    func withASCII<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The decimal number written by the digits in `range`; nil if any byte there is not a digit.
    func number(_ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            let digit = self[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
