import Foundation

/// `audit.<service>` (`cn.hsa.audit.head`, key: the service): the last entry of a service's audit
/// chain as it stood at `time`. notification shows every announcement on its public feed.
public struct AuditHeadAnnouncement: Codable, Sendable, Equatable {
    public var service: String
    /// Which chain: the service's schema (one per deployment; platforms sharing a broker, as test runs
    /// do, each have their own).
    public var chain: String
    public var sequence: UInt64
    public var hash: String
    public var time: Date

    public init(service: String, chain: String, sequence: UInt64, hash: String, time: Date) {
        self.service = service
        self.chain = chain
        self.sequence = sequence
        self.hash = hash
        self.time = time
    }
}
