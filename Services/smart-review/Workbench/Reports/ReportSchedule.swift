import Foundation
import ReviewWorkflow
import ServiceKit

extension RewardSchedule {
    /// `REVIEW_REWARD_SCHEDULE`: the bureau's reward schedule as JSON, e.g.
    /// `{"grades":{"1":{"rate":0.03,"floor":400,"cap":200000}}}`; `.standard` when unset.
    static func configured(_ env: Environment) throws -> RewardSchedule {
        let variable = "REVIEW_REWARD_SCHEDULE"
        let text = env.string(variable, default: "")
        guard !text.isEmpty else { return .standard }
        let schedule: RewardSchedule
        do { schedule = try JSONDecoder().decode(RewardSchedule.self, from: Data(text.utf8)) } catch {
            throw ConfigurationError(variable: variable, problem: "is not a reward schedule in JSON: \(error)")
        }
        if let problem = schedule.problems.first { throw ConfigurationError(variable: variable, problem: problem) }
        return schedule
    }
}
