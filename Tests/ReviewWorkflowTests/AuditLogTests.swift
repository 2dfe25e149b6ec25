import Foundation
import ReviewWorkflow
import XCTest

/// 执法全过程记录: the hash chain catches every kind of tampering and names where.
final class AuditLogTests: XCTestCase {
    func sampleLog(_ count: Int = 5) -> AuditLog {
        var log = AuditLog()
        for index in 1...count {
            log.append(time: instant(Double(index) * 60 + 0.0004), actor: "reviewer-\(index % 2)", action: "decide",
                       subject: "F\(index)", details: ["outcome": index.isMultiple(of: 2) ? "违规" : "合规", "rule": "R0\(index)"])
        }
        return log
    }

    func testAppendedLogVerifies() {
        let log = sampleLog()
        XCTAssertEqual(log.entries.map(\.sequence), [1, 2, 3, 4, 5])
        XCTAssertEqual(log.entries[0].previousHash, AuditEntry.genesisHash)
        XCTAssertEqual(log.entries[1].previousHash, log.entries[0].hash)
        XCTAssertEqual(log.entries[0].hash.count, 64)
        XCTAssertEqual(AuditLog.verify(log.entries), .valid(count: 5, head: log.head))
        XCTAssertEqual(AuditLog.verify([]), .valid(count: 0, head: nil))
    }

    func testEditedEntryIsNamed() {
        var entries = sampleLog().entries
        entries[2].details["outcome"] = "撤销"
        XCTAssertEqual(AuditLog.verify(entries), .broken(sequence: 3, problem: .hashMismatch))
        var actor = sampleLog().entries
        actor[0].actor = "someone-else"
        XCTAssertEqual(AuditLog.verify(actor), .broken(sequence: 1, problem: .hashMismatch))
        var time = sampleLog().entries
        time[4].time = time[4].time.addingTimeInterval(1)
        XCTAssertEqual(AuditLog.verify(time), .broken(sequence: 5, problem: .hashMismatch))
    }

    func testEditedAndRehashedEntryIsCaughtAtTheNextOne() {
        var entries = sampleLog().entries
        entries[2].subject = "F999"
        entries[2].hash = entries[2].computedHash
        XCTAssertEqual(AuditLog.verify(entries), .broken(sequence: 4, problem: .previousHashMismatch))
    }

    func testEditedAndRehashedLastEntryIsCaughtByTheCheckpoint() {
        let log = sampleLog()
        var entries = log.entries
        entries[4].action = "withdraw"
        entries[4].hash = entries[4].computedHash
        XCTAssertTrue(AuditLog.verify(entries).isValid, "a chain alone cannot see this")
        XCTAssertEqual(AuditLog.verify(entries, expectedHead: log.head), .broken(sequence: 5, problem: .headMismatch))
    }

    func testDeletedEntryIsNamed() {
        var entries = sampleLog().entries
        entries.remove(at: 2)
        XCTAssertEqual(AuditLog.verify(entries), .broken(sequence: 3, problem: .sequenceMismatch(found: 4)))
        var first = sampleLog().entries
        first.removeFirst()
        XCTAssertEqual(AuditLog.verify(first), .broken(sequence: 1, problem: .sequenceMismatch(found: 2)))
    }

    func testDeletedAndRenumberedEntryIsNamed() {
        var entries = sampleLog().entries
        entries.remove(at: 2)
        for index in 2..<entries.count { entries[index].sequence -= 1 }
        XCTAssertEqual(AuditLog.verify(entries), .broken(sequence: 3, problem: .previousHashMismatch))
    }

    func testTruncatedLogIsCaughtByTheCheckpoint() {
        let log = sampleLog()
        let entries = Array(log.entries.dropLast(2))
        XCTAssertTrue(AuditLog.verify(entries).isValid)
        XCTAssertEqual(AuditLog.verify(entries, expectedHead: log.head), .broken(sequence: 4, problem: .truncated))
    }

