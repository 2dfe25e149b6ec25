import Events
import Foundation
import Kafka
import KnowledgeBase
import PostgresNIO
import ServiceKit
import TestSupport
import TrafficGenerator
import XCTest
@testable import smart_review

/// smart-review scaled out: two reviewers in one consumer group share the partitions of
/// `claims.accepted` and one database schema, and one of them stops half-way (its partitions move
/// to the other). The findings must be those of a single reviewer over the same stream.
///
/// A person's claims share a partition (key `patn_id`), so every pattern over one person's history
/// must give exactly the same findings. P13 (a traceability code sold twice) and P19 (a doctor's
/// day, an institution's beds) span persons and so partitions: which of two claims completes such
/// a pattern depends on how partitions interleave, in one process as in two; their number per
/// pattern must still agree.
final class ScaleOutTests: XCTestCase {
    static let crossPartition: Set<String> = ["P13", "P19"]

    func testTwoReviewersWithARebalanceFindWhatOneFinds() async throws {
        let topic = TestEnvironment.unique("claims.accepted")
        try TestEnvironment.createTopic(topic, partitions: 4)
        let kb = try KnowledgeBase.load(directory: TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb"))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: GeneratorConfiguration(seed: 20_261_204, count: 1_500, violationRate: 0.2))
            .generate()
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(try traffic.map { settlement in
            let event = try accepted(settlement.encounter, patient: settlement.patient)
            return KafkaProducerMessage(topic: topic, key: Array(settlement.patient.patnId.utf8), value: event.data, headers: event.kafkaHeaders)
        })
        await producer.shutdown()

        let single = try ReviewHarness(), pair = try ReviewHarness()
        let one = try await single.findings(reviewing: topic, count: traffic.count, members: 1)
        let two = try await pair.findings(reviewing: topic, count: traffic.count, members: 2)

        XCTAssertFalse(one.isEmpty)
        XCTAssertEqual(two.filter { !Self.crossPartition.contains($0.pattern) }, one.filter { !Self.crossPartition.contains($0.pattern) },
                       "a person's patterns give the same findings however the partitions are shared")
        for pattern in Self.crossPartition {
            XCTAssertEqual(two.filter { $0.pattern == pattern }.count, one.filter { $0.pattern == pattern }.count, pattern)
        }
    }
}

struct FoundPattern: Hashable {
    var findingID: String
    var pattern: String
}

extension ReviewHarness {
    /// Reviews `count` claims from `topic` with `members` reviewers in one group; with two, the
    /// second stops once a third of the claims is reviewed. Returns the findings stored.
    func findings(reviewing topic: String, count: Int, members: Int) async throws -> Set<FoundPattern> {
        let result = FoundBox()
        try await run { _ in
            var tasks: [Task<Void, Error>] = []
            for _ in 0..<members {
                let reviewer = ClaimReviewer(database: database, reference: assembly.reference, cacheCapacity: 10_000)
                let processor = try assembly.claimsProcessor(topics: [topic], reviewer: reviewer)
                tasks.append(Task { try await processor.run() })
            }
            defer { for task in tasks { task.cancel() } }
            let deadline = ContinuousClock.now + .seconds(120)
            while case let reviewed = try await self.count("reviews"), reviewed < count, ContinuousClock.now < deadline {
                if tasks.count > 1, reviewed >= count / 3 { tasks.removeLast().cancel() }
                try await Task.sleep(for: .milliseconds(100))
            }
            XCTAssertEqual(members > 1 ? tasks.count : 1, 1, "the second reviewer stopped half-way")
            let reviewed = try await self.count("reviews")
            XCTAssertEqual(reviewed, count, "every claim reviewed exactly once")
            let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT finding_id, pattern FROM \(schema).findings"))
            for try await (id, pattern) in rows.decode((String, String).self) { result.insert(FoundPattern(findingID: id, pattern: pattern)) }
        }
        return result.found
    }
}

/// The findings read inside the harness's run, handed out after it.
private final class FoundBox: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<FoundPattern>()
    func insert(_ item: FoundPattern) { lock.withLock { _ = set.insert(item) } }
    var found: Set<FoundPattern> { lock.withLock { set } }
}
