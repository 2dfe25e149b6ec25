import HISContract
@testable import RuleEngine
import XCTest

/// P19 counts other persons' encounters held as episodes alone (what an archive reads for it),
/// exactly as it counts whole claims: the same thresholds, one stay per encounter, a corrected
/// version replacing the one it corrects, a whole claim replacing its own episode.
final class EpisodeTests: XCTestCase {
    private let persons = Fixture.kb.persons.values.filter { $0.deathDate == nil && $0.birthDate.year < 2000 }.sorted { $0.id < $1.id }

    private func stay(_ id: String, _ n: Int, adm: String = "2026-09-01 10:00:00", dscg: String = "2026-09-05 10:00:00", encounter: String? = nil) -> Claim {
        claim(id, person: persons[n], at: Fixture.level1, kind: .inpatient, adm: adm, dscg: dscg, dx: ["J18.9"], encounter: encounter)
    }

    private var beds: Int { Fixture.kb.institutions[Fixture.level1]!.beds }

    func testBedsCountedFromEpisodesAlone() {
        let episodes = (0..<beds).map { Episode(stay("E\($0)", $0)) }
        let over = stay("Eover", beds, adm: "2026-09-02 10:00:00", dscg: "2026-09-06 10:00:00")
        XCTAssertTrue(review(over, history: InMemoryHistory([], episodes: episodes)).contains("P19"))
        XCTAssertFalse(review(over, history: InMemoryHistory([], episodes: episodes.dropLast())).contains("P19"), "exactly the beds")
        let finding = Fixture.engine.evaluate(over, history: InMemoryHistory([], episodes: episodes)).first { $0.pattern == "P19" }!
        XCTAssertEqual(Set(finding.relatedClaimIDs), Set(episodes.map(\.claimID)))
    }

    func testEpisodesAndClaimsCountTogetherOnceEach() {
        let claims = (0..<beds).map { stay("M\($0)", $0) }
        // The same settlements again as episodes (read by both queries) count once.
        let history = InMemoryHistory(claims.prefix(beds / 2), episodes: claims.map(Episode.init))
        let over = stay("Mover", beds, adm: "2026-09-02 10:00:00")
        XCTAssertTrue(review(over, history: history).contains("P19"))
        let atBeds = InMemoryHistory(claims.prefix(beds / 2), episodes: claims.dropLast().map(Episode.init))
        XCTAssertFalse(review(over, history: atBeds).contains("P19"))
    }

    func testASecondSettlementOfOneStayIsNotASecondStay() {
        var episodes = (0..<(beds - 1)).map { Episode(stay("S\($0)", $0)) }
        var midStay = Episode(stay("S0b", 0, encounter: "MD-S0"))
        midStay.claimID = "S0-second-settlement"
        episodes.append(midStay)
        let last = stay("Slast", beds, adm: "2026-09-02 10:00:00")
        XCTAssertFalse(review(last, history: InMemoryHistory([], episodes: episodes)).contains("P19"))
    }

    func testACorrectedVersionReplacesTheOneItCorrects() {
        var episodes = (0..<beds).map { Episode(stay("C\($0)", $0)) }
        // The correction moves the stay of C0 out of the way: its first version no longer counts,
        // whichever of the two the history hears of first.
        var correction = Episode(stay("C0v2", 0, adm: "2026-08-01 10:00:00", dscg: "2026-08-03 10:00:00", encounter: "MD-C0"))
        correction.supersedes = "C0"
        let over = stay("Cover", beds, adm: "2026-09-02 10:00:00")
        XCTAssertTrue(review(over, history: InMemoryHistory([], episodes: episodes)).contains("P19"))
        XCTAssertFalse(review(over, history: InMemoryHistory([], episodes: episodes + [correction])).contains("P19"))
        episodes.insert(correction, at: 0)
        XCTAssertFalse(review(over, history: InMemoryHistory([], episodes: episodes)).contains("P19"))
    }

    func testDoctorDayFromEpisodes() {
        let doctor = Fixture.kb.practitioners[Fixture.doctor2]!
        let capacity = doctor.dailyOutpatientCapacity!
        let visits = (0..<capacity).map {
            Episode(claim("V\($0)", person: persons[$0], adm: "2026-09-03 08:\(String(format: "%02d", $0 % 60)):00", doctor: doctor.code))
        }
        let over = claim("Vover", person: persons[capacity], adm: "2026-09-03 17:30:00", doctor: doctor.code)
        XCTAssertTrue(review(over, history: InMemoryHistory([], episodes: visits)).contains("P19"))
        XCTAssertFalse(review(over, history: InMemoryHistory([], episodes: visits.dropLast())).contains("P19"))
        let pharmacy = visits.map { var sale = $0; sale.kind = .pharmacy; return sale }
        XCTAssertFalse(review(over, history: InMemoryHistory([], episodes: pharmacy)).contains("P19"), "a pharmacy sale is no visit")
    }
}
