import AuditChain
import Foundation
import XCTest

final class ChainCheckTests: XCTestCase {
    private func chain(_ count: Int) -> [AuditEntry] {
        var log = AuditLog()
        for i in 1...count { log.append(time: Date(timeIntervalSince1970: Double(i)), actor: "wang", action: "rules.published", subject: "v\(i)") }
        return log.entries
    }

    func testAnIntactChainWithItsHeadsHasNoFinding() {
        let entries = chain(6)
        let heads = [entries[2], entries[5]].map { AuditHead(sequence: $0.sequence, hash: $0.hash) }
        XCTAssertEqual(ChainCheck.findings(entries, publishedHeads: heads), [])
    }

    func testACutEndAndARewrittenEntryAreBothNamed() {
        let entries = chain(8)
        let heads = [entries[3], entries[7]].map { AuditHead(sequence: $0.sequence, hash: $0.hash) }
        var tampered = Array(entries.prefix(6))
        tampered[2].actor = "nobody"   // rewritten in place, hash left as it was
        XCTAssertEqual(ChainCheck.findings(tampered, publishedHeads: heads), [.altered(sequence: 3), .truncated(publishedHead: 8, chainEnds: 6)])
    }

    func testARewrittenAndReHashedEntryIsCaughtByTheNextEntryOrItsHead() {
        var entries = chain(5)
        let heads = [AuditHead(sequence: 5, hash: entries[4].hash)]
        entries[4].actor = "nobody"
        entries[4].hash = entries[4].computedHash
        XCTAssertEqual(ChainCheck.findings(entries, publishedHeads: heads), [.headMismatch(sequence: 5)])
        entries = chain(5)
        entries[1].subject = "v-forged"
        entries[1].hash = entries[1].computedHash
        XCTAssertEqual(ChainCheck.findings(entries, publishedHeads: []), [.relinked(sequence: 3)])
    }

    func testARemovedMiddleEntryIsNamed() {
        var entries = chain(5)
        entries.remove(at: 2)
        XCTAssertEqual(ChainCheck.findings(entries, publishedHeads: []), [.missing(from: 3, to: 3), .relinked(sequence: 4)])
    }
}
