import CreditRules
import Foundation
import XCTest

final class InspectionDrawTests: XCTestCase {
    /// Two institutions per grade.
    private let targets: [InspectionTarget] = zip(["A", "A", "B", "B", "C", "C", "D", "D"].indices, ["A", "A", "B", "B", "C", "C", "D", "D"])
        .map { InspectionTarget(fixmedinsCode: "H\($0.0)", grade: CreditGrade(rawValue: $0.1)!) }

    private let inspectors: [Inspector] = [
        Inspector(id: "I1", pastEmployers: ["H0", "H6"]),
        Inspector(id: "I2", lastInspected: ["H7", "H1"]),
        Inspector(id: "I3", pastEmployers: ["H2"], lastInspected: ["H6"]),
        Inspector(id: "I4"),
        Inspector(id: "I5", pastEmployers: ["H7"]),
        Inspector(id: "I6", lastInspected: ["H3", "H4", "H5"]),
    ]

    private func request(seed: UInt64, n: Int = 3, k: Int = 2) -> InspectionDrawRequest {
        InspectionDrawRequest(targets: targets, inspectors: inspectors, targetCount: n, inspectorsPerTarget: k, seed: seed)
    }

    func testSameSeedSamePlanWhateverTheInputOrder() throws {
        let plan = try InspectionDraw.draw(request(seed: 20_250_601))
        XCTAssertEqual(try InspectionDraw.draw(request(seed: 20_250_601)), plan)
        var shuffled = request(seed: 20_250_601)
        shuffled.targets.reverse()
        shuffled.inspectors.reverse()
        XCTAssertEqual(try InspectionDraw.draw(shuffled), plan)

        XCTAssertEqual(plan.seed, 20_250_601)
        XCTAssertEqual(plan.algorithm, InspectionDraw.algorithm)
        XCTAssertEqual(plan.weights, .default)
        XCTAssertEqual(plan.targetWeights.map(\.weight), [1, 1, 2, 2, 4, 4, 8, 8])
        XCTAssertEqual(plan.inputFingerprint.count, 64)
        XCTAssertEqual(plan.assignments.count, 3)
        XCTAssertEqual(Set(plan.assignments.map(\.fixmedinsCode)).count, 3, "without replacement")
        XCTAssertEqual(plan.assignments.first?.drawProbability ?? 0, plan.assignments[0].weight / 30, accuracy: 1e-12)
    }

    func testDifferentSeedsGiveDifferentPlansAndInputsChangeTheFingerprint() throws {
        let plans = try (1...20).map { try InspectionDraw.draw(request(seed: $0)) }
        XCTAssertGreaterThan(Set(plans.map { $0.assignments.map(\.fixmedinsCode) }).count, 1)
        XCTAssertEqual(Set(plans.map(\.inputFingerprint)).count, 1, "the seed is not part of the fingerprint")
        var changed = request(seed: 1)
        changed.inspectors[0].lastInspected.insert("H3")
        XCTAssertNotEqual(try InspectionDraw.draw(changed).inputFingerprint, plans[0].inputFingerprint)
    }

    func testConflictedInspectorsAreNeverAssigned() throws {
        let byId = Dictionary(uniqueKeysWithValues: inspectors.map { ($0.id, $0) })
        for seed in UInt64(0)..<500 {
            let plan = try InspectionDraw.draw(request(seed: seed, n: 6, k: 3))
            for assignment in plan.assignments {
                XCTAssertEqual(Set(assignment.inspectorIds).count, 3)
                for id in assignment.inspectorIds {
                    XCTAssertFalse(byId[id]!.isConflicted(with: assignment.fixmedinsCode), "seed \(seed): \(id) at \(assignment.fixmedinsCode)")
                }
            }
        }
    }

