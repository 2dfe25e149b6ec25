import AuditTrail
import Foundation
import ReferenceData
import Hummingbird
import Logging
import ServiceKit
import SettlementValidation

/// intake's HTTP API (openapi/intake.yaml).
struct IntakeRoutes: Sendable {
    let gateway: any HospitalGateway
    let bulk: BulkIntake
    let credentials: Credentials
    let limiter: RateLimiter
    let reference: ReferenceData
    let reports: Reports
    let operators: OperatorGate
    let configuration: IntakeConfiguration

    func register(on router: Router<PlatformRequestContext>) {
        router.post("/api/his") { request, context in try await national(request, context) }
        router.post("/api/his/bulk") { request, context in try await bulkPush(request, context) }
        router.get("/api/reference") { _, _ in try jsonResponse(["version": try reference.knowledgeBase.version]) }
        router.put("/api/reference/:file") { request, context in try await replaceReference(request, context) }
        router.put("/api/admin/credentials/:institution") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            let institution = try context.parameters.require("institution")
            guard try reference.knowledgeBase.institutions[institution] != nil else {
                throw HTTPError(.notFound, message: "\(institution) is not a designated institution")
            }
            return try jsonResponse(["fixmedins_code": institution, "secret": try await credentials.issue(for: institution, by: person)])
        }
        router.post("/api/reports") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            let submission: Reports.Submission
            do {
                submission = try jsonDecoder.decode(Reports.Submission.self, from: Data(buffer: body))
            } catch let error as DecodingError {
                throw HTTPError(.badRequest, message: issue(from: error).description)
            }
            return try jsonResponse(try await reports.submit(submission, traceparent: context.trace.traceparent), status: .created)
        }
        router.get("/api/reports/:tracking_no") { _, context in
            try jsonResponse(try await reports.status(tracking: try context.parameters.require("tracking_no")))
        }
        registerReveal(on: router)
        router.get("/openapi.yaml") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "intake", withExtension: "yaml")) }
    }

    /// 3101 / 3102 / 3103 in the national envelope. Answers 200 with `infcode` as the national
    /// platform does; 401, 413 and 429 for calls that never reach the interface.
    private func national(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let institution = try await admitted(request)
        let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        let answer = try await gateway.handle(body: Data(buffer: body), institution: institution, traceparent: context.trace.traceparent)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: answer)))
    }

    private func bulkPush(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let institution = try await admitted(request)
        guard let batch = request.uri.queryParameters.get("batch"), !batch.isEmpty else {
            throw HTTPError(.badRequest, message: "query parameter batch (the id of this upload, for retries) is required")
        }
        let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        let report = try await bulk.push(ndjson: Data(buffer: body), batch: batch, institution: institution,
                                         traceparent: context.trace.traceparent)
        return try jsonResponse(report)
    }

    private func admitted(_ request: Request) async throws -> String {
        let institution = try await credentials.institution(of: request)
        guard limiter.admit(institution) else {
            throw HTTPError(.tooManyRequests, message: "rate limit of \(configuration.ratePerSecond) calls/s exceeded for \(institution)")
        }
        return institution
    }

    /// Two persons open a reporter's identity: one asks with a reason, another approves, the first opens.
    private func registerReveal(on router: Router<PlatformRequestContext>) {
        let reveal = ReporterReveal(reports: reports)
        router.post("/api/admin/reports/:report_id/reporter/requests") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            let body = try await request.body.collect(upTo: 64 << 10)
            let reason = (try? jsonDecoder.decode([String: String].self, from: Data(buffer: body)))?["reason"] ?? ""
            return try jsonResponse(try await reveal.ask(reportID: try context.parameters.require("report_id"), reason: reason, by: person),
                                    status: .created)
        }
        router.post("/api/admin/reporter-requests/:request_id/approval") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            return try jsonResponse(try await reveal.approve(try requestID(context), by: person))
        }
        router.post("/api/admin/reporter-requests/:request_id/reveal") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            return try jsonResponse(try await reveal.reveal(try requestID(context), by: person))
        }
    }

    private func requestID(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("request_id")) else { throw HTTPError(.badRequest, message: "request_id is a number") }
        return id
    }

    private func replaceReference(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let person = try await operators.require(request, [.referenceDataMaintainer])
        let file = try context.parameters.require("file")
        guard file.hasSuffix(".csv"), !file.contains("/") else { throw HTTPError(.badRequest, message: "file must be a .csv name, got \(file)") }
        let body = try await request.body.collect(upTo: 64 << 20)
        do {
            let audit = AuditStore(database: reports.database)
            let version = try await reference.replace(file, content: String(buffer: body)) { connection, version in
                try await audit.append(by: person, "reference.replaced", subject: "reference:\(file)", details: ["version": version], on: connection)
            }
            context.logger.notice("reference file replaced", metadata: ["file": "\(file)", "version": "\(version)"])
            return try jsonResponse(["file": file, "version": version])
        } catch let error as CustomStringConvertible where !(error is HTTPError) {
            throw HTTPError(.badRequest, message: "\(file) refused: \(error.description)")
        }
    }

    private var jsonDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
