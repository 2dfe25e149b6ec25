import Foundation

/// The hand-over between the consumer's poll thread and its async reader. The thread appends
/// batches and blocks while the buffer is full (back-pressure reaches the broker, not memory);
/// the reader takes everything buffered in one lock round-trip.
final class MessageBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [KafkaConsumerMessage] = []
    private var waiter: CheckedContinuation<[KafkaConsumerMessage], Never>?
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Called by the poll thread. Returns false once the buffer is closed.
    func append(_ batch: [KafkaConsumerMessage]) -> Bool {
        condition.lock()
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { condition.unlock(); return false }
        items.append(contentsOf: batch)
        let resumed = takeWaiter()
        condition.unlock()
        resumed?.0.resume(returning: resumed!.1)
        return true
    }

    /// Called by the reader: everything buffered, waiting if empty; empty when closed or when
    /// the reading task is cancelled (which ends the iteration, as AsyncSequence expects).
    func take() async -> [KafkaConsumerMessage] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                condition.lock()
                if !items.isEmpty || closed || Task.isCancelled {
                    let batch = items
                    items = []
                    condition.broadcast()
                    condition.unlock()
                    continuation.resume(returning: batch)
                } else {
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            condition.lock()
            let pending = waiter
            waiter = nil
            condition.unlock()
            pending?.resume(returning: [])
        }
    }

    func close() {
        condition.lock()
        closed = true
        let pending = waiter
        waiter = nil
        condition.broadcast()
        condition.unlock()
        pending?.resume(returning: [])
    }

    private func takeWaiter() -> (CheckedContinuation<[KafkaConsumerMessage], Never>, [KafkaConsumerMessage])? {
        guard let waiter else { return nil }
        self.waiter = nil
        let batch = items
        items = []
        return (waiter, batch)
    }
}
