import Foundation

/// Why an answer, refund or report is refused; the service answers 422 naming the field.
public struct LedgerInputError: Error, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String
    public var description: String { "\(field): \(problem)" }
}

/// 主动退回: money the institution returned to the fund of its own accord, on a calendar day.
public struct VoluntaryRefund: Codable, Sendable, Equatable {
    public var amount: Decimal
    /// The day of the transfer (yyyy-MM-dd, China Standard Time).
    public var refundedOn: String

    /// A positive amount on a real day no later than `today`: a refund announced for later is not a refund.
    public init(amount: Decimal, refundedOn: String, today: Date = Date()) throws {
        guard amount > 0 else { throw LedgerInputError(field: "refund.amount", problem: "must be above zero") }
        guard let day = LedgerCalendar.day(refundedOn) else {
            throw LedgerInputError(field: "refund.refunded_on", problem: "is not a yyyy-MM-dd day")
        }
        guard day <= today else { throw LedgerInputError(field: "refund.refunded_on", problem: "lies in the future") }
        self.amount = amount
        self.refundedOn = refundedOn
    }
}

/// 申辩: the institution's written answer to a finding or case, with references to its evidence
/// (documents it holds: medical records, prescriptions, transfer slips), and possibly a refund.
public struct InstitutionAnswer: Sendable, Equatable {
    public var text: String
    public var evidence: [String]
    public var refund: VoluntaryRefund?

    /// An answer says something or refunds something; evidence references are non-empty strings.
    public init(text: String?, evidence: [String]?, refund: VoluntaryRefund?) throws {
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || refund != nil else {
            throw LedgerInputError(field: "text", problem: "an answer needs a text or a refund")
        }
        let evidence = evidence ?? []
        guard !evidence.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw LedgerInputError(field: "evidence", problem: "references must not be empty")
        }
        self.text = text
        self.evidence = evidence
        self.refund = refund
    }
}

public enum RefundCoverage {
    /// Whether refunds made on or before `day` cover `amountToRecover` (主动退回 as a mitigating
    /// circumstance): something was refunded and at least the whole amount. A partial refund does not count.
    public static func covers(_ amountToRecover: Decimal, with refunds: [VoluntaryRefund], before day: Date) -> Bool {
        let total = refunds.filter { (LedgerCalendar.day($0.refundedOn) ?? .distantFuture) <= day }.reduce(Decimal(0)) { $0 + $1.amount }
        return total > 0 && total >= amountToRecover
    }
}

/// Calendar days of the ledgers, in China Standard Time whatever the server's zone.
public enum LedgerCalendar {
    public static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// The start of a yyyy-MM-dd day; nil for anything else (including 2026-02-30).
    public static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard text.count == 10, parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2] else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }

    /// The [start, end) of a yyyy-MM period (the problem list's month); nil for anything else.
    public static func month(_ period: String) -> (start: Date, end: Date)? {
        guard period.count == 7, let start = day(period + "-01") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
        return (start, end)
    }
}
