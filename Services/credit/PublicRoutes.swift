import CreditRules
import Foundation
import HISContract
import OperatorAccess
import Hummingbird
import Persistence
import PostgresNIO
import ReferenceData
import ServiceKit

/// Points, lists, region risk, inspection plans and charts. Lists, region risk levels, plans and
/// charts are public (守信/失信名单 and 双随机、一公开 are published by design, the grade chart holds
/// counts only); a practitioner's points and every write need the operator's token.
struct PublicRoutes: Sendable {
    let database: Database
    let points: PointsStore
    let regionRisk: RegionRiskService
    let plans: InspectionPlans
    let reference: ReferenceData
    let clock: CreditClock
    let operators: OperatorGate

    struct PeriodBody: Decodable {
        var periodStart: String
        var periodEnd: String
    }

    struct ResultsBody: Decodable { var results: [InspectionResult] }

    func register(on router: Router<PlatformRequestContext>) {
        router.get("/api/practitioners/:prac/points") { request, context in
            _ = try await operators.require(request, [.creditOfficer, .auditor])
            return try jsonResponse(try await pointsState(try context.parameters.require("prac"), on: try date(request, "on")))
        }
        router.get("/api/lists/:list") { _, context in try jsonResponse(try await list(try context.parameters.require("list"))) }
        router.get("/api/regions/risk") { _, _ in try jsonResponse(try await regionRisk.latest()) }
        router.post("/api/regions/risk") { request, _ in
            let person = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(PeriodBody.self)
            return try jsonResponse(try await regionRisk.recompute(from: try CreditCalendar.parse(body.periodStart, field: "period_start"),
                                                                   to: try CreditCalendar.parse(body.periodEnd, field: "period_end"), by: person),
                                    status: .created)
        }
        registerPlans(on: router)
        router.get("/api/charts/grades.svg") { _, _ in svgResponse(try await gradeChart()) }
        router.get("/api/charts/practitioners/:prac/points.svg") { request, context in
            let prac = try context.parameters.require("prac")
            let year = try request.uri.queryParameters.get("year").map { text in
                guard let year = Int(text) else { throw badRequest("year must be a number") }
                return year
            } ?? clock.today().year
            let state = try await pointsState(prac, on: CivilDate(year: year, month: 12, day: 31) ?? clock.today())
            return svgResponse(Charts.pointsOverYear(practitioner: prac, year: year, points: state.steps(in: year)))
        }
        router.get("/openapi.yaml") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "credit", withExtension: "yaml")) }
    }

    private func registerPlans(on router: Router<PlatformRequestContext>) {
        router.post("/api/inspection-plans") { request, context in
            let actor = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(InspectionPlans.CreateRequest.self)
            return try jsonResponse(try await plans.create(body, by: actor, traceparent: context.trace.traceparent), status: .created)
        }
        router.get("/api/inspection-plans/:plan") { _, context in
            try jsonResponse(try await plans.stored(try context.parameters.require("plan")).1)
        }
        router.get("/api/inspection-plans/:plan/verify") { _, context in
            let (plan, rerun) = try await plans.verify(try context.parameters.require("plan"))
            return try jsonResponse(Verification(reproducible: plan == rerun, inputFingerprint: rerun.inputFingerprint,
                                                 seed: "\(plan.seed)", rerun: rerun))
        }
        // The annual plan (年度检查计划) is public like the draws (双随机、一公开); `admdvs` (comma-separated) narrows it.
        router.get("/api/annual-inspection-plans/:year") { request, context in
            guard let year = Int(try context.parameters.require("year")), (2000...9999).contains(year) else {
                throw badRequest("year: a calendar year such as 2026")
            }
            let regions = request.uri.queryParameters.get("admdvs").map { Set($0.split(separator: ",").map(String.init)) }
            return try jsonResponse(try await plans.annual(year, regions: regions))
        }
        router.post("/api/inspection-plans/:plan/results") { request, context in
            let person = try await operators.require(request, [.creditOfficer])
            let body = try await request.decode(ResultsBody.self)
            try await plans.publishResults(try context.parameters.require("plan"), results: body.results, by: person,
                                           traceparent: context.trace.traceparent)
            return try jsonResponse(["published": body.results.count], status: .created)
        }
    }

    struct Verification: Encodable {
        var reproducible: Bool
        var inputFingerprint: String
        var seed: String
        var rerun: InspectionPlan
    }

    private func date(_ request: Request, _ name: String) throws -> CivilDate {
        try request.uri.queryParameters.get(name).map { try CreditCalendar.parse($0, field: name) } ?? clock.today()
    }

    private func pointsState(_ prac: String, on date: CivilDate) async throws -> PointsState {
        try await database.transaction { connection in
            try await points.ledger(prac, on: connection, logger: database.logger).state(on: date)
        }
    }

    struct Listed: Codable {
        var subjectKind: String
        var subjectId: String
        var grade: String
        var since: String
        var until: String?
    }

    private func list(_ name: String) async throws -> [Listed] {
        guard name == "red" || name == "black" else { throw badRequest("list must be red or black") }
        let column = name == "red" ? "red_since" : "black_since"
        let rows = try await database.query(PostgresQuery(unsafeSQL: """
            SELECT subject_kind, subject_id, grade, \(column), black_until FROM \(database.schema).standing
            WHERE \(column) IS NOT NULL ORDER BY \(column), subject_id
            """), logger: database.logger)
        var result: [Listed] = []
        for try await (kind, id, grade, since, until) in rows.decode((String, String, String, String, String?).self) {
            let wire = CreditSubject.Kind(rawValue: kind)?.wireName ?? kind
            result.append(Listed(subjectKind: wire, subjectId: id, grade: grade, since: since, until: name == "black" ? until : nil))
        }
        return result
    }

    /// Every institution of the directory counts: one without a file holds the clean grade (A).
    private func gradeChart() async throws -> String {
        let kb = try reference.knowledgeBase
        let grades = try await plans.currentGrades()
        let byRegion = Dictionary(grouping: kb.institutions.values, by: \.admdvs)
        let counts = byRegion.keys.sorted().map { region in
            (region: region, name: kb.regions[region]?.name ?? region,
             grades: Dictionary(grouping: byRegion[region]!, by: { grades[$0.code] ?? .A }).mapValues(\.count))
        }
        return Charts.gradeDistribution(counts)
    }
}

func svgResponse(_ svg: String) -> Response {
    Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: .init(byteBuffer: ByteBuffer(string: svg)))
}
