import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// Shared fixtures: the repo's reference knowledge base and small claim builders.
enum Fixture {
    /// Repo root: this file is Tests/RuleEngineTests/Support.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let kbDirectory = root.appendingPathComponent("reference/kb")
    static let kb: KnowledgeBase = try! KnowledgeBase.load(directory: kbDirectory)
    static let engine = RuleEngine(knowledgeBase: kb, rules: .defaults)

    static let level1 = "H43010000003"     // 长沙 community centre, 40 beds
    static let level2 = "H43010000002"     // 长沙市第一医院
    static let level3 = "H43010000001"     // 湘雅, 长沙
    static let pharmacy = "P43010000004"   // 长沙 pharmacy
    static let otherCity = "H65010000001"  // 乌鲁木齐, level 3
    static let doctor1 = "D430100000017", doctor2 = "D430100000010", doctor3 = "D430100000001"

    /// First registry person (by id) satisfying `predicate`.
    static func person(_ predicate: (Person) -> Bool) -> Person {
        kb.persons.values.sorted { $0.id < $1.id }.first { predicate($0) }!
    }

    static let man = person { $0.sex == .male && $0.deathDate == nil && $0.birthDate.year < 1980 }
    static let woman = person { $0.sex == .female && $0.deathDate == nil && $0.birthDate.year < 1980 }
    static let woman2 = person { $0.sex == .female && $0.deathDate == nil && $0.birthDate.year < 1980 && $0.id != woman.id }
    static let child = person { $0.deathDate == nil && $0.birthDate.year == 2014 }
    static let dead = person { $0.deathDate != nil && $0.birthDate.year < 1990 }
}

func dt(_ text: String) -> CivilDateTime { CivilDateTime(text)! }

/// A fee line; amount = cnt × price, rounded to fen.
func line(_ rx: String, _ code: String, _ type: FeeLineType = .service, cnt: Decimal = 1, price: Decimal, at time: String,
          trace: [String] = []) -> FeeLine {
    var amount = cnt * price, rounded = Decimal()
    NSDecimalRound(&rounded, &amount, 2, .plain)
    return FeeLine(rxID: rx, code: code, type: type, count: cnt, price: price, amount: rounded, time: dt(time), traceCodes: trace)
}

/// A drug line with one correct traceability code per package (serial from `serial`).
func drug(_ rx: String, _ code: String, cnt: Int = 1, price: Decimal? = nil, at time: String, serial: Int = 1) -> FeeLine {
    let item = Fixture.kb.drugs[code]!
    let codes = (0..<cnt).map { item.tracePrefix + String(format: "%013d", serial * 100 + $0) }
    return line(rx, code, .drug, cnt: Decimal(cnt), price: price ?? item.priceCap, at: time, trace: codes)
}

func claim(_ id: String, person: Person = Fixture.man, at institution: String = Fixture.level2, kind: EncounterKind = .outpatient,
           adm: String, dscg: String? = nil, dx: [String] = ["I10"], doctor: String? = nil, lines: [FeeLine] = [],
           encounter: String? = nil) -> Claim {
    let doctor = doctor ?? Fixture.kb.practitioners.values.filter { $0.institutionCode == institution }.map(\.code).sorted().first
    return Claim(claimID: id, personID: person.id, claimedSex: person.sex, claimedBirthDate: person.birthDate,
                 institutionID: institution, encounterID: encounter ?? "MD-\(id)", settlementID: "ST-\(id)", kind: kind,
                 admission: dt(adm), discharge: dt(dscg ?? adm), principalDiagnosis: dx.first, doctor: doctor,
                 diagnoses: dx.map { ClaimDiagnosis(code: $0, date: dt(adm).date) }, lines: lines)
}

/// Pattern codes of the findings.
func patterns(_ findings: [Finding]) -> Set<String> { Set(findings.map(\.pattern)) }

extension XCTestCase {
    /// Evaluates and returns the pattern codes.
    func review(_ claim: Claim, history: (any ClaimHistory)? = nil, engine: RuleEngine = Fixture.engine) -> Set<String> {
        patterns(engine.evaluate(claim, history: history))
    }

    /// Evaluates claims in order, each against the ones before it; returns each claim's patterns.
    func stream(_ claims: [Claim], engine: RuleEngine = Fixture.engine) -> [Set<String>] {
        var history = InMemoryHistory()
        return claims.map { claim in
            defer { history.add(claim) }
            return patterns(engine.evaluate(claim, history: history))
        }
    }
}
