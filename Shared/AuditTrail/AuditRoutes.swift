import AuditChain
import Foundation
import Hummingbird
import ServiceKit

extension Router where Context == PlatformRequestContext {
    /// `GET /api/audit/chain` (auditors, platform administrators): the chain's name (the schema, as
    /// its heads are announced) and every entry as stored, for `medsup verify-audit` to check
    /// against the published heads.
    public func addAuditRoutes(store: AuditStore, operators: OperatorGate) {
        get("/api/audit/chain") { request, _ in
            _ = try await operators.require(request, [.auditor, .platformAdministrator])
            let data = try AuditJSON.encoder.encode(StoredChain(chain: store.database.schema, entries: try await store.allEntries()))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }
}
