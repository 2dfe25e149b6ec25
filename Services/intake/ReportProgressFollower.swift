import Events
import Foundation
import Logging
import Persistence
import PostgresNIO

/// Follows `reports.progress` from the workbench into intake's `reports`, so the reporter's tracking
/// number answers with the progress and the reward. Only a newer step is applied: a redelivered or
/// late older step never overwrites what the reporter already sees.
struct ReportProgressFollower: Sendable {
    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    let database: Database

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let progress: ReportProgress
        do { progress = try event.decode(ReportProgress.self) } catch {
            throw Malformed(description: "reports.progress event \(event.id) cannot be read: \(error)")
        }
        let reward = progress.rewardAmount.map { "\($0)" }
        let rows = try await connection.query("""
            UPDATE \(unescaped: database.schema).reports
            SET status = \(progress.status), progress_step = \(progress.step), progress_at = \(progress.at),
                reward_amount = COALESCE(\(reward)::numeric, reward_amount), reward_paid = reward_paid OR \(progress.paid)
            WHERE report_id = \(progress.reportId) AND progress_step < \(progress.step)
            RETURNING report_id
            """, logger: logger)
        var applied = false
        for try await _ in rows.decode(String.self) { applied = true }
        if !applied {
            logger.debug("report progress not newer, or report unknown", metadata: ["report": "\(progress.reportId)", "step": "\(progress.step)"])
        }
    }
}
