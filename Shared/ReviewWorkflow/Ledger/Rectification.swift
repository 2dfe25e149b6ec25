import Foundation

/// Where a rectification item (整改事项) of the clear-to-zero ledger (清零台账) stands.
public enum RectificationState: String, Codable, Sendable, CaseIterable {
    /// Ordered and not yet reported, or reported and sent back by the supervisor.
    case open
    /// The institution reported its rectification with evidence; the supervisor has to check it.
    case reported
    /// Accepted by the supervisor: cleared (清零).
    case closed

    /// 整改中 / 已报告 / 已清零
    public var chineseName: String {
        switch self {
        case .open: "整改中"
        case .reported: "已报告待核"
        case .closed: "已清零"
        }
    }
}

public enum RectificationError: Error, Equatable {
    case invalidTransition(from: RectificationState, action: String)
}

/// The life of a rectification item and the overdue rule, over plain values.
public struct Rectification: Sendable, Equatable {
    public var state: RectificationState
    public var deadline: Date
    public var reportedAt: Date?

    public init(state: RectificationState, deadline: Date, reportedAt: Date? = nil) {
        self.state = state
        self.deadline = deadline
        self.reportedAt = reportedAt
    }

    /// The deadline `days` calendar days after the order, at the end of that day (China Standard Time):
    /// an institution ordered on the 1st with 30 days has all of the 31st.
    public static func deadline(orderedAt: Date, days: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LedgerCalendar.zone
        let start = calendar.startOfDay(for: orderedAt)
        return calendar.date(byAdding: .day, value: days + 1, to: start)!.addingTimeInterval(-1)
    }

    /// Overdue (逾期): not cleared and past the deadline, unless the report came in time and only the
    /// supervisor's check is pending — the institution is not late for the bureau's delay.
    public func isOverdue(at now: Date) -> Bool {
        switch state {
        case .closed: false
        case .open: now > deadline
        case .reported: now > deadline && (reportedAt ?? now) > deadline
        }
    }

    /// The institution reports its rectification; only an open item can be reported.
    public mutating func report(at time: Date) throws {
        guard state == .open else { throw RectificationError.invalidTransition(from: state, action: "report") }
        state = .reported
        reportedAt = time
    }

    /// The supervisor accepts (closes) or rejects (reopens) a reported item; a rejected report no longer counts as in time.
    public mutating func review(accepted: Bool) throws {
        guard state == .reported else { throw RectificationError.invalidTransition(from: state, action: "review") }
        state = accepted ? .closed : .open
        if !accepted { reportedAt = nil }
    }
}
