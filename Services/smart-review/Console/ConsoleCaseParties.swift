import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// The supervisor's circumstances form: checkboxes send "yes", the notice one of `InstitutionNotice` or nothing.
private struct CircumstancesForm: Decodable {
    var officials: String?
    var typical: String?
    var institutionNotice: String?

    enum CodingKeys: String, CodingKey { case officials, typical, institutionNotice = "institution_notice" }

    var request: CircumstancesRequest {
        get throws {
            let notice = (institutionNotice ?? "").isEmpty ? nil : InstitutionNotice(rawValue: institutionNotice ?? "")
            if notice == nil, !(institutionNotice ?? "").isEmpty { throw HTTPError(.badRequest, message: "institution_notice is not a notice") }
            return CircumstancesRequest(publicOfficialsInvolved: officials == "yes", institutionNotice: notice, typical: typical == "yes")
        }
    }
}

/// The case page's parties, circumstances and the agencies' answers.
extension Console {
    func registerCircumstances(on console: RouterGroup<PlatformRequestContext>) {
        caseAction(console, "circumstances", CircumstancesForm.self, [.supervisor], "case.circumstances") { id, form, reviewer in
            _ = try await workbench.recordCircumstances(id, try form.request, by: reviewer)
        }
    }

    func partiesPage(_ record: CaseRecord, for reviewer: Reviewer) -> [String: Any] {
        let circumstances = record.circumstances ?? CaseCircumstances()
        let parties = (record.parties?.parties ?? []).map { party -> [String: Any] in
            ["id": party.id, "kind": party.kind.chineseName, "role": party.role.chineseName,
             "conduct": party.conduct.map(\.title).joined(separator: "；")]
        }
        let agencies = (record.agencies ?? []).map { agency -> [String: Any] in
            ["agency": agency.subscriberId, "type": agency.subscriberType, "decision": agency.decision ?? "", "overdue": agency.overdue,
             "acknowledged": agency.acknowledgedAt.map { ConsoleWords.localTime($0) } ?? "未确认"]
        }
        return ["parties": parties, "evidence_practitioners": (record.evidence?.practitioners.sorted() ?? []).joined(separator: "、"),
                "officials": circumstances.publicOfficialsInvolved, "typical": circumstances.typical,
                "notice": circumstances.institutionNotice?.chineseName ?? "按处理措施", "policy_version": record.policyVersion.map(String.init) ?? "—",
                "agencies": agencies, "has_agencies": !agencies.isEmpty,
                "can_circumstances": reviewer.role == .supervisor && record.state != .published]
    }
}
