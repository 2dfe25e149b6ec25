import Foundation

/// Which notice the institution concerned receives, chosen from the handling of its case:
/// the first entry whose measures intersect the case's handling wins.
public struct InstitutionNoticePolicy: Sendable, Codable, Equatable {
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public struct Entry: Sendable, Codable, Equatable {
        public var measures: Set<HandlingMeasure>
        public var noticeType: NoticeType
        /// Days from the decision date to the deadline (整改期限, 书面答复期限); nil when the notice has none.
        public var deadlineDays: Int?

        public init(measures: Set<HandlingMeasure>, noticeType: NoticeType, deadlineDays: Int? = nil) {
            self.measures = measures
            self.noticeType = noticeType
            self.deadlineDays = deadlineDays
        }
    }

    /// Defaults: any penalty or recovery comes with a rectification order due in 30 days (the
    /// clear-to-zero ledger 清零行动 tracks it); an interview (约谈) has its date set by the bureau;
    /// an inquiry (函询) expects a written reply within 15 days.
    public static let defaults = InstitutionNoticePolicy(entries: [
        Entry(measures: [.rectification, .recovery, .fine, .suspension, .termination],
              noticeType: .rectificationOrder, deadlineDays: 30),
        Entry(measures: [.interview], noticeType: .interview),
        Entry(measures: [.inquiry], noticeType: .inquiry, deadlineDays: 15),
    ])

    /// The notice for `notice`, with its deadline; a case whose handling matches no entry (a
    /// warning alone, a credit change) gets the informational type of its kind.
    public func notice(for notice: CaseNotice) -> (type: NoticeType, deadline: Date?) {
        let handling = Set(notice.handling)
        guard let entry = entries.first(where: { !$0.measures.isDisjoint(with: handling) }) else {
            return (NoticeType.informational(for: notice.kind), nil)
        }
        return (entry.noticeType, entry.deadlineDays.map { Deadline.adding(days: $0, to: notice.decisionDate) })
    }
}

/// Deadlines count calendar days in China Standard Time (UTC+8, no daylight saving).
public enum Deadline {
    public static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600)!

    public static func adding(days: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaStandardTime
        return calendar.date(byAdding: .day, value: days, to: date) ?? date.addingTimeInterval(Double(days) * 86_400)
    }
}