    func testWorseGradesAreDrawnMoreOftenInProportionToTheirWeights() throws {
        var counts: [CreditGrade: Int] = [:]
        for seed in UInt64(1)...2000 {
            let plan = try InspectionDraw.draw(request(seed: seed, n: 1, k: 1))
            counts[plan.assignments[0].grade, default: 0] += 1
        }
        // One draw from weights 1,1,2,2,4,4,8,8: P(A) = 2/30, P(B) = 4/30, P(C) = 8/30, P(D) = 16/30.
        for (grade, share) in [(CreditGrade.A, 2.0), (.B, 4), (.C, 8), (.D, 16)] {
            let p = share / 30, expected = 2000 * p, sigma = (2000 * p * (1 - p)).squareRoot()
            XCTAssertEqual(Double(counts[grade, default: 0]), expected, accuracy: 4 * sigma, "grade \(grade): \(counts)")
        }
        XCTAssertGreaterThan(counts[.D, default: 0], 5 * counts[.A, default: 0])

        var drawnOfThree: [CreditGrade: Int] = [:]
        for seed in UInt64(1)...2000 {
            for assignment in try InspectionDraw.draw(request(seed: seed, n: 3, k: 1)).assignments {
                drawnOfThree[assignment.grade, default: 0] += 1
            }
        }
        XCTAssertGreaterThan(drawnOfThree[.D, default: 0], 3 * drawnOfThree[.A, default: 0], "\(drawnOfThree)")
    }

    func testNotEnoughConflictFreeInspectorsIsAnError() {
        // H6 conflicts with I1 and I3: only four of six inspectors are free.
        var request = request(seed: 7, n: 8, k: 5)
        XCTAssertThrowsError(try InspectionDraw.draw(request)) { error in
            guard case .notEnoughInspectors(_, let eligible, let needed) = error as? InspectionDrawError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertLessThan(eligible, needed)
        }
        request.targets = [InspectionTarget(fixmedinsCode: "H6", grade: .D)]
        request.targetCount = 1
        XCTAssertThrowsError(try InspectionDraw.draw(request)) {
            XCTAssertEqual($0 as? InspectionDrawError, .notEnoughInspectors(target: "H6", eligible: 4, needed: 5))
        }
    }

    func testInvalidRequestsAreRefused() {
        XCTAssertThrowsError(try InspectionDraw.draw(request(seed: 1, n: 9))) {
            XCTAssertEqual($0 as? InspectionDrawError, .notEnoughTargets(requested: 9, available: 8))
        }
        XCTAssertThrowsError(try InspectionDraw.draw(request(seed: 1, k: 0))) {
            XCTAssertEqual($0 as? InspectionDrawError, .invalidCount(targetCount: 3, inspectorsPerTarget: 0))
        }
        var duplicate = request(seed: 1)
        duplicate.targets.append(duplicate.targets[0])
        XCTAssertThrowsError(try InspectionDraw.draw(duplicate)) {
            XCTAssertEqual($0 as? InspectionDrawError, .duplicateTarget("H0"))
        }
        var negative = request(seed: 1)
        negative.targets[0].riskWeight = -1
        XCTAssertThrowsError(try InspectionDraw.draw(negative)) {
            XCTAssertEqual($0 as? InspectionDrawError, .invalidWeight(target: "H0", weight: -1))
        }
        var zero = request(seed: 1, n: 8)
        zero.targets[0].riskWeight = 0
        XCTAssertThrowsError(try InspectionDraw.draw(zero)) {
            XCTAssertEqual($0 as? InspectionDrawError, .notEnoughTargets(requested: 8, available: 7))
        }
    }

    func testPlanOverTheReferenceDirectory() throws {
        let kb = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reference/kb/institutions.csv")
        let rows = try String(contentsOf: kb, encoding: .utf8).split(separator: "\n").dropFirst()
        let codes = rows.map { String($0.split(separator: ",")[0]) }
        XCTAssertGreaterThan(codes.count, 10)
        let grades = CreditGrade.allCases
        let targets = codes.enumerated().map { InspectionTarget(fixmedinsCode: $1, grade: grades[$0 % 4]) }
        let inspectors = (1...6).map { Inspector(id: "INS-\($0)", pastEmployers: [codes[$0]], lastInspected: [codes[$0 + 6]]) }
        let request = InspectionDrawRequest(targets: targets, inspectors: inspectors, targetCount: 5, inspectorsPerTarget: 2, seed: 42)
        let plan = try InspectionDraw.draw(request)
        XCTAssertEqual(try InspectionDraw.draw(request), plan)
        XCTAssertEqual(plan.targetWeights.count, codes.count)
        XCTAssertTrue(plan.assignments.allSatisfy { codes.contains($0.fixmedinsCode) })
        XCTAssertTrue(InspectionDraw.canonicalInput(request).contains("target\t\(codes[0])\tA\t1.0"))
    }
}
