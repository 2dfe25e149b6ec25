import Foundation
import ReviewWorkflow

extension ScriptedReviewers {
    /// The supervisor opens one case per institution from its items confirmed at the last level,
    /// submits it, has the legal reviewer approve it when it is major, and publishes it.
    func openCases(_ region: String, confirmed: [Int64: Set<String>], report: inout Report) async throws {
        let supervisor = try await person(.supervisor, region), legal = try await person(.legalReviewer, region)
        var byInstitution: [String: [Int64]] = [:], doctors: [String: Set<String>] = [:]
        for id in confirmed.keys.sorted() {
            let view = try await supervisor.view(id)
            if view.item.state == "sampling" { report.awaitingSample += 1 }
            guard view.item.state == "decided", view.decisions.max(by: { $0.level < $1.level })?.decision == "confirmed" else { continue }
            byInstitution[view.item.medinsId, default: []].append(id)
            doctors[view.item.medinsId, default: []].formUnion(view.doctors)
        }
        for (institution, items) in byInstitution.sorted(by: { $0.key < $1.key }) {
            let patterns = items.reduce(into: Set<String>()) { $0.formUnion(confirmed[$1] ?? []) }
            do {
                // The scripted supervisor holds the institution and every attending doctor of the items responsible.
                let kind = ScriptedPolicy.kind(of: patterns)
                let parties = [NamedParty(id: institution, kind: .institution, role: .offender, conduct: [kind])]
                    + doctors[institution, default: []].sorted().map { NamedParty(id: $0, kind: .practitioner, role: .responsible, conduct: [kind]) }
                let opened = try await supervisor.openCase(items: items, kind: kind, parties: parties)
                var state = try await supervisor.submit(opened.caseId)
                if state.decision.state == CaseState.awaitingLegalReview.rawValue {
                    state = try await legal.legalReview(opened.caseId, approved: true, opinion: "脚本法制审核：事实清楚，依据充分，同意")
                    report.majorCasesApproved += 1
                }
                _ = try await supervisor.publish(state.caseId)
                report.casesPublished.append(PublishedCase(caseId: opened.caseId, institution: institution, items: items,
                                                           doctors: doctors[institution, default: []].sorted(),
                                                           major: state.decision.isMajor))
            } catch {
                report.problems.append("case of \(institution) (items \(items)): \(error)")
            }
        }
    }
}

/// A case the scripted supervisor published, with the parties credit will score.
public struct PublishedCase: Sendable, Equatable {
    public var caseId: String
    public var institution: String
    public var items: [Int64]
    public var doctors: [String]
    public var major: Bool
}
