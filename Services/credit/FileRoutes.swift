import CreditRules
import Events
import Foundation
import HISContract
import Hummingbird
import OperatorAccess
import PostgresNIO
import ServiceKit

/// Credit files over HTTP: read a file, enter facts, objections, rectification, refunds and repair.
/// Every route needs an operator token: credit officers write, auditors may read; the person is recorded in the entry and the audit chain.
struct FileRoutes: Sendable {
    let process: FileProcess
    let reports: FileReports
    let operators: OperatorGate

    func register(on router: Router<PlatformRequestContext>) {
        router.get("/api/files/:kind/:id") { request, context in
            _ = try await operators.require(request, [.creditOfficer, .auditor])
            return try jsonResponse(try await reports.file(try subject(context)))
        }
        router.post("/api/files/:kind/:id/facts") { request, context in
            try await fact(request, context)
        }
        // The officer is identified before the body is read: a caller without the role learns nothing of the body's rules.
        router.post("/api/files/:kind/:id/entries/:entry/objection") { request, context in
            let person = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(ObjectionBody.self)
            return try await step(person, context, suffix: "objection") { .objectionFiled(against: $0, grounds: body.grounds) }
        }
        router.post("/api/files/:kind/:id/entries/:entry/objection/decision") { request, context in
            try await objectionDecision(try await operators.require(request, [.creditOfficer]), request, context)
        }
        router.post("/api/files/:kind/:id/entries/:entry/rectification") { request, context in
            try await step(try await operators.require(request, [.creditOfficer]), context, suffix: "rectification") { .rectificationVerified(of: $0) }
        }
        router.post("/api/files/:kind/:id/entries/:entry/refunds") { request, context in
            let person = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(RefundBody.self)
            return try await step(person, context, suffix: "refund-\(body.reference)") { .refundReceived(of: $0, amount: body.amount) }
        }
        router.post("/api/files/:kind/:id/entries/:entry/repair") { request, context in
            try await step(try await operators.require(request, [.creditOfficer]), context, suffix: "repair-request-\(process.clock.today())") {
                .repairRequested(of: $0)
            }
        }
        router.post("/api/files/:kind/:id/entries/:entry/repair/decision") { request, context in
            let person = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(DecisionBody.self)
            guard let approved = body.approved else { throw badRequest("approved is required") }
            return try await step(person, context, suffix: "repair-decision-\(process.clock.today())") {
                approved ? .repairApproved(of: $0, reason: body.reason) : .repairRejected(of: $0, reason: body.reason)
            }
        }
    }

    private func subject(_ context: PlatformRequestContext) throws -> CreditSubject {
        let kind = try context.parameters.require("kind")
        guard let parsed = CreditSubject.Kind(wireName: kind) else {
            throw badRequest("kind must be one of \(CreditSubject.Kind.allCases.map(\.wireName).joined(separator: ", ")), got '\(kind)'")
        }
        return CreditSubject(kind: parsed, id: try context.parameters.require("id"))
    }

    /// One process step on an entry; its id is the target's plus `suffix`, so a retry is one entry.
    private func step(_ actor: OperatorIdentity, _ context: PlatformRequestContext, suffix: String,
                      effects: FileProcess.Effects? = nil,
                      _ event: (String) -> CreditEvent) async throws -> Response {
        let subject = try subject(context)
        let target = try context.parameters.require("entry")
        let provenance = Provenance(source: "api", rule: nil, evidence: [])
        let outcome = try await process.record(event(target), id: "\(target)/\(suffix)", subject: subject, by: actor, provenance: provenance,
                                               traceparent: context.trace.traceparent, effects: effects)
        return try jsonResponse(outcome, status: outcome.entry == nil ? .ok : .created)
    }

    private func objectionDecision(_ person: OperatorIdentity, _ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let body = try await request.decode(DecisionBody.self)
        guard let upheld = body.upheld else { throw badRequest("upheld is required") }
        let subject = try subject(context)
        let target = try context.parameters.require("entry")
        return try await step(person, context, suffix: "objection-decision",
                              effects: process.objectionEffects(subject: subject, target: target, reason: body.reason)) {
            upheld ? .objectionUpheld(against: $0, reason: body.reason) : .objectionRejected(against: $0, reason: body.reason)
        }
    }

    private func fact(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let actor = try await operators.require(request, [.creditOfficer])
        let body = try await request.decode(FactBody.self)
        let fact: CreditFact
        switch body.type {
        case "commitment_kept": fact = .commitmentKept(commitmentId: body.reference)
        case "commitment_broken": fact = .commitmentBroken(commitmentId: body.reference)
        case "overdue_contribution": fact = .overdueContribution(amount: try positive(body.amount))
        case "self_correction": fact = .selfCorrection(refunded: try positive(body.amount), summary: body.summary ?? "")
        default: throw badRequest("type must be commitment_kept, commitment_broken, overdue_contribution or self_correction")
        }
        let outcome = try await process.record(.fact(fact), id: "\(body.type):\(body.reference)", subject: try subject(context), by: actor,
                                               provenance: Provenance(source: "api", rule: nil, evidence: ["reference:\(body.reference)"]),
                                               traceparent: context.trace.traceparent)
        return try jsonResponse(outcome, status: outcome.entry == nil ? .ok : .created)
    }

    private func positive(_ amount: Decimal?) throws -> Decimal {
        guard let amount, amount > 0 else { throw badRequest("amount (yuan, above zero) is required for this type") }
        return amount
    }
}
