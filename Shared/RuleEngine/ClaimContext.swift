import Foundation
import HISContract
import KnowledgeBase

/// A fee line with its catalogue entry resolved once per evaluation.
///
/// A class, not a struct: the patterns filter, group and pass lines around, and a copy of the
/// struct retained every string of the line and of its catalogue entries (the engine's largest
/// self-time under perf, with the memmove of those copies).
final class ResolvedLine {
    let line: FeeLine
    let drug: Drug?
    let service: ServiceItem?
    /// Calendar days (day numbers) the line counts on: its fee day, or for per-stay-day items
    /// `cnt` consecutive days from the fee day.
    let days: ClosedRange<Int>

    init(line: FeeLine, drug: Drug?, service: ServiceItem?, days: ClosedRange<Int>) {
        self.line = line
        self.drug = drug
        self.service = service
        self.days = days
    }

    var name: String { drug?.name ?? service?.name ?? line.name ?? line.code }
    var isPerStayDay: Bool { service?.perStayDay == true }
    var sexLimit: Sex? { drug?.sexLimit ?? service?.sexLimit }
    var minHospitalLevel: Int { drug?.minHospitalLevel ?? service?.minHospitalLevel ?? 1 }
    var inpatientOnly: Bool { drug?.inpatientOnly ?? service?.inpatientOnly ?? false }

    /// What the line counts on one of its days: 1 for a per-stay-day item (-1 for its refund line), else `cnt`.
    var countPerDay: Decimal { isPerStayDay ? (line.count < 0 ? -1 : 1) : line.count }
    /// What the line charges on one of its days (negative on a refund line).
    var amountPerDay: Decimal { isPerStayDay ? countPerDay * line.price : line.amount }
}

/// What one service code uses on one calendar day (P04, P05, P11).
struct DayUse {
    var count: Decimal = 0
    var amount: Decimal = 0
    /// Indexes into `ClaimContext.lines`.
    var lines: [Int] = []

    mutating func add(_ count: Decimal, _ amount: Decimal, line: Int) {
        self.count += count
        self.amount += amount
        lines.append(line)
    }
}

struct DayKey: Hashable {
    var code: String
    var day: Int
}

/// Everything the single-claim patterns need, looked up once per claim.
struct ClaimContext {
    let claim: Claim
    let kb: KnowledgeBase
    let person: Person?
    let institution: Institution?
    let lines: [ResolvedLine]
    /// All diagnosis codes of the encounter, the principal one included.
    let diagnosisCodes: [String]
    /// Per service code and day: what was billed (services only; drugs have no per-day limits).
    let serviceDays: [DayKey: DayUse]

    init(claim: Claim, kb: KnowledgeBase) {
        self.claim = claim
        self.kb = kb
        person = kb.persons[claim.personID]
        institution = kb.institutions[claim.institutionID]
        lines = claim.lines.map { line in
            let drug = line.type == .drug ? kb.drugs[line.code] : nil
            let service = line.type == .service ? kb.services[line.code] : nil
            let first = line.time.date.dayNumber
            // A refund line (negative cnt) of a per-stay-day item takes back as many days as it says.
            let span = service?.perStayDay == true ? max(1, wholeNumber(abs(line.count))) : 1
            return ResolvedLine(line: line, drug: drug, service: service, days: first...(first + span - 1))
        }
        diagnosisCodes = claim.diagnoses.map(\.code) + (claim.principalDiagnosis.map { [$0] } ?? [])
        var days: [DayKey: DayUse] = [:]
        days.reserveCapacity(lines.count)
        for (i, resolved) in lines.enumerated() where resolved.service != nil {
            // Per line, not per day: a per-stay-day amount is a multiplication (the `Decimal`s'
            // arithmetic was a tenth of this initialiser in rule-quality's profile), and each day's
            // entry is found once.
            let (count, amount) = (resolved.countPerDay, resolved.amountPerDay)
            for day in resolved.days { days[DayKey(code: resolved.line.code, day: day), default: DayUse()].add(count, amount, line: i) }
        }
        serviceDays = days
    }

    /// The institution level for caps and minimum levels; a pharmacy (0) counts as `pharmacyLevel`.
    func level(pharmacyLevel: Int = 1) -> Int? {
        institution.map { $0.level == 0 ? pharmacyLevel : $0.level }
    }

    func evidence(_ indexes: [Int], amount: (ResolvedLine) -> Decimal = { $0.line.amount }) -> [FindingLine] {
        indexes.map { FindingLine(rxID: lines[$0].line.rxID, code: lines[$0].line.code, amount: amount(lines[$0])) }
    }
}

// MARK: - small shared helpers

/// The whole part of a non-negative decimal (per-stay-day line counts are whole days).
func wholeNumber(_ value: Decimal) -> Int {
    var input = value, result = Decimal()
    NSDecimalRound(&result, &input, 0, .down)
    return NSDecimalNumber(decimal: result).intValue
}

extension Decimal {
    /// Rounded half-up to `scale` decimals (amounts in yuan use 2).
    func rounded(_ scale: Int) -> Decimal {
        var input = self, result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// Yuan amount as text, e.g. "12.8".
    var text: String { "\(rounded(2))" }
}

func dayText(_ day: Int) -> String { CivilDate(dayNumber: day).description }

/// Joins distinct texts in order with 、.
func joined(_ items: [String]) -> String {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }.joined(separator: "、")
}
