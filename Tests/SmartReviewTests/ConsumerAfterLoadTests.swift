import Kafka
import Logging
import Persistence
import ReferenceData
import Synchronization
import TestSupport
import XCTest

/// A processor that waits for the reference data ends when the service group is cancelled before
/// the data loads (a service of the group failed). Before session 25 its wait spun without end under
/// cancellation, the stop never finished, and its partitions stayed unread for `max.poll.interval.ms`
/// (5 minutes). That its consumer then leaves the group at once is not shown here: on the test
/// broker (Tansu) a new member reads nothing for 25 s after any member's clean close.
final class ConsumerAfterLoadTests: XCTestCase {
    private final class Ended: Sendable {
        let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var value: Bool { flag.withLock { $0 } }
    }

    func testAProcessorCancelledBeforeTheReferenceDataLoadsEnds() async throws {
        let topic = TestEnvironment.unique("after-load"), group = TestEnvironment.unique("after-load-group")
        try TestEnvironment.createTopic(topic, partitions: 2)
        let database = try TestEnvironment.database()
        let processor = EventProcessor(name: "after-load", consumer: try TestEnvironment.consumer(group: group, topics: [topic]),
                                       database: database, logger: Logger(label: "test")) { _, _, _ in }
        // Never loaded: nothing here calls `load()`.
        let waiting = ConsumerAfterLoad(reference: ReferenceData(database: database, seedDirectory: "reference/kb"), inner: processor)
        let ended = Ended()
        let task = Task {
            try? await waiting.run()
            ended.set()
        }
        try await Task.sleep(for: .seconds(2)) // its consumer joins the group meanwhile
        task.cancel()
        let deadline = ContinuousClock.now + .seconds(5)
        while !ended.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertTrue(ended.value, "the wait for the reference data ended within 5 s of its cancellation")
    }
}
