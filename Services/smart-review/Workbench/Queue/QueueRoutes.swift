import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

extension WorkbenchRoutes {
    /// The queue of the reviewer's level, an item's document, claiming and deciding.
    func registerItems(on router: Router<PlatformRequestContext>) {
        router.get("/api/workbench/queue") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "queue.list", subject: "queue")
            return try jsonResponse(try await workbench.queue.available(level(of: reviewer), for: reviewer))
        }
        router.get("/api/workbench/items/:id") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer, .supervisor, .legalReviewer, .institution],
                                                            action: "item.viewed", subject: "item:\(id)")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: try await workbench.view(id, by: reviewer))))
        }
        router.post("/api/workbench/items/:id/claim") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "item.claimed", subject: "item:\(id)")
            return try jsonResponse(try await workbench.claim(id, by: reviewer, level: level(of: reviewer)))
        }
        router.post("/api/workbench/items/:id/decision") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "item.decided", subject: "item:\(id)")
            let body = try await decodeBody(DecisionRequest.self, from: request)
            return try jsonResponse(try await workbench.decide(id, body, by: reviewer, level: level(of: reviewer)))
        }
    }

    /// Second-review draws: a day's machine-passed claims drawn on demand, and any draw re-run for audit.
    func registerSamples(on router: Router<PlatformRequestContext>) {
        struct DayRequest: Decodable { var day: String }
        router.post("/api/workbench/samples/machine-passed") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor, .admin], action: "sample.drawn", subject: "sample")
            let day = try await decodeBody(DayRequest.self, from: request).day
            return try jsonResponse(try await workbench.drawMachinePassed(day: day, by: reviewer), status: .created)
        }
        router.get("/api/workbench/samples/:id/replay") { request, context in
            let id = try number(context)
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor, .auditor, .admin], action: "sample.replayed",
                                                            subject: "sample:\(id)")
            return try jsonResponse(try await workbench.replaySample(id, by: reviewer))
        }
    }

    private func level(of reviewer: Reviewer) -> ReviewLevel { reviewer.role == .secondReviewer ? .second : .first }

    private func itemID(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.badRequest, message: "item ids are numbers") }
        return id
    }
}