    func testInsertedEntryIsNamed() {
        let log = sampleLog()
        var forged = log.entries
        let fake = AuditEntry.next(after: forged[1], time: instant(150), actor: "intruder", action: "decide", subject: "F2")
        forged.insert(fake, at: 2)
        XCTAssertEqual(AuditLog.verify(forged), .broken(sequence: 4, problem: .sequenceMismatch(found: 3)))

        var careless = log.entries
        var unhashed = fake
        unhashed.hash = String(repeating: "a", count: 64)
        careless.insert(unhashed, at: 2)
        XCTAssertEqual(AuditLog.verify(careless), .broken(sequence: 3, problem: .hashMismatch))
    }

    func testReorderedEntriesAreNamed() {
        var swapped = sampleLog().entries
        swapped.swapAt(1, 2)
        XCTAssertEqual(AuditLog.verify(swapped), .broken(sequence: 2, problem: .sequenceMismatch(found: 3)))
        var renumbered = swapped
        renumbered[1].sequence = 2
        renumbered[2].sequence = 3
        XCTAssertEqual(AuditLog.verify(renumbered), .broken(sequence: 2, problem: .previousHashMismatch))
    }

    func testAPageVerifiesAgainstItsAnchor() {
        let log = sampleLog()
        let anchor = AuditHead(sequence: 2, hash: log.entries[1].hash)
        let page = Array(log.entries[2...])
        XCTAssertEqual(AuditLog.verify(page, after: anchor, expectedHead: log.head), .valid(count: 3, head: log.head))
        XCTAssertEqual(AuditLog.verify(page, after: AuditHead(sequence: 2, hash: AuditEntry.genesisHash)),
                       .broken(sequence: 3, problem: .previousHashMismatch))
        XCTAssertEqual(AuditLog.verify([], after: anchor, expectedHead: anchor), .valid(count: 0, head: anchor))
        XCTAssertEqual(AuditLog.verify([], after: anchor, expectedHead: AuditHead(sequence: 2, hash: "x")),
                       .broken(sequence: 2, problem: .headMismatch))
    }

    func testTimeIsKeptToTheMillisecondAndSurvivesJSON() throws {
        let log = sampleLog()
        XCTAssertEqual(log.entries[0].time, Date(timeIntervalSince1970: 1_750_000_060))
        let decoded = try JSONDecoder().decode([AuditEntry].self, from: JSONEncoder().encode(log.entries))
        XCTAssertEqual(AuditLog.verify(decoded), .valid(count: 5, head: log.head))
    }

    func testCanonicalFormIsUnambiguous() {
        let first = AuditEntry.next(after: nil, time: instant(), actor: "a", action: "b", subject: "c", details: ["k": "v=w"])
        let second = AuditEntry.next(after: nil, time: instant(), actor: "a", action: "b", subject: "c", details: ["k=v": "w"])
        XCTAssertNotEqual(first.hash, second.hash)
        let shifted = AuditEntry.next(after: nil, time: instant(), actor: "a\nb", action: "", subject: "c")
        let plain = AuditEntry.next(after: nil, time: instant(), actor: "a", action: "\nb", subject: "c")
        XCTAssertNotEqual(shifted.hash, plain.hash)
    }

    func testCanonicalFormIsStable() {
        let entry = AuditEntry.next(after: nil, time: Date(timeIntervalSince1970: 1_750_000_000.123), actor: "张三",
                                    action: "初审", subject: "JR-1", details: ["结论": "违规", "amount": "12.50"])
        let expected = "medsup-audit/1\nsequence:1\ntime:1750000000123\nactor:6:张三\naction:6:初审\nsubject:4:JR-1\n"
            + "details:2\n6:amount=5:12.50\n6:结论=6:违规\npreviousHash:" + AuditEntry.genesisHash + "\n"
        XCTAssertEqual(String(decoding: entry.canonicalForm, as: UTF8.self), expected)
        XCTAssertEqual(entry.hash, entry.computedHash)
    }
}
