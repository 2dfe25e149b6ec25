import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// The decision form: the verdict and, as it requires, the amount or the reason.
private struct DecisionForm: Decodable {
    var decision: String
    var amount: String?
    var reason: String?

    var request: DecisionRequest {
        get throws {
            guard let verdict = DecisionRequest.Verdict(rawValue: decision) else { throw HTTPError(.badRequest, message: "decision is not one of the offered conclusions") }
            let text = (amount ?? "").trimmingCharacters(in: .whitespaces)
            guard text.isEmpty || Decimal(string: text) != nil else { throw HTTPError(.badRequest, message: "amount must be a number of yuan") }
            let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            return DecisionRequest(decision: verdict, amount: text.isEmpty ? nil : Decimal(string: text),
                                   reason: trimmedReason?.isEmpty == false ? trimmedReason : nil)
        }
    }
}

private struct EmptyForm: Decodable {}

extension Console {
    func registerItems(on console: RouterGroup<PlatformRequestContext>) {
        console.get("queue") { request, _ in
            let session = try await signedIn(request, [.firstReviewer, .secondReviewer], "queue.list", subject: "queue")
            let reviewLevel = level(of: session.reviewer)
            let items = try await workbench.queue.available(reviewLevel, for: session.reviewer).map { row -> [String: Any] in
                ["item_id": row.itemId, "claim_id": row.claimId, "medins_id": row.medinsId, "severity": row.severity.rawValue,
                 "severity_zh": ConsoleWords.severity(row.severity.rawValue),
                 "amount": "\(row.amount)", "enqueued_at": ConsoleWords.localTime(row.enqueuedAt)]
            }
            return try pages.render("queue", ["items": items, "level": reviewLevel == .first ? "初审 first level" : "复审 second level",
                                              "empty": items.isEmpty], session: session)
        }
        console.get("items/:id") { request, context in
            let id = try itemID(context)
            let session = try await signedIn(request, [.firstReviewer, .secondReviewer, .supervisor, .legalReviewer], "item.viewed", subject: "item:\(id)")
            let view = try await workbench.view(id, by: session.reviewer)
            return try pages.render("item", itemPage(view, for: session.reviewer), session: session)
        }
        console.post("items/:id/claim") { request, context in
            let id = try itemID(context)
            let (session, _) = try await posted(EmptyForm.self, request, [.firstReviewer, .secondReviewer], "item.claimed", subject: "item:\(id)")
            _ = try await workbench.claim(id, by: session.reviewer, level: level(of: session.reviewer))
            return ConsolePages.redirect("/console/items/\(id)")
        }
        console.post("items/:id/decision") { request, context in
            let id = try itemID(context)
            let (session, decision) = try await posted(DecisionForm.self, request, [.firstReviewer, .secondReviewer], "item.decided", subject: "item:\(id)")
            _ = try await workbench.decide(id, try decision.request, by: session.reviewer, level: level(of: session.reviewer))
            return ConsolePages.redirect("/console/items/\(id)")
        }
    }

    /// The item page's values from `Workbench.view`'s document: the claim's fee lines, the findings
    /// with their evidence, the decisions so far, and which forms the reviewer may use now.
    func itemPage(_ json: String, for reviewer: Reviewer) throws -> [String: Any] {
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        var item = document["item"] as? [String: Any] ?? [:]
        item["state_zh"] = ConsoleWords.itemState(item["state"])
        item["severity_zh"] = ConsoleWords.severity(item["severity"])
        let claim = document["claim"] as? [String: Any] ?? [:]
        let encounters = claim["fsi_encounter_dtos"] as? [[String: Any]] ?? []
        let findings = ConsoleWords.adding("severity", ConsoleWords.severity, to: document["findings"] as? [[String: Any]] ?? [])
        // The lines a standing finding rests on are marked with its patterns, so the reviewer sees the evidence in the claim.
        var evidence: [String: [String]] = [:]
        for finding in findings where finding["withdrawn_reason"] == nil {
            for rx in finding["evidence_lines"] as? [String] ?? [] { evidence[rx, default: []].append(finding["pattern"] as? String ?? "") }
        }
        let lines = encounters.flatMap { $0["fsi_order_dtos"] as? [[String: Any]] ?? [] }.map { line -> [String: Any] in
            guard let patterns = evidence[line["rx_id"] as? String ?? ""] else { return line }
            return line.merging(["evidence": patterns.joined(separator: " ")]) { $1 }
        }
        let state = item["state"] as? String ?? ""
        let reviewing = [WorkbenchRole.firstReviewer, .secondReviewer].contains(reviewer.role) && state == level(of: reviewer).pendingState.rawValue
        let heldByMe = (item["lease_holder"] as? String) == reviewer.user
        return ["item": item, "lines": lines, "findings": findings, "decisions": ConsoleWords.adding("level", ConsoleWords.level,
                                                                                                   to: ConsoleWords.adding("decision", ConsoleWords.verdict, to: document["decisions"] as? [[String: Any]] ?? [])), "answers": document["answers"] ?? [Any](),
                "encounters": encounters,
                "can_claim": reviewing && !heldByMe, "can_decide": reviewing && heldByMe,
                "institution": item["medins_id"] ?? ""]
    }

    func itemID(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.badRequest, message: "item ids are numbers") }
        return id
    }
}
