import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// 立案: the confirmed items ticked and the behaviour found.
private struct OpenCaseForm: Decodable {
    var itemIds: [String]?
    var kind: String

    enum CodingKeys: String, CodingKey { case itemIds = "item_ids", kind }

    var request: OpenCaseRequest {
        get throws {
            let ids = (itemIds ?? []).compactMap { Int64($0) }
            guard !ids.isEmpty, ids.count == itemIds?.count else { throw HTTPError(.badRequest, message: "item_ids: tick at least one confirmed item") }
            guard let kind = ViolationKind(rawValue: kind) else { throw HTTPError(.badRequest, message: "kind is not a behaviour of the regulation") }
            return OpenCaseRequest(itemIds: ids, kind: kind)
        }
    }
}

/// 立案 from an inspection or a lead: the source, the institution, the amount established and one piece of
/// evidence (its title and the SHA-256 of the file in the bureau's document store).
private struct SourcedCaseForm: Decodable {
    var sourceKind: String
    var reference: String
    var medinsId: String
    var amount: String
    var evidenceTitle: String
    var evidenceSha256: String
    var kind: String

    enum CodingKeys: String, CodingKey {
        case sourceKind = "source_kind", reference, medinsId = "medins_id", amount, evidenceTitle = "evidence_title",
             evidenceSha256 = "evidence_sha256", kind
    }

    var request: OpenCaseRequest {
        get throws {
            guard let source = CaseSourceKind(rawValue: sourceKind) else { throw HTTPError(.badRequest, message: "source_kind is not a case source") }
            guard let kind = ViolationKind(rawValue: kind) else { throw HTTPError(.badRequest, message: "kind is not a behaviour of the regulation") }
            guard let amount = Decimal(string: amount.trimmingCharacters(in: .whitespaces)) else { throw HTTPError(.badRequest, message: "amount must be a number of yuan") }
            let evidence = AttachedEvidence(kind: source.isInspection ? .inspectionRecord : .document, title: evidenceTitle,
                                            sha256: evidenceSha256.trimmingCharacters(in: .whitespaces).lowercased())
            var request = OpenCaseRequest(kind: kind)
            (request.source, request.medinsId, request.amount, request.evidence) = (CaseSource(kind: source, reference: reference), medinsId, amount, [evidence])
            return request
        }
    }
}

/// A departure from the proposal: the fine (yuan) decided instead, with the written reason.
private struct DepartureForm: Decodable {
    var fineAmount: String?
    var reason: String

    enum CodingKeys: String, CodingKey { case fineAmount = "fine_amount", reason }
}

private struct LegalForm: Decodable {
    var approved: String
    var opinion: String?
}

private struct NoFields: Decodable {}

extension Console {
    func registerCases(on console: RouterGroup<PlatformRequestContext>) {
        console.post("cases") { request, _ in
            let (session, fields) = try await posted(OpenCaseForm.self, request, [.supervisor], "case.opened", subject: "case")
            let record = try await workbench.openCase(try fields.request, by: session.reviewer)
            return ConsolePages.redirect("/console/cases/\(record.caseId)")
        }
        console.post("cases/sourced") { request, _ in
            let (session, fields) = try await posted(SourcedCaseForm.self, request, [.supervisor], "case.opened", subject: "case")
            let record = try await workbench.openCase(try fields.request, by: session.reviewer)
            return ConsolePages.redirect("/console/cases/\(record.caseId)")
        }
        console.get("cases/:id") { request, context in
            let id = try context.parameters.require("id")
            let session = try await signedIn(request, [.supervisor, .legalReviewer, .auditor], "case.viewed", subject: "case:\(id)")
            let record = try await workbench.showCase(id, by: session.reviewer)
            return try pages.render("case", casePage(record, for: session.reviewer), session: session)
        }
        registerCircumstances(on: console)
        caseAction(console, "submit", NoFields.self, [.supervisor], "case.submitted") { id, _, reviewer in
            _ = try await workbench.submit(id, by: reviewer)
        }
        caseAction(console, "publish", NoFields.self, [.supervisor], "case.published") { id, _, reviewer in
            _ = try await workbench.publish(id, by: reviewer)
        }
        caseAction(console, "departure", DepartureForm.self, [.supervisor], "case.departed") { id, form, reviewer in
            let text = (form.fineAmount ?? "").trimmingCharacters(in: .whitespaces)
            guard let fine = text.isEmpty ? Decimal(0) : Decimal(string: text) else { throw HTTPError(.badRequest, message: "fine_amount must be a number of yuan") }
            _ = try await workbench.depart(id, DepartureRequest(fineAmount: fine > 0 ? fine : nil, reason: form.reason), by: reviewer)
        }
        caseAction(console, "legal-review", LegalForm.self, [.legalReviewer], "case.legal_review") { id, form, reviewer in
            let opinion = form.opinion?.trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await workbench.legalReview(id, LegalReviewRequest(approved: form.approved == "yes", opinion: opinion), by: reviewer)
        }
    }

