import HISContract

/// Calendar-month arithmetic for periods the documents state in months or years (暂停 1-6 个月,
/// 1 年内不得再次登记备案). Kept internal so it can never clash with a future `CivilDate` API.
enum CalendarMath {
    /// `date` plus `months` calendar months; a day past the end of the target month is clamped to its
    /// last day (2024-01-31 + 1 month = 2024-02-29), the usual reading of "N 个月" in a decision.
    static func adding(months: Int, to date: CivilDate) -> CivilDate {
        let index = date.year * 12 + (date.month - 1) + months
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        var day = date.day
        while day > 28, CivilDate(year: year, month: month, day: day) == nil { day -= 1 }
        // Days 1...28 exist in every month, so the loop above always ends on a valid date.
        return CivilDate(year: year, month: month, day: day)!
    }

    static func adding(years: Int, to date: CivilDate) -> CivilDate {
        adding(months: years * 12, to: date)
    }
}
