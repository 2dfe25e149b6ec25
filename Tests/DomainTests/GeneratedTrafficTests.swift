import Foundation
import HISContract
import KnowledgeBase
import SettlementValidation
import TrafficGenerator
import XCTest

/// What the generator makes for review is what a hospital could send: intake's door accepts every
/// settlement, the injected frauds included (they are for the review to find, not records to
/// refuse). (An infant's claimed birth date moved later by P21's injection once fell in the
/// future and a benchmark's push was refused for it; that case is about one claim in 10^5, too
/// rare for this sample to meet.)
final class GeneratedTrafficTests: XCTestCase {
    private static let kb = try! KnowledgeBase.load(directory: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reference/kb"))

    func testEverySettlementPassesIntakesChecksTheDayAfterTheLast() throws {
        let traffic = TrafficGenerator(knowledgeBase: Self.kb, configuration: GeneratorConfiguration(seed: 5, count: 6_000, violationRate: 0.5)).generate()
        let last = try XCTUnwrap(traffic.map(\.settlementTime).max())
        let now = CivilDateTime(date: last.date.adding(days: 1), secondOfDay: 0)
        var refused: [String] = []
        for settlement in traffic {
            let validator = SettlementValidator(registry: Self.kb, institution: settlement.encounter.medinsId, now: now)
            let issues = validator.validate(settlement.patient, path: settlement.msgid, settling: true, receivedBytes: nil)
            refused += issues.map(\.description)
        }
        XCTAssertEqual(refused, [])
    }
}
