import Foundation
import HISContract

/// Credit decisions count in China Standard Time (UTC+8, no daylight saving): a case decided at
/// 23:30 on 31 December Beijing time counts in that year's points, whatever the server's zone.
enum CreditCalendar {
    static func date(_ instant: Date) -> CivilDate {
        CivilDate(dayNumber: Int(((instant.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)))
    }

    /// A `yyyy-MM-dd` query or body value; 400 naming the field when malformed.
    static func parse(_ text: String, field: String) throws -> CivilDate {
        guard let date = CivilDate(text) else { throw badRequest("\(field) must be a date yyyy-MM-dd, got '\(text)'") }
        return date
    }
}

/// Today's date for the credit rules. The service uses the wall clock; tests set the day so that
/// waiting periods and the year boundary can be crossed without waiting.
struct CreditClock: Sendable {
    let today: @Sendable () -> CivilDate

    static let system = CreditClock { CreditCalendar.date(Date()) }
}
