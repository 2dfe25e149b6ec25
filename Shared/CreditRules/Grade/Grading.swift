import Foundation
import HISContract

/// One fact's effect on a score, after decay; negative for violations.
public struct ScoreContribution: Sendable, Codable, Equatable {
    public var entryId: String
    public var recordedOn: CivilDate
    public var points: Double
    public var reason: String
}

public struct GradeResult: Sendable, Codable, Equatable {
    public var date: CivilDate
    public var modelVersion: String
    public var grade: CreditGrade
    /// 0...maxScore, one decimal.
    public var score: Double
    public var contributions: [ScoreContribution]
    /// Readable explanation, Chinese / English, in the order the score was built.
    public var reasons: [String]
}

/// Grades a file's entries on `date` with `model` (see `GradeModel` for the formula).
public func grade(_ entries: [CreditEntry], on date: CivilDate, model: GradeModel = .default) -> GradeResult {
    model.grade(CreditFileView(entries: entries, on: date))
}

extension GradeModel {
    public func grade(_ view: CreditFileView) -> GradeResult {
        var reasons = ["模型 \(version)，基础分 \(Amounts.points(baseScore)) / model \(version), base score \(Amounts.points(baseScore))"]
        var contributions: [ScoreContribution] = []
        var negative = 0.0, positive = 0.0
        var fraudCap: String?
        for fact in view.facts {
            let age = fact.recordedOn.days(to: view.date)
            if let excluded = exclusion(of: fact, age: age) {
                reasons.append("\(fact.entryId) \(excluded)")
                continue
            }
            let (raw, label) = rawPoints(fact.current)
            let factor = pow(0.5, Double(age) / halfLifeDays)
            let points = raw * factor
            if raw < 0 { negative -= points } else { positive += points }
            let line = "\(fact.entryId) \(fact.recordedOn) \(label)：\(signed(raw)) × 衰减 decay \(String(format: "%.2f", factor)) = \(signed(points))"
            contributions.append(ScoreContribution(entryId: fact.entryId, recordedOn: fact.recordedOn, points: points, reason: line))
            reasons.append(line)
            if case .violation(let v) = fact.current, v.gravity == .fraud, fraudCapDays > 0, age <= fraudCapDays {
                fraudCap = fact.entryId
            }
        }
        if positive > positiveCap {
            reasons.append("加分合计 \(Amounts.points(positive)) 超过上限，按 \(Amounts.points(positiveCap)) 计 / positives capped at \(Amounts.points(positiveCap))")
            positive = positiveCap
        }
        let score = ((min(max(baseScore - negative + positive, 0), maxScore)) * 10).rounded() / 10
        var grade = thresholds.grade(for: score)
        let t = thresholds
        reasons.append("得分 \(Amounts.points(score))，A≥\(Amounts.points(t.a)) B≥\(Amounts.points(t.b)) C≥\(Amounts.points(t.c)) → \(grade.rawValue) 级 / score \(Amounts.points(score)) → grade \(grade.rawValue)")
        if let fraud = fraudCap, grade != .D {
            grade = .D
            reasons.append("\(fraud) 欺诈骗保在 \(fraudCapDays) 天内，等级降为 D / fraud within \(fraudCapDays) days caps the grade at D")
        }
        return GradeResult(date: view.date, modelVersion: version, grade: grade, score: score,
                           contributions: contributions, reasons: reasons)
    }

    private func exclusion(of fact: ResolvedFact, age: Int) -> String? {
        if fact.isReversed { return "异议成立已撤销，不计分 / reversed by an upheld objection, not counted" }
        if fact.isRepaired { return "已信用修复，不计分 / repaired, not counted" }
        if age > lookbackDays { return "超过 \(lookbackDays) 天评价期，不计分 / older than the \(lookbackDays)-day look-back, not counted" }
        return nil
    }

    /// Undecayed points (negative for negative facts) and a readable label.
    private func rawPoints(_ fact: CreditFact) -> (Double, String) {
        switch fact {
        case .violation(let v):
            let amount = min(amountPointsCap, Amounts.double(v.amount) / 10_000 * amountPointsPer10kYuan)
            return (-(violationPoints[v.gravity] + amount),
                    "确认违规[\(v.gravity.chineseName)] 涉及 \(Amounts.yuan(v.amount)) 元 / confirmed \(v.gravity) violation, ¥\(Amounts.yuan(v.amount))")
        case .commitmentBroken(let id):
            return (-brokenCommitmentPoints, "违反告知承诺 \(id) / commitment broken")
        case .overdueContribution(let amount):
            return (-overdueContributionPoints, "欠缴医保费 \(Amounts.yuan(amount)) 元 / overdue contributions")
        case .commitmentKept(let id):
            return (keptCommitmentPoints, "履行告知承诺 \(id) / commitment kept")
        case .selfCorrection(let refunded, _):
            return (selfCorrectionPoints + Amounts.double(refunded) / 10_000 * selfCorrectionPointsPer10kYuan,
                    "自查自纠主动退回 \(Amounts.yuan(refunded)) 元 / self-correction with refund")
        }
    }

    private func signed(_ value: Double) -> String {
        value >= 0 ? "+\(Amounts.points(value))" : "−\(Amounts.points(-value))"
    }
}
