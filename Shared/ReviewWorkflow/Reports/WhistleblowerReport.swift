import Foundation

/// A whistle-blower report as a case source of the workbench (举报线索办理): assigned, investigated,
/// decided, and — when confirmed — rewarded and paid (《违法违规使用医疗保障基金举报奖励办法》).
/// The reporter's identity is not part of it: it stays sealed in intake.
public struct WhistleblowerReport: Codable, Sendable, Equatable {
    public let reportId: String
    public private(set) var state: ReportState = .received
    public private(set) var assignee: String?
    public private(set) var links = ReportLinks()
    public private(set) var recoveredAmount: Decimal?
    public private(set) var grade: Int?
    public private(set) var unfoundedReason: String?
    public private(set) var award: RewardAward?
    public private(set) var paymentReference: String?
    /// Every step taken, numbered; the last number is the report's progress.
    public private(set) var steps: [ReportStep] = []

    public init(reportId: String) { self.reportId = reportId }

    /// The number of the latest step, 0 while only received.
    public var step: Int { steps.last?.number ?? 0 }

    /// A supervisor assigns (or reassigns, before a decision) the report to a reviewer.
    public mutating func assign(to reviewer: String, by actor: String, at date: Date) throws {
        try require([.received, .assigned, .investigating], "assigned")
        let name = reviewer.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ReportWorkflowError.invalidField("assignee", "is required") }
        assignee = name
        advance(to: state == .investigating ? .investigating : .assigned, by: actor, at: date)
    }

    /// The assigned reviewer links what the investigation found; the first link starts the investigation.
    public mutating func link(_ found: ReportLinks, by actor: String, at date: Date) throws {
        try require([.assigned, .investigating], "linked")
        guard actor == assignee else { throw ReportWorkflowError.notAssignee(actor: actor, assignee: assignee) }
        guard !found.isEmpty else { throw ReportWorkflowError.invalidField("claim_ids", "name at least one claim, institution or case") }
        links = links.merged(with: found)
        advance(to: .investigating, by: actor, at: date)
    }

    /// 查证属实: the report is confirmed with the amount recovered, and the reward of its grade is
    /// worked out at once under `schedule` — two steps, so the reporter sees both.
    public mutating func confirm(recoveredAmount: Decimal, grade: Int, schedule: RewardSchedule,
                                 by actor: String, at date: Date) throws {
        try require([.investigating], "confirmed")
        guard recoveredAmount >= 0 else { throw ReportWorkflowError.invalidField("recovered_amount", "must not be negative") }
        guard let award = schedule.reward(grade: grade, recoveredAmount: recoveredAmount, verified: true) else {
            let known = schedule.grades.keys.sorted().map(String.init).joined(separator: ", ")
            throw ReportWorkflowError.invalidField("grade", "\(grade) is not a grade of the reward schedule (\(known))")
        }
        self.recoveredAmount = recoveredAmount
        self.grade = grade
        advance(to: .confirmed, by: actor, at: date)
        self.award = award
        advance(to: .rewarded, by: actor, at: date)
    }

    /// 查无实据: the report is closed as unfounded, with the written reason.
    public mutating func dismiss(reason: String, by actor: String, at date: Date) throws {
        try require([.assigned, .investigating], "decided unfounded")
        guard reason.trimmingCharacters(in: .whitespaces).count >= 4 else {
            throw ReportWorkflowError.invalidField("reason", "an unfounded report needs a written reason")
        }
        unfoundedReason = reason
        advance(to: .unfounded, by: actor, at: date)
    }

    /// 奖励发放: the reward is paid; the payment reference is what the finance office can trace.
    public mutating func pay(reference: String, by actor: String, at date: Date) throws {
        try require([.rewarded], "paid")
        guard !reference.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ReportWorkflowError.invalidField("payment_reference", "is required")
        }
        paymentReference = reference
        advance(to: .paid, by: actor, at: date)
    }

    /// Steps after `number`: those not yet told to the reporter.
    public func steps(after number: Int) -> [ReportStep] { steps.filter { $0.number > number } }

    private func require(_ states: Set<ReportState>, _ action: String) throws {
        guard states.contains(state) else { throw ReportWorkflowError.invalidTransition(from: state, action: action) }
    }

    private mutating func advance(to next: ReportState, by actor: String, at date: Date) {
        state = next
        steps.append(ReportStep(number: step + 1, state: next, actor: actor, at: date))
    }
}
