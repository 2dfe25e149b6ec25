import Foundation
import RuleEngine
import Timing

/// Reviews claims in a given order as the service does: each against the history before it, then the
/// withdrawals its arrival causes; a claim arriving after its corrected version is superseded at once.
public struct StandingReview: Sendable {
    public let engine: RuleEngine
    public let claims: [Claim]

    public init(engine: RuleEngine, claims: [Claim]) {
        self.engine = engine
        self.claims = claims
    }

    public struct Result: Sendable {
        /// Standing findings per claim index.
        public var standing: [[Finding]]
        public var withdrawn = 0
        public var superseded = 0
        public var throughput = 0.0
        public var p99Micros = 0
    }

    /// Reviews `claims[i]` for each i of `order`.
    public func run(_ order: [Int]) -> Result {
        var history = InMemoryHistory()
        var result = Result(standing: Array(repeating: [], count: claims.count))
        let indexOf = Dictionary(claims.indices.map { (claims[$0].claimID, $0) }) { first, _ in first }
        var claimsOfPerson: [String: [Int]] = [:]
        var latencies: [Int] = []
        let clock = ContinuousClock()
        var total = Duration.zero
        for i in order {
            let claim = claims[i]
            let started = clock.now
            let findings = engine.evaluate(claim, history: history)
            // What the new claim can withdraw: the person's claims, the superseded version, and claims
            // sharing a traceability code with either.
            var affected = Set(claimsOfPerson[claim.personID] ?? [])
            let superseded = claim.supersedes.flatMap { indexOf[$0] }
            if let superseded { affected.insert(superseded) }
            let codes = Set(([claim] + (superseded.map { [claims[$0]] } ?? [])).flatMap { $0.lines.flatMap(\.traceCodes) })
            for code in codes { for other in history.claims(withTraceCode: code) { if let j = indexOf[other.claimID] { affected.insert(j) } } }
            let withdrawals = engine.withdrawals(for: claim, history: history, standing: affected.flatMap { result.standing[$0] })
            history.add(claim)
            total += clock.now - started
            latencies.append(Int((clock.now - started).inMicroseconds))
            for w in withdrawals {
                guard let j = indexOf[w.claimID] else { continue }
                result.standing[j].removeAll { $0.id == w.findingID }
                result.withdrawn += 1
                if w.cause == .superseded { result.superseded += 1 }
            }
            // A version whose correction came first is reviewed but its findings never stand.
            result.standing[i] = history.isSuperseded(claim.claimID) ? [] : findings
            claimsOfPerson[claim.personID, default: []].append(i)
        }
        let seconds = total.inSeconds
        result.throughput = Double(order.count) / max(seconds, 1e-9)
        latencies.sort()
        result.p99Micros = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        return result
    }
}
