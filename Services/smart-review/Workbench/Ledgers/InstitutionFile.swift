import Foundation
import PostgresNIO
import ReviewWorkflow

/// 一院一档: one institution's file — every item with its findings, decisions and answers, its cases
/// with their handling, its answers and refunds, and its rectifications — as one JSON document built
/// by PostgreSQL from the stored rows (`LedgerStore.institutionFile`). Reading it is recorded like any other action.
extension Workbench {
    func institutionFile(_ medins: String, by reviewer: Reviewer) async throws -> String {
        try await perform(reviewer, "institution.file_viewed", subject: "institution:\(medins)") { connection in
            try reviewer.requireInstitution(medins)
            guard let region = try reference.knowledgeBase.institutions[medins]?.admdvs else {
                throw WorkbenchError.notFound("no institution \(medins)")
            }
            try reviewer.requireAccess(medins: medins, region: region)
            return (try await ledgers.institutionFile(medins, region: region, forInstitution: reviewer.role == .institution, on: connection), ["admdvs": region])
        }
    }
}
