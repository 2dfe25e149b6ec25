import Events
import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

struct AssignReportRequest: Decodable, Sendable {
    var assignee: String
}

struct LinkReportRequest: Decodable, Sendable {
    var claimIds: [String]?
    var institutionIds: [String]?
    var caseIds: [String]?

    var links: ReportLinks { ReportLinks(claims: claimIds ?? [], institutions: institutionIds ?? [], cases: caseIds ?? []) }
}

/// `confirmed` with the grade (and the recovered amount, unless linked published cases give it), or
/// `unfounded` with the reason.
struct ReportDecisionRequest: Decodable, Sendable {
    var outcome: String
    var recoveredAmount: Decimal?
    var grade: Int?
    var reason: String?
}

struct ReportPaymentRequest: Decodable, Sendable {
    var paymentReference: String
}

/// The report's workflow on the workbench: each action in one transaction with its audit entry and
/// the progress events of the steps it took (`reports.progress`, through the outbox).
extension Workbench {
    func listReports(by reviewer: Reviewer, state: ReportState?) async throws -> [ReportRecord] {
        try await perform(reviewer, "report.listed", subject: "reports") { connection in
            let found = try await reports.list(in: reviewer, state: state, on: connection)
            return (found, ["state": state?.rawValue ?? "any", "count": "\(found.count)"])
        }
    }

    func viewReport(_ id: String, by reviewer: Reviewer) async throws -> ReportRecord {
        try await changeReport(id, "report.viewed", by: reviewer) { _, _ in [:] }
    }

    func assignReport(_ id: String, _ request: AssignReportRequest, by reviewer: Reviewer) async throws -> ReportRecord {
        try await changeReport(id, "report.assigned", by: reviewer) { record, _ in
            try record.workflow.assign(to: request.assignee, by: reviewer.user, at: Date())
            return ["assignee": request.assignee]
        }
    }

    func linkReport(_ id: String, _ request: LinkReportRequest, by reviewer: Reviewer) async throws -> ReportRecord {
        try await changeReport(id, "report.linked", by: reviewer) { record, connection in
            try record.workflow.link(request.links, by: reviewer.user, at: Date())
            try await validate(request.links, by: reviewer, on: connection)
            return ["claims": request.links.claims.joined(separator: ","), "institutions": request.links.institutions.joined(separator: ","),
                    "cases": request.links.cases.joined(separator: ",")]
        }
    }

    func decideReport(_ id: String, _ request: ReportDecisionRequest, by reviewer: Reviewer) async throws -> ReportRecord {
        try await changeReport(id, "report.decided", by: reviewer) { record, connection in
            switch request.outcome {
            case "unfounded":
                try record.workflow.dismiss(reason: request.reason ?? "", by: reviewer.user, at: Date())
                return ["outcome": "unfounded", "reason": request.reason ?? ""]
            case "confirmed":
                guard let grade = request.grade else { throw ReportWorkflowError.invalidField("grade", "is required to confirm a report") }
                let recovered = try await recoveredAmount(request, cases: record.workflow.links.cases, on: connection)
                try record.workflow.confirm(recoveredAmount: recovered, grade: grade, schedule: rewards, by: reviewer.user, at: Date())
                let award = record.workflow.award
                return ["outcome": "confirmed", "grade": "\(grade)", "recovered_amount": "\(recovered)",
                        "reward": "\(award?.amount ?? 0)", "floor_applied": "\(award?.floorApplied ?? false)",
                        "cap_applied": "\(award?.capApplied ?? false)"]
            default:
                throw ReportWorkflowError.invalidField("outcome", "must be confirmed or unfounded")
            }
        }
    }

    func payReport(_ id: String, _ request: ReportPaymentRequest, by reviewer: Reviewer) async throws -> ReportRecord {
        try await changeReport(id, "report.paid", by: reviewer) { record, _ in
            try record.workflow.pay(reference: request.paymentReference, by: reviewer.user, at: Date())
            return ["payment_reference": request.paymentReference, "amount": "\(record.workflow.award?.amount ?? 0)"]
        }
    }

    /// Loads the report locked and in scope, applies `change`, publishes its new steps and stores it.
    private func changeReport(_ id: String, _ action: String, by reviewer: Reviewer,
                              _ change: @escaping @Sendable (inout ReportRecord, PostgresConnection) async throws -> [String: String]) async throws -> ReportRecord {
        try await perform(reviewer, action, subject: "report:\(id)") { connection in
            var record = try await reports.load(id, on: connection)
            try reviewer.requireScope(record.admdvs)
            let before = record.workflow.step
            let details = try await reportRules { try await change(&record, connection) }
            guard record.workflow.step != before else { return (record, details) }
            try await publishProgress(of: record.workflow, after: before, on: connection)
            try await reports.save(record, on: connection)
            return (record, details.merging(["state": record.workflow.state.rawValue, "step": "\(record.workflow.step)"]) { new, _ in new })
        }
    }

    private func publishProgress(of report: WhistleblowerReport, after step: Int, on connection: PostgresConnection) async throws {
        for taken in report.steps(after: step) {
            let rewarded = taken.state == .rewarded || taken.state == .paid
            let progress = ReportProgress(reportId: report.reportId, step: taken.number, status: taken.state.rawValue,
                                          rewardAmount: rewarded ? report.award?.amount : nil, paid: taken.state == .paid, at: taken.at)
            try await Outbox.enqueue(try CloudEvent(id: progress.eventID, source: "/smart-review", type: EventType.reportProgress, encoding: progress),
                                     topic: Topic.reportsProgress, key: report.reportId, schema: schema, on: connection, logger: database.logger)
        }
    }

    /// The workflow's refusals in the workbench's words: a wrong state and another's report are recorded
    /// refusals, a missing or wrong value names the field.
    private func reportRules<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ReportWorkflowError {
            switch error {
            case .invalidTransition: throw WorkbenchError.refusedInState(error.description)
            case .notAssignee: throw WorkbenchError.refused(error.description)
            case .invalidField: throw WorkbenchError.invalid(error.description)
            }
        }
    }
}
