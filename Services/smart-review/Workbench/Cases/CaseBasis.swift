import Foundation
import PostgresNIO
import ReviewWorkflow

/// What a case stands on, whatever its source (案件来源): the institution and region, the amount to
/// recover, the people its evidence names, the items (claim review only), the reviewers who already
/// handled it and the institution's answers considered.
struct CaseBasis: Sendable {
    var institution: String
    var region: String
    var amount: Decimal
    var people: EvidencePeople
    var items: [Int64] = []
    var handlers: Set<String> = []
    var answers: [AnswerRecord] = []
    var source: CaseSource
    var attachments: [AttachedEvidence]?
}

extension Workbench {
    /// The basis of the case `request` opens: confirmed items for a claim-review case, otherwise the
    /// source's facts and attached evidence about an institution of the reviewer's region.
    func basis(of request: OpenCaseRequest, by reviewer: Reviewer, on connection: PostgresConnection) async throws -> CaseBasis {
        guard let source = request.source, source.kind != .claimReview else {
            return try await claimReviewBasis(request.itemIds ?? [], by: reviewer, on: connection)
        }
        return try await sourcedBasis(source, request, by: reviewer, on: connection)
    }

    private func claimReviewBasis(_ items: [Int64], by reviewer: Reviewer, on connection: PostgresConnection) async throws -> CaseBasis {
        let confirmed = try await cases.confirmedItems(items, by: reviewer, on: connection)
        let handlers = try await queue.history(of: items, on: connection).values
            .reduce(into: Set<String>()) { $0.formUnion($1.acts.map(\.reviewer)) }
        let people = try await cases.evidencePeople(of: items, institution: confirmed.institution,
                                                    isPharmacy: try isPharmacy(confirmed.institution), on: connection)
        return CaseBasis(institution: confirmed.institution, region: confirmed.region, amount: confirmed.amount, people: people,
                         items: items, handlers: handlers, answers: try await ledgers.answers(items: items, caseID: nil, on: connection),
                         source: CaseSource(kind: .claimReview, reference: items.map(String.init).joined(separator: ",")))
    }

    /// An inspection, a lead or a report names the institution (the reference data's directory gives its
    /// region); a report must be one of the workbench's, in the reviewer's region.
    private func sourcedBasis(_ source: CaseSource, _ request: OpenCaseRequest, by reviewer: Reviewer,
                              on connection: PostgresConnection) async throws -> CaseBasis {
        guard request.itemIds?.isEmpty ?? true else { throw WorkbenchError.malformed("item_ids: only a claim-review case stands on items") }
        let facts: SourcedCaseFacts
        do { facts = try SourcedCaseFacts(source: source, amount: request.amount ?? 0, evidence: request.evidence ?? []) }
        catch let error as CaseSourceError { throw WorkbenchError.invalid(error.description) }
        guard let medins = request.medinsId, let institution = try reference.knowledgeBase.institutions[medins] else {
            throw WorkbenchError.invalid("medins_id: a designated institution of the directory is required for a case from \(source.kind.rawValue)")
        }
        try reviewer.requireScope(institution.admdvs)
        if source.kind == .whistleblowerReport {
            let report = try await reports.load(source.reference, on: connection)
            try reviewer.requireScope(report.admdvs)
        }
        return CaseBasis(institution: medins, region: institution.admdvs, amount: facts.amount,
                         people: facts.people(institution: medins, isPharmacy: institution.type == .pharmacy),
                         source: source, attachments: facts.evidence)
    }

    func isPharmacy(_ institution: String) throws -> Bool {
        try reference.knowledgeBase.institutions[institution]?.type == .pharmacy
    }
}
