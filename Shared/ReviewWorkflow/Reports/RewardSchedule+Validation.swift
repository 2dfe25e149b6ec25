import Foundation

extension RewardSchedule {
    /// What makes a configured schedule unusable, as sentences naming the grade; empty when sound.
    /// A crossed floor and cap is refused here although `RewardRule` would let the cap win: a
    /// bureau's configuration that says both is a mistake to fix, not a rule to apply.
    public var problems: [String] {
        guard !grades.isEmpty else { return ["at least one grade is required"] }
        return grades.keys.sorted().flatMap { grade -> [String] in
            let rule = grades[grade]!
            var problems: [String] = []
            if grade < 1 { problems.append("grade \(grade): grades are numbered from 1") }
            if rule.rate <= 0 || rule.rate > 1 { problems.append("grade \(grade): rate must be above 0 and at most 1") }
            if rule.floor < 0 { problems.append("grade \(grade): floor must not be negative") }
            if rule.floor > rule.cap { problems.append("grade \(grade): floor \(rule.floor) is above cap \(rule.cap)") }
            return problems
        }
    }
}
