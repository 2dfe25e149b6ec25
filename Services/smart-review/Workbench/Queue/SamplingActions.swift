import Foundation
import Persistence
import ReviewWorkflow
import ServiceLifecycle

/// The second-review draws as actions: asked for by a supervisor, replayed by an auditor, or made by the
/// sampling job (recorded as `system`), each with its audit entry.
extension Workbench {
    var sampler: SecondReviewSampler {
        SecondReviewSampler(store: queue, policy: sampling, sanctions: (try? reference.engine.sanctions) ?? .empty)
    }

    func drawMachinePassed(day: String, by reviewer: Reviewer) async throws -> StoredSample {
        try await perform(reviewer, "sample.drawn", subject: "sample:machine_passed:\(day)") { connection in
            let sample = try await sampler.drawMachinePassed(day: day, knowledgeBase: try reference.knowledgeBase, on: connection)
            return (sample, sample.auditDetails)
        }
    }

    func replaySample(_ id: Int64, by reviewer: Reviewer) async throws -> SampleReplay {
        try await perform(reviewer, "sample.replayed", subject: "sample:\(id)") { connection in
            let replay = try await sampler.replay(id, on: connection)
            return (replay, ["same": "\(replay.same)", "stored": replay.stored.joined(separator: ","), "rerun": replay.rerun.joined(separator: ",")])
        }
    }

    /// One round of the sampling job: a batch that waited `flushAfter` is drawn short, and yesterday's
    /// machine-passed claims are drawn once the day is over.
    func samplingRound(now: Date = Date()) async throws {
        try await database.transaction { connection in
            if let id = try await sampler.drawIfDue(at: now, on: connection) {
                try await audit.append(actor: "system", action: "sample.flushed", subject: "sample:\(id)", details: ["role": "system"], on: connection)
            }
            let yesterday = SecondReviewSampler.day(of: now.addingTimeInterval(-86_400))
            guard try await queue.sample(.machinePassed, period: yesterday, on: connection) == nil else { return }
            let sample = try await sampler.drawMachinePassed(day: yesterday, knowledgeBase: try reference.knowledgeBase, on: connection)
            try await audit.append(actor: "system", action: "sample.drawn", subject: "sample:machine_passed:\(yesterday)",
                                   details: sample.auditDetails.merging(["role": "system"]) { new, _ in new }, on: connection)
        }
    }
}

extension StoredSample {
    var auditDetails: [String: String] {
        ["sample": "\(sampleId)", "seed": "\(selection.seed)", "population": "\(selection.population.count)",
         "selected": selection.selectedItemIDs.joined(separator: ",")]
    }
}

extension SecondReviewSampler {
    /// The China-time day (yyyy-MM-dd) of an instant.
    static func day(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LedgerCalendar.zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// Runs `Workbench.samplingRound` every `interval` (`REVIEW_SAMPLE_JOB_SECONDS`), so no decision waits
/// for a batch without end and every day's machine-passed claims are drawn.
struct SamplingJob: Service {
    let workbench: Workbench
    let interval: Duration

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { [workbench] in
            do { try await workbench.samplingRound() } catch {
                if !Task.isCancelled { workbench.database.logger.warning("second-review sampling round failed", metadata: ["error": "\(error)"]) }
            }
        }
    }
}
