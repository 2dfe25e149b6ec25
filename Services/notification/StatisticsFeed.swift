import Events
import Foundation
import Hummingbird
import Persistence
import PostgresNIO
import ServiceKit

/// Per-institution figures of each period (信息披露) from `review.statistics`, served on the
/// public feed: total fees, fund payments, cost per encounter and per person, drug share. The
/// latest figures of an institution and period replace earlier ones (late claims change them).
struct StatisticsFeed: Sendable {
    let database: Database
    var schema: String { database.schema }

    static let migration = Migration(4, "institution statistics", """
        CREATE TABLE {schema}.institution_statistics (
          medins_id text NOT NULL,
          period text NOT NULL,
          body jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (medins_id, period));
        """)

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    func apply(_ event: CloudEvent, on connection: PostgresConnection) async throws {
        let figures: StatisticsPublished
        do {
            figures = try event.decode(StatisticsPublished.self)
        } catch {
            throw Malformed(description: "review.statistics event \(event.id) cannot be read: \(error)")
        }
        let body = String(decoding: try EventJSON.encoder.encode(figures), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).institution_statistics (medins_id, period, body) VALUES (\(figures.institutionId), \(figures.period), \(body)::jsonb)
            ON CONFLICT (medins_id, period) DO UPDATE SET body = EXCLUDED.body, updated_at = now()
            """, logger: database.logger)
    }

    /// The public view: no personal data is in these figures to begin with.
    func figures(period: String?) async throws -> Response {
        let rows = try await database.query("""
            SELECT body::text FROM \(unescaped: schema).institution_statistics
            WHERE \(period ?? "") = '' OR period = \(period ?? "") ORDER BY period DESC, medins_id
            """, logger: database.logger)
        var bodies: [String] = []
        for try await body in rows.decode(String.self) { bodies.append(body) }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: "[" + bodies.joined(separator: ",") + "]")))
    }
}