    /// A form on a case that calls one workbench function and shows the case again.
    func caseAction<Form: Decodable & Sendable>(_ console: RouterGroup<PlatformRequestContext>, _ path: String, _ type: Form.Type,
                                                        _ roles: Set<WorkbenchRole>, _ action: String,
                                                        _ body: @escaping @Sendable (String, Form, Reviewer) async throws -> Void) {
        console.post("cases/:id/\(path)") { request, context in
            let id = try context.parameters.require("id")
            let (session, fields) = try await posted(Form.self, request, roles, action, subject: "case:\(id)")
            try await body(id, fields, session.reviewer)
            return ConsolePages.redirect("/console/cases/\(id)")
        }
    }

    /// The case page: facts, the discretion calculator's proposal with its reasoning, the legal
    /// opinion, the history, and the forms the reviewer's post may use in the case's state.
    func casePage(_ record: CaseRecord, for reviewer: Reviewer) -> [String: Any] {
        let proposal = record.proposal, decision = record.decision, state = record.state
        let supervisor = reviewer.role == .supervisor
        var page: [String: Any] = [
            "case_id": record.caseId, "medins_id": record.medinsId, "admdvs": record.admdvs, "state": state.rawValue, "state_zh": state.chineseName,
            "published": state == .published, "kind": record.violation.kind.title, "amount": "\(record.violation.amount)",
            "article": proposal.article.citation, "recover": "\(proposal.recoverAmount)", "fine": "\(proposal.fineAmount)",
            "suspension": proposal.suspensionMonths, "terminate": proposal.terminateAgreement, "police": proposal.referToPolice,
            "major": proposal.isMajor, "major_reasons": proposal.majorReasons.map(\.title).joined(separator: "、"),
            "source_zh": (record.source?.kind ?? .claimReview).chineseName, "source_reference": record.source?.reference ?? "",
            "attachments": (record.attachments ?? []).map { ["title": $0.title, "sha256": $0.sha256] },
            "reasoning": proposal.reasoning,
            "transitions": decision.transitions.map { ["from": $0.from.chineseName, "to": $0.to.chineseName, "actor": $0.actor,
                                                       "at": ConsoleWords.localTime($0.at), "note": $0.note] },
            "can_submit": supervisor && state == .proposed, "can_depart": supervisor && [CaseState.proposed, .legallyRefused].contains(state),
            "can_publish": supervisor && [CaseState.approved, .legallyApproved].contains(state),
            "can_review": reviewer.role == .legalReviewer && state == .awaitingLegalReview,
        ]
        page.merge(partiesPage(record, for: reviewer)) { _, new in new }
        page["departure"] = proposal.departure?.reason
        if let opinion = decision.legalOpinion {
            page["opinion"] = ["reviewer": opinion.reviewer, "approved": opinion.approved ? "通过 approved" : "不通过 refused", "text": opinion.opinion]
        }
        return page
    }
}
