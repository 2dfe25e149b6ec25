import AuditChain
import Foundation
import Hummingbird
import ServiceKit

extension Router where Context == PlatformRequestContext {
    /// `GET /api/audit/chain` (auditors, platform administrators): every entry of the service's
    /// chain as stored, for `medsup verify-audit` to check against the published heads.
    public func addAuditRoutes(store: AuditStore, operators: OperatorGate) {
        get("/api/audit/chain") { request, _ in
            _ = try await operators.require(request, [.auditor, .platformAdministrator])
            let data = try AuditJSON.encoder.encode(try await store.allEntries())
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }
}
