import AuditTrail
import CreditRules
import Events
import Foundation
import OperatorAccess
import Persistence
import PostgresNIO
import ReferenceData

/// `inspection.plans` (key plan id): a published double-random plan, or later its results.
struct InspectionPublished: Codable, Sendable {
    var planId: String
    /// plan or results
    var kind: String
    var plan: InspectionPlan?
    var results: [InspectionResult]?
}

struct InspectionResult: Codable, Sendable {
    var fixmedinsCode: String
    var outcome: String
    var findings: [String]?
}

/// Double-random inspection planning (双随机、一公开): targets from the institution directory
/// weighted by grade and region risk, inspectors from the directory given with the request. The
/// request is stored as drawn so anyone can re-run it (`verify`) and get the same plan.
struct InspectionPlans: Sendable {
    let database: Database
    let reference: ReferenceData
    let regionRisk: RegionRiskService

    struct CreateRequest: Codable, Sendable {
        var planId: String
        var seed: UInt64
        var targetCount: Int
        var inspectorsPerTarget: Int
        /// Regions to draw from; all when absent.
        var admdvs: [String]?
        var inspectors: [Inspector]
    }

    func create(_ request: CreateRequest, by person: OperatorIdentity, traceparent: String?) async throws -> InspectionPlan {
        let drawRequest = try await drawRequest(request)
        let plan: InspectionPlan
        do {
            plan = try InspectionDraw.draw(drawRequest)
        } catch {
            throw badRequest("the draw cannot be made: \(error)")
        }
        let published = InspectionPublished(planId: request.planId, kind: "plan", plan: plan, results: nil)
        try await database.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO \(unescaped: database.schema).inspection_plans (plan_id, request, plan, created_by)
                VALUES (\(request.planId), \(try Stored.json(drawRequest))::jsonb, \(try Stored.json(plan))::jsonb, \(person.user))
                ON CONFLICT (plan_id) DO NOTHING RETURNING 1
                """, logger: database.logger)
            var isNew = false
            for try await _ in inserted { isNew = true }
            guard isNew else { throw CreditRefusal("plan \(request.planId) exists; plans are never redrawn (verify re-runs it)") }
            try await publish(published, eventID: "inspection-plan:\(request.planId)", traceparent: traceparent, on: connection)
            try await AuditStore(database: database).append(by: person, "inspection.plan.drawn", subject: "plan:\(request.planId)",
                                                            details: ["fingerprint": plan.inputFingerprint], on: connection)
        }
        return plan
    }

    /// The stored plan and whether re-running the stored request with its seed gives it again.
    func verify(_ planId: String) async throws -> (plan: InspectionPlan, rerun: InspectionPlan) {
        let (request, plan) = try await stored(planId)
        return (plan, try InspectionDraw.draw(request))
    }

    func stored(_ planId: String) async throws -> (InspectionDrawRequest, InspectionPlan) {
        let rows = try await database.query("""
            SELECT request::text, plan::text FROM \(unescaped: database.schema).inspection_plans WHERE plan_id = \(planId)
            """, logger: database.logger)
        for try await (request, plan) in rows.decode((String, String).self) {
            return (try Stored.decode(InspectionDrawRequest.self, request), try Stored.decode(InspectionPlan.self, plan))
        }
        throw notFound("no inspection plan \(planId)")
    }

    /// Records the inspections' results once and publishes them (一公开).
    func publishResults(_ planId: String, results: [InspectionResult], by person: OperatorIdentity, traceparent: String?) async throws {
        let (_, plan) = try await stored(planId)
        let drawn = Set(plan.assignments.map(\.fixmedinsCode))
        if let stray = results.first(where: { !drawn.contains($0.fixmedinsCode) }) {
            throw badRequest("\(stray.fixmedinsCode) was not drawn in plan \(planId)")
        }
        try await database.transaction { connection in
            try await connection.query("""
                UPDATE \(unescaped: database.schema).inspection_plans SET results = \(try Stored.json(results))::jsonb WHERE plan_id = \(planId)
                """, logger: database.logger)
            try await publish(InspectionPublished(planId: planId, kind: "results", plan: nil, results: results),
                              eventID: "inspection-results:\(planId)", traceparent: traceparent, on: connection)
            try await AuditStore(database: database).append(by: person, "inspection.results.published", subject: "plan:\(planId)",
                                                            details: ["results": "\(results.count)"], on: connection)
        }
    }

    private func publish(_ payload: InspectionPublished, eventID: String, traceparent: String?, on connection: PostgresConnection) async throws {
        let event = try CloudEvent(id: eventID, source: "/credit", type: EventType.inspectionPlan, traceparent: traceparent, encoding: payload)
        try await Outbox.enqueue(event, topic: Topic.inspectionPlans, key: payload.planId, schema: database.schema, on: connection,
                                 logger: database.logger)
    }

    /// The target directory: reference institutions (of the regions asked), with their current
    /// grade (A when they have no file) and their region's latest risk level as weight.
    private func drawRequest(_ request: CreateRequest) async throws -> InspectionDrawRequest {
        let kb = try reference.knowledgeBase
        let regions = request.admdvs.map(Set.init)
        let grades = try await currentGrades()
        let risk = Dictionary(try await regionRisk.latest().map { ($0.result.admdvs, $0.result.level) }, uniquingKeysWith: { a, _ in a })
        let targets = kb.institutions.values.filter { regions?.contains($0.admdvs) ?? true }.map { institution in
            InspectionTarget(fixmedinsCode: institution.code, grade: grades[institution.code] ?? .A,
                             riskWeight: risk[institution.admdvs]?.drawWeight ?? 1)
        }
        return InspectionDrawRequest(targets: targets, inspectors: request.inspectors, targetCount: request.targetCount,
                                     inspectorsPerTarget: request.inspectorsPerTarget, seed: request.seed)
    }

    func currentGrades() async throws -> [String: CreditGrade] {
        let rows = try await database.query("""
            SELECT subject_id, grade FROM \(unescaped: database.schema).standing WHERE subject_kind = 'institution'
            """, logger: database.logger)
        var grades: [String: CreditGrade] = [:]
        for try await (id, grade) in rows.decode((String, String).self) { grades[id] = CreditGrade(rawValue: grade) }
        return grades
    }
}
